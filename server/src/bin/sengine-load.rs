//! `sengine-load`: drives a running engine with many live events changed
//! concurrently, checks that no acknowledged entry is lost, and prints
//! changes per second, latency and resident memory per live event.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use server::config::parse_duration;
use server::load::{run, LoadOptions};

#[derive(Parser)]
#[command(name = "sengine-load", about = "Load test of a running Settlement Engine")]
struct Args {
    /// The engine's address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    address: SocketAddr,
    /// The file to create the events on (1 is the built-in football workbook).
    #[arg(long, default_value_t = 1)]
    file_id: u64,
    /// How many live events to create.
    #[arg(long, default_value_t = 1000)]
    events: usize,
    /// How long to change them (`10s`, `1m`).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// How many concurrent clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// The entry every change appends, as a JSON object (the marker column is added).
    #[arg(long)]
    entry: Option<String>,
    /// The text input column that carries each change's unique marker.
    #[arg(long, default_value = "player")]
    marker_column: String,
    /// The share of changes aimed at any event rather than the client's own.
    #[arg(long, default_value_t = 0.01)]
    contention: f64,
    /// The engine's process id, to read its resident memory (VmRSS).
    #[arg(long)]
    pid: Option<u32>,
    /// The bearer token, when the engine requires one.
    #[arg(long, env = "SENGINE_API_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Keep the events instead of releasing them at the end.
    #[arg(long)]
    keep: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut options = LoadOptions::football(args.address);
    if let Some(entry) = &args.entry {
        match serde_json::from_str::<serde_json::Value>(entry) {
            Ok(serde_json::Value::Object(entry)) => options.entry = entry,
            _ => {
                eprintln!("error: --entry must be a JSON object");
                return ExitCode::FAILURE;
            }
        }
    }
    options.file_id = args.file_id;
    options.events = args.events;
    options.duration = args.duration;
    options.clients = args.clients;
    options.marker_column = args.marker_column;
    options.contention = args.contention;
    options.pid = args.pid;
    options.token = args.token;
    options.release = !args.keep;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(report) => {
            println!("{report}");
            match report.check() {
                Ok(()) => ExitCode::SUCCESS,
                Err(broken) => {
                    eprintln!("error: {broken}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
