//! Financial functions: the time value of money, cash flows, depreciation,
//! securities and coupon bonds.
//!
//! Excel gives the functions of its former Analysis ToolPak (CUMIPMT,
//! EFFECT, XNPV, the securities and coupon functions) stricter arguments:
//! a boolean there is `#VALUE!` ([`toolpak_num`]); the older functions
//! (PV, PMT, DB...) read booleans as 0/1. Dates are truncated to whole days.

mod cashflow;
mod coupons;
mod depreciation;
mod securities;
#[cfg(test)]
mod tests;
mod tvm;

use crate::coerce::{arg, number_operand};
use crate::functions::datetime::serial_arg;
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FinancialFn {
    Pv,
    Fv,
    Pmt,
    Nper,
    Rate,
    Ipmt,
    Ppmt,
    CumIpmt,
    CumPrinc,
    IsPmt,
    PDuration,
    Rri,
    Nominal,
    Effect,
    FvSchedule,
    Npv,
    Xnpv,
    Irr,
    Xirr,
    Mirr,
    Sln,
    Syd,
    Db,
    Ddb,
    Vdb,
    Disc,
    IntRate,
    Received,
    PriceDisc,
    YieldDisc,
    PriceMat,
    YieldMat,
    AccrIntM,
    AccrInt,
    TBillPrice,
    TBillYield,
    TBillEq,
    CoupPcd,
    CoupNcd,
    CoupNum,
    CoupDayBs,
    CoupDays,
    CoupDaysNc,
    Price,
    Yield,
    Duration,
    MDuration,
    DollarDe,
    DollarFr,
    OddLPrice,
    OddLYield,
    OddFPrice,
    OddFYield,
}

const SCALARS: &[Param] = &[Param::Scalar];
const NPV_PARAMS: &[Param] = &[Param::Scalar, Param::Range];
const RANGE_FIRST: &[Param] = &[Param::Range, Param::Scalar];
const DATED: &[Param] = &[Param::Range, Param::Range, Param::Scalar];
const XNPV_PARAMS: &[Param] = &[Param::Scalar, Param::Range, Param::Range];

