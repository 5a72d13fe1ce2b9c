//! Support for the recalculation benchmarks: the fixture workbooks with
//! realistic logs, and IronCalc as a peer that recalculates the same
//! workbook for the same log.
//!
//! IronCalc is a benchmark-only dependency: nothing in the engine uses it.
//! Its answers are compared with ours once before it is timed, so the
//! figures compare two engines computing the same thing.

use std::path::PathBuf;
use std::sync::Arc;

use ironcalc::base::cell::CellValue;
use ironcalc::base::Model;
use runtime::evaluator::{Entry, Outcomes};
use runtime::ir::Program;
use runtime::value::Value;

/// A fixture workbook, compiled, with the log its generator wrote for the
/// workbook's full capacity.
pub struct Fixture {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub program: Arc<Program>,
    /// `fixtures/logs/<name>/capacity.json`: plausible entries in match order
    /// (see `fixtures/generate.py`), exactly as many as the capacity.
    pub full_log: Vec<Entry>,
}

impl Fixture {
    /// The first `len` entries of the full log: the event as it stands after
    /// `len` changes.
    pub fn log(&self, len: usize) -> &[Entry] {
        &self.full_log[..len.min(self.full_log.len())]
    }

    /// The log lengths benchmarked: empty, mid-match and full.
    pub fn lengths(&self) -> [usize; 3] {
        [0, 50, self.program.input.capacity as usize]
    }
}

/// The repository's `fixtures` folder.
fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures")
}

/// Loads and compiles the football and basketball fixtures.
///
/// # Errors
///
/// A message naming the fixture that cannot be read, compiled or parsed.
pub fn fixtures() -> Result<Vec<Fixture>, String> {
    ["football", "basketball"].into_iter().map(fixture).collect()
}

fn fixture(name: &'static str) -> Result<Fixture, String> {
    let dir = fixtures_dir();
    let path = dir.join(format!("{name}.xlsx"));
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let compiled = compiler::compile(&bytes, &compiler::CompileOptions::default())
        .map_err(|problems| format!("{name}.xlsx does not compile: {problems:?}"))?;
    let program = compiled.program;
    let log_path = dir.join("logs").join(name).join("capacity.json");
    let full_log = server::bench::read_log_file(&log_path, &program.input)?;
    Ok(Fixture { name, bytes, program, full_log })
}

/// IronCalc holding one workbook, recalculating it for a log.
pub struct IronCalc {
    model: Model<'static>,
    program: Arc<Program>,
    in_sheet: u32,
    out_sheet: u32,
}

impl IronCalc {
    /// Loads the workbook into IronCalc and clears the `IN` entries the
    /// template holds, as every event starts with an empty log.
    ///
    /// # Errors
    ///
    /// IronCalc's message when it cannot load the workbook.
    pub fn load(bytes: &[u8], program: &Arc<Program>) -> Result<IronCalc, String> {
        let workbook = ironcalc::import::load_from_xlsx_bytes(bytes, "bench", "en", "UTC")
            .map_err(|e| format!("ironcalc cannot load the workbook: {e}"))?;
        let model = Model::from_workbook(workbook, "en")?;
        let names = model.workbook.get_worksheet_names();
        let index = |id: u16| -> Result<u32, String> {
            let name = &program.sheets[usize::from(id)].name;
            let found = names.iter().position(|n| n == name);
            found.map(|i| i as u32).ok_or_else(|| format!("ironcalc has no sheet {name}"))
        };
        let (in_sheet, out_sheet) = (index(program.input.sheet)?, index(program.output.sheet)?);
        let mut peer = IronCalc { model, program: Arc::clone(program), in_sheet, out_sheet };
        let capacity = program.input.capacity as usize;
        peer.write_rows(&vec![Vec::new(); capacity])?;
        Ok(peer)
    }

    /// Writes `log` into `IN` (clearing the rows after it up to the
    /// capacity), recalculates, and reads `OUT`.
    ///
    /// # Errors
    ///
    /// IronCalc's message when a cell cannot be written or read.
    pub fn recalculate(&mut self, log: &[Entry]) -> Result<Vec<Vec<Value>>, String> {
        let capacity = self.program.input.capacity as usize;
        let mut rows: Vec<Entry> = log.to_vec();
        rows.resize(capacity.max(log.len()), Vec::new());
        self.write_rows(&rows)?;
        self.model.evaluate();
        self.read_out()
    }

    fn write_rows(&mut self, rows: &[Entry]) -> Result<(), String> {
        let sheet = self.in_sheet;
        for (i, entry) in rows.iter().enumerate() {
            let row = i as i32 + 2;
            for (j, column) in self.program.input.columns.iter().enumerate() {
                let col = column.col as i32 + 1;
                match entry.get(j).unwrap_or(&Value::Empty) {
                    Value::Number(n) => self.model.update_cell_with_number(sheet, row, col, *n)?,
                    Value::Text(t) => self.model.update_cell_with_text(sheet, row, col, t)?,
                    Value::Bool(b) => self.model.update_cell_with_bool(sheet, row, col, *b)?,
                    _ => self.model.cell_clear_contents(sheet, row, col)?,
                }
            }
        }
        Ok(())
    }

    fn read_out(&self) -> Result<Vec<Vec<Value>>, String> {
        let output = &self.program.output;
        let mut rows = Vec::with_capacity(output.rows.len());
        for &row in &output.rows {
            let mut values = Vec::with_capacity(output.columns.len());
            for column in &output.columns {
                let cell = self.model.get_cell_value_by_index(
                    self.out_sheet,
                    row as i32 + 1,
                    column.col as i32 + 1,
                )?;
                values.push(match cell {
                    CellValue::None => Value::Empty,
                    CellValue::Number(n) => Value::Number(n),
                    CellValue::Boolean(b) => Value::Bool(b),
                    CellValue::String(s) => Value::text(s),
                });
            }
            rows.push(values);
        }
        Ok(rows)
    }
}

/// Where IronCalc's `OUT` differs from ours, as `row r, column c: ours …,
/// IronCalc …`. IronCalc reads errors back as their text (`#N/A`), so an
/// error of ours matches the same text; numbers match within 1e-9
/// relative.
pub fn differences(ours: &Outcomes, theirs: &[Vec<Value>]) -> Vec<String> {
    let mut out = Vec::new();
    if ours.rows.len() != theirs.len() {
        out.push(format!("{} rows against {}", ours.rows.len(), theirs.len()));
    }
    for (r, (a, b)) in ours.rows.iter().zip(theirs).enumerate() {
        for (c, (x, y)) in a.iter().zip(b).enumerate() {
            if !same(x, y) {
                out.push(format!("OUT row {r}, column {c}: ours {x:?}, IronCalc {y:?}"));
            }
        }
    }
    out
}

fn same(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (Value::Error(e), Value::Text(t)) => e.to_string() == t.as_ref(),
        (a, b) => a == b,
    }
}
