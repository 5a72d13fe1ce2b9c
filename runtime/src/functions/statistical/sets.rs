//! The statistical functions of data sets: names, arities and dispatch
//! for the functions in `data`.

use super::data::{self, Paired};
use super::regression;
use crate::coerce::arg;
use crate::functions::math::args::{Grid, Rule};
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The statistical functions of data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetFn {
    PercentileInc,
    PercentileExc,
    QuartileInc,
    QuartileExc,
    PercentRankInc,
    PercentRankExc,
    RankAvg,
    TrimMean,
    DevSq,
    AveDev,
    Skew,
    SkewP,
    Kurt,
    HarMean,
    GeoMean,
    VarA,
    VarPA,
    StDevA,
    StDevPA,
    Paired(Paired),
    Forecast,
    Prob,
    TTest,
    ZTest,
    FTest,
    ChisqTest,
    Frequency,
    ModeMult,
    Linest,
    Logest,
    Trend,
    Growth,
}

use Param::{Range, Scalar};

const DATA_K: Signature = Signature::new(2, Some(2), &[Range, Scalar]);
const AGGREGATE: Signature = Signature::new(1, None, &[Range]);
const TWO_RANGES: Signature = Signature::new(2, Some(2), &[Range, Range]);

/// Every function with its name and signature.
const TABLE: &[(SetFn, &str, Signature)] = &[
    (SetFn::PercentileInc, "PERCENTILE.INC", DATA_K),
    (SetFn::PercentileInc, "PERCENTILE", DATA_K),
    (SetFn::PercentileExc, "PERCENTILE.EXC", DATA_K),
    (SetFn::QuartileInc, "QUARTILE.INC", DATA_K),
    (SetFn::QuartileInc, "QUARTILE", DATA_K),
    (SetFn::QuartileExc, "QUARTILE.EXC", DATA_K),
    (SetFn::PercentRankInc, "PERCENTRANK.INC", Signature::new(2, Some(3), &[Range, Scalar])),
    (SetFn::PercentRankInc, "PERCENTRANK", Signature::new(2, Some(3), &[Range, Scalar])),
    (SetFn::PercentRankExc, "PERCENTRANK.EXC", Signature::new(2, Some(3), &[Range, Scalar])),
    (SetFn::RankAvg, "RANK.AVG", Signature::new(2, Some(3), &[Scalar, Range, Scalar])),
    (SetFn::TrimMean, "TRIMMEAN", DATA_K),
    (SetFn::DevSq, "DEVSQ", AGGREGATE),
    (SetFn::AveDev, "AVEDEV", AGGREGATE),
    (SetFn::Skew, "SKEW", AGGREGATE),
    (SetFn::SkewP, "SKEW.P", AGGREGATE),
    (SetFn::Kurt, "KURT", AGGREGATE),
    (SetFn::HarMean, "HARMEAN", AGGREGATE),
    (SetFn::GeoMean, "GEOMEAN", AGGREGATE),
    (SetFn::VarA, "VARA", AGGREGATE),
    (SetFn::VarPA, "VARPA", AGGREGATE),
    (SetFn::StDevA, "STDEVA", AGGREGATE),
    (SetFn::StDevPA, "STDEVPA", AGGREGATE),
    (SetFn::Paired(Paired::CovarianceP), "COVARIANCE.P", TWO_RANGES),
    (SetFn::Paired(Paired::CovarianceP), "COVAR", TWO_RANGES),
    (SetFn::Paired(Paired::CovarianceS), "COVARIANCE.S", TWO_RANGES),
    (SetFn::Paired(Paired::Correl), "CORREL", TWO_RANGES),
    (SetFn::Paired(Paired::Correl), "PEARSON", TWO_RANGES),
    (SetFn::Paired(Paired::Slope), "SLOPE", TWO_RANGES),
    (SetFn::Paired(Paired::Intercept), "INTERCEPT", TWO_RANGES),
    (SetFn::Paired(Paired::Rsq), "RSQ", TWO_RANGES),
    (SetFn::Paired(Paired::Steyx), "STEYX", TWO_RANGES),
    (SetFn::Forecast, "FORECAST", Signature::new(3, Some(3), &[Scalar, Range, Range])),
    (SetFn::Forecast, "FORECAST.LINEAR", Signature::new(3, Some(3), &[Scalar, Range, Range])),
    (SetFn::Prob, "PROB", Signature::new(3, Some(4), &[Range, Range, Scalar])),
    (SetFn::TTest, "T.TEST", Signature::new(4, Some(4), &[Range, Range, Scalar])),
    (SetFn::TTest, "TTEST", Signature::new(4, Some(4), &[Range, Range, Scalar])),
    (SetFn::ZTest, "Z.TEST", Signature::new(2, Some(3), &[Range, Scalar])),
    (SetFn::ZTest, "ZTEST", Signature::new(2, Some(3), &[Range, Scalar])),
    (SetFn::FTest, "F.TEST", TWO_RANGES),
    (SetFn::FTest, "FTEST", TWO_RANGES),
    (SetFn::ChisqTest, "CHISQ.TEST", TWO_RANGES),
    (SetFn::ChisqTest, "CHITEST", TWO_RANGES),
    (SetFn::Frequency, "FREQUENCY", Signature::new(2, Some(2), &[Param::Array, Param::Array])),
    (SetFn::ModeMult, "MODE.MULT", AGGREGATE),
    (SetFn::Linest, "LINEST", FIT),
    (SetFn::Logest, "LOGEST", FIT),
    (SetFn::Trend, "TREND", PREDICT),
    (SetFn::Growth, "GROWTH", PREDICT),
];

