//! The compile pipeline on small workbooks: layout, capacity, diagnostics,
//! cycles real and apparent, and values that follow from Excel's rules.

use compiler::Severity;
use runtime::value::Value;
use sengine_tests::{compile, entry, outcomes, workbook, Content as C};

fn num(n: f64) -> Value {
    Value::Number(n)
}

/// A minimal match workbook: goals counted from the log.
fn goals_book() -> Vec<u8> {
    workbook(
        &[
            ("IN", vec![("A1", C::from("minute")), ("B1", "type".into()), ("C1", "team".into())]),
            (
                "OUT",
                vec![
                    ("A1", "market".into()),
                    ("B1", "result".into()),
                    ("A2", "home goals".into()),
                    ("B2", r#"=COUNTIFS(IN!$B$2:$B$101,"goal",IN!$C$2:$C$101,"home")"#.into()),
                    ("A3", "total".into()),
                    ("B3", r#"=COUNTIF(IN!$B$2:$B$101,"goal")"#.into()),
                ],
            ),
        ],
        &[],
    )
}

/// Inputs and outputs are read from the sheets' headers; bounded references
/// into IN set the capacity.
#[test]
fn layout_and_capacity_follow_the_headers() {
    let compiled = compile(&goals_book()).unwrap();
    let p = &compiled.program;
    let headers: Vec<&str> = p.input.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["minute", "type", "team"]);
    assert_eq!(p.input.capacity, 100);
    let keys: Vec<&str> = p.output.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["market", "result"]);
    assert_eq!(p.output.rows, [1, 2]);
}

/// COUNTIFS over the log counts only matching entries.
#[test]
fn outcomes_follow_the_log() {
    let log = [
        entry(&[C::from(12.0), "goal".into(), "home".into()]),
        entry(&[C::from(30.0), "corner".into(), "home".into()]),
        entry(&[C::from(55.0), "goal".into(), "away".into()]),
    ];
    let rows = outcomes(&goals_book(), &log);
    assert_eq!(rows[0], [Value::text("home goals"), num(1.0)]);
    assert_eq!(rows[1], [Value::text("total"), num(2.0)]);
    let empty = outcomes(&goals_book(), &[]);
    assert_eq!(empty[1][1], num(0.0));
}

/// A workbook with every kind of refusal lists each with sheet and cell.
#[test]
fn every_problem_is_listed_with_its_cell() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("minute"))]),
            (
                "Calc",
                vec![
                    ("A1", C::from("=B1+IN!A2")),
                    ("B1", "=A1*2".into()),
                    ("C1", "=SUM(1,".into()),
                    ("D1", "=INFO(\"system\")".into()),
                ],
            ),
        ],
        &[],
    );
    let diags = compile(&bytes).unwrap_err();
    let errors: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("no sheet named OUT"), "{errors:#?}");
    assert!(has("circular reference: Calc!A1 → Calc!B1 → Calc!A1"), "{errors:#?}");
    assert!(has("at Calc!C1: formula cannot be parsed"), "{errors:#?}");
    assert!(has("at Calc!D1: function INFO is not supported"), "{errors:#?}");
    assert!(diags.iter().all(|d| d.severity == Severity::Error), "{errors:#?}");
}

/// Problems in cells OUT does not read are warnings; the workbook compiles.
#[test]
fn problems_outside_the_cone_are_warnings() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("minute"))]),
            ("OUT", vec![("A1", C::from("result")), ("A2", "=COUNT(IN!A2:A11)".into())]),
            (
                "Scratch",
                vec![("A1", C::from("=B1")), ("B1", "=A1".into()), ("C1", "=NOPE()".into())],
            ),
        ],
        &[],
    );
    let compiled = compile(&bytes).unwrap();
    let warnings: Vec<String> = compiled.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w.starts_with("warning at Scratch!")), "{warnings:#?}");
}

/// An untaken IF branch, INDEX over the cell's own column and an OFFSET
/// anchor are not circular references, and compute as Excel does.
#[test]
fn apparent_cycles_compute() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    // IF's second branch would read the cell itself.
                    ("A2", "=IF(IN!A2>0,IN!A2*10,A2)".into()),
                    // INDEX over its own column picks another row.
                    ("A3", "=INDEX(A:A,2)+1".into()),
                    // OFFSET anchored at the cell itself reads the row above.
                    ("A4", "=OFFSET(A4,-1,0)+1".into()),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[entry(&[C::from(4.0)])]);
    assert_eq!(rows[0][0], num(40.0));
    assert_eq!(rows[1][0], num(41.0));
    assert_eq!(rows[2][0], num(42.0));
}

