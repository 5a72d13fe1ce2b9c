//! A service over the real compiler and interpreter, and a builder of small
//! workbooks with data validation on their input columns, for the tests of
//! limits, validation and hostile input.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Formula, Workbook};
use serde_json::Value as Json;
use server::config::Config;
use server::files::FileRegistry;
use server::loader::CompilerLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;

use crate::support::{request, send_to, upload, TempDir};

/// The entry rows the test workbook's formulas reach: its capacity.
pub(crate) const ROWS: u32 = 10;

/// A workbook whose `IN` sheet has one input column per kind of data
/// validation, a column without any, and a derived column:
///
/// - `minute`: whole number between 0 and 130, blank refused;
/// - `odds`: decimal greater than 1, blank allowed;
/// - `type`: list `goal,yellow,red`, blank refused;
/// - `player`: text length at most 10, blank allowed;
/// - `team`: list from the range `Lists!$A$1:$A$2` (`home`, `away`);
/// - `note`: anything;
/// - `goal`: derived, 1 for a goal.
///
/// `OUT` answers the entry count (`COUNTA` of the minute column), the goal
/// count, and the sum of the odds.
pub(crate) fn validated_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let input = book.add_worksheet().set_name("IN").unwrap();
    let headers = ["minute", "odds", "type", "player", "team", "note", "goal"];
    for (col, header) in headers.into_iter().enumerate() {
        input.write_string(0, col as u16, header).unwrap();
    }
    for row in 1..=ROWS {
        let formula = format!("=IF(C{}=\"goal\",1,0)", row + 1);
        input.write_formula(row, 6, Formula::new(formula)).unwrap();
    }
    let rules = [
        DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 130))
            .ignore_blank(false),
        DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThan(1.0)),
        DataValidation::new()
            .allow_list_strings(&["goal", "yellow", "red"])
            .unwrap()
            .ignore_blank(false),
        DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(10)),
        DataValidation::new().allow_list_formula(Formula::new("=Lists!$A$1:$A$2")),
    ];
    for (col, rule) in rules.iter().enumerate() {
        input.add_data_validation(1, col as u16, ROWS, col as u16, rule).unwrap();
    }
    let output = book.add_worksheet().set_name("OUT").unwrap();
    output.write_string(0, 0, "market").unwrap();
    output.write_string(0, 1, "result").unwrap();
    let last = ROWS + 1;
    let rows = [
        ("entries", format!("=COUNTA(IN!$A$2:$A${last})")),
        ("goals", format!("=SUM(IN!$G$2:$G${last})")),
        ("odds", format!("=SUM(IN!$B$2:$B${last})")),
    ];
    for (row, (market, formula)) in rows.iter().enumerate() {
        output.write_string(row as u32 + 1, 0, *market).unwrap();
        output.write_formula(row as u32 + 1, 1, Formula::new(formula.as_str())).unwrap();
    }
    let lists = book.add_worksheet().set_name("Lists").unwrap();
    lists.write_string(0, 0, "home").unwrap();
    lists.write_string(1, 0, "away").unwrap();
    book.save_to_buffer().unwrap()
}

/// A service over the compiler, with the validated workbook uploaded as
/// file 100 and event `e` created on it.
pub(crate) struct RealApp {
    pub(crate) app: Router,
    pub(crate) state: AppState,
    pub(crate) dir: TempDir,
}

impl RealApp {
    pub(crate) async fn new() -> RealApp {
        RealApp::with_config(|_| {}).await
    }

    pub(crate) async fn with_config(adjust: impl FnOnce(&mut Config)) -> RealApp {
        let dir = TempDir::new();
        let mut config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        adjust(&mut config);
        let loader = Arc::new(CompilerLoader::default());
        let files = FileRegistry::open(dir.path(), loader, &[]).unwrap();
        let state = AppState::new(config, files, Arc::new(MemoryEventStore::default()));
        let real = RealApp { app: server::app(state.clone()), state, dir };
        let token = real.state.config.admin_token.clone();
        let uploaded =
            upload("POST", "/api/files", "file", &validated_workbook(), token.as_deref());
        let (status, _, json) = real.send(uploaded).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["data"]["file-id"], 100, "{json}");
        let create = r#"{"params": {"file-id": 100, "event-id": "e"}}"#;
        let token = real.state.config.api_token.clone().or(token);
        let (status, _, json) =
            real.send(request("POST", "/api/events", Some(create), token.as_deref())).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        real
    }

    /// Sends a request: status, headers and the JSON body (`Null` when empty).
    pub(crate) async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Json) {
        send_to(&self.app, request).await
    }

    /// Sends `method uri` with an optional body and no token.
    pub(crate) async fn call(
        &self,
        method: &str,
        uri: &str,
        body: Option<&str>,
    ) -> (StatusCode, Json) {
        let (status, _, json) = self.send(request(method, uri, body, None)).await;
        (status, json)
    }

    /// Appends `entries` (a JSON array text) to event `e`.
    pub(crate) async fn append(&self, entries: &str) -> (StatusCode, Json) {
        let body = format!(r#"{{"params": {{"event-log": {entries}}}}}"#);
        self.call("POST", "/api/events/e/event-log", Some(&body)).await
    }

    /// What a failed request must leave as it was: the files, the events,
    /// and each event's log and outcomes, as the API reads them.
    pub(crate) async fn observable_state(&self) -> Json {
        let token = self.state.config.admin_token.clone();
        let get = |uri: String| {
            let token = token.clone();
            async move {
                let (status, _, json) =
                    self.send(request("GET", &uri, None, token.as_deref())).await;
                assert_eq!(status, StatusCode::OK, "{uri}: {json}");
                json["data"].clone()
            }
        };
        let mut files = get("/api/files".into()).await;
        // Upload times are the only field a refused request may not change
        // but that differ run to run; they stay in the comparison.
        let events = get("/api/events".into()).await;
        let mut logs = Vec::new();
        for event in events.as_array().unwrap() {
            let id = event["event-id"].as_str().unwrap();
            let encoded: String = id.bytes().map(|b| format!("%{b:02X}")).collect();
            logs.push(get(format!("/api/events/{encoded}/event-log")).await);
            logs.push(get(format!("/api/events/{encoded}/outcomes")).await);
        }
        // The last-access times change with every call by design.
        let events: Vec<Json> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("last-access");
                e
            })
            .collect();
        files.as_array_mut().unwrap().sort_by_key(|f| f["file-id"].as_u64());
        serde_json::json!({"files": files, "events": events, "logs": logs})
    }
}

