//! `sengine bench`: the median time of one recalculation of a log with each
//! available evaluator, so any workbook can be measured without writing code.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use runtime::evaluator::{Entry, EvalError, Evaluator};
use runtime::ir::InputLayout;
use serde_json::value::RawValue;

use crate::error::ApiError;

/// How long each evaluator is timed at most, after its first run.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(3);

/// The fewest and most recalculations timed per evaluator.
const RUNS: (usize, usize) = (5, 1_000);

/// The timing of one evaluator.
#[derive(Clone, Debug)]
pub struct Timing {
    pub name: String,
    /// The median of the timed recalculations.
    pub median: Duration,
    pub runs: usize,
}

/// Times one recalculation of `log` with each evaluator: a first run that
/// is not counted (it warms caches), then runs until `budget` is spent,
/// at least five and at most a thousand.
///
/// # Errors
///
/// The first evaluation error, with the evaluator's name.
pub fn time_evaluators(
    evaluators: &[(String, Arc<dyn Evaluator>)],
    log: &[Entry],
    budget: Duration,
) -> Result<Vec<Timing>, String> {
    let mut out = Vec::new();
    for (name, evaluator) in evaluators {
        let median = median_time(evaluator.as_ref(), log, budget)
            .map_err(|e| format!("evaluator {name}: {e}"))?;
        out.push(Timing { name: name.clone(), median: median.0, runs: median.1 });
    }
    Ok(out)
}

/// The median time of one recalculation, and how many were timed.
///
/// # Errors
///
/// The evaluator's error, if any run fails.
pub fn median_time(
    evaluator: &dyn Evaluator,
    log: &[Entry],
    budget: Duration,
) -> Result<(Duration, usize), EvalError> {
    evaluator.evaluate(log)?;
    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < RUNS.0 || (times.len() < RUNS.1 && started.elapsed() < budget) {
        let run = Instant::now();
        let outcomes = evaluator.evaluate(log)?;
        times.push(run.elapsed());
        drop(std::hint::black_box(outcomes));
    }
    times.sort_unstable();
    Ok((median(&times), times.len()))
}

/// The median of sorted durations (the mean of the two middle ones for an
/// even count).
pub fn median(sorted: &[Duration]) -> Duration {
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The timings as a table, each evaluator after the first with its speed
/// relative to the first.
pub fn render(timings: &[Timing], entries: usize) -> String {
    let mut text = format!("one recalculation of {entries} entries (median):\n");
    let first = timings.first().map(|t| t.median.as_secs_f64());
    for (i, timing) in timings.iter().enumerate() {
        let seconds = timing.median.as_secs_f64();
        let ratio = match first {
            Some(base) if i > 0 && seconds > 0.0 => {
                format!("  {:.1}x the speed of {}", base / seconds, timings[0].name)
            }
            _ => String::new(),
        };
        let _ = writeln!(
            text,
            "  {:<12} {:>12}  ({} runs){ratio}",
            timing.name,
            format_duration(timing.median),
            timing.runs
        );
    }
    text
}

/// A duration in the unit that keeps it readable: `812 ns`, `41.3 µs`,
/// `2.07 ms`, `1.50 s`.
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.as_nanos() as f64;
    match nanos {
        n if n < 1e3 => format!("{n:.0} ns"),
        n if n < 1e6 => format!("{:.1} µs", n / 1e3),
        n if n < 1e9 => format!("{:.2} ms", n / 1e6),
        n => format!("{:.2} s", n / 1e9),
    }
}

/// Reads a log file (a JSON array of entries, as `POST` bodies send them)
/// for a workbook's `IN` columns.
///
/// # Errors
///
/// A message naming the file and every entry problem.
pub fn read_log_file(path: &Path, input: &InputLayout) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let raw: Box<RawValue> =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    crate::entries::read_entries(&raw, input).map_err(|error| match error {
        ApiError::InvalidEntries(items) => {
            let messages: Vec<String> = items.into_iter().map(|i| i.message).collect();
            format!("{}: {}", path.display(), messages.join("; "))
        }
        other => format!("{}: {other}", path.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(1), ms(2), ms(9)]), ms(2));
        assert_eq!(median(&[ms(1), ms(3), ms(5), ms(9)]), ms(4));
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn table_compares_with_the_first_evaluator() {
        let timing = |name: &str, ms| Timing {
            name: name.to_string(),
            median: Duration::from_millis(ms),
            runs: 5,
        };
        let text = render(&[timing("interpreted", 30), timing("compiled", 2)], 300);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "one recalculation of 300 entries (median):");
        assert_eq!(lines[1], "  interpreted      30.00 ms  (5 runs)");
        assert_eq!(
            lines[2],
            "  compiled          2.00 ms  (5 runs)  15.0x the speed of interpreted"
        );
    }

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(format_duration(Duration::from_nanos(812)), "812 ns");
        assert_eq!(format_duration(Duration::from_nanos(41_300)), "41.3 µs");
        assert_eq!(format_duration(Duration::from_micros(2_070)), "2.07 ms");
        assert_eq!(format_duration(Duration::from_millis(1_500)), "1.50 s");
    }
}
