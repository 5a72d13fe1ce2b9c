//! Log entries as requests send them (`api.md`, "Entries"): decoding the
//! object and array forms, checking them against the `IN` sheet's columns and
//! data validation, and reporting every problem of a batch at once.

use std::fmt;

use runtime::evaluator::Entry;
use runtime::ir::{InputLayout, Validation};
use runtime::value::Value;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{ApiError, ErrorItem};

/// The most characters a text value may hold: Excel's limit for a cell,
/// counted as Excel counts, in UTF-16 units (a character outside the Basic
/// Multilingual Plane, such as an emoji, is two).
pub const MAX_TEXT_CHARS: usize = 32_767;

/// The most problems one `ILE` answer lists; a hostile batch with a problem
/// in every key would otherwise get an answer many times its own size.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// The most characters of a request's key or text that a message quotes, so
/// that a hostile request cannot make its error answer as large as itself.
const QUOTED_CHARS: usize = 64;

/// Reads a batch of entries, given as the raw JSON array of the request,
/// with no bound on their number (the command line's `eval`).
///
/// # Errors
///
/// As [`read_entries_at_most`].
pub fn read_entries(raw: &RawValue, input: &InputLayout) -> Result<Vec<Entry>, ApiError> {
    read_entries_at_most(raw, input, usize::MAX)
}

/// Reads a batch of at most `max_entries` entries, given as the raw JSON
/// array of the request.
///
/// # Errors
///
/// `BadRequest` when `raw` is not an array; `TooLarge` when it holds more
/// than `max_entries` entries; `InvalidEntries` listing every problem of
/// every entry otherwise.
pub fn read_entries_at_most(
    raw: &RawValue,
    input: &InputLayout,
    max_entries: usize,
) -> Result<Vec<Entry>, ApiError> {
    let items: Vec<&RawValue> = serde_json::from_str(raw.get())
        .map_err(|_| ApiError::BadRequest("'event-log' must be an array of entries".into()))?;
    if items.len() > max_entries {
        return Err(ApiError::TooLarge(format!(
            "the change carries {} entries, more than the limit of {max_entries} per change \
             (--max-entries)",
            items.len()
        )));
    }
    let mut entries = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let mut reader = EntryReader { input, number: index + 1, problems: &mut problems };
        if let Some(entry) = reader.read(item) {
            entries.push(entry);
        }
    }
    if problems.is_empty() {
        return Ok(entries);
    }
    let more = problems.len().saturating_sub(MAX_LISTED_PROBLEMS);
    if more > 0 {
        problems.truncate(MAX_LISTED_PROBLEMS);
        let message = format!("{more} more problems of these entries are not listed here");
        problems.push(ErrorItem::new("ILE", message));
    }
    Err(ApiError::InvalidEntries(problems))
}

/// Whether `stored`, already in the log, holds these very entries: the
/// comparison a retried append relies on. Entries are compared after reading,
/// so the object and array forms, key case and `1`/`1.0` do not matter.
pub fn same_entries(stored: &[Entry], sent: &[Entry]) -> bool {
    stored.len() == sent.len() && stored.iter().zip(sent).all(|(a, b)| a == b)
}

/// Reads one entry, collecting its problems.
struct EntryReader<'a> {
    input: &'a InputLayout,
    /// 1-based number of the entry within the request.
    number: usize,
    problems: &'a mut Vec<ErrorItem>,
}