impl FinancialFn {
    /// Every function of this category.
    pub const ALL: &'static [FinancialFn] = &[
        FinancialFn::Pv,
        FinancialFn::Fv,
        FinancialFn::Pmt,
        FinancialFn::Nper,
        FinancialFn::Rate,
        FinancialFn::Ipmt,
        FinancialFn::Ppmt,
        FinancialFn::CumIpmt,
        FinancialFn::CumPrinc,
        FinancialFn::IsPmt,
        FinancialFn::PDuration,
        FinancialFn::Rri,
        FinancialFn::Nominal,
        FinancialFn::Effect,
        FinancialFn::FvSchedule,
        FinancialFn::Npv,
        FinancialFn::Xnpv,
        FinancialFn::Irr,
        FinancialFn::Xirr,
        FinancialFn::Mirr,
        FinancialFn::Sln,
        FinancialFn::Syd,
        FinancialFn::Db,
        FinancialFn::Ddb,
        FinancialFn::Vdb,
        FinancialFn::Disc,
        FinancialFn::IntRate,
        FinancialFn::Received,
        FinancialFn::PriceDisc,
        FinancialFn::YieldDisc,
        FinancialFn::PriceMat,
        FinancialFn::YieldMat,
        FinancialFn::AccrIntM,
        FinancialFn::AccrInt,
        FinancialFn::TBillPrice,
        FinancialFn::TBillYield,
        FinancialFn::TBillEq,
        FinancialFn::CoupPcd,
        FinancialFn::CoupNcd,
        FinancialFn::CoupNum,
        FinancialFn::CoupDayBs,
        FinancialFn::CoupDays,
        FinancialFn::CoupDaysNc,
        FinancialFn::Price,
        FinancialFn::Yield,
        FinancialFn::Duration,
        FinancialFn::MDuration,
        FinancialFn::DollarDe,
        FinancialFn::DollarFr,
        FinancialFn::OddLPrice,
        FinancialFn::OddLYield,
        FinancialFn::OddFPrice,
        FinancialFn::OddFYield,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        use FinancialFn::*;
        match self {
            Pv => "PV",
            Fv => "FV",
            Pmt => "PMT",
            Nper => "NPER",
            Rate => "RATE",
            Ipmt => "IPMT",
            Ppmt => "PPMT",
            CumIpmt => "CUMIPMT",
            CumPrinc => "CUMPRINC",
            IsPmt => "ISPMT",
            PDuration => "PDURATION",
            Rri => "RRI",
            Nominal => "NOMINAL",
            Effect => "EFFECT",
            FvSchedule => "FVSCHEDULE",
            Npv => "NPV",
            Xnpv => "XNPV",
            Irr => "IRR",
            Xirr => "XIRR",
            Mirr => "MIRR",
            Sln => "SLN",
            Syd => "SYD",
            Db => "DB",
            Ddb => "DDB",
            Vdb => "VDB",
            Disc => "DISC",
            IntRate => "INTRATE",
            Received => "RECEIVED",
            PriceDisc => "PRICEDISC",
            YieldDisc => "YIELDDISC",
            PriceMat => "PRICEMAT",
            YieldMat => "YIELDMAT",
            AccrIntM => "ACCRINTM",
            AccrInt => "ACCRINT",
            TBillPrice => "TBILLPRICE",
            TBillYield => "TBILLYIELD",
            TBillEq => "TBILLEQ",
            CoupPcd => "COUPPCD",
            CoupNcd => "COUPNCD",
            CoupNum => "COUPNUM",
            CoupDayBs => "COUPDAYBS",
            CoupDays => "COUPDAYS",
            CoupDaysNc => "COUPDAYSNC",
            Price => "PRICE",
            Yield => "YIELD",
            Duration => "DURATION",
            MDuration => "MDURATION",
            DollarDe => "DOLLARDE",
            DollarFr => "DOLLARFR",
            OddLPrice => "ODDLPRICE",
            OddLYield => "ODDLYIELD",
            OddFPrice => "ODDFPRICE",
            OddFYield => "ODDFYIELD",
        }
    }

    pub fn signature(self) -> Signature {
        use FinancialFn::*;
        let (min, max) = match self {
            Pv | Fv | Pmt | Nper => (3, 5),
            Rate => (3, 6),
            Ipmt | Ppmt => (4, 6),
            CumIpmt | CumPrinc => (6, 6),
            IsPmt => (4, 4),
            PDuration | Rri | Sln | Mirr => (3, 3),
            Nominal | Effect | FvSchedule | DollarDe | DollarFr => (2, 2),
            Npv => (2, 255),
            Xnpv => (3, 3),
            Irr => (1, 2),
            Xirr => (2, 3),
            Syd => (4, 4),
            Db | Ddb => (4, 5),
            Vdb => (5, 7),
            Disc | IntRate | Received | PriceDisc | YieldDisc => (4, 5),
            PriceMat | YieldMat => (5, 6),
            AccrIntM => (3, 5),
            AccrInt => (6, 8),
            TBillPrice | TBillYield | TBillEq => (3, 3),
            CoupPcd | CoupNcd | CoupNum | CoupDayBs | CoupDays | CoupDaysNc => (3, 4),
            Price | Yield => (6, 7),
            Duration | MDuration => (5, 6),
            OddLPrice | OddLYield => (7, 8),
            OddFPrice | OddFYield => (8, 9),
        };
        let params = match self {
            Npv | FvSchedule => NPV_PARAMS,
            Irr | Mirr => RANGE_FIRST,
            Xirr => DATED,
            Xnpv => XNPV_PARAMS,
            _ => SCALARS,
        };
        Signature::new(min, Some(max), params)
    }
}

