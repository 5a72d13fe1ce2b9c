//! Where each cell of a program lives, found without hashing.
//!
//! Both evaluators read cells by address thousands of times per run
//! (`SUMIFS` over a column asks for every cell of it), so a cell's slot is
//! found by indexing a dense grid per sheet; only a sheet too large for a
//! grid answers from a hash map.

use std::collections::HashMap;

use crate::reference::CellAddr;

/// Where a cell's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Constant `.0` of the program.
    Constant(usize),
    /// Formula `.0` of the program.
    Formula(usize),
}

/// The most cells of a sheet's dense grid (16 MiB of slots).
const MAX_GRID_CELLS: u64 = 1 << 22;
/// Marks a packed slot as a formula; otherwise it is a constant, and 0 none.
const FORMULA_BIT: u32 = 1 << 31;

/// The slots of every constant and formula cell of a program.
#[derive(Clone, Debug, Default)]
pub struct SlotTable {
    /// Per sheet: its used columns and, row-major, each cell's packed slot;
    /// `None` for a sheet the map answers for.
    grids: Vec<Option<(u32, Vec<u32>)>>,
    /// The cells of sheets without a grid.
    map: HashMap<CellAddr, Slot>,
}

impl SlotTable {
    /// The table of the cells of `constants` and `formulas` (each numbered by
    /// its position), on sheets of the used extents `sheets` (rows, columns).
    pub fn new(
        sheets: impl IntoIterator<Item = (u32, u32)>,
        constants: impl IntoIterator<Item = CellAddr>,
        formulas: impl IntoIterator<Item = CellAddr>,
    ) -> SlotTable {
        let mut grids: Vec<Option<(u32, Vec<u32>)>> = sheets
            .into_iter()
            .map(|(rows, cols)| {
                let fits = u64::from(rows) * u64::from(cols) <= MAX_GRID_CELLS;
                fits.then(|| (cols, vec![0u32; rows as usize * cols as usize]))
            })
            .collect();
        let mut all = Vec::new();
        all.extend(constants.into_iter().enumerate().map(|(i, a)| (a, Slot::Constant(i))));
        all.extend(formulas.into_iter().enumerate().map(|(i, a)| (a, Slot::Formula(i))));
        // A slot past its sheet's used extent sends the whole sheet to the map.
        for (addr, _) in &all {
            let sheet = usize::from(addr.sheet);
            let Some(Some((cols, grid))) = grids.get(sheet) else { continue };
            if addr.col >= *cols || grid_index(*cols, *addr) >= grid.len() {
                grids[sheet] = None;
            }
        }
        let mut map = HashMap::new();
        for (addr, slot) in all {
            match grids.get_mut(usize::from(addr.sheet)) {
                Some(Some((cols, grid))) => grid[grid_index(*cols, addr)] = pack(slot),
                _ => {
                    map.insert(addr, slot);
                }
            }
        }
        SlotTable { grids, map }
    }

    /// The slot of the cell at `addr`, if it holds a constant or a formula.
    #[inline]
    pub fn get(&self, addr: CellAddr) -> Option<Slot> {
        let Some(Some((cols, grid))) = self.grids.get(usize::from(addr.sheet)) else {
            return self.map.get(&addr).copied();
        };
        if addr.col >= *cols {
            return None;
        }
        unpack(grid.get(grid_index(*cols, addr)).copied().unwrap_or(0))
    }
}

#[inline]
fn grid_index(cols: u32, addr: CellAddr) -> usize {
    addr.row as usize * cols as usize + addr.col as usize
}

fn pack(slot: Slot) -> u32 {
    match slot {
        Slot::Formula(i) => i as u32 | FORMULA_BIT,
        Slot::Constant(i) => i as u32 + 1,
    }
}

#[inline]
fn unpack(packed: u32) -> Option<Slot> {
    match packed {
        0 => None,
        p if p & FORMULA_BIT != 0 => Some(Slot::Formula((p ^ FORMULA_BIT) as usize)),
        p => Some(Slot::Constant(p as usize - 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_and_the_map_answer_alike() {
        let constants = [CellAddr::new(0, 0, 0), CellAddr::new(1, 5, 2)];
        let formulas = [CellAddr::new(0, 3, 1), CellAddr::new(1, 0, 0)];
        // Sheet 1 is too small for its cells (a slot past the extent), so
        // the map serves it.
        let table = SlotTable::new([(4, 2), (2, 2)], constants, formulas);
        assert_eq!(table.get(CellAddr::new(0, 0, 0)), Some(Slot::Constant(0)));
        assert_eq!(table.get(CellAddr::new(0, 3, 1)), Some(Slot::Formula(0)));
        assert_eq!(table.get(CellAddr::new(0, 3, 0)), None);
        assert_eq!(table.get(CellAddr::new(0, 3, 7)), None);
        assert_eq!(table.get(CellAddr::new(0, 900, 0)), None);
        assert_eq!(table.get(CellAddr::new(1, 5, 2)), Some(Slot::Constant(1)));
        assert_eq!(table.get(CellAddr::new(1, 0, 0)), Some(Slot::Formula(1)));
        assert_eq!(table.get(CellAddr::new(2, 0, 0)), None);
    }
}
