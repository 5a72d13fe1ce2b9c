//! Replays every committed fuzz seed (`fuzz/corpus/<target>/`) through the
//! same entry functions the fuzz targets call, so CI exercises them without
//! a fuzzer, and keeps the seed corpora small.

use std::path::PathBuf;

use sengine_tests::fuzz_entry::{base_parts, zip_parts, TARGETS};
use sengine_tests::repo_root;

fn corpus(target: &str) -> PathBuf {
    repo_root().join("fuzz").join("corpus").join(target)
}

/// The seed files of a target, in name order.
fn seeds(target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(target))
        .unwrap_or_else(|e| panic!("fuzz corpus of {target}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Every seed of every target runs to the end without a panic.
#[test]
fn replay_seeds() {
    for (target, run) in TARGETS {
        let files = seeds(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} holds no seed");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            run(&data);
        }
    }
}

/// The corpora stay small: tens of files, none large.
#[test]
fn seed_corpora_are_small() {
    for (target, _) in TARGETS {
        let files = seeds(target);
        assert!(files.len() <= 100, "fuzz/corpus/{target} holds {} files", files.len());
        for file in files {
            let size = std::fs::metadata(&file).unwrap().len();
            assert!(size <= 64 * 1024, "{} is {size} bytes", file.display());
        }
    }
}

/// The workbook the structure-aware target mutates is one the compiler
/// accepts, so its mutations start from a workbook that gets past the zip
/// and XML layers.
#[test]
fn base_workbook_compiles() {
    let parts = base_parts();
    assert!(parts.iter().any(|(name, _)| name == "xl/workbook.xml"), "{parts:?}");
    let bytes = zip_parts(parts).unwrap();
    let compiled = compiler::compile(&bytes, &compiler::CompileOptions::default());
    assert!(compiled.is_ok(), "{:?}", compiled.err());
}

/// Writes the seeds of the workbook targets: the base workbook whole, and
/// each of its parts prefixed with the byte that picks it. Run by hand
/// (`cargo test -p sengine-tests write_workbook_seeds -- --ignored`).
#[test]
#[ignore = "writes the committed seed files"]
fn write_workbook_seeds() {
    let parts = base_parts();
    std::fs::write(corpus("xlsx").join("base.xlsx"), zip_parts(parts).unwrap()).unwrap();
    for (index, (name, data)) in parts.iter().enumerate() {
        let mut seed = vec![index as u8];
        seed.extend_from_slice(data);
        let file = format!("{index:02}-{}", name.replace('/', "_"));
        std::fs::write(corpus("xlsx_parts").join(file), seed).unwrap();
    }
}
