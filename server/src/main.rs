//! `sengine`: serve the engine, check a workbook, or evaluate one for a log.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use compiler::{CompileOptions, Severity};
use server::config::{parse_duration, parse_size, Config};
use server::files::{builtin_fixtures, FileRegistry};
use server::loader::{CompilerLoader, WorkbookLoader};
use server::precompiled::PrecompiledLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;

#[derive(Parser)]
#[command(
    name = "sengine",
    version,
    about = "Settlement Engine: Excel workbooks as settlement calculators"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the REST API and the administrative page.
    Serve(ServeArgs),
    /// Prints every problem and warning of a workbook (exit 1 when it has errors).
    Check {
        /// The workbook (.xlsx or .xlsm).
        workbook: PathBuf,
        #[arg(long, env = "SENGINE_DEFAULT_CAPACITY", default_value_t = 10_000)]
        default_capacity: u32,
    },
    /// Prints the OUT data of a workbook for a log.
    Eval {
        /// The workbook (.xlsx or .xlsm).
        workbook: PathBuf,
        /// A JSON file holding an array of entries, as the API takes them.
        #[arg(long)]
        log: PathBuf,
        #[arg(long, env = "SENGINE_DEFAULT_CAPACITY", default_value_t = 10_000)]
        default_capacity: u32,
        #[command(flatten)]
        native: native_cli::EvalNative,
    },
    /// Builds a workbook's compiled evaluator ahead of time.
    Compile(native_cli::CompileArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "SENGINE_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The data directory (workbooks and their metadata).
    #[arg(long, env = "SENGINE_DATA", default_value = "./data")]
    data: PathBuf,
    /// Release events idle this long (`15m`, `900`, `1h`).
    #[arg(long, env = "SENGINE_IDLE_TIMEOUT", default_value = "15m", value_parser = parse_duration)]
    idle_timeout: Duration,
    /// Token required on the administrative routes.
    #[arg(long, env = "SENGINE_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Token required on the event routes.
    #[arg(long, env = "SENGINE_API_TOKEN", hide_env_values = true)]
    api_token: Option<String>,
    /// The largest request body (`8MiB`).
    #[arg(long, env = "SENGINE_MAX_BODY", default_value = "8MiB", value_parser = parse_size)]
    max_body: usize,
    /// The largest workbook upload (`50MiB`).
    #[arg(long, env = "SENGINE_MAX_UPLOAD", default_value = "50MiB", value_parser = parse_size)]
    max_upload: usize,
    /// The capacity of workbooks that reach IN only through whole columns.
    #[arg(long, env = "SENGINE_DEFAULT_CAPACITY", default_value_t = 10_000)]
    default_capacity: u32,
    /// Load compiled evaluators built by `sengine compile` from this directory.
    #[arg(long, env = "SENGINE_NATIVE_DIR")]
    native_dir: Option<PathBuf>,
}

mod native_cli;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve(args).map(|()| ExitCode::SUCCESS),
        Command::Check { workbook, default_capacity } => check(&workbook, default_capacity),
        Command::Eval { workbook, log, default_capacity, native } => {
            eval(&workbook, &log, default_capacity, &native).map(|()| ExitCode::SUCCESS)
        }
        Command::Compile(args) => compile(&args).map(|()| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn loader(default_capacity: u32) -> CompilerLoader {
    CompilerLoader { options: CompileOptions { default_capacity } }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if !args.listen.ip().is_loopback() && args.admin_token.is_none() {
        bail!(
            "refusing to listen on {} without an admin token: set --admin-token (or SENGINE_ADMIN_TOKEN), \
             or listen on a loopback address",
            args.listen
        );
    }
    if args.idle_timeout.is_zero() {
        bail!("--idle-timeout must be longer than zero (for example 15m)");
    }
    // Take the port before compiling the workbooks, so a busy port fails at once.
    let listener = std::net::TcpListener::bind(args.listen)
        .with_context(|| format!("binding {}", args.listen))?;
    listener.set_nonblocking(true).context("configuring the listening socket")?;
    let config = Config {
        data_dir: args.data,
        idle_timeout: args.idle_timeout,
        admin_token: args.admin_token,
        api_token: args.api_token,
        max_body: args.max_body,
        max_upload: args.max_upload,
        default_capacity: args.default_capacity,
    };
    let loader: Arc<dyn WorkbookLoader> = match args.native_dir {
        Some(dir) => Arc::new(PrecompiledLoader { inner: loader(config.default_capacity), dir }),
        None => Arc::new(loader(config.default_capacity)),
    };
    let files = FileRegistry::open(&config.data_dir, loader, builtin_fixtures())
        .with_context(|| format!("opening the data directory {}", config.data_dir.display()))?;
    let state = AppState::new(config, files, Arc::new(MemoryEventStore::default()));
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(run(state, listener))
}

async fn run(state: AppState, listener: std::net::TcpListener) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::from_std(listener).context("registering the listening socket")?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    state.spawn_reaper();
    let shutting_down = state.clone();
    axum::serve(listener, server::app(state))
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // New requests answer STU while the ones in flight finish.
            shutting_down.set_available(false);
            tracing::info!("shutting down");
        })
        .await
        .context("serving")
}

/// Resolves on Ctrl-C, or on SIGTERM where there are signals.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The file name and bytes of a workbook on disk.
fn load(path: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((name, bytes))
}

fn check(path: &Path, default_capacity: u32) -> anyhow::Result<ExitCode> {
    let (name, bytes) = load(path)?;
    let problems = match loader(default_capacity).load(&name, &bytes) {
        Ok(workbook) => workbook.warnings,
        Err(problems) => problems,
    };
    for problem in &problems {
        println!("{problem}");
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    println!(
        "{}: {}, {}",
        path.display(),
        counted(errors, "error", "errors"),
        counted(warnings, "warning", "warnings")
    );
    Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `1 error`, `2 errors`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn compile(args: &native_cli::CompileArgs) -> anyhow::Result<()> {
    let path = native_cli::workbook_path(args);
    let workbook = loaded(path, native_cli::default_capacity(args))?;
    native_cli::compile(args, &workbook)
}

fn loaded(path: &Path, default_capacity: u32) -> anyhow::Result<server::loader::LoadedWorkbook> {
    let (name, bytes) = load(path)?;
    let workbook = match loader(default_capacity).load(&name, &bytes) {
        Ok(workbook) => workbook,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            bail!("{} cannot be compiled", path.display());
        }
    };
    Ok(workbook)
}

fn eval(
    path: &Path,
    log: &Path,
    default_capacity: u32,
    native: &native_cli::EvalNative,
) -> anyhow::Result<()> {
    let workbook = loaded(path, default_capacity)?;
    let evaluator = native_cli::evaluator(native, path, &workbook)?;
    let text =
        std::fs::read_to_string(log).with_context(|| format!("reading {}", log.display()))?;
    let raw: Box<serde_json::value::RawValue> =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", log.display()))?;
    let entries = server::entries::read_entries(&raw, &workbook.program.input)
        .map_err(|e| anyhow::anyhow!(entry_problems(e)))?;
    let outcomes = evaluator.evaluate(&entries).context("evaluating the log")?;
    let rendered = server::json::render_outcomes(&workbook.program.output, &outcomes)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", rendered.get());
    Ok(())
}

fn entry_problems(error: server::error::ApiError) -> String {
    match error {
        server::error::ApiError::InvalidEntries(items) => {
            items.into_iter().map(|i| i.message).collect::<Vec<_>>().join("\n")
        }
        other => other.to_string(),
    }
}
