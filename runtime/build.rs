//! Records what a compiled evaluator must match to be loaded: the rustc
//! that builds this crate and a fingerprint of the sources of this crate and
//! of the code generator.

use std::path::Path;
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=SENGINE_RUSTC_VERSION={version}");
    // The code generator lives in the compiler crate beside this one: a
    // library it generated before a change to it must not load either, so
    // its sources count too.
    let generator = Path::new("../compiler/src/codegen");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    collect(generator, &mut files);
    files.sort();
    // FNV-1a over every source file's path and bytes: a runtime whose
    // semantics changed must not load libraries built against the old one.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=SENGINE_RUNTIME_SOURCE_HASH={hash:016x}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed={}", generator.display());
    println!("cargo:rerun-if-env-changed=RUSTC");
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}
