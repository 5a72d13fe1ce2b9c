//! Conditional aggregates and sums over one column, as loops over its rows.
//!
//! `COUNTIF(S)`, `SUMIF(S)` and `SUM` of a column whose rows all come from
//! one place (a log column, a filled-down run of formulas, nothing) read
//! each row where it lives instead of asking the library to walk a range
//! cell by cell through the frame. The loops keep the library's answers to
//! the letter: criteria parsed by the same `Criterion`, rows visited in
//! order (every row of the range, so an empty row matches `""` as the
//! library's empty remainder does), numbers added in that order, the first
//! error met the result. Any other shape goes to the library.

use proc_macro2::TokenStream;
use quote::quote;
use runtime::functions::Function;
use runtime::ir::Expr;
use runtime::reference::CellAddr;

use super::{Code, Gen, Generator, Scope, Source};

/// Criteria ranges with their criteria: the columns, the code parsing each
/// criterion once before the loop, the code testing row `r` against every
/// criterion, and the code of whether an empty cell meets them all.
struct Conditions {
    columns: Vec<Column>,
    parsed: TokenStream,
    test: TokenStream,
    empty: TokenStream,
}

/// A column of a range: its number of rows, the code of a `&Value` at row
/// offset `r` (a variable of the generated loop), and, for a column of the
/// log, the sheet row of its first cell.
struct Column {
    rows: u32,
    read: TokenStream,
    log_from: Option<u32>,
}

/// The rows a loop visits and what it knows of the rest: `live` is the code
/// of the number of rows to visit, and past them every column is a log
/// column past the log's end, so empty.
struct Rows {
    rows: u32,
    live: TokenStream,
}

