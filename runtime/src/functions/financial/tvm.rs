//! The time value of money: PV, FV, PMT, NPER, RATE, IPMT, PPMT, CUMIPMT,
//! CUMPRINC, ISPMT, PDURATION, RRI, NOMINAL, EFFECT and FVSCHEDULE.
//!
//! All of them solve the annuity equation
//! `pv·(1+r)^n + pmt·(1+r·type)·((1+r)^n − 1)/r + fv = 0`
//! (with `pv + pmt·n + fv = 0` at a zero rate) for one of its terms.

use super::{finite, num, num_or, payment_type, toolpak_num};
use crate::functions::math::args::{for_each_scalar, number_of, Rule};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The future value of the annuity equation.
pub(super) fn future_value(rate: f64, nper: f64, pmt: f64, pv: f64, due: bool) -> f64 {
    if rate == 0.0 {
        return -(pv + pmt * nper);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    -(pv * growth + pmt * due_factor * (growth - 1.0) / rate)
}

/// The payment of the annuity equation (`nper` non-zero).
pub(super) fn payment(rate: f64, nper: f64, pv: f64, fv: f64, due: bool) -> f64 {
    if rate == 0.0 {
        return -(pv + fv) / nper;
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    -(fv + pv * growth) * rate / (due_factor * (growth - 1.0))
}

/// `PV(rate, nper, pmt, [fv], [type])`: the present value of an annuity.
pub(super) fn fn_pv(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let nper = num(args, 1, ctx)?;
    let pmt = num(args, 2, ctx)?;
    let fv = num_or(args, 3, 0.0, ctx)?;
    let due = payment_type(args, 4, ctx)?;
    if rate == 0.0 {
        return Ok(-(fv + pmt * nper));
    }
    let growth = (1.0 + rate).powf(nper);
    if growth == 0.0 {
        return Err(ExcelError::Div0);
    }
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    finite(-(fv + pmt * due_factor * (growth - 1.0) / rate) / growth)
}

/// `FV(rate, nper, pmt, [pv], [type])`: the future value of an annuity. A
/// rate of −1 with negative periods divides by zero.
pub(super) fn fn_fv(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let nper = num(args, 1, ctx)?;
    let pmt = num(args, 2, ctx)?;
    let pv = num_or(args, 3, 0.0, ctx)?;
    let due = payment_type(args, 4, ctx)?;
    if rate == -1.0 && nper < 0.0 {
        return Err(ExcelError::Div0);
    }
    finite(future_value(rate, nper, pmt, pv, due))
}

/// `PMT(rate, nper, pv, [fv], [type])`: the payment per period. No periods,
/// or a rate of −100% or below, is `#NUM!`.
pub(super) fn fn_pmt(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let nper = num(args, 1, ctx)?;
    let pv = num(args, 2, ctx)?;
    let fv = num_or(args, 3, 0.0, ctx)?;
    let due = payment_type(args, 4, ctx)?;
    if nper == 0.0 || rate <= -1.0 {
        return Err(ExcelError::Num);
    }
    finite(payment(rate, nper, pv, fv, due))
}

/// `NPER(rate, pmt, pv, [fv], [type])`: the number of periods; a logarithm
/// of a non-positive ratio is `#NUM!`.
pub(super) fn fn_nper(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let pmt = num(args, 1, ctx)?;
    let pv = num(args, 2, ctx)?;
    let fv = num_or(args, 3, 0.0, ctx)?;
    let due = payment_type(args, 4, ctx)?;
    if rate == 0.0 {
        if pmt == 0.0 {
            return Err(ExcelError::Num);
        }
        return Ok(-(pv + fv) / pmt);
    }
    let due_pmt = if due { pmt * (1.0 + rate) } else { pmt };
    let ratio = (due_pmt - fv * rate) / (due_pmt + pv * rate);
    if ratio <= 0.0 || rate <= -1.0 {
        return Err(ExcelError::Num);
    }
    finite(ratio.ln() / (1.0 + rate).ln())
}

/// The annuity equation's residual at `rate` and its derivative in the rate.
fn annuity_residual(rate: f64, nper: f64, pmt: f64, pv: f64, fv: f64, due: bool) -> (f64, f64) {
    if rate == 0.0 {
        // The limits at zero: the derivative of ((1+r)^n − 1)/r is n(n−1)/2.
        let due_term = if due { pmt * nper } else { 0.0 };
        let value = pv + pmt * nper + fv;
        let slope = pv * nper + pmt * nper * (nper - 1.0) / 2.0 + due_term;
        return (value, slope);
    }
    let growth = (1.0 + rate).powf(nper);
    let growth_slope = nper * (1.0 + rate).powf(nper - 1.0);
    let t = if due { 1.0 } else { 0.0 };
    let annuity = (growth - 1.0) / rate;
    let annuity_slope = (growth_slope * rate - (growth - 1.0)) / (rate * rate);
    let value = pv * growth + pmt * (1.0 + rate * t) * annuity + fv;
    let slope = pv * growth_slope + pmt * (t * annuity + (1.0 + rate * t) * annuity_slope);
    (value, slope)
}

/// `RATE(nper, pmt, pv, [fv], [type], [guess])`: the rate per period, by
/// Newton's method from `guess` (10%), done when a step is below 1e-7.
/// Excel documents 20 steps but finds rates that take more (RATE(300, −200,
/// 8000, 0, 1) takes 26), so up to 100 are taken; a rate of −100% or below,
/// or no convergence, is `#NUM!`.
pub(super) fn fn_rate(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let nper = num(args, 0, ctx)?;
    let pmt = num(args, 1, ctx)?;
    let pv = num(args, 2, ctx)?;
    let fv = num_or(args, 3, 0.0, ctx)?;
    let due = payment_type(args, 4, ctx)?;
    let mut rate = num_or(args, 5, 0.1, ctx)?;
    for _ in 0..100 {
        let (value, slope) = annuity_residual(rate, nper, pmt, pv, fv, due);
        let step = value / slope;
        if !step.is_finite() {
            return Err(ExcelError::Num);
        }
        rate -= step;
        if step.abs() < 1e-7 {
            return if rate <= -1.0 { Err(ExcelError::Num) } else { finite(rate) };
        }
    }
    Err(ExcelError::Num)
}

/// IPMT's interest in period `per` (checked to be in range) of a loan paid
/// by `pmt`.
fn interest_in(rate: f64, per: f64, pmt: f64, pv: f64, due: bool) -> f64 {
    let balance = if per == 1.0 {
        if due {
            0.0
        } else {
            -pv
        }
    } else if due {
        future_value(rate, per - 2.0, pmt, pv, true) - pmt
    } else {
        future_value(rate, per - 1.0, pmt, pv, false)
    };
    balance * rate
}

/// The arguments of IPMT and PPMT: `(rate, per, nper, pv, fv, due)`. A period
/// below 1 or from `nper + 1` on is `#NUM!`.
fn period_args(
    args: &[Operand],
    ctx: &dyn Context,
) -> Result<(f64, f64, f64, f64, f64, bool), ExcelError> {
    let rate = num(args, 0, ctx)?;
    let per = num(args, 1, ctx)?;
    let nper = num(args, 2, ctx)?;
    let pv = num(args, 3, ctx)?;
    let fv = num_or(args, 4, 0.0, ctx)?;
    let due = payment_type(args, 5, ctx)?;
    if per < 1.0 || per >= nper + 1.0 || nper == 0.0 {
        return Err(ExcelError::Num);
    }
    Ok((rate, per, nper, pv, fv, due))
}

/// `IPMT(rate, per, nper, pv, [fv], [type])`: the interest part of a payment.
pub(super) fn fn_ipmt(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (rate, per, nper, pv, fv, due) = period_args(args, ctx)?;
    let pmt = payment(rate, nper, pv, fv, due);
    finite(interest_in(rate, per, pmt, pv, due))
}

/// `PPMT(rate, per, nper, pv, [fv], [type])`: the principal part of a
/// payment, the payment less its interest.
pub(super) fn fn_ppmt(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (rate, per, nper, pv, fv, due) = period_args(args, ctx)?;
    let pmt = payment(rate, nper, pv, fv, due);
    finite(pmt - interest_in(rate, per, pmt, pv, due))
}

/// FIXME: when the principal parts are tiny beside the payments (rate 70%,
/// 36 periods) the sum cancels and differs from Excel's from the eighth
/// digit; Excel's summation order is not known.
///
/// `CUMIPMT`/`CUMPRINC(rate, nper, pv, start_period, end_period, type)`: the
/// interest (or principal) paid from the start to the end period. Rates,
/// periods and values must be positive, `type` exactly 0 or 1, and
/// `1 ≤ start ≤ end ≤ nper`; booleans are `#VALUE!`.
pub(super) fn fn_cumulative(
    args: &[Operand],
    ctx: &dyn Context,
    principal: bool,
) -> Result<f64, ExcelError> {
    let rate = toolpak_num(args, 0, ctx)?;
    let nper = toolpak_num(args, 1, ctx)?;
    let pv = toolpak_num(args, 2, ctx)?;
    let start = toolpak_num(args, 3, ctx)?;
    let end = toolpak_num(args, 4, ctx)?;
    let kind = toolpak_num(args, 5, ctx)?;
    if rate <= 0.0 || nper <= 0.0 || pv <= 0.0 || (kind != 0.0 && kind != 1.0) {
        return Err(ExcelError::Num);
    }
    // Excel rounds the periods up to whole ones before checking them.
    let (start, end) = (start.ceil(), end.trunc());
    if start < 1.0 || end < start || end > nper {
        return Err(ExcelError::Num);
    }
    let due = kind == 1.0;
    let pmt = payment(rate, nper, pv, 0.0, due);
    let mut total = 0.0;
    let mut per = start;
    while per <= end {
        let interest = interest_in(rate, per, pmt, pv, due);
        total += if principal { pmt - interest } else { interest };
        per += 1.0;
    }
    finite(total)
}

/// `ISPMT(rate, per, nper, pv)`: the interest of period `per` (counted from
/// 0) of a loan repaid in equal principal parts.
pub(super) fn fn_ispmt(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let per = num(args, 1, ctx)?;
    let nper = num(args, 2, ctx)?;
    let pv = num(args, 3, ctx)?;
    if nper == 0.0 {
        return Err(ExcelError::Div0);
    }
    finite(pv * rate * (per / nper - 1.0))
}

/// `PDURATION(rate, pv, fv)`: the periods for `pv` to grow to `fv`; every
/// argument must be positive.
pub(super) fn fn_pduration(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let pv = num(args, 1, ctx)?;
    let fv = num(args, 2, ctx)?;
    if rate <= 0.0 || pv <= 0.0 || fv <= 0.0 {
        return Err(ExcelError::Num);
    }
    finite((fv.ln() - pv.ln()) / (1.0 + rate).ln())
}

/// `RRI(nper, pv, fv)`: the equivalent rate of growth from `pv` to `fv`.
pub(super) fn fn_rri(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let nper = num(args, 0, ctx)?;
    let pv = num(args, 1, ctx)?;
    let fv = num(args, 2, ctx)?;
    if nper <= 0.0 || pv == 0.0 {
        return Err(ExcelError::Num);
    }
    finite((fv / pv).powf(1.0 / nper) - 1.0)
}

/// `NOMINAL(effect_rate, npery)`: the nominal annual rate; `npery` is
/// truncated and must be at least 1, the rate positive.
pub(super) fn fn_nominal(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let effect = toolpak_num(args, 0, ctx)?;
    let npery = toolpak_num(args, 1, ctx)?.trunc();
    if effect <= 0.0 || npery < 1.0 {
        return Err(ExcelError::Num);
    }
    finite(((1.0 + effect).powf(1.0 / npery) - 1.0) * npery)
}

/// `EFFECT(nominal_rate, npery)`: the effective annual rate; `npery` is
/// truncated and must be at least 1, the rate positive.
pub(super) fn fn_effect(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let nominal = toolpak_num(args, 0, ctx)?;
    let npery = toolpak_num(args, 1, ctx)?.trunc();
    if nominal <= 0.0 || npery < 1.0 {
        return Err(ExcelError::Num);
    }
    finite((1.0 + nominal / npery).powf(npery) - 1.0)
}

/// `FVSCHEDULE(principal, schedule)`: the principal compounded by each rate
/// of the schedule; empty cells count as 0%, text in a range is `#VALUE!`.
pub(super) fn fn_fvschedule(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let mut value = num(args, 0, ctx)?;
    let mut error = None;
    if let Some(schedule) = args.get(1) {
        for_each_scalar(schedule, ctx, |v, origin| {
            if error.is_some() {
                return;
            }
            let rate = match v {
                Value::Empty => Ok(Some(0.0)),
                Value::Text(_) | Value::Bool(_) => Err(ExcelError::Value),
                other => number_of(other, origin, Rule::Plain),
            };
            match rate {
                Ok(Some(r)) => value *= 1.0 + r,
                Ok(None) => {}
                Err(e) => error = Some(e),
            }
        });
    }
    match error {
        Some(e) => Err(e),
        None => finite(value),
    }
}
