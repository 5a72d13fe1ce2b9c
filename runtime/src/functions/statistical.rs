//! Statistical functions: COUNT*, AVERAGE*, MIN/MAX(IFS), LARGE, SMALL and the rest.
//!
//! The plain functions count numbers only inside references and arrays and
//! parse direct arguments (see `functions::math::args`); the `A`
//! variants count text as 0 and booleans as 0/1 there. The conditional ones
//! share `conditional::Conditions`.

pub(crate) mod conditional;
pub(crate) mod data;
#[cfg(test)]
mod distribution_tests;
pub(crate) mod distributions;
mod regression;
pub mod scalar;
pub mod sets;
pub(crate) mod special;
#[cfg(test)]
mod tests;

use self::conditional::Conditions;
use crate::functions::math::args::{for_each_scalar, numbers, Origin, Rule};
use crate::functions::math::{number_arg, number_result, scalar_arg};
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatisticalFn {
    Min,
    Max,
    MinA,
    MaxA,
    MinIfs,
    MaxIfs,
    Count,
    CountA,
    CountBlank,
    CountIf,
    CountIfs,
    Average,
    AverageA,
    AverageIf,
    AverageIfs,
    Large,
    Small,
    Median,
    Mode,
    ModeSngl,
    Rank,
    RankEq,
    StDev,
    StDevS,
    StDevP,
    Var,
    VarS,
    VarP,
    /// A function of scalar numbers, mostly a distribution.
    Scalar(scalar::Named),
    /// A function of a data set (percentiles, moments, paired statistics, tests).
    Set(sets::Named),
}

const AGGREGATE: Signature = Signature::new(1, None, &[Param::Range]);
const IFS: Signature =
    Signature::new(3, None, &[Param::Range, Param::Range, Param::Scalar]).repeating(2);

