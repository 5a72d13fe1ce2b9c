//! Discounted and at-maturity securities and Treasury bills: DISC, INTRATE,
//! RECEIVED, PRICEDISC, YIELDDISC, PRICEMAT, YIELDMAT, ACCRINTM, TBILLPRICE,
//! TBILLYIELD and TBILLEQ.

use super::{date, finite, positive, toolpak_num};
use crate::functions::datetime::calendar::{add_months, ymd_from_serial};
use crate::functions::datetime::daycount::{year_fraction, Basis};
use crate::reference::{Context, Operand};
use crate::value::ExcelError;

/// Two dates that must be in order (`first < second`, else `#NUM!`).
fn ordered(
    args: &[Operand],
    a: usize,
    b: usize,
    ctx: &dyn Context,
) -> Result<(i64, i64), ExcelError> {
    let first = date(args, a, ctx)?;
    let second = date(args, b, ctx)?;
    if first >= second {
        return Err(ExcelError::Num);
    }
    Ok((first, second))
}

/// The year fraction between two whole serials.
fn years(start: i64, end: i64, basis: Basis, ctx: &dyn Context) -> f64 {
    year_fraction(start, end, basis, ctx.date_1904())
}

/// `DISC(settlement, maturity, pr, redemption, [basis])`: the discount rate.
pub(super) fn fn_disc(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let pr = positive(toolpak_num(args, 2, ctx)?)?;
    let redemption = positive(toolpak_num(args, 3, ctx)?)?;
    let basis = Basis::arg(args, 4, ctx)?;
    finite((redemption - pr) / redemption / years(settlement, maturity, basis, ctx))
}

/// `INTRATE(settlement, maturity, investment, redemption, [basis])`: the
/// interest rate of a fully invested security.
pub(super) fn fn_intrate(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let investment = positive(toolpak_num(args, 2, ctx)?)?;
    let redemption = positive(toolpak_num(args, 3, ctx)?)?;
    let basis = Basis::arg(args, 4, ctx)?;
    finite((redemption - investment) / investment / years(settlement, maturity, basis, ctx))
}

/// `RECEIVED(settlement, maturity, investment, discount, [basis])`: the
/// amount received at maturity.
pub(super) fn fn_received(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let investment = positive(toolpak_num(args, 2, ctx)?)?;
    let discount = positive(toolpak_num(args, 3, ctx)?)?;
    let basis = Basis::arg(args, 4, ctx)?;
    let denominator = 1.0 - discount * years(settlement, maturity, basis, ctx);
    if denominator <= 0.0 {
        return Err(ExcelError::Num);
    }
    finite(investment / denominator)
}

/// `PRICEDISC(settlement, maturity, discount, redemption, [basis])`: the
/// price per 100 of a discounted security.
pub(super) fn fn_pricedisc(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let discount = positive(toolpak_num(args, 2, ctx)?)?;
    let redemption = positive(toolpak_num(args, 3, ctx)?)?;
    let basis = Basis::arg(args, 4, ctx)?;
    finite(redemption - discount * redemption * years(settlement, maturity, basis, ctx))
}

/// `YIELDDISC(settlement, maturity, pr, redemption, [basis])`: the annual
/// yield of a discounted security.
pub(super) fn fn_yielddisc(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let pr = positive(toolpak_num(args, 2, ctx)?)?;
    let redemption = positive(toolpak_num(args, 3, ctx)?)?;
    let basis = Basis::arg(args, 4, ctx)?;
    finite((redemption - pr) / pr / years(settlement, maturity, basis, ctx))
}

/// The dates, rate and basis of PRICEMAT and YIELDMAT: `(issue→settlement,
/// issue→maturity, settlement→maturity)` as year fractions and the rate.
fn at_maturity(args: &[Operand], ctx: &dyn Context) -> Result<(f64, f64, f64, f64), ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let issue = date(args, 2, ctx)?;
    let rate = toolpak_num(args, 3, ctx)?;
    let basis = Basis::arg(args, 5, ctx)?;
    if rate < 0.0 || issue > settlement {
        return Err(ExcelError::Num);
    }
    let accrued = years(issue, settlement, basis, ctx);
    let whole = years(issue, maturity, basis, ctx);
    let remaining = years(settlement, maturity, basis, ctx);
    Ok((accrued, whole, remaining, rate))
}