/// Defined names resolve to their ranges; SUMPRODUCT compares every cell.
#[test]
fn names_and_sumproduct() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("type")), ("B1", "team".into())]),
            (
                "OUT",
                vec![
                    ("A1", C::from("corners home")),
                    ("A2", r#"=SUMPRODUCT((Types="corner")*(IN!$B$2:$B$51="home"))"#.into()),
                ],
            ),
        ],
        &[("Types", "=IN!$A$2:$A$51")],
    );
    let log = [
        entry(&["corner".into(), "home".into()]),
        entry(&["corner".into(), "away".into()]),
        entry(&["CORNER".into(), "home".into()]),
    ];
    assert_eq!(outcomes(&bytes, &log)[0][0], num(2.0));
}

/// A derived column filled down is evaluated for each row and limits the
/// capacity to how far it is filled.
#[test]
fn derived_columns_fill_down() {
    let mut in_cells = vec![("A1", C::from("points")), ("B1", C::from("double"))];
    let formulas: Vec<String> = (2..=6).map(|r| format!("=A{r}*2")).collect();
    let addrs: Vec<String> = (2..=6).map(|r| format!("B{r}")).collect();
    for (a, f) in addrs.iter().zip(&formulas) {
        in_cells.push((a.as_str(), C::from(f.as_str())));
    }
    let bytes = workbook(
        &[
            ("IN", in_cells),
            ("OUT", vec![("A1", C::from("sum")), ("A2", "=SUM(IN!B2:B100)".into())]),
        ],
        &[],
    );
    let compiled = compile(&bytes).unwrap();
    assert_eq!(compiled.program.input.capacity, 5);
    assert_eq!(compiled.program.input.derived, [(1, "double".to_string())]);
    // The SUM reaches row 100: the shorter column is pointed out.
    let warning = compiled.warnings.iter().find(|d| d.message.contains("filled down"));
    let warning = warning.expect("a warning about the derived column's reach");
    assert_eq!(warning.cell.as_deref(), Some("B7"));
    assert!(warning.message.contains("at most 5 entries"), "{}", warning.message);
    assert!(warning.message.contains("reach 99 entries"), "{}", warning.message);
    let log = [entry(&[C::from(1.0)]), entry(&[C::from(2.5)])];
    assert_eq!(outcomes(&bytes, &log)[0][0], num(7.0));
}

/// A formula as long as Excel allows, a chain of additions thousands of
/// operators deep, compiles and evaluates without exhausting the stack.
#[test]
fn long_operator_chains_evaluate() {
    let terms = 8_000 / 3;
    let chain = format!("={}", vec!["A1"; terms].join("+"));
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            ("Calc", vec![("A1", C::from("=IN!A2")), ("B1", C::from(chain.as_str()))]),
            ("OUT", vec![("A1", C::from("sum")), ("A2", "=Calc!B1".into())]),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[entry(&[C::from(0.5)])]);
    assert_eq!(rows[0][0], num(terms as f64 * 0.5));
}

/// Function calls nested as deep as the parser allows evaluate on a default
/// thread stack.
#[test]
fn deeply_nested_calls_evaluate() {
    let depth = 250;
    let nested = format!("={}Calc!A1{}", "IF(TRUE,ABS(".repeat(depth / 2), "))".repeat(depth / 2));
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            ("Calc", vec![("A1", C::from("=IN!A2")), ("B1", C::from(nested.as_str()))]),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=Calc!B1".into())]),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[entry(&[C::from(-3.0)])]);
    assert_eq!(rows[0][0], num(3.0));
}

/// Sheet names that need quoting resolve; ROW() and COLUMN() of the cell
/// itself are not circular.
#[test]
fn quoted_sheets_and_own_position() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("n"))]),
            ("Market Lines", vec![("A1", C::from(2.5)), ("A2", C::from(0.5))]),
            ("It's", vec![("A1", C::from(10.0))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=IN!A2+'Market Lines'!A1+'It''s'!A1".into()),
                    ("A3", "=ROW()*10+COLUMN(A3)+ROW(A3)".into()),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[entry(&[C::from(1.0)])]);
    assert_eq!(rows[0][0], num(13.5));
    assert_eq!(rows[1][0], num(34.0));
}

