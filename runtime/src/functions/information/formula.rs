//! `FORMULATEXT` and `ISFORMULA` of a reference computed at run time
//! (`=FORMULATEXT(OFFSET(A1,2,1))`). A static reference is resolved while
//! lowering; these read the formulas the program carries for the rest.

use crate::ir::SourceFormula;
use crate::reference::{Context, Operand, Reference};
use crate::value::{ExcelError, Value};

/// The formula holding the top-left cell of the first argument, or the
/// error to give instead: the argument's own error, `#VALUE!` for a value
/// that is not a reference.
fn source<'c>(
    args: &[Operand],
    ctx: &'c dyn Context,
) -> Result<Option<&'c SourceFormula>, ExcelError> {
    match args.first() {
        Some(Operand::Ref(Reference::Range(range))) => Ok(ctx.source_formula(range.top_left())),
        Some(Operand::Ref(Reference::Union(ranges))) => {
            Ok(ranges.first().and_then(|r| ctx.source_formula(r.top_left())))
        }
        Some(Operand::Value(Value::Error(e))) => Err(*e),
        _ => Err(ExcelError::Value),
    }
}

/// `FORMULATEXT(reference)`: the formula of the reference's top-left cell
/// as Excel shows it; `#N/A` for a cell without one.
pub(super) fn fn_formulatext(args: &[Operand], ctx: &dyn Context) -> Value {
    match source(args, ctx) {
        Ok(Some(formula)) => Value::text(formula.text.clone()),
        Ok(None) => Value::Error(ExcelError::NA),
        Err(e) => Value::Error(e),
    }
}

/// `ISFORMULA(reference)`: whether the reference's top-left cell holds a
/// formula or lies in an array formula's range.
pub(super) fn fn_isformula(args: &[Operand], ctx: &dyn Context) -> Value {
    match source(args, ctx) {
        Ok(found) => Value::Bool(found.is_some()),
        Err(e) => Value::Error(e),
    }
}

/// `ANCHORARRAY(cell)`, the spill operator `cell#`: the range of the array
/// formula whose top-left cell `cell` is; `#REF!` for any other cell.
pub(crate) fn fn_anchorarray(args: &[Operand], ctx: &dyn Context) -> Operand {
    let anchor = match args.first() {
        Some(Operand::Ref(Reference::Range(range))) if range.is_single_cell() => range.top_left(),
        Some(Operand::Value(Value::Error(e))) => return Operand::error(*e),
        _ => return Operand::error(ExcelError::Ref),
    };
    match ctx.source_formula(anchor) {
        Some(f) if f.array && f.range.top_left() == anchor => {
            Operand::Ref(Reference::Range(f.range))
        }
        _ => Operand::error(ExcelError::Ref),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{CellAddr, RangeRef, SheetId};

    /// A context that knows two formulas: `=1+1` in B3 and an array
    /// formula over D1:D3.
    struct Formulas(Vec<SourceFormula>);

    impl Context for Formulas {
        fn cell(&self, _addr: CellAddr) -> Value {
            Value::Empty
        }
        fn used_extent(&self, _sheet: SheetId) -> (u32, u32) {
            (10, 10)
        }
        fn sheet_id(&self, _name: &str) -> Option<SheetId> {
            Some(0)
        }
        fn sheet_name(&self, _sheet: SheetId) -> Option<&str> {
            Some("Sheet1")
        }
        fn defined_name(&self, _name: &str, _sheet: SheetId) -> Option<Reference> {
            None
        }
        fn current_cell(&self) -> CellAddr {
            CellAddr::new(0, 0, 0)
        }
        fn date_1904(&self) -> bool {
            false
        }
        fn date_order(&self) -> crate::ir::DateOrder {
            crate::ir::DateOrder::MonthFirst
        }
        fn source_formula(&self, cell: CellAddr) -> Option<&SourceFormula> {
            self.0.iter().find(|f| f.range.contains(cell))
        }
    }

    fn formulas() -> Formulas {
        let one = |row, col| RangeRef::cell(CellAddr::new(0, row, col));
        let array = RangeRef { sheet: 0, first_row: 0, first_col: 3, last_row: 2, last_col: 3 };
        Formulas(vec![
            SourceFormula { range: one(2, 1), text: "=1+1".into(), array: false, subtotal: false },
            SourceFormula {
                range: array,
                text: "=SEQUENCE(3)".into(),
                array: true,
                subtotal: false,
            },
        ])
    }

    fn at(row: u32, col: u32) -> Vec<Operand> {
        vec![Operand::Ref(Reference::Range(RangeRef::cell(CellAddr::new(0, row, col))))]
    }

    #[test]
    fn formula_text_and_is_formula_read_the_cell_the_reference_names() {
        let ctx = formulas();
        // Excel: calc_tests/INFORMATION/FORMULATEXT.xlsx A14,
        // FORMULATEXT(OFFSET(A1,2,1)) is B3's formula.
        assert_eq!(fn_formulatext(&at(2, 1), &ctx), Value::text("=1+1"));
        assert_eq!(fn_formulatext(&at(1, 3), &ctx), Value::text("=SEQUENCE(3)"));
        assert_eq!(fn_formulatext(&at(0, 0), &ctx), Value::Error(ExcelError::NA));
        assert_eq!(fn_isformula(&at(2, 1), &ctx), Value::Bool(true));
        assert_eq!(fn_isformula(&at(0, 0), &ctx), Value::Bool(false));
        let value = [Operand::Value(Value::Number(1.0))];
        assert_eq!(fn_isformula(&value, &ctx), Value::Error(ExcelError::Value));
        let error = [Operand::error(ExcelError::Ref)];
        assert_eq!(fn_formulatext(&error, &ctx), Value::Error(ExcelError::Ref));
    }

    #[test]
    fn the_spill_operator_gives_the_array_formula_range() {
        let ctx = formulas();
        let range = RangeRef { sheet: 0, first_row: 0, first_col: 3, last_row: 2, last_col: 3 };
        assert_eq!(fn_anchorarray(&at(0, 3), &ctx), Operand::Ref(Reference::Range(range)));
        assert_eq!(fn_anchorarray(&at(1, 3), &ctx), Operand::error(ExcelError::Ref));
        assert_eq!(fn_anchorarray(&at(2, 1), &ctx), Operand::error(ExcelError::Ref));
    }
}
