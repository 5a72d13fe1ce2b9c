//! Checks on the committed fixtures: the LibreOffice expectations must belong to the committed
//! workbooks and logs, and the generated workbooks must contain the constructs they are meant to
//! exercise.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below run only inside tests, where a malformed fixture should fail the \
              test at the line that found it"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;
use sha2::{Digest, Sha256};

const WORKBOOK_STEMS: [&str; 2] = ["football", "basketball"];

/// Functions the fixtures may use (the brief's list), without the `_xlfn.` prefix.
const ALLOWED_FUNCTIONS: &[&str] = &[
    "IF",
    "IFS",
    "IFERROR",
    "IFNA",
    "AND",
    "OR",
    "NOT",
    "XOR",
    "SWITCH",
    "CHOOSE",
    "TRUE",
    "FALSE",
    "ISBLANK",
    "ISNUMBER",
    "ISTEXT",
    "ISLOGICAL",
    "ISERROR",
    "ISERR",
    "ISNA",
    "NA",
    "SUM",
    "SUMIF",
    "SUMIFS",
    "SUMPRODUCT",
    "PRODUCT",
    "ABS",
    "SIGN",
    "ROUND",
    "ROUNDUP",
    "ROUNDDOWN",
    "INT",
    "MOD",
    "SQRT",
    "POWER",
    "PI",
    "MIN",
    "MAX",
    "MINIFS",
    "MAXIFS",
    "COUNT",
    "COUNTA",
    "COUNTBLANK",
    "COUNTIF",
    "COUNTIFS",
    "AVERAGE",
    "AVERAGEIF",
    "AVERAGEIFS",
    "LARGE",
    "SMALL",
    "INDEX",
    "MATCH",
    "VLOOKUP",
    "HLOOKUP",
    "LOOKUP",
    "XLOOKUP",
    "OFFSET",
    "INDIRECT",
    "ROW",
    "ROWS",
    "COLUMN",
    "COLUMNS",
    "CONCAT",
    "CONCATENATE",
    "TEXTJOIN",
    "LEFT",
    "RIGHT",
    "MID",
    "LEN",
    "FIND",
    "SEARCH",
    "SUBSTITUTE",
    "TRIM",
    "UPPER",
    "LOWER",
    "TEXT",
    "VALUE",
    "REPT",
    "EXACT",
    "DATE",
    "TIME",
    "YEAR",
    "MONTH",
    "DAY",
    "HOUR",
    "MINUTE",
    "SECOND",
];

/// Functions that Excel stores with the `_xlfn.` prefix.
const PREFIXED_FUNCTIONS: &[&str] =
    &["IFS", "SWITCH", "XOR", "CONCAT", "TEXTJOIN", "MINIFS", "MAXIFS", "XLOOKUP", "IFNA"];

