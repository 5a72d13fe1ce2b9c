//! The dependency graph over formula cells: cycles, dependency order, and
//! the cone of cells that `OUT` needs.
//!
//! A range read by a formula does not become one edge per formula cell it
//! covers. Each column's formula cells are the leaves of a segment tree
//! whose inner segments are run nodes, created when a range first needs
//! them; a range reaches a logarithmic number of segments. Running ranges
//! filled down (`=SUM($B$2:B2)` over a derived column) then cost about
//! `n log n` edges instead of `n²/2`. Run nodes only pass reads through:
//! reachability between cells, and therefore cycles, order and cone, are
//! those of the graph with one edge per covered cell.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use runtime::reference::{CellAddr, RangeRef};

use crate::deps::{Deps, Dynamic, Edge};

/// A range covering at most this many formula cells of a column gets one
/// edge per cell: run nodes pay off only for longer runs.
const DIRECT_EDGES: usize = 8;

/// A component waiting in the order. Run-only components sort first (the
/// `false`), so that they pass readiness on before any cell is placed;
/// cells go by their first cell in (sheet, column, row) order.
type Ready = Reverse<((bool, (u16, u32, u32)), usize)>;

/// Real successors within one strongly connected component.
type Local = BTreeMap<usize, Vec<(usize, Edge)>>;

/// Formula cells and the formula cells each one reads.
#[derive(Debug)]
pub(crate) struct DepGraph {
    /// Nodes in (sheet, row, col) order; run nodes come after them.
    pub(crate) cells: Vec<CellAddr>,
    index: BTreeMap<CellAddr, usize>,
    /// For each node, cell or run, the nodes it reads and how. A run node
    /// reads its two halves, always.
    successors: Vec<Vec<(usize, Edge)>>,
    dynamic: Vec<Vec<Dynamic>>,
}

/// A set of nodes that read each other in a loop.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// One loop through the cycle, starting and ending at its first cell.
    pub(crate) path: Vec<CellAddr>,
    /// Every cell node of the strongly connected component.
    pub(crate) members: Vec<usize>,
    /// True when the loop needs an edge that is not always read: the
    /// cycle may be only apparent.
    pub(crate) apparent: bool,
}

/// The formula cells of one column, and the run nodes over them.
struct Column {
    /// Formula rows, ascending, with their nodes.
    rows: Vec<(u32, usize)>,
    /// Segment-tree slots (root 1, children `2k`, `2k + 1`) holding the run
    /// node of each segment once created.
    runs: Vec<Option<usize>>,
}

/// The graph while its edges are added: cell nodes fixed, run nodes grow.
struct Builder {
    columns: BTreeMap<(u16, u32), Column>,
    direct_edges: usize,
    successors: Vec<Vec<(usize, Edge)>>,
}

impl Builder {
    fn new(cells: &[CellAddr], direct_edges: usize) -> Builder {
        let mut columns: BTreeMap<(u16, u32), Column> = BTreeMap::new();
        // Cells come in (sheet, row, col) order, so each column's rows ascend.
        for (node, cell) in cells.iter().enumerate() {
            let column = columns
                .entry((cell.sheet, cell.col))
                .or_insert_with(|| Column { rows: Vec::new(), runs: Vec::new() });
            column.rows.push((cell.row, node));
        }
        Builder { columns, direct_edges, successors: vec![Vec::new(); cells.len()] }
    }

    /// Pushes the nodes through which `range` reaches formula cells: the
    /// cells themselves for a short run, run nodes for a long one.
    fn targets(&mut self, range: &RangeRef, out: &mut Vec<usize>) {
        let from = (range.sheet, range.first_col);
        let to = (range.sheet, range.last_col);
        let keys: Vec<(u16, u32)> = self.columns.range(from..=to).map(|(k, _)| *k).collect();
        for key in keys {
            let Some(column) = self.columns.get(&key) else { continue };
            let first = column.rows.partition_point(|(row, _)| *row < range.first_row);
            let end = column.rows.partition_point(|(row, _)| *row <= range.last_row);
            if end.saturating_sub(first) <= self.direct_edges {
                out.extend(column.rows[first..end.max(first)].iter().map(|(_, node)| *node));
                continue;
            }
            let len = column.rows.len();
            self.cover(key, (1, 0, len), (first, end), out);
        }
    }

