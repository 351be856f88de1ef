//! A direct-addressed cell table over the grids: the point-lookup path of the
//! index. The extent is cut into square top cells (a power of two of
//! fixed-point units on a side, about one per grid), and each top cell into
//! `s × s` leaf cells, `s` a power of two that grows with the number of grids
//! crowding that top cell. Every leaf cell records either
//! - nothing (no grid reaches it),
//! - one grid that covers it entirely, so a point there needs no polygon test, or
//! - the few grids whose boundary passes through it, in index order.
//!
//! A lookup is two shifts, two array reads and, only in boundary cells, the
//! crossing test on the listed grids. All cell edges are whole fixed-point
//! units, so which cell a point falls in is exact integer arithmetic, and the
//! table is built conservatively: a cell is called covered only when no edge
//! of the grid comes within one unit of it.

use std::ops::RangeInclusive;

/// What the index needs to know about its grids to build the table.
pub trait Shapes {
    fn count(&self) -> usize;
    /// `[min x, min y, max x, max y]` in fixed-point units.
    fn fixed_bbox(&self, g: usize) -> [i32; 4];
    fn for_each_edge(&self, g: usize, f: &mut dyn FnMut([i32; 2], [i32; 2]));
    fn contains_fixed(&self, g: usize, x: i32, y: i32) -> bool;
}

/// Leaf cells per grid to aim for, per side: `s ≈ DENSITY × √(grids in the top cell)`.
const DENSITY: f64 = 3.0;
/// Largest subdivision of a top cell, per side (a power of two).
const MAX_SIDE_LOG: u32 = 6;
/// Entry tag: the rest of the entry is a grid that covers the whole cell.
const COVERED: u32 = 1 << 31;

/// What a leaf cell says about a point in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// No grid reaches this cell.
    Empty,
    /// This grid covers the whole cell (and no earlier grid reaches it).
    Covered(u32),
    /// These grids reach the cell, in index order; an entry with the
    /// [`Candidates::covers`] bit covers the cell and ends the list.
    Candidates(Candidates<'a>),
}

/// Grids listed for a boundary cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidates<'a>(&'a [u32]);

impl Candidates<'_> {
    /// Each grid, and whether it covers the cell (then no test is needed).
    pub fn iter(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.0.iter().map(|&c| (c & !COVERED, c & COVERED != 0))
    }
}

#[derive(Debug, Default)]
pub struct CellTable {
    origin: [i64; 2],
    /// log2 of a top cell's side in fixed-point units.
    top_log: u32,
    cols: usize,
    rows: usize,
    /// Per top cell: the first leaf entry and log2 of its subdivision.
    tops: Vec<(u32, u8)>,
    /// Per leaf cell: 0 empty, `COVERED | g`, or `1 + position` in `lists`.
    leaves: Vec<u32>,
    /// Candidate lists, each its length followed by its grids.
    lists: Vec<u32>,
}