const TEXT_FUNCTIONS: &[&str] = &[
    "TRIM",
    "UPPER",
    "LOWER",
    "LEFT",
    "RIGHT",
    "MID",
    "LEN",
    "SUBSTITUTE",
    "CONCATENATE",
    "CONCAT",
    "TEXTJOIN",
    "TEXT",
    "EXACT",
    "FIND",
    "SEARCH",
    "REPT",
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------------
// Expectations belong to the committed workbooks and logs
// ---------------------------------------------------------------------------------------------

#[test]
fn fixtures_every_workbook_has_at_least_ten_logs_each_with_an_expectation() {
    for stem in WORKBOOK_STEMS {
        let logs = json_files(&fixtures_dir().join("logs").join(stem));
        assert!(logs.len() >= 10, "{stem}: only {} logs", logs.len());
        for log in &logs {
            let expected =
                fixtures_dir().join("expected").join(stem).join(log.file_name().unwrap());
            assert!(expected.is_file(), "{} has no expectation", log.display());
            let entries: serde_json::Value =
                serde_json::from_slice(&fs::read(log).unwrap()).unwrap();
            assert!(entries.is_array(), "{} is not a JSON array", log.display());
        }
    }
}

#[test]
fn fixtures_expected_hashes_match_committed_files() {
    for stem in WORKBOOK_STEMS {
        let expected_files = json_files(&fixtures_dir().join("expected").join(stem));
        assert!(expected_files.len() >= 10, "{stem}: only {} expectations", expected_files.len());
        for path in expected_files {
            check_expected_file(stem, &path);
        }
    }
}

fn check_expected_file(stem: &str, path: &Path) {
    let expected: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    let field = |name: &str| expected[name].as_str().unwrap().to_owned();
    let workbook = field("workbook");
    assert_eq!(workbook, format!("{stem}.xlsx"), "{}", path.display());
    let workbook_sha = sha256_hex(&fs::read(fixtures_dir().join(&workbook)).unwrap());
    let log_path = fixtures_dir().join("logs").join(stem).join(path.file_name().unwrap());
    let log_sha = sha256_hex(&fs::read(&log_path).unwrap());
    assert_eq!(field("workbook_sha256"), workbook_sha, "stale workbook in {}", path.display());
    assert_eq!(field("log_sha256"), log_sha, "stale log in {}", path.display());
    let libreoffice = field("libreoffice");
    assert!(libreoffice.starts_with("LibreOffice "), "{}", path.display());
    let combined = sha256_hex(format!("{workbook_sha}\n{log_sha}\n{libreoffice}").as_bytes());
    assert_eq!(field("hash"), combined, "combined hash of {}", path.display());
    assert!(expected["out"].as_array().is_some_and(|rows| !rows.is_empty()));
}

#[test]
fn fixtures_expected_rows_have_one_shape_per_workbook() {
    for stem in WORKBOOK_STEMS {
        let mut shape: Option<Vec<Vec<String>>> = None;
        for path in json_files(&fixtures_dir().join("expected").join(stem)) {
            let expected: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            let rows = expected["out"].as_array().unwrap();
            let keys: Vec<Vec<String>> =
                rows.iter().map(|row| row.as_object().unwrap().keys().cloned().collect()).collect();
            match &shape {
                None => shape = Some(keys),
                Some(first) => assert_eq!(first, &keys, "{} differs in shape", path.display()),
            }
        }
    }
}

#[test]
fn fixtures_expected_values_use_the_answer_format() {
    let errors = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"];
    for stem in WORKBOOK_STEMS {
        for path in json_files(&fixtures_dir().join("expected").join(stem)) {
            let expected: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            for row in expected["out"].as_array().unwrap() {
                for value in row.as_object().unwrap().values() {
                    let ok = match value {
                        serde_json::Value::Object(map) => {
                            map.len() == 1
                                && map["error"].as_str().is_some_and(|e| errors.contains(&e))
                        }
                        serde_json::Value::Array(_) => false,
                        serde_json::Value::Number(n) => {
                            n.is_i64() || n.as_f64().unwrap().fract() != 0.0
                        }
                        _ => true,
                    };
                    assert!(ok, "{}: bad value {value}", path.display());
                }
            }
        }
    }
}

#[test]
fn fixtures_football_typical_match_settles_as_a_person_would() {
    // The typical log is 1-1 at half time (Kane 9', Haaland 38') and 2-1 after Saka's penalty.
    let path = fixtures_dir().join("expected").join("football").join("typical.json");
    let expected: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    let find = |market: &str, outcome: &str, line: Option<f64>| {
        expected["out"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| {
                row["market"] == market
                    && row["outcome"] == outcome
                    && line.is_none_or(|l| row["line"].as_f64() == Some(l))
            })
            .unwrap_or_else(|| panic!("no row {market} {outcome}"))
            .clone()
    };
    assert_eq!(find("Match result", "1", None)["result"], 1);
    assert_eq!(find("Half-time/full-time", "X/1", None)["result"], 1);
    assert_eq!(find("Correct score", "2-1", None)["result"], 1);
    let quarter = find("Asian handicap", "home", Some(-0.75));
    assert_eq!((quarter["result"].as_f64(), quarter["void"].as_f64()), (Some(0.5), Some(0.5)));
    assert_eq!(find("Info", "score", None)["result"], "2-1");
    assert_eq!(find("Info", "average goal minute", None)["result"], 37.67);
    let empty = fixtures_dir().join("expected").join("football").join("empty.json");
    let empty: serde_json::Value = serde_json::from_slice(&fs::read(empty).unwrap()).unwrap();
    let average = empty["out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["market"] == "Info" && row["outcome"] == "average goal minute");
    assert_eq!(average.unwrap()["result"], serde_json::json!({"error": "#DIV/0!"}));
}

// ---------------------------------------------------------------------------------------------
// Reading the generated xlsx
// ---------------------------------------------------------------------------------------------

/// One cell of a sheet as stored: its formula text (empty for a shared-formula child) or none,
/// and whether it carries a cached value.
#[derive(Debug, Clone)]
struct StoredCell {
    formula: Option<String>,
    cached: bool,
}

/// The parts of a workbook that the construct checks look at.
#[derive(Debug, Default)]
struct WorkbookXml {
    /// Sheet name -> (row, column) -> cell.
    sheets: BTreeMap<String, BTreeMap<(u32, u32), StoredCell>>,
    /// Defined name -> its formula text.
    defined_names: BTreeMap<String, String>,
    /// Sheet name -> the archive member that holds it.
    parts: BTreeMap<String, String>,
}

impl WorkbookXml {
    fn open(path: &Path) -> WorkbookXml {
        let file = fs::File::open(path).unwrap();
        let mut archive = zip::ZipArchive::new(file).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
            text
        };
        let workbook = read("xl/workbook.xml");
        let rels = read("xl/_rels/workbook.xml.rels");
        let targets = relationship_targets(&rels);
        let mut result =
            WorkbookXml { defined_names: defined_names(&workbook), ..Default::default() };
        for (name, rel_id) in sheet_entries(&workbook) {
            let target = targets[&rel_id].trim_start_matches('/');
            let target =
                if target.starts_with("xl/") { target.to_owned() } else { format!("xl/{target}") };
            result.sheets.insert(name.clone(), sheet_cells(&read(&target)));
            result.parts.insert(name, target);
        }
        result
    }

    fn sheet(&self, name: &str) -> &BTreeMap<(u32, u32), StoredCell> {
        &self.sheets[name]
    }

    fn formulas(&self) -> impl Iterator<Item = &str> {
        self.sheets.values().flat_map(|cells| cells.values().filter_map(|c| c.formula.as_deref()))
    }

    fn formula_cells(&self) -> usize {
        self.sheets
            .values()
            .flat_map(|cells| cells.values())
            .filter(|c| c.formula.is_some())
            .count()
    }
}

fn attribute(element: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    element.try_get_attribute(name).unwrap().map(|attr| attr.unescape_value().unwrap().into_owned())
}

fn relationship_targets(xml: &str) -> BTreeMap<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut targets = BTreeMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                targets.insert(attribute(&e, "Id").unwrap(), attribute(&e, "Target").unwrap());
            }
            Event::Eof => return targets,
            _ => {}
        }
    }
}

