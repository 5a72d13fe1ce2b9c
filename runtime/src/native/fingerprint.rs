//! The fingerprint of the sources a compiled evaluator is built from: this
//! crate's and the code generator's. The build script computes it when the
//! engine is built (it declares this file as a module of its own), and the
//! engine computes it again over the sources a background build would use,
//! so that sources changed since the engine was built are found before a
//! build rather than after it.

/// The folders fingerprinted, relative to the runtime crate's folder.
pub(crate) const FINGERPRINTED: [&str; 2] = ["src", "../compiler/src/codegen"];

/// FNV-1a over the path (relative to `base`) and the bytes of every `.rs`
/// file under the [`FINGERPRINTED`] folders of `base`, in path order; a
/// folder that is not there adds nothing.
pub fn source_fingerprint(base: &std::path::Path) -> u64 {
    let mut files = Vec::new();
    for folder in FINGERPRINTED {
        collect_sources(base, std::path::Path::new(folder), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(base.join(file)).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The `.rs` files under `base/dir`, as paths relative to `base`.
fn collect_sources(
    base: &std::path::Path,
    dir: &std::path::Path,
    files: &mut Vec<std::path::PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(base.join(dir)) else { return };
    for entry in entries.flatten() {
        let relative = dir.join(entry.file_name());
        if entry.path().is_dir() {
            collect_sources(base, &relative, files);
        } else if relative.extension().is_some_and(|e| e == "rs") {
            files.push(relative);
        }
    }
}

#[cfg(test)]
mod tests {
    /// The engine fingerprints the sources it was built from exactly as its
    /// build script did; a library is refused when the two disagree.
    #[test]
    fn the_engine_fingerprints_its_sources_as_its_build_did() {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let found = format!("{:016x}", super::source_fingerprint(here));
        assert_eq!(found, crate::native::RUNTIME_SOURCE_HASH);
        let elsewhere = here.join("no such folder");
        assert_ne!(format!("{:016x}", super::source_fingerprint(&elsewhere)), found);
    }
}
