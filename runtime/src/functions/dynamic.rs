//! Dynamic-array functions: SEQUENCE, RANDARRAY, SORT, SORTBY, UNIQUE,
//! FILTER, TAKE, DROP, CHOOSECOLS, CHOOSEROWS, HSTACK, VSTACK, TOCOL, TOROW,
//! WRAPCOLS, WRAPROWS, EXPAND and TRIMRANGE.
//!
//! Each builds a new array from whole arrays or ranges. A result with no
//! element at all is `#CALC!`, as in Excel; a 1x1 result is a plain value.

mod shape;
mod sort;

use std::sync::Arc;

use crate::coerce::{arg, arg_number_or};
use crate::functions::{Param, Signature};
use crate::reference::{CellAddr, Context, Operand, RangeRef, Reference, MAX_ARRAY_CELLS};
use crate::value::{Array, ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DynamicFn {
    Sequence,
    RandArray,
    Sort,
    SortBy,
    Unique,
    Filter,
    Take,
    Drop,
    ChooseCols,
    ChooseRows,
    HStack,
    VStack,
    ToCol,
    ToRow,
    WrapCols,
    WrapRows,
    Expand,
    TrimRange,
}

// Dynamic-array functions came with dynamic-array evaluation: their array
// arguments are evaluated as arrays even in a formula stored without array
// metadata (`=SUM(FILTER(A1:A9,B1:B9>2))`).
const SCALARS: &[Param] = &[Param::Scalar];
const RANGES: &[Param] = &[Param::Array];
const RANGE_THEN_SCALARS: &[Param] = &[Param::Array, Param::Scalar];
const SORTBY_PARAMS: &[Param] = &[Param::Array, Param::Array, Param::Scalar];
const FILTER_PARAMS: &[Param] = &[Param::Array, Param::Array, Param::Any];

impl DynamicFn {
    /// Every function of this category.
    pub const ALL: &'static [DynamicFn] = &[
        DynamicFn::Sequence,
        DynamicFn::RandArray,
        DynamicFn::Sort,
        DynamicFn::SortBy,
        DynamicFn::Unique,
        DynamicFn::Filter,
        DynamicFn::Take,
        DynamicFn::Drop,
        DynamicFn::ChooseCols,
        DynamicFn::ChooseRows,
        DynamicFn::HStack,
        DynamicFn::VStack,
        DynamicFn::ToCol,
        DynamicFn::ToRow,
        DynamicFn::WrapCols,
        DynamicFn::WrapRows,
        DynamicFn::Expand,
        DynamicFn::TrimRange,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            DynamicFn::Sequence => "SEQUENCE",
            DynamicFn::RandArray => "RANDARRAY",
            DynamicFn::Sort => "SORT",
            DynamicFn::SortBy => "SORTBY",
            DynamicFn::Unique => "UNIQUE",
            DynamicFn::Filter => "FILTER",
            DynamicFn::Take => "TAKE",
            DynamicFn::Drop => "DROP",
            DynamicFn::ChooseCols => "CHOOSECOLS",
            DynamicFn::ChooseRows => "CHOOSEROWS",
            DynamicFn::HStack => "HSTACK",
            DynamicFn::VStack => "VSTACK",
            DynamicFn::ToCol => "TOCOL",
            DynamicFn::ToRow => "TOROW",
            DynamicFn::WrapCols => "WRAPCOLS",
            DynamicFn::WrapRows => "WRAPROWS",
            DynamicFn::Expand => "EXPAND",
            DynamicFn::TrimRange => "TRIMRANGE",
        }
    }

    pub fn signature(self) -> Signature {
        match self {
            DynamicFn::Sequence => Signature::new(1, Some(4), SCALARS),
            DynamicFn::RandArray => Signature::new(0, Some(5), SCALARS).volatile(),
            DynamicFn::Sort => Signature::new(1, Some(4), RANGE_THEN_SCALARS),
            DynamicFn::SortBy => Signature::new(2, None, SORTBY_PARAMS).repeating(2),
            DynamicFn::Unique => Signature::new(1, Some(3), RANGE_THEN_SCALARS),
            DynamicFn::Filter => Signature::new(2, Some(3), FILTER_PARAMS),
            DynamicFn::Take | DynamicFn::Drop => Signature::new(2, Some(3), RANGE_THEN_SCALARS),
            DynamicFn::ChooseCols | DynamicFn::ChooseRows => {
                Signature::new(2, None, RANGE_THEN_SCALARS)
            }
            DynamicFn::HStack | DynamicFn::VStack => Signature::new(1, None, RANGES),
            DynamicFn::ToCol | DynamicFn::ToRow => Signature::new(1, Some(3), RANGE_THEN_SCALARS),
            DynamicFn::WrapCols | DynamicFn::WrapRows => {
                Signature::new(2, Some(3), RANGE_THEN_SCALARS)
            }
            DynamicFn::Expand => Signature::new(2, Some(4), RANGE_THEN_SCALARS),
            DynamicFn::TrimRange => Signature::new(1, Some(3), RANGE_THEN_SCALARS),
        }
    }
}