impl StatisticalFn {
    /// Every function of this category.
    pub const ALL: &'static [StatisticalFn] = &[
        StatisticalFn::Min,
        StatisticalFn::Max,
        StatisticalFn::MinA,
        StatisticalFn::MaxA,
        StatisticalFn::MinIfs,
        StatisticalFn::MaxIfs,
        StatisticalFn::Count,
        StatisticalFn::CountA,
        StatisticalFn::CountBlank,
        StatisticalFn::CountIf,
        StatisticalFn::CountIfs,
        StatisticalFn::Average,
        StatisticalFn::AverageA,
        StatisticalFn::AverageIf,
        StatisticalFn::AverageIfs,
        StatisticalFn::Large,
        StatisticalFn::Small,
        StatisticalFn::Median,
        StatisticalFn::Mode,
        StatisticalFn::ModeSngl,
        StatisticalFn::Rank,
        StatisticalFn::RankEq,
        StatisticalFn::StDev,
        StatisticalFn::StDevS,
        StatisticalFn::StDevP,
        StatisticalFn::Var,
        StatisticalFn::VarS,
        StatisticalFn::VarP,
    ];

    /// Every function of this category, [`Self::ALL`] and the scalar ones.
    pub fn all() -> impl Iterator<Item = StatisticalFn> {
        let scalar = scalar::Named::all().map(StatisticalFn::Scalar);
        let sets = sets::Named::all().map(StatisticalFn::Set);
        Self::ALL.iter().copied().chain(scalar).chain(sets)
    }

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            StatisticalFn::Scalar(f) => f.name(),
            StatisticalFn::Set(f) => f.name(),
            StatisticalFn::Min => "MIN",
            StatisticalFn::Max => "MAX",
            StatisticalFn::MinA => "MINA",
            StatisticalFn::MaxA => "MAXA",
            StatisticalFn::MinIfs => "MINIFS",
            StatisticalFn::MaxIfs => "MAXIFS",
            StatisticalFn::Count => "COUNT",
            StatisticalFn::CountA => "COUNTA",
            StatisticalFn::CountBlank => "COUNTBLANK",
            StatisticalFn::CountIf => "COUNTIF",
            StatisticalFn::CountIfs => "COUNTIFS",
            StatisticalFn::Average => "AVERAGE",
            StatisticalFn::AverageA => "AVERAGEA",
            StatisticalFn::AverageIf => "AVERAGEIF",
            StatisticalFn::AverageIfs => "AVERAGEIFS",
            StatisticalFn::Large => "LARGE",
            StatisticalFn::Small => "SMALL",
            StatisticalFn::Median => "MEDIAN",
            StatisticalFn::Mode => "MODE",
            StatisticalFn::ModeSngl => "MODE.SNGL",
            StatisticalFn::Rank => "RANK",
            StatisticalFn::RankEq => "RANK.EQ",
            StatisticalFn::StDev => "STDEV",
            StatisticalFn::StDevS => "STDEV.S",
            StatisticalFn::StDevP => "STDEV.P",
            StatisticalFn::Var => "VAR",
            StatisticalFn::VarS => "VAR.S",
            StatisticalFn::VarP => "VAR.P",
        }
    }

    pub fn signature(self) -> Signature {
        use Param::{Range, Scalar};
        match self {
            StatisticalFn::Scalar(f) => f.signature(),
            StatisticalFn::Set(f) => f.signature(),
            StatisticalFn::MinIfs | StatisticalFn::MaxIfs | StatisticalFn::AverageIfs => IFS,
            StatisticalFn::CountIf => Signature::new(2, Some(2), &[Range, Scalar]),
            StatisticalFn::CountIfs => Signature::new(2, None, &[Range, Scalar]).repeating(2),
            StatisticalFn::AverageIf => Signature::new(2, Some(3), &[Range, Scalar, Range]),
            StatisticalFn::CountBlank => Signature::new(1, Some(1), &[Range]),
            StatisticalFn::Large | StatisticalFn::Small => {
                Signature::new(2, Some(2), &[Range, Scalar])
            }
            StatisticalFn::Rank | StatisticalFn::RankEq => {
                Signature::new(2, Some(3), &[Scalar, Range, Scalar])
            }
            StatisticalFn::Min | StatisticalFn::Max | StatisticalFn::MinA | StatisticalFn::MaxA => {
                AGGREGATE
            }
            StatisticalFn::Count | StatisticalFn::CountA => AGGREGATE,
            StatisticalFn::Average | StatisticalFn::AverageA | StatisticalFn::Median => AGGREGATE,
            StatisticalFn::Mode | StatisticalFn::ModeSngl => AGGREGATE,
            StatisticalFn::StDev | StatisticalFn::StDevS | StatisticalFn::StDevP => AGGREGATE,
            StatisticalFn::Var | StatisticalFn::VarS | StatisticalFn::VarP => AGGREGATE,
        }
    }
}

pub(crate) fn call(f: StatisticalFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        StatisticalFn::Scalar(f) => scalar::call(f, args, ctx),
        StatisticalFn::Set(f) => sets::call(f, args, ctx),
        StatisticalFn::Min => fn_min(args, ctx),
        StatisticalFn::Max => fn_max(args, ctx),
        StatisticalFn::MinA => fn_mina(args, ctx),
        StatisticalFn::MaxA => fn_maxa(args, ctx),
        StatisticalFn::MinIfs => fn_minifs(args, ctx),
        StatisticalFn::MaxIfs => fn_maxifs(args, ctx),
        StatisticalFn::Count => fn_count(args, ctx),
        StatisticalFn::CountA => fn_counta(args, ctx),
        StatisticalFn::CountBlank => fn_countblank(args, ctx),
        StatisticalFn::CountIf => fn_countif(args, ctx),
        StatisticalFn::CountIfs => fn_countifs(args, ctx),
        StatisticalFn::Average => fn_average(args, ctx),
        StatisticalFn::AverageA => fn_averagea(args, ctx),
        StatisticalFn::AverageIf => fn_averageif(args, ctx),
        StatisticalFn::AverageIfs => fn_averageifs(args, ctx),
        StatisticalFn::Large => fn_large(args, ctx),
        StatisticalFn::Small => fn_small(args, ctx),
        StatisticalFn::Median => fn_median(args, ctx),
        StatisticalFn::Mode | StatisticalFn::ModeSngl => fn_mode_sngl(args, ctx),
        StatisticalFn::Rank | StatisticalFn::RankEq => fn_rank_eq(args, ctx),
        StatisticalFn::StDev | StatisticalFn::StDevS => fn_stdev_s(args, ctx),
        StatisticalFn::StDevP => fn_stdev_p(args, ctx),
        StatisticalFn::Var | StatisticalFn::VarS => fn_var_s(args, ctx),
        StatisticalFn::VarP => fn_var_p(args, ctx),
    }
}

