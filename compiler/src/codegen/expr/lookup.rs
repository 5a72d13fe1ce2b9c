//! Exact-match lookups into constant tables, as hash lookups.
//!
//! `VLOOKUP(x, table, k, FALSE)` and `MATCH(x, range, 0)` over a range that
//! holds only constants (no formula the log changes, no cell of the log)
//! build an `ExactIndex` of the searched column or row once, on first use,
//! and find `x` in it by hashing. Where the index cannot tell (an error, a
//! blank, a text with wildcards, a value absent from the table) the same
//! call goes to the library, so every answer is the library's.

use proc_macro2::TokenStream;
use quote::quote;
use runtime::functions::Function;
use runtime::ir::Expr;
use runtime::reference::{CellAddr, RangeRef};
use runtime::value::Value;

use super::{function_path, Code, Gen, Generator, Scope, Source};

/// Tables larger than this are searched by the library: building their
/// index would cost more than it saves.
const MAX_INDEXED_CELLS: u64 = 1 << 20;

impl Generator<'_> {
    /// `VLOOKUP` or `MATCH` as a hash lookup, or `None` when the call is not
    /// an exact match into a constant table with a fixed column.
    pub(super) fn indexed_lookup(
        &self,
        f: Function,
        args: &[Expr],
        scope: &Scope<'_>,
    ) -> Gen<Option<Code>> {
        let exact = |e: &Expr| matches!(e, Expr::Value(Value::Bool(false) | Value::Number(0.0)));
        let (key, table_node, table, searched, result_col) = match (f.name(), args) {
            ("VLOOKUP", [key, node @ Expr::Range(table), Expr::Value(Value::Number(k)), flag])
                if exact(flag) =>
            {
                let k = k.trunc();
                if k < 1.0 || k > f64::from(table.cols()) {
                    return Ok(None);
                }
                let column = RangeRef { last_col: table.first_col, ..*table };
                (key, node, table, column, Some(table.first_col + k as u32 - 1))
            }
            ("MATCH", [key, node @ Expr::Range(range), flag])
                if exact(flag) && (range.rows() == 1 || range.cols() == 1) =>
            {
                (key, node, range, *range, None)
            }
            _ => return Ok(None),
        };
        if self.moves(table_node, scope) != (0, 0) || !self.constant(table) {
            return Ok(None);
        }
        let key = self.expr(key, scope)?;
        if !key.is_scalar() {
            return Ok(None);
        }
        let key = key.value();
        let path = function_path(f).ok_or(super::Unsupported)?;
        let others = args[1..]
            .iter()
            .map(|a| Ok(self.expr(a, scope)?.operand()))
            .collect::<Gen<Vec<TokenStream>>>()?;
        let sheet = searched.sheet;
        let (first_row, first_col) = (searched.first_row, searched.first_col);
        let (last_row, last_col) = (searched.last_row, searched.last_col);
        let found = match result_col {
            Some(col) => {
                let cell = quote! { CellAddr::new(#sheet, #first_row + p as u32, #col) };
                quote! { Operand::Value(f.cell(#cell)) }
            }
            None => quote! { Operand::Value(Value::Number((p + 1) as f64)) },
        };
        Ok(Some(Code::Operand(quote! {{
            static INDEX: std::sync::OnceLock<functions::lookup::ExactIndex> =
                std::sync::OnceLock::new();
            let index = INDEX.get_or_init(|| {
                functions::lookup::ExactIndex::new((#first_row..=#last_row).flat_map(|r| {
                    (#first_col..=#last_col).map(move |c| f.cell(CellAddr::new(#sheet, r, c)))
                }))
            });
            let key = #key;
            match index.position(&key) {
                Some(p) => #found,
                None => functions::call_with(#path, &mut [Operand::Value(key), #(#others),*], f),
            }
        }})))
    }

    /// Whether every cell of `range` is a constant or blank: no formula of
    /// the program and no cell of the log.
    fn constant(&self, range: &RangeRef) -> bool {
        let cells = u64::from(range.rows()) * u64::from(range.cols());
        if cells > MAX_INDEXED_CELLS {
            return false;
        }
        let input = &self.program.input;
        let reads_log = range.sheet == input.sheet
            && range.first_row <= input.capacity
            && input.columns.iter().any(|c| (range.first_col..=range.last_col).contains(&c.col));
        if reads_log {
            return false;
        }
        let from = CellAddr::new(range.sheet, range.first_row, 0);
        let to = CellAddr::new(range.sheet, range.last_row, u32::MAX);
        !self.slots.range(from..=to).any(|(addr, source)| {
            (range.first_col..=range.last_col).contains(&addr.col)
                && matches!(source, Source::Formula(_) | Source::Input(_))
        })
    }
}