/// The `result` column of the outcomes, in row order.
pub(crate) fn results(outcomes: &Json) -> Vec<Json> {
    outcomes.as_array().unwrap().iter().map(|row| row["result"].clone()).collect()
}

/// The parts (name, bytes) of a zip archive, in archive order.
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_string(), data)
        })
        .collect()
}

/// A zip archive of `parts`, deflated.
pub(crate) fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in parts {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The validated workbook with the text of part `name` changed by `edit`.
pub(crate) fn edited_workbook(name: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut parts = unzip(&validated_workbook());
    let part = parts.iter_mut().find(|(n, _)| n == name).unwrap();
    part.1 = edit(String::from_utf8(part.1.clone()).unwrap()).into_bytes();
    rezip(&parts)
}

/// A zip bomb: the validated workbook whose first sheet is replaced by
/// `inflated` zero bytes, deflated by hand to about 13 bits per 258 bytes
/// (one fixed-Huffman block of back-references), and a central directory
/// that declares `declared` bytes for it. Building it costs no inflation.
pub(crate) fn zip_bomb(inflated: u64, declared: u32) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = unzip(&validated_workbook());
    parts.retain(|(name, _)| name != "xl/worksheets/sheet1.xml");
    let mut archive = Vec::new();
    let mut directory = Vec::new();
    let mut entries = 0u16;
    let mut add = |name: &str, method: u16, data: &[u8], size: u32, archive: &mut Vec<u8>| {
        let offset = archive.len() as u32;
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&signature.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&[0; 4]); // time and date
            h.extend_from_slice(&crc32(data, method).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra length
            if central {
                h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                h.extend_from_slice(&[0; 4]); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        archive.extend(header(0x0403_4b50, false));
        archive.extend_from_slice(data);
        directory.extend(header(0x0201_4b50, true));
        entries += 1;
    };
    for (name, data) in &parts {
        add(name, 0, data, data.len() as u32, &mut archive);
    }
    add("xl/worksheets/sheet1.xml", 8, &deflated_zeros(inflated), declared, &mut archive);
    let directory_offset = archive.len() as u32;
    let directory_size = directory.len() as u32;
    archive.extend_from_slice(&directory);
    archive.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    archive.extend_from_slice(&[0; 4]); // disk numbers
    archive.extend_from_slice(&entries.to_le_bytes());
    archive.extend_from_slice(&entries.to_le_bytes());
    archive.extend_from_slice(&directory_size.to_le_bytes());
    archive.extend_from_slice(&directory_offset.to_le_bytes());
    archive.extend_from_slice(&0u16.to_le_bytes());
    archive
}

/// The CRC-32 of a stored entry's bytes; a deflated bomb gets a wrong
/// one on purpose, since the reader must refuse it before checking.
fn crc32(data: &[u8], method: u16) -> u32 {
    if method != 0 {
        return 0;
    }
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A raw deflate stream of `count` zero bytes (`count` = 1 + 258·k): one
/// final fixed-Huffman block with a literal 0 and then back-references of
/// length 258 at distance 1.
fn deflated_zeros(count: u64) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.push(1, 1); // BFINAL
    bits.push(1, 2); // BTYPE = fixed Huffman
    bits.code(0b0011_0000, 8); // literal 0
    for _ in 0..(count.saturating_sub(1) / 258) {
        bits.code(0b1100_0101, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    bits.bytes
}

/// Bits written least significant first, as deflate packs them.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    used: u32,
}

impl BitWriter {
    /// Pushes the low `count` bits of `value`, least significant first.
    fn push(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.used == 0 {
                self.bytes.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            *self.bytes.last_mut().unwrap() |= bit << self.used;
            self.used = (self.used + 1) % 8;
        }
    }

    /// Pushes a Huffman code, most significant bit first.
    fn code(&mut self, code: u32, length: u32) {
        for i in (0..length).rev() {
            self.push((code >> i) & 1, 1);
        }
    }
}
