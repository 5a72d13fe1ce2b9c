//! `ADDRESS`: the text of a cell reference built from its row and column.

use crate::coerce::{arg, arg_number, arg_number_or};
use crate::reference::{column_name, Context, Operand, MAX_COLS, MAX_ROWS};
use crate::value::{ExcelError, Value};

/// `ADDRESS(row_num, column_num, [abs_num], [a1], [sheet_text])`: `$C$2`
/// for (2, 3). `abs_num` 1 makes both parts absolute, 2 the row only, 3 the
/// column only, 4 neither; `a1` FALSE writes R1C1 style, where a relative
/// part is written in brackets (`R2C[3]`). A sheet name that is not a plain
/// word is quoted. Rows and columns are truncated; outside the grid, or an
/// `abs_num` other than 1 to 4, is `#VALUE!`.
pub(super) fn fn_address(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let row = arg_number(args, 0, ctx)?.trunc();
    let col = arg_number(args, 1, ctx)?.trunc();
    let abs = arg_number_or(args, 2, 1.0, ctx)?.trunc();
    let a1 = match arg(args, 3, ctx) {
        Value::Empty if args.len() < 4 => true,
        v => v.to_bool()?,
    };
    if !(1.0..=f64::from(MAX_ROWS)).contains(&row) || !(1.0..=f64::from(MAX_COLS)).contains(&col) {
        return Err(ExcelError::Value);
    }
    let (row_abs, col_abs) = match abs as i64 {
        1 => (true, true),
        2 => (true, false),
        3 => (false, true),
        4 => (false, false),
        _ => return Err(ExcelError::Value),
    };
    let (row, col) = (row as u32, col as u32);
    let cell = if a1 {
        let dollar = |absolute: bool| if absolute { "$" } else { "" };
        format!("{}{}{}{row}", dollar(col_abs), column_name(col - 1), dollar(row_abs))
    } else {
        let part = |letter: char, n: u32, absolute: bool| {
            if absolute {
                format!("{letter}{n}")
            } else {
                format!("{letter}[{n}]")
            }
        };
        format!("{}{}", part('R', row, row_abs), part('C', col, col_abs))
    };
    let sheet = match args.get(4) {
        None => return Ok(Value::text(cell)),
        Some(_) => arg(args, 4, ctx).to_text()?,
    };
    Ok(Value::text(format!("{}!{cell}", quoted(&sheet))))
}

/// A sheet name as a reference writes it: quoted (with inner quotes
/// doubled) unless it is a plain word that does not start with a digit.
fn quoted(sheet: &str) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !sheet.starts_with(|c: char| c.is_ascii_digit());
    if plain || sheet.is_empty() {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MapContext;

    fn address(args: &[Value]) -> Value {
        let ctx = MapContext::new(&["Sheet1"]);
        let args: Vec<Operand> = args.iter().cloned().map(Operand::Value).collect();
        fn_address(&args, &ctx).unwrap_or_else(Value::Error)
    }

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn a1_forms_corpus_address_xlsx() {
        // ADDRESS.xlsx caches these for ADDRESS(row, col, abs).
        assert_eq!(address(&[n(3.0), n(7.0), n(1.0)]), Value::text("$G$3"));
        assert_eq!(address(&[n(45.0), n(56.0), n(1.0)]), Value::text("$BD$45"));
        assert_eq!(address(&[n(23.0), n(45.0), n(2.0)]), Value::text("AS$23"));
        assert_eq!(address(&[n(23.0), n(45.0), n(3.0)]), Value::text("$AS23"));
        assert_eq!(address(&[n(23.0), n(45.0), n(4.0)]), Value::text("AS23"));
        assert_eq!(address(&[n(23.4), n(34.7), n(2.0)]), Value::text("AH$23"));
        assert_eq!(address(&[n(-1.0), n(3.0), n(1.0)]), Value::Error(ExcelError::Value));
        assert_eq!(address(&[n(0.0), n(3.0), n(1.0)]), Value::Error(ExcelError::Value));
        assert_eq!(address(&[n(2.0), n(3.0), n(5.0)]), Value::Error(ExcelError::Value));
    }

    #[test]
    fn r1c1_forms_corpus_address_xlsx() {
        let f = Value::Bool(false);
        assert_eq!(address(&[n(3.0), n(7.0), n(1.0), f.clone()]), Value::text("R3C7"));
        assert_eq!(address(&[n(23.0), n(45.0), n(2.0), f.clone()]), Value::text("R23C[45]"));
        assert_eq!(address(&[n(23.0), n(45.0), n(3.0), f.clone()]), Value::text("R[23]C45"));
        assert_eq!(address(&[n(23.0), n(45.0), n(4.0), f]), Value::text("R[23]C[45]"));
    }

    #[test]
    fn sheet_names_are_quoted_when_needed() {
        // Microsoft's ADDRESS page: ADDRESS(2,3,1,FALSE,"[Book1]Sheet1") is
        // '[Book1]Sheet1'!R2C3; ADDRESS.xlsx caches the other two.
        let t = Value::Bool(true);
        let plain = address(&[n(2.0), n(3.0), n(1.0), t.clone(), Value::text("Sheet2")]);
        assert_eq!(plain, Value::text("Sheet2!$C$2"));
        let spaced = address(&[n(1.0), n(1.0), n(1.0), t, Value::text("A Wird One$")]);
        assert_eq!(spaced, Value::text("'A Wird One$'!$A$1"));
        let book = Value::text("[Book1]Sheet1");
        let r1c1 = address(&[n(2.0), n(3.0), n(1.0), Value::Bool(false), book]);
        assert_eq!(r1c1, Value::text("'[Book1]Sheet1'!R2C3"));
    }
}