impl EntryReader<'_> {
    fn problem(&mut self, column: Option<&str>, message: String) {
        let message = match column {
            Some(column) => format!("entry {}, column '{column}': {message}", self.number),
            None => format!("entry {}: {message}", self.number),
        };
        self.problems.push(ErrorItem {
            entry: Some(self.number),
            column: column.map(str::to_string),
            ..ErrorItem::new("ILE", message)
        });
    }

    fn read(&mut self, raw: &RawValue) -> Option<Entry> {
        let before = self.problems.len();
        let text = raw.get().trim_start();
        let mut entry = vec![Value::Empty; self.input.columns.len()];
        if text.starts_with('{') {
            self.read_object(raw, &mut entry);
        } else if text.starts_with('[') {
            self.read_array(raw, &mut entry);
        } else {
            self.problem(
                None,
                format!("an entry must be an object or an array, not {}", quoted(text)),
            );
            return None;
        }
        if self.problems.len() > before {
            return None;
        }
        if entry.iter().all(Value::is_empty) {
            self.problem(None, "the entry has no value at all".into());
            return None;
        }
        self.validate(&entry);
        (self.problems.len() == before).then_some(entry)
    }

    fn read_object(&mut self, raw: &RawValue, entry: &mut Entry) {
        let Ok(Pairs(pairs)) = serde_json::from_str::<Pairs<'_>>(raw.get()) else {
            self.problem(None, "the entry is not a well-formed object".into());
            return;
        };
        let mut seen: Vec<Option<String>> = vec![None; entry.len()];
        for (key, value) in pairs {
            let Some(index) = self.column_index(&key) else { continue };
            let header = self.input.columns[index].header.clone();
            if let Some(first) = &seen[index] {
                let message = format!("keys '{first}' and '{key}' name the same column");
                self.problem(Some(&header), message);
                continue;
            }
            if let Some(value) = self.read_value(value, &header) {
                entry[index] = value;
            }
            seen[index] = Some(key);
        }
    }

    /// The input column a key names, reporting unknown and derived columns.
    fn column_index(&mut self, key: &str) -> Option<usize> {
        let columns = &self.input.columns;
        if let Some(index) = columns.iter().position(|c| same_header(&c.header, key)) {
            return Some(index);
        }
        if self.input.derived.iter().any(|(_, header)| same_header(header, key)) {
            self.problem(
                Some(&quoted(key)),
                "a derived column is computed by the workbook and takes no value".into(),
            );
        } else {
            let known: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
            let message = format!("unknown column; the input columns are {}", known.join(", "));
            self.problem(Some(&quoted(key)), message);
        }
        None
    }

    fn read_array(&mut self, raw: &RawValue, entry: &mut Entry) {
        let Ok(values) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
            self.problem(None, "the entry is not a well-formed array".into());
            return;
        };
        if values.len() > entry.len() {
            let message = format!(
                "the array has {} values but the workbook has {} input columns",
                values.len(),
                entry.len()
            );
            self.problem(None, message);
            return;
        }
        for (index, value) in values.into_iter().enumerate() {
            let header = self.input.columns[index].header.clone();
            if let Some(value) = self.read_value(value, &header) {
                entry[index] = value;
            }
        }
    }

    /// One value: number, string, boolean or null; `""` is empty.
    fn read_value(&mut self, raw: &RawValue, header: &str) -> Option<Value> {
        let text = raw.get().trim();
        match text.as_bytes().first() {
            Some(b'{') | Some(b'[') => {
                self.problem(
                    Some(header),
                    "a value must be a number, a string, a boolean or null".into(),
                );
                None
            }
            Some(b'n') => Some(Value::Empty),
            Some(b't') => Some(Value::Bool(true)),
            Some(b'f') => Some(Value::Bool(false)),
            Some(b'"') => match serde_json::from_str::<String>(text) {
                Ok(s) if s.is_empty() => Some(Value::Empty),
                // A UTF-8 text has at least as many bytes as UTF-16 units.
                Ok(s) if s.len() > MAX_TEXT_CHARS && s.encode_utf16().count() > MAX_TEXT_CHARS => {
                    let message = format!(
                        "the text is {} characters long, more than the {MAX_TEXT_CHARS} \
                         Excel allows in a cell",
                        s.encode_utf16().count()
                    );
                    self.problem(Some(header), message);
                    None
                }
                Ok(s) => Some(Value::text(s)),
                Err(_) => {
                    self.problem(Some(header), "the string is not well-formed".into());
                    None
                }
            },
            _ => self.read_number(text, header),
        }
    }

    fn read_number(&mut self, text: &str, header: &str) -> Option<Value> {
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(Value::Number(if n == 0.0 { 0.0 } else { n })),
            _ => {
                self.problem(
                    Some(header),
                    format!("the number {} is out of the range of a double", quoted(text)),
                );
                None
            }
        }
    }

    fn validate(&mut self, entry: &Entry) {
        for (column, value) in self.input.columns.iter().zip(entry) {
            if let Some(message) = column.validation.as_ref().and_then(|v| check(v, value)) {
                self.problem(Some(&column.header), message);
            }
        }
    }
}

/// Whether a key names a header, compared case-insensitively (Unicode case,
/// so `ÉQUIPE` names `équipe`).
fn same_header(header: &str, key: &str) -> bool {
    header.eq_ignore_ascii_case(key) || header.to_lowercase() == key.to_lowercase()
}