    /// Pushes the segments of the tree at `slot` (covering rows `lo..hi` of
    /// the column) that together cover `first..end`.
    fn cover(
        &mut self,
        key: (u16, u32),
        (slot, lo, hi): (usize, usize, usize),
        (first, end): (usize, usize),
        out: &mut Vec<usize>,
    ) {
        if end <= lo || hi <= first {
            return;
        }
        if first <= lo && hi <= end {
            out.push(self.run(key, slot, lo, hi));
            return;
        }
        let mid = lo + (hi - lo) / 2;
        self.cover(key, (2 * slot, lo, mid), (first, end), out);
        self.cover(key, (2 * slot + 1, mid, hi), (first, end), out);
    }

    /// The node standing for rows `lo..hi` of the column: the cell itself
    /// for one row, else the segment's run node, created with its halves on
    /// first use.
    fn run(&mut self, key: (u16, u32), slot: usize, lo: usize, hi: usize) -> usize {
        let Some(column) = self.columns.get_mut(&key) else { return 0 };
        if hi - lo == 1 {
            return column.rows[lo].1;
        }
        if column.runs.is_empty() {
            column.runs = vec![None; 4 * column.rows.len()];
        }
        if let Some(node) = column.runs[slot] {
            return node;
        }
        let mid = lo + (hi - lo) / 2;
        let left = self.run(key, 2 * slot, lo, mid);
        let right = self.run(key, 2 * slot + 1, mid, hi);
        let node = self.successors.len();
        self.successors.push(vec![(left, Edge::Strict), (right, Edge::Strict)]);
        if let Some(column) = self.columns.get_mut(&key) {
            column.runs[slot] = Some(node);
        }
        node
    }
}

impl DepGraph {
    /// Builds the graph of `cells` (each with its precedents).
    pub(crate) fn build(cells: &[(CellAddr, &Deps)]) -> DepGraph {
        DepGraph::build_with(cells, DIRECT_EDGES)
    }

    /// Builds the graph, giving ranges over at most `direct_edges` formula
    /// cells of a column one edge per cell.
    fn build_with(cells: &[(CellAddr, &Deps)], direct_edges: usize) -> DepGraph {
        let mut sorted: Vec<CellAddr> = cells.iter().map(|(c, _)| *c).collect();
        sorted.sort();
        sorted.dedup();
        let index: BTreeMap<CellAddr, usize> =
            sorted.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let mut builder = Builder::new(&sorted, direct_edges);
        let mut dynamic = vec![Vec::new(); sorted.len()];
        let mut targets = Vec::new();
        for (cell, deps) in cells {
            let node = index[cell];
            let mut edges: BTreeMap<usize, Edge> = BTreeMap::new();
            for (range, edge) in &deps.refs {
                targets.clear();
                builder.targets(range, &mut targets);
                for target in &targets {
                    let slot = edges.entry(*target).or_insert(*edge);
                    *slot = (*slot).min(*edge);
                }
            }
            builder.successors[node] = edges.into_iter().collect();
            dynamic[node] = deps.dynamic.clone();
        }
        DepGraph { cells: sorted, index, successors: builder.successors, dynamic }
    }

    /// The node of a cell, if it holds a formula.
    pub(crate) fn node(&self, cell: &CellAddr) -> Option<usize> {
        self.index.get(cell).copied()
    }

    /// The number of nodes, run nodes included.
    fn n_nodes(&self) -> usize {
        self.successors.len()
    }

    /// Every cycle, real or apparent, in the order of their first cells.
    pub(crate) fn cycles(&self) -> Vec<Cycle> {
        let mut out = Vec::new();
        for members in self.components() {
            let node = members[0];
            if members.len() == 1 && !self.successors[node].iter().any(|(t, _)| *t == node) {
                continue;
            }
            // A component of several nodes always holds a cell: run nodes
            // only read downwards, so they close no loop by themselves.
            let local = self.local_edges(&members);
            let cells: Vec<usize> = local.keys().copied().collect();
            // The cycle is real when edges that are always read close a loop
            // by themselves; the loop reported is then one of those.
            let strict_loop = components_within(self.cells.len(), &local, &cells)
                .into_iter()
                .find(|c| is_cycle(&local, c, true));
            let (path, apparent) = match strict_loop {
                Some(inner) => (self.loop_path(&local, &inner, false), false),
                None => (self.loop_path(&local, &cells, true), true),
            };
            out.push(Cycle { path, members: cells, apparent });
        }
        out.sort_by_key(|c| c.members.first().copied());
        out
    }