fn sheet_entries(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut sheets = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == b"sheet" => {
                sheets.push((attribute(&e, "name").unwrap(), attribute(&e, "r:id").unwrap()));
            }
            Event::Eof => return sheets,
            _ => {}
        }
    }
}

fn defined_names(xml: &str) -> BTreeMap<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut names = BTreeMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == b"definedName" => {
                current = attribute(&e, "name");
            }
            Event::Text(text) => {
                if let Some(name) = current.take() {
                    names.insert(name, text.unescape().unwrap().into_owned());
                }
            }
            Event::Eof => return names,
            _ => {}
        }
    }
}

/// Splits "AB12" into (row 12, column 28).
fn parse_cell_ref(reference: &str) -> (u32, u32) {
    let split = reference.find(|c: char| c.is_ascii_digit()).unwrap();
    let (letters, digits) = reference.split_at(split);
    let column = letters.bytes().fold(0, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    (digits.parse().unwrap(), column)
}

/// Every `<c>` that has a value or a formula, keyed by (row, column).
fn sheet_cells(xml: &str) -> BTreeMap<(u32, u32), StoredCell> {
    let mut reader = Reader::from_str(xml);
    let mut cells = BTreeMap::new();
    let mut cell: Option<((u32, u32), StoredCell, bool)> = None;
    let mut in_formula = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let position = parse_cell_ref(&attribute(&e, "r").unwrap());
                cell = Some((position, StoredCell { formula: None, cached: false }, false));
            }
            Event::Start(e) if e.local_name().as_ref() == b"f" => {
                in_formula = true;
                if let Some((_, stored, content)) = cell.as_mut() {
                    stored.formula = Some(String::new());
                    *content = true;
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == b"f" => {
                if let Some((_, stored, content)) = cell.as_mut() {
                    stored.formula = Some(String::new());
                    *content = true;
                }
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"v" | b"is") => {
                if let Some((_, stored, content)) = cell.as_mut() {
                    stored.cached = true;
                    *content = true;
                }
            }
            Event::Text(text) if in_formula => {
                if let Some((_, stored, _)) = cell.as_mut() {
                    stored
                        .formula
                        .get_or_insert_with(String::new)
                        .push_str(&text.unescape().unwrap());
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"f" => in_formula = false,
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                if let Some((position, stored, true)) = cell.take() {
                    cells.insert(position, stored);
                }
            }
            Event::Eof => return cells,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Looking into formula text
// ---------------------------------------------------------------------------------------------

/// The formula with every string literal's content blanked out, so scans ignore quoted text.
fn without_strings(formula: &str) -> String {
    let mut out = String::with_capacity(formula.len());
    let mut quoted = false;
    for ch in formula.chars() {
        if ch == '"' {
            quoted = !quoted;
            out.push(ch);
        } else {
            // Keeping the byte length lets offsets found in the result index the original.
            if quoted {
                out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
            } else {
                out.push(ch);
            }
        }
    }
    out
}

/// Identifiers outside string literals, each with whether a `(` follows it (a function call).
fn identifiers(formula: &str) -> Vec<(String, bool)> {
    let text = without_strings(formula);
    let chars: Vec<char> = text.chars().collect();
    let mut result = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_alphabetic() || chars[i] == '_';
        let after_sheet_or_ref = i > 0 && matches!(chars[i - 1], '!' | '$' | ':');
        if starts && !after_sheet_or_ref && (i == 0 || !is_ident_char(chars[i - 1])) {
            let start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let call = chars.get(i) == Some(&'(');
            let sheet = chars.get(i) == Some(&'!');
            if !sheet {
                result.push((word, call));
            }
        } else {
            i += 1;
        }
    }
    result
}

fn is_ident_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_' || ch == '.'
}

fn function_calls(formula: &str) -> BTreeSet<String> {
    identifiers(formula).into_iter().filter(|(_, call)| *call).map(|(name, _)| name).collect()
}

/// The argument text of every call to `function` (balanced parentheses, strings kept).
fn call_arguments<'a>(formula: &'a str, function: &str) -> Vec<&'a str> {
    let plain = without_strings(formula);
    let needle = format!("{function}(");
    let mut result = Vec::new();
    let mut from = 0;
    while let Some(offset) = plain[from..].find(&needle) {
        let start = from + offset + needle.len();
        let preceded = plain[..from + offset].chars().last().is_some_and(is_ident_char);
        let mut depth = 1;
        let mut end = start;
        for (index, ch) in plain[start..].char_indices() {
            depth += match ch {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if depth == 0 {
                end = start + index;
                break;
            }
        }
        if !preceded {
            result.push(&formula[start..end]);
        }
        from = start;
    }
    result
}

/// The largest row of any bounded range into `IN` (`IN!$A$2:$A$301`), in formulas and names.
fn capacity_row(workbook: &WorkbookXml) -> u32 {
    let texts = workbook.formulas().chain(workbook.defined_names.values().map(String::as_str));
    let mut max_row = 0;
    for text in texts {
        let plain = without_strings(text);
        for (offset, _) in plain.match_indices("IN!") {
            let reference: String = plain[offset + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | ':'))
                .collect();
            if let Some((_, end)) = reference.split_once(':') {
                let digits: String = end.chars().filter(char::is_ascii_digit).collect();
                max_row = max_row.max(digits.parse().unwrap_or(0));
            }
        }
    }
    max_row
}

