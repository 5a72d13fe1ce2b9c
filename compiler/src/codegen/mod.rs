//! The formula-to-Rust compiler: one generated crate per program.
//!
//! [`generate`] turns a [`Program`] into the source of a `cdylib` crate that
//! depends on `runtime` alone and exports the C ABI of [`runtime::native`];
//! [`build`] writes it and runs cargo. What the generated code does better
//! than the interpreter, each visible in the source:
//!
//! - constants are static data, and a reference to a constant cell is the
//!   literal itself;
//! - arithmetic over scalars is typed: a `Result<f64, ExcelError>` local per
//!   operand rather than a tagged [`Value`];
//! - a [`Block::Column`] run is one function of the row offset, called in
//!   one loop, and its reads of `IN` rows or of another column's cells are
//!   direct indexing;
//! - every reference is resolved at generation time: an input cell is a log
//!   index, a formula cell an index into the frame;
//! - the run is split into functions of at most [`CHUNK`] statements, so
//!   rustc's time grows linearly with the workbook.
//!
//! What the generator does not compile (`INDIRECT`, reference operators,
//! array constants, a deciding argument that turns out to be an array, and
//! any [`runtime::ir::Expr`] variant it does not know) is handed, cell by
//! cell, to the interpreter through the host callback, so the compiled
//! evaluator never refuses a program and answers as the interpreter does.
//! Output is deterministic: the same program gives byte-identical Rust.

mod builder;
mod column;
mod expr;

pub use builder::{build, default_runtime_dir, write_crate, BuildError, Built, RUNTIME_DIR_VAR};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use runtime::ir::{Block, DateOrder, Expr, Program};
use runtime::native::program_hash;
use runtime::reference::{a1, CellAddr};
use runtime::value::Value;

use expr::Generator;

/// The most statements of one generated run function.
pub const CHUNK: usize = 200;

/// The source of one generated crate.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The crate's name: file id and program hash.
    pub name: String,
    pub program_hash: u64,
    pub lib_rs: String,
    pub stats: Stats,
}

/// What the generator made of a program.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub formulas: usize,
    /// Formula cells handed to the interpreter.
    pub interpreted: usize,
    /// Column runs compiled as one loop, and the cells they cover.
    pub columns: usize,
    pub column_cells: usize,
    pub run_functions: usize,
}

/// The crate name for `file_id` and a program hash: lowercase letters,
/// digits and underscores only.
pub fn crate_name(file_id: &str, hash: u64) -> String {
    let id: String = file_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("sengine_native_{id}_{hash:016x}")
}

/// Generates the crate of `program` for file `file_id`.
///
/// # Errors
///
/// A message when the generated tokens do not parse as Rust, which is a bug
/// of the generator.
pub fn generate(program: &Program, file_id: &str) -> Result<Generated, String> {
    // The generator, and the parser and printer of the generated file,
    // recurse as deep as a formula nests: they run on a stack of their own,
    // so that a background build on a small thread stack cannot overflow.
    stacker::grow(GENERATOR_STACK, || generate_here(program, file_id))
}

/// A cell as `Sheet!A1`.
fn place(program: &Program, cell: CellAddr) -> String {
    let sheet = program.sheets.get(usize::from(cell.sheet)).map_or("?", |s| s.name.as_str());
    format!("{sheet}!{}", a1(cell.row, cell.col))
}

/// The stack [`generate`] runs on (reserved, and used only as deep as the
/// formulas nest).
const GENERATOR_STACK: usize = 256 << 20;