/// Cells OUT does not need are pruned, and cells that do not depend on the
/// log are folded to constants at compile time.
#[test]
fn pruning_and_folding() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("goals"))]),
            (
                "Calc",
                vec![
                    ("A1", C::from("=2+3")),
                    ("B1", "=A1*IN!A2".into()),
                    ("C1", "=IN!A2*100".into()),
                ],
            ),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=Calc!B1".into())]),
        ],
        &[],
    );
    let program = compile(&bytes).unwrap().program;
    let formulas: Vec<String> =
        program.formulas.iter().map(|f| runtime::reference::a1(f.addr.row, f.addr.col)).collect();
    // Calc!B1 and OUT!A2 remain; Calc!A1 is folded, Calc!C1 pruned.
    assert_eq!(formulas, ["B1", "A2"]);
    let calc = 1;
    let folded =
        program.constants.iter().find(|(a, _)| a.sheet == calc && a.row == 0 && a.col == 0);
    assert_eq!(folded.map(|(_, v)| v.clone()), Some(num(5.0)));
    assert_eq!(outcomes(&bytes, &[entry(&[C::from(2.0)])])[0][0], num(10.0));
}

/// LOOKUP's vectors and INDEX's array are evaluated as arrays in a plain
/// formula, as in the "last filled cell" idiom traders use.
#[test]
fn array_parameters_of_lookup_and_index() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("minute")), ("B1", "type".into()), ("C1", "team".into())]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", r#"=LOOKUP(2,1/(IN!C2:C50<>""),IN!C2:C50)"#.into()),
                    ("A3", r#"=INDEX((IN!B2:B50="goal")*IN!A2:A50,4)"#.into()),
                ],
            ),
        ],
        &[],
    );
    let log = [
        entry(&[C::from(5.0), "goal".into(), "home".into()]),
        entry(&[C::from(17.0), "Goal".into(), "away".into()]),
        entry(&[C::from(44.0), "yellow".into(), "home".into()]),
        entry(&[C::from(90.0), "goal".into(), "home".into()]),
        entry(&["".into(), "corner".into(), "away".into()]),
    ];
    let rows = outcomes(&bytes, &log);
    assert_eq!(rows[0][0], Value::text("away"));
    assert_eq!(rows[1][0], num(90.0));
}

/// A reference to a sheet that does not exist computes `#REF!`, as in Excel,
/// and is reported as a warning; diagnostics sort by row number, not text.
#[test]
fn missing_sheets_warn_and_diagnostics_sort_by_position() {
    let mut out = vec![("A1", C::from("v")), ("A2", "=Nope!A1".into())];
    let cells: Vec<String> = (2..=11).map(|r| format!("B{r}")).collect();
    for cell in &cells {
        out.push((cell.as_str(), C::from("=INFO(\"system\")")));
    }
    let bytes = workbook(&[("IN", vec![("A1", C::from("x"))]), ("OUT", out)], &[]);
    let diags = compile(&bytes).unwrap_err();
    let errors: Vec<&str> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.cell.as_deref())
        .collect();
    assert_eq!(errors, ["B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11"]);
    let warning = diags.iter().find(|d| d.severity == Severity::Warning).unwrap();
    assert_eq!(warning.cell.as_deref(), Some("A2"));
    assert!(warning.message.contains("sheet 'Nope' does not exist"), "{warning}");
}

/// Diagnostics show formulas as traders write them, without the `_xlfn.`
/// prefix Excel stores before newer functions.
#[test]
fn diagnostics_show_formulas_without_storage_prefixes() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=_xlfn.STOCKHISTORY(\"X\")+IN!A2".into())]),
        ],
        &[],
    );
    let diags = compile(&bytes).unwrap_err();
    assert_eq!(diags[0].formula.as_deref(), Some("STOCKHISTORY(\"X\")+IN!A2"));
    assert_eq!(diags[0].message, "function STOCKHISTORY is not supported");
}

