//! `sengine bench`: one line per evaluator with the median recalculation
//! time, and the log checked as `eval` checks it.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::support::TempDir;

fn sengine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sengine")).args(args).env("RUST_LOG", "off").output().unwrap()
}

fn football() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/football.xlsx");
    path.to_str().unwrap().to_string()
}

#[test]
fn bench_prints_the_median_of_each_evaluator() {
    let dir = TempDir::new();
    let log = dir.path().join("log.json");
    std::fs::write(
        &log,
        r#"[{"minute": 23, "type": "goal", "team": "home"}, [31, "1H", "corner"]]"#,
    )
    .unwrap();
    let output = sengine(&["bench", &football(), "--log", log.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "one recalculation of 2 entries (median):");
    assert_eq!(lines.len(), 2, "{stdout}");
    let words: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(words[0], "interpreted");
    assert!(["ns", "µs", "ms", "s"].contains(&words[2]), "{stdout}");
    assert!(words[3].starts_with('(') && words[4] == "runs)", "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no compiled evaluator of this workbook"), "{stderr}");

    std::fs::write(&log, r#"[{"minuet": 23}]"#).unwrap();
    let output = sengine(&["bench", &football(), "--log", log.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("entry 1, column 'minuet'"), "{stderr}");
}
