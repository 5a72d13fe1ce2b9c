//! Matrix functions: MMULT, MUNIT, MDETERM and MINVERSE. Results that are
//! matrices are `Value::Array`s.

use std::sync::Arc;

use crate::functions::math::args::Grid;
use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

/// A matrix of numbers, row by row.
type Matrix = Vec<Vec<f64>>;

/// The numbers of an argument as a matrix; an empty cell, text or a
/// boolean is `#VALUE!`, an error is itself.
fn matrix(arg: Option<&Operand>, ctx: &dyn Context) -> Result<Matrix, ExcelError> {
    let grid = Grid::of(arg.ok_or(ExcelError::Value)?)?;
    let (rows, cols) = grid.shape();
    let mut out = Vec::with_capacity(rows as usize);
    for r in 0..rows {
        let mut row = Vec::with_capacity(cols as usize);
        for c in 0..cols {
            match grid.get(r, c, ctx) {
                Value::Number(n) => row.push(n),
                Value::Error(e) => return Err(e),
                _ => return Err(ExcelError::Value),
            }
        }
        out.push(row);
    }
    Ok(out)
}

fn to_value(m: Matrix) -> Result<Value, ExcelError> {
    let rows = m.len();
    let cols = m.first().map_or(0, Vec::len);
    let values = m.into_iter().flatten().map(Value::number).collect();
    Array::new(rows, cols, values).map(|a| Value::Array(Arc::new(a))).ok_or(ExcelError::Value)
}

/// `MMULT(array1, array2)`: the matrix product; the columns of `array1`
/// must match the rows of `array2` (`#VALUE!` otherwise).
pub(crate) fn mmult(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let (a, b) = (matrix(args.first(), ctx)?, matrix(args.get(1), ctx)?);
    let inner = a.first().map_or(0, Vec::len);
    if inner != b.len() {
        return Err(ExcelError::Value);
    }
    let cols = b.first().map_or(0, Vec::len);
    let product = a
        .iter()
        .map(|row| (0..cols).map(|j| (0..inner).map(|k| row[k] * b[k][j]).sum()).collect())
        .collect();
    to_value(product)
}

/// `MUNIT(dimension)`: the identity matrix; a dimension below 1 is `#VALUE!`.
///
/// FIXME: dimensions above 1024 are `#NUM!` so that one formula cannot
/// allocate gigabytes; Excel builds them up to its sheet size.
pub(crate) fn munit(n: f64) -> Result<Value, ExcelError> {
    let n = n.trunc();
    if n > 1024.0 {
        return Err(ExcelError::Num);
    }
    if n < 1.0 {
        return Err(ExcelError::Value);
    }
    let n = n as usize;
    to_value((0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect())
}

fn square(args: &[Operand], ctx: &dyn Context) -> Result<Matrix, ExcelError> {
    let m = matrix(args.first(), ctx)?;
    if m.iter().any(|row| row.len() != m.len()) {
        return Err(ExcelError::Value);
    }
    Ok(m)
}

/// LU decomposition with partial pivoting, in place: returns the row
/// permutation's sign, or `None` for a singular matrix.
fn decompose(m: &mut Matrix, perm: &mut [usize]) -> Option<f64> {
    let n = m.len();
    let mut sign = 1.0;
    for col in 0..n {
        let pivot = (col..n).max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))?;
        if m[pivot][col] == 0.0 {
            return None;
        }
        if pivot != col {
            m.swap(pivot, col);
            perm.swap(pivot, col);
            sign = -sign;
        }
        let (upper, lower) = m.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for row in lower.iter_mut() {
            let factor = row[col] / pivot_row[col];
            row[col] = factor;
            for (cell, above) in row.iter_mut().zip(pivot_row).skip(col + 1) {
                *cell -= factor * above;
            }
        }
    }
    Some(sign)
}

/// `MDETERM(array)`: the determinant of a square matrix of numbers.
pub(crate) fn mdeterm(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let mut m = square(args, ctx)?;
    let mut perm: Vec<usize> = (0..m.len()).collect();
    match decompose(&mut m, &mut perm) {
        None => Ok(0.0),
        Some(sign) => Ok(sign * (0..m.len()).map(|i| m[i][i]).product::<f64>()),
    }
}

/// `MINVERSE(array)`: the inverse of a square matrix; a singular one is `#NUM!`.
pub(crate) fn minverse(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let mut m = square(args, ctx)?;
    let n = m.len();
    let mut perm: Vec<usize> = (0..n).collect();
    decompose(&mut m, &mut perm).ok_or(ExcelError::Num)?;
    let columns: Vec<Vec<f64>> = (0..n).map(|col| solve(&m, &perm, col)).collect();
    to_value((0..n).map(|row| columns.iter().map(|c| c[row]).collect()).collect())
}

/// Column `col` of the inverse: solves L·U·x = P·e_col by forward then
/// backward substitution on the packed decomposition `lu`.
fn solve(lu: &Matrix, perm: &[usize], col: usize) -> Vec<f64> {
    let n = lu.len();
    let mut x: Vec<f64> = perm.iter().map(|&p| if p == col { 1.0 } else { 0.0 }).collect();
    for i in 0..n {
        let dot: f64 = lu[i][..i].iter().zip(&x[..i]).map(|(a, b)| a * b).sum();
        x[i] -= dot;
    }
    for i in (0..n).rev() {
        let dot: f64 = lu[i][i + 1..].iter().zip(&x[i + 1..]).map(|(a, b)| a * b).sum();
        x[i] = (x[i] - dot) / lu[i][i];
    }
    x
}