pub(crate) fn call(f: DynamicFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    let result = match f {
        DynamicFn::Sequence => fn_sequence(args, ctx),
        DynamicFn::RandArray => fn_randarray(args, ctx),
        DynamicFn::Sort => sort::fn_sort(args, ctx),
        DynamicFn::SortBy => sort::fn_sortby(args, ctx),
        DynamicFn::Unique => sort::fn_unique(args, ctx),
        DynamicFn::Filter => return fn_filter(args, ctx).unwrap_or_else(Operand::error),
        DynamicFn::Take => shape::fn_take(args, ctx),
        DynamicFn::Drop => shape::fn_drop(args, ctx),
        DynamicFn::ChooseCols => shape::fn_choose(args, ctx, true),
        DynamicFn::ChooseRows => shape::fn_choose(args, ctx, false),
        DynamicFn::HStack => shape::fn_stack(args, ctx, true),
        DynamicFn::VStack => shape::fn_stack(args, ctx, false),
        DynamicFn::ToCol => shape::fn_to_line(args, ctx, true),
        DynamicFn::ToRow => shape::fn_to_line(args, ctx, false),
        DynamicFn::WrapCols => shape::fn_wrap(args, ctx, true),
        DynamicFn::WrapRows => shape::fn_wrap(args, ctx, false),
        DynamicFn::Expand => shape::fn_expand(args, ctx),
        DynamicFn::TrimRange => return fn_trimrange(args, ctx).unwrap_or_else(Operand::error),
    };
    match result {
        Ok(value) => Operand::Value(value),
        Err(e) => Operand::error(e),
    }
}

