//! Statistical functions of data sets: percentiles and quartiles, ranks,
//! moments (DEVSQ, AVEDEV, SKEW, KURT), means (HARMEAN, GEOMEAN,
//! TRIMMEAN), paired statistics (COVARIANCE, CORREL, SLOPE...), PROB and
//! the hypothesis tests.
//!
//! Data arguments follow the aggregate rules of `math::args`: in references
//! and arrays only numbers count. Paired functions keep only the positions
//! where both arrays hold numbers.

use super::distributions as d;
use super::special::{beta_i, gamma_q, norm_cdf};
use crate::functions::math::args::{numbers, Grid, Rule};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

type Res = Result<f64, ExcelError>;

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn mean(values: &[f64]) -> Res {
    if values.is_empty() {
        return Err(ExcelError::Div0);
    }
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

/// The value at fractional 0-based `rank` of sorted `values`, interpolating.
fn interpolate(values: &[f64], rank: f64) -> f64 {
    let low = rank.floor() as usize;
    let frac = rank - rank.floor();
    match values.get(low + 1) {
        Some(next) if frac > 0.0 => values[low] + frac * (next - values[low]),
        _ => values[low],
    }
}

/// `PERCENTILE.INC(array, k)` and `PERCENTILE`: k outside [0, 1] or no
/// numbers is `#NUM!`.
pub(crate) fn percentile_inc(values: Vec<f64>, k: f64) -> Res {
    if values.is_empty() || !(0.0..=1.0).contains(&k) {
        return Err(ExcelError::Num);
    }
    let values = sorted(values);
    Ok(interpolate(&values, k * (values.len() - 1) as f64))
}

/// `PERCENTILE.EXC(array, k)`: the rank k(n+1) must fall within 1..=n.
pub(crate) fn percentile_exc(values: Vec<f64>, k: f64) -> Res {
    let n = values.len() as f64;
    let rank = k * (n + 1.0);
    if values.is_empty() || k <= 0.0 || k >= 1.0 || rank < 1.0 || rank > n {
        return Err(ExcelError::Num);
    }
    Ok(interpolate(&sorted(values), rank - 1.0))
}

/// `QUARTILE.INC(array, quart)` and `QUARTILE`: quart truncated, 0..=4.
pub(crate) fn quartile_inc(values: Vec<f64>, quart: f64) -> Res {
    let q = quart.trunc();
    if !(0.0..=4.0).contains(&q) {
        return Err(ExcelError::Num);
    }
    percentile_inc(values, q / 4.0)
}

/// `QUARTILE.EXC(array, quart)`: quart truncated, 1..=3.
pub(crate) fn quartile_exc(values: Vec<f64>, quart: f64) -> Res {
    let q = quart.trunc();
    if !(1.0..=3.0).contains(&q) {
        return Err(ExcelError::Num);
    }
    percentile_exc(values, q / 4.0)
}

/// `PERCENTRANK.INC(array, x, [significance])` (`exclusive` false) and
/// `PERCENTRANK.EXC`: the rank of x, interpolated between neighbours,
/// truncated to `significance` digits (3 by default, at least 1); x
/// outside the data is `#N/A`.
pub(crate) fn percent_rank(values: Vec<f64>, x: f64, significance: f64, exclusive: bool) -> Res {
    let digits = significance.trunc();
    if values.is_empty() || digits < 1.0 {
        return Err(ExcelError::Num);
    }
    let values = sorted(values);
    let n = values.len() as f64;
    let (first, last) = (values[0], values[values.len() - 1]);
    if x < first || x > last {
        return Err(ExcelError::NA);
    }
    let below = values.iter().filter(|v| **v < x).count();
    let rank = if values.contains(&x) || below == 0 {
        below as f64
    } else {
        let (lo, hi) = (values[below - 1], values[below]);
        (below - 1) as f64 + (x - lo) / (hi - lo)
    };
    let res = if exclusive {
        (rank + 1.0) / (n + 1.0)
    } else if n == 1.0 {
        1.0
    } else {
        rank / (n - 1.0)
    };
    let scale = 10f64.powf(digits);
    Ok(((res * scale) * (1.0 + 1e-13)).floor() / scale)
}

/// `RANK.AVG(number, ref, [order])`: ties share the mean of their ranks.
pub(crate) fn rank_avg(n: f64, values: &[f64], ascending: bool) -> Res {
    let equal = values.iter().filter(|v| **v == n).count();
    if equal == 0 {
        return Err(ExcelError::NA);
    }
    let before = values.iter().filter(|v| if ascending { **v < n } else { **v > n }).count();
    Ok(before as f64 + (equal as f64 + 1.0) / 2.0)
}

/// `TRIMMEAN(array, percent)`: the mean without the `percent` of points
/// at the ends, the count cut rounded down to an even number.
pub(crate) fn trimmean(values: Vec<f64>, percent: f64) -> Res {
    if !(0.0..1.0).contains(&percent) {
        return Err(ExcelError::Num);
    }
    let values = sorted(values);
    let cut = ((values.len() as f64 * percent / 2.0).floor()) as usize;
    mean(&values[cut..values.len() - cut])
}

/// `DEVSQ(number1, ...)`: the sum of squared deviations from the mean;
/// no numbers is `#NUM!`.
pub(crate) fn devsq(values: &[f64]) -> Res {
    let m = mean(values).map_err(|_| ExcelError::Num)?;
    Ok(values.iter().map(|x| (x - m) * (x - m)).sum())
}

/// `AVEDEV(number1, ...)`: the mean absolute deviation; none is `#NUM!`.
pub(crate) fn avedev(values: &[f64]) -> Res {
    let m = mean(values).map_err(|_| ExcelError::Num)?;
    Ok(values.iter().map(|x| (x - m).abs()).sum::<f64>() / values.len() as f64)
}

/// The sample standard deviation and mean; fewer than two values or no
/// spread is `#DIV/0!`.
fn spread(values: &[f64]) -> Result<(f64, f64), ExcelError> {
    let n = values.len() as f64;
    let m = mean(values)?;
    let s = (devsq(values)? / (n - 1.0)).sqrt();
    if n < 2.0 || s == 0.0 {
        return Err(ExcelError::Div0);
    }
    Ok((m, s))
}

/// `SKEW(number1, ...)`: the sample skewness; fewer than three values is `#DIV/0!`.
pub(crate) fn skew(values: &[f64]) -> Res {
    let n = values.len() as f64;
    if n < 3.0 {
        return Err(ExcelError::Div0);
    }
    let (m, s) = spread(values)?;
    let sum: f64 = values.iter().map(|x| ((x - m) / s).powi(3)).sum();
    Ok(n / ((n - 1.0) * (n - 2.0)) * sum)
}

/// `SKEW.P(number1, ...)`: the population skewness.
pub(crate) fn skew_p(values: &[f64]) -> Res {
    let n = values.len() as f64;
    let m = mean(values)?;
    let sd = (devsq(values)? / n).sqrt();
    if sd == 0.0 {
        return Err(ExcelError::Div0);
    }
    Ok(values.iter().map(|x| ((x - m) / sd).powi(3)).sum::<f64>() / n)
}

/// `KURT(number1, ...)`: the sample excess kurtosis; fewer than four
/// values is `#DIV/0!`.
pub(crate) fn kurt(values: &[f64]) -> Res {
    let n = values.len() as f64;
    if n < 4.0 {
        return Err(ExcelError::Div0);
    }
    let (m, s) = spread(values)?;
    let sum: f64 = values.iter().map(|x| ((x - m) / s).powi(4)).sum();
    let a = n * (n + 1.0) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
    let b = 3.0 * (n - 1.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    Ok(a * sum - b)
}

/// `HARMEAN(number1, ...)`: a value ≤ 0 or no values is `#NUM!`.
pub(crate) fn harmean(values: &[f64]) -> Res {
    if values.is_empty() || values.iter().any(|x| *x <= 0.0) {
        return Err(ExcelError::Num);
    }
    Ok(values.len() as f64 / values.iter().map(|x| 1.0 / x).sum::<f64>())
}

/// `GEOMEAN(number1, ...)`: a value ≤ 0 or no values is `#NUM!`.
pub(crate) fn geomean(values: &[f64]) -> Res {
    if values.is_empty() || values.iter().any(|x| *x <= 0.0) {
        return Err(ExcelError::Num);
    }
    let ln: f64 = values.iter().map(|x| x.ln()).sum();
    Ok((ln / values.len() as f64).exp())
}

/// The positions of two equally shaped arguments where both hold numbers;
/// different sizes are `#N/A`, an error in either is that error.
pub(crate) fn pairs(
    a: &Operand,
    b: &Operand,
    ctx: &dyn Context,
) -> Result<Vec<(f64, f64)>, ExcelError> {
    let (ga, gb) = (Grid::of(a)?, Grid::of(b)?);
    let (sa, sb) = (ga.shape(), gb.shape());
    if sa.0 * sa.1 != sb.0 * sb.1 {
        return Err(ExcelError::NA);
    }
    let mut out = Vec::new();
    for i in 0..sa.0 * sa.1 {
        let va = ga.get(i / sa.1, i % sa.1, ctx);
        let vb = gb.get(i / sb.1, i % sb.1, ctx);
        match (va, vb) {
            (Value::Error(e), _) | (_, Value::Error(e)) => return Err(e),
            (Value::Number(x), Value::Number(y)) => out.push((x, y)),
            _ => {}
        }
    }
    Ok(out)
}

/// Sums of deviation products of paired data: (n, Sxx, Syy, Sxy, mean x, mean y).
fn moments(pairs: &[(f64, f64)]) -> (f64, f64, f64, f64, f64, f64) {
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
        sxy += (x - mx) * (y - my);
    }
    (n, sxx, syy, sxy, mx, my)
}

/// The paired statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paired {
    CovarianceP,
    CovarianceS,
    Correl,
    Slope,
    Intercept,
    Rsq,
    Steyx,
}