    /// An order of all cell nodes where every node comes after what it
    /// reads, cycles kept together; ties go by (sheet, column, row) so that a
    /// filled-down column stays contiguous.
    pub(crate) fn order(&self) -> Vec<usize> {
        let components = self.components();
        let mut component_of = vec![0; self.n_nodes()];
        for (c, members) in components.iter().enumerate() {
            for &m in members {
                component_of[m] = c;
            }
        }
        let key = |c: usize| {
            let first = components[c].iter().filter(|&&m| self.is_cell(m));
            match first.map(|&m| self.column_major(m)).min() {
                Some(first) => (true, first),
                None => (false, (0, 0, 0)),
            }
        };
        let mut waiting = vec![0usize; components.len()];
        let mut dependents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); components.len()];
        for (node, edges) in self.successors.iter().enumerate() {
            let c = component_of[node];
            for (target, _) in edges {
                let t = component_of[*target];
                if t != c && dependents[t].insert(c) {
                    waiting[c] += 1;
                }
            }
        }
        let mut ready: BinaryHeap<Ready> = BinaryHeap::new();
        for (c, count) in waiting.iter().enumerate() {
            if *count == 0 {
                ready.push(Reverse((key(c), c)));
            }
        }
        let mut order = Vec::with_capacity(self.cells.len());
        while let Some(Reverse((_, c))) = ready.pop() {
            let mut members: Vec<usize> =
                components[c].iter().copied().filter(|&m| self.is_cell(m)).collect();
            members.sort_by_key(|&m| self.column_major(m));
            order.extend(members);
            for &d in &dependents[c] {
                waiting[d] -= 1;
                if waiting[d] == 0 {
                    ready.push(Reverse((key(d), d)));
                }
            }
        }
        order
    }

    /// The cell nodes reachable from `roots` through precedents, including
    /// the cells dynamic references may reach.
    pub(crate) fn cone(&self, roots: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut seen = vec![false; self.n_nodes()];
        let mut stack: Vec<usize> = roots.into_iter().collect();
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            stack.extend(self.successors[node].iter().map(|(t, _)| *t));
            for dynamic in self.dynamic.get(node).into_iter().flatten() {
                stack.extend(self.reachable_dynamically(*dynamic));
            }
        }
        seen.truncate(self.cells.len());
        seen
    }

    /// The `marked` cell nodes and every cell node that reads one of them,
    /// directly or through other cells.
    pub(crate) fn with_readers(&self, marked: &[bool]) -> Vec<bool> {
        let mut readers = vec![Vec::new(); self.n_nodes()];
        for (node, edges) in self.successors.iter().enumerate() {
            for (target, _) in edges {
                readers[*target].push(node);
            }
        }
        let mut seen = vec![false; self.n_nodes()];
        let mut stack: Vec<usize> = (0..marked.len()).filter(|&n| marked[n]).collect();
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            stack.extend(readers[node].iter().copied().filter(|&r| !seen[r]));
        }
        seen.truncate(self.cells.len());
        seen
    }

    /// The nodes a dynamic reference may reach.
    pub(crate) fn reachable_dynamically(&self, dynamic: Dynamic) -> Vec<usize> {
        match dynamic {
            Dynamic::Workbook => (0..self.cells.len()).collect(),
            Dynamic::Sheet(sheet) => {
                (0..self.cells.len()).filter(|&n| self.cells[n].sheet == sheet).collect()
            }
        }
    }

    /// Whether `node` reads through a dynamic reference.
    pub(crate) fn is_dynamic(&self, node: usize) -> bool {
        self.dynamic.get(node).is_some_and(|d| !d.is_empty())
    }

    fn is_cell(&self, node: usize) -> bool {
        node < self.cells.len()
    }

    fn column_major(&self, node: usize) -> (u16, u32, u32) {
        let c = self.cells[node];
        (c.sheet, c.col, c.row)
    }

    /// The cell-to-cell edges inside a strongly connected component: each
    /// cell's run nodes opened down to the cells they cover. The kind of an
    /// edge is that of the range read; a cell read by several ranges keeps
    /// the surest.
    fn local_edges(&self, members: &[usize]) -> Local {
        let inside: BTreeSet<usize> = members.iter().copied().collect();
        let mut local = Local::new();
        for &cell in members.iter().filter(|&&m| self.is_cell(m)) {
            let mut reached: BTreeMap<usize, Edge> = BTreeMap::new();
            let mut visited: BTreeSet<(usize, Edge)> = BTreeSet::new();
            let mut stack: Vec<(usize, Edge)> = self.successors[cell].clone();
            while let Some((node, edge)) = stack.pop() {
                if !inside.contains(&node) || !visited.insert((node, edge)) {
                    continue;
                }
                if self.is_cell(node) {
                    let slot = reached.entry(node).or_insert(edge);
                    *slot = (*slot).min(edge);
                } else {
                    stack.extend(self.successors[node].iter().map(|(t, _)| (*t, edge)));
                }
            }
            local.insert(cell, reached.into_iter().collect());
        }
        local
    }

    /// Strongly connected components of the whole graph, run nodes
    /// included.
    fn components(&self) -> Vec<Vec<usize>> {
        tarjan(self.n_nodes(), 0..self.n_nodes(), |n| {
            self.successors[n].iter().map(|(t, _)| *t).collect()
        })
    }

    /// A loop through the component, from its first cell back to it,
    /// preferring strict edges unless `any_edge`.
    fn loop_path(&self, local: &Local, members: &[usize], any_edge: bool) -> Vec<CellAddr> {
        let inside: BTreeSet<usize> = members.iter().copied().collect();
        let start = members.iter().copied().min().unwrap_or(0);
        // Breadth-first search from start back to start.
        let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        let mut end = None;
        'search: while let Some(n) = queue.pop_front() {
            for (t, e) in local.get(&n).into_iter().flatten() {
                if !inside.contains(t) || (!any_edge && *e != Edge::Strict) {
                    continue;
                }
                if *t == start {
                    end = Some(n);
                    break 'search;
                }
                if !parent.contains_key(t) {
                    parent.insert(*t, n);
                    queue.push_back(*t);
                }
            }
        }
        let mut path = vec![self.cells[start]];
        let mut chain = Vec::new();
        let mut at = end;
        while let Some(n) = at {
            if n == start {
                break;
            }
            chain.push(self.cells[n]);
            at = parent.get(&n).copied();
        }
        // The chain was collected backwards from the cell that reads `start`.
        chain.reverse();
        path.extend(chain);
        path.push(self.cells[start]);
        path
    }
}

