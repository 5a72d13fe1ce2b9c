//! Compiled evaluators answer exactly as the interpreter: every fixture
//! workbook is generated into Rust, built once per test run into a shared
//! target directory (`target/sengine-native`), loaded, and compared with the
//! interpreter value by value (type, number, text, error kind) on the stored
//! logs and on generated ones.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use runtime::evaluator::{Entry, EvalError, Evaluator};
use runtime::interp::Interpreter;
use runtime::ir::{Program, Validation};
use runtime::native::{LoadError, NativeEvaluator};
use runtime::value::{ExcelError, Value};
use sengine_tests::{compile, entry_from_json, fixture_cases, repo_root};
use server::conformance::Locale;

/// Where generated crates and their shared target directory live.
fn native_dir() -> PathBuf {
    repo_root().join("target").join("sengine-native")
}

/// One fixture workbook, compiled both ways.
struct Fixture {
    program: Arc<Program>,
    interpreter: Interpreter,
    native: NativeEvaluator,
    library: PathBuf,
}

/// Builds the crate of a program once per test process.
fn build(program: &Arc<Program>, file_id: &str) -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let generated = compiler::codegen::generate(program, file_id).unwrap();
    let dir = native_dir();
    let built = compiler::codegen::build(&generated, &dir.join("crates"), &dir.join("target"))
        .unwrap_or_else(|e| panic!("{file_id}: {e}"));
    eprintln!("{file_id}: {:?}, built in {:.1} s", generated.stats, built.elapsed.as_secs_f64());
    built.library
}

/// Every `fixtures/*.xlsx`, by stem.
fn fixtures() -> &'static BTreeMap<String, Fixture> {
    static FIXTURES: OnceLock<BTreeMap<String, Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo_root().join("fixtures"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        paths.sort();
        let mut fixtures = BTreeMap::new();
        for path in paths {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let compiled = compile(&std::fs::read(&path).unwrap())
                .unwrap_or_else(|d| panic!("{stem}: {d:#?}"));
            let program = compiled.program;
            let library = build(&program, &stem);
            let native = NativeEvaluator::load(&library, Arc::clone(&program))
                .unwrap_or_else(|e| panic!("{stem}: {e}"));
            let interpreter = Interpreter::new(Arc::clone(&program));
            fixtures.insert(stem, Fixture { program, interpreter, native, library });
        }
        fixtures
    })
}

/// The differences between both evaluators on `log`, described.
fn differences(fixture: &Fixture, log: &[Entry]) -> Vec<String> {
    let expected = fixture.interpreter.evaluate(log);
    let got = fixture.native.evaluate(log);
    let (expected, got) = match (expected, got) {
        (Ok(e), Ok(g)) => (e.rows, g.rows),
        (e, g) if e == g => return Vec::new(),
        (e, g) => return vec![format!("interpreter {e:?}, compiled {g:?}")],
    };
    if expected.len() != got.len() {
        return vec![format!("{} rows interpreted, {} compiled", expected.len(), got.len())];
    }
    let columns = &fixture.program.output.columns;
    let mut diffs = Vec::new();
    for (row, (e, g)) in expected.iter().zip(&got).enumerate() {
        for (col, (e, g)) in e.iter().zip(g).enumerate() {
            if !identical(e, g) {
                let key = columns.get(col).map_or("?", |c| c.key.as_str());
                diffs.push(format!("row {row} {key}: interpreter {e:?}, compiled {g:?}"));
            }
        }
    }
    diffs
}

/// Same type and same value; numbers bit for bit.
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