pub(crate) fn call(f: FinancialFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    use FinancialFn::*;
    number_operand(match f {
        Pv => tvm::fn_pv(args, ctx),
        Fv => tvm::fn_fv(args, ctx),
        Pmt => tvm::fn_pmt(args, ctx),
        Nper => tvm::fn_nper(args, ctx),
        Rate => tvm::fn_rate(args, ctx),
        Ipmt => tvm::fn_ipmt(args, ctx),
        Ppmt => tvm::fn_ppmt(args, ctx),
        CumIpmt => tvm::fn_cumulative(args, ctx, false),
        CumPrinc => tvm::fn_cumulative(args, ctx, true),
        IsPmt => tvm::fn_ispmt(args, ctx),
        PDuration => tvm::fn_pduration(args, ctx),
        Rri => tvm::fn_rri(args, ctx),
        Nominal => tvm::fn_nominal(args, ctx),
        Effect => tvm::fn_effect(args, ctx),
        FvSchedule => tvm::fn_fvschedule(args, ctx),
        Npv => cashflow::fn_npv(args, ctx),
        Xnpv => cashflow::fn_xnpv(args, ctx),
        Irr => cashflow::fn_irr(args, ctx),
        Xirr => cashflow::fn_xirr(args, ctx),
        Mirr => cashflow::fn_mirr(args, ctx),
        Sln => depreciation::fn_sln(args, ctx),
        Syd => depreciation::fn_syd(args, ctx),
        Db => depreciation::fn_db(args, ctx),
        Ddb => depreciation::fn_ddb(args, ctx),
        Vdb => depreciation::fn_vdb(args, ctx),
        Disc => securities::fn_disc(args, ctx),
        IntRate => securities::fn_intrate(args, ctx),
        Received => securities::fn_received(args, ctx),
        PriceDisc => securities::fn_pricedisc(args, ctx),
        YieldDisc => securities::fn_yielddisc(args, ctx),
        PriceMat => securities::fn_pricemat(args, ctx),
        YieldMat => securities::fn_yieldmat(args, ctx),
        AccrIntM => securities::fn_accrintm(args, ctx),
        AccrInt => coupons::fn_accrint(args, ctx),
        TBillPrice => securities::fn_tbillprice(args, ctx),
        TBillYield => securities::fn_tbillyield(args, ctx),
        TBillEq => securities::fn_tbilleq(args, ctx),
        CoupPcd => coupons::fn_couppcd(args, ctx),
        CoupNcd => coupons::fn_coupncd(args, ctx),
        CoupNum => coupons::fn_coupnum(args, ctx),
        CoupDayBs => coupons::fn_coupdaybs(args, ctx),
        CoupDays => coupons::fn_coupdays(args, ctx),
        CoupDaysNc => coupons::fn_coupdaysnc(args, ctx),
        Price => coupons::fn_price(args, ctx),
        Yield => coupons::fn_yield(args, ctx),
        Duration => coupons::fn_duration(args, ctx),
        MDuration => coupons::fn_mduration(args, ctx),
        DollarDe => fn_dollar(args, ctx, true),
        DollarFr => fn_dollar(args, ctx, false),
        OddLPrice => coupons::fn_oddlprice(args, ctx),
        OddLYield => coupons::fn_oddlyield(args, ctx),
        OddFPrice => coupons::fn_oddfprice(args, ctx),
        OddFYield => coupons::fn_oddfyield(args, ctx),
    })
}

/// A numeric argument (booleans are 0/1, text is parsed, empty is 0).
fn num(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<f64, ExcelError> {
    arg(args, index, ctx).to_number()
}

/// An optional numeric argument: `default` when omitted, 0 when given empty.
fn num_or(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    if index < args.len() {
        num(args, index, ctx)
    } else {
        Ok(default)
    }
}

/// A numeric argument of a former Analysis ToolPak function: a boolean is
/// `#VALUE!`.
fn toolpak_num(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<f64, ExcelError> {
    match arg(args, index, ctx) {
        Value::Bool(_) => Err(ExcelError::Value),
        other => other.to_number(),
    }
}

/// The payment-timing argument: any non-zero value means payments at the
/// start of each period.
fn payment_type(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<bool, ExcelError> {
    Ok(num_or(args, index, 0.0, ctx)? != 0.0)
}

/// A date argument truncated to a whole day; booleans are `#VALUE!`, text is
/// read as a date, serials out of range are `#NUM!`.
fn date(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<i64, ExcelError> {
    if let Value::Bool(_) = arg(args, index, ctx) {
        return Err(ExcelError::Value);
    }
    Ok(serial_arg(args, index, ctx)?.floor() as i64)
}

/// A result that must be a finite number (else `#NUM!`).
fn finite(x: f64) -> Result<f64, ExcelError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(ExcelError::Num)
    }
}

/// A value that must be positive (else `#NUM!`).
fn positive(x: f64) -> Result<f64, ExcelError> {
    if x > 0.0 {
        Ok(x)
    } else {
        Err(ExcelError::Num)
    }
}

/// `DOLLARDE(fractional_dollar, fraction)` and `DOLLARFR(decimal_dollar,
/// fraction)`: a price between decimal and fractional notation, the
/// fraction's digits standing for its numerator (1.02 in sixteenths is
/// 1 + 2/16). The fraction is truncated; below 0 is `#NUM!`, below 1
/// `#DIV/0!`.
fn fn_dollar(args: &[Operand], ctx: &dyn Context, to_decimal: bool) -> Result<f64, ExcelError> {
    let dollar = toolpak_num(args, 0, ctx)?;
    let fraction = toolpak_num(args, 1, ctx)?.trunc();
    if fraction < 0.0 {
        return Err(ExcelError::Num);
    }
    if fraction < 1.0 {
        return Err(ExcelError::Div0);
    }
    let scale = 10f64.powf(fraction.log10().ceil());
    let whole = dollar.trunc();
    let part = dollar - whole;
    let converted = if to_decimal { part * scale / fraction } else { part * fraction / scale };
    finite(whole + converted)
}
