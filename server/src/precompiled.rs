//! Compiled evaluators on disk: building them ahead of time into a
//! directory, and loading them at start so a deployment needs no toolchain.
//!
//! A directory holds one library per program, named by file id and program
//! hash (`libsengine_native_<id>_<hash>.so`); a program finds its library by
//! its hash alone, so a renamed upload of the same workbook still finds it.
//! A library that does not load or does not match leaves the interpreter in
//! place, with a warning.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use compiler::codegen::{self, Generated};
use runtime::evaluator::Evaluator;
use runtime::ir::Program;
use runtime::native::{program_hash, NativeEvaluator};

use crate::loader::NativeBuilder;

/// The compiled evaluator of `program` from `dir`, when a library built for
/// exactly this program, runtime and rustc is there.
pub fn load_precompiled(dir: &Path, program: &Arc<Program>) -> Option<Arc<dyn Evaluator>> {
    let suffix = format!("_{:016x}{}", program_hash(program), std::env::consts::DLL_SUFFIX);
    let entries = std::fs::read_dir(dir).ok()?;
    let mut candidates: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(&suffix)))
        .collect();
    candidates.sort();
    for path in candidates {
        match NativeEvaluator::load(&path, Arc::clone(program)) {
            Ok(native) => {
                tracing::info!(library = %path.display(), "compiled evaluator loaded");
                return Some(Arc::new(native));
            }
            Err(error) => tracing::warn!(%error, "compiled evaluator refused; interpreting"),
        }
    }
    None
}

/// What an ahead-of-time compile produced.
#[derive(Debug)]
pub struct Precompiled {
    pub generated: Generated,
    /// The library copied into the output directory.
    pub library: PathBuf,
    /// Seconds spent generating Rust and running cargo.
    pub generate_secs: f64,
    pub build_secs: f64,
}

/// Generates and builds `program`'s evaluator, then copies the library into
/// `out`, where [`load_precompiled`] finds it, and checks that this engine
/// loads it. Crates and the shared target directory live under `out/build`.
///
/// # Errors
///
/// Why generation, the build, the copy or the load failed (rustc's text
/// included). A library this engine refuses (built against runtime sources
/// that are not the ones the engine was built from) is an error here rather
/// than a surprise when it is served.
pub fn compile_into(
    out: &Path,
    program: &Arc<Program>,
    file_id: &str,
) -> Result<Precompiled, String> {
    let started = std::time::Instant::now();
    let generated = codegen::generate(program, file_id)?;
    let generate_secs = started.elapsed().as_secs_f64();
    let build = out.join("build");
    let built = codegen::build(&generated, &build.join("crates"), &build.join("target"))
        .map_err(|e| e.to_string())?;
    let name = built.library.file_name().map(ToOwned::to_owned).unwrap_or_default();
    let library = out.join(name);
    std::fs::copy(&built.library, &library).map_err(|e| {
        format!("cannot copy {} to {}: {e}", built.library.display(), out.display())
    })?;
    let build_secs = built.elapsed.as_secs_f64();
    if let Err(e) = NativeEvaluator::load(&library, Arc::clone(program)) {
        let _ = std::fs::remove_file(&library);
        return Err(format!(
            "{e}; the runtime source the build used differs from the one this engine was \
             built from, so rebuild the engine from the same sources"
        ));
    }
    Ok(Precompiled { generated, library, generate_secs, build_secs })
}

/// Writes `program`'s generated crate under `out` without building it.
///
/// # Errors
///
/// Why generation or writing failed.
pub fn emit_rust(out: &Path, program: &Program, file_id: &str) -> Result<PathBuf, String> {
    let generated = codegen::generate(program, file_id)?;
    codegen::write_crate(&generated, out, &codegen::default_runtime_dir())
        .map_err(|e| e.to_string())
}

/// Where a file's compiled evaluator comes from: a directory of libraries
/// built ahead of time by `sengine compile`, and, when a Rust toolchain is
/// present, a directory where missing ones are built in the background
/// (one shared target directory, so the runtime is compiled once). Either
/// way the result is checked against the interpreter before it serves.
#[derive(Debug, Default)]
pub struct NativeBuilds {
    pub precompiled: Option<PathBuf>,
    pub build_dir: Option<PathBuf>,
}

impl NativeBuilds {
    /// Whether this machine can build: `Ok` when cargo runs and the
    /// runtime's source is where generated crates will look for it.
    ///
    /// # Errors
    ///
    /// Why no build can run; files then stay interpreted.
    pub fn toolchain() -> Result<(), String> {
        let runtime = codegen::default_runtime_dir();
        if !runtime.join("Cargo.toml").is_file() {
            return Err(format!("the runtime's source is not at {}", runtime.display()));
        }
        // Sources changed since this engine was built would build libraries
        // it refuses: found here, before any build, rather than after each.
        let found = format!("{:016x}", runtime::native::source_fingerprint(&runtime));
        if found != runtime::native::RUNTIME_SOURCE_HASH {
            return Err(format!(
                "the runtime and code generator sources at {} are not the ones this engine was \
                 built from (fingerprint {found}, expected {}): rebuild the engine",
                runtime.display(),
                runtime::native::RUNTIME_SOURCE_HASH
            ));
        }
        match std::process::Command::new("cargo").arg("--version").output() {
            Ok(out) if out.status.success() => Ok(()),
            _ => Err("no Rust toolchain (cargo) on the PATH".to_string()),
        }
    }
}

impl NativeBuilder for NativeBuilds {
    fn build(
        &self,
        file_id: u64,
        _version: u32,
        program: &Arc<Program>,
    ) -> Result<Arc<dyn Evaluator>, String> {
        for dir in self.precompiled.iter().chain(self.build_dir.iter()) {
            if let Some(native) = load_precompiled(dir, program) {
                return Ok(native);
            }
        }
        let Some(dir) = &self.build_dir else {
            return Err("no compiled evaluator for this version among the precompiled ones".into());
        };
        let built = compile_into(dir, program, &file_id.to_string())?;
        tracing::info!(
            file_id,
            generate_secs = built.generate_secs,
            build_secs = built.build_secs,
            "compiled evaluator built"
        );
        NativeEvaluator::load(&built.library, Arc::clone(program))
            .map(|native| Arc::new(native) as Arc<dyn Evaluator>)
            .map_err(|e| e.to_string())
    }
}