/// The smallest or largest of `values`, 0 when there are none.
fn extreme(values: Vec<f64>, largest: bool) -> f64 {
    let pick = if largest { f64::max } else { f64::min };
    values.into_iter().reduce(pick).unwrap_or(0.0)
}

/// `MIN(number1, ...)`: the smallest number (references count numbers only,
/// direct text is parsed, direct booleans count); no numbers give 0.
fn fn_min(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::Plain).map(|v| extreme(v, false)))
}

/// `MAX(number1, ...)`: the largest number, with `MIN`'s rules.
fn fn_max(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::Plain).map(|v| extreme(v, true)))
}

/// `MINA(value1, ...)`: like `MIN`, but text in references counts as 0 and
/// booleans as 0/1.
fn fn_mina(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::All).map(|v| extreme(v, false)))
}

/// `MAXA(value1, ...)`: like `MAX`, counting text as 0 and booleans as 0/1.
fn fn_maxa(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::All).map(|v| extreme(v, true)))
}

/// `MINIFS(min_range, criteria_range1, criteria1, ...)`: the smallest number
/// where every criterion holds, 0 when none does.
fn fn_minifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    let values = Conditions::target_first(args, ctx).and_then(|c| c.numbers(ctx));
    number_result(values.map(|v| extreme(v, false)))
}

/// `MAXIFS(max_range, criteria_range1, criteria1, ...)`: the largest number
/// where every criterion holds, 0 when none does.
fn fn_maxifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    let values = Conditions::target_first(args, ctx).and_then(|c| c.numbers(ctx));
    number_result(values.map(|v| extreme(v, true)))
}

/// `COUNT(value1, ...)`: how many numbers. In references and arrays only
/// numbers count; direct numbers, booleans and numeric text count too.
/// Errors are not counted and do not propagate.
fn fn_count(args: &[Operand], ctx: &dyn Context) -> Operand {
    let mut count = 0u64;
    for arg in args {
        for_each_scalar(arg, ctx, |v, origin| {
            let counted = match (v, origin) {
                (Value::Number(_), _) => true,
                (Value::Bool(_), Origin::Direct) => true,
                (Value::Text(_), Origin::Direct) => v.to_number().is_ok(),
                _ => false,
            };
            count += u64::from(counted);
        });
    }
    Operand::Value(Value::Number(count as f64))
}

/// `COUNTA(value1, ...)`: how many values are not empty; errors and `""`
/// count. A direct argument always counts, even an omitted one.
fn fn_counta(args: &[Operand], ctx: &dyn Context) -> Operand {
    let mut count = 0u64;
    for arg in args {
        for_each_scalar(arg, ctx, |v, origin| {
            count += u64::from(origin == Origin::Direct || !v.is_empty());
        });
    }
    Operand::Value(Value::Number(count as f64))
}

