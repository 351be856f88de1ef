//! A static packed R-tree: boxes sorted along a Hilbert curve and packed 16
//! to a node, every level in one flat array. Built once per territory
//! snapshot and never changed, it needs no pointers and no rebalancing, and a
//! lookup walks a few cache-friendly runs of 16 boxes per level.

const NODE_SIZE: usize = 16;

/// Boxes are `[min x, min y, max x, max y]`.
pub type Bbox = [f64; 4];

#[derive(Debug, Default)]
pub struct PackedRTree {
    /// Leaves first (one per item, in Hilbert order), then each parent level.
    boxes: Vec<Bbox>,
    /// For a leaf: the item's index. For a parent: the position of its first child.
    refs: Vec<u32>,
    /// The end (exclusive) of each level in `boxes`, leaves first.
    level_ends: Vec<usize>,
    items: usize,
}

fn union(a: Bbox, b: Bbox) -> Bbox {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

#[inline(always)]
fn holds(b: &Bbox, x: f64, y: f64) -> bool {
    x >= b[0] && y >= b[1] && x <= b[2] && y <= b[3]
}

#[inline(always)]
fn meets(a: &Bbox, b: &Bbox) -> bool {
    a[0] <= b[2] && a[1] <= b[3] && a[2] >= b[0] && a[3] >= b[1]
}

/// Position of cell `(x, y)` along the Hilbert curve filling an `n × n`
/// square (`n` a power of two).
fn hilbert(n: u32, mut x: u32, mut y: u32) -> u64 {
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

impl PackedRTree {
    /// Indexes `boxes`; a search reports items by their position in it.
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn new(boxes: &[Bbox]) -> Self {
        let n = boxes.len();
        if n == 0 {
            return Self::default();
        }
        let extent = boxes.iter().copied().reduce(union).unwrap_or([0.0; 4]);
        let (w, h) = (
            (extent[2] - extent[0]).max(f64::MIN_POSITIVE),
            (extent[3] - extent[1]).max(f64::MIN_POSITIVE),
        );
        const SIDE: u32 = 1 << 16;
        let cell = |v: f64| ((v * f64::from(SIDE - 1)) as u32).min(SIDE - 1);
        let mut order: Vec<(u64, u32)> = boxes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let cx = ((b[0] + b[2]) / 2.0 - extent[0]) / w;
                let cy = ((b[1] + b[3]) / 2.0 - extent[1]) / h;
                (
                    hilbert(SIDE, cell(cx), cell(cy)),
                    u32::try_from(i).unwrap_or(u32::MAX),
                )
            })
            .collect();
        order.sort_unstable();

        let mut tree = Self {
            boxes: Vec::with_capacity(n + n / (NODE_SIZE - 1) + 2),
            refs: Vec::new(),
            level_ends: Vec::new(),
            items: n,
        };
        tree.refs.reserve(tree.boxes.capacity());
        for &(_, i) in &order {
            tree.boxes.push(boxes[i as usize]);
            tree.refs.push(i);
        }
        tree.level_ends.push(n);
        let mut start = 0;
        while tree.boxes.len() - start > 1 {
            let end = tree.boxes.len();
            let mut child = start;
            while child < end {
                let last = (child + NODE_SIZE).min(end);
                let b = tree.boxes[child..last]
                    .iter()
                    .copied()
                    .reduce(union)
                    .unwrap_or([0.0; 4]);
                tree.boxes.push(b);
                tree.refs.push(u32::try_from(child).unwrap_or(u32::MAX));
                child = last;
            }
            tree.level_ends.push(tree.boxes.len());
            start = end;
        }
        tree.boxes.shrink_to_fit();
        tree.refs.shrink_to_fit();
        tree
    }

    /// Calls `found` with every item whose box holds the point.
    #[inline]
    pub fn search_point(&self, x: f64, y: f64, found: impl FnMut(u32)) {
        self.search(|b| holds(b, x, y), found);
    }

    /// Calls `found` with every item whose box meets `window`.
    pub fn search_box(&self, window: Bbox, found: impl FnMut(u32)) {
        self.search(|b| meets(b, &window), found);
    }

    #[inline]
    fn search(&self, hit: impl Fn(&Bbox) -> bool, mut found: impl FnMut(u32)) {
        if self.boxes.is_empty() {
            return;
        }
        // (first position of a run of siblings, its level). At most 16
        // entries wait per level and a u32-indexed tree has at most 8 levels
        // above the leaves, so a fixed array holds the whole stack: a lookup
        // allocates nothing.
        let mut stack = [(0u32, 0u8); NODE_SIZE * 9];
        let mut depth = 0usize;
        let mut node = (self.boxes.len() - 1, self.level_ends.len() - 1);
        loop {
            let (first, level) = node;
            let end = (first + NODE_SIZE).min(self.level_ends[level]);
            for pos in first..end {
                if !hit(&self.boxes[pos]) {
                    continue;
                }
                if level == 0 {
                    found(self.refs[pos]);
                } else {
                    stack[depth] = (self.refs[pos], u8::try_from(level - 1).unwrap_or(0));
                    depth += 1;
                }
            }
            if depth == 0 {
                break;
            }
            depth -= 1;
            node = (stack[depth].0 as usize, usize::from(stack[depth].1));
        }
    }

    /// Number of items indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::generate::SplitMix64;

    #[test]
    fn finds_exactly_what_a_scan_finds() {
        let mut rng = SplitMix64::new(3);
        let boxes: Vec<Bbox> = (0..5_000)
            .map(|_| {
                let (x, y) = (rng.next_f64() * 100.0, rng.next_f64() * 50.0);
                [x, y, x + rng.next_f64() * 3.0, y + rng.next_f64() * 3.0]
            })
            .collect();
        let tree = PackedRTree::new(&boxes);
        for _ in 0..2_000 {
            let (x, y) = (rng.next_f64() * 100.0, rng.next_f64() * 50.0);
            let mut got = Vec::new();
            tree.search_point(x, y, |i| got.push(i));
            got.sort_unstable();
            let want: Vec<u32> = (0..boxes.len())
                .filter(|&i| holds(&boxes[i], x, y))
                .map(|i| i as u32)
                .collect();
            assert_eq!(got, want);
            let window = [x, y, x + 1.0, y + 1.0];
            let mut got = Vec::new();
            tree.search_box(window, |i| got.push(i));
            got.sort_unstable();
            let want: Vec<u32> = (0..boxes.len())
                .filter(|&i| meets(&boxes[i], &window))
                .map(|i| i as u32)
                .collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn empty_and_single_trees_answer() {
        let empty = PackedRTree::new(&[]);
        empty.search_point(1.0, 1.0, |_| panic!("nothing to find"));
        let one = PackedRTree::new(&[[0.0, 0.0, 1.0, 1.0]]);
        let mut n = 0;
        one.search_point(1.0, 1.0, |_| n += 1);
        assert_eq!(n, 1, "box edges are inclusive");
    }

    #[test]
    fn the_hilbert_curve_visits_every_cell_once() {
        let mut seen: Vec<u64> = (0..16)
            .flat_map(|x| (0..16).map(move |y| hilbert(16, x, y)))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..256).collect::<Vec<u64>>());
    }
}
