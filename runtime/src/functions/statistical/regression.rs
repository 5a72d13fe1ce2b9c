//! Least-squares regression: LINEST, LOGEST, TREND and GROWTH.
//!
//! The known y's are one row or one column; each known x variable is a
//! row or column of the same length (a single variable may share the y's
//! shape). The fit solves the normal equations; the statistics follow
//! Microsoft's LINEST reference.

use std::sync::Arc;

use crate::functions::math::args::Grid;
use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

type Matrix = Vec<Vec<f64>>;

/// The numbers of an argument as a matrix; anything else is `#VALUE!`.
fn numbers(arg: &Operand, ctx: &dyn Context) -> Result<Matrix, ExcelError> {
    let grid = Grid::of(arg)?;
    let (rows, cols) = grid.shape();
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| match grid.get(r, c, ctx) {
                    Value::Number(n) => Ok(n),
                    Value::Error(e) => Err(e),
                    _ => Err(ExcelError::Value),
                })
                .collect()
        })
        .collect()
}

/// The y values in order.
fn flatten(m: &Matrix) -> Vec<f64> {
    m.iter().flatten().copied().collect()
}

/// The x variables as observations (one `Vec` of k values per y), given
/// the y's shape; `None` for the default 1, 2, 3, ...
fn observations(y: &Matrix, x: Option<&Matrix>) -> Result<Matrix, ExcelError> {
    let n = y.len() * y.first().map_or(0, Vec::len);
    let Some(x) = x else {
        return Ok((1..=n).map(|i| vec![i as f64]).collect());
    };
    let (rows, cols) = (x.len(), x.first().map_or(0, Vec::len));
    // One variable in a row or a column of the y's length.
    if rows * cols == n && (rows == 1 || cols == 1) {
        return Ok(flatten(x).into_iter().map(|v| vec![v]).collect());
    }
    if y.first().map_or(0, Vec::len) == 1 && rows == n {
        return Ok(x.clone());
    }
    if y.len() == 1 && cols == n {
        return Ok((0..n).map(|i| x.iter().map(|r| r[i]).collect()).collect());
    }
    Err(ExcelError::Ref)
}