fn any_formula(workbook: &WorkbookXml, predicate: impl Fn(&str) -> bool) -> bool {
    workbook.formulas().any(predicate)
}

fn outcome_rows(workbook: &WorkbookXml) -> usize {
    let rows: BTreeSet<u32> = workbook.sheet("OUT").keys().map(|(row, _)| *row).collect();
    rows.into_iter().filter(|row| *row > 1).count()
}

/// Columns of `IN` with formulas below the header, and the rows that hold them.
fn derived_columns(workbook: &WorkbookXml) -> BTreeMap<u32, Vec<u32>> {
    let mut columns: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for ((row, column), cell) in workbook.sheet("IN") {
        if *row > 1 && cell.formula.is_some() {
            columns.entry(*column).or_default().push(*row);
        }
    }
    columns
}

fn football() -> WorkbookXml {
    WorkbookXml::open(&fixtures_dir().join("football.xlsx"))
}

fn basketball() -> WorkbookXml {
    WorkbookXml::open(&fixtures_dir().join("basketball.xlsx"))
}

// ---------------------------------------------------------------------------------------------
// Constructs the generated workbooks must contain
// ---------------------------------------------------------------------------------------------

#[test]
fn fixtures_football_has_countifs_with_criteria_strings() {
    let workbook = football();
    let countifs_args: Vec<String> = workbook
        .formulas()
        .flat_map(|f| call_arguments(f, "COUNTIFS").into_iter().map(str::to_owned))
        .collect();
    assert!(countifs_args.iter().any(|args| args.contains("\">=")), "no \">=n\" criterion");
    assert!(countifs_args.iter().any(|args| args.contains("\"<>\"&")), "no \"<>\"&x criterion");
    assert!(countifs_args.iter().any(|args| args.contains("\"goal\"")), "no text criterion");
}

