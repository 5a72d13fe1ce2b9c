//! Database functions: DSUM, DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN,
//! DPRODUCT, DSTDEV, DSTDEVP, DVAR and DVARP.
//!
//! A database is a range whose first row holds the column labels and whose
//! other rows are records. The criteria range has labels in its first row
//! and conditions below: the conditions of one row must all hold (AND), and
//! a record is selected when any row holds (OR); an empty condition holds
//! always. A label matches a column case-insensitively. Conditions are read
//! as the `*IF` criteria are, except that plain text matches the values
//! that begin with it (`Berlin` selects `Berlino`), as Excel's advanced
//! filter does.

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::coerce::value_operand;
use crate::criteria::Criterion;
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand, Reference};
use crate::value::{Array, ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatabaseFn {
    DAverage,
    DCount,
    DCountA,
    DGet,
    DMax,
    DMin,
    DProduct,
    DStDev,
    DStDevP,
    DSum,
    DVar,
    DVarP,
}

const PARAMS: &[Param] = &[Param::Range, Param::Any, Param::Range];

impl DatabaseFn {
    /// Every function of this category.
    pub const ALL: &'static [DatabaseFn] = &[
        DatabaseFn::DAverage,
        DatabaseFn::DCount,
        DatabaseFn::DCountA,
        DatabaseFn::DGet,
        DatabaseFn::DMax,
        DatabaseFn::DMin,
        DatabaseFn::DProduct,
        DatabaseFn::DStDev,
        DatabaseFn::DStDevP,
        DatabaseFn::DSum,
        DatabaseFn::DVar,
        DatabaseFn::DVarP,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            DatabaseFn::DAverage => "DAVERAGE",
            DatabaseFn::DCount => "DCOUNT",
            DatabaseFn::DCountA => "DCOUNTA",
            DatabaseFn::DGet => "DGET",
            DatabaseFn::DMax => "DMAX",
            DatabaseFn::DMin => "DMIN",
            DatabaseFn::DProduct => "DPRODUCT",
            DatabaseFn::DStDev => "DSTDEV",
            DatabaseFn::DStDevP => "DSTDEVP",
            DatabaseFn::DSum => "DSUM",
            DatabaseFn::DVar => "DVAR",
            DatabaseFn::DVarP => "DVARP",
        }
    }

    pub fn signature(self) -> Signature {
        Signature::new(3, Some(3), PARAMS)
    }
}

pub(crate) fn call(f: DatabaseFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    let selected = match select(args, ctx) {
        Ok(values) => values,
        Err(e) => return Operand::error(e),
    };
    if f == DatabaseFn::DGet {
        return value_operand(match selected.as_slice() {
            [] => Err(ExcelError::Value),
            [one] => Ok(one.clone()),
            _ => Err(ExcelError::Num),
        });
    }
    if f == DatabaseFn::DCountA {
        let count = selected.iter().filter(|v| !v.is_empty()).count();
        return Operand::Value(Value::Number(count as f64));
    }
    let numbers: Vec<f64> = selected
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    value_operand(aggregate(f, &numbers))
}

/// The statistic of the selected numbers.
fn aggregate(f: DatabaseFn, numbers: &[f64]) -> Result<f64, ExcelError> {
    let n = numbers.len() as f64;
    let sum: f64 = numbers.iter().sum();
    match f {
        DatabaseFn::DCount => Ok(n),
        DatabaseFn::DSum => Ok(sum),
        DatabaseFn::DAverage if numbers.is_empty() => Err(ExcelError::Div0),
        DatabaseFn::DAverage => Ok(sum / n),
        DatabaseFn::DMax => Ok(numbers.iter().copied().reduce(f64::max).unwrap_or(0.0)),
        DatabaseFn::DMin => Ok(numbers.iter().copied().reduce(f64::min).unwrap_or(0.0)),
        DatabaseFn::DProduct if numbers.is_empty() => Ok(0.0),
        DatabaseFn::DProduct => Ok(numbers.iter().product()),
        DatabaseFn::DStDev => variance(numbers, 1.0).map(f64::sqrt),
        DatabaseFn::DStDevP => variance(numbers, 0.0).map(f64::sqrt),
        DatabaseFn::DVar => variance(numbers, 1.0),
        DatabaseFn::DVarP => variance(numbers, 0.0),
        DatabaseFn::DGet | DatabaseFn::DCountA => Err(ExcelError::Value),
    }
}

/// The variance with `n − dof` in the denominator; too few values divide by
/// zero.
fn variance(numbers: &[f64], dof: f64) -> Result<f64, ExcelError> {
    let n = numbers.len() as f64;
    if n - dof <= 0.0 {
        return Err(ExcelError::Div0);
    }
    let mean = numbers.iter().sum::<f64>() / n;
    let squares: f64 = numbers.iter().map(|x| (x - mean) * (x - mean)).sum();
    Ok(squares / (n - dof))
}

