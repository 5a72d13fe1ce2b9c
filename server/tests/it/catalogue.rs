//! The bad-input catalogue: malformed and hostile requests and uploads,
//! each answered with the spec's code and a message a person can act on,
//! none changing the engine's state (files, events, logs, outcomes), and
//! the engine still serving afterwards. Also: upload names never become
//! paths, and no token ever reaches the log.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::real::{edited_workbook, results, rezip, unzip, validated_workbook, zip_bomb, RealApp};
use crate::support::code;

const ADMIN: &str = "adm-TOKEN-x1";
const API: &str = "api-TOKEN-y2";

/// The catalogue's engine: both tokens set, small enough limits that
/// oversize cases stay cheap, the validated workbook as file 100 and event
/// `e` holding two entries.
async fn engine() -> RealApp {
    let t = RealApp::with_config(|c| {
        c.admin_token = Some(ADMIN.into());
        c.api_token = Some(API.into());
        c.max_body = 128 << 10;
        c.max_upload = 1 << 20;
    })
    .await;
    let body = r#"{"params": {"event-log": [{"minute": 10, "type": "goal"}, [20, 1.5, "red"]]}}"#;
    let (status, _, json) = t.send(api("POST", "/api/events/e/event-log", body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    t
}

/// A request with the API token.
fn api(method: &str, uri: &str, body: impl Into<Body>) -> Request<Body> {
    with_auth(method, uri, body, Some(&format!("Bearer {API}")))
}

fn with_auth(method: &str, uri: &str, body: impl Into<Body>, auth: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(auth) = auth {
        builder = builder.header("authorization", auth);
    }
    builder.body(body.into()).unwrap()
}

/// A log append to event `e` with the API token.
fn append(body: impl Into<Body>) -> Request<Body> {
    api("POST", "/api/events/e/event-log", body)
}

/// An append of `entries`, a JSON array text.
fn entries(entries: &str) -> Request<Body> {
    append(format!(r#"{{"params": {{"event-log": {entries}}}}}"#))
}

/// A multipart upload of `bytes` as field `field` named `name`, with the admin token.
fn upload_as(field: &str, name: &str, bytes: &[u8]) -> Request<Body> {
    upload_fields(&[(field, name, bytes)])
}

/// A multipart upload of several (field, file name, bytes) parts, with the admin token.
fn upload_fields(parts: &[(&str, &str, &[u8])]) -> Request<Body> {
    let boundary = "catalogue-boundary";
    let mut body = Vec::new();
    for (field, name, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                 filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post("/api/files")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("authorization", format!("Bearer {ADMIN}"))
        .body(Body::from(body))
        .unwrap()
}

fn upload(bytes: &[u8]) -> Request<Body> {
    upload_as("file", "book.xlsx", bytes)
}

/// One hostile request and what it must answer.
struct Case {
    name: &'static str,
    request: Request<Body>,
    status: StatusCode,
    code: &'static str,
    /// A part of the first error's message.
    says: &'static str,
}

fn case(
    name: &'static str,
    request: Request<Body>,
    status: u16,
    code: &'static str,
    says: &'static str,
) -> Case {
    Case { name, request, status: StatusCode::from_u16(status).unwrap(), code, says }
}

/// Requests refused before or while reading their body, or for their token.
fn transport_cases() -> Vec<Case> {
    // A table of cases, one item each: it reads as the catalogue itself, so it stays whole.
    let body = r#"{"params": {"event-log": [{"minute": 1, "type": "goal"}]}}"#;
    let token = "missing or wrong token";
    vec![
        case(
            "no token",
            with_auth("POST", "/api/events/e/event-log", body, None),
            401,
            "UNA",
            token,
        ),
        case(
            "wrong token",
            with_auth("POST", "/api/events/e/event-log", body, Some("Bearer api-TOKEN-y3")),
            401,
            "UNA",
            token,
        ),
        case(
            "token with a suffix",
            with_auth("POST", "/api/events/e/event-log", body, Some(&format!("Bearer {API}x"))),
            401,
            "UNA",
            token,
        ),
        case(
            "token prefix",
            with_auth("POST", "/api/events/e/event-log", body, Some("Bearer api-TOKEN")),
            401,
            "UNA",
            token,
        ),
        case(
            "basic scheme",
            with_auth("POST", "/api/events/e/event-log", body, Some(&format!("Basic {API}"))),
            401,
            "UNA",
            token,
        ),
        case(
            "empty bearer",
            with_auth("DELETE", "/api/events/e", "", Some("Bearer ")),
            401,
            "UNA",
            token,
        ),
        case("API token on files", api("DELETE", "/api/files/100", ""), 401, "UNA", token),
        case(
            "API token uploading",
            with_auth("POST", "/api/files", "x", Some(&format!("Bearer {API}"))),
            401,
            "UNA",
            token,
        ),
        case(
            "oversize body",
            append(format!(
                r#"{{"params": {{"event-log": [{{"note": "{}"}}]}}}}"#,
                "x".repeat(200_000)
            )),
            413,
            "TLA",
            "limit of 128 KiB (131072 bytes, --max-body)",
        ),
        case(
            "oversize upload",
            upload(&vec![b'x'; 2 << 20]),
            413,
            "TLA",
            "limit of 1 MiB (1048576 bytes, --max-upload)",
        ),
        case("unknown route", api("GET", "/api/nope", ""), 404, "RNF", "no such route: /api/nope"),
        case("wrong method", api("PATCH", "/api/events/e", ""), 405, "MNA", "method PATCH"),
    ]
}

/// Bodies that are not the JSON `{"params": {...}}` a change needs.
fn body_cases() -> Vec<Case> {
    // A table of cases, one item each: it reads as the catalogue itself, so it stays whole.
    let deep =
        format!(r#"{{"params": {{"event-log": [{}{}]}}}}"#, "[".repeat(50_000), "]".repeat(50_000));
    let deep_param = format!(
        r#"{{"params": {{"event-log": [], "log-length": {}{}}}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let not_json = "the body is not valid JSON";
    vec![
        case("not JSON", append("minute=1&type=goal"), 400, "BRQ", not_json),
        case("empty body", append(""), 400, "BRQ", not_json),
        case("cut JSON", append(r#"{"params": {"event-log": [{"minute": 1"#), 400, "BRQ", not_json),
        case(
            "trailing garbage",
            append(r#"{"params": {"event-log": []}} x"#),
            400,
            "BRQ",
            not_json,
        ),
        case(
            "invalid UTF-8",
            append(b"{\"params\": {\"event-log\": [[\"\xff\xfe\"]]}}".to_vec()),
            400,
            "BRQ",
            not_json,
        ),
        case("NaN literal", entries(r#"[{"minute": NaN, "type": "goal"}]"#), 400, "BRQ", not_json),
        case(
            "Infinity literal",
            entries(r#"[{"odds": Infinity, "minute": 1}]"#),
            400,
            "BRQ",
            not_json,
        ),
        case("deep JSON entry", append(deep), 400, "ILE", "a value must be a number, a string"),
        case("deep JSON parameter", append(deep_param), 400, "BRQ", "recursion limit exceeded"),
        case("array body", append("[]"), 400, "BRQ", r#"of the form {"params": {...}}"#),
        case(
            "params not an object",
            append(r#"{"params": 5}"#),
            400,
            "BRQ",
            "'params' must be an object",
        ),
        case("no params", append(r#"{}"#), 400, "BRQ", "lacks the 'params' object"),
        case(
            "params misspelt",
            append(r#"{"param": {}}"#),
            400,
            "BRQ",
            "unknown field `param`, expected `params`",
        ),
        case("no event-log", append(r#"{"params": {}}"#), 400, "BRQ", "'params' lacks 'event-log'"),
        case(
            "event-log object",
            append(r#"{"params": {"event-log": {"minute": 1}}}"#),
            400,
            "BRQ",
            "must be an array of entries",
        ),
        case(
            "log-length text",
            append(r#"{"params": {"event-log": [], "log-length": "2"}}"#),
            400,
            "BRQ",
            "'log-length' must be a whole number",
        ),
        case(
            "log-length negative",
            append(r#"{"params": {"event-log": [], "log-length": -1}}"#),
            400,
            "BRQ",
            "'log-length' must be a whole number",
        ),
        case(
            "log-length fraction",
            append(r#"{"params": {"event-log": [], "log-length": 2.5}}"#),
            400,
            "BRQ",
            "'log-length' must be a whole number",
        ),
        case(
            "log-length misspelt",
            append(r#"{"params": {"event-log": [], "log_length": 0}}"#),
            400,
            "BRQ",
            "unknown field `log_length`",
        ),
        case(
            "log-length beside params",
            append(r#"{"params": {"event-log": [[1, "goal", "home"]]}, "log-length": 99}"#),
            400,
            "BRQ",
            "unknown field `log-length`, expected `params`",
        ),
    ]
}

/// Entries that break the `IN` sheet's columns, rules or capacity.
fn entry_cases() -> Vec<Case> {
    // A table of cases, one item each: it reads as the catalogue itself, so it stays whole.
    let long_key = format!(r#"[{{"{}": 1}}]"#, "k".repeat(50_000));
    let long_text =
        format!(r#"[{{"minute": 1, "type": "goal", "note": "{}"}}]"#, "n".repeat(40_000));
    let eleven: Vec<String> =
        (0..11).map(|m| format!(r#"{{"minute": {m}, "type": "goal"}}"#)).collect();
    let eleven = format!("[{}]", eleven.join(","));
    let nine: Vec<String> = (0..9).map(|m| format!("[{m}, null, \"red\"]")).collect();
    let nine = format!("[{}]", nine.join(","));
    vec![
        case("huge number", entries(r#"[{"minute": 1e400, "type": "goal"}]"#), 400, "ILE", "entry 1, column 'minute': the number 1e400 is out of the range of a double"),
        case("huge negative", entries(r#"[{"odds": -1e309, "minute": 1, "type": "goal"}]"#), 400, "ILE", "out of the range of a double"),
        case("large whole number", entries(r#"[{"minute": 1e20, "type": "goal"}]"#), 400, "ILE", "above the maximum 130"),
        case("NaN as text", entries(r#"[{"minute": "NaN", "type": "goal"}]"#), 400, "ILE", "expected a whole number, got the text \"NaN\""),
        case("Infinity as text", entries(r#"[{"minute": 1, "type": "goal", "odds": "Infinity"}]"#), 400, "ILE", "expected a number, got the text \"Infinity\""),
        case("unknown column", entries(r#"[{"minute": 1, "type": "goal", "score": 3}]"#), 400, "ILE", "column 'score': unknown column; the input columns are minute, odds, type, player, team, note"),
        case("derived column", entries(r#"[{"minute": 1, "type": "goal", "GOAL": 1}]"#), 400, "ILE", "a derived column is computed by the workbook"),
        case("same column twice", entries(r#"[{"minute": 1, "type": "goal", "MINUTE": 2}]"#), 400, "ILE", "keys 'minute' and 'MINUTE' name the same column"),
        case("object value", entries(r#"[{"minute": {"$gt": 1}, "type": "goal"}]"#), 400, "ILE", "a value must be a number, a string, a boolean or null"),
        case("array value", entries(r#"[[[1], "goal"]]"#), 400, "ILE", "a value must be a number, a string, a boolean or null"),
        case("number entry", entries("[42]"), 400, "ILE", "entry 1: an entry must be an object or an array, not 42"),
        case("text entry", entries(r#"["goal"]"#), 400, "ILE", "an entry must be an object or an array"),
        case("null entry", entries("[null]"), 400, "ILE", "an entry must be an object or an array"),
        case("array too long", entries(r#"[[1, 2, "goal", "p", "home", "n", 1, 8]]"#), 400, "ILE", "the array has 8 values but the workbook has 6 input columns"),
        case("empty object", entries("[{}]"), 400, "ILE", "entry 1: the entry has no value at all"),
        case("all empty array", entries(r#"[[null, "", null]]"#), 400, "ILE", "the entry has no value at all"),
        case("long key", entries(&long_key), 400, "ILE", "unknown column"),
        case("long text", entries(&long_text), 400, "ILE", "the text is 40000 characters long, more than the 32767"),
        case("second entry bad", entries(r#"[{"minute": 1, "type": "goal"}, {"minute": 2, "type": "own goal"}]"#), 400, "ILE", "entry 2, column 'type'"),
        case("over capacity", entries(&nine), 400, "LOF", "the log would hold 11 entries but the workbook sees only 10"),
        case("rewrite over capacity", api("PUT", "/api/events/e/event-log", format!(r#"{{"params": {{"event-log": {eleven}}}}}"#)), 400, "LOF", "11 entries"),
        case("stale log-length", append(r#"{"params": {"event-log": [[5, null, "red"]], "log-length": 1}}"#), 409, "LLM", "expected a log of 1, the log holds 2"),
        case("future log-length", api("PUT", "/api/events/e/event-log", r#"{"params": {"event-log": [], "log-length": 99}}"#), 409, "LLM", "the log holds 2"),
    ]
}

/// Calls naming events and files that do not exist, or creating wrongly.
fn event_cases() -> Vec<Case> {
    // A table of cases, one item each: it reads as the catalogue itself, so it stays whole.
    let create = |params: serde_json::Value| {
        api("POST", "/api/events", json!({"params": params}).to_string())
    };
    vec![
        case(
            "no such event",
            api("POST", "/api/events/nope/event-log", r#"{"params": {"event-log": [[1]]}}"#),
            404,
            "ENF",
            "event 'nope' not found",
        ),
        case(
            "path-like event id",
            api("GET", "/api/events/..%2F..%2Fetc%2Fpasswd", ""),
            404,
            "ENF",
            "event '../../etc/passwd' not found",
        ),
        case(
            "control character in id",
            api("GET", "/api/events/a%07b", ""),
            400,
            "BRQ",
            "the event id holds a control character",
        ),
        case(
            "dot-dot event id",
            api("DELETE", "/api/events/..", ""),
            400,
            "BRQ",
            "cannot be '.' or '..'",
        ),
        case(
            "event exists",
            create(json!({"file-id": 100, "event-id": "e"})),
            400,
            "EAC",
            "Event with id 'e' is already created",
        ),
        case(
            "no such file",
            create(json!({"file-id": 999, "event-id": "f"})),
            404,
            "FNF",
            "file 999 not found",
        ),
        case(
            "event-id misspelt",
            create(json!({"file-id": 1, "event_id": "f"})),
            400,
            "BRQ",
            "unknown field `event_id`",
        ),
        case(
            "file-id text",
            create(json!({"file-id": "abc", "event-id": "f"})),
            400,
            "BRQ",
            "'file-id' must be a whole number",
        ),
        case(
            "file-id huge",
            create(json!({"file-id": 1e300, "event-id": "f"})),
            400,
            "BRQ",
            "'file-id' must be a whole number",
        ),
        case(
            "file-id negative",
            create(json!({"file-id": -1, "event-id": "f"})),
            400,
            "BRQ",
            "'file-id' must be a whole number",
        ),
        case(
            "event-id number",
            create(json!({"file-id": 100, "event-id": 5})),
            400,
            "BRQ",
            "'event-id' must be a non-empty string",
        ),
        case(
            "event-id too long",
            create(json!({"file-id": 100, "event-id": "x".repeat(129)})),
            400,
            "BRQ",
            "longer than 128 characters",
        ),
        case(
            "file path-like id",
            with_auth("GET", "/api/files/..%2F100", "", Some(&format!("Bearer {ADMIN}"))),
            404,
            "FNF",
            "not found",
        ),
    ]
}

/// Uploads that are not workbooks the engine can take.
fn upload_cases() -> Vec<Case> {
    // A table of cases, one item each: it reads as the catalogue itself, so it stays whole.
    let missing_workbook = {
        let mut parts = unzip(&validated_workbook());
        parts.retain(|(name, _)| name != "xl/workbook.xml");
        rezip(&parts)
    };
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let deep = edited_workbook("xl/worksheets/sheet2.xml", |xml| {
        let start = xml.find("<f>").unwrap();
        let end = xml[start..].find("</f>").unwrap() + start;
        format!("{}<f>{deep}</f>{}", &xml[..start], &xml[end + 4..])
    });
    let no_out =
        edited_workbook("xl/workbook.xml", |xml| xml.replace("name=\"OUT\"", "name=\"Results\""));
    let ole2 = [&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0; 512]].concat();
    let iwf = 422;
    vec![
        case("not a zip", upload(b"%PDF-1.7 not a workbook"), iwf, "IWF", "not a zip archive"),
        case("empty upload", upload(b""), iwf, "IWF", "not a zip archive"),
        case("legacy xls", upload(&ole2), iwf, "IWF", "this is an .xls file; save it as .xlsx"),
        case(
            "truncated zip",
            upload(&validated_workbook()[..600]),
            iwf,
            "IWF",
            "not a zip archive",
        ),
        case("missing workbook part", upload(&missing_workbook), iwf, "IWF", "xl/workbook.xml"),
        case("no OUT sheet", upload(&no_out), iwf, "IWF", "OUT"),
        case(
            "zip bomb",
            upload(&zip_bomb(1 + 258 * 400_000, 4096)),
            iwf,
            "IWF",
            "xl/worksheets/sheet1.xml",
        ),
        case("100k-deep formula", upload(&deep), iwf, "IWF", "more than the 8192 Excel allows"),
        case(
            "no file field",
            upload_as("document", "book.xlsx", &validated_workbook()),
            400,
            "BRQ",
            "lacks the multipart field 'file'",
        ),
        case(
            "two file fields",
            upload_fields(&[
                ("file", "a.xlsx", &validated_workbook()),
                ("file", "b.xlsx", &validated_workbook()),
            ]),
            400,
            "BRQ",
            "more than one 'file' field",
        ),
        case(
            "not multipart",
            with_auth("POST", "/api/files", "plain", Some(&format!("Bearer {ADMIN}"))),
            400,
            "BRQ",
            "expected a multipart/form-data upload",
        ),
    ]
}

/// Every case answers its code and message and changes nothing; the engine
/// serves normally afterwards.
#[tokio::test]
async fn bad_input_catalogue() {
    let t = engine().await;
    let cases: Vec<Case> =
        [transport_cases(), body_cases(), entry_cases(), event_cases(), upload_cases()]
            .into_iter()
            .flatten()
            .collect();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let before = t.observable_state().await;
    for case in cases {
        let (status, _, json) = t.send(case.request).await;
        assert_eq!((status, code(&json)), (case.status, case.code), "{}: {json}", case.name);
        let message = json["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(case.says), "{}: {message:?} lacks {:?}", case.name, case.says);
        assert!(message.len() < 600, "{}: a message of {} bytes", case.name, message.len());
        assert_eq!(t.observable_state().await, before, "{} changed the state", case.name);
    }
    let (status, _, json) = t.send(entries(r#"[{"minute": 30, "type": "goal"}]"#)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(results(&json["data"]), [json!(3), json!(2), json!(1.5)]);
}

/// A batch with a problem in every key gets an answer of bounded size: the
/// first hundred problems, then one item counting the rest.
#[tokio::test]
async fn problems_listed_are_bounded() {
    let t = engine().await;
    let before = t.observable_state().await;
    let keys: Vec<String> = (0..5000).map(|k| format!(r#""k{k}": 1"#)).collect();
    let (status, _, json) = t.send(entries(&format!("[{{{}}}]", keys.join(",")))).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"));
    let items = json["errors"].as_array().unwrap();
    assert_eq!(items.len(), 101);
    assert_eq!(items[0]["column"], "k0");
    assert_eq!(items[100]["message"], "4900 more problems of these entries are not listed here");
    assert_eq!(t.observable_state().await, before);
}

/// Upload names are metadata only: names that look like paths leave the
/// data directory holding nothing but the engine's database.
#[tokio::test]
async fn upload_names_are_not_paths() {
    let t = engine().await;
    let names = ["../../../../tmp/evil.xlsx", "..\\..\\evil.xlsx", "/etc/passwd", "a/../../b.xlsx"];
    for name in names {
        let (status, _, json) = t.send(upload_as("file", name, &validated_workbook())).await;
        assert_eq!(status, StatusCode::OK, "{name}: {json}");
    }
    let mut found = Vec::new();
    let mut stack = vec![t.dir.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(t.dir.path()).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    // Uploads live in the database; its write-ahead log and shared-memory
    // files sit beside it while it is open.
    assert_eq!(found, ["sengine.db", "sengine.db-shm", "sengine.db-wal"]);
    assert!(!std::path::Path::new("/tmp/evil.xlsx").exists());
}

/// A writer that keeps what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Tokens, right or wrong, never appear in the log, at any level.
#[tokio::test]
async fn tokens_never_reach_the_log() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let t = engine().await;
    tracing::info!(config = ?t.state.config, "settings");
    let wrong = "Bearer wrong-TOKEN-z9";
    for request in [
        with_auth("GET", "/api/events/e/outcomes", "", Some(wrong)),
        with_auth("GET", "/api/files", "", Some(&format!("Bearer {API}"))),
        api("GET", "/api/events/e/outcomes", ""),
        api("POST", "/api/events/e/event-log", "not json"),
        with_auth("GET", "/api/events", "", Some(&format!("Bearer {ADMIN}"))),
        upload(b"not a workbook"),
        api("DELETE", "/api/events/e", ""),
    ] {
        t.send(request).await;
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains(r#"request refused code="UNA""#), "the log captured nothing: {log}");
    for secret in [ADMIN, API, "wrong-TOKEN-z9", "TOKEN"] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}
