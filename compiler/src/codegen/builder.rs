//! Building a generated crate: writing it to disk and running cargo on it
//! at low priority, with a target directory shared by every generated crate
//! so that `runtime` is compiled once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::Generated;

/// The environment variable that overrides where `runtime`'s sources are.
pub const RUNTIME_DIR_VAR: &str = "SENGINE_RUNTIME_DIR";

/// Why a generated crate could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot write generated crate {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("cannot run cargo for generated crate {name}: {reason}")]
    Cargo { name: String, reason: String },
    #[error("rustc rejected generated crate {name}:\n{stderr}")]
    Rustc { name: String, stderr: String },
    #[error("cargo built generated crate {name} but left no library at {path}")]
    Missing { name: String, path: PathBuf },
}

/// A built library.
#[derive(Clone, Debug)]
pub struct Built {
    pub library: PathBuf,
    /// The crate's directory (Cargo.toml and src/lib.rs).
    pub crate_dir: PathBuf,
    /// How long cargo ran.
    pub elapsed: Duration,
}

/// Where `runtime`'s sources are: `SENGINE_RUNTIME_DIR`, else the copy this
/// compiler was built from.
pub fn default_runtime_dir() -> PathBuf {
    match std::env::var_os(RUNTIME_DIR_VAR) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("runtime"),
    }
}

/// The generated crate's manifest: `runtime` by path, a `cdylib`, and a
/// release profile tuned for compile time (opt-level 2, 16 codegen units).
fn manifest(name: &str, runtime_dir: &Path) -> String {
    let runtime = runtime_dir.to_string_lossy().replace('\\', "/");
    format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[dependencies]
runtime = {{ path = "{runtime}" }}

[profile.release]
opt-level = 2
codegen-units = 16
debug = false
incremental = false

[workspace]
"#
    )
}

/// Writes the crate of `generated` under `crates_dir/<name>/`.
///
/// # Errors
///
/// [`BuildError::Write`] when a file cannot be written.
pub fn write_crate(
    generated: &Generated,
    crates_dir: &Path,
    runtime_dir: &Path,
) -> Result<PathBuf, BuildError> {
    let dir = crates_dir.join(&generated.name);
    let write = |path: &Path, text: &str| {
        let parent = path.parent().unwrap_or(path);
        std::fs::create_dir_all(parent)
            .and_then(|()| write_if_changed(path, text))
            .map_err(|e| BuildError::Write { path: path.to_path_buf(), reason: e.to_string() })
    };
    write(&dir.join("Cargo.toml"), &manifest(&generated.name, runtime_dir))?;
    write(&dir.join("src").join("lib.rs"), &generated.lib_rs)?;
    // The workspace's lock file pins `runtime`'s dependencies to the versions
    // the engine was built and tested with, and spares cargo a registry
    // lookup; cargo drops the entries the crate does not need.
    let lock = runtime_dir.join("..").join("Cargo.lock");
    if let (Ok(text), false) = (std::fs::read_to_string(&lock), dir.join("Cargo.lock").is_file()) {
        write(&dir.join("Cargo.lock"), &text)?;
    }
    Ok(dir)
}

/// Leaves a file alone when it already says `text`, so cargo sees nothing
/// new and a second build of the same program is a no-op.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, text)
}

/// Writes the crate and builds it with `cargo build --release` at the
/// lowest CPU priority, into `target_dir`; returns the library's path.
///
/// # Errors
///
/// [`BuildError`] with rustc's own message when the crate does not build.
pub fn build(
    generated: &Generated,
    crates_dir: &Path,
    target_dir: &Path,
) -> Result<Built, BuildError> {
    let crate_dir = write_crate(generated, crates_dir, &default_runtime_dir())?;
    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = niced(&cargo);
    command
        .arg("build")
        .arg("--release")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .env("CARGO_INCREMENTAL", "0")
        // A build started from a test or a build script must not inherit
        // the outer build's target directory or flags.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    let name = generated.name.clone();
    let output = command
        .output()
        .map_err(|e| BuildError::Cargo { name: name.clone(), reason: e.to_string() })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        return Err(BuildError::Rustc { name, stderr });
    }
    let file = format!("{}{}{}", std::env::consts::DLL_PREFIX, name, std::env::consts::DLL_SUFFIX);
    let library = target_dir.join("release").join(file);
    if !library.is_file() {
        return Err(BuildError::Missing { name, path: library });
    }
    Ok(Built { library, crate_dir, elapsed: started.elapsed() })
}

/// `cargo` under `nice -n 19` where `nice` exists, so that live traffic
/// keeps its cores while a workbook compiles.
fn niced(cargo: &std::ffi::OsStr) -> Command {
    let nice = Path::new("/usr/bin/nice");
    if cfg!(unix) && nice.is_file() {
        let mut command = Command::new(nice);
        command.arg("-n").arg("19").arg(cargo);
        command
    } else {
        Command::new(cargo)
    }
}
