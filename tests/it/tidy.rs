//! Project rules that a machine can check, run as ordinary tests.

use std::fs;
use std::path::{Path, PathBuf};

use sengine_tests::repo_root;

const CRATES: [&str; 5] = ["bench", "compiler", "runtime", "server", "tests"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for krate in CRATES {
        rust_files(&repo_root().join(krate), &mut files);
    }
    files.sort();
    assert!(files.len() > 20, "found only {} source files", files.len());
    files.into_iter().map(|p| (p.clone(), fs::read_to_string(&p).unwrap())).collect()
}

/// Every Rust file opens with a `//!` line saying what it is.
#[test]
fn every_file_has_a_module_doc() {
    let missing: Vec<_> = sources()
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(p, _)| p)
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:#?}");
}

/// Shortcomings are marked `FIXME:` only, never with other markers.
#[test]
fn only_fixme_marks_shortcomings() {
    let words = [concat!("TO", "DO"), concat!("X", "XX"), concat!("HA", "CK")];
    let mut bad = Vec::new();
    for (path, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            if words.iter().any(|w| line.contains(w)) {
                bad.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    assert!(bad.is_empty(), "use FIXME: {bad:#?}");
}

/// Lines fit in 100 columns (rustfmt leaves comments and strings alone).
#[test]
fn lines_fit_in_100_columns() {
    let mut long = Vec::new();
    for (path, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            if line.chars().count() > 100 && !line.contains('"') {
                long.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    assert!(long.is_empty(), "lines over 100 columns: {long:#?}");
}

/// Every crate takes the workspace's lint policy.
#[test]
fn every_crate_uses_workspace_lints() {
    for krate in CRATES {
        let manifest = fs::read_to_string(repo_root().join(krate).join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[lints]\nworkspace = true"), "{krate} lacks [lints] workspace");
    }
}

/// ARCHITECTURE.md has a codemap heading for every crate.
#[test]
fn architecture_maps_every_crate() {
    let doc = fs::read_to_string(repo_root().join("ARCHITECTURE.md")).unwrap();
    for krate in CRATES {
        assert!(doc.contains(&format!("### `{krate}`")), "ARCHITECTURE.md lacks `{krate}`");
    }
}

/// Non-test code has no `allow(clippy::...)` escape hatches.
#[test]
fn no_clippy_allows_in_library_code() {
    let needle = concat!("allow(", "clippy::");
    let bad: Vec<_> = sources()
        .into_iter()
        .filter(|(p, _)| !p.starts_with(repo_root().join("tests")))
        .filter(|(p, _)| !p.components().any(|c| c.as_os_str() == "tests"))
        .filter(|(_, text)| text.contains(needle))
        .map(|(p, _)| p)
        .collect();
    assert!(bad.is_empty(), "clippy allows outside tests: {bad:#?}");
}
