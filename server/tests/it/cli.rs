//! The `sengine` command: `check`, `eval`, and the refusal to serve an
//! outside address without an admin token.

use std::process::{Command, Output};

use serde_json::json;

use crate::pipeline::football;
use crate::support::TempDir;

fn sengine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sengine"))
        .args(args)
        .env_remove("SENGINE_ADMIN_TOKEN")
        .env("RUST_LOG", "off")
        // Background compiles would build the runtime in every test data
        // directory; the compiled evaluator has tests of its own.
        .env("SENGINE_NATIVE_BUILDS", "false")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `check` passes a good workbook and fails a bad one, printing each problem with its location.
#[test]
fn check() {
    let dir = TempDir::new();
    let good = dir.path().join("football.xlsx");
    std::fs::write(&good, football()).unwrap();
    let output = sengine(&["check", good.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("0 errors, 0 warnings"), "{}", text(&output.stdout));

    let bad = dir.path().join("notes.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let output = sengine(&["check", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).starts_with("error"), "{}", text(&output.stdout));
}

/// `eval` prints the OUT data for a log given in both entry forms.
#[test]
fn eval() {
    let dir = TempDir::new();
    let book = dir.path().join("football.xlsx");
    std::fs::write(&book, football()).unwrap();
    let log = dir.path().join("log.json");
    std::fs::write(&log, r#"[{"minute": 23, "TYPE": "goal"}, [31, "yellow"]]"#).unwrap();
    let output = sengine(&["eval", book.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let data: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        data,
        json!([{"market": "goals", "result": 1}, {"market": "per goal", "result": 1}])
    );

    std::fs::write(&log, r#"[{"minuet": 23}]"#).unwrap();
    let output = sengine(&["eval", book.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("entry 1, column 'minuet'"), "{}", text(&output.stderr));
}

/// `serve` refuses a non-loopback address without an admin token, saying so.
#[test]
fn serve_outside_needs_an_admin_token() {
    let dir = TempDir::new();
    let data = dir.path().to_str().unwrap();
    let output = sengine(&["serve", "--listen", "0.0.0.0:0", "--data", data]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("without an admin token"), "{}", text(&output.stderr));
}

/// `serve` refuses an idle timeout of zero, which would release every event at once.
#[test]
fn serve_refuses_a_zero_idle_timeout() {
    let dir = TempDir::new();
    let data = dir.path().to_str().unwrap();
    let output =
        sengine(&["serve", "--listen", "127.0.0.1:0", "--data", data, "--idle-timeout", "0"]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("--idle-timeout must be longer than zero"));
}

/// A workbook whose cached values are set by hand: `=1+2` cached as 3
/// (right), `=2*3` cached as 7 (wrong), `=NOW()` (volatile, left out) and
/// `=A3+1` (reads the volatile cell, left out).
fn cached_values_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Calc").unwrap();
    sheet.write_formula(0, 0, Formula::new("=1+2").set_result("3")).unwrap();
    sheet.write_formula(1, 0, Formula::new("=2*3").set_result("7")).unwrap();
    sheet.write_formula(2, 0, Formula::new("=NOW()").set_result("46000")).unwrap();
    sheet.write_formula(3, 0, Formula::new("=A3+1")).unwrap();
    book.save_to_buffer().unwrap()
}

/// `VALUE("2/3/2023")` with the value Excel cached for it in the en-GB
/// locale, 2 March 2023; with `declared`, a sheet saying so ("Locale",
/// "en-GB" in its first row).
fn en_gb_workbook(declared: bool) -> Vec<u8> {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Calc").unwrap();
    sheet.write_formula(0, 0, Formula::new("=VALUE(\"2/3/2023\")").set_result("44987")).unwrap();
    if declared {
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Locale").unwrap();
        sheet.write_string(0, 1, "en-GB").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// `conformance --locale en-GB` reads date text day first; the default is
/// the locale a workbook declares, else en-US, and a locale it does not
/// know is refused with the ones it does.
#[test]
fn conformance_in_a_locale() {
    let dir = TempDir::new();
    let path = dir.path().join("en-gb.xlsx");
    std::fs::write(&path, en_gb_workbook(false)).unwrap();
    let path = path.to_str().unwrap();
    let output = sengine(&["conformance", "--locale", "en-GB", path]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("en-gb.xlsx: 1 passed, 0 failed, 0 left out"), "{stdout}");
    let output = sengine(&["conformance", "--verbose", path]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("expected 44987.0, got 44960.0"), "{stdout}");
    let output = sengine(&["conformance", "--locale", "fr-FR", path]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid value 'fr-FR'"), "{stderr}");
    assert!(stderr.contains("[possible values: en-US, en-GB]"), "{stderr}");

    // A workbook that declares its locale is checked in it by default;
    // `--locale` still decides.
    let declared = dir.path().join("declared.xlsx");
    std::fs::write(&declared, en_gb_workbook(true)).unwrap();
    let declared = declared.to_str().unwrap();
    let output = sengine(&["conformance", declared]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let output = sengine(&["conformance", "--locale", "en-US", declared]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
}

/// `conformance` prints a line per file, each mismatch with `--verbose`,
/// the closing totals, and fails when any cell fails.
#[test]
fn conformance() {
    let dir = TempDir::new();
    let path = dir.path().join("cached.xlsx");
    std::fs::write(&path, cached_values_workbook()).unwrap();
    let output = sengine(&["conformance", "--verbose", path.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("cached.xlsx: 1 passed, 1 failed, 2 left out"), "{stdout}");
    assert!(stdout.contains("mismatch Calc!A2 =2*3: expected 7.0, got 6.0"), "{stdout}");
    assert!(stdout.contains("left out Calc!A3 =NOW(): depends on a volatile function"), "{stdout}");
    assert!(stdout.ends_with("conformance: 1 passed, 1 failed\nfiles: 0 of 1 fully passing\n"));
}

/// A workbook without cached values passes with nothing checked, and the
/// totals say so.
#[test]
fn conformance_of_a_workbook_with_nothing_cached() {
    let football =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/football.xlsx");
    let output = sengine(&["conformance", football.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("football.xlsx: 0 passed, 0 failed, "), "{stdout}");
    assert!(
        stdout.ends_with("files: 1 of 1 fully passing (1 with no cached value to check)\n"),
        "{stdout}"
    );
}

/// A one-off command prints its answer and logs nothing at the default
/// level when all goes well.
#[test]
fn commands_log_only_what_went_wrong() {
    let dir = TempDir::new();
    let good = dir.path().join("football.xlsx");
    std::fs::write(&good, football()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sengine"))
        .args(["check", good.to_str().unwrap()])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
}