impl Rows {
    /// Every row when any column is not the log's (a formula of an empty
    /// row need not be empty); otherwise only the rows that hold entries.
    fn of(columns: &[&Column]) -> Rows {
        let rows = columns.first().map_or(0, |c| c.rows);
        let starts: Option<Vec<u32>> = columns.iter().map(|c| c.log_from).collect();
        let live = match starts.as_deref() {
            Some([first, rest @ ..]) if rest.iter().all(|r| r == first) => {
                quote! { (f.entries() as u32 + 1).saturating_sub(#first).min(#rows) }
            }
            _ => quote! { #rows },
        };
        Rows { rows, live }
    }
}

impl Generator<'_> {
    /// The generated loop of `f(args)`, or `None` when its arguments are
    /// not columns this reads directly (the library call then stands).
    pub(super) fn aggregate(
        &self,
        f: Function,
        args: &[Expr],
        scope: &Scope<'_>,
    ) -> Gen<Option<Code>> {
        let code = match (f.name(), args) {
            ("SUM", [range]) => self.column(range, scope).map(|c| sum(&c)),
            ("COUNTIF" | "COUNTIFS", pairs) => self.conditions(pairs, scope)?.map(|c| count(&c)),
            ("SUMIFS", [target, pairs @ ..]) => {
                let conditions = self.conditions(pairs, scope)?;
                let target = self.column(target, scope);
                match (conditions, target) {
                    (Some(c), Some(target)) if target.rows == c.columns[0].rows => {
                        Some(sum_where(&c, &target))
                    }
                    _ => None,
                }
            }
            ("SUMIF", [range, criterion, rest @ ..]) if rest.len() <= 1 => {
                let pair = [range.clone(), criterion.clone()];
                let conditions = self.conditions(&pair, scope)?;
                let target = match rest.first() {
                    Some(target) => self.column(target, scope),
                    None => self.column(range, scope),
                };
                match (conditions, target) {
                    (Some(c), Some(target)) if target.rows == c.columns[0].rows => {
                        Some(sum_where(&c, &target))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        Ok(code.map(Code::Scalar))
    }

    /// A range argument that is one column not moving with the run, every
    /// row of which one source holds.
    fn column(&self, node: &Expr, scope: &Scope<'_>) -> Option<Column> {
        let Expr::Range(range) = node else { return None };
        if range.first_col != range.last_col || self.moves(node, scope) != (0, 0) {
            return None;
        }
        let rows = range.last_row.checked_sub(range.first_row)? + 1;
        let top = CellAddr::new(range.sheet, range.first_row, range.first_col);
        let first_row = range.first_row;
        let (read, log_from) = match self.moving_source(top, rows)? {
            Source::Input(column) => (quote! { f.input(#first_row + r, #column) }, Some(first_row)),
            Source::Formula(index) => (quote! { &f.formula(#index + r as usize) }, None),
            Source::Empty => (quote! { &Value::Empty }, None),
            Source::Constant(_) => return None,
        };
        Some(Column { rows, read, log_from })
    }

    /// `COUNTIFS`-shaped pairs of criteria range and criterion: the rows of
    /// the ranges and the code testing row `r` against every criterion,
    /// each criterion parsed once before the loop.
    fn conditions(&self, pairs: &[Expr], scope: &Scope<'_>) -> Gen<Option<Conditions>> {
        if pairs.is_empty() || !pairs.len().is_multiple_of(2) {
            return Ok(None);
        }
        let (mut columns, mut parsed, mut tests, mut empties) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, pair) in pairs.chunks(2).enumerate() {
            let Some(column) = self.column(&pair[0], scope) else { return Ok(None) };
            if columns.first().is_some_and(|c: &Column| c.rows != column.rows) {
                return Ok(None);
            }
            let criterion = self.expr(&pair[1], scope)?;
            if !criterion.is_scalar() {
                return Ok(None);
            }
            let criterion = criterion.borrowed();
            let name = quote::format_ident!("criterion_{i}");
            parsed.push(quote! { let #name = runtime::criteria::Criterion::parse(#criterion); });
            let read = &column.read;
            tests.push(quote! { #name.matches(#read) });
            empties.push(quote! { #name.matches(&Value::Empty) });
            columns.push(column);
        }
        Ok(Some(Conditions {
            columns,
            parsed: quote! { #(#parsed)* },
            test: quote! { #(#tests)&&* },
            empty: quote! { #(#empties)&&* },
        }))
    }
}

/// `SUM` of a column: its numbers in row order; text, truth values and
/// empty cells skipped; the first error the answer.
fn sum(column: &Column) -> TokenStream {
    let (live, read) = (Rows::of(&[column]).live, &column.read);
    quote! {{
        let mut total = 0.0f64;
        let mut error = None;
        for r in 0..#live {
            match #read {
                Value::Number(x) => total += *x,
                Value::Error(e) => {
                    error = Some(*e);
                    break;
                }
                _ => {}
            }
        }
        match error {
            Some(e) => Value::Error(e),
            None => Value::number(total),
        }
    }}
}

/// How many rows meet every criterion; rows past the log's end, all
/// empty, count at once.
fn count(c: &Conditions) -> TokenStream {
    let columns: Vec<&Column> = c.columns.iter().collect();
    let Rows { rows, live } = Rows::of(&columns);
    let (parsed, test, empty) = (&c.parsed, &c.test, &c.empty);
    quote! {{
        #parsed
        let live = #live;
        let mut count = 0u32;
        for r in 0..live {
            if #test {
                count += 1;
            }
        }
        if live < #rows && #empty {
            count += #rows - live;
        }
        Value::number(f64::from(count))
    }}
}

/// The numbers of `target` in the rows that meet every criterion, added in
/// row order; the first error among those rows is the answer.
fn sum_where(c: &Conditions, target: &Column) -> TokenStream {
    let mut columns: Vec<&Column> = c.columns.iter().collect();
    columns.push(target);
    let (live, read) = (Rows::of(&columns).live, &target.read);
    let (parsed, test) = (&c.parsed, &c.test);
    quote! {{
        #parsed
        let mut total = 0.0f64;
        let mut error = None;
        for r in 0..#live {
            if #test {
                match #read {
                    Value::Number(x) => total += *x,
                    Value::Error(e) => {
                        error.get_or_insert(*e);
                    }
                    _ => {}
                }
            }
        }
        match error {
            Some(e) => Value::Error(e),
            None => Value::number(total),
        }
    }}
}
