//! Exact-match lookups into a table that never changes (a range of a
//! workbook's constants): where each value first occurs, found by hashing
//! rather than by comparing cell after cell as `MATCH(x, r, 0)` and
//! `VLOOKUP(x, t, k, FALSE)` do.
//!
//! The index answers only where the library's exact match certainly picks
//! the same position: equal kinds, numbers equal exactly (as `compare`
//! orders them), text equal after lower-casing each character (as
//! `compare_text` orders it). A lookup it cannot answer (an error, a blank,
//! a text with wildcards or `~`, a value not in the table) is `None`, and
//! the caller asks the library, whose answer then stands.

use std::collections::HashMap;

use crate::criteria::has_wildcards;
use crate::value::Value;

/// Where each number, text and boolean of a column or row first occurs.
#[derive(Debug, Default)]
pub struct ExactIndex {
    first: HashMap<Key, usize>,
}

/// A value as exact matching tells values apart.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Key {
    Number(u64),
    Text(String),
    Bool(bool),
}

impl Key {
    fn of(value: &Value) -> Option<Key> {
        match value {
            // -0 and 0 are one number.
            Value::Number(n) if *n == 0.0 => Some(Key::Number(0f64.to_bits())),
            Value::Number(n) => Some(Key::Number(n.to_bits())),
            Value::Text(t) if t.is_ascii() => Some(Key::Text(t.to_ascii_lowercase())),
            Value::Text(t) => Some(Key::Text(t.chars().flat_map(char::to_lowercase).collect())),
            Value::Bool(b) => Some(Key::Bool(*b)),
            _ => None,
        }
    }
}

impl ExactIndex {
    /// The index of `values`, in order.
    pub fn new(values: impl IntoIterator<Item = Value>) -> ExactIndex {
        let mut first = HashMap::new();
        for (position, value) in values.into_iter().enumerate() {
            if let Some(key) = Key::of(&value) {
                first.entry(key).or_insert(position);
            }
        }
        ExactIndex { first }
    }

    /// The first position holding `lookup`, when the index can tell.
    pub fn position(&self, lookup: &Value) -> Option<usize> {
        if let Value::Text(t) = lookup {
            if has_wildcards(t) {
                return None;
            }
        }
        self.first.get(&Key::of(lookup)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ExactIndex {
        let values = [
            Value::Empty,
            Value::text("Home"),
            Value::Number(-0.0),
            Value::text("home"),
            Value::Bool(true),
            Value::text("Straße"),
            Value::Number(2.5),
            Value::text("1"),
        ];
        ExactIndex::new(values)
    }

    /// The first of equal values wins; text is equal whatever its case, and
    /// kinds never match each other.
    #[test]
    fn positions_follow_exact_matching() {
        let index = index();
        assert_eq!(index.position(&Value::text("HOME")), Some(1));
        assert_eq!(index.position(&Value::Number(0.0)), Some(2));
        assert_eq!(index.position(&Value::Bool(true)), Some(4));
        assert_eq!(index.position(&Value::text("STRASSE")), None);
        assert_eq!(index.position(&Value::text("STRAẞE")), Some(5));
        assert_eq!(index.position(&Value::Number(1.0)), None);
        assert_eq!(index.position(&Value::text("1")), Some(7));
        assert_eq!(index.position(&Value::Number(2.5)), Some(6));
    }

    /// What the library decides by other rules is left to it.
    #[test]
    fn wildcards_blanks_and_errors_are_left_to_the_library() {
        let index = index();
        assert_eq!(index.position(&Value::text("h*")), None);
        assert_eq!(index.position(&Value::text("~home")), None);
        assert_eq!(index.position(&Value::Empty), None);
        assert_eq!(index.position(&Value::Error(crate::value::ExcelError::NA)), None);
    }
}
