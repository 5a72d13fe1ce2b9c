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

use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use sengine_bench::fixtures;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, engine, entries, runs] = args.as_slice() else {
        eprintln!("usage: profile <fixture> <interpreted|compiled|ironcalc> <entries> <runs>");
        return ExitCode::FAILURE;
    };
    let (Ok(entries), Ok(runs)) = (entries.parse::<usize>(), runs.parse::<u32>()) else {
        eprintln!("error: entries and runs are whole numbers");
        return ExitCode::FAILURE;
    };
    let fixtures = match fixtures() {
        Ok(fixtures) => fixtures,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let Some(fixture) = fixtures.iter().find(|f| f.name == name.as_str()) else {
        eprintln!("error: no fixture named {name}");
        return ExitCode::FAILURE;
    };
    let log = fixture.log(entries);
    if engine == "ironcalc" {
        let mut model = match sengine_bench::IronCalc::load(&fixture.bytes, &fixture.program) {
            Ok(model) => model,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        };
        let started = Instant::now();
        for _ in 0..runs {
            drop(black_box(model.recalculate(log)));
        }
        let each = started.elapsed() / runs.max(1);
        println!("{name} ironcalc {} entries: {each:?} per recalculation", log.len());
        return ExitCode::SUCCESS;
    }
    let evaluator: Arc<dyn Evaluator> = match engine.as_str() {
        "interpreted" => Arc::new(Interpreter::new(Arc::clone(&fixture.program))),
        "compiled" => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/sengine-native/bench");
            if server::precompiled::load_precompiled(&dir, &fixture.program).is_none() {
                if let Err(why) =
                    server::precompiled::compile_into(&dir, &fixture.program, fixture.name)
                {
                    eprintln!("error: no compiled evaluator: {why}");
                    return ExitCode::FAILURE;
                }
            }
            match server::precompiled::load_precompiled(&dir, &fixture.program) {
                Some(native) => native,
                None => {
                    eprintln!("error: the compiled evaluator does not load");
                    return ExitCode::FAILURE;
                }
            }
        }
        other => {
            eprintln!("error: unknown engine {other}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    for _ in 0..runs {
        drop(black_box(evaluator.evaluate(log)));
    }
    let each = started.elapsed() / runs.max(1);
    println!("{name} {engine} {} entries: {each:?} per recalculation", log.len());
    ExitCode::SUCCESS
}