impl CellTable {
    /// Builds the table for `shapes`.
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn build(shapes: &impl Shapes) -> Self {
        let n = shapes.count();
        if n == 0 || n >= COVERED as usize {
            return Self::default();
        }
        let boxes: Vec<[i32; 4]> = (0..n).map(|g| shapes.fixed_bbox(g)).collect();
        let extent = boxes
            .iter()
            .fold([i32::MAX, i32::MAX, i32::MIN, i32::MIN], |e, b| {
                [
                    e[0].min(b[0]),
                    e[1].min(b[1]),
                    e[2].max(b[2]),
                    e[3].max(b[3]),
                ]
            });
        let origin = [i64::from(extent[0]), i64::from(extent[1])];
        let (w, h) = (
            i64::from(extent[2]) - origin[0] + 1,
            i64::from(extent[3]) - origin[1] + 1,
        );
        // The smallest power-of-two side that keeps the top cells to about one per grid.
        let mut top_log = 0u32;
        while (w >> top_log) * (h >> top_log) > n as i64 && top_log < 32 {
            top_log += 1;
        }
        let side = 1i64 << top_log;
        let (cols, rows) = (
            ((w + side - 1) >> top_log) as usize,
            ((h + side - 1) >> top_log) as usize,
        );
        let mut table = Self {
            origin,
            top_log,
            cols,
            rows,
            ..Self::default()
        };

        let mut crowd = vec![0u32; cols * rows];
        for b in &boxes {
            let (cs, rs) = table.top_span(b);
            for r in rs {
                for c in cs.clone() {
                    crowd[r * cols + c] += 1;
                }
            }
        }
        let mut next = 0u32;
        table.tops = crowd
            .iter()
            .map(|&k| {
                let want = (DENSITY * f64::from(k).sqrt()).ceil().max(1.0) as u32;
                let log = want
                    .next_power_of_two()
                    .trailing_zeros()
                    .min(MAX_SIDE_LOG)
                    .min(top_log);
                let first = next;
                next = next.saturating_add(1 << (2 * log));
                (first, log as u8)
            })
            .collect();

        // (leaf, grid | COVERED?) for every grid reaching every leaf cell.
        let mut reach: Vec<(u32, u32)> = Vec::new();
        let mut touched: Vec<bool> = Vec::new();
        for (g, b) in boxes.iter().enumerate() {
            let g32 = g as u32;
            let (cs, rs) = table.top_span(b);
            for r in rs {
                for c in cs.clone() {
                    table.rasterize(shapes, g, b, c, r, g32, &mut touched, &mut reach);
                }
            }
        }
        reach.sort_unstable_by_key(|&(leaf, g)| (leaf, g & !COVERED));

        table.leaves = vec![0; next as usize];
        let mut i = 0;
        while i < reach.len() {
            let leaf = reach[i].0;
            let mut j = i;
            while j < reach.len() && reach[j].0 == leaf {
                j += 1;
            }
            let run = &reach[i..j];
            let end = run
                .iter()
                .position(|&(_, g)| g & COVERED != 0)
                .map_or(run.len(), |p| p + 1);
            table.leaves[leaf as usize] = if run[0].1 & COVERED != 0 {
                run[0].1
            } else {
                let at = table.lists.len() as u32;
                table.lists.push(end as u32);
                table.lists.extend(run[..end].iter().map(|&(_, g)| g));
                at + 1
            };
            i = j;
        }
        table.tops.shrink_to_fit();
        table.lists.shrink_to_fit();
        table
    }

