//! `CELL(info_type, [reference])`: facts about the top-left cell of a
//! reference.
//!
//! FIXME: only the info types that depend on the cell's place and value
//! (`address`, `col`, `row`, `contents`, `type`) are computed; the ones that
//! depend on formatting, the file or the window (`format`, `width`,
//! `filename`...) give `#VALUE!` where Excel gives a value, and a missing
//! reference is taken as the formula's own cell where Excel takes the cell
//! last changed.

use crate::reference::{column_name, CellAddr, Context, Operand, Reference};
use crate::value::{ExcelError, Value};

/// `CELL(info_type, [reference])`.
pub(super) fn fn_cell(args: &[Operand], ctx: &dyn Context) -> Value {
    let info = match args.first().map(|a| a.to_scalar(ctx)) {
        Some(Value::Text(t)) => t.to_ascii_lowercase(),
        Some(Value::Error(e)) => return Value::Error(e),
        _ => return Value::Error(ExcelError::Value),
    };
    let cell = match args.get(1) {
        None | Some(Operand::Value(Value::Empty)) => ctx.current_cell(),
        Some(Operand::Ref(Reference::Range(r))) => CellAddr::new(r.sheet, r.first_row, r.first_col),
        Some(Operand::Ref(Reference::Union(areas))) => match areas.first() {
            Some(r) => CellAddr::new(r.sheet, r.first_row, r.first_col),
            None => return Value::Error(ExcelError::Value),
        },
        Some(Operand::Value(Value::Error(e))) => return Value::Error(*e),
        Some(Operand::Value(_)) => return Value::Error(ExcelError::Value),
    };
    match info.as_str() {
        "address" if cell.sheet == ctx.current_cell().sheet => {
            Value::text(format!("${}${}", column_name(cell.col), cell.row + 1))
        }
        "col" => Value::Number(f64::from(cell.col) + 1.0),
        "row" => Value::Number(f64::from(cell.row) + 1.0),
        "contents" => match ctx.cell(cell) {
            Value::Empty => Value::Number(0.0),
            value => value,
        },
        "type" => Value::text(match ctx.cell(cell) {
            Value::Empty => "b",
            Value::Text(_) => "l",
            _ => "v",
        }),
        _ => Value::Error(ExcelError::Value),
    }
}