/// The inverse of a small symmetric matrix by Gauss-Jordan elimination
/// with partial pivoting; `None` when singular.
fn inverse(mut a: Matrix) -> Option<Matrix> {
    let n = a.len();
    let mut inv: Matrix =
        (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|p, q| a[*p][col].abs().total_cmp(&a[*q][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(pivot, col);
        inv.swap(pivot, col);
        let d = a[col][col];
        a[col].iter_mut().for_each(|v| *v /= d);
        inv[col].iter_mut().for_each(|v| *v /= d);
        for row in 0..n {
            if row != col {
                let f = a[row][col];
                let (pivot_a, pivot_inv) = (a[col].clone(), inv[col].clone());
                a[row].iter_mut().zip(&pivot_a).for_each(|(v, p)| *v -= f * p);
                inv[row].iter_mut().zip(&pivot_inv).for_each(|(v, p)| *v -= f * p);
            }
        }
    }
    Some(inv)
}

/// A fitted model: coefficients for the x variables in order, the
/// intercept, and what the statistics need.
struct Fit {
    slopes: Vec<f64>,
    intercept: f64,
    /// (XᵀX)⁻¹, the x columns first and the intercept last.
    cov: Matrix,
    n: usize,
}

fn fit(xs: &Matrix, y: &[f64], constant: bool) -> Result<Fit, ExcelError> {
    let k = xs.first().map_or(0, Vec::len);
    let row = |obs: &Vec<f64>| {
        let mut r = obs.clone();
        if constant {
            r.push(1.0);
        }
        r
    };
    let design: Matrix = xs.iter().map(row).collect();
    let p = design.first().map_or(0, Vec::len);
    let xtx: Matrix = (0..p)
        .map(|i| (0..p).map(|j| design.iter().map(|r| r[i] * r[j]).sum()).collect())
        .collect();
    let xty: Vec<f64> = (0..p).map(|i| design.iter().zip(y).map(|(r, y)| r[i] * y).sum()).collect();
    let cov = inverse(xtx).ok_or(ExcelError::Num)?;
    let beta: Vec<f64> = cov.iter().map(|r| r.iter().zip(&xty).map(|(a, b)| a * b).sum()).collect();
    let intercept = if constant { beta[k] } else { 0.0 };
    Ok(Fit { slopes: beta[..k].to_vec(), intercept, cov, n: y.len() })
}

impl Fit {
    fn predict(&self, obs: &[f64]) -> f64 {
        self.intercept + self.slopes.iter().zip(obs).map(|(m, x)| m * x).sum::<f64>()
    }
}

/// The arguments of LINEST and LOGEST, read: y's (logged for LOGEST),
/// observations, `const`, `stats`.
fn read(
    args: &[Operand],
    ctx: &dyn Context,
    log: bool,
) -> Result<(Vec<f64>, Matrix, bool, bool), ExcelError> {
    let y_matrix = numbers(args.first().ok_or(ExcelError::Value)?, ctx)?;
    let x_matrix = match args.get(1) {
        Some(Operand::Value(Value::Empty)) | None => None,
        Some(a) => Some(numbers(a, ctx)?),
    };
    let flag = |i: usize, default: bool| match args.get(i) {
        None | Some(Operand::Value(Value::Empty)) => Ok(default),
        Some(a) => a.to_scalar(ctx).to_bool(),
    };
    let (constant, stats) = (flag(2, true)?, flag(3, false)?);
    let xs = observations(&y_matrix, x_matrix.as_ref())?;
    let mut y = flatten(&y_matrix);
    if log {
        if y.iter().any(|v| *v <= 0.0) {
            return Err(ExcelError::Num);
        }
        y.iter_mut().for_each(|v| *v = v.ln());
    }
    Ok((y, xs, constant, stats))
}

fn array(rows: Vec<Vec<Value>>) -> Value {
    let (r, c) = (rows.len(), rows.first().map_or(0, Vec::len));
    match Array::new(r, c, rows.into_iter().flatten().collect()) {
        Some(a) => Value::Array(Arc::new(a)),
        None => Value::Error(ExcelError::Value),
    }
}

/// `LINEST(known_y's, [known_x's], [const], [stats])` and, with `log`,
/// `LOGEST`: the coefficients m_k ... m_1, b, and with `stats` four more
/// rows (standard errors; r² and se_y; F and the degrees of freedom; the
/// regression and residual sums of squares).
pub(crate) fn linest(args: &[Operand], ctx: &dyn Context, log: bool) -> Value {
    match linest_rows(args, ctx, log) {
        Ok(rows) => array(rows),
        Err(e) => Value::Error(e),
    }
}

fn linest_rows(
    args: &[Operand],
    ctx: &dyn Context,
    log: bool,
) -> Result<Vec<Vec<Value>>, ExcelError> {
    let (y, xs, constant, stats) = read(args, ctx, log)?;
    let fit = fit(&xs, &y, constant)?;
    let shown = |v: f64| Value::number(if log { v.exp() } else { v });
    let mut first: Vec<Value> = fit.slopes.iter().rev().map(|m| shown(*m)).collect();
    first.push(if log && !constant { Value::Number(1.0) } else { shown(fit.intercept) });
    if !stats {
        return Ok(vec![first]);
    }
    let k = fit.slopes.len();
    let p = k + usize::from(constant);
    let df = fit.n as f64 - p as f64;
    let ss_resid: f64 = xs.iter().zip(&y).map(|(o, y)| (y - fit.predict(o)).powi(2)).sum();
    let mean = if constant { y.iter().sum::<f64>() / y.len() as f64 } else { 0.0 };
    let ss_total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let ss_reg = ss_total - ss_resid;
    let se_y = if df > 0.0 { (ss_resid / df).sqrt() } else { f64::NAN };
    let se = |i: usize| Value::number((fit.cov[i][i] * se_y * se_y).sqrt());
    let mut errors: Vec<Value> = (0..k).rev().map(se).collect();
    errors.push(if constant { se(k) } else { Value::Error(ExcelError::NA) });
    let na = || Value::Error(ExcelError::NA);
    let pad = |mut row: Vec<Value>| {
        row.resize_with(k + 1, na);
        row
    };
    let f = (ss_reg / k as f64) / (ss_resid / df);
    Ok(vec![
        first,
        errors,
        pad(vec![Value::number(ss_reg / ss_total), Value::number(se_y)]),
        pad(vec![Value::number(f), Value::number(df)]),
        pad(vec![Value::number(ss_reg), Value::number(ss_resid)]),
    ])
}

/// `TREND(known_y's, [known_x's], [new_x's], [const])` and, with `log`,
/// `GROWTH`: the fitted values at the new x's (the known x's by default),
/// shaped like them.
pub(crate) fn trend(args: &[Operand], ctx: &dyn Context, log: bool) -> Value {
    let res = (|| {
        // The fit reads y's, x's and `const`, which TREND takes fourth.
        let read_args: Vec<Operand> = [args.first(), args.get(1), args.get(3)]
            .into_iter()
            .map(|a| a.cloned().unwrap_or(Operand::Value(Value::Empty)))
            .collect();
        let (y, xs, constant, _) = read(&read_args, ctx, log)?;
        let model = fit(&xs, &y, constant)?;
        let k = model.slopes.len();
        let new = match args.get(2) {
            None | Some(Operand::Value(Value::Empty)) => None,
            Some(a) => Some(numbers(a, ctx)?),
        };
        let (shape, points): ((usize, usize), Matrix) = match new {
            Some(m) if k == 1 => {
                let shape = (m.len(), m.first().map_or(0, Vec::len));
                (shape, flatten(&m).into_iter().map(|v| vec![v]).collect())
            }
            Some(m) if m.first().map_or(0, Vec::len) == k => ((m.len(), 1), m),
            Some(m) => {
                let cols = m.first().map_or(0, Vec::len);
                ((1, cols), (0..cols).map(|i| m.iter().map(|r| r[i]).collect()).collect())
            }
            None => {
                let y = numbers(&read_args[0], ctx)?;
                let y_shape = (y.len(), y.first().map_or(0, Vec::len));
                (if k == 1 { y_shape } else { (xs.len(), 1) }, xs.clone())
            }
        };
        let values: Vec<Value> = points
            .iter()
            .map(|o| model.predict(o))
            .map(|v| Value::number(if log { v.exp() } else { v }))
            .collect();
        let rows = values.chunks(shape.1.max(1)).map(<[Value]>::to_vec).collect();
        Ok(array(rows))
    })();
    res.unwrap_or_else(Value::Error)
}