    /// Top cell (column, row) of a point at or after the origin, clamped to the table.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn top_of(&self, x: i64, y: i64) -> (usize, usize) {
        let c = ((x - self.origin[0]).max(0) >> self.top_log) as usize;
        let r = ((y - self.origin[1]).max(0) >> self.top_log) as usize;
        (c.min(self.cols - 1), r.min(self.rows - 1))
    }

    /// Top cells (columns, rows) a box spans.
    fn top_span(&self, b: &[i32; 4]) -> (RangeInclusive<usize>, RangeInclusive<usize>) {
        let (c0, r0) = self.top_of(i64::from(b[0]), i64::from(b[1]));
        let (c1, r1) = self.top_of(i64::from(b[2]), i64::from(b[3]));
        (c0..=c1, r0..=r1)
    }

    /// Marks the leaf cells of top cell `(c, r)` that grid `g` reaches.
    #[allow(
        clippy::too_many_arguments,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    fn rasterize(
        &self,
        shapes: &impl Shapes,
        g: usize,
        b: &[i32; 4],
        c: usize,
        r: usize,
        g32: u32,
        touched: &mut Vec<bool>,
        reach: &mut Vec<(u32, u32)>,
    ) {
        let (first, log) = self.tops[r * self.cols + c];
        let log = u32::from(log);
        let s = 1i64 << log;
        let leaf_log = self.top_log - log;
        let leaf = 1i64 << leaf_log;
        let x0 = self.origin[0] + ((c as i64) << self.top_log);
        let y0 = self.origin[1] + ((r as i64) << self.top_log);
        // Leaf coordinate of a position, clamped to this top cell.
        let lx = |x: i64| ((x - x0) >> leaf_log).clamp(0, s - 1);
        let ly = |y: i64| ((y - y0) >> leaf_log).clamp(0, s - 1);
        // Leaf cells the grid's box spans here; edges lie within the box.
        let (ax, bx) = (lx(i64::from(b[0])), lx(i64::from(b[2])));
        let (ay, by) = (ly(i64::from(b[1])), ly(i64::from(b[3])));
        let width = (bx - ax + 1) as usize;
        touched.clear();
        touched.resize(width * (by - ay + 1) as usize, false);
        let top_max = [x0 + (s << leaf_log) - 1, y0 + (s << leaf_log) - 1];
        shapes.for_each_edge(g, &mut |p, q| {
            let (p, q) = (
                [i64::from(p[0]), i64::from(p[1])],
                [i64::from(q[0]), i64::from(q[1])],
            );
            let (ymin, ymax) = (p[1].min(q[1]), p[1].max(q[1]));
            let (xmin, xmax) = (p[0].min(q[0]), p[0].max(q[0]));
            if xmax < x0 - 1 || xmin > top_max[0] + 1 || ymax < y0 - 1 || ymin > top_max[1] + 1 {
                return;
            }
            for row in ly(ymin - 1).max(ay)..=ly(ymax + 1).min(by) {
                // The part of the edge within one unit of this row of cells.
                let band = [y0 + (row << leaf_log) - 1, y0 + ((row + 1) << leaf_log)];
                let (lo, hi) = (ymin.max(band[0]), ymax.min(band[1]));
                if lo > hi {
                    continue;
                }
                let (xa, xb) = if p[1] == q[1] {
                    (xmin, xmax)
                } else {
                    let at = |y: i64| {
                        p[0] as f64
                            + (y - p[1]) as f64 * (q[0] - p[0]) as f64 / (q[1] - p[1]) as f64
                    };
                    let (u, v) = (at(lo), at(hi));
                    (u.min(v).floor() as i64, u.max(v).ceil() as i64)
                };
                if xb < x0 - 1 || xa > top_max[0] + 1 {
                    continue;
                }
                for col in lx(xa - 1).max(ax)..=lx(xb + 1).min(bx) {
                    touched[((row - ay) as usize) * width + (col - ax) as usize] = true;
                }
            }
        });
        for row in ay..=by {
            for col in ax..=bx {
                let at = first + (row * s + col) as u32;
                if touched[((row - ay) as usize) * width + (col - ax) as usize] {
                    reach.push((at, g32));
                } else {
                    // No edge comes near: the whole cell is on one side. Its
                    // middle decides which (a leaf is at least one unit wide).
                    let mx = i32::try_from(x0 + (col << leaf_log) + leaf / 2);
                    let my = i32::try_from(y0 + (row << leaf_log) + leaf / 2);
                    match (mx, my) {
                        (Ok(mx), Ok(my)) if shapes.contains_fixed(g, mx, my) => {
                            reach.push((at, g32 | COVERED))
                        }
                        (Ok(_), Ok(_)) => {}
                        // Beyond the fixed-point range: list it, the test decides.
                        _ => reach.push((at, g32)),
                    }
                }
            }
        }
    }

    /// What the cell holding fixed-point `(x, y)` says.
    #[inline]
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn lookup(&self, x: i32, y: i32) -> Cell<'_> {
        let (dx, dy) = (i64::from(x) - self.origin[0], i64::from(y) - self.origin[1]);
        if dx < 0 || dy < 0 {
            return Cell::Empty;
        }
        let (c, r) = ((dx >> self.top_log) as usize, (dy >> self.top_log) as usize);
        if c >= self.cols || r >= self.rows {
            return Cell::Empty;
        }
        let (first, log) = self.tops[r * self.cols + c];
        let leaf_log = self.top_log - u32::from(log);
        let mask = (1i64 << log) - 1;
        let at = first as usize
            + ((((dy >> leaf_log) & mask) << log) + ((dx >> leaf_log) & mask)) as usize;
        match self.leaves[at] {
            0 => Cell::Empty,
            e if e & COVERED != 0 => Cell::Covered(e & !COVERED),
            e => {
                let at = (e - 1) as usize;
                let len = self.lists[at] as usize;
                Cell::Candidates(Candidates(&self.lists[at + 1..at + 1 + len]))
            }
        }
    }

    /// Leaf cells in the table (for the benchmark's memory figures).
    #[must_use]
    pub fn leaf_count(&self) -> usize {
        self.leaves.len()
    }
}
