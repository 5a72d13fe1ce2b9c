//! The engine's limits: each answered with the spec's code, a message
//! naming the limit and its value, and no change of state.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::real::{edited_workbook, validated_workbook, zip_bomb, RealApp};
use crate::support::{code, upload, TestApp};

/// The single error message of a failure body.
fn message(json: &serde_json::Value) -> &str {
    json["errors"][0]["message"].as_str().unwrap_or("<none>")
}

/// A body announced larger than `--max-body` is refused before it is read,
/// with the limit in the message.
#[tokio::test]
async fn announced_body_over_the_limit() {
    let t = TestApp::with_config(|c| c.max_body = 1024).await;
    t.create("e").await;
    let body = format!(r#"{{"params": {{"event-log": [{{"Team": "{}"}}]}}}}"#, "x".repeat(2000));
    let request = Request::post("/api/events/e/event-log")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    let (status, _, json) = t.send(request).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
    assert_eq!(
        message(&json),
        "the request body is larger than the limit of 1 KiB (1024 bytes, --max-body)"
    );
    assert_eq!(t.log("e").await, json!([]));
}

/// A body sent in chunks, its length unknown, is cut at `--max-body` and
/// answered with the same message.
#[tokio::test]
async fn streamed_body_over_the_limit() {
    let t = TestApp::with_config(|c| c.max_body = 1000).await;
    t.create("e").await;
    let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b' '; 64]));
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let request = Request::put("/api/events/e/event-log").body(body).unwrap();
    let (status, _, json) = t.send(request).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
    assert_eq!(
        message(&json),
        "the request body is larger than the limit of 1000 bytes (1000 bytes, --max-body)"
    );
}

/// An upload over `--max-upload` names that limit, and no file is added.
#[tokio::test]
async fn upload_over_the_limit() {
    let t = TestApp::with_config(|c| c.max_upload = 2048).await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", &[b'x'; 4000], None)).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
    assert_eq!(
        message(&json),
        "the upload is larger than the limit of 2 KiB (2048 bytes, --max-upload)"
    );
    let (_, files) = t.call("GET", "/api/files", None).await;
    assert_eq!(files["data"].as_array().unwrap().len(), 1);
}