/// `COUNTBLANK(range)`: empty cells and cells holding `""`, including the
/// empty rows of a whole column past the used extent.
fn fn_countblank(args: &[Operand], ctx: &dyn Context) -> Operand {
    let (mut blank, mut skipped) = (0u64, 0u64);
    for arg in args {
        skipped += for_each_scalar(arg, ctx, |v, _| {
            let is_blank = match v {
                Value::Empty => true,
                Value::Text(t) => t.is_empty(),
                _ => false,
            };
            blank += u64::from(is_blank);
        });
    }
    Operand::Value(Value::Number((blank + skipped) as f64))
}

/// `COUNTIF(range, criteria)`: how many cells meet the criterion (see
/// [`crate::criteria`]); `COUNTIF(A:A,"")` counts the empty rows past the
/// used extent too.
fn fn_countif(args: &[Operand], ctx: &dyn Context) -> Operand {
    count_conditions(Conditions::pairs(args, ctx), ctx)
}

/// `COUNTIFS(criteria_range1, criteria1, ...)`: how many positions meet
/// every criterion; ranges of different shapes are `#VALUE!`.
fn fn_countifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    count_conditions(Conditions::pairs(args, ctx), ctx)
}

fn count_conditions(conditions: Result<Conditions<'_>, ExcelError>, ctx: &dyn Context) -> Operand {
    number_result(conditions.map(|c| c.count(ctx) as f64))
}

fn mean(values: &[f64]) -> Result<f64, ExcelError> {
    if values.is_empty() {
        return Err(ExcelError::Div0);
    }
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

/// `AVERAGE(number1, ...)`: the mean with `SUM`'s rules; no numbers is `#DIV/0!`.
fn fn_average(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::Plain).and_then(|v| mean(&v)))
}

/// `AVERAGEA(value1, ...)`: the mean counting text in references as 0 and
/// booleans as 0/1; empty cells are skipped.
fn fn_averagea(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::All).and_then(|v| mean(&v)))
}

/// `AVERAGEIF(range, criteria, [average_range])`: the mean of the numbers
/// where the criterion holds (`average_range` read from its top-left with
/// `range`'s shape); none is `#DIV/0!`.
fn fn_averageif(args: &[Operand], ctx: &dyn Context) -> Operand {
    let values = Conditions::single(args, ctx).and_then(|c| c.numbers(ctx));
    number_result(values.and_then(|v| mean(&v)))
}

/// `AVERAGEIFS(average_range, criteria_range1, criteria1, ...)`: the mean
/// where every criterion holds; none is `#DIV/0!`.
fn fn_averageifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    let values = Conditions::target_first(args, ctx).and_then(|c| c.numbers(ctx));
    number_result(values.and_then(|v| mean(&v)))
}

/// The `k`-th largest or smallest number of the first argument. A
/// fractional `k` is rounded up for `LARGE` and down for `SMALL`, as Excel
/// does (`LARGE({2,4,6},1.5)` is 4, `SMALL({2,4,6},1.5)` is 2); outside
/// `1..=count` it is `#NUM!`.
fn kth(args: &[Operand], ctx: &dyn Context, largest: bool) -> Result<f64, ExcelError> {
    let mut values = numbers(args.get(..1).unwrap_or(&[]), ctx, Rule::Plain)?;
    let k = scalar_arg(args, 1, ctx).to_number()?;
    let k = if largest { k.ceil() } else { k.floor() };
    if k < 1.0 || k > values.len() as f64 {
        return Err(ExcelError::Num);
    }
    values.sort_by(f64::total_cmp);
    if largest {
        values.reverse();
    }
    Ok(values[k as usize - 1])
}

/// `LARGE(array, k)`: the k-th largest number (k rounded up); k outside
/// 1..=count is `#NUM!`.
fn fn_large(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(kth(args, ctx, true))
}

/// `SMALL(array, k)`: the k-th smallest number (k rounded down); k outside
/// 1..=count is `#NUM!`.
fn fn_small(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(kth(args, ctx, false))
}