/// A function Excel does not have either is #NAME?, as in Excel, even where
/// `OUT` reads it, with a warning; one Excel has and the engine does not is
/// refused (calc_tests/LOGICAL/IFERROR.xlsx caches "masked!" for
/// `IFERROR(SUMM(G4:G7), "masked!")`).
#[test]
fn names_excel_lacks_are_name_errors() {
    fn out(formula: &str) -> Vec<(&'static str, C<'_>)> {
        vec![("A1", C::from("v")), ("A2", formula.into()), ("A3", "=COUNT(IN!A2:A11)".into())]
    }
    let caught = out("=IFERROR(SUMM(IN!A2:A11), \"masked!\")");
    let bytes = workbook(&[("IN", vec![("A1", C::from("x"))]), ("OUT", caught)], &[]);
    let compiled = compile(&bytes).unwrap();
    let warnings: Vec<String> = compiled.warnings.iter().map(|d| d.to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("SUMM is not an Excel function")), "{warnings:#?}");
    let rows = outcomes(&bytes, &[]);
    assert_eq!(rows[0].last(), Some(&Value::text("masked!")), "{rows:?}");
    let known = out("=IFERROR(INFO(\"system\"), \"masked!\")");
    let bytes = workbook(&[("IN", vec![("A1", C::from("x"))]), ("OUT", known)], &[]);
    let diags = compile(&bytes).unwrap_err();
    assert_eq!(diags[0].message, "function INFO is not supported");
}

/// A `LAMBDA` called where it is written, with a left-out argument and an
/// optional parameter that `ISOMITTED` tests: the values Excel cached in
/// calc_tests/LOGICAL/LAMBDA.xlsx (A1 6, A2 5) and
/// INFORMATION/ISOMITTED.xlsx (A1, A6 6 and A7 36 for A5 = 12, B5 = 3).
#[test]
fn lambdas_called_where_written() {
    let optional = "_xlfn.LAMBDA(_xlpm.a,_xlop.b,\
                    IF(_xlfn.ISOMITTED(_xlpm.b),_xlpm.a/2,_xlpm.a*_xlpm.b))";
    let (given, left_out) = (format!("={optional}(IN!A2, 3)"), format!("={optional}(IN!A2)"));
    let cells = vec![
        ("A1", C::from("v")),
        ("A2", "=_xlfn.LAMBDA(_xlpm.x, _xlpm.x+1)(5)".into()),
        ("A3", "=_xlfn.LAMBDA(_xlpm.x,_xlpm.y, SQRT(_xlpm.x*_xlpm.x+_xlpm.y*_xlpm.y))(3,4)".into()),
        (
            "A4",
            "=_xlfn.LAMBDA(_xlpm.x,_xlpm.y, IF(_xlfn.ISOMITTED(_xlpm.y),\
             \"Missing second argument\",_xlpm.x+_xlpm.y))(1,)"
                .into(),
        ),
        ("A5", left_out.as_str().into()),
        ("A6", given.as_str().into()),
    ];
    let bytes = workbook(&[("IN", vec![("A1", C::from("x"))]), ("OUT", cells)], &[]);
    let rows = outcomes(&bytes, &[entry(&[C::from(12.0)])]);
    let values: Vec<Value> = rows.iter().filter_map(|row| row.last().cloned()).collect();
    let expected = [num(6.0), num(5.0), Value::text("Missing second argument"), num(6.0)];
    assert_eq!(values[..4], expected, "{rows:?}");
    assert_eq!(values[4], num(36.0), "{rows:?}");
}

/// A dynamic reference that reaches the end of a long running total computes
/// the chain on demand without exhausting the stack.
#[test]
fn offset_to_the_end_of_a_long_running_total() {
    let rows = 5_000;
    let formulas: Vec<String> = (3..=rows + 1).map(|r| format!("=B{}+A{r}", r - 1)).collect();
    let addrs: Vec<String> = (3..=rows + 1).map(|r| format!("B{r}")).collect();
    let mut in_cells =
        vec![("A1", C::from("points")), ("B1", "total".into()), ("B2", "=A2".into())];
    for (a, f) in addrs.iter().zip(&formulas) {
        in_cells.push((a.as_str(), C::from(f.as_str())));
    }
    let bytes = workbook(
        &[
            // Calc comes first, so its OFFSET is ordered before the chain.
            ("Calc", vec![("A1", C::from("=OFFSET(IN!B2,COUNT(IN!A:A)-1,0)"))]),
            ("IN", in_cells),
            ("OUT", vec![("A1", C::from("last")), ("A2", "=Calc!A1".into())]),
        ],
        &[],
    );
    let log: Vec<_> = (0..rows).map(|_| entry(&[C::from(2.0)])).collect();
    assert_eq!(outcomes(&bytes, &log)[0][0], num(2.0 * rows as f64));
}

