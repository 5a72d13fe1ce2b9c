//! Depreciation: SLN, SYD, DB, DDB and VDB.

use super::{finite, num, num_or};
use crate::reference::{Context, Operand};
use crate::value::ExcelError;

/// `SLN(cost, salvage, life)`: straight-line depreciation per period.
pub(super) fn fn_sln(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let cost = num(args, 0, ctx)?;
    let salvage = num(args, 1, ctx)?;
    let life = num(args, 2, ctx)?;
    if life == 0.0 {
        return Err(ExcelError::Div0);
    }
    finite((cost - salvage) / life)
}

/// `SYD(cost, salvage, life, per)`: sum-of-years' digits depreciation of
/// period `per` (0 < per ≤ life, else `#NUM!`).
pub(super) fn fn_syd(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let cost = num(args, 0, ctx)?;
    let salvage = num(args, 1, ctx)?;
    let life = num(args, 2, ctx)?;
    let per = num(args, 3, ctx)?;
    if life <= 0.0 || per <= 0.0 || per > life {
        return Err(ExcelError::Num);
    }
    finite((cost - salvage) * (life - per + 1.0) * 2.0 / (life * (life + 1.0)))
}

/// `DB(cost, salvage, life, period, [month])`: fixed-declining-balance
/// depreciation. The rate `1 − (salvage/cost)^(1/life)` is rounded to three
/// decimals; the first period has `month` months (12 when omitted; an
/// empty argument is 0 and `#NUM!`), and a period `life + 1` holds the
/// months left over. Period and month are truncated.
pub(super) fn fn_db(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let cost = num(args, 0, ctx)?;
    let salvage = num(args, 1, ctx)?;
    let life = num(args, 2, ctx)?;
    let period = num(args, 3, ctx)?.trunc();
    let month = num_or(args, 4, 12.0, ctx)?.trunc();
    let last = if month == 12.0 { life } else { life + 1.0 };
    if cost < 0.0 || salvage < 0.0 || life <= 0.0 || period < 1.0 || period > last.ceil() {
        return Err(ExcelError::Num);
    }
    if !(1.0..=12.0).contains(&month) {
        return Err(ExcelError::Num);
    }
    if cost == 0.0 {
        return Ok(0.0);
    }
    let rate = ((1.0 - (salvage / cost).powf(1.0 / life)) * 1000.0).round() / 1000.0;
    let mut total = cost * rate * month / 12.0;
    if period == 1.0 {
        return finite(total);
    }
    let mut current = total;
    let mut p = 2.0;
    while p <= period {
        current = if p > life {
            (cost - total) * rate * (12.0 - month) / 12.0
        } else {
            (cost - total) * rate
        };
        total += current;
        p += 1.0;
    }
    finite(current)
}

/// Double-declining-balance depreciation of a (possibly fractional)
/// period: the declining value from period − 1 to period, never taking the
/// value below the salvage.
fn declining(cost: f64, salvage: f64, life: f64, period: f64, factor: f64) -> f64 {
    let mut rate = factor / life;
    let before = if rate >= 1.0 {
        rate = 1.0;
        if period == 1.0 {
            cost
        } else {
            0.0
        }
    } else {
        cost * (1.0 - rate).powf(period - 1.0)
    };
    let after = cost * (1.0 - rate).powf(period);
    let amount = if after < salvage { before - salvage } else { before - after };
    amount.max(0.0)
}

/// `DDB(cost, salvage, life, period, [factor])`: declining-balance
/// depreciation at `factor` (2 when omitted; an empty argument is 0 and
/// `#NUM!`) over the life. The period must be in `(0, life]`.
pub(super) fn fn_ddb(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let cost = num(args, 0, ctx)?;
    let salvage = num(args, 1, ctx)?;
    let life = num(args, 2, ctx)?;
    let period = num(args, 3, ctx)?;
    let factor = num_or(args, 4, 2.0, ctx)?;
    if cost < 0.0 || salvage < 0.0 || life <= 0.0 || period <= 0.0 || period > life {
        return Err(ExcelError::Num);
    }
    if factor <= 0.0 {
        return Err(ExcelError::Num);
    }
    if cost == 0.0 {
        return Ok(0.0);
    }
    finite(declining(cost, salvage, life, period, factor))
}

/// `VDB(cost, salvage, life, start_period, end_period, [factor],
/// [no_switch])`: declining-balance depreciation between two periods,
/// switching to straight-line once that is larger unless `no_switch`.
pub(super) fn fn_vdb(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let cost = num(args, 0, ctx)?;
    let salvage = num(args, 1, ctx)?;
    let life = num(args, 2, ctx)?;
    let start = num(args, 3, ctx)?;
    let end = num(args, 4, ctx)?;
    let factor = num_or(args, 5, 2.0, ctx)?;
    let no_switch = num_or(args, 6, 0.0, ctx)? != 0.0;
    if cost < 0.0 || salvage < 0.0 || life <= 0.0 || start < 0.0 || end < start || end > life {
        return Err(ExcelError::Num);
    }
    if factor <= 0.0 {
        return Err(ExcelError::Num);
    }
    // The schedule is walked period by period from the start of life; a
    // fractional start or end takes the matching share of its period.
    let mut value = cost;
    let mut total = 0.0;
    let mut switched = false;
    let mut p = 0.0;
    while p < end.ceil() {
        let remaining = life - p;
        let ddb = value * (factor / life).min(1.0);
        let straight = if remaining > 0.0 { (value - salvage) / remaining } else { 0.0 };
        if !no_switch && !switched && straight > ddb {
            switched = true;
        }
        let amount = if switched { straight } else { ddb.min((value - salvage).max(0.0)) };
        let from = start.max(p);
        let to = end.min(p + 1.0);
        if to > from {
            total += amount * (to - from);
        }
        value -= amount;
        p += 1.0;
    }
    finite(total)
}
