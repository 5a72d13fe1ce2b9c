//! Generated logs for a workbook: entries whose values the workbook's own
//! formulas and validation rules make meaningful, to compare evaluators on
//! logs nobody wrote by hand.

use runtime::evaluator::Entry;
use runtime::ir::{Expr, InputColumn, Program, Validation};
use runtime::value::Value;

/// A small deterministic generator (SplitMix64): the same seed gives the same
/// logs on every machine, so a mismatch found once can be replayed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`, or 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }
}

/// A log of `len` entries for `program` from `seed`.
///
/// A column with a list validation takes its items; one with numeric bounds
/// takes numbers within them, ascending through the log like match minutes;
/// one with a text length takes letters of such lengths.
/// Any other column mixes the texts the formulas compare with (`"goal"`,
/// `"home"`), whole numbers that grow through the log, and empty cells, so
/// that every branch a formula takes on a typed value is reached.
pub fn sample_log(program: &Program, seed: u64, len: usize) -> Vec<Entry> {
    let texts = formula_texts(program);
    let mut rng = Rng::new(seed);
    let mut log: Vec<Entry> = vec![Vec::new(); len];
    for column in &program.input.columns {
        let values = sample_column(column, &texts, &mut rng, len);
        for (entry, value) in log.iter_mut().zip(values) {
            entry.push(value);
        }
    }
    log
}

fn sample_column(column: &InputColumn, texts: &[Value], rng: &mut Rng, len: usize) -> Vec<Value> {
    match &column.validation {
        Some(Validation::List { items, .. }) if !items.is_empty() => {
            (0..len).map(|_| items[rng.below(items.len())].clone()).collect()
        }
        Some(Validation::Whole { min, max, .. } | Validation::Decimal { min, max, .. }) => {
            let (low, high) = (min.unwrap_or(0.0), max.unwrap_or(120.0).max(min.unwrap_or(0.0)));
            let span = (high - low).floor().max(0.0) as usize;
            let mut numbers: Vec<f64> =
                (0..len).map(|_| low + rng.below(span + 1) as f64).collect();
            numbers.sort_by(f64::total_cmp);
            numbers.into_iter().map(Value::Number).collect()
        }
        Some(Validation::TextLength { min, max, .. }) => {
            let low = min.unwrap_or(0.0).max(0.0) as usize;
            let high = (max.unwrap_or(12.0).max(low as f64) as usize).min(low + 40);
            let letters = |n: usize, rng: &mut Rng| -> String {
                (0..n).map(|_| char::from(b'a' + rng.below(26) as u8)).collect()
            };
            (0..len)
                .map(|_| {
                    let n = low + rng.below(high - low + 1);
                    if n == 0 {
                        Value::Empty
                    } else {
                        Value::text(letters(n, rng))
                    }
                })
                .collect()
        }
        _ => {
            let mut minute = 0.0;
            (0..len)
                .map(|_| match rng.below(10) {
                    0 => Value::Empty,
                    1..=3 => {
                        minute += rng.below(4) as f64;
                        Value::Number(minute)
                    }
                    _ if texts.is_empty() => Value::Number(rng.below(100) as f64),
                    _ => texts[rng.below(texts.len())].clone(),
                })
                .collect()
        }
    }
}

/// The distinct non-empty texts written in the program's formulas, in the
/// order first met.
fn formula_texts(program: &Program) -> Vec<Value> {
    let mut texts = Vec::new();
    for formula in &program.formulas {
        collect_texts(&formula.expr, &mut texts);
    }
    texts
}

fn collect_texts(expr: &Expr, out: &mut Vec<Value>) {
    match expr {
        Expr::Value(value @ Value::Text(t)) if !t.is_empty() && !out.contains(value) => {
            out.push(value.clone());
        }
        Expr::Value(_)
        | Expr::Missing
        | Expr::Cell(_)
        | Expr::Range(_)
        | Expr::Error(_)
        | Expr::ArrayElement { .. }
        | Expr::Spill { .. }
        | Expr::Local(_) => {}
        Expr::Unary(_, x) | Expr::Implicit(x) | Expr::ArrayFormula(x) => collect_texts(x, out),
        Expr::Lambda { body, .. } => collect_texts(body, out),
        Expr::Binary(_, a, b) | Expr::RefOp(_, a, b) | Expr::Let(a, b) => {
            collect_texts(a, out);
            collect_texts(b, out);
        }
        Expr::Chain(first, rest) => {
            collect_texts(first, out);
            rest.iter().for_each(|(_, e)| collect_texts(e, out));
        }
        Expr::Call(_, args) => args.iter().for_each(|a| collect_texts(a, out)),
    }
}

#[cfg(test)]
mod tests {
    use runtime::ir::{InputColumn, InputLayout, OutputLayout};

    use super::*;

    fn program(columns: Vec<InputColumn>) -> Program {
        Program {
            sheets: Vec::new(),
            date_1904: false,
            date_order: runtime::ir::DateOrder::MonthFirst,
            input: InputLayout { sheet: 0, columns, derived: Vec::new(), capacity: 100 },
            output: OutputLayout { sheet: 1, columns: Vec::new(), rows: Vec::new() },
            constants: Vec::new(),
            formulas: Vec::new(),
            blocks: Vec::new(),
            names: Vec::new(),
            sources: Vec::new(),
            hidden_rows: Vec::new(),
            iteration: None,
            growing_spills: Vec::new(),
        }
    }

    fn column(col: u32, validation: Option<Validation>) -> InputColumn {
        InputColumn { col, header: format!("c{col}"), validation }
    }

    /// Generated values keep to each column's validation, and one seed gives
    /// one log.
    #[test]
    fn logs_follow_the_validation_rules() {
        let items = vec![Value::text("goal"), Value::text("corner")];
        let program = program(vec![
            column(
                0,
                Some(Validation::Whole { min: Some(1.0), max: Some(90.0), allow_blank: true }),
            ),
            column(1, Some(Validation::List { items: items.clone(), allow_blank: false })),
            column(
                2,
                Some(Validation::TextLength { min: Some(2.0), max: Some(5.0), allow_blank: true }),
            ),
            column(3, None),
        ]);
        let log = sample_log(&program, 7, 60);
        assert_eq!(log.len(), 60);
        let mut last = 0.0;
        for entry in &log {
            assert_eq!(entry.len(), 4);
            let Value::Number(minute) = entry[0] else { panic!("{entry:?}") };
            assert!((1.0..=90.0).contains(&minute) && minute >= last && minute.fract() == 0.0);
            last = minute;
            assert!(items.contains(&entry[1]), "{entry:?}");
            let Value::Text(name) = &entry[2] else { panic!("{entry:?}") };
            assert!((2..=5).contains(&name.chars().count()), "{entry:?}");
        }
        assert_eq!(sample_log(&program, 7, 60), log);
        assert_ne!(sample_log(&program, 8, 60), log);
    }
}
