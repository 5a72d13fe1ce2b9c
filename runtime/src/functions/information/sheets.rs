//! `SHEET` and `SHEETS`: sheet numbers and counts, in workbook order from 1.

use crate::reference::{Context, Operand, Reference};
use crate::value::{ExcelError, Value};

/// `SHEET([value])`: the number of the formula's own sheet, of the sheet a
/// reference points to, or of the sheet named by a text; a name that is no
/// sheet, or any other value, is `#N/A`.
pub(super) fn fn_sheet(args: &[Operand], ctx: &dyn Context) -> Value {
    let sheet = match args.first() {
        None | Some(Operand::Value(Value::Empty)) => Some(ctx.current_cell().sheet),
        Some(Operand::Ref(Reference::Range(r))) => Some(r.sheet),
        Some(Operand::Ref(Reference::Union(areas))) => areas.first().map(|r| r.sheet),
        Some(Operand::Value(Value::Error(e))) => return Value::Error(*e),
        Some(Operand::Value(Value::Text(name))) => ctx.sheet_id(name),
        Some(Operand::Value(_)) => None,
    };
    sheet.map_or(Value::Error(ExcelError::NA), |s| Value::Number(f64::from(s) + 1.0))
}

/// `SHEETS([reference])`: how many sheets a reference spans (a 3-D
/// reference spans several), or every sheet of the workbook without one.
pub(super) fn fn_sheets(args: &[Operand], ctx: &dyn Context) -> Value {
    match args.first() {
        None | Some(Operand::Value(Value::Empty)) => {
            let count = (0..=u16::MAX).take_while(|&s| ctx.sheet_name(s).is_some()).count();
            Value::Number(count as f64)
        }
        Some(Operand::Ref(Reference::Range(_))) => Value::Number(1.0),
        Some(Operand::Ref(Reference::Union(areas))) => {
            let mut sheets: Vec<_> = areas.iter().map(|r| r.sheet).collect();
            sheets.sort_unstable();
            sheets.dedup();
            Value::Number(sheets.len() as f64)
        }
        Some(Operand::Value(Value::Error(e))) => Value::Error(*e),
        Some(Operand::Value(_)) => Value::Error(ExcelError::NA),
    }
}
