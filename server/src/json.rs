//! JSON in answers: the success envelope, and how cell values, outcomes and
//! log entries are written (`docs/workbooks.md`, "The OUT sheet").

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use runtime::evaluator::{Entry, Outcomes};
use runtime::ir::{InputLayout, OutputLayout};
use runtime::value::Value;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::{ApiError, ErrorItem};

/// The success envelope `{"status": 200, "data": ..., "warnings": [...]}`.
#[derive(Serialize)]
pub struct Success<T: Serialize> {
    pub status: u16,
    pub data: T,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ErrorItem>,
}

/// A 200 answer carrying `data`.
pub fn ok<T: Serialize>(data: T) -> Response {
    ok_with_warnings(data, Vec::new())
}

/// A 200 answer carrying `data` and `warnings`.
pub fn ok_with_warnings<T: Serialize>(data: T, warnings: Vec<ErrorItem>) -> Response {
    (StatusCode::OK, axum::Json(Success { status: 200, data, warnings })).into_response()
}

/// Writes a number as JSON: an integral value without a fraction (`1`, not `1.0`).
pub fn number(n: f64) -> serde_json::Value {
    // Integers up to 2^53 are exact in a double, so they print as integers;
    // beyond that the fraction-free float form is already what serde writes.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A cell value as an answer writes it: number, string, boolean, `null`, or
/// `{"error": "#DIV/0!"}`.
pub struct CellJson<'a>(pub &'a Value);

impl Serialize for CellJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.first() {
            Value::Empty | Value::Array(_) => serializer.serialize_none(),
            Value::Number(n) => number(*n).serialize(serializer),
            Value::Text(text) => serializer.serialize_str(text),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Error(e) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("error", e.as_str())?;
                map.end()
            }
        }
    }
}

/// The `OUT` rows: one object per outcome row, keys in column order.
struct OutRows<'a> {
    layout: &'a OutputLayout,
    outcomes: &'a Outcomes,
}

impl Serialize for OutRows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.outcomes.rows.len()))?;
        for row in &self.outcomes.rows {
            seq.serialize_element(&OutRow { layout: self.layout, row })?;
        }
        seq.end()
    }
}

struct OutRow<'a> {
    layout: &'a OutputLayout,
    row: &'a [Value],
}

impl Serialize for OutRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.layout.columns.len()))?;
        for (j, column) in self.layout.columns.iter().enumerate() {
            let value = self.row.get(j).unwrap_or(&Value::Empty);
            map.serialize_entry(&column.key, &CellJson(value))?;
        }
        map.end()
    }
}

/// Renders outcomes once, so that every read of them is a copy of bytes.
///
/// # Errors
///
/// `Internal` if serialization fails, which only a serializer bug can cause.
pub fn render_outcomes(
    layout: &OutputLayout,
    outcomes: &Outcomes,
) -> Result<Box<RawValue>, ApiError> {
    let text = serde_json::to_string(&OutRows { layout, outcomes })
        .map_err(|e| ApiError::Internal(format!("rendering outcomes: {e}")))?;
    RawValue::from_string(text).map_err(|e| ApiError::Internal(format!("rendering outcomes: {e}")))
}

/// One log entry as the log answers it: keyed by input header, empty cells omitted.
pub struct EntryJson<'a> {
    pub layout: &'a InputLayout,
    pub entry: &'a Entry,
}

impl Serialize for EntryJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (column, value) in self.layout.columns.iter().zip(self.entry) {
            if !value.is_empty() {
                map.serialize_entry(&column.header, &CellJson(value))?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime::value::ExcelError;

    fn cell(value: Value) -> String {
        serde_json::to_string(&CellJson(&value)).unwrap()
    }

    /// Integral numbers print without a fraction and others keep theirs.
    #[test]
    fn numbers_in_answers() {
        assert_eq!(cell(Value::Number(1.0)), "1");
        assert_eq!(cell(Value::Number(-3.0)), "-3");
        assert_eq!(cell(Value::Number(0.5)), "0.5");
        assert_eq!(cell(Value::Number(1e20)).parse::<f64>(), Ok(1e20));
        assert_eq!(cell(Value::Number(-0.0)), "0");
    }

    /// Text, booleans, empty cells and errors take the documented forms.
    #[test]
    fn other_values() {
        assert_eq!(cell(Value::text("1")), "\"1\"");
        assert_eq!(cell(Value::Bool(true)), "true");
        assert_eq!(cell(Value::Empty), "null");
        assert_eq!(cell(Value::Error(ExcelError::Div0)), r##"{"error":"#DIV/0!"}"##);
        assert_eq!(cell(Value::Error(ExcelError::NA)), r##"{"error":"#N/A"}"##);
    }
}