/// `MEDIAN(number1, ...)`: the middle number, the mean of the two middle
/// ones for an even count; no numbers is `#NUM!`.
fn fn_median(args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = numbers(args, ctx, Rule::Plain).and_then(|mut values| {
        if values.is_empty() {
            return Err(ExcelError::Num);
        }
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        Ok(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
    });
    number_result(res)
}

/// `MODE.SNGL(number1, ...)` and `MODE`: the most frequent number, the
/// first to appear among equally frequent ones; no repeated number is `#N/A`.
fn fn_mode_sngl(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(numbers(args, ctx, Rule::Plain).and_then(|values| mode(&values)))
}

/// The mode of `values`, in O(n log n): equal values are grouped by sorting
/// (value, first position) pairs, and the largest group wins, the earliest
/// first position breaking ties.
fn mode(values: &[f64]) -> Result<f64, ExcelError> {
    let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut best: Option<(usize, usize, f64)> = None;
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let (value, first) = group[0];
        let better = best.is_none_or(|(count, at, _)| {
            group.len() > count || (group.len() == count && first < at)
        });
        if group.len() > 1 && better {
            best = Some((group.len(), first, value));
        }
    }
    best.map(|(_, _, value)| value).ok_or(ExcelError::NA)
}

/// `RANK.EQ(number, ref, [order])` and `RANK`: the position of `number`
/// among the numbers of `ref`, descending unless `order` is non-zero; ties
/// share the best rank; a number not in `ref` is `#N/A`.
fn fn_rank_eq(args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = (|| {
        let n = scalar_arg(args, 0, ctx).to_number()?;
        let values = numbers(args.get(1..2).unwrap_or(&[]), ctx, Rule::Plain)?;
        let ascending = number_arg(args, 2, 0.0, ctx)? != 0.0;
        if !values.contains(&n) {
            return Err(ExcelError::NA);
        }
        let before = values.iter().filter(|x| if ascending { **x < n } else { **x > n }).count();
        Ok(before as f64 + 1.0)
    })();
    number_result(res)
}

/// The variance of `values`, dividing by `n - 1` (sample) or `n`
/// (population); too few values is `#DIV/0!`. Two passes keep the
/// precision that the one-pass formula loses on large, close values.
fn variance(values: &[f64], sample: bool) -> Result<f64, ExcelError> {
    let n = values.len() as f64;
    let dof = if sample { n - 1.0 } else { n };
    if dof < 1.0 {
        return Err(ExcelError::Div0);
    }
    let mean = mean(values)?;
    Ok(values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / dof)
}

fn dispersion(args: &[Operand], ctx: &dyn Context, sample: bool, root: bool) -> Operand {
    let res = numbers(args, ctx, Rule::Plain).and_then(|v| variance(&v, sample));
    number_result(res.map(|var| if root { var.sqrt() } else { var }))
}

/// `STDEV.S(number1, ...)` and `STDEV`: the sample standard deviation;
/// fewer than two numbers is `#DIV/0!`.
fn fn_stdev_s(args: &[Operand], ctx: &dyn Context) -> Operand {
    dispersion(args, ctx, true, true)
}

/// `STDEV.P(number1, ...)`: the population standard deviation; no numbers
/// is `#DIV/0!`.
fn fn_stdev_p(args: &[Operand], ctx: &dyn Context) -> Operand {
    dispersion(args, ctx, false, true)
}

/// `VAR.S(number1, ...)` and `VAR`: the sample variance; fewer than two
/// numbers is `#DIV/0!`.
fn fn_var_s(args: &[Operand], ctx: &dyn Context) -> Operand {
    dispersion(args, ctx, true, false)
}

/// `VAR.P(number1, ...)`: the population variance; no numbers is `#DIV/0!`.
fn fn_var_p(args: &[Operand], ctx: &dyn Context) -> Operand {
    dispersion(args, ctx, false, false)
}