/// A paired statistic of data given in Excel's argument order: (x, y) for
/// the covariances and correlations, (y, x) for `SLOPE(known_y's,
/// known_x's)`, `INTERCEPT` and `STEYX`. Too few points or no spread is
/// `#DIV/0!`.
pub(crate) fn paired(f: Paired, pairs: &[(f64, f64)]) -> Res {
    let div0 = Err(ExcelError::Div0);
    if pairs.is_empty() {
        return div0;
    }
    let y_first = matches!(f, Paired::Slope | Paired::Intercept | Paired::Steyx);
    let swapped: Vec<(f64, f64)>;
    let pairs = if y_first {
        swapped = pairs.iter().map(|(y, x)| (*x, *y)).collect();
        &swapped
    } else {
        pairs
    };
    let (n, sxx, syy, sxy, mx, my) = moments(pairs);
    match f {
        Paired::CovarianceP => Ok(sxy / n),
        Paired::CovarianceS if n < 2.0 => div0,
        Paired::CovarianceS => Ok(sxy / (n - 1.0)),
        Paired::Correl | Paired::Rsq if sxx == 0.0 || syy == 0.0 => div0,
        Paired::Correl => Ok(sxy / (sxx * syy).sqrt()),
        Paired::Rsq => Ok(sxy * sxy / (sxx * syy)),
        Paired::Slope | Paired::Intercept if sxx == 0.0 => div0,
        Paired::Slope => Ok(sxy / sxx),
        Paired::Intercept => Ok(my - sxy / sxx * mx),
        Paired::Steyx if n < 3.0 || sxx == 0.0 => div0,
        Paired::Steyx => Ok(((syy - sxy * sxy / sxx) / (n - 2.0)).max(0.0).sqrt()),
    }
}