/// Two cells that read each other only through branches the log decides are
/// not a circular reference: they compute as Excel computes them.
#[test]
fn apparent_cycles_across_cells_compute() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            (
                "Calc",
                vec![("A1", C::from("=IF(IN!A2>0,B1,0)")), ("B1", "=IF(IN!A2>0,5,A1)".into())],
            ),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=Calc!A1".into())]),
        ],
        &[],
    );
    let compiled = compile(&bytes).unwrap();
    assert!(compiled.warnings.iter().any(|w| w.message.contains("branches that may not be taken")));
    assert_eq!(outcomes(&bytes, &[entry(&[C::from(1.0)])])[0][0], num(5.0));
    assert_eq!(outcomes(&bytes, &[entry(&[C::from(-1.0)])])[0][0], num(0.0));
}

/// An OFFSET whose anchor is computed still reaches cells that nothing else
/// reads: they are kept, not pruned.
#[test]
fn computed_offset_anchors_keep_their_targets() {
    let mut in_cells = vec![("A1", C::from("n")), ("B1", C::from("double"))];
    let formulas: Vec<String> = (2..=4).map(|r| format!("=A{r}*2")).collect();
    let addrs: Vec<String> = (2..=4).map(|r| format!("B{r}")).collect();
    for (a, f) in addrs.iter().zip(&formulas) {
        in_cells.push((a.as_str(), C::from(f.as_str())));
    }
    let bytes = workbook(
        &[
            ("IN", in_cells),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=OFFSET(INDEX(IN!A2:A4,2),0,1)".into())]),
        ],
        &[],
    );
    let log = [entry(&[C::from(1.0)]), entry(&[C::from(5.0)]), entry(&[C::from(7.0)])];
    assert_eq!(outcomes(&bytes, &log)[0][0], num(10.0));
}

/// Defined names that no formula uses, such as an autofilter over the whole
/// log sheet, do not raise the capacity.
#[test]
fn unused_names_do_not_raise_capacity() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=SUM(IN!$A$2:$A$101)".into())]),
        ],
        &[("Everything", "=IN!$A$1:$A$3000")],
    );
    assert_eq!(compile(&bytes).unwrap().program.input.capacity, 100);
}

/// A derived column whose formulas do not start in row 2 is refused with a
/// reason, instead of silently allowing no entries.
#[test]
fn derived_columns_start_in_row_two() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x")), ("B1", "late".into()), ("B50", "=A50*2".into())]),
            ("OUT", vec![("A1", C::from("v")), ("A2", "=SUM(IN!$A$2:$A$101)".into())]),
        ],
        &[],
    );
    let diags = compile(&bytes).unwrap_err();
    let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|d| d.contains("IN!B2: derived column 'late' must be filled down from row 2")),
        "{text:#?}"
    );
}

/// The deciding argument of IF and IFERROR takes one value: a range there is
/// implicitly intersected with the formula's row in a plain formula.
#[test]
fn branch_conditions_intersect_implicitly() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("flag"))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=1".into()),
                    ("A3", "=IF(IN!A2:A10,\"yes\",\"no\")".into()),
                    ("A4", "=IFERROR(IN!A2:A10,\"bad\")".into()),
                ],
            ),
        ],
        &[],
    );
    // Row 3 reads IN!A3 (entry 2), row 4 reads IN!A4 (entry 3).
    let log = [entry(&[C::from(0.0)]), entry(&[C::from(1.0)]), entry(&["x".into()])];
    let rows = outcomes(&bytes, &log);
    assert_eq!(rows[1][0], Value::text("yes"));
    assert_eq!(rows[2][0], Value::text("x"));
}

/// An omitted argument of MROUND is #N/A, while an empty cell is 0 (Excel:
/// calc_tests/MATH_AND_TRIGONOMETRY/MROUND_TRUNC_INT.xlsx MROUND!C34-C36).
#[test]
fn omitted_arguments_of_mround_are_not_available() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("flag"))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=MROUND(,5)".into()),
                    ("A3", "=MROUND(5, )".into()),
                    ("A4", "=MROUND(C9,5)".into()),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[]);
    assert_eq!(rows[0][0], Value::Error(runtime::value::ExcelError::NA));
    assert_eq!(rows[1][0], Value::Error(runtime::value::ExcelError::NA));
    assert_eq!(rows[2][0], num(0.0));
}