/// Checks a value against a column's data validation; `Some(message)` when
/// refused, saying what is wrong and what the rule allows.
fn check(validation: &Validation, value: &Value) -> Option<String> {
    let problem = problem(validation, value)?;
    Some(format!("{problem}; the column's data validation allows {}", allowed(validation)))
}

/// What is wrong with a value under a rule, if anything.
fn problem(validation: &Validation, value: &Value) -> Option<String> {
    let allow_blank = match validation {
        Validation::Whole { allow_blank, .. }
        | Validation::Decimal { allow_blank, .. }
        | Validation::List { allow_blank, .. }
        | Validation::TextLength { allow_blank, .. } => *allow_blank,
    };
    if value.is_empty() {
        return (!allow_blank).then(|| "the column requires a value".to_string());
    }
    match validation {
        Validation::Whole { min, max, .. } => match value {
            Value::Number(n) if n.fract() == 0.0 => bounds(*n, *min, *max, "the whole number"),
            _ => Some(format!("expected a whole number, got {}", describe(value))),
        },
        Validation::Decimal { min, max, .. } => match value {
            Value::Number(n) => bounds(*n, *min, *max, "the number"),
            _ => Some(format!("expected a number, got {}", describe(value))),
        },
        Validation::List { items, .. } => check_list(items, value),
        Validation::TextLength { min, max, .. } => {
            let length = value.to_text().map(|t| t.chars().count()).unwrap_or(0);
            bounds(length as f64, *min, *max, "the text length")
        }
    }
}

/// What a rule allows, as a message states it: `a whole number from 0 to
/// 130`, `one of goal, yellow`, `text of at most 10 characters`, and
/// whether a blank passes.
fn allowed(validation: &Validation) -> String {
    let range = |min: &Option<f64>, max: &Option<f64>| match (min, max) {
        (Some(lo), Some(hi)) => format!(" from {lo} to {hi}"),
        (Some(lo), None) => format!(" of at least {lo}"),
        (None, Some(hi)) => format!(" of at most {hi}"),
        (None, None) => String::new(),
    };
    let (rule, allow_blank) = match validation {
        Validation::Whole { min, max, allow_blank } => {
            (format!("a whole number{}", range(min, max)), allow_blank)
        }
        Validation::Decimal { min, max, allow_blank } => {
            (format!("a number{}", range(min, max)), allow_blank)
        }
        Validation::List { items, allow_blank } => {
            let listed: Vec<String> = items.iter().map(list_item).collect();
            (format!("one of {}", listed.join(", ")), allow_blank)
        }
        Validation::TextLength { min, max, allow_blank } => {
            (format!("text with a length{}", range(min, max)), allow_blank)
        }
    };
    let blank = if *allow_blank { " or a blank" } else { ", never a blank" };
    format!("{rule}{blank}")
}

/// A list item as a message names it: text as it is, numbers in their form.
fn list_item(item: &Value) -> String {
    match item {
        Value::Text(t) => quoted(t),
        other => describe(other),
    }
}

/// A list rule: text matches without regard to case, numbers by value; a
/// number also matches an item of a typed list (`"1,2,3"`) that reads as
/// that number, as a number typed into such a cell passes in Excel.
fn check_list(items: &[Value], value: &Value) -> Option<String> {
    let matches = |item: &Value| match (item, value) {
        (Value::Text(a), Value::Text(b)) => a.to_lowercase() == b.to_lowercase(),
        (Value::Text(a), Value::Number(n)) => a.trim().parse::<f64>().is_ok_and(|x| x == *n),
        (a, b) => a == b,
    };
    if items.iter().any(matches) {
        return None;
    }
    Some(format!("{} is not in the list", describe(value)))
}

fn bounds(n: f64, min: Option<f64>, max: Option<f64>, what: &str) -> Option<String> {
    match (min, max) {
        (Some(lo), _) if n < lo => Some(format!("{what} {n} is below the minimum {lo}")),
        (_, Some(hi)) if n > hi => Some(format!("{what} {n} is above the maximum {hi}")),
        _ => None,
    }
}

/// A value as a message quotes it.
fn describe(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("the text \"{}\"", quoted(t)),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Empty => "an empty value".to_string(),
        Value::Error(e) => format!("the error {e}"),
        Value::Array(_) => "an array".to_string(),
    }
}

