//! The `sengine` commands of compiled evaluators: `compile` ahead of time,
//! and the `--evaluator` choice of `eval`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use runtime::evaluator::Evaluator;
use server::loader::LoadedWorkbook;
use server::precompiled::{compile_into, emit_rust, load_precompiled};

/// `sengine compile`: the workbook's compiled evaluator, ahead of time.
#[derive(clap::Args)]
pub(crate) struct CompileArgs {
    /// The workbook (.xlsx or .xlsm).
    workbook: PathBuf,
    /// Where the library goes (`sengine serve --native-dir` reads it there).
    #[arg(long, env = "SENGINE_NATIVE_DIR", default_value = "native")]
    out: PathBuf,
    /// Write the generated crate for a person to read, without building it.
    #[arg(long)]
    emit_rust: bool,
    /// The file id the crate is named after (default: the file name).
    #[arg(long)]
    file_id: Option<String>,
    #[arg(long, env = "SENGINE_DEFAULT_CAPACITY", default_value_t = 10_000)]
    default_capacity: u32,
}

/// Which evaluator `sengine eval` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum EvaluatorKind {
    Interpreted,
    Compiled,
}

/// The evaluator options of `sengine eval`.
#[derive(clap::Args)]
pub(crate) struct EvalNative {
    /// `compiled` loads the library from `--native-dir`, building it there first if absent.
    #[arg(long, value_enum, default_value_t = EvaluatorKind::Interpreted)]
    evaluator: EvaluatorKind,
    #[arg(long, env = "SENGINE_NATIVE_DIR", default_value = "native")]
    native_dir: PathBuf,
}

pub(crate) fn compile(args: &CompileArgs, workbook: &LoadedWorkbook) -> anyhow::Result<()> {
    let file_id = args.file_id.clone().unwrap_or_else(|| file_stem(&args.workbook));
    if args.emit_rust {
        let dir = emit_rust(&args.out, &workbook.program, &file_id).map_err(anyhow::Error::msg)?;
        println!("{}", dir.join("src").join("lib.rs").display());
        return Ok(());
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let done = compile_into(&args.out, &workbook.program, &file_id).map_err(anyhow::Error::msg)?;
    let stats = done.generated.stats;
    println!(
        "{}: {} formulas ({} in {} column loops, {} interpreted), generated in {:.2} s, \
         built in {:.1} s",
        done.library.display(),
        stats.formulas,
        stats.column_cells,
        stats.columns,
        stats.interpreted,
        done.generate_secs,
        done.build_secs
    );
    Ok(())
}

pub(crate) fn default_capacity(args: &CompileArgs) -> u32 {
    args.default_capacity
}

pub(crate) fn workbook_path(args: &CompileArgs) -> &Path {
    &args.workbook
}

/// The evaluator `sengine eval` uses for `workbook`.
pub(crate) fn evaluator(
    options: &EvalNative,
    path: &Path,
    workbook: &LoadedWorkbook,
) -> anyhow::Result<Arc<dyn Evaluator>> {
    if options.evaluator == EvaluatorKind::Interpreted {
        return Ok(Arc::clone(&workbook.evaluator));
    }
    if let Some(native) = load_precompiled(&options.native_dir, &workbook.program) {
        return Ok(native);
    }
    std::fs::create_dir_all(&options.native_dir)
        .with_context(|| format!("creating {}", options.native_dir.display()))?;
    compile_into(&options.native_dir, &workbook.program, &file_stem(path))
        .map_err(anyhow::Error::msg)?;
    match load_precompiled(&options.native_dir, &workbook.program) {
        Some(native) => Ok(native),
        None => bail!("the compiled evaluator of {} does not load", path.display()),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "workbook".to_string(), |s| s.to_string_lossy().into_owned())
}
