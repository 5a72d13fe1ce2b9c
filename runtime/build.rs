//! Records what a compiled evaluator must match to be loaded: the rustc
//! that builds this crate and a fingerprint of the sources of this crate and
//! of the code generator (`src/native/fingerprint.rs`, shared with the
//! engine, which checks the sources a background build would use).

use std::path::Path;
use std::process::Command;

#[allow(unreachable_pub, reason = "public in the runtime crate, which exports it")]
#[path = "src/native/fingerprint.rs"]
mod fingerprint;

use fingerprint::{source_fingerprint, FINGERPRINTED};

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
    // A runtime or generator whose code changed must not load libraries
    // built against the old one.
    let hash = source_fingerprint(Path::new("."));
    println!("cargo:rustc-env=SENGINE_RUNTIME_SOURCE_HASH={hash:016x}");
    for folder in FINGERPRINTED {
        println!("cargo:rerun-if-changed={folder}");
    }
    println!("cargo:rerun-if-env-changed=RUSTC");
}