#[test]
fn compiled_matches_interpreter_on_every_stored_log() {
    let fixtures = fixtures();
    let cases = fixture_cases();
    assert!(cases.len() >= 20, "expected at least 20 stored logs, found {}", cases.len());
    let mut diffs = Vec::new();
    for case in &cases {
        let stem = case.name.split('/').next().unwrap();
        let fixture = &fixtures[stem];
        let log: Vec<Entry> =
            case.log.iter().map(|e| entry_from_json(&fixture.program, e)).collect();
        diffs.extend(differences(fixture, &log).into_iter().map(|d| format!("{}: {d}", case.name)));
    }
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

#[test]
fn compiled_matches_interpreter_on_generated_logs() {
    for (stem, fixture) in fixtures() {
        let mut runner = TestRunner::new(Config { cases: 48, ..Config::default() });
        let strategy = log_strategy(&fixture.program);
        runner
            .run(&strategy, |log| {
                let diffs = differences(fixture, &log);
                prop_assert!(diffs.is_empty(), "{stem}: {}", diffs.join("\n"));
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
    }
}

#[test]
fn a_full_log_and_an_overflowing_one() {
    for (stem, fixture) in fixtures() {
        let capacity = fixture.program.input.capacity as usize;
        let width = fixture.program.input.columns.len();
        let full: Vec<Entry> =
            (0..capacity).map(|i| vec![Value::Number((i % 7) as f64); width]).collect();
        let diffs = differences(fixture, &full);
        assert!(diffs.is_empty(), "{stem}: {}", diffs.join("\n"));
        let over: Vec<Entry> = vec![Vec::new(); capacity + 1];
        let overflow = EvalError::Overflow { len: capacity + 1, capacity: capacity as u32 };
        assert_eq!(fixture.native.evaluate(&over), Err(overflow), "{stem}");
    }
}

/// Logs the way the API accepts them (values within each column's
/// validation), mixed with values it would refuse, since both evaluators
/// must agree on any log.
fn log_strategy(program: &Program) -> impl Strategy<Value = Vec<Entry>> {
    let columns: Vec<BoxedStrategy<Value>> =
        program.input.columns.iter().map(|c| column_strategy(c.validation.as_ref())).collect();
    let capacity = program.input.capacity as usize;
    proptest::collection::vec(columns, 0..=capacity.min(120))
}

fn column_strategy(validation: Option<&Validation>) -> BoxedStrategy<Value> {
    let any = any_value();
    let valid: BoxedStrategy<Value> = match validation {
        Some(Validation::List { items, .. }) if !items.is_empty() => {
            proptest::sample::select(items.clone()).boxed()
        }
        Some(Validation::Whole { min, max, .. }) => {
            let (lo, hi) = (min.unwrap_or(-5.0) as i64, max.unwrap_or(120.0) as i64);
            (lo..=hi.max(lo)).prop_map(|n| Value::Number(n as f64)).boxed()
        }
        Some(Validation::Decimal { min, max, .. }) => {
            let (lo, hi) = (min.unwrap_or(-5.0), max.unwrap_or(120.0));
            (lo..=hi.max(lo)).prop_map(Value::Number).boxed()
        }
        _ => any_value(),
    };
    prop_oneof![8 => valid, 1 => Just(Value::Empty), 1 => any].boxed()
}

fn any_value() -> BoxedStrategy<Value> {
    prop_oneof![
        (-100i32..200).prop_map(|n| Value::Number(f64::from(n))),
        (-1e6f64..1e6).prop_map(Value::Number),
        "[a-zA-Z ]{0,8}".prop_map(Value::text),
        Just(Value::text("3")),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Error(ExcelError::NA)),
        Just(Value::Empty),
    ]
    .boxed()
}

#[test]
fn a_library_built_for_another_program_is_refused() {
    let fixtures = fixtures();
    let football = &fixtures["football"];
    let basketball = &fixtures["basketball"];
    let refused = NativeEvaluator::load(&football.library, Arc::clone(&basketball.program));
    match refused {
        Err(LoadError::Mismatch { field, .. }) => assert_eq!(field, "program hash"),
        other => panic!("expected a mismatch, got {other:?}"),
    }
    let missing = NativeEvaluator::load(&native_dir().join("nowhere.so"), football.program.clone());
    assert!(matches!(missing, Err(LoadError::Open { .. })), "{missing:?}");
}

/// A panic inside generated code is caught in the library and reported as
/// an evaluation failure; the process goes on.
#[test]
fn a_panic_inside_a_library_is_an_error_not_an_abort() {
    let bytes = sengine_tests::workbook(
        &[
            ("IN", vec![("A1", "Goals".into())]),
            ("OUT", vec![("A1", "total".into()), ("A2", "=SUM(IN!A2:A5)*2".into())]),
        ],
        &[],
    );
    let program = compile(&bytes).unwrap().program;
    let mut generated = compiler::codegen::generate(&program, "panics").unwrap();
    let marker = "fn cell_0(f: &Frame<'_>, row: u32) -> Value {";
    assert!(generated.lib_rs.contains(marker), "{}", generated.lib_rs);
    generated.lib_rs = generated.lib_rs.replace(marker, &format!("{marker} panic!(\"boom\");"));
    let dir = native_dir();
    let built =
        compiler::codegen::build(&generated, &dir.join("crates"), &dir.join("target")).unwrap();
    let native = NativeEvaluator::load(&built.library, Arc::clone(&program)).unwrap();
    let log = vec![vec![Value::Number(1.0)]];
    assert!(matches!(native.evaluate(&log), Err(EvalError::Internal(_))));
    // The interpreter answers the same program: 2 goals doubled.
    let rows = Interpreter::new(program).evaluate(&log).unwrap().rows;
    assert_eq!(rows, vec![vec![Value::Number(2.0)]]);
}

/// A workbook whose log has a number column `Goals` (named, `IN!A2:A6`)
/// and a text column `Team`, and whose one outcome row holds `outcomes`
/// (key, formula) from `OUT!A` on; both evaluators of it, and how many cells
/// the generated code hands to the interpreter.
fn goals_and_teams(name: &str, outcomes: &[(&str, &str)]) -> (NativeEvaluator, Interpreter, usize) {
    let (native, interpreter, generated) = goals_and_teams_with(name, outcomes, Vec::new());
    (native, interpreter, generated.stats.interpreted)
}

/// [`goals_and_teams`] with a sheet `Lines` holding `lines`, and the
/// generated crate.
fn goals_and_teams_with(
    name: &str,
    outcomes: &[(&str, &str)],
    lines: Vec<(&str, sengine_tests::Content<'_>)>,
) -> (NativeEvaluator, Interpreter, compiler::codegen::Generated) {
    let mut cells: Vec<(String, &str)> = Vec::new();
    for (i, (key, formula)) in outcomes.iter().enumerate() {
        let col = char::from(b'A' + i as u8);
        cells.push((format!("{col}1"), key));
        cells.push((format!("{col}2"), formula));
    }
    let out = cells.iter().map(|(at, content)| (at.as_str(), (*content).into())).collect();
    let bytes = sengine_tests::workbook(
        &[
            ("IN", vec![("A1", "Goals".into()), ("B1", "Team".into())]),
            ("OUT", out),
            ("Lines", lines),
        ],
        &[("Goals", "IN!$A$2:$A$6")],
    );
    let program = compile(&bytes).unwrap().program;
    let generated = compiler::codegen::generate(&program, name).unwrap();
    let dir = native_dir();
    let built =
        compiler::codegen::build(&generated, &dir.join("crates"), &dir.join("target")).unwrap();
    let native = NativeEvaluator::load(&built.library, Arc::clone(&program)).unwrap();
    (native, Interpreter::new(program), generated)
}

/// Exact lookups into a constant table are hash lookups in the generated
/// code, and answer as Excel does: case-insensitive text, the first of
/// equal keys, numbers apart from text, wildcards, `#N/A` when absent.
#[test]
fn lookups_into_constant_tables_answer_alike() {
    let lines = vec![
        ("A1", "Home".into()),
        ("B1", 1.5.into()),
        ("A2", "away".into()),
        ("B2", 2.5.into()),
        ("A3", "HOME".into()),
        ("B3", 9.0.into()),
        ("A4", 3.0.into()),
        ("B4", "three".into()),
        ("A5", "h?me".into()),
        ("B5", 7.0.into()),
    ];
    let (native, interpreter, generated) = goals_and_teams_with(
        "lookups",
        &[
            ("team", "=VLOOKUP(IN!B2,Lines!$A$1:$B$5,2,FALSE)"),
            ("goals", "=VLOOKUP(IN!A2,Lines!$A$1:$B$5,2,FALSE)"),
            ("second", "=MATCH(IN!B3,Lines!$A$1:$A$5,0)"),
            ("pattern", "=VLOOKUP(\"h*\",Lines!$A$1:$B$5,2,0)"),
        ],
        lines,
    );
    assert_eq!(generated.lib_rs.matches("ExactIndex::new").count(), 3, "{}", generated.lib_rs);
    let na = Value::Error(ExcelError::NA);
    let cases = [
        // "home" finds "Home", the first of the two; 3 finds the number 3;
        // "AWAY" is second; "h*" is a pattern, matching "Home".
        (
            vec![goals(3.0, "home"), goals(2.0, "AWAY")],
            [num(1.5), text("three"), num(2.0), num(1.5)],
        ),
        // Absent keys, and a blank one (IN!B3 past the log).
        (vec![goals(4.0, "nobody")], [na.clone(), na.clone(), na.clone(), num(1.5)]),
        // A key with a wildcard is a pattern: "h?me" matches "Home" first.
        (
            vec![goals(3.0, "h?me"), goals(1.0, "HOME")],
            [num(1.5), text("three"), num(1.0), num(1.5)],
        ),
        (vec![], [na.clone(), na.clone(), na, num(1.5)]),
    ];
    for (log, expected) in cases {
        let rows = native.evaluate(&log).unwrap().rows;
        assert_eq!(rows, vec![expected.to_vec()], "{log:?}");
        assert_eq!(interpreter.evaluate(&log).unwrap().rows, rows);
    }
}

/// A log entry of [`goals_and_teams`].
fn goals(goals: f64, team: &str) -> Entry {
    vec![Value::Number(goals), Value::text(team)]
}

/// Cells the generator hands to the interpreter (`INDIRECT`, through a
/// defined name and through text built at run time) and dynamic references
/// it compiles itself (`OFFSET`) answer as in Excel, and as the interpreter.
#[test]
fn cells_handed_to_the_interpreter_answer_alike() {
    let (native, interpreter, interpreted) = goals_and_teams(
        "fallback",
        &[
            ("named", "=SUM(INDIRECT(\"Goals\"))"),
            ("offset", "=SUM(OFFSET(IN!A2,0,0,COUNT(IN!A2:A6),1))"),
            ("built", "=INDIRECT(\"IN!B\"&(ROW()+1))"),
            ("home", "=COUNTIF(IN!B2:B6,\"home\")"),
        ],
    );
    assert_eq!(interpreted, 2);
    let log = vec![goals(1.0, "home"), goals(2.0, "away"), goals(3.0, "home")];
    // SUM of 1, 2 and 3; IN!B3 is the second entry's team; two home entries.
    let expected =
        vec![vec![Value::Number(6.0), Value::Number(6.0), Value::text("away"), Value::Number(2.0)]];
    assert_eq!(native.evaluate(&log).unwrap().rows, expected);
    assert_eq!(interpreter.evaluate(&log).unwrap().rows, expected);
    for n in 0..=5 {
        let log: Vec<Entry> = (0..n).map(|i| goals(f64::from(i) * 1.5, "home")).collect();
        assert_eq!(native.evaluate(&log), interpreter.evaluate(&log), "{n} entries");
    }
}

/// Aggregates over log columns visit only the entries there are, and still
/// count the empty rows past the log's end as Excel does: `COUNTIF(r,"")`
/// counts blank cells, and `<>` criteria match them.
#[test]
fn aggregates_over_the_log_answer_for_its_empty_rows() {
    let (native, interpreter, interpreted) = goals_and_teams(
        "aggregates",
        &[
            ("blank", "=COUNTIF(IN!B2:B6,\"\")"),
            ("neither", "=COUNTIFS(IN!A2:A6,\"<>1\",IN!B2:B6,\"<>home\")"),
            ("home", "=SUMIF(IN!B2:B6,\"home\",IN!A2:A6)"),
            ("all", "=SUM(IN!A2:A6)"),
            ("many", "=COUNTIF(IN!A2:A6,\">1\")"),
        ],
    );
    assert_eq!(interpreted, 0);
    let log = vec![goals(1.0, "home"), goals(2.0, "away"), goals(3.0, "home")];
    // Two blank rows; the away entry and both blank rows meet the `<>`
    // pair; home goals 1 + 3; all goals 6; two entries above 1.
    let expected = vec![[2.0, 3.0, 4.0, 6.0, 2.0].map(Value::Number).to_vec()];
    assert_eq!(native.evaluate(&log).unwrap().rows, expected);
    assert_eq!(interpreter.evaluate(&log).unwrap().rows, expected);
    for n in 0..=5 {
        let log: Vec<Entry> = (0..n).map(|i| goals(f64::from(i), "away")).collect();
        assert_eq!(native.evaluate(&log), interpreter.evaluate(&log), "{n} entries");
    }
}

/// Excel's correction of a last addition or subtraction close to zero
/// (Microsoft KB 78113) is made by the generated code as by the
/// interpreter: `=0.5-0.4-0.1` is 0, `=(0.5-0.4-0.1)` and
/// `=1*(0.5-0.4-0.1)` are -2.77556E-17, and with 818562.54, -40026.44 and
/// 778536.1, `=A+B-C` is 0 while `=A-C+B` is 5.82077E-11.
#[test]
fn the_last_sum_close_to_zero_is_zero_compiled_too() {
    let formulas = [
        "=IN!A2-IN!B2-IN!C2",
        "=(IN!A2-IN!B2-IN!C2)",
        "=1*(IN!A2-IN!B2-IN!C2)",
        "=IN!A3+IN!B3-IN!C3",
        "=IN!A3-IN!C3+IN!B3",
        "=-IN!C3+IN!A3+IN!B3",
    ];
    let headers = ["A1", "B1", "C1", "D1", "E1", "F1"];
    let cells = ["A2", "B2", "C2", "D2", "E2", "F2"];
    let mut out: Vec<(&str, sengine_tests::Content<'_>)> = headers
        .iter()
        .zip(["v1", "v2", "v3", "v4", "v5", "v6"])
        .map(|(c, h)| (*c, h.into()))
        .collect();
    out.extend(cells.iter().zip(formulas).map(|(c, f)| (*c, f.into())));
    let input = vec![("A1", "a".into()), ("B1", "b".into()), ("C1", "c".into())];
    let bytes = sengine_tests::workbook(&[("IN", input), ("OUT", out)], &[]);
    let program = compile(&bytes).unwrap().program;
    let generated = compiler::codegen::generate(&program, "near_zero").unwrap();
    assert_eq!(generated.stats.interpreted, 0, "{}", generated.lib_rs);
    assert!(generated.lib_rs.contains("snap_sum"), "{}", generated.lib_rs);
    let dir = native_dir();
    let built =
        compiler::codegen::build(&generated, &dir.join("crates"), &dir.join("target")).unwrap();
    let native = NativeEvaluator::load(&built.library, Arc::clone(&program)).unwrap();
    let interpreter = Interpreter::new(Arc::clone(&program));
    let entry = |a: f64, b: f64, c: f64| vec![Value::Number(a), Value::Number(b), Value::Number(c)];
    let log = vec![entry(0.5, 0.4, 0.1), entry(818562.54, -40026.44, 778536.1)];
    let rows = native.evaluate(&log).unwrap().rows;
    assert_eq!(rows, interpreter.evaluate(&log).unwrap().rows);
    let shown: Vec<String> = rows[0]
        .iter()
        .map(|v| match v {
            Value::Number(n) => format!("{n:.5e}"),
            other => format!("{other:?}"),
        })
        .collect();
    let expected = ["0.00000e0", "-2.77556e-17", "-2.77556e-17", "0.00000e0", "5.82077e-11"];
    assert_eq!(shown[..5], expected);
    let logs = [
        vec![entry(0.1, -0.2, 0.3), entry(1.0, 2.0, 3.0)],
        vec![entry(0.3, 0.1, 0.2), entry(65.57, 7.54, -58.03)],
        vec![entry(1e-7, 1e-7 * (1.0 - 2f64.powi(-50)), 0.0), entry(-0.5, 0.4, 0.1)],
    ];
    for log in logs {
        assert_eq!(native.evaluate(&log), interpreter.evaluate(&log), "{log:?}");
    }
}

/// Corpus workbooks (no `IN`): each compiled whole, every formula kept
/// (nothing folded), with one extra sheet whose cells read every formula
/// cell so that they come back as outcomes. Both evaluators must agree cell
/// for cell, and agree with the values Excel cached as often as the bar set
/// for each workbook.
#[test]
fn compiled_matches_excel_on_corpus_workbooks() {
    let dir = match std::env::var_os("SENGINE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("../../shared/corpus/excel"),
    };
    if !dir.join("MANIFEST.tsv").is_file() {
        eprintln!("corpus not found at {}; skipped", dir.display());
        return;
    }
    // (workbook, the least share of formula cells that must equal Excel's,
    // the locale Excel calculated it in): lazy functions, `INDIRECT`/`OFFSET`
    // handed to the interpreter, and the functions that read formulas or
    // hidden rows, which only it knows; date text read day first.
    let workbooks = [
        ("ironcalc/calc_tests/LOGICAL/IFS.xlsx", 1.0, Locale::EnUs),
        ("ironcalc/calc_tests/LOOKUP_AND_REFERENCE/CHOOSE.xlsx", 1.0, Locale::EnUs),
        ("ironcalc/calc_tests/LOOKUP_AND_REFERENCE/ROW_COLUM.xlsx", 1.0, Locale::EnUs),
        ("ironcalc/calc_tests/INFORMATION/FORMULATEXT.xlsx", 1.0, Locale::EnUs),
        ("ironcalc/calc_test_no_export/tables.xlsx", 1.0, Locale::EnUs),
        ("ironcalc/calc_tests/TEXT/T_VALUE_VALUETOTEXT.xlsx", 1.0, Locale::EnGb),
    ];
    let mut failures = Vec::new();
    for (path, bar, locale) in workbooks {
        let raw = compiler::xlsx::read_workbook(&std::fs::read(dir.join(path)).unwrap()).unwrap();
        let whole = compiler::whole_program(raw, locale.options());
        let program = Arc::new(every_cell_as_outcome(whole.program));
        let file_id = path.rsplit('/').next().unwrap().trim_end_matches(".xlsx");
        let library = build(&program, file_id);
        let native = NativeEvaluator::load(&library, Arc::clone(&program)).unwrap();
        let compiled = native.evaluate(&[]).unwrap().rows;
        let interpreted = Interpreter::new(Arc::clone(&program)).evaluate(&[]).unwrap().rows;
        let mut agree = 0;
        for ((cell, c), i) in whole.cells.iter().zip(&compiled).zip(&interpreted) {
            if !identical(&c[0], &i[0]) {
                failures.push(format!("{path} {}!{}: {:?} vs {:?}", cell.sheet, cell.cell, c, i));
            }
            agree += usize::from(cached_matches(&cell.cached, &c[0]));
        }
        let share = agree as f64 / whole.cells.len().max(1) as f64;
        eprintln!("{path}: {agree} of {} formula cells equal Excel's", whole.cells.len());
        if share < bar {
            failures.push(format!("{path}: only {agree} of {} equal Excel's", whole.cells.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `program` with a sheet `#cells` whose row `i` reads formula `i`, and
/// that sheet as `OUT`.
fn every_cell_as_outcome(mut program: Program) -> Program {
    use runtime::ir::{Expr, FormulaCell, OutputColumn, OutputLayout, SheetInfo};
    use runtime::reference::CellAddr;
    let sheet = program.sheets.len() as u16;
    let n = program.formulas.len() as u32;
    program.sheets.push(SheetInfo { name: "#cells".into(), used_rows: n, used_cols: 1 });
    let reads: Vec<FormulaCell> = (0..n)
        .map(|i| FormulaCell {
            addr: CellAddr::new(sheet, i, 0),
            expr: Expr::Cell(program.formulas[i as usize].addr),
            source: "read".into(),
        })
        .collect();
    program.formulas.extend(reads);
    program.output = OutputLayout {
        sheet,
        columns: vec![OutputColumn { col: 0, key: "value".into() }],
        rows: (0..n).collect(),
    };
    program
}

/// Whether a computed value equals what Excel cached: numbers to 1e-12
/// relative, everything else exactly.
fn cached_matches(cached: &compiler::xlsx::CellValue, value: &Value) -> bool {
    use compiler::xlsx::CellValue;
    match (cached, value) {
        (CellValue::Number(a), Value::Number(b)) => {
            a == b || ((a - b) / a.abs().max(f64::MIN_POSITIVE)).abs() <= 1e-12
        }
        (CellValue::Text(a), Value::Text(b)) => a.as_str() == &**b,
        (CellValue::Bool(a), Value::Bool(b)) => a == b,
        (CellValue::Error(a), Value::Error(b)) => a == b,
        _ => false,
    }
}

/// A data directory under the system's temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("sengine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The service on a fresh data directory, the fixtures seeded as files 1
/// and 2; with `precompiled`, each file's compiled evaluator is taken from
/// that directory once it answers as the interpreter does.
fn service(data: &Scratch, precompiled: Option<PathBuf>) -> axum::Router {
    use server::files::{builtin_fixtures, FileRegistry};
    use server::loader::CompilerLoader;
    use server::precompiled::NativeBuilds;
    let config = server::config::Config { data_dir: data.0.clone(), ..Default::default() };
    let files =
        FileRegistry::open(&data.0, Arc::new(CompilerLoader::default()), builtin_fixtures())
            .unwrap();
    if precompiled.is_some() {
        files.start_native(Arc::new(NativeBuilds { precompiled, build_dir: None })).unwrap();
    }
    let events = Arc::new(server::storage::MemoryEventStore::default());
    server::app(server::state::AppState::new(config, files, events))
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> serde_json::Value {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.map_or_else(axum::body::Body::empty, axum::body::Body::from))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

/// The whole API answers alike with the compiled evaluators and with the
/// interpreter: every stored fixture log, appended one entry at a time and
/// then written by rewrite, gives identical outcomes from an engine whose
/// files are compiled and from one that interprets them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_alike_compiled_and_interpreted() {
    let libraries = Scratch::new("libraries");
    for fixture in fixtures().values() {
        let name = fixture.library.file_name().unwrap();
        std::fs::copy(&fixture.library, libraries.0.join(name)).unwrap();
    }
    let (plain, native) = (Scratch::new("interpreted"), Scratch::new("compiled"));
    let interpreted = service(&plain, None);
    let compiled = service(&native, Some(libraries.0.clone()));
    for file_id in [1, 2] {
        let uri = format!("/api/files/{file_id}");
        let mut state = serde_json::Value::Null;
        for _ in 0..600 {
            state = call(&compiled, "GET", &uri, None).await["data"]["evaluator"].clone();
            if state["state"] != "interpreted" && state["state"] != "compiling" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(state["state"], "compiled", "file {file_id}: {state}");
        let plain_state = call(&interpreted, "GET", &uri, None).await["data"]["evaluator"].clone();
        assert_eq!(plain_state["state"], "interpreted");
    }
    let mut checked = 0;
    for case in fixture_cases() {
        let file_id = if case.name.starts_with("football/") { 1 } else { 2 };
        let mut answers = Vec::new();
        for app in [&interpreted, &compiled] {
            let id = case.name.replace('/', "-");
            let create = serde_json::json!({"params": {"file-id": file_id, "event-id": id}});
            assert_eq!(
                call(app, "POST", "/api/events", Some(create.to_string())).await["status"],
                200
            );
            let uri = format!("/api/events/{id}/event-log");
            let mut trail = Vec::new();
            for entry in &case.log {
                let body = serde_json::json!({"params": {"event-log": [entry]}});
                trail.push(call(app, "POST", &uri, Some(body.to_string())).await);
            }
            let body = serde_json::json!({"params": {"event-log": case.log}});
            trail.push(call(app, "PUT", &uri, Some(body.to_string())).await);
            answers.push(trail);
        }
        assert!(
            answers[1].iter().all(|a| a["data"].is_array()),
            "{}: {:?}",
            case.name,
            answers[1].last()
        );
        assert_eq!(answers[0], answers[1], "{}", case.name);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixture logs found");
}

/// A formula nested as deep as the engine accepts (256 levels) is
/// generated, and the compiled evaluator built from it evaluated, on threads
/// with the standard 2 MiB stack, as the background build and the request
/// handlers run them, without overflowing that stack; it answers as the
/// interpreter does.
#[test]
fn the_deepest_formula_generates_and_runs_on_a_small_stack() {
    let depth = 255;
    let formula = format!("={}IN!A2{}", "ABS(".repeat(depth), ")".repeat(depth));
    let bytes = sengine_tests::workbook(
        &[
            ("IN", vec![("A1", "Goals".into()), ("A2", "".into())]),
            ("OUT", vec![("A1", "deep".into()), ("A2", formula.as_str().into())]),
        ],
        &[],
    );
    let program = compile(&bytes).unwrap().program;
    let small_stack = |work: Box<dyn FnOnce() -> Vec<Value> + Send>| {
        std::thread::Builder::new().stack_size(2 << 20).spawn(work).unwrap().join().unwrap()
    };
    let shared = Arc::clone(&program);
    let generated = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || compiler::codegen::generate(&shared, "deep"))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    let dir = native_dir();
    let built =
        compiler::codegen::build(&generated, &dir.join("crates"), &dir.join("target")).unwrap();
    let native = NativeEvaluator::load(&built.library, Arc::clone(&program)).unwrap();
    let log = vec![vec![Value::Number(-3.0)]];
    let from_native = small_stack(Box::new(move || native.evaluate(&log).unwrap().rows.concat()));
    let log = vec![vec![Value::Number(-3.0)]];
    let interpreter = Interpreter::new(program);
    let interpreted =
        small_stack(Box::new(move || interpreter.evaluate(&log).unwrap().rows.concat()));
    assert_eq!(from_native, vec![Value::Number(3.0)]);
    assert_eq!(interpreted, from_native);
}

fn num(n: f64) -> Value {
    Value::Number(n)
}

fn text(t: &str) -> Value {
    Value::text(t)
}