/// `PROB(x_range, prob_range, lower_limit, [upper_limit])`: probabilities
/// outside [0, 1] or not adding up to 1 are `#NUM!`.
pub(crate) fn prob(pairs: &[(f64, f64)], lower: f64, upper: Option<f64>) -> Res {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() {
        return Err(ExcelError::Div0);
    }
    if pairs.iter().any(|p| !(0.0..=1.0).contains(&p.1)) || (total - 1.0).abs() > 1e-7 {
        return Err(ExcelError::Num);
    }
    let upper = upper.unwrap_or(lower);
    Ok(pairs.iter().filter(|p| p.0 >= lower && p.0 <= upper).map(|p| p.1).sum())
}

/// `T.TEST(array1, array2, tails, type)`: type 1 paired, 2 equal variance,
/// 3 unequal variance; tails 1 or 2.
pub(crate) fn t_test(a: &[f64], b: &[f64], pairs: &[(f64, f64)], tails: f64, kind: f64) -> Res {
    let (tails, kind) = (tails.trunc(), kind.trunc());
    if !(tails == 1.0 || tails == 2.0) || !(1.0..=3.0).contains(&kind) {
        return Err(ExcelError::Num);
    }
    let (t, df) = match kind as u8 {
        1 => {
            let diffs: Vec<f64> = pairs.iter().map(|p| p.0 - p.1).collect();
            let n = diffs.len() as f64;
            let (m, s) = spread(&diffs)?;
            (m / (s / n.sqrt()), n - 1.0)
        }
        2 => {
            let (na, nb) = (a.len() as f64, b.len() as f64);
            let pooled = (devsq(a)? + devsq(b)?) / (na + nb - 2.0);
            let t = (mean(a)? - mean(b)?) / (pooled * (1.0 / na + 1.0 / nb)).sqrt();
            (t, na + nb - 2.0)
        }
        _ => {
            let (na, nb) = (a.len() as f64, b.len() as f64);
            let (va, vb) = (devsq(a)? / (na - 1.0) / na, devsq(b)? / (nb - 1.0) / nb);
            let t = (mean(a)? - mean(b)?) / (va + vb).sqrt();
            let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
            (t, df)
        }
    };
    if !t.is_finite() || df < 1.0 {
        return Err(ExcelError::Div0);
    }
    let two = beta_i(df / (df + t * t), df / 2.0, 0.5);
    Ok(if tails == 1.0 { two / 2.0 } else { two })
}

