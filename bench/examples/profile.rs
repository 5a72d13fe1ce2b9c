//! Runs one engine on one fixture a fixed number of times, for a profiler
//! (`perf`, `valgrind --tool=callgrind`) to watch without criterion's
//! machinery around it. The compiled evaluator is built first when the
//! benchmark's build of it is missing or stale.
//!
//! `cargo run --release -p sengine-bench --example profile -- football compiled 300 1000`

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use runtime::evaluator::Entry;
use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use sengine_bench::{fixtures, Fixture};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, engine, entries, runs] = args.as_slice() else {
        return Err(
            "usage: profile <fixture> <interpreted|compiled|ironcalc> <entries> <runs>".into()
        );
    };
    let (Ok(entries), Ok(runs)) = (entries.parse::<usize>(), runs.parse::<u32>()) else {
        return Err("entries and runs are whole numbers".into());
    };
    let fixtures = fixtures()?;
    let fixture = fixtures
        .iter()
        .find(|f| f.name == name.as_str())
        .ok_or_else(|| format!("no fixture named {name}"))?;
    let log = fixture.log(entries);
    let mut recalculate = recalculation(engine, fixture, log)?;
    let started = Instant::now();
    for _ in 0..runs {
        recalculate();
    }
    let each = started.elapsed() / runs.max(1);
    println!("{name} {engine} {} entries: {each:?} per recalculation", log.len());
    Ok(())
}

/// One recalculation of `fixture` on `log` by `engine`, result discarded.
fn recalculation<'a>(
    engine: &str,
    fixture: &'a Fixture,
    log: &'a [Entry],
) -> Result<Box<dyn FnMut() + 'a>, String> {
    let evaluator: Arc<dyn Evaluator> = match engine {
        "ironcalc" => {
            let mut model = sengine_bench::IronCalc::load(&fixture.bytes, &fixture.program)?;
            return Ok(Box::new(move || drop(black_box(model.recalculate(log)))));
        }
        "interpreted" => Arc::new(Interpreter::new(Arc::clone(&fixture.program))),
        "compiled" => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/sengine-native/bench");
            if server::precompiled::load_precompiled(&dir, &fixture.program).is_none() {
                server::precompiled::compile_into(&dir, &fixture.program, fixture.name)
                    .map_err(|why| format!("no compiled evaluator: {why}"))?;
            }
            server::precompiled::load_precompiled(&dir, &fixture.program)
                .ok_or("the compiled evaluator does not load")?
        }
        other => return Err(format!("unknown engine {other}")),
    };
    Ok(Box::new(move || drop(black_box(evaluator.evaluate(log)))))
}