/// [`generate`] on the current stack.
// Longer than 60 lines: most of it is the generated file's fixed frame
// (imports, dispatch, the two exported functions), kept in one `quote!` so
// that it reads as the Rust it produces.
fn generate_here(program: &Program, file_id: &str) -> Result<Generated, String> {
    if let Some(cell) = program.formulas.iter().find(|f| holds_array_state(&f.expr)) {
        // FIXME: array formulas, LET and lambdas are not compiled, and their
        // values (whole arrays, unfilled spill cells) cannot cross the ABI
        // yet; such workbooks stay on the interpreter.
        return Err(format!(
            "{} uses an array formula, LET or LAMBDA, which are not compiled yet",
            place(program, cell.addr)
        ));
    }
    if let Some(iteration) = &program.iteration {
        // FIXME: the sweeps of iterative calculation are not generated, so a
        // workbook whose outcomes go through a circular reference stays on
        // the interpreter.
        let first = program.formulas[iteration.cycles[0].start].addr;
        return Err(format!(
            "{} is in a circular reference computed by iterative calculation, \
             which is not compiled yet",
            place(program, first)
        ));
    }
    let hash = program_hash(program);
    let name = crate_name(file_id, hash);
    let mut generator = Generator::new(program);
    let mut items = Vec::new();
    let mut blocks = Vec::new();
    let mut run = Vec::new();
    let mut stats = Stats { formulas: program.formulas.len(), ..Stats::default() };
    for block in split_blocks(program) {
        let (start, len) = block;
        let unit = generator.unit(start, len);
        stats.interpreted += unit.interpreted;
        if len > 1 {
            stats.columns += 1;
            stats.column_cells += len;
        }
        let function = format_ident!("cell_{start}");
        items.push(unit.item);
        blocks.push(quote! { (#start, #function) });
        run.push(run_statement(start, len, &function));
    }
    let run_fns = chunk_run(run);
    stats.run_functions = run_fns.len() - 1;
    items.extend(run_fns);
    let statics = static_program(program, hash);
    let texts = generator.text_table();
    let header = format!(
        " Generated by sengine from file `{file_id}` (program {hash:016x}): {} formulas, {} \
         column loops, {} cells handed to the interpreter. Do not edit.",
        stats.formulas, stats.columns, stats.interpreted
    );
    let tokens = quote! {
        #![doc = #header]
        #![allow(clippy::all, unused_parens, unused_braces, unused_variables, non_snake_case)]

        use runtime::functions::{self, Function};
        use runtime::native::{self, Frame, StaticProgram, StaticValue};
        use runtime::ops::{self, BinaryOp, UnaryOp};
        use runtime::reference::{CellAddr, Context, Operand, RangeRef, Reference};
        use runtime::value::{ExcelError, Value};

        #statics

        #texts

        /// The code of each run of formulas: first formula index and function.
        static BLOCKS: &[(usize, fn(&Frame<'_>, u32) -> Value)] = &[#(#blocks),*];

        fn code(f: &Frame<'_>, index: usize) -> Value {
            let at = BLOCKS.partition_point(|(start, _)| *start <= index);
            match at.checked_sub(1).and_then(|at| BLOCKS.get(at)) {
                Some((start, function)) => function(f, (index - start) as u32),
                None => f.interpret_here(),
            }
        }

        #[no_mangle]
        pub extern "C" fn sengine_version() -> native::VersionRecord {
            native::guest_version(&PROGRAM)
        }

        /// # Safety
        ///
        /// `request` must be a valid request of the engine's ABI.
        #[no_mangle]
        pub unsafe extern "C" fn sengine_evaluate(request: *const native::Request) -> i32 {
            unsafe { native::serve(request, &PROGRAM) }
        }

        #(#items)*
    };
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("generated code for file {file_id} does not parse: {e}"))?;
    Ok(Generated { name, program_hash: hash, lib_rs: prettyplease::unparse(&file), stats })
}

/// The program's formulas as runs `(start, len)`: column blocks whose cells
/// are one formula shifted by row, and single cells. Blocks that do not
/// cover the formulas in order (a program built without them) give one run
/// per formula.
fn split_blocks(program: &Program) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    for block in &program.blocks {
        match *block {
            Block::Single(index) => runs.push((index, 1)),
            Block::Column { start, len } => runs.extend(column::runs(program, start, len)),
        }
    }
    let mut next = 0;
    let in_order = runs.iter().all(|(start, len)| {
        let fits = *start == next && *len > 0;
        next = start + len;
        fits
    });
    if !in_order || next != program.formulas.len() {
        return (0..program.formulas.len()).map(|i| (i, 1)).collect();
    }
    runs
}

/// The statement of the run function that computes `len` formulas from `start`.
fn run_statement(start: usize, len: usize, function: &proc_macro2::Ident) -> TokenStream {
    if len == 1 {
        return quote! { f.force_with(#start, |f| #function(f, 0)); };
    }
    let len = len as u32;
    quote! {
        for row in 0..#len {
            f.force_with(#start + row as usize, |f| #function(f, row));
        }
    }
}

/// The run split into functions of at most [`CHUNK`] statements, and the
/// `run` function calling them in order.
fn chunk_run(statements: Vec<TokenStream>) -> Vec<TokenStream> {
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    for (n, chunk) in statements.chunks(CHUNK).enumerate() {
        let name = format_ident!("run_{n}");
        calls.push(quote! { #name(f); });
        functions.push(quote! {
            fn #name(f: &Frame<'_>) {
                #(#chunk)*
            }
        });
    }
    functions.push(quote! {
        fn run(f: &Frame<'_>) {
            #(#calls)*
        }
    });
    functions
}

/// The `PROGRAM` static: layout, constants and formula addresses.
fn static_program(program: &Program, hash: u64) -> TokenStream {
    let sheets = program.sheets.iter().map(|s| {
        let (name, rows, cols) = (&s.name, s.used_rows, s.used_cols);
        quote! { (#name, #rows, #cols) }
    });
    let date_1904 = program.date_1904;
    let date_order = match program.date_order {
        DateOrder::MonthFirst => quote! { runtime::ir::DateOrder::MonthFirst },
        DateOrder::DayFirst => quote! { runtime::ir::DateOrder::DayFirst },
    };
    let input_sheet = program.input.sheet;
    let input_cols = program.input.columns.iter().map(|c| c.col);
    let capacity = program.input.capacity;
    let output_sheet = program.output.sheet;
    let output_cols = program.output.columns.iter().map(|c| c.col);
    let output_rows = &program.output.rows;
    let constants = program.constants.iter().map(|(addr, value)| {
        let (sheet, row, col) = (addr.sheet, addr.row, addr.col);
        let value = static_value(value);
        quote! { ((#sheet, #row, #col), #value) }
    });
    let formulas = program.formulas.iter().map(|cell| {
        let (sheet, row, col) = (cell.addr.sheet, cell.addr.row, cell.addr.col);
        quote! { (#sheet, #row, #col) }
    });
    quote! {
        static PREPARED: std::sync::OnceLock<native::Prepared> = std::sync::OnceLock::new();

        static PROGRAM: StaticProgram = StaticProgram {
            program_hash: #hash,
            sheets: &[#(#sheets),*],
            date_1904: #date_1904,
            date_order: #date_order,
            input_sheet: #input_sheet,
            input_cols: &[#(#input_cols),*],
            capacity: #capacity,
            output_sheet: #output_sheet,
            output_cols: &[#(#output_cols),*],
            output_rows: &[#(#output_rows),*],
            constants: &[#(#constants),*],
            formulas: &[#(#formulas),*],
            run,
            code,
            prepared: &PREPARED,
        };
    }
}

/// A constant as static data; an array constant (which a cell never holds
/// after folding) keeps its top-left element.
fn static_value(value: &Value) -> TokenStream {
    match value.first() {
        Value::Empty | Value::Array(_) => quote! { StaticValue::Empty },
        Value::Number(n) => {
            let n = expr::num_lit(*n);
            quote! { StaticValue::Number(#n) }
        }
        Value::Text(t) => {
            let t: &str = t;
            quote! { StaticValue::Text(#t) }
        }
        Value::Bool(b) => quote! { StaticValue::Bool(#b) },
        Value::Error(e) => {
            let e = expr::error_path(*e);
            quote! { StaticValue::Error(#e) }
        }
    }
}

/// `Sheet!A1` of a formula cell, for the generated code's comments.
fn cell_label(program: &Program, index: usize) -> String {
    let cell = &program.formulas[index];
    let sheet = program.sheets.get(usize::from(cell.addr.sheet)).map_or("?", |s| s.name.as_str());
    format!("{sheet}!{}", a1(cell.addr.row, cell.addr.col))
}

#[cfg(test)]
mod tests;

/// Whether the expression is, or holds, an array formula, an array element,
/// a `LET` binding or a lambda.
fn holds_array_state(expr: &Expr) -> bool {
    match expr {
        Expr::ArrayFormula(_)
        | Expr::ArrayElement { .. }
        | Expr::Spill { .. }
        | Expr::Let(..)
        | Expr::Local(_)
        | Expr::Lambda { .. } => true,
        Expr::Value(_) | Expr::Missing | Expr::Cell(_) | Expr::Range(_) | Expr::Error(_) => false,
        Expr::Unary(_, x) | Expr::Implicit(x) => holds_array_state(x),
        Expr::Binary(_, a, b) | Expr::RefOp(_, a, b) => {
            holds_array_state(a) || holds_array_state(b)
        }
        Expr::Chain(first, rest) => {
            holds_array_state(first) || rest.iter().any(|(_, e)| holds_array_state(e))
        }
        Expr::Call(_, args) => args.iter().any(holds_array_state),
    }
}