/// FORMULATEXT and ISFORMULA of a reference computed at run time give the
/// formula of the cell it lands on; SUBTOTAL leaves out the cells holding
/// SUBTOTAL formulas in its ranges (Excel's SUBTOTAL documentation: nested
/// subtotals are ignored to avoid double counting).
#[test]
fn formulas_of_computed_references_and_nested_subtotals() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("flag"))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=1+1".into()),
                    ("A3", "=FORMULATEXT(OFFSET(A1,1,0))".into()),
                    ("A4", "=ISFORMULA(INDIRECT(\"A2\"))".into()),
                    ("A5", "=ISFORMULA(INDIRECT(\"A1\"))".into()),
                    ("A6", "=SUBTOTAL(9,C2:C3)".into()),
                    ("A7", "=SUBTOTAL(9,C2:C4)".into()),
                    ("A8", "=FORMULATEXT(INDIRECT(\"A1\"))".into()),
                    ("C2", 5.0.into()),
                    ("C3", 7.0.into()),
                    ("C4", "=SUBTOTAL(9,C2:C3)".into()),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[]);
    assert_eq!(rows[1][0], Value::text("=1+1"));
    assert_eq!(rows[2][0], Value::Bool(true));
    assert_eq!(rows[3][0], Value::Bool(false));
    assert_eq!(rows[4][0], num(12.0));
    assert_eq!(rows[5][0], num(12.0));
    assert_eq!(rows[6][0], Value::Error(runtime::value::ExcelError::NA));
}

/// Excel corrects the last operation of a formula when it is an addition or
/// a subtraction whose result is close to zero (Microsoft KB 78113:
/// `=0.5-0.4-0.1` is 0 but `=1*(0.5-0.4-0.1)` is -2.78E-17), not when the
/// formula is written in parentheses (`=(0.5-0.4-0.1)` is -2.77556E-17) nor
/// in a comparison (`=0=0.5-0.4-0.1` is FALSE); with 818562.54, -40026.44
/// and 778536.1, `=A1+A2-A3` is 0 and `=A1-A3+A2` is 5.82077E-11. Constant
/// formulas (folded at compile time) and log-dependent ones agree.
#[test]
fn a_last_addition_or_subtraction_close_to_zero_is_zero() {
    let formulas = [
        "=IN!A2-IN!B2-IN!C2",
        "=(IN!A2-IN!B2-IN!C2)",
        "=1*(IN!A2-IN!B2-IN!C2)",
        "=0=IN!A2-IN!B2-IN!C2",
        "=0.5-0.4-0.1",
        "=(0.5-0.4-0.1)",
        "=0.1+0.2-0.3",
        "=Calc!A1+Calc!A2-Calc!A3",
        "=Calc!A1-Calc!A3+Calc!A2",
        "=Calc!A1-Calc!A3+Calc!A2+IN!D2",
    ];
    let mut out = vec![("A1", C::from("v"))];
    let cells: Vec<String> = (0..formulas.len()).map(|i| format!("A{}", i + 2)).collect();
    out.extend(cells.iter().zip(formulas).map(|(cell, f)| (cell.as_str(), C::from(f))));
    let calc =
        vec![("A1", C::from(818562.54)), ("A2", (-40026.44).into()), ("A3", 778536.1.into())];
    let input =
        vec![("A1", C::from("a")), ("B1", "b".into()), ("C1", "c".into()), ("D1", "d".into())];
    let bytes = workbook(&[("IN", input), ("OUT", out), ("Calc", calc)], &[]);
    let log = [entry(&[C::from(0.5), 0.4.into(), 0.1.into(), 0.0.into()])];
    let rows = outcomes(&bytes, &log);
    let got: Vec<&Value> = rows.iter().map(|row| &row[0]).collect();
    let number = |v: &Value| match v {
        Value::Number(n) => *n,
        other => panic!("{other:?}"),
    };
    // Excel's display, to as many significant digits as the source gives.
    let shows = |v: &Value, shown: &str| {
        let digits = shown.split('e').next().unwrap().replace(['-', '.'], "").len();
        format!("{:.*e}", digits - 1, number(v)) == shown
    };
    assert_eq!(*got[0], num(0.0));
    assert!(shows(got[1], "-2.77556e-17"), "{:?}", got[1]);
    assert!(shows(got[2], "-2.78e-17"), "{:?}", got[2]);
    assert_eq!(*got[3], Value::Bool(false));
    assert_eq!(*got[4], num(0.0));
    assert!(shows(got[5], "-2.77556e-17"), "{:?}", got[5]);
    assert_eq!(*got[6], num(0.0));
    assert_eq!(*got[7], num(0.0));
    assert!(shows(got[8], "5.82077e-11"), "{:?}", got[8]);
    // Adding an empty input last: the operands 5.82077E-11 and 0 are far apart.
    assert!(shows(got[9], "5.82077e-11"), "{:?}", got[9]);
}
