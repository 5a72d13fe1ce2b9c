//! One recalculation of each fixture workbook at log lengths 0, 50 and the
//! capacity, with our interpreter, with IronCalc, and with the compiled
//! evaluator when there is one; the ratios are printed at the end.
//!
//! Run with `cargo bench -p sengine-bench`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion};
use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use sengine_bench::{differences, fixtures, Fixture, IronCalc};
use server::bench::{format_duration, median};

/// The compiled evaluator of a fixture, built under `target/sengine-native`
/// (shared with the differential tests, so a second run builds nothing) and
/// reported with its build time. `None`, with the reason printed, when no
/// toolchain can build it.
fn compiled_evaluator(fixture: &Fixture) -> Option<Arc<dyn Evaluator>> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/sengine-native/bench");
    if let Some(native) = server::precompiled::load_precompiled(&dir, &fixture.program) {
        return Some(native);
    }
    match server::precompiled::compile_into(&dir, &fixture.program, fixture.name) {
        Ok(built) => {
            println!(
                "{}: compiled evaluator generated in {:.2} s, built in {:.1} s",
                fixture.name, built.generate_secs, built.build_secs
            );
            server::precompiled::load_precompiled(&dir, &fixture.program)
        }
        Err(why) => {
            println!("{}: no compiled evaluator: {why}", fixture.name);
            None
        }
    }
}

/// The per-recalculation time of every criterion sample, by
/// (fixture, log length, engine).
type Samples = BTreeMap<(&'static str, usize, &'static str), Vec<Duration>>;

fn main() -> ExitCode {
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let fixtures = match fixtures() {
        Ok(fixtures) => fixtures,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let samples = RefCell::new(Samples::new());
    for fixture in &fixtures {
        if let Err(message) = bench_fixture(&mut criterion, fixture, &samples) {
            eprintln!("error: {}: {message}", fixture.name);
            return ExitCode::FAILURE;
        }
    }
    criterion.final_summary();
    print_ratios(&samples.into_inner());
    ExitCode::SUCCESS
}

/// Checks IronCalc against the interpreter on the full log, then times
/// every engine at every log length.
fn bench_fixture(
    criterion: &mut Criterion,
    fixture: &Fixture,
    samples: &RefCell<Samples>,
) -> Result<(), String> {
    let interpreter: Arc<dyn Evaluator> = Arc::new(Interpreter::new(Arc::clone(&fixture.program)));
    let mut ironcalc = IronCalc::load(&fixture.bytes, &fixture.program)?;
    let full = fixture.log(usize::MAX);
    let ours = interpreter.evaluate(full).map_err(|e| e.to_string())?;
    let theirs = ironcalc.recalculate(full)?;
    let diffs = differences(&ours, &theirs);
    let cells = ours.rows.iter().map(Vec::len).sum::<usize>();
    println!(
        "{}: IronCalc and the interpreter agree on {} of {cells} OUT cells for the {}-entry log",
        fixture.name,
        cells - diffs.len(),
        full.len()
    );
    for diff in diffs.iter().take(10) {
        println!("  differs: {diff}");
    }
    let compiled = compiled_evaluator(fixture);
    let mut group = criterion.benchmark_group(fixture.name);
    for len in fixture.lengths() {
        let log = fixture.log(len);
        let mut time = |engine: &'static str, run: &mut dyn FnMut()| {
            timed(&mut group, (fixture.name, len, engine), samples, run);
        };
        time("interpreted", &mut || drop(black_box(interpreter.evaluate(log))));
        time("ironcalc", &mut || drop(black_box(ironcalc.recalculate(log))));
        if let Some(compiled) = &compiled {
            time("compiled", &mut || drop(black_box(compiled.evaluate(log))));
        }
    }
    group.finish();
    Ok(())
}

/// One criterion benchmark whose per-recalculation times are also kept for
/// the ratio table.
fn timed(
    group: &mut BenchmarkGroup<'_, WallTime>,
    key: (&'static str, usize, &'static str),
    samples: &RefCell<Samples>,
    run: &mut dyn FnMut(),
) {
    let id = BenchmarkId::new(key.2, key.1);
    group.bench_function(id, |b| {
        b.iter_custom(|iters| {
            let started = Instant::now();
            for _ in 0..iters {
                run();
            }
            let elapsed = started.elapsed();
            let per_run = elapsed / u32::try_from(iters.max(1)).unwrap_or(u32::MAX);
            samples.borrow_mut().entry(key).or_default().push(per_run);
            elapsed
        });
    });
}

/// Medians of every engine and the ratios the targets are stated in:
/// IronCalc over the interpreter, the interpreter over the compiled code.
fn print_ratios(samples: &Samples) {
    let median_of = |key| {
        samples.get(&key).map(|times: &Vec<Duration>| {
            let mut sorted = times.clone();
            sorted.sort_unstable();
            median(&sorted)
        })
    };
    let keys: Vec<(&str, usize)> = samples.keys().map(|(f, len, _)| (*f, *len)).collect();
    let mut cases: Vec<(&str, usize)> = keys;
    cases.dedup();
    println!("\nfixture      entries  interpreted     ironcalc     compiled  ironcalc/interp  interp/compiled");
    for (fixture, len) in cases {
        let interp = median_of((fixture, len, "interpreted"));
        let iron = median_of((fixture, len, "ironcalc"));
        let compiled = median_of((fixture, len, "compiled"));
        let show = |d: Option<Duration>| d.map_or_else(|| "-".to_string(), format_duration);
        let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
            (Some(a), Some(b)) if !b.is_zero() => {
                format!("{:.1}x", a.as_secs_f64() / b.as_secs_f64())
            }
            _ => "-".to_string(),
        };
        println!(
            "{fixture:<12} {len:>7}  {:>11}  {:>11}  {:>11}  {:>15}  {:>15}",
            show(interp),
            show(iron),
            show(compiled),
            ratio(iron, interp),
            ratio(interp, compiled)
        );
    }
}