/// The argument at `index` as a whole array: a range gives its values, a
/// single value a 1x1 array. A multi-area reference is `#VALUE!`.
pub(crate) fn whole(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<Arc<Array>, ExcelError> {
    match args.get(index) {
        Some(Operand::Ref(Reference::Range(r))) => Ok(Arc::new(r.to_array(ctx))),
        Some(Operand::Ref(Reference::Union(_))) | None => Err(ExcelError::Value),
        Some(Operand::Value(Value::Array(a))) => Ok(a.clone()),
        Some(Operand::Value(v)) => Ok(Arc::new(Array::scalar(v.clone()))),
    }
}

/// A result array from its row-major values: `#CALC!` when empty, a plain
/// value when 1x1.
pub(crate) fn result(
    rows: usize,
    cols: usize,
    mut values: Vec<Value>,
) -> Result<Value, ExcelError> {
    if rows == 0 || cols == 0 {
        return Err(ExcelError::Calc);
    }
    if rows * cols == 1 {
        return values.pop().ok_or(ExcelError::Calc);
    }
    Array::new(rows, cols, values).map(|a| Value::Array(Arc::new(a))).ok_or(ExcelError::Value)
}

/// An optional whole-number argument, truncated: `None` when omitted or
/// given empty.
pub(crate) fn optional_int(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<Option<i64>, ExcelError> {
    match arg(args, index, ctx) {
        Value::Empty => Ok(None),
        v => {
            let n = v.to_number()?.trunc();
            if n.abs() > MAX_ARRAY_CELLS as f64 {
                return Err(ExcelError::Value);
            }
            Ok(Some(n as i64))
        }
    }
}

/// The size of an array `SEQUENCE` or `RANDARRAY` builds: a count below 1
/// is `#VALUE!` (`#CALC!` for exactly 0), a result too large `#VALUE!`.
fn dimensions(args: &[Operand], ctx: &dyn Context) -> Result<(usize, usize), ExcelError> {
    let rows = optional_int(args, 0, ctx)?.unwrap_or(1);
    let cols = optional_int(args, 1, ctx)?.unwrap_or(1);
    if rows < 0 || cols < 0 {
        return Err(ExcelError::Value);
    }
    if rows == 0 || cols == 0 {
        return Err(ExcelError::Calc);
    }
    if (rows as u64).saturating_mul(cols as u64) > MAX_ARRAY_CELLS {
        return Err(ExcelError::Value);
    }
    Ok((rows as usize, cols as usize))
}

/// `SEQUENCE(rows, [columns], [start], [step])`: `start`, `start + step`, …
/// filled row by row.
fn fn_sequence(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let (rows, cols) = dimensions(args, ctx)?;
    let start = arg_number_or(args, 2, 1.0, ctx)?;
    let step = arg_number_or(args, 3, 1.0, ctx)?;
    let values = (0..rows * cols).map(|i| Value::number(start + step * i as f64)).collect();
    result(rows, cols, values)
}

/// `RANDARRAY([rows], [columns], [min], [max], [whole_number])`: random
/// numbers in `[min, max)`, or whole numbers in `[min, max]`; `min > max`
/// is `#VALUE!`.
fn fn_randarray(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let (rows, cols) = dimensions(args, ctx)?;
    let min = arg_number_or(args, 2, 0.0, ctx)?;
    let max = arg_number_or(args, 3, 1.0, ctx)?;
    let whole = match arg(args, 4, ctx) {
        Value::Empty => false,
        v => v.to_bool()?,
    };
    if min > max || (whole && min.ceil() > max.floor()) {
        return Err(ExcelError::Value);
    }
    let values = (0..rows * cols)
        .map(|_| {
            let u = random_unit();
            if whole {
                let (low, high) = (min.ceil(), max.floor());
                Value::number((low + (u * (high - low + 1.0)).floor()).min(high))
            } else {
                Value::number(min + u * (max - min))
            }
        })
        .collect();
    result(rows, cols, values)
}

/// A uniform random number in `[0, 1)` from the standard library's randomly
/// keyed hasher: enough for a volatile function whose cells the compiler
/// keeps out of `OUT`.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    use std::sync::atomic::{AtomicU64, Ordering};
    static DRAWS: AtomicU64 = AtomicU64::new(0);
    let bits = RandomState::new().hash_one(DRAWS.fetch_add(1, Ordering::Relaxed));
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether an element of `FILTER`'s `include` keeps its row: numbers are
/// true unless 0, an empty element is false, text is `#VALUE!`, an error is
/// that error.
fn included(value: &Value) -> Result<bool, ExcelError> {
    match value {
        Value::Empty => Ok(false),
        Value::Text(_) => Err(ExcelError::Value),
        v => v.to_bool(),
    }
}

/// `FILTER(array, include, [if_empty])`: the rows (or, with a one-row
/// `include`, the columns) of `array` whose `include` element is true.
/// An `include` of another shape is `#VALUE!`; nothing kept is `if_empty`,
/// or `#CALC!` without it.
fn fn_filter(args: &[Operand], ctx: &dyn Context) -> Result<Operand, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let include = whole(args, 1, ctx)?;
    let by_rows = include.cols() == 1 && include.rows() == array.rows();
    let by_cols = include.rows() == 1 && include.cols() == array.cols();
    let flags = include.values().iter().map(included).collect::<Result<Vec<bool>, _>>()?;
    let (rows, cols) = (array.rows(), array.cols());
    let picked: Vec<Value> = if by_rows {
        (0..rows).filter(|&r| flags[r]).flat_map(|r| row_values(&array, r)).collect()
    } else if by_cols {
        let keep: Vec<usize> = (0..cols).filter(|&c| flags[c]).collect();
        let kept = keep.len();
        let values = (0..rows).flat_map(|r| keep.iter().map(move |&c| (r, c)));
        let values: Vec<Value> = values.map(|(r, c)| element(&array, r, c)).collect();
        return finish(rows, kept, values, args, ctx);
    } else {
        return Err(ExcelError::Value);
    };
    let kept_rows = picked.len() / cols.max(1);
    finish(kept_rows, cols, picked, args, ctx)
}

/// `FILTER`'s result, or its `if_empty` when nothing is left.
fn finish(
    rows: usize,
    cols: usize,
    values: Vec<Value>,
    args: &[Operand],
    ctx: &dyn Context,
) -> Result<Operand, ExcelError> {
    if rows == 0 || cols == 0 {
        return match args.get(2) {
            Some(if_empty) => Ok(Operand::Value(if_empty.to_value(ctx))),
            None => Err(ExcelError::Calc),
        };
    }
    result(rows, cols, values).map(Operand::Value)
}

/// The element at (row, col), empty outside the array.
pub(crate) fn element(array: &Array, row: usize, col: usize) -> Value {
    array.get(row, col).cloned().unwrap_or(Value::Empty)
}

/// The values of one row of an array.
pub(crate) fn row_values(array: &Array, row: usize) -> impl Iterator<Item = Value> + '_ {
    (0..array.cols()).map(move |c| element(array, row, c))
}

