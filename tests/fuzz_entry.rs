//! The entry functions of the fuzz targets (`fuzz/`), shared with the test
//! that replays their seed corpora, so CI runs every seed through the very
//! code the fuzzer drives without needing a fuzzer.
//!
//! Each function takes arbitrary bytes and must return without panicking,
//! overflowing the stack or hanging, whatever the bytes are.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use compiler::CompileOptions;
use runtime::ir::{InputColumn, InputLayout, Validation};
use runtime::value::Value;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Formula, Workbook};
use serde_json::value::RawValue;

/// What a fuzz target runs on each input.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as `fuzz/fuzz_targets/<name>.rs` and
/// `fuzz/corpus/<name>/` call them.
pub const TARGETS: [(&str, Target); 4] =
    [("formula", formula), ("xlsx", xlsx), ("xlsx_parts", xlsx_parts), ("request", request)];

/// The formula parser on any text, and the printer on what it accepts.
pub fn formula(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(node) = compiler::formula::parser::parse(&text) {
        let _ = compiler::formula::parser::to_formula_text(&node);
    }
}

/// The whole compiler on any bytes, as an upload gives them.
pub fn xlsx(data: &[u8]) {
    let _ = compiler::compile(data, &CompileOptions::default());
}

/// The compiler on a valid workbook with one part replaced: the first byte
/// picks the part (modulo their number), the rest is its new content. The
/// fuzzer thus mutates XML that the reader gets past the zip layer with.
pub fn xlsx_parts(data: &[u8]) {
    let Some((&pick, content)) = data.split_first() else { return };
    let mut parts = base_parts().to_vec();
    let index = usize::from(pick) % parts.len();
    parts[index].1 = content.to_vec();
    if let Some(bytes) = zip_parts(&parts) {
        let _ = compiler::compile(&bytes, &CompileOptions::default());
    }
}

/// A log change's body through the decoding the handlers use: the
/// `{"params": {...}}` envelope, the change's parameters, the entries read
/// against an input layout with every kind of data validation, and the
/// event id rules on the same bytes as text.
pub fn request(data: &[u8]) {
    let _ = server::routes::check_event_id(&String::from_utf8_lossy(data));
    let Ok(params) = server::routes::params(data) else { return };
    #[derive(serde::Deserialize)]
    struct LogParams<'a> {
        #[serde(rename = "event-log", borrow)]
        event_log: Option<&'a RawValue>,
        #[serde(rename = "log-length")]
        _log_length: Option<serde_json::Value>,
    }
    let Ok(change) = serde_json::from_str::<LogParams<'_>>(params.get()) else { return };
    if let Some(entries) = change.event_log {
        let _ = server::entries::read_entries_at_most(entries, input_layout(), 10_000);
    }
}

/// The input layout requests are read against: one column per kind of
/// data validation, one without, and a derived column.
pub fn input_layout() -> &'static InputLayout {
    static LAYOUT: OnceLock<InputLayout> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let column = |col, header: &str, validation| InputColumn {
            col,
            header: header.to_string(),
            validation,
        };
        let items = ["goal", "yellow", "red"].into_iter().map(Value::text).collect();
        InputLayout {
            sheet: 0,
            columns: vec![
                column(
                    0,
                    "minute",
                    Some(Validation::Whole {
                        min: Some(0.0),
                        max: Some(130.0),
                        allow_blank: false,
                    }),
                ),
                column(1, "type", Some(Validation::List { items, allow_blank: false })),
                column(
                    2,
                    "odds",
                    Some(Validation::Decimal { min: Some(1.0), max: None, allow_blank: true }),
                ),
                column(
                    3,
                    "player",
                    Some(Validation::TextLength { min: None, max: Some(10.0), allow_blank: true }),
                ),
                column(4, "Équipe", None),
            ],
            derived: vec![(5, "home_goals".to_string())],
            capacity: 300,
        }
    })
}

/// The parts (name, bytes) of a small valid workbook: `IN` with validated
/// input columns and a derived column, `OUT` with formulas, a defined name.
pub fn base_parts() -> &'static [(String, Vec<u8>)] {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| unzip(&base_workbook()).unwrap_or_default())
}

fn base_workbook() -> Vec<u8> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let input = book.add_worksheet().set_name("IN")?;
        for (col, header) in ["minute", "type", "team"].into_iter().enumerate() {
            input.write_string(0, col as u16, header)?;
        }
        input.write_string(0, 3, "home")?;
        for row in 1..=20 {
            let formula = format!("=IF(AND(B{0}=\"goal\",C{0}=\"home\"),1,0)", row + 1);
            input.write_formula(row, 3, Formula::new(formula))?;
        }
        let minute = DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 130));
        input.add_data_validation(1, 0, 20, 0, &minute)?;
        let types = DataValidation::new().allow_list_strings(&["goal", "yellow"])?;
        input.add_data_validation(1, 1, 20, 1, &types)?;
        let output = book.add_worksheet().set_name("OUT")?;
        output.write_string(0, 0, "market")?;
        output.write_string(0, 1, "result")?;
        output.write_string(1, 0, "home goals")?;
        output.write_formula(1, 1, Formula::new("=SUM(IN!$D$2:$D$21)"))?;
        output.write_string(2, 0, "last minute")?;
        output.write_formula(2, 1, Formula::new("=IFERROR(MAX(IN!$A$2:$A$21)/Goals,\"-\")"))?;
        book.define_name("Goals", "=OUT!$B$2")?;
        book.save_to_buffer()
    };
    build().unwrap_or_default()
}

/// The entries of a zip archive, in archive order.
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).ok()?;
        let mut data = Vec::new();
        entry.read_to_end(&mut data).ok()?;
        parts.push((entry.name().to_string(), data));
    }
    Some(parts)
}

/// A zip archive of `parts`, stored without compression (fast, and the
/// reader's inflation is covered by the `xlsx` target).
pub fn zip_parts(parts: &[(String, Vec<u8>)]) -> Option<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        writer.start_file(name.as_str(), options).ok()?;
        writer.write_all(data).ok()?;
    }
    writer.finish().ok().map(Cursor::into_inner)
}