/// `Z.TEST(array, x, [sigma])`: the one-tailed p-value of x against the
/// data's mean, with the sample deviation when sigma is omitted.
pub(crate) fn z_test(values: &[f64], x: f64, sigma: Option<f64>) -> Res {
    let n = values.len() as f64;
    let m = mean(values).map_err(|_| ExcelError::NA)?;
    let s = match sigma {
        Some(s) if s <= 0.0 => return Err(ExcelError::Num),
        Some(s) => s,
        None => spread(values)?.1,
    };
    Ok(1.0 - norm_cdf((m - x) / (s / n.sqrt())))
}

/// `F.TEST(array1, array2)`: the two-tailed probability that the variances
/// do not differ.
pub(crate) fn f_test(a: &[f64], b: &[f64]) -> Res {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if na < 2.0 || nb < 2.0 {
        return Err(ExcelError::Div0);
    }
    let (va, vb) = (devsq(a)? / (na - 1.0), devsq(b)? / (nb - 1.0));
    if va == 0.0 || vb == 0.0 {
        return Err(ExcelError::Div0);
    }
    let f = va / vb;
    let right = d::f_dist_rt(f, na - 1.0, nb - 1.0)?;
    Ok(2.0 * right.min(1.0 - right))
}

/// `CHISQ.TEST(actual_range, expected_range)`: the right tail of the
/// statistic Σ(a-e)²/e with (rows-1)(cols-1) degrees, or n-1 for one row
/// or column.
pub(crate) fn chisq_test(pairs: &[(f64, f64)], rows: u32, cols: u32) -> Res {
    if pairs.iter().any(|p| p.1 <= 0.0) {
        return Err(ExcelError::Num);
    }
    let stat: f64 = pairs.iter().map(|(a, e)| (a - e) * (a - e) / e).sum();
    let df = if rows == 1 || cols == 1 {
        f64::from(rows.max(cols)) - 1.0
    } else {
        f64::from(rows - 1) * f64::from(cols - 1)
    };
    if df < 1.0 {
        return Err(ExcelError::NA);
    }
    Ok(gamma_q(df / 2.0, stat / 2.0))
}

/// The numbers of one data argument.
pub(crate) fn data(
    arg: Option<&Operand>,
    ctx: &dyn Context,
    rule: Rule,
) -> Result<Vec<f64>, ExcelError> {
    numbers(arg.map(std::slice::from_ref).unwrap_or(&[]), ctx, rule)
}

/// A column of numbers as an array value.
fn column(values: Vec<f64>) -> Result<Value, ExcelError> {
    let n = values.len();
    let values = values.into_iter().map(Value::Number).collect();
    crate::value::Array::new(n, 1, values)
        .map(|a| Value::Array(std::sync::Arc::new(a)))
        .ok_or(ExcelError::NA)
}

/// `FREQUENCY(data_array, bins_array)`: a column with, for each bin in
/// the order given, how many data fall above the next lower bin and up to
/// it, and a last row for data above every bin.
pub(crate) fn frequency(data: &[f64], bins: &[f64]) -> Result<Value, ExcelError> {
    let mut order: Vec<usize> = (0..bins.len()).collect();
    order.sort_by(|a, b| bins[*a].total_cmp(&bins[*b]));
    let mut counts = vec![0.0; bins.len() + 1];
    for x in data {
        let slot = order.iter().find(|i| *x <= bins[**i]).copied().unwrap_or(bins.len());
        counts[slot] += 1.0;
    }
    column(counts)
}

/// `MODE.MULT(number1, ...)`: a column of the most frequent numbers in
/// order of first appearance; no repeated number is `#N/A`.
pub(crate) fn mode_mult(values: &[f64]) -> Result<Value, ExcelError> {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for x in values {
        match counts.iter_mut().find(|(v, _)| v == x) {
            Some(entry) => entry.1 += 1,
            None => counts.push((*x, 1)),
        }
    }
    let best = counts.iter().map(|c| c.1).max().unwrap_or(0);
    if best < 2 {
        return Err(ExcelError::NA);
    }
    column(counts.into_iter().filter(|c| c.1 == best).map(|c| c.0).collect())
}