/// `TRIMRANGE(range, [trim_rows], [trim_cols])`: the range without its
/// leading and trailing empty rows and columns (`trim_rows`: 0 keeps them,
/// 1 trims leading, 2 trailing, 3 both, the default). A range with no value
/// at all trims to its top-left cell.
fn fn_trimrange(args: &[Operand], ctx: &dyn Context) -> Result<Operand, ExcelError> {
    let range = match args.first() {
        Some(Operand::Ref(Reference::Range(r))) => *r,
        Some(Operand::Value(Value::Error(e))) => return Err(*e),
        _ => return Err(ExcelError::Value),
    };
    let mode = |index: usize| -> Result<(bool, bool), ExcelError> {
        match optional_int(args, index, ctx)?.unwrap_or(3) {
            0 => Ok((false, false)),
            1 => Ok((true, false)),
            2 => Ok((false, true)),
            3 => Ok((true, true)),
            _ => Err(ExcelError::Value),
        }
    };
    let (rows_lead, rows_trail) = mode(1)?;
    let (cols_lead, cols_trail) = mode(2)?;
    let Some(used) = occupied(&range, ctx) else {
        return Ok(Operand::Ref(Reference::Range(RangeRef::cell(range.top_left()))));
    };
    let trimmed = RangeRef {
        sheet: range.sheet,
        first_row: if rows_lead { used.first_row } else { range.first_row },
        last_row: if rows_trail { used.last_row } else { range.last_row },
        first_col: if cols_lead { used.first_col } else { range.first_col },
        last_col: if cols_trail { used.last_col } else { range.last_col },
    };
    Ok(Operand::Ref(Reference::Range(trimmed)))
}

/// The smallest range holding every non-empty cell of `range`.
fn occupied(range: &RangeRef, ctx: &dyn Context) -> Option<RangeRef> {
    let used = range.clipped(ctx)?;
    let mut found: Option<RangeRef> = None;
    for row in used.first_row..=used.last_row {
        for col in used.first_col..=used.last_col {
            if ctx.cell(CellAddr::new(range.sheet, row, col)).is_empty() {
                continue;
            }
            let cell = RangeRef::cell(CellAddr::new(range.sheet, row, col));
            found = Some(match found {
                None => cell,
                Some(f) => RangeRef {
                    sheet: f.sheet,
                    first_row: f.first_row.min(row),
                    last_row: f.last_row.max(row),
                    first_col: f.first_col.min(col),
                    last_col: f.last_col.max(col),
                },
            });
        }
    }
    found
}

#[cfg(test)]
mod tests;
