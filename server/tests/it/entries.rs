//! The entries rules of `api.md`: each way an entry is refused with `ILE`,
//! and the ways an entry is read.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{code, TestApp};

/// Appends `entries` to a fresh event and expects `ILE` naming `entry` and `column`.
async fn refused(entries: &str, entry: usize, column: Option<&str>) {
    let t = TestApp::new().await;
    t.create("e").await;
    let (status, json) = t.append("e", entries).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"), "{entries}: {json}");
    let item = &json["errors"][0];
    assert_eq!(item["entry"], json!(entry), "{entries}");
    assert_eq!(item["column"].as_str(), column, "{entries}");
    let message = item["message"].as_str().unwrap();
    assert!(message.contains(&format!("entry {entry}")), "{message}");
    assert_eq!(t.log("e").await, json!([]), "a refused batch must change nothing");
}

/// An unknown column is refused, naming it.
#[tokio::test]
async fn unknown_column() {
    refused(r#"[{"type": "goal"}, {"type": "goal", "minuet": 3}]"#, 2, Some("minuet")).await;
}

/// A value for a derived column is refused.
#[tokio::test]
async fn derived_column() {
    refused(r#"[{"type": "goal", "HOME_GOALS": 1}]"#, 1, Some("HOME_GOALS")).await;
}

/// Two keys naming the same column, differing in case, are refused.
#[tokio::test]
async fn duplicate_keys() {
    refused(r#"[{"type": "goal", "minute": 1, "MINUTE": 2}]"#, 1, Some("minute")).await;
    refused(r#"[{"type": "goal", "minute": 1, "minute": 1}]"#, 1, Some("minute")).await;
}

/// An array longer than the input columns is refused.
#[tokio::test]
async fn array_too_long() {
    refused(r#"[[1, "goal", "home", "p", "extra"]]"#, 1, None).await;
}

/// A value that is an object or an array is refused.
#[tokio::test]
async fn nested_values() {
    refused(r#"[{"type": "goal", "team": {"name": "home"}}]"#, 1, Some("Team")).await;
    refused(r#"[[1, "goal", ["home"]]]"#, 1, Some("Team")).await;
}

/// A number out of the range of a double is refused (not a malformed body).
#[tokio::test]
async fn number_out_of_range() {
    refused(r#"[{"type": "goal", "minute": 1e400}]"#, 1, Some("minute")).await;
}

/// An entry with no value at all is refused, in every form.
#[tokio::test]
async fn empty_entries() {
    refused(r#"[{}]"#, 1, None).await;
    refused(r#"[[]]"#, 1, None).await;
    refused(r#"[{"type": "goal"}, {"minute": null, "team": ""}]"#, 2, None).await;
}

/// An entry that is neither an object nor an array is refused.
#[tokio::test]
async fn entry_of_wrong_shape() {
    refused(r#"[42]"#, 1, None).await;
    refused(r#"[{"type": "goal"}, "goal"]"#, 2, None).await;
}

/// Whole-number validation refuses text, fractions and values beyond its bounds.
#[tokio::test]
async fn whole_number_validation() {
    refused(r#"[{"type": "goal", "minute": "46"}]"#, 1, Some("minute")).await;
    refused(r#"[{"type": "goal", "minute": 45.5}]"#, 1, Some("minute")).await;
    refused(r#"[{"type": "goal", "minute": 131}]"#, 1, Some("minute")).await;
    refused(r#"[{"type": "goal", "minute": -1}]"#, 1, Some("minute")).await;
    refused(r#"[{"type": "goal", "minute": true}]"#, 1, Some("minute")).await;
}

/// List validation refuses values outside the list, and no value where blanks are not allowed.
#[tokio::test]
async fn list_validation() {
    refused(r#"[{"type": "penalty"}]"#, 1, Some("type")).await;
    refused(r#"[{"minute": 3}]"#, 1, Some("type")).await;
}

/// Text-length validation refuses text longer than its maximum.
#[tokio::test]
async fn text_length_validation() {
    refused(r#"[{"type": "goal", "player": "Sir Bobby Charlton"}]"#, 1, Some("player")).await;
}

/// Every problem of a batch is listed, one item each.
#[tokio::test]
async fn every_problem_is_listed() {
    let t = TestApp::new().await;
    t.create("e").await;
    let (status, json) =
        t.append("e", r#"[{"type": "x"}, {"type": "goal"}, {"kind": 1, "type": "red"}]"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let entries: Vec<_> =
        json["errors"].as_array().unwrap().iter().map(|e| e["entry"].clone()).collect();
    assert_eq!(entries, [json!(1), json!(3)]);
}

/// Values accepted by validation: list items match case-insensitively, bounds are inclusive.
#[tokio::test]
async fn accepted_values() {
    let t = TestApp::new().await;
    t.create("e").await;
    let (status, json) =
        t.append("e", r#"[{"type": "GOAL", "minute": 130, "player": "0123456789"}]"#).await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// A string stays text, `""` and null are empty, and a shorter array leaves the rest empty.
#[tokio::test]
async fn values_as_read() {
    let t = TestApp::new().await;
    t.create("e").await;
    let (status, json) =
        t.append("e", r#"[[null, "goal", "12"], [7, "red", "", null], [0, "red", true]]"#).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        t.log("e").await,
        json!([
            {"type": "goal", "Team": "12"},
            {"minute": 7, "type": "red"},
            {"minute": 0, "type": "red", "Team": true}
        ])
    );
}

/// `event-log` that is not an array, or missing, is a malformed request.
#[tokio::test]
async fn event_log_must_be_an_array() {
    let t = TestApp::new().await;
    t.create("e").await;
    for body in [
        r#"{"params": {"event-log": {"type": "goal"}}}"#,
        r#"{"params": {}}"#,
        r#"{"params": {"event-log": [], "log-length": "x"}}"#,
    ] {
        let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{body}");
    }
}