/// A range or array argument as an array; a union of ranges is `#VALUE!`.
fn table(arg: Option<&Operand>, ctx: &dyn Context) -> Result<Arc<Array>, ExcelError> {
    match arg {
        Some(Operand::Ref(Reference::Range(r))) => Ok(Arc::new(r.to_array(ctx))),
        Some(Operand::Value(Value::Array(a))) => Ok(a.clone()),
        Some(Operand::Value(Value::Error(e))) => Err(*e),
        _ => Err(ExcelError::Value),
    }
}

/// The label of a header cell as text, for case-insensitive matching.
fn label(v: &Value) -> Option<String> {
    match v {
        Value::Empty | Value::Error(_) | Value::Array(_) => None,
        other => other.to_text().ok().map(|t| t.to_lowercase()),
    }
}

/// The database column the field argument names: a label matched
/// case-insensitively, or a 1-based position (truncated).
fn field_column(
    field: Option<&Operand>,
    db: &Array,
    ctx: &dyn Context,
) -> Result<usize, ExcelError> {
    let value = match field {
        Some(Operand::Ref(Reference::Range(r))) if r.is_single_cell() => {
            Operand::Ref(Reference::Range(*r)).to_value(ctx)
        }
        Some(Operand::Value(v)) => v.clone(),
        _ => return Err(ExcelError::Value),
    };
    match value {
        Value::Error(e) => Err(e),
        Value::Number(n) => {
            let index = n.trunc();
            if index >= 1.0 && index <= db.cols() as f64 {
                Ok(index as usize - 1)
            } else {
                Err(ExcelError::Value)
            }
        }
        Value::Text(t) => {
            let wanted = t.to_lowercase();
            (0..db.cols())
                .find(|c| db.get(0, *c).and_then(label).as_deref() == Some(wanted.as_str()))
                .ok_or(ExcelError::Value)
        }
        Value::Bool(b) => {
            field_column(Some(&Operand::Value(Value::Number(f64::from(u8::from(b))))), db, ctx)
        }
        Value::Empty | Value::Array(_) => Err(ExcelError::Value),
    }
}

/// One condition of a criteria row: the database column it tests (`None`
/// when its label names no column, which no record satisfies) and the
/// criterion.
struct Condition {
    column: Option<usize>,
    criterion: Criterion,
}

/// A condition cell as a criterion; plain text becomes a prefix match.
fn condition_of(cell: &Value) -> Criterion {
    if let Value::Text(t) = cell {
        let plain = !t.starts_with(['=', '<', '>']);
        let parsed = Criterion::parse(cell);
        if plain && crate::coerce::parse_number(t).is_none() {
            return Criterion::parse(&Value::text(format!("{t}*")));
        }
        return parsed;
    }
    Criterion::parse(cell)
}

/// The criteria rows, each a list of conditions.
fn criteria_rows(criteria: &Array, db: &Array) -> Vec<Vec<Condition>> {
    let columns: Vec<Option<usize>> = (0..criteria.cols())
        .map(|c| {
            let wanted = criteria.get(0, c).and_then(label)?;
            (0..db.cols()).find(|d| db.get(0, *d).and_then(label).as_deref() == Some(&wanted))
        })
        .collect();
    (1..criteria.rows())
        .map(|r| {
            (0..criteria.cols())
                .filter_map(|c| {
                    let cell = criteria.get(r, c)?;
                    if cell.is_empty() {
                        return None;
                    }
                    Some(Condition { column: columns[c], criterion: condition_of(cell) })
                })
                .collect()
        })
        .collect()
}

/// The field values of the records the criteria select, in order.
fn select(args: &[Operand], ctx: &dyn Context) -> Result<Vec<Value>, ExcelError> {
    let db = table(args.first(), ctx)?;
    let criteria = table(args.get(2), ctx)?;
    if db.rows() < 2 || criteria.rows() < 2 {
        return Err(ExcelError::Value);
    }
    let field = field_column(args.get(1), &db, ctx)?;
    let rows = criteria_rows(&criteria, &db);
    let mut out = Vec::new();
    for record in 1..db.rows() {
        let holds = |c: &Condition| {
            c.column.and_then(|col| db.get(record, col)).is_some_and(|v| c.criterion.matches(v))
        };
        if rows.iter().any(|conditions| conditions.iter().all(holds)) {
            out.push(db.get(record, field).cloned().unwrap_or(Value::Empty));
        }
    }
    Ok(out)
}
