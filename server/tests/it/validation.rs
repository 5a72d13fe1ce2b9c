//! Data validation on `IN` columns (`docs/workbooks.md`, "Types"), through
//! the API on a workbook built with every kind of rule the engine enforces.
//! What passes and what is refused follows Excel's rules for each kind:
//! `between` bounds are inclusive, `greater than` is strict, a whole-number
//! rule refuses fractions and text, a text-length rule counts characters,
//! and "Ignore blank" decides whether an empty cell passes.

use axum::http::StatusCode;
use serde_json::json;

use crate::real::{results, RealApp};
use crate::support::code;

/// Asserts that appending `entries` is refused with one `ILE` item naming
/// `entry`, `column` and a message holding each of `words`, and that the
/// event and files are exactly as before.
async fn refused(t: &RealApp, entries: &str, entry: usize, column: &str, words: &[&str]) {
    let before = t.observable_state().await;
    let (status, json) = t.append(entries).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"), "{entries}: {json}");
    let items = json["errors"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{json}");
    assert_eq!(items[0]["entry"], json!(entry), "{json}");
    assert_eq!(items[0]["column"], json!(column), "{json}");
    let message = items[0]["message"].as_str().unwrap();
    assert!(message.contains(&format!("entry {entry}, column '{column}'")), "{message}");
    for word in words {
        assert!(message.contains(word), "{message} lacks {word}");
    }
    assert_eq!(t.observable_state().await, before, "{entries} changed the state");
}

/// Appends `entries` and returns the `result` column of the outcomes.
async fn accepted(t: &RealApp, entries: &str) -> Vec<serde_json::Value> {
    let (status, json) = t.append(entries).await;
    assert_eq!(status, StatusCode::OK, "{entries}: {json}");
    results(&json["data"])
}

/// A whole-number rule between 0 and 130 takes both bounds and refuses
/// a fraction, a value outside, a text that looks like a number, a
/// boolean, and a blank when "Ignore blank" is off.
#[tokio::test]
async fn whole_number_between() {
    let t = RealApp::new().await;
    let allows = "a whole number from 0 to 130, never a blank";
    refused(&t, r#"[{"minute": 45.5, "type": "goal"}]"#, 1, "minute", &["45.5", allows]).await;
    refused(&t, r#"[{"minute": 131, "type": "goal"}]"#, 1, "minute", &["above the maximum 130"])
        .await;
    refused(&t, r#"[{"minute": -1, "type": "goal"}]"#, 1, "minute", &["below the minimum 0"]).await;
    refused(&t, r#"[{"minute": "46", "type": "goal"}]"#, 1, "minute", &["the text \"46\""]).await;
    refused(&t, r#"[{"minute": true, "type": "goal"}]"#, 1, "minute", &["boolean"]).await;
    refused(&t, r#"[{"type": "goal"}]"#, 1, "minute", &["requires a value", allows]).await;
    refused(&t, r#"[[null, null, "goal"]]"#, 1, "minute", &["requires a value"]).await;
    let results =
        accepted(&t, r#"[{"minute": 0, "type": "goal"}, {"minute": 130, "type": "red"}]"#).await;
    assert_eq!(results, [json!(2), json!(1), json!(0)]);
}

/// A decimal rule "greater than 1" refuses 1 itself and takes the next
/// fractions above it; a blank passes with "Ignore blank" on.
#[tokio::test]
async fn decimal_greater_than() {
    let t = RealApp::new().await;
    let entries = r#"[{"minute": 1, "type": "goal", "odds": 1}]"#;
    refused(&t, entries, 1, "odds", &["below the minimum", "a number of at least"]).await;
    let entries = r#"[{"minute": 1, "type": "goal", "odds": "2.5"}]"#;
    refused(&t, entries, 1, "odds", &["expected a number"]).await;
    let results = accepted(
        &t,
        r#"[{"minute": 1, "type": "goal", "odds": 1.25}, {"minute": 2, "type": "red"}]"#,
    )
    .await;
    assert_eq!(results, [json!(2), json!(1), json!(1.25)]);
}

/// A typed list takes its items and refuses others; a blank is refused
/// when "Ignore blank" is off.
#[tokio::test]
async fn typed_list() {
    let t = RealApp::new().await;
    let allows = "one of goal, yellow, red, never a blank";
    refused(&t, r#"[{"minute": 3, "type": "penalty"}]"#, 1, "type", &["\"penalty\"", allows]).await;
    refused(&t, r#"[{"minute": 3, "type": ""}]"#, 1, "type", &["requires a value"]).await;
    refused(&t, r#"[{"minute": 3, "type": 7}]"#, 1, "type", &["the number 7 is not in the list"])
        .await;
    let results = accepted(&t, r#"[{"minute": 3, "type": "yellow"}]"#).await;
    assert_eq!(results, [json!(1), json!(0), json!(0)]);
}

/// A list whose source is a range on another sheet takes the range's values.
#[tokio::test]
async fn list_from_a_range() {
    let t = RealApp::new().await;
    let entries = r#"[{"minute": 3, "type": "goal", "team": "draw"}]"#;
    refused(&t, entries, 1, "team", &["\"draw\"", "one of home, away"]).await;
    let results = accepted(&t, r#"[{"minute": 3, "type": "goal", "team": "away"}]"#).await;
    assert_eq!(results, [json!(1), json!(1), json!(0)]);
}

/// A text-length rule "at most 10" counts characters, not bytes; a number's
/// length is that of its text.
#[tokio::test]
async fn text_length_at_most() {
    let t = RealApp::new().await;
    let entries = r#"[{"minute": 3, "type": "goal", "player": "abcdefghijk"}]"#;
    let words = ["the text length 11 is above the maximum 10", "text with a length of at most 10"];
    refused(&t, entries, 1, "player", &words).await;
    let entries = r#"[{"minute": 3, "type": "goal", "player": 12345678901}]"#;
    refused(&t, entries, 1, "player", &["length 11"]).await;
    // Ten characters of two bytes each: 20 bytes, yet within the rule.
    let entries = r#"[{"minute": 3, "type": "goal", "player": "éééééééééé"}]"#;
    let results = accepted(&t, entries).await;
    assert_eq!(results, [json!(1), json!(1), json!(0)]);
}

/// Every problem of every entry of a change is listed, each located, and
/// nothing of the change applies.
#[tokio::test]
async fn every_entry_is_checked() {
    let t = RealApp::new().await;
    let before = t.observable_state().await;
    let entries = r#"[{"minute": 1, "type": "goal"},
        {"minute": 200, "type": "goal"},
        [5, 0.5, "corner", "a very long name"]]"#;
    let (status, json) = t.append(entries).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"), "{json}");
    let located: Vec<(u64, &str)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["entry"].as_u64().unwrap(), i["column"].as_str().unwrap()))
        .collect();
    assert_eq!(located, [(2, "minute"), (3, "odds"), (3, "type"), (3, "player")]);
    assert_eq!(t.observable_state().await, before);
}

/// A rewrite is checked like an append.
#[tokio::test]
async fn rewrite_is_checked() {
    let t = RealApp::new().await;
    accepted(&t, r#"[{"minute": 1, "type": "goal"}]"#).await;
    let before = t.observable_state().await;
    let body = r#"{"params": {"event-log": [{"minute": 1.5, "type": "goal"}]}}"#;
    let (status, json) = t.call("PUT", "/api/events/e/event-log", Some(body)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"), "{json}");
    assert_eq!(json["errors"][0]["column"], "minute");
    assert_eq!(t.observable_state().await, before);
}
