//! Cash-flow valuation: NPV, XNPV, IRR, XIRR and MIRR.

use super::{finite, num, num_or, toolpak_num};
use crate::functions::math::args::{for_each_scalar, numbers, Rule};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// `NPV(rate, value1, ...)`: the values discounted one period each, the
/// first by one period. Numbers count; text, booleans and empty cells of
/// references are skipped, as in SUM.
pub(super) fn fn_npv(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = num(args, 0, ctx)?;
    let values = numbers(args.get(1..).unwrap_or_default(), ctx, Rule::Plain)?;
    if rate == -1.0 {
        return Err(ExcelError::Div0);
    }
    let mut total = 0.0;
    let mut discount = 1.0;
    for v in values {
        discount *= 1.0 + rate;
        total += v / discount;
    }
    finite(total)
}

/// The numbers of a cash-flow range (IRR's and MIRR's values): text,
/// booleans and empty cells are skipped, errors propagate.
fn flows(arg: Option<&Operand>, ctx: &dyn Context) -> Result<Vec<f64>, ExcelError> {
    match arg {
        Some(a) => numbers(std::slice::from_ref(a), ctx, Rule::Plain),
        None => Ok(Vec::new()),
    }
}

/// Every value of XNPV's and XIRR's ranges as a number: for XNPV anything
/// but a number (an empty cell, text, a boolean) is `#NUM!`; XIRR reads an
/// empty cell as 0 and text or a boolean as `#VALUE!`. Errors propagate.
fn strict_numbers(
    arg: Option<&Operand>,
    for_xirr: bool,
    ctx: &dyn Context,
) -> Result<Vec<f64>, ExcelError> {
    let Some(arg) = arg else {
        return Err(ExcelError::Num);
    };
    let mut out = Vec::new();
    let mut error = None;
    for_each_scalar(arg, ctx, |v, _| {
        if error.is_some() {
            return;
        }
        match v {
            Value::Number(n) => out.push(*n),
            Value::Error(e) => error = Some(*e),
            Value::Empty if for_xirr => out.push(0.0),
            _ if for_xirr => error = Some(ExcelError::Value),
            _ => error = Some(ExcelError::Num),
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// XNPV's and XIRR's flows: values and dates of equal count (else `#NUM!`),
/// the dates truncated; a date before the first is `#NUM!`. Returns the
/// values and the years (of 365 days) from the first date.
fn dated_flows(
    values: Option<&Operand>,
    dates: Option<&Operand>,
    for_xirr: bool,
    ctx: &dyn Context,
) -> Result<(Vec<f64>, Vec<f64>), ExcelError> {
    let values = strict_numbers(values, for_xirr, ctx)?;
    let dates = strict_numbers(dates, false, ctx)?;
    if values.len() != dates.len() || values.is_empty() {
        return Err(ExcelError::Num);
    }
    let first = dates[0].trunc();
    let mut years = Vec::with_capacity(dates.len());
    for d in dates {
        let d = d.trunc();
        if d < first || d < 0.0 {
            return Err(ExcelError::Num);
        }
        years.push((d - first) / 365.0);
    }
    Ok((values, years))
}

/// The present value of dated flows at `rate` and its derivative.
fn dated_npv(rate: f64, values: &[f64], years: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    for (v, t) in values.iter().zip(years) {
        let discount = (1.0 + rate).powf(*t);
        value += v / discount;
        slope -= t * v / (discount * (1.0 + rate));
    }
    (value, slope)
}

/// `XNPV(rate, values, dates)`: the present value of flows on given dates,
/// discounted from the first date in years of 365 days; a negative rate is
/// `#NUM!`.
pub(super) fn fn_xnpv(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let rate = toolpak_num(args, 0, ctx)?;
    let (values, years) = dated_flows(args.get(1), args.get(2), false, ctx)?;
    if rate < 0.0 {
        return Err(ExcelError::Num);
    }
    finite(dated_npv(rate, &values, &years).0)
}

/// A root of a present value above −100%: Newton's method from `guess`
/// (done when a step is below `tolerance`, within `steps` steps), and when
/// that fails or leaves the domain, the sign change nearest the guess on a
/// grid of rates, narrowed by bisection. Excel finds such roots where plain
/// Newton diverges (IRR of −5, 1 is −80%).
fn solve(
    guess: f64,
    steps: usize,
    tolerance: f64,
    npv: impl Fn(f64) -> (f64, f64),
) -> Result<f64, ExcelError> {
    let mut rate = guess;
    for _ in 0..steps {
        let (value, slope) = npv(rate);
        let step = value / slope;
        if !step.is_finite() {
            break;
        }
        rate -= step;
        if step.abs() < tolerance {
            if rate > -1.0 && rate.is_finite() {
                return Ok(rate);
            }
            break;
        }
    }
    bracketed_root(guess, |r| npv(r).0)
}

/// Rates from just above −100% to 100,000%, denser near zero, on which a
/// present value is sampled for a sign change.
fn rate_grid() -> Vec<f64> {
    let mut grid: Vec<f64> = (1..=9).rev().map(|k| -1.0 + 10f64.powi(-k)).collect();
    grid.extend((-19..=20).map(|k| f64::from(k) * 0.05));
    grid.extend([1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 1000.0]);
    grid
}

/// The root of `f` in the bracket of the grid nearest to `guess`, by
/// bisection to the last bit; `#NUM!` when `f` never changes sign.
fn bracketed_root(guess: f64, f: impl Fn(f64) -> f64) -> Result<f64, ExcelError> {
    let grid = rate_grid();
    let values: Vec<f64> = grid.iter().map(|r| f(*r)).collect();
    let mut best: Option<(f64, f64, f64)> = None;
    for i in 1..grid.len() {
        let (a, b) = (values[i - 1], values[i]);
        if !(a.is_finite() && b.is_finite()) || a.signum() == b.signum() && a != 0.0 {
            continue;
        }
        let distance = (grid[i - 1] - guess).abs().min((grid[i] - guess).abs());
        if best.is_none_or(|(d, _, _)| distance < d) {
            best = Some((distance, grid[i - 1], grid[i]));
        }
    }
    let (_, mut low, mut high) = best.ok_or(ExcelError::Num)?;
    let low_sign = f(low).signum();
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        let value = f(mid);
        if value == 0.0 {
            return Ok(mid);
        }
        if value.signum() == low_sign {
            low = mid;
        } else {
            high = mid;
        }
    }
    finite(0.5 * (low + high))
}

/// Whether flows have both a positive and a negative value, which any
/// rate of return needs.
fn has_both_signs(values: &[f64]) -> bool {
    values.iter().any(|v| *v > 0.0) && values.iter().any(|v| *v < 0.0)
}

/// FIXME: Excel's XIRR stops about 1e-8 (relative) short of the root, by an
/// iteration we have not reproduced; ours converges fully, so corpus values
/// differ from Excel's in the eighth or ninth digit.
///
/// `XIRR(values, dates, [guess])`: the rate at which XNPV is zero, by
/// Newton's method from `guess` (10%), at most 100 steps; see [`solve`].
pub(super) fn fn_xirr(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (values, years) = dated_flows(args.first(), args.get(1), true, ctx)?;
    let guess = match args.get(2) {
        Some(_) => toolpak_num(args, 2, ctx)?,
        None => 0.1,
    };
    if !has_both_signs(&values) || guess <= -1.0 {
        return Err(ExcelError::Num);
    }
    solve(guess, 100, 1e-10, |r| dated_npv(r, &values, &years))
}

/// The present value of periodic flows (the first undiscounted) at `rate`
/// and its derivative.
fn periodic_npv(rate: f64, values: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    let mut discount = 1.0;
    for (i, v) in values.iter().enumerate() {
        value += v / discount;
        slope -= i as f64 * v / (discount * (1.0 + rate));
        discount *= 1.0 + rate;
    }
    (value, slope)
}

/// FIXME: where the root is zero Excel returns a residue (2.45e-12 for
/// −130, 30, 20, 30, 20, 30) that this exact root does not reproduce.
///
/// `IRR(values, [guess])`: the rate at which the flows' present value is
/// zero, from `guess` (10%; −100% or below is `#VALUE!`); see [`solve`].
pub(super) fn fn_irr(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let values = flows(args.first(), ctx)?;
    let guess = num_or(args, 1, 0.1, ctx)?;
    if guess <= -1.0 {
        return Err(ExcelError::Value);
    }
    if !has_both_signs(&values) {
        return Err(ExcelError::Num);
    }
    solve(guess, 50, 1e-10, |r| periodic_npv(r, &values))
}

/// `MIRR(values, finance_rate, reinvest_rate)`: the modified internal rate
/// of return: negative flows discounted at the finance rate, positive ones
/// compounded at the reinvestment rate. Without a negative flow it divides
/// by zero; without a positive one it is −100%.
pub(super) fn fn_mirr(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let values = flows(args.first(), ctx)?;
    let finance = num(args, 1, ctx)?;
    let reinvest = num(args, 2, ctx)?;
    let n = values.len() as f64;
    let mut cost = 0.0;
    let mut gain = 0.0;
    for (i, v) in values.iter().enumerate() {
        if *v < 0.0 {
            cost += v / (1.0 + finance).powi(i as i32);
        } else {
            gain += v * (1.0 + reinvest).powf(n - 1.0 - i as f64);
        }
    }
    if cost == 0.0 {
        return Err(ExcelError::Div0);
    }
    finite((-gain / cost).powf(1.0 / (n - 1.0)) - 1.0)
}
