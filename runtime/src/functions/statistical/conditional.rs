//! The shared engine of the conditional aggregates: `COUNTIF(S)`,
//! `SUMIF(S)`, `AVERAGEIF(S)`, `MINIFS` and `MAXIFS`.
//!
//! Criteria ranges are walked together, position by position, over the part
//! that can hold values only: a whole-column criteria range costs the used
//! rows, and the empty remainder is accounted for at once (it matters to
//! `COUNTIF(A:A,"")` only, since an empty cell adds nothing to a sum, an
//! average or a minimum).

use crate::criteria::Criterion;
use crate::functions::math::args::{aligned_extent, Grid};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// Criteria ranges with their criteria, and optionally the range whose
/// values are aggregated.
pub(crate) struct Conditions<'a> {
    pairs: Vec<(Grid<'a>, Criterion)>,
    target: Option<Grid<'a>>,
}

impl<'a> Conditions<'a> {
    /// The conditions of `COUNTIFS`-shaped arguments: pairs of criteria
    /// range and criterion.
    ///
    /// # Errors
    ///
    /// `#VALUE!` for an odd number of arguments, a union, or criteria
    /// ranges of different shapes.
    pub(crate) fn pairs(args: &'a [Operand], ctx: &dyn Context) -> Result<Self, ExcelError> {
        if args.is_empty() || !args.len().is_multiple_of(2) {
            return Err(ExcelError::Value);
        }
        let mut pairs = Vec::with_capacity(args.len() / 2);
        for pair in args.chunks(2) {
            let criterion = Criterion::parse(&pair[1].to_value(ctx));
            pairs.push((Grid::of(&pair[0])?, criterion));
        }
        let shape = pairs[0].0.shape();
        if pairs.iter().any(|(grid, _)| grid.shape() != shape) {
            return Err(ExcelError::Value);
        }
        Ok(Conditions { pairs, target: None })
    }

    /// The conditions of `SUMIFS`-shaped arguments: the aggregated range,
    /// then pairs. The aggregated range must have the criteria's shape.
    ///
    /// # Errors
    ///
    /// As [`Conditions::pairs`], and `#VALUE!` for a target of another shape.
    pub(crate) fn target_first(args: &'a [Operand], ctx: &dyn Context) -> Result<Self, ExcelError> {
        let (first, rest) = args.split_first().ok_or(ExcelError::Value)?;
        let mut conditions = Conditions::pairs(rest, ctx)?;
        let target = Grid::of(first)?;
        if target.shape() != conditions.shape() {
            return Err(ExcelError::Value);
        }
        conditions.target = Some(target);
        Ok(conditions)
    }

    /// The conditions of `SUMIF`-shaped arguments: range, criterion and an
    /// optional aggregated range. The aggregated range takes the criteria
    /// range's shape from its own top-left cell, as Excel reads it; without
    /// one the criteria range itself is aggregated.
    ///
    /// # Errors
    ///
    /// `#VALUE!` for a union.
    pub(crate) fn single(args: &'a [Operand], ctx: &dyn Context) -> Result<Self, ExcelError> {
        let mut conditions = Conditions::pairs(args.get(..2).ok_or(ExcelError::Value)?, ctx)?;
        let target = match args.get(2) {
            Some(op) => Grid::of(op)?.resized(conditions.shape()),
            None => conditions.pairs[0].0.clone(),
        };
        conditions.target = Some(target);
        Ok(conditions)
    }

    fn shape(&self) -> (u32, u32) {
        self.pairs[0].0.shape()
    }

    /// How many positions satisfy every criterion, the empty remainder
    /// past the used extent included.
    pub(crate) fn count(&self, ctx: &dyn Context) -> u64 {
        let mut count = 0;
        let tail = self.for_each_match(ctx, |_| count += 1);
        let empty_matches = self.pairs.iter().all(|(_, c)| c.matches(&Value::Empty));
        if empty_matches {
            count + tail
        } else {
            count
        }
    }

    /// Calls `f` with the target's value at each position that satisfies
    /// every criterion, inside the used extent only. Returns the number of
    /// positions past it.
    pub(crate) fn for_each_match(&self, ctx: &dyn Context, mut f: impl FnMut(Value)) -> u64 {
        let mut grids: Vec<Grid<'_>> = self.pairs.iter().map(|(g, _)| g.clone()).collect();
        grids.extend(self.target.iter().cloned());
        let ((rows, cols), tail) = aligned_extent(&grids, ctx);
        if cols == 1 && self.by_columns(rows, ctx, &mut f) {
            return tail;
        }
        for row in 0..rows {
            for col in 0..cols {
                let hit = self.pairs.iter().all(|(g, c)| c.matches(&g.get(row, col, ctx)));
                if hit {
                    let value = match &self.target {
                        Some(t) => t.get(row, col, ctx),
                        None => Value::Empty,
                    };
                    f(value);
                }
            }
        }
        tail
    }

    /// [`Conditions::for_each_match`] over `rows` rows when every range is
    /// one column of cells: each criteria column is visited whole, in
    /// order, through [`Context::visit_column`] (which lends the values
    /// instead of copying them), then the target's matching rows. `false`,
    /// with nothing done, for any other shape.
    fn by_columns(&self, rows: u32, ctx: &dyn Context, f: &mut impl FnMut(Value)) -> bool {
        let column = |grid: &Grid<'_>| match grid {
            Grid::Range(r) if r.first_col == r.last_col => Some(*r),
            _ => None,
        };
        let Some(columns) = self.pairs.iter().map(|(g, _)| column(g)).collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        let target = match &self.target {
            Some(grid) => match column(grid) {
                Some(range) => Some(range),
                None => return false,
            },
            None => None,
        };
        let mut hits = vec![true; rows as usize];
        for (range, (_, criterion)) in columns.iter().zip(&self.pairs) {
            ctx.visit_column(range.sheet, range.first_col, range.first_row, rows, &mut |i, v| {
                let hit = &mut hits[i as usize];
                *hit = *hit && criterion.matches(v);
            });
        }
        match target {
            Some(t) => ctx.visit_column(t.sheet, t.first_col, t.first_row, rows, &mut |i, v| {
                if hits[i as usize] {
                    f(v.clone());
                }
            }),
            None => hits.iter().filter(|hit| **hit).for_each(|_| f(Value::Empty)),
        }
        true
    }

    /// The numbers of the target at matching positions; text, booleans and
    /// empty cells are skipped.
    ///
    /// # Errors
    ///
    /// The first error among the target's matching cells.
    pub(crate) fn numbers(&self, ctx: &dyn Context) -> Result<Vec<f64>, ExcelError> {
        let mut out = Vec::new();
        let mut first_error = None;
        self.for_each_match(ctx, |v| match v {
            Value::Number(n) => out.push(n),
            Value::Error(e) => {
                first_error.get_or_insert(e);
            }
            _ => {}
        });
        match first_error {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }
}