/// `text` as a message quotes it: whole when short, otherwise its first
/// [`QUOTED_CHARS`] characters and an ellipsis.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// An object's key/value pairs in order, duplicates kept, values unparsed.
struct Pairs<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

struct PairsVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for PairsVisitor<'a> {
    type Value = Pairs<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Pairs<'a>, M::Error> {
        let mut pairs = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
            pairs.push((key, value));
        }
        Ok(Pairs(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(min: f64, max: f64) -> Validation {
        Validation::Whole { min: Some(min), max: Some(max), allow_blank: false }
    }

    /// Whole-number bounds are inclusive and a fraction is refused.
    #[test]
    fn whole_numbers() {
        assert_eq!(check(&whole(0.0, 130.0), &Value::Number(0.0)), None);
        assert_eq!(check(&whole(0.0, 130.0), &Value::Number(130.0)), None);
        assert!(check(&whole(0.0, 130.0), &Value::Number(130.5)).is_some());
        assert!(check(&whole(0.0, 130.0), &Value::Empty).is_some());
    }

    /// Decimal validation takes fractions within its bounds and refuses text and booleans.
    #[test]
    fn decimals() {
        let decimal = Validation::Decimal { min: Some(-1.5), max: None, allow_blank: true };
        assert_eq!(check(&decimal, &Value::Number(-1.5)), None);
        assert_eq!(check(&decimal, &Value::Number(1e300)), None);
        assert_eq!(check(&decimal, &Value::Empty), None);
        assert!(check(&decimal, &Value::Number(-1.51)).is_some());
        assert!(check(&decimal, &Value::text("2")).is_some());
        assert!(check(&decimal, &Value::Bool(true)).is_some());
    }

    /// List items match numbers by value and text without regard to case.
    #[test]
    fn lists() {
        let items = vec![Value::Number(1.0), Value::text("Home")];
        let list = Validation::List { items, allow_blank: true };
        assert_eq!(check(&list, &Value::Number(1.0)), None);
        assert_eq!(check(&list, &Value::text("HOME")), None);
        assert!(check(&list, &Value::text("1")).is_some());
        assert!(check(&list, &Value::Number(2.0)).is_some());
    }

    /// Text length counts characters, not bytes, and counts a number's digits.
    #[test]
    fn text_lengths() {
        let length = Validation::TextLength { min: Some(2.0), max: Some(3.0), allow_blank: false };
        assert_eq!(check(&length, &Value::text("äöü")), None);
        assert_eq!(check(&length, &Value::Number(123.0)), None);
        assert!(check(&length, &Value::text("a")).is_some());
        assert!(check(&length, &Value::text("abcd")).is_some());
    }

    /// Quoted request text is cut at 64 characters, counting characters.
    #[test]
    fn quoting() {
        assert_eq!(quoted("minute"), "minute");
        let long = "é".repeat(100);
        assert_eq!(quoted(&long), format!("{}…", "é".repeat(64)));
    }

    /// The rule a refusal states reads as the template's data validation.
    #[test]
    fn rules_as_stated() {
        let whole = Validation::Whole { min: Some(0.0), max: Some(130.0), allow_blank: false };
        assert_eq!(allowed(&whole), "a whole number from 0 to 130, never a blank");
        let text = Validation::TextLength { min: None, max: Some(10.0), allow_blank: true };
        assert_eq!(allowed(&text), "text with a length of at most 10 or a blank");
        let items = vec![Value::text("goal"), Value::Number(2.0)];
        let list = Validation::List { items, allow_blank: true };
        assert_eq!(allowed(&list), "one of goal, the number 2 or a blank");
    }

    /// A number matches an item of a typed list that reads as that number.
    #[test]
    fn numbers_in_typed_lists() {
        let items = vec![Value::text("1"), Value::text("2")];
        let list = Validation::List { items, allow_blank: false };
        assert_eq!(check(&list, &Value::Number(2.0)), None);
        assert!(check(&list, &Value::Number(3.0)).is_some());
    }

    /// Headers match keys without regard to case, beyond ASCII too.
    #[test]
    fn header_case() {
        assert!(same_header("équipe", "ÉQUIPE"));
        assert!(same_header("Minute", "minute"));
        assert!(!same_header("minute", "minutes"));
    }
}
