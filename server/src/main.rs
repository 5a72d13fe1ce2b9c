//! `sengine`: serve the engine, check a workbook, evaluate one for a log, or
//! compare its values with the values Excel cached.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use compiler::{CompileOptions, Severity};
use server::config::{check_listen, parse_duration, parse_size, Config};
use server::conformance::Locale;
use server::db::Database;
use server::durable::SqliteEventStore;
use server::files::{builtin_fixtures, FileRegistry};
use server::loader::{CompilerLoader, WorkbookLoader};
use server::precompiled::NativeBuilds;
use server::state::AppState;
use server::storage::{EventStore, MemoryEventStore};

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
    /// Compares every formula's value with the value Excel cached (exit 1 when any cell fails).
    Conformance {
        /// Workbooks, or directories searched for them.
        #[arg(required = true)]
        workbooks: Vec<PathBuf>,
        /// Also list every mismatch and every cell left out.
        #[arg(long)]
        verbose: bool,
        /// The locale Excel calculated the workbooks in: it decides whether
        /// date text such as "2/3/2023" is read month first (en-US) or day
        /// first (en-GB). By default each workbook is checked in the locale
        /// it declares on a sheet holding "Locale" in A1 and the tag in B1,
        /// else in en-US.
        #[arg(long, value_enum, ignore_case = true)]
        locale: Option<Locale>,
    },
    /// Prints the median time of one recalculation with each evaluator.
    Bench {
        /// The workbook (.xlsx or .xlsm).
        workbook: PathBuf,
        /// A JSON file holding an array of entries, as the API takes them.
        #[arg(long)]
        log: PathBuf,
        #[arg(long, env = "SENGINE_DEFAULT_CAPACITY", default_value_t = 10_000)]
        default_capacity: u32,
        /// Where `sengine compile` put the compiled evaluator to time beside
        /// the interpreter.
        #[arg(long, env = "SENGINE_NATIVE_DIR", default_value = "native")]
        native_dir: PathBuf,
    },
    /// Builds a workbook's compiled evaluator ahead of time.
    Compile(native_cli::CompileArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "SENGINE_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The data directory: the SQLite database of workbooks and live
    /// events (`sengine.db`), and the compiled evaluators built in the
    /// background (`native/`).
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
    /// Where live events are kept: `database` (survive a restart) or `memory`.
    #[arg(long, env = "SENGINE_EVENTS", default_value = "database")]
    events: EventsIn,
    /// On SIGTERM or Ctrl-C, answer `STU` for this long before closing the
    /// port, so a load balancer sees the engine leave (`0`, `5s`).
    #[arg(long, env = "SENGINE_SHUTDOWN_GRACE", default_value = "0s", value_parser = parse_duration)]
    shutdown_grace: Duration,
    /// The most live events; creating one more answers 503 STU.
    #[arg(long, env = "SENGINE_MAX_EVENTS", default_value_t = 100_000)]
    max_events: usize,
    /// The most entries one append or rewrite may carry.
    #[arg(long, env = "SENGINE_MAX_ENTRIES", default_value_t = 10_000)]
    max_entries: usize,
    /// Load compiled evaluators built by `sengine compile` from this directory.
    #[arg(long, env = "SENGINE_NATIVE_DIR")]
    native_dir: Option<PathBuf>,
    /// Build each file's compiled evaluator in the background when a Rust
    /// toolchain is present (`true` or `false`).
    #[arg(long, env = "SENGINE_NATIVE_BUILDS", default_value_t = true, action = clap::ArgAction::Set)]
    native_builds: bool,
}

/// Where live events are kept.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum EventsIn {
    Database,
    Memory,
}