/// A change with more entries than `--max-entries` is refused whole.
#[tokio::test]
async fn entries_per_change() {
    let t = TestApp::with_config(|c| c.max_entries = 3).await;
    t.create("e").await;
    let four = r#"[{"type": "goal"}, {"type": "goal"}, {"type": "red"}, {"type": "red"}]"#;
    let (status, json) = t.append("e", four).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
    assert_eq!(
        message(&json),
        "the change carries 4 entries, more than the limit of 3 per change (--max-entries)"
    );
    assert_eq!(t.log("e").await, json!([]));
    let (status, _) =
        t.append("e", r#"[{"type": "goal"}, {"type": "goal"}, {"type": "red"}]"#).await;
    assert_eq!(status, StatusCode::OK);
}

/// A text of 32,767 characters, Excel's limit for a cell, is taken; one
/// more character is refused, naming the entry, the column and the limit.
#[tokio::test]
async fn text_of_excels_largest_cell() {
    let t = TestApp::new().await;
    t.create("e").await;
    let entry = |n: usize| {
        format!(r#"[{{"type": "goal"}}, {{"type": "red", "Team": "{}"}}]"#, "é".repeat(n))
    };
    let (status, json) = t.append("e", &entry(32_768)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"));
    assert_eq!(json["errors"][0]["entry"], 2);
    assert_eq!(json["errors"][0]["column"], "Team");
    assert_eq!(
        message(&json),
        "entry 2, column 'Team': the text is 32768 characters long, more than the 32767 \
         Excel allows in a cell"
    );
    assert_eq!(t.log("e").await, json!([]));
    let (status, json) = t.append("e", &entry(32_767)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// Excel counts a cell's characters in UTF-16 units, so an emoji such as
/// 🙂 is two: 10,922 pairs of ⚽ (one unit) and 🙂 fit in a cell, 10,923 do
/// not.
#[tokio::test]
async fn characters_count_as_excel_counts_them() {
    let t = TestApp::new().await;
    t.create("e").await;
    let entry = |n: usize| format!(r#"[{{"type": "red", "Team": "{}"}}]"#, "⚽🙂".repeat(n));
    let (status, json) = t.append("e", &entry(10_923)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"));
    assert!(message(&json).contains("the text is 32769 characters long"), "{json}");
    let (status, json) = t.append("e", &entry(10_922)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// Past `--max-events` live events, creating one answers 503 `STU` with
/// `Retry-After` and the limit in the message; a release makes room.
#[tokio::test]
async fn live_events_per_engine() {
    let t = TestApp::with_config(|c| c.max_events = 2).await;
    t.create("a").await;
    t.create("b").await;
    let body = r#"{"params": {"file-id": 100, "event-id": "c"}}"#;
    let (status, headers, json) =
        t.send(crate::support::request("POST", "/api/events", Some(body), None)).await;
    assert_eq!((status, code(&json)), (StatusCode::SERVICE_UNAVAILABLE, "STU"));
    assert_eq!(headers["retry-after"], "5");
    assert_eq!(
        message(&json),
        "the engine holds 2 live events, its limit (--max-events 2); release events or retry later"
    );
    let (_, list) = t.call("GET", "/api/events", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    // Other calls go on while the engine is full.
    let (status, _) = t.append("a", r#"[{"type": "goal"}]"#).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = t.call("DELETE", "/api/events/b", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    t.create("c").await;
}

/// Event ids: at most 128 characters (not bytes), no control character,
/// not `.` or `..`; each refusal says which rule it broke.
#[tokio::test]
async fn event_id_format() {
    let t = TestApp::new().await;
    let t = &t;
    let create = |id: String| {
        let body = json!({"params": {"file-id": 100, "event-id": id}}).to_string();
        async move { t.call("POST", "/api/events", Some(&body)).await }
    };
    let cases = [
        ("ü".repeat(129), "the event id is longer than 128 characters"),
        ("tab\there".to_string(), "the event id holds a control character"),
        ("..".to_string(), "the event id cannot be '.' or '..'"),
        (".".to_string(), "the event id cannot be '.' or '..'"),
        (String::new(), "the event id is empty"),
    ];
    for (id, expected) in cases {
        let (status, json) = create(id.clone()).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{id:?}");
        assert!(message(&json).contains(expected), "{id:?}: {json}");
    }
    let (status, json) = create("ü".repeat(128)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let (_, list) = t.call("GET", "/api/events", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

/// Uploads a workbook to the real pipeline and returns the `IWF` messages,
/// checking that the files are as before.
async fn refused_workbook(bytes: &[u8]) -> Vec<String> {
    let t = RealApp::new().await;
    let before = t.observable_state().await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", bytes, None)).await;
    assert_eq!((status, code(&json)), (StatusCode::UNPROCESSABLE_ENTITY, "IWF"), "{json}");
    assert_eq!(t.observable_state().await, before);
    json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().into())
        .collect()
}

/// Puts `formula` into OUT!B2 of the validated workbook.
fn with_out_formula(formula: &str) -> Vec<u8> {
    edited_workbook("xl/worksheets/sheet2.xml", |xml| {
        let start = xml.find("<f>").unwrap();
        let end = xml[start..].find("</f>").unwrap() + start;
        format!("{}<f>{formula}</f>{}", &xml[..start], &xml[end + 4..])
    })
}

/// A formula longer than Excel's 8,192 characters is refused at upload,
/// naming the limit; one of 8,192 characters is not refused for its length.
#[tokio::test]
async fn formula_length() {
    let long = format!("1{}", "+1".repeat(4096));
    let messages = refused_workbook(&with_out_formula(&long)).await;
    assert!(messages.iter().any(|m| m.contains("more than the 8192")), "{messages:?}");
    let t = RealApp::new().await;
    let longest = format!("1{}", "+1".repeat(4095) + "+");
    let bytes = with_out_formula(&format!("{}1", &longest[..longest.len() - 1]));
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", &bytes, None)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// Formulas nested deeper than the parser's bound are refused at upload.
#[tokio::test]
async fn formula_nesting() {
    let deep = format!("{}1{}", "(".repeat(300), ")".repeat(300));
    let messages = refused_workbook(&with_out_formula(&deep)).await;
    assert!(messages.iter().any(|m| m.contains("nest")), "{messages:?}");
}

/// XML nested deeper than the reader's bound (256 levels) is refused.
#[tokio::test]
async fn xml_depth() {
    let bytes = edited_workbook("xl/worksheets/sheet1.xml", |xml| {
        let deep = format!("{}{}", "<x>".repeat(300), "</x>".repeat(300));
        xml.replace("</worksheet>", &format!("{deep}</worksheet>"))
    });
    let messages = refused_workbook(&bytes).await;
    assert!(messages.iter().any(|m| m.contains("deeper than 256 levels")), "{messages:?}");
}

/// A zip bomb that declares its size is refused from the central
/// directory, before any inflation.
#[tokio::test]
async fn zip_bomb_declared() {
    let bomb = zip_bomb(1 + 258 * 1_000_000, 258_000_001);
    assert!(bomb.len() < 2_000_000, "the bomb is {} bytes", bomb.len());
    let messages = refused_workbook(&bomb).await;
    assert!(
        messages.iter().any(|m| m.contains("258000001 bytes uncompressed")
            && m.contains("exceeds the limit of 209715200")),
        "{messages:?}"
    );
}

/// A zip bomb whose header understates its size is cut where the header
/// says it ends, and refused.
#[tokio::test]
async fn zip_bomb_lying() {
    let bomb = zip_bomb(1 + 258 * 1_000_000, 4096);
    let messages = refused_workbook(&bomb).await;
    assert!(messages.iter().any(|m| m.contains("xl/worksheets/sheet1.xml")), "{messages:?}");
}

/// More zip entries than the reader's bound (10,000) are refused.
#[tokio::test]
async fn zip_entry_count() {
    let mut parts = crate::real::unzip(&validated_workbook());
    for n in 0..10_001 {
        parts.push((format!("junk/{n}"), Vec::new()));
    }
    let messages = refused_workbook(&crate::real::rezip(&parts)).await;
    assert!(
        messages.iter().any(|m| m.contains("zip entries") && m.contains("limit of 10000")),
        "{messages:?}"
    );
}