#[test]
fn fixtures_football_has_sumproduct_over_conditions() {
    let workbook = football();
    let found = workbook.formulas().any(|formula| {
        call_arguments(formula, "SUMPRODUCT")
            .iter()
            .any(|args| without_strings(args).contains('=') && args.contains(")*("))
    });
    assert!(found, "no SUMPRODUCT((range=x)*(range=y))");
}

#[test]
fn fixtures_football_has_lookups_offset_and_iferror() {
    let workbook = football();
    let index_match = any_formula(&workbook, |formula| {
        call_arguments(formula, "INDEX").iter().any(|args| function_calls(args).contains("MATCH"))
    });
    assert!(index_match, "no INDEX(…MATCH(…)…)");
    let mix = [
        "VLOOKUP", "OFFSET", "IFERROR", "SUMIFS", "COUNTIF", "IF", "AND", "OR", "ROUND", "MAX",
        "MIN", "ABS", "MOD", "INT", "CHOOSE", "ISNUMBER", "ISBLANK",
    ];
    for function in mix {
        let used = any_formula(&workbook, |f| function_calls(f).contains(function));
        assert!(used, "football.xlsx never calls {function}");
    }
    let offset_to_last = any_formula(&workbook, |formula| {
        call_arguments(formula, "OFFSET").iter().any(|args| function_calls(args).contains("COUNTA"))
    });
    assert!(offset_to_last, "no OFFSET(…, COUNTA(…), 0) to the last entry");
}

#[test]
fn fixtures_football_uses_at_least_three_text_functions() {
    let workbook = football();
    let used: BTreeSet<String> = workbook
        .formulas()
        .flat_map(function_calls)
        .map(|name| name.trim_start_matches("_xlfn.").to_owned())
        .filter(|name| TEXT_FUNCTIONS.contains(&name.as_str()))
        .collect();
    assert!(used.len() >= 3, "text functions used: {used:?}");
}

#[test]
fn fixtures_football_uses_defined_names_in_formulas() {
    let workbook = football();
    assert!(workbook.defined_names.contains_key("Types"));
    assert!(workbook.defined_names.contains_key("HomeGoals"));
    let used: BTreeSet<String> = workbook
        .formulas()
        .flat_map(identifiers)
        .filter(|(name, call)| !call && workbook.defined_names.contains_key(name))
        .map(|(name, _)| name)
        .collect();
    assert!(used.contains("Types") && used.contains("HomeGoals"), "names used: {used:?}");
}

#[test]
fn fixtures_derived_columns_are_filled_exactly_to_the_capacity_row() {
    for (workbook, capacity) in [(football(), 300), (basketball(), 400)] {
        let last_row = capacity_row(&workbook);
        assert_eq!(last_row, capacity + 1, "bounded references into IN end at row {last_row}");
        let derived = derived_columns(&workbook);
        assert!(!derived.is_empty(), "no derived IN column");
        for (column, rows) in derived {
            let expected: Vec<u32> = (2..=last_row).collect();
            assert_eq!(rows, expected, "IN column {column} is not filled from row 2 to {last_row}");
        }
    }
}

#[test]
fn fixtures_football_size() {
    let workbook = football();
    assert!(outcome_rows(&workbook) >= 60, "{} OUT rows", outcome_rows(&workbook));
    assert!(workbook.formula_cells() >= 2000, "{} formula cells", workbook.formula_cells());
}

#[test]
fn fixtures_basketball_size() {
    let workbook = basketball();
    assert!(outcome_rows(&workbook) >= 30, "{} OUT rows", outcome_rows(&workbook));
}

#[test]
fn fixtures_use_only_allowed_functions_with_excel_prefixes() {
    for workbook in [football(), basketball()] {
        for formula in workbook.formulas() {
            for call in function_calls(formula) {
                let bare = call.trim_start_matches("_xlfn.");
                assert!(ALLOWED_FUNCTIONS.contains(&bare), "{call} in {formula}");
                let prefixed = call.starts_with("_xlfn.");
                assert_eq!(prefixed, PREFIXED_FUNCTIONS.contains(&bare), "{call} in {formula}");
            }
        }
    }
}

#[test]
fn fixtures_use_newer_functions() {
    let calls: BTreeSet<String> = [football(), basketball()]
        .iter()
        .flat_map(|wb| wb.formulas().flat_map(function_calls).collect::<Vec<_>>())
        .collect();
    for function in [
        "_xlfn.IFS",
        "_xlfn.SWITCH",
        "_xlfn.XOR",
        "_xlfn.IFNA",
        "_xlfn.MAXIFS",
        "_xlfn.MINIFS",
        "_xlfn.TEXTJOIN",
        "_xlfn.CONCAT",
        "HLOOKUP",
        "LOOKUP",
    ] {
        assert!(calls.contains(function), "no fixture calls {function}");
    }
}