const FIT: Signature = Signature::new(1, Some(4), &[Param::Array, Param::Array, Scalar]);
const PREDICT: Signature =
    Signature::new(1, Some(4), &[Param::Array, Param::Array, Param::Array, Scalar]);

/// A function listed under two names (`PEARSON` and `CORREL`) appears once
/// per name, so each is found by name; `name()` gives the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Named {
    pub(crate) f: SetFn,
    pub(crate) index: usize,
}

impl Named {
    /// Every function of this group, one entry per name.
    pub fn all() -> impl Iterator<Item = Named> {
        TABLE.iter().enumerate().map(|(index, row)| Named { f: row.0, index })
    }

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        TABLE.get(self.index).map_or("", |row| row.1)
    }

    pub fn signature(self) -> Signature {
        TABLE.get(self.index).map_or(AGGREGATE, |row| row.2)
    }
}

fn values(args: &[Operand], i: usize, ctx: &dyn Context) -> Result<Vec<f64>, ExcelError> {
    data::data(args.get(i), ctx, Rule::Plain)
}

fn number(args: &[Operand], i: usize, ctx: &dyn Context) -> Result<f64, ExcelError> {
    arg(args, i, ctx).to_number()
}

fn optional(args: &[Operand], i: usize, ctx: &dyn Context) -> Result<Option<f64>, ExcelError> {
    match args.get(i) {
        None => Ok(None),
        Some(_) => number(args, i, ctx).map(Some),
    }
}

fn all_values(args: &[Operand], ctx: &dyn Context, rule: Rule) -> Result<Vec<f64>, ExcelError> {
    crate::functions::math::args::numbers(args, ctx, rule)
}

fn pairs(args: &[Operand], ctx: &dyn Context, first: usize) -> Result<Vec<(f64, f64)>, ExcelError> {
    match (args.get(first), args.get(first + 1)) {
        (Some(a), Some(b)) => data::pairs(a, b, ctx),
        _ => Err(ExcelError::Value),
    }
}

pub(crate) fn call(f: Named, args: &[Operand], ctx: &dyn Context) -> Operand {
    let array = match f.f {
        SetFn::Frequency => {
            Some(values(args, 0, ctx).and_then(|d| data::frequency(&d, &values(args, 1, ctx)?)))
        }
        SetFn::ModeMult => {
            Some(all_values(args, ctx, Rule::Plain).and_then(|v| data::mode_mult(&v)))
        }
        SetFn::Linest => Some(Ok(regression::linest(args, ctx, false))),
        SetFn::Logest => Some(Ok(regression::linest(args, ctx, true))),
        SetFn::Trend => Some(Ok(regression::trend(args, ctx, false))),
        SetFn::Growth => Some(Ok(regression::trend(args, ctx, true))),
        _ => None,
    };
    if let Some(res) = array {
        return Operand::Value(res.unwrap_or_else(Value::Error));
    }
    let res = evaluate(f.f, args, ctx);
    Operand::Value(res.map(Value::number).unwrap_or_else(Value::Error))
}

