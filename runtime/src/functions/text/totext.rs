//! `VALUETOTEXT` and `ARRAYTOTEXT`: values written as text, concisely or
//! strictly (strings quoted, arrays in braces, as in a formula).

use crate::coerce::{arg, arg_number_or};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The `format` argument: 0 concise, 1 strict, anything else `#VALUE!`.
fn strict_arg(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<bool, ExcelError> {
    match arg_number_or(args, index, 0.0, ctx)? {
        0.0 => Ok(false),
        1.0 => Ok(true),
        _ => Err(ExcelError::Value),
    }
}

/// One value as text: errors as their names, booleans as TRUE/FALSE, an
/// empty cell as nothing; in strict form text is quoted, inner quotes
/// doubled.
fn value_text(value: &Value, strict: bool) -> String {
    match value {
        Value::Text(t) if strict => format!("\"{}\"", t.replace('"', "\"\"")),
        Value::Error(e) => e.as_str().to_string(),
        Value::Array(a) => a.get(0, 0).map_or_else(String::new, |v| value_text(v, strict)),
        other => other.to_text().map(|t| t.to_string()).unwrap_or_default(),
    }
}

/// `VALUETOTEXT(value, [format])`.
pub(super) fn fn_valuetotext(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let strict = strict_arg(args, 1, ctx)?;
    Ok(value_text(&arg(args, 0, ctx), strict))
}

/// `ARRAYTOTEXT(array, [format])`: concise joins every value, row by row,
/// with ", "; strict writes `{a,b;c,d}`.
pub(super) fn fn_arraytotext(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let strict = strict_arg(args, 1, ctx)?;
    let value = args.first().map(|a| a.to_value(ctx)).unwrap_or_default();
    let Value::Array(array) = value else {
        let text = value_text(&value, strict);
        return Ok(if strict { format!("{{{text}}}") } else { text });
    };
    let row = |r: usize| -> Vec<String> {
        (0..array.cols())
            .map(|c| array.get(r, c).map_or_else(String::new, |v| value_text(v, strict)))
            .collect()
    };
    if strict {
        let rows: Vec<String> = (0..array.rows()).map(|r| row(r).join(",")).collect();
        Ok(format!("{{{}}}", rows.join(";")))
    } else {
        Ok((0..array.rows()).flat_map(row).collect::<Vec<_>>().join(", "))
    }
}