/// Whether cells `members` of a component form a loop, over strict edges
/// only when `strict_only`.
fn is_cycle(local: &Local, members: &[usize], strict_only: bool) -> bool {
    if members.len() > 1 {
        return true;
    }
    let node = members[0];
    local.get(&node).is_some_and(|edges| {
        edges.iter().any(|(t, e)| *t == node && (!strict_only || *e == Edge::Strict))
    })
}

/// Strongly connected components over strict edges among `members` (cells
/// of one component), single cells included.
fn components_within(n_cells: usize, local: &Local, members: &[usize]) -> Vec<Vec<usize>> {
    tarjan(n_cells, members.iter().copied(), |n| {
        let edges = local.get(&n).into_iter().flatten();
        edges.filter(|(_, e)| *e == Edge::Strict).map(|(t, _)| *t).collect()
    })
}

/// Tarjan's strongly connected components, iteratively (deep chains of
/// running totals must not overflow the stack). Components come out in
/// reverse dependency order; members are sorted.
fn tarjan(
    n: usize,
    roots: impl Iterator<Item = usize>,
    successors: impl Fn(usize) -> Vec<usize>,
) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in roots {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, Vec<usize>, usize)> = vec![(root, successors(root), 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some((node, succ, pos)) = work.last_mut() {
            if let Some(&t) = succ.get(*pos) {
                *pos += 1;
                if index[t] == UNSEEN {
                    index[t] = next;
                    low[t] = next;
                    next += 1;
                    stack.push(t);
                    on_stack[t] = true;
                    let s = successors(t);
                    work.push((t, s, 0));
                } else if on_stack[t] {
                    low[*node] = low[*node].min(index[t]);
                }
                continue;
            }
            let node = *node;
            work.pop();
            if let Some((parent, _, _)) = work.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack[m] = false;
                    component.push(m);
                    if m == node {
                        break;
                    }
                }
                component.sort_unstable();
                out.push(component);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A cell of sheet 0 and what it reads: (first row, last row, first
    /// column, last column, always read).
    type Spec = ((u32, u32), Vec<(u32, u32, u32, u32, bool)>);

    fn deps_of(specs: &[Spec]) -> Vec<(CellAddr, Deps)> {
        specs
            .iter()
            .map(|((row, col), reads)| {
                let refs = reads
                    .iter()
                    .map(|&(r0, r1, c0, c1, strict)| {
                        let range = RangeRef {
                            sheet: 0,
                            first_row: r0.min(r1),
                            last_row: r0.max(r1),
                            first_col: c0.min(c1),
                            last_col: c0.max(c1),
                        };
                        (range, if strict { Edge::Strict } else { Edge::Conditional })
                    })
                    .collect();
                (CellAddr::new(0, *row, *col), Deps { refs, ..Deps::default() })
            })
            .collect()
    }

    fn graphs(specs: &[Spec]) -> (DepGraph, DepGraph) {
        let deps = deps_of(specs);
        let cells: Vec<(CellAddr, &Deps)> = deps.iter().map(|(c, d)| (*c, d)).collect();
        (DepGraph::build_with(&cells, usize::MAX), DepGraph::build_with(&cells, 0))
    }

    fn cell(row: u32, col: u32) -> CellAddr {
        CellAddr::new(0, row, col)
    }

    /// A running sum filled down gets run nodes, far fewer edges than one
    /// per covered cell, and still computes top to bottom.
    #[test]
    fn running_sums_use_run_nodes() {
        let specs: Vec<Spec> = (1..=1_000)
            .flat_map(|r| [((r, 1), vec![(r, r, 0, 0, true)]), ((r, 2), vec![(1, r, 1, 1, true)])])
            .collect();
        let (naive, runs) = graphs(&specs);
        let edges = |g: &DepGraph| g.successors.iter().map(Vec::len).sum::<usize>();
        assert_eq!(edges(&naive), 1_000 * 1_001 / 2);
        assert!(edges(&runs) < 30_000, "{} edges", edges(&runs));
        let order = runs.order();
        assert_eq!(order, naive.order());
        // Column B (derived) comes before column C, each top to bottom.
        assert_eq!(runs.cells[order[0]], cell(1, 1));
        assert_eq!(runs.cells[order[1_000]], cell(1, 2));
        assert!(runs.cycles().is_empty());
    }

    /// A loop through a long range is named cell by cell, from its first
    /// cell back to it.
    #[test]
    fn cycle_through_a_long_range_is_named_cell_by_cell() {
        let mut specs: Vec<Spec> = (1..=40).map(|r| ((r, 0), vec![])).collect();
        specs.push(((20, 1), vec![(1, 40, 0, 0, true)]));
        specs[29].1.push((20, 20, 1, 1, true));
        let (_, runs) = graphs(&specs);
        let cycles = runs.cycles();
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].path, [cell(20, 1), cell(30, 0), cell(20, 1)]);
        assert!(!cycles[0].apparent);
    }

    fn spec() -> impl Strategy<Value = Vec<Spec>> {
        let read = (0..24u32, 0..24u32, 0..3u32, 0..3u32, any::<bool>());
        let cell = ((0..24u32, 0..3u32), proptest::collection::vec(read, 0..3));
        proptest::collection::vec(cell, 1..60).prop_map(|mut cells| {
            cells.sort_by_key(|(at, _)| *at);
            cells.dedup_by_key(|(at, _)| *at);
            cells
        })
    }

    proptest! {
        /// Run nodes change nothing a caller sees: order, cycles, cone and
        /// readers equal those of the graph with one edge per covered cell.
        #[test]
        fn run_nodes_keep_the_graph_meaning(specs in spec(), marks in any::<u64>()) {
            let (naive, runs) = graphs(&specs);
            prop_assert_eq!(runs.order(), naive.order());
            prop_assert_eq!(runs.cycles(), naive.cycles());
            let roots = [0, specs.len() / 2];
            prop_assert_eq!(runs.cone(roots), naive.cone(roots));
            let marked: Vec<bool> = (0..specs.len()).map(|n| marks >> (n % 64) & 1 == 1).collect();
            prop_assert_eq!(runs.with_readers(&marked), naive.with_readers(&marked));
        }
    }
}