// One arm per function keeps each function's argument reading in view;
// the match is long but flat.
fn evaluate(f: SetFn, args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let all = |rule| all_values(args, ctx, rule);
    match f {
        SetFn::PercentileInc => data::percentile_inc(values(args, 0, ctx)?, number(args, 1, ctx)?),
        SetFn::PercentileExc => data::percentile_exc(values(args, 0, ctx)?, number(args, 1, ctx)?),
        SetFn::QuartileInc => data::quartile_inc(values(args, 0, ctx)?, number(args, 1, ctx)?),
        SetFn::QuartileExc => data::quartile_exc(values(args, 0, ctx)?, number(args, 1, ctx)?),
        SetFn::PercentRankInc | SetFn::PercentRankExc => {
            let significance = optional(args, 2, ctx)?.unwrap_or(3.0);
            let exclusive = f == SetFn::PercentRankExc;
            data::percent_rank(
                values(args, 0, ctx)?,
                number(args, 1, ctx)?,
                significance,
                exclusive,
            )
        }
        SetFn::RankAvg => {
            let ascending = optional(args, 2, ctx)?.unwrap_or(0.0) != 0.0;
            data::rank_avg(number(args, 0, ctx)?, &values(args, 1, ctx)?, ascending)
        }
        SetFn::TrimMean => data::trimmean(values(args, 0, ctx)?, number(args, 1, ctx)?),
        SetFn::DevSq => data::devsq(&all(Rule::Plain)?),
        SetFn::AveDev => data::avedev(&all(Rule::Plain)?),
        SetFn::Skew => data::skew(&all(Rule::Plain)?),
        SetFn::SkewP => data::skew_p(&all(Rule::Plain)?),
        SetFn::Kurt => data::kurt(&all(Rule::Plain)?),
        SetFn::HarMean => data::harmean(&all(Rule::Plain)?),
        SetFn::GeoMean => data::geomean(&all(Rule::Plain)?),
        SetFn::VarA => variance(&all(Rule::All)?, true),
        SetFn::VarPA => variance(&all(Rule::All)?, false),
        SetFn::StDevA => variance(&all(Rule::All)?, true).map(f64::sqrt),
        SetFn::StDevPA => variance(&all(Rule::All)?, false).map(f64::sqrt),
        SetFn::Paired(p) => data::paired(p, &pairs(args, ctx, 0)?),
        SetFn::Forecast => {
            let x = number(args, 0, ctx)?;
            let pairs = pairs(args, ctx, 1)?;
            let slope = data::paired(Paired::Slope, &pairs)?;
            Ok(data::paired(Paired::Intercept, &pairs)? + slope * x)
        }
        SetFn::Prob => {
            data::prob(&pairs(args, ctx, 0)?, number(args, 2, ctx)?, optional(args, 3, ctx)?)
        }
        SetFn::TTest => {
            let (a, b) = (values(args, 0, ctx)?, values(args, 1, ctx)?);
            let paired = pairs(args, ctx, 0);
            let kind = number(args, 3, ctx)?;
            let paired = if kind.trunc() == 1.0 { paired? } else { Vec::new() };
            data::t_test(&a, &b, &paired, number(args, 2, ctx)?, kind)
        }
        SetFn::ZTest => {
            data::z_test(&values(args, 0, ctx)?, number(args, 1, ctx)?, optional(args, 2, ctx)?)
        }
        SetFn::FTest => data::f_test(&values(args, 0, ctx)?, &values(args, 1, ctx)?),
        SetFn::Frequency | SetFn::ModeMult => Err(ExcelError::Value),
        SetFn::Linest | SetFn::Logest | SetFn::Trend | SetFn::Growth => Err(ExcelError::Value),
        SetFn::ChisqTest => {
            let shape = args.first().map(Grid::of).transpose()?.map_or((0, 0), |g| g.shape());
            data::chisq_test(&pairs(args, ctx, 0)?, shape.0, shape.1)
        }
    }
}

/// The sample or population variance; too few values is `#DIV/0!`.
fn variance(values: &[f64], sample: bool) -> Result<f64, ExcelError> {
    let n = values.len() as f64;
    let dof = if sample { n - 1.0 } else { n };
    if dof < 1.0 {
        return Err(ExcelError::Div0);
    }
    Ok(data::devsq(values)? / dof)
}