/// `PRICEMAT(settlement, maturity, issue, rate, yld, [basis])`: the price
/// per 100 of a security paying its interest at maturity.
pub(super) fn fn_pricemat(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (accrued, whole, remaining, rate) = at_maturity(args, ctx)?;
    let yld = toolpak_num(args, 4, ctx)?;
    if yld < 0.0 {
        return Err(ExcelError::Num);
    }
    finite((100.0 + whole * rate * 100.0) / (1.0 + remaining * yld) - accrued * rate * 100.0)
}

/// `YIELDMAT(settlement, maturity, issue, rate, pr, [basis])`: the annual
/// yield of a security paying its interest at maturity.
pub(super) fn fn_yieldmat(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (accrued, whole, remaining, rate) = at_maturity(args, ctx)?;
    let pr = positive(toolpak_num(args, 4, ctx)?)?;
    let paid = pr / 100.0 + accrued * rate;
    finite((1.0 + whole * rate - paid) / paid / remaining)
}

/// `ACCRINTM(issue, settlement, rate, [par], [basis])`: the interest accrued
/// by a security paying at maturity; par defaults to 1,000.
pub(super) fn fn_accrintm(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (issue, settlement) = ordered(args, 0, 1, ctx)?;
    let rate = positive(toolpak_num(args, 2, ctx)?)?;
    let par = match args.get(3) {
        Some(_) => positive(toolpak_num(args, 3, ctx)?)?,
        None => 1000.0,
    };
    let basis = Basis::arg(args, 4, ctx)?;
    finite(par * rate * years(issue, settlement, basis, ctx))
}

/// A Treasury bill's settlement and maturity: in order and at most one
/// calendar year apart (else `#NUM!`). Returns the days between them.
fn bill_days(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (settlement, maturity) = ordered(args, 0, 1, ctx)?;
    let start = ymd_from_serial(settlement, ctx.date_1904());
    if maturity as f64 > add_months(start, 12, ctx.date_1904()) {
        return Err(ExcelError::Num);
    }
    Ok((maturity - settlement) as f64)
}

/// `TBILLPRICE(settlement, maturity, discount)`: the price per 100.
pub(super) fn fn_tbillprice(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let days = bill_days(args, ctx)?;
    let discount = positive(toolpak_num(args, 2, ctx)?)?;
    let price = 100.0 * (1.0 - discount * days / 360.0);
    if price <= 0.0 {
        return Err(ExcelError::Num);
    }
    finite(price)
}

/// `TBILLYIELD(settlement, maturity, pr)`: the yield.
pub(super) fn fn_tbillyield(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let days = bill_days(args, ctx)?;
    let pr = positive(toolpak_num(args, 2, ctx)?)?;
    finite((100.0 - pr) / pr * 360.0 / days)
}

/// `TBILLEQ(settlement, maturity, discount)`: the bond-equivalent yield;
/// over half a year (182 days) it solves the quadratic for a semi-annual
/// coupon.
pub(super) fn fn_tbilleq(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let days = bill_days(args, ctx)?;
    let discount = positive(toolpak_num(args, 2, ctx)?)?;
    let price = 100.0 * (1.0 - discount * days / 360.0);
    if price <= 0.0 {
        return Err(ExcelError::Num);
    }
    if days <= 182.0 {
        return finite(365.0 * discount / (360.0 - discount * days));
    }
    // A full leap year of 366 days counts as a year of 366 days.
    let year = if days > 365.0 { 366.0 } else { 365.0 };
    let half = days / year;
    let root = (half * half - (2.0 * half - 1.0) * (1.0 - 100.0 / price)).sqrt();
    finite((-half + root) / (half - 0.5))
}