mod native_cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The service logs its work; a one-off command prints its answer and
    // logs only what went wrong, unless `RUST_LOG` asks for more.
    let level = match cli.command {
        Command::Serve(_) => "info",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal, not in a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let outcome = match cli.command {
        Command::Serve(args) => serve(args).map(|()| ExitCode::SUCCESS),
        Command::Check { workbook, default_capacity } => check(&workbook, default_capacity),
        Command::Bench { workbook, log, default_capacity, native_dir } => {
            bench(&workbook, &log, default_capacity, &native_dir).map(|()| ExitCode::SUCCESS)
        }
        Command::Eval { workbook, log, default_capacity, native } => {
            eval(&workbook, &log, default_capacity, &native).map(|()| ExitCode::SUCCESS)
        }
        Command::Compile(args) => compile(&args).map(|()| ExitCode::SUCCESS),
        Command::Conformance { workbooks, verbose, locale } => {
            conformance(&workbooks, locale, verbose)
        }
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
    check_listen(args.listen, args.admin_token.as_deref(), args.api_token.as_deref())
        .map_err(anyhow::Error::msg)?;
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
        max_events: args.max_events,
        max_entries: args.max_entries,
    };
    let loader: Arc<dyn WorkbookLoader> = Arc::new(loader(config.default_capacity));
    let opening = || format!("opening the data directory {}", config.data_dir.display());
    let db = Database::open(&config.data_dir).with_context(opening)?;
    let files =
        FileRegistry::open_in(db.clone(), loader, builtin_fixtures()).with_context(opening)?;
    let mut builds = NativeBuilds { precompiled: args.native_dir, build_dir: None };
    if args.native_builds {
        match NativeBuilds::toolchain() {
            Ok(()) => builds.build_dir = Some(config.data_dir.join("native")),
            Err(why) => tracing::info!(reason = %why, "no background compiles"),
        }
    }
    if builds.precompiled.is_some() || builds.build_dir.is_some() {
        files.start_native(Arc::new(builds)).context("starting the compile worker")?;
    }
    let events: Arc<dyn EventStore> = match args.events {
        EventsIn::Database => Arc::new(SqliteEventStore::open(db, &files).with_context(opening)?),
        EventsIn::Memory => Arc::new(MemoryEventStore::default()),
    };
    let state = AppState::new(config, files, events);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(run(state, listener, args.shutdown_grace))
}

/// Serves until SIGTERM or Ctrl-C, then shuts down gracefully: every new
/// request answers `STU` while the changes in flight finish, the port is
/// closed once those and the open requests are done, and the store is
/// flushed before the process exits.
async fn run(
    state: AppState,
    listener: std::net::TcpListener,
    grace: Duration,
) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::from_std(listener).context("registering the listening socket")?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let reaper = state.spawn_reaper();
    let shutting_down = state.clone();
    axum::serve(listener, server::app(state.clone()))
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            shutting_down.set_available(false);
            tracing::info!("shutting down: new requests answer STU");
            let drained = shutting_down.drain(Duration::from_secs(30)).await;
            if !drained {
                tracing::error!("changes still in flight after 30 s; closing anyway");
            }
            tokio::time::sleep(grace).await;
        })
        .await
        .context("serving")?;
    // A change whose client went away runs on in its own task.
    state.drain(Duration::from_secs(30)).await;
    reaper.abort();
    state.events.close().await.context("closing the event store")?;
    tracing::info!("stopped");
    Ok(())
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

fn conformance(
    paths: &[PathBuf],
    locale: Option<Locale>,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    let files = server::conformance::workbooks(paths)?;
    let mut out = std::io::stdout().lock();
    let results = server::conformance::run(&files, locale, verbose, &mut out)?;
    let all_pass = results.iter().all(server::conformance::FileResult::fully_passing);
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::FAILURE })
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

fn bench(path: &Path, log: &Path, default_capacity: u32, native_dir: &Path) -> anyhow::Result<()> {
    let (name, bytes) = load(path)?;
    let Ok(workbook) = loader(default_capacity).load(&name, &bytes) else {
        bail!("{} cannot be evaluated; `sengine check` lists why", path.display());
    };
    let entries =
        server::bench::read_log_file(log, &workbook.program.input).map_err(anyhow::Error::msg)?;
    let mut evaluators: Vec<(String, Arc<dyn runtime::evaluator::Evaluator>)> =
        vec![("interpreted".into(), workbook.evaluator.clone())];
    match server::precompiled::load_precompiled(native_dir, &workbook.program) {
        Some(native) => evaluators.push(("compiled".into(), native)),
        None => eprintln!(
            "no compiled evaluator of this workbook in {} (`sengine compile` builds one)",
            native_dir.display()
        ),
    }
    let budget = server::bench::DEFAULT_BUDGET;
    let timings = server::bench::time_evaluators(&evaluators, &entries, budget)
        .map_err(anyhow::Error::msg)?;
    print!("{}", server::bench::render(&timings, entries.len()));
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