#[test]
fn fixtures_libreoffice_copy_keeps_every_formula_and_caches_values() {
    let original = football();
    let copy = WorkbookXml::open(&fixtures_dir().join("football-libreoffice.xlsx"));
    assert_eq!(copy.formula_cells(), original.formula_cells());
    assert_eq!(copy.defined_names, original.defined_names);
    assert_eq!(outcome_rows(&copy), outcome_rows(&original));
    let formula_cells = || copy.sheets.values().flat_map(|cells| cells.values());
    let uncached = formula_cells().filter(|c| c.formula.is_some() && !c.cached).count();
    assert_eq!(uncached, 0, "formula cells without a cached value");
    let cached_in_original = original
        .sheets
        .values()
        .flat_map(|cells| cells.values())
        .filter(|c| c.formula.is_some() && c.cached)
        .count();
    assert_eq!(cached_in_original, 0, "openpyxl is expected to write formulas without values");
}

// ---------------------------------------------------------------------------------------------
// The scanners themselves: each check above is only as good as these
// ---------------------------------------------------------------------------------------------

#[test]
fn fixtures_scanner_ignores_text_inside_strings() {
    // TRUE without parentheses is a constant, not a call.
    let calls = function_calls(r#"IF(A1="SUM(x)",COUNTIF(Types,"goal"),_xlfn.IFS(TRUE,1))"#);
    let expected: BTreeSet<String> =
        ["IF", "COUNTIF", "_xlfn.IFS"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(calls, expected);
}

#[test]
fn fixtures_scanner_skips_sheet_names_and_cell_references() {
    let names: Vec<String> = identifiers("SUM(IN!$F$2:F9)+Calc!$B$3+Types+G2")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    // A sheet name, a reference after `$` and a range's end are not identifiers of interest.
    assert_eq!(names, ["SUM", "Types", "G2"]);
}

#[test]
fn fixtures_scanner_finds_nested_call_arguments() {
    let formula = r#"IFERROR(INDEX(IN!$M$2:$M$301,MATCH(1,IN!$N$2:$N$301,0)),"none")"#;
    assert_eq!(call_arguments(formula, "INDEX"), ["IN!$M$2:$M$301,MATCH(1,IN!$N$2:$N$301,0)"]);
    assert_eq!(call_arguments(formula, "MATCH"), ["1,IN!$N$2:$N$301,0"]);
    // A longer name that ends with the searched one is another function.
    assert!(call_arguments("SUMIFS(A1:A2,B1:B2,1)", "IFS").is_empty());
}

#[test]
fn fixtures_capacity_is_the_farthest_bounded_reference_into_in() {
    let mut workbook = WorkbookXml::default();
    let cell = |formula: &str| StoredCell { formula: Some(formula.to_owned()), cached: false };
    let cells = BTreeMap::from([
        ((2, 1), cell("SUM(IN!$A$2:$A$120)")),
        ((3, 1), cell(r#"COUNTIF(IN!C:C,"IN!$A$2:$A$999")"#)),
    ]);
    workbook.sheets.insert("Calc".to_owned(), cells);
    workbook.defined_names.insert("Types".to_owned(), "IN!$C$2:$C$250".to_owned());
    assert_eq!(capacity_row(&workbook), 250);
}

#[test]
fn fixtures_cell_references_parse_to_row_and_column() {
    assert_eq!(parse_cell_ref("A1"), (1, 1));
    assert_eq!(parse_cell_ref("AB301"), (301, 28));
}

#[test]
fn fixtures_basketball_stores_derived_columns_as_shared_formulas() {
    // Excel stores a filled-down block as one master formula and bare shared children; the
    // basketball template is written that way, the football template with every formula in full.
    let children = |workbook: &WorkbookXml| {
        workbook.sheet("IN").values().filter(|c| c.formula.as_deref() == Some("")).count()
    };
    assert_eq!(children(&basketball()), 8 * 399);
    assert_eq!(children(&football()), 0);
}

// ---------------------------------------------------------------------------------------------
// LibreOffice's answers against the settlement rules, recomputed from the logs
// ---------------------------------------------------------------------------------------------

/// A log entry's field as Excel's `=` compares it: case-insensitive, an empty cell equal to "".
fn field(entry: &serde_json::Value, name: &str) -> String {
    entry[name].as_str().map(str::to_lowercase).unwrap_or_default()
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// The value in column `key` of the row with this market and outcome (and line, when given).
fn out_value(
    out: &serde_json::Value,
    market: &str,
    outcome: &str,
    line: Option<f64>,
    key: &str,
) -> serde_json::Value {
    let rows = out.as_array().unwrap();
    let row = rows.iter().find(|row| {
        row["market"] == market
            && row["outcome"] == outcome
            && line.is_none_or(|l| row["line"].as_f64() == Some(l))
    });
    row.unwrap_or_else(|| panic!("no row {market} / {outcome} / {line:?}"))[key].clone()
}

/// What a person settling the football log by the rules in `fixtures/README.md` gets.
#[derive(Debug, Default)]
struct FootballTally {
    home: u32,
    away: u32,
    corners: u32,
    booking_points: u32,
    scorers: BTreeSet<String>,
}

fn football_tally(entries: &[serde_json::Value]) -> FootballTally {
    let mut tally = FootballTally::default();
    for entry in entries {
        let (kind, team) = (field(entry, "type"), field(entry, "team"));
        let regulation = matches!(field(entry, "period").as_str(), "1h" | "2h");
        let scored = matches!(kind.as_str(), "goal" | "penalty_goal");
        // An own goal is logged with the team of the player who scored it.
        let for_home = (scored && team == "home") || (kind == "own_goal" && team == "away");
        let for_away = (scored && team == "away") || (kind == "own_goal" && team == "home");
        if regulation && for_home {
            tally.home += 1;
        }
        if regulation && for_away {
            tally.away += 1;
        }
        if scored && (team == "home" || team == "away") {
            tally.scorers.insert(field(entry, "player").trim().to_owned());
        }
        tally.corners += u32::from(kind == "corner");
        tally.booking_points += match kind.as_str() {
            "yellow" => 10,
            "red" => 25,
            _ => 0,
        };
    }
    tally
}

#[test]
fn fixtures_football_expectations_follow_the_settlement_rules() {
    for log in json_files(&fixtures_dir().join("logs").join("football")) {
        let entries = read_json(&log);
        let tally = football_tally(entries.as_array().unwrap());
        let out =
            &read_json(&fixtures_dir().join("expected/football").join(log.file_name().unwrap()))
                ["out"];
        let name = log.display();
        let score = format!("{}-{}", tally.home, tally.away);
        assert_eq!(out_value(out, "Info", "score", None, "result"), score.as_str(), "{name}");
        let home_wins = u32::from(tally.home > tally.away);
        assert_eq!(out_value(out, "Match result", "1", None, "result"), home_wins, "{name}");
        let goals = f64::from(tally.home + tally.away);
        for line in [0.5, 2.5, 5.5] {
            let over = u32::from(goals > line);
            assert_eq!(out_value(out, "Total goals", "over", Some(line), "result"), over, "{name}");
        }
        for line in [8.5, 9.5, 10.5] {
            let over = u32::from(f64::from(tally.corners) > line);
            let got = out_value(out, "Total corners", "over", Some(line), "result");
            assert_eq!(got, over, "{name}: corners {}", tally.corners);
        }
        for line in [30.5, 40.5, 55.5] {
            let over = u32::from(f64::from(tally.booking_points) > line);
            let got = out_value(out, "Booking points", "over", Some(line), "result");
            assert_eq!(got, over, "{name}: booking points {}", tally.booking_points);
        }
        for player in ["Kane", "Saka", "Haaland", "De_Bruyne", "Ødegaard"] {
            let scored = tally.scorers.contains(&player.replace('_', " ").to_lowercase());
            let got = out_value(out, "Anytime goalscorer", player, None, "result");
            assert_eq!(got, u32::from(scored), "{name}: {player}");
        }
    }
}

#[test]
fn fixtures_basketball_expectations_follow_the_settlement_rules() {
    for log in json_files(&fixtures_dir().join("logs").join("basketball")) {
        let entries = read_json(&log);
        let (mut home, mut away, mut overtime) = (0_u32, 0_u32, false);
        for entry in entries.as_array().unwrap() {
            let points = match field(entry, "type").as_str() {
                "3pt" => 3,
                "2pt" => 2,
                "ft" => 1,
                _ => 0,
            };
            match field(entry, "team").as_str() {
                "home" => home += points,
                "away" => away += points,
                _ => {}
            }
            overtime |= entry["quarter"].as_f64().is_some_and(|q| q >= 5.0);
        }
        let out =
            &read_json(&fixtures_dir().join("expected/basketball").join(log.file_name().unwrap()))
                ["out"];
        let name = log.display();
        let score = format!("{home}-{away}");
        assert_eq!(out_value(out, "Info", "score", None, "result"), score.as_str(), "{name}");
        assert_eq!(out_value(out, "Money line", "home", None, "result"), u32::from(home > away));
        assert_eq!(
            out_value(out, "Overtime", "yes", None, "result"),
            u32::from(overtime),
            "{name}"
        );
        let total = f64::from(home + away);
        for line in [200.5, 210.5, 220.5] {
            let got = out_value(out, "Total points", "over", Some(line), "result");
            assert_eq!(got, u32::from(total > line), "{name}: total {total}");
        }
        let one_on_100 = (home >= 100) != (away >= 100);
        let got = out_value(out, "Info", "exactly one team on 100", None, "result");
        assert_eq!(got, one_on_100, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// LibreOffice's own xlsx agrees with what the oracle read over UNO
// ---------------------------------------------------------------------------------------------

fn read_member(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut strings = Vec::new();
    let (mut current, mut in_text) = (String::new(), false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == b"si" => current.clear(),
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == b"t" => in_text = false,
            Event::Text(text) if in_text => current.push_str(&text.unescape().unwrap()),
            Event::End(e) if e.local_name().as_ref() == b"si" => strings.push(current.clone()),
            Event::Eof => return strings,
            _ => {}
        }
    }
}

/// A cached cell value in the answer format: `t` is the cell's type attribute, `v` its text.
fn cached_value(t: &str, v: &str, shared: &[String]) -> serde_json::Value {
    match t {
        "s" => serde_json::Value::from(shared[v.parse::<usize>().unwrap()].clone()),
        "str" | "inlineStr" => serde_json::Value::from(v),
        "b" => serde_json::Value::from(v == "1"),
        "e" => serde_json::json!({ "error": v }),
        _ => {
            let number: f64 = v.parse().unwrap();
            if number.fract() == 0.0 && number.abs() < 9e15 {
                serde_json::Value::from(number as i64)
            } else {
                serde_json::Value::from(number)
            }
        }
    }
}

/// Every cell of a sheet with a cached value, keyed by (row, column).
fn sheet_values(xml: &str, shared: &[String]) -> BTreeMap<(u32, u32), serde_json::Value> {
    let mut reader = Reader::from_str(xml);
    let mut values = BTreeMap::new();
    let (mut position, mut kind, mut text, mut in_value) = ((0, 0), String::new(), None, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                position = parse_cell_ref(&attribute(&e, "r").unwrap());
                kind = attribute(&e, "t").unwrap_or_default();
                text = None;
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => {
                in_value = true;
                text.get_or_insert_with(String::new);
            }
            Event::End(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_value = false,
            Event::Text(t) if in_value => {
                text.get_or_insert_with(String::new).push_str(&t.unescape().unwrap());
            }
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                if let Some(v) = text.take() {
                    values.insert(position, cached_value(&kind, &v, shared));
                }
            }
            Event::Eof => return values,
            _ => {}
        }
    }
}

fn column_letter(column: u32) -> String {
    let (mut column, mut letters) = (column, Vec::new());
    while column > 0 {
        let rem = u8::try_from((column - 1) % 26).unwrap();
        letters.push(char::from(b'A' + rem));
        column = (column - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[test]
fn fixtures_libreoffice_copy_caches_the_values_the_oracle_read() {
    // The copy holds the typical log as sample rows, so its cached OUT values are LibreOffice's
    // answer for that log, typed by LibreOffice's xlsx writer rather than read over UNO.
    let path = fixtures_dir().join("football-libreoffice.xlsx");
    let shared = shared_strings(&read_member(&path, "xl/sharedStrings.xml"));
    let copy = WorkbookXml::open(&path);
    let values = sheet_values(&read_member(&path, &copy.parts["OUT"]), &shared);
    let expected = read_json(&fixtures_dir().join("expected/football/typical.json"));
    let rows: BTreeSet<u32> = values.keys().map(|(row, _)| *row).filter(|row| *row > 1).collect();
    let expected_rows = expected["out"].as_array().unwrap();
    assert_eq!(rows.len(), expected_rows.len());
    let columns: BTreeSet<u32> = values.keys().map(|(_, column)| *column).collect();
    for (row, expected_row) in rows.iter().zip(expected_rows) {
        for column in &columns {
            let key = match values.get(&(1, *column)) {
                Some(serde_json::Value::String(header)) => header.clone(),
                _ => column_letter(*column),
            };
            let cached = values.get(&(*row, *column)).cloned().unwrap_or(serde_json::Value::Null);
            assert_eq!(cached, expected_row[&key], "OUT!{}{row}", column_letter(*column));
        }
    }
}
