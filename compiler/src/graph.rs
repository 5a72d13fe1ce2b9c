//! The dependency graph over formula cells: cycles, dependency order, and
//! the cone of cells that `OUT` needs.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use runtime::reference::{CellAddr, RangeRef};

use crate::deps::{Deps, Dynamic, Edge};

/// A component waiting in the order, keyed by its first cell in
/// (sheet, column, row) order.
type Ready = Reverse<((u16, u32, u32), usize)>;

/// Formula cells and the formula cells each one reads.
#[derive(Debug)]
pub(crate) struct DepGraph {
    /// Nodes in (sheet, row, col) order.
    pub(crate) cells: Vec<CellAddr>,
    index: BTreeMap<CellAddr, usize>,
    /// For each node, the nodes it reads and how.
    precedents: Vec<Vec<(usize, Edge)>>,
    dynamic: Vec<Vec<Dynamic>>,
}

/// A set of nodes that read each other in a loop.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// One loop through the cycle, starting and ending at its first cell.
    pub(crate) path: Vec<CellAddr>,
    /// Every node of the strongly connected component.
    pub(crate) members: Vec<usize>,
    /// True when the loop needs an edge that is not always read: the
    /// cycle may be only apparent.
    pub(crate) apparent: bool,
}

impl DepGraph {
    /// Builds the graph of `cells` (each with its precedents).
    pub(crate) fn build(cells: &[(CellAddr, &Deps)]) -> DepGraph {
        let mut sorted: Vec<CellAddr> = cells.iter().map(|(c, _)| *c).collect();
        sorted.sort();
        sorted.dedup();
        let index: BTreeMap<CellAddr, usize> =
            sorted.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        // Formula rows by (sheet, column), to resolve ranges quickly.
        let mut columns: BTreeMap<(u16, u32), BTreeMap<u32, usize>> = BTreeMap::new();
        for (i, cell) in sorted.iter().enumerate() {
            columns.entry((cell.sheet, cell.col)).or_default().insert(cell.row, i);
        }
        let mut precedents = vec![Vec::new(); sorted.len()];
        let mut dynamic = vec![Vec::new(); sorted.len()];
        for (cell, deps) in cells {
            let node = index[cell];
            let mut edges: BTreeMap<usize, Edge> = BTreeMap::new();
            for (range, edge) in &deps.refs {
                for target in cells_in(&columns, range) {
                    let slot = edges.entry(target).or_insert(*edge);
                    *slot = (*slot).min(*edge);
                }
            }
            precedents[node] = edges.into_iter().collect();
            dynamic[node] = deps.dynamic.clone();
        }
        DepGraph { cells: sorted, index, precedents, dynamic }
    }

    /// The node of a cell, if it holds a formula.
    pub(crate) fn node(&self, cell: &CellAddr) -> Option<usize> {
        self.index.get(cell).copied()
    }

    /// The nodes `node` reads.
    pub(crate) fn precedents(&self, node: usize) -> impl Iterator<Item = (usize, Edge)> + '_ {
        self.precedents[node].iter().copied()
    }

    /// Every cycle, real or apparent, in a stable order.
    pub(crate) fn cycles(&self) -> Vec<Cycle> {
        let mut out = Vec::new();
        for members in self.components(false) {
            if !self.is_cycle(&members, false) {
                continue;
            }
            // The cycle is real when edges that are always read close a loop
            // by themselves; the loop reported is then one of those.
            let strict_loop =
                self.components_within(&members).into_iter().find(|c| self.is_cycle(c, true));
            let (path, apparent) = match strict_loop {
                Some(inner) => (self.loop_path(&inner, false), false),
                None => (self.loop_path(&members, true), true),
            };
            out.push(Cycle { path, members, apparent });
        }
        out
    }

    /// An order of all nodes where every node comes after what it reads,
    /// cycles kept together; ties go by (sheet, column, row) so that a
    /// filled-down column stays contiguous.
    pub(crate) fn order(&self) -> Vec<usize> {
        let components = self.components(false);
        let mut component_of = vec![0; self.cells.len()];
        for (c, members) in components.iter().enumerate() {
            for &m in members {
                component_of[m] = c;
            }
        }
        let key = |c: usize| {
            let first = components[c].iter().map(|&m| self.column_major(m)).min();
            first.unwrap_or_default()
        };
        let mut waiting = vec![0usize; components.len()];
        let mut dependents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); components.len()];
        for (node, edges) in self.precedents.iter().enumerate() {
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
            let mut members = components[c].clone();
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

    /// The nodes reachable from `roots` through precedents, including the
    /// cells dynamic references may reach.
    pub(crate) fn cone(&self, roots: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut seen = vec![false; self.cells.len()];
        let mut stack: Vec<usize> = roots.into_iter().collect();
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            stack.extend(self.precedents[node].iter().map(|(t, _)| *t));
            for dynamic in &self.dynamic[node] {
                stack.extend(self.reachable_dynamically(*dynamic));
            }
        }
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
        !self.dynamic[node].is_empty()
    }

    fn column_major(&self, node: usize) -> (u16, u32, u32) {
        let c = self.cells[node];
        (c.sheet, c.col, c.row)
    }

    fn is_cycle(&self, members: &[usize], strict_only: bool) -> bool {
        if members.len() > 1 {
            return true;
        }
        let node = members[0];
        self.precedents[node]
            .iter()
            .any(|(t, e)| *t == node && (!strict_only || *e == Edge::Strict))
    }

    /// Strongly connected components over strict edges within `members`,
    /// single cells included.
    fn components_within(&self, members: &[usize]) -> Vec<Vec<usize>> {
        let inside: BTreeSet<usize> = members.iter().copied().collect();
        let comps = tarjan(self.cells.len(), members.iter().copied(), |n| {
            self.precedents[n]
                .iter()
                .filter(|(t, e)| *e == Edge::Strict && inside.contains(t))
                .map(|(t, _)| *t)
                .collect()
        });
        comps
    }

    /// Strongly connected components of the whole graph.
    fn components(&self, strict_only: bool) -> Vec<Vec<usize>> {
        tarjan(self.cells.len(), 0..self.cells.len(), |n| {
            self.precedents[n]
                .iter()
                .filter(|(_, e)| !strict_only || *e == Edge::Strict)
                .map(|(t, _)| *t)
                .collect()
        })
    }

    /// A loop through the component, from its first cell back to it,
    /// preferring strict edges unless `any_edge`.
    fn loop_path(&self, members: &[usize], any_edge: bool) -> Vec<CellAddr> {
        let inside: BTreeSet<usize> = members.iter().copied().collect();
        let start = members.iter().copied().min().unwrap_or(0);
        // Breadth-first search from start back to start.
        let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        'search: while let Some(n) = queue.pop_front() {
            for (t, e) in &self.precedents[n] {
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

/// The formula nodes inside `range`.
// FIXME: every reading cell gets one edge per formula cell in its range, so
// running ranges filled down (`=SUM($B$2:B2)` reading a derived column) grow
// quadratically: 8,000 such rows take about 17 s and 1.2 GB to compile.
fn cells_in(columns: &BTreeMap<(u16, u32), BTreeMap<u32, usize>>, range: &RangeRef) -> Vec<usize> {
    let from = (range.sheet, range.first_col);
    let to = (range.sheet, range.last_col);
    columns
        .range(from..=to)
        .flat_map(|(_, rows)| rows.range(range.first_row..=range.last_row).map(|(_, n)| *n))
        .collect()
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
