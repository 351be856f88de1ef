//! The in-memory grid index: a packed R-tree over grid bounding boxes, with the
//! polygons' coordinates packed in one array. It is a cache rebuilt from the
//! store whenever the territory changes; nothing in it is the only copy.
//!
//! Assignment rules (DESIGN.md section 4):
//! - a point inside a grid gets that grid;
//! - a point on an edge shared by two grids gets exactly one of them, always
//!   the same (the half-open rule in [`super::pip`]); should grids overlap
//!   within the import tolerance, the grid that sorts first wins;
//! - a point outside every grid but within `near_m` metres of one gets the
//!   nearest and its distance;
//! - anything else is unassigned: the county centre's queue.

use super::cells::{Cell, CellTable, Shapes};
use super::metric::{metres_per_degree, segment_distance_sq_m};
use super::pip::{self, UNITS_PER_DEGREE, to_fixed};
use super::rtree::PackedRTree;
use std::ops::Range;

/// A polygon or multipolygon as plain rings: parts → rings → positions
/// `[lon, lat]` in WGS84, each ring closed.
pub type Rings = Vec<Vec<Vec<[f64; 2]>>>;

/// Where a point was placed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assignment {
    /// Inside grid number `0` (an index into [`GridIndex::grids`]).
    Inside(usize),
    /// Outside every grid, `distance_m` from the nearest one.
    Near(usize, f64),
    /// In no grid and near none.
    Unassigned,
}

impl Assignment {
    #[must_use]
    pub fn grid(self) -> Option<usize> {
        match self {
            Assignment::Inside(g) | Assignment::Near(g, _) => Some(g),
            Assignment::Unassigned => None,
        }
    }

    #[must_use]
    pub fn distance_m(self) -> f64 {
        match self {
            Assignment::Near(_, d) => d,
            _ => 0.0,
        }
    }
}

/// One grid in the index and whatever the caller attached to it.
#[derive(Debug, Clone)]
pub struct IndexedGrid<T> {
    pub data: T,
    coords: Range<u32>,
    rings: Range<u32>,
    pub bbox: [f64; 4],
}

#[derive(Debug)]
pub struct GridIndex<T> {
    grids: Vec<IndexedGrid<T>>,
    /// Every vertex in fixed point (1e-7°): half the bytes of `f64` pairs,
    /// and the crossing test is exact.
    coords: Vec<[i32; 2]>,
    /// End of each ring, relative to its grid's first coordinate.
    ring_ends: Vec<u32>,
    /// Box searches: the nearest grid, grids meeting a window.
    tree: PackedRTree,
    /// Point lookups: which grid holds a point.
    cells: CellTable,
    near_m: f64,
}

impl<T> GridIndex<T> {
    /// Builds the index. Grids keep the order given: on a tolerated overlap
    /// the earlier grid wins, so callers pass them in a stable order (the
    /// store sorts by code).
    pub fn build(items: impl IntoIterator<Item = (T, Rings)>, near_m: f64) -> Self {
        let mut grids = Vec::new();
        let mut coords: Vec<[i32; 2]> = Vec::new();
        let mut ring_ends = Vec::new();
        let mut boxes = Vec::new();
        for (data, parts) in items {
            let c0 = coords.len();
            let r0 = ring_ends.len();
            let mut bbox = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for ring in parts.iter().flatten() {
                for &[x, y] in ring {
                    bbox = [
                        bbox[0].min(x),
                        bbox[1].min(y),
                        bbox[2].max(x),
                        bbox[3].max(y),
                    ];
                    coords.push([to_fixed(x), to_fixed(y)]);
                }
                ring_ends.push(to_u32(coords.len() - c0));
            }
            if coords.len() == c0 {
                continue;
            }
            let grid_coords = &coords[c0..];
            let fixed_box = grid_coords.iter().fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |b, &[x, y]| {
                    let (x, y) = (f64::from(x), f64::from(y));
                    [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
                },
            );
            boxes.push(fixed_box);
            grids.push(IndexedGrid {
                data,
                coords: to_u32(c0)..to_u32(coords.len()),
                rings: to_u32(r0)..to_u32(ring_ends.len()),
                bbox,
            });
        }
        coords.shrink_to_fit();
        ring_ends.shrink_to_fit();
        let mut index = Self {
            grids,
            coords,
            ring_ends,
            tree: PackedRTree::new(&boxes),
            cells: CellTable::default(),
            near_m,
        };
        index.cells = CellTable::build(&index);
        index
    }

    #[must_use]
    pub fn grids(&self) -> &[IndexedGrid<T>] {
        &self.grids
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.grids.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }

    #[must_use]
    pub fn vertex_count(&self) -> usize {
        self.coords.len()
    }

    /// The tolerance in metres within which an outside point goes to the nearest grid.
    #[must_use]
    pub fn near_m(&self) -> f64 {
        self.near_m
    }

    fn fixed_rings(&self, i: usize) -> impl Iterator<Item = &[[i32; 2]]> {
        let g = &self.grids[i];
        let coords = &self.coords[range(&g.coords)];
        let mut start = 0usize;
        self.ring_ends[range(&g.rings)].iter().map(move |&end| {
            let ring = &coords[start..end as usize];
            start = end as usize;
            ring
        })
    }

    /// The rings of grid `i` in degrees (to the index's 1e-7°), for export and checks.
    pub fn rings(&self, i: usize) -> impl Iterator<Item = Vec<[f64; 2]>> + '_ {
        self.fixed_rings(i).map(|ring| {
            ring.iter()
                .map(|&[x, y]| {
                    [
                        f64::from(x) / UNITS_PER_DEGREE,
                        f64::from(y) / UNITS_PER_DEGREE,
                    ]
                })
                .collect()
        })
    }

    /// Whether grid `i` contains the point (half-open rule).
    #[inline]
    #[must_use]
    pub fn contains(&self, i: usize, lon: f64, lat: f64) -> bool {
        self.contains_fixed(i, to_fixed(lon), to_fixed(lat))
    }

    #[inline]
    fn contains_fixed(&self, i: usize, x: i32, y: i32) -> bool {
        let g = &self.grids[i];
        pip::contains_fixed(
            &self.coords[range(&g.coords)],
            &self.ring_ends[range(&g.rings)],
            x,
            y,
        )
    }

    /// Places a WGS84 point.
    #[must_use]
    pub fn locate(&self, lon: f64, lat: f64) -> Assignment {
        let (x, y) = (to_fixed(lon), to_fixed(lat));
        match self.cells.lookup(x, y) {
            Cell::Empty => {}
            Cell::Covered(g) => return Assignment::Inside(g as usize),
            Cell::Candidates(list) => {
                // In index order, so the earliest grid holding the point wins.
                for (g, covers) in list.iter() {
                    if covers || self.contains_fixed(g as usize, x, y) {
                        return Assignment::Inside(g as usize);
                    }
                }
            }
        }
        match self.nearest_within(lon, lat, self.near_m) {
            Some((g, d)) => Assignment::Near(g, d),
            None => Assignment::Unassigned,
        }
    }

    /// The grids containing the point, in index order: one on a proper tiling.
    /// For checks and tests; [`Self::locate`] is the production path.
    #[must_use]
    pub fn all_containing(&self, lon: f64, lat: f64) -> Vec<usize> {
        let (x, y) = (to_fixed(lon), to_fixed(lat));
        let mut hits = Vec::new();
        self.tree.search_point(f64::from(x), f64::from(y), |g| {
            if self.contains_fixed(g as usize, x, y) {
                hits.push(g as usize);
            }
        });
        hits.sort_unstable();
        hits
    }

    /// The nearest grid whose boundary lies within `max_m` metres, and the distance.
    #[must_use]
    pub fn nearest_within(&self, lon: f64, lat: f64, max_m: f64) -> Option<(usize, f64)> {
        if max_m <= 0.0 {
            return None;
        }
        let k = metres_per_degree(lat);
        let (dlon, dlat) = (max_m / k.0.max(1.0), max_m / k.1);
        let window = [lon - dlon, lat - dlat, lon + dlon, lat + dlat]
            .map(|v| (v * UNITS_PER_DEGREE).round());
        let mut best: Option<(u32, f64)> = None;
        self.tree.search_box(window, |g| {
            let d = self.boundary_distance_sq_m(g as usize, lon, lat, k);
            let better = match best {
                None => true,
                Some((b, bd)) => d < bd || (d == bd && g < b),
            };
            if better {
                best = Some((g, d));
            }
        });
        best.map(|(g, d2)| (g as usize, d2.sqrt()))
            .filter(|&(_, d)| d <= max_m)
    }

    fn boundary_distance_sq_m(&self, i: usize, lon: f64, lat: f64, k: (f64, f64)) -> f64 {
        let deg = |[x, y]: [i32; 2]| {
            [
                f64::from(x) / UNITS_PER_DEGREE,
                f64::from(y) / UNITS_PER_DEGREE,
            ]
        };
        self.fixed_rings(i)
            .flat_map(|ring| ring.windows(2))
            .map(|w| segment_distance_sq_m(lon, lat, deg(w[0]), deg(w[1]), k))
            .fold(f64::INFINITY, f64::min)
    }

    /// Candidates whose bounding box meets the box `[min_lon, min_lat, max_lon, max_lat]`.
    #[must_use]
    pub fn intersecting_bbox(&self, bbox: [f64; 4]) -> Vec<usize> {
        let mut out = Vec::new();
        self.tree
            .search_box(bbox.map(|v| (v * UNITS_PER_DEGREE).round()), |g| {
                out.push(g as usize)
            });
        out.sort_unstable();
        out
    }

    /// The same question as [`Self::locate`] answered by testing every grid in
    /// turn: the baseline the benchmark compares against, and a cross-check.
    #[must_use]
    pub fn locate_linear(&self, lon: f64, lat: f64) -> Option<usize> {
        (0..self.grids.len()).find(|&i| {
            let b = self.grids[i].bbox;
            // The box is in degrees; widen it by the fixed-point step.
            let e = 1.0 / UNITS_PER_DEGREE;
            lon >= b[0] - e
                && lon <= b[2] + e
                && lat >= b[1] - e
                && lat <= b[3] + e
                && self.contains(i, lon, lat)
        })
    }
}

impl<T> Shapes for GridIndex<T> {
    fn count(&self) -> usize {
        self.grids.len()
    }

    fn fixed_bbox(&self, g: usize) -> [i32; 4] {
        self.coords[range(&self.grids[g].coords)]
            .iter()
            .fold([i32::MAX, i32::MAX, i32::MIN, i32::MIN], |b, &[x, y]| {
                [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
            })
    }

    fn for_each_edge(&self, g: usize, f: &mut dyn FnMut([i32; 2], [i32; 2])) {
        for ring in self.fixed_rings(g) {
            for w in ring.windows(2) {
                f(w[0], w[1]);
            }
        }
    }

    fn contains_fixed(&self, g: usize, x: i32, y: i32) -> bool {
        GridIndex::contains_fixed(self, g, x, y)
    }
}

fn range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("grid index holds fewer than 2^32 vertices")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Rings {
        vec![vec![vec![
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ]]]
    }

    fn chessboard() -> GridIndex<&'static str> {
        // Four 0.01° squares near Shandan, sharing edges and a corner.
        GridIndex::build(
            [
                ("sw", square(101.0, 38.0, 0.01)),
                ("se", square(101.01, 38.0, 0.01)),
                ("nw", square(101.0, 38.01, 0.01)),
                ("ne", square(101.01, 38.01, 0.01)),
            ],
            100.0,
        )
    }

    #[test]
    fn inside_points_get_their_grid() {
        let idx = chessboard();
        assert_eq!(idx.locate(101.005, 38.005), Assignment::Inside(0));
        assert_eq!(idx.locate(101.015, 38.015), Assignment::Inside(3));
        assert_eq!(idx.grids()[3].data, "ne");
    }

    #[test]
    fn shared_edges_and_the_shared_corner_go_to_one_grid_always() {
        let idx = chessboard();
        for (lon, lat) in [
            (101.01, 38.005),
            (101.005, 38.01),
            (101.01, 38.01),
            (101.015, 38.01),
        ] {
            let hits = idx.all_containing(lon, lat);
            assert_eq!(hits.len(), 1, "({lon}, {lat}) -> {hits:?}");
            assert_eq!(idx.locate(lon, lat), Assignment::Inside(hits[0]));
            assert_eq!(idx.locate(lon, lat), idx.locate(lon, lat));
        }
    }

    #[test]
    fn a_point_just_outside_goes_to_the_nearest_grid_with_its_distance() {
        let idx = chessboard();
        // 0.0005° of latitude south of the board is about 55.6 m.
        let a = idx.locate(101.005, 37.9995);
        let Assignment::Near(g, d) = a else {
            panic!("{a:?}")
        };
        assert_eq!(g, 0);
        assert!((d - 55.6).abs() < 0.5, "{d}");
        // 0.002° (about 222 m) is beyond the 100 m tolerance.
        assert_eq!(idx.locate(101.005, 37.998), Assignment::Unassigned);
    }

    #[test]
    fn overlapping_grids_resolve_to_the_first_in_order() {
        let idx = GridIndex::build(
            [("a", square(0.5, 0.5, 1.0)), ("b", square(0.0, 0.0, 1.0))],
            0.0,
        );
        assert_eq!(idx.locate(0.75, 0.75), Assignment::Inside(0));
        assert_eq!(idx.all_containing(0.75, 0.75), vec![0, 1]);
    }

    #[test]
    fn linear_scan_agrees_with_the_tree() {
        let idx = chessboard();
        for i in 0..400 {
            let lon = 100.995 + f64::from(i % 20) * 0.0015;
            let lat = 37.995 + f64::from(i / 20) * 0.0015;
            let tree = match idx.locate(lon, lat) {
                Assignment::Inside(g) => Some(g),
                _ => None,
            };
            assert_eq!(tree, idx.locate_linear(lon, lat), "({lon}, {lat})");
        }
    }

    #[test]
    fn the_cell_table_agrees_with_a_scan_everywhere_including_vertices_and_edges() {
        use crate::spatial::generate::{SplitMix64, split};
        // An irregular region with a hole, cut into 300 Voronoi grids, with
        // one grid overlapping others at the front and a far-away island.
        let outer = vec![
            [100.0, 38.0],
            [100.9, 37.9],
            [101.4, 38.5],
            [100.8, 38.45],
            [100.6, 38.9],
            [100.05, 38.6],
            [100.0, 38.0],
        ];
        let hole = vec![
            [100.5, 38.2],
            [100.5, 38.3],
            [100.6, 38.3],
            [100.6, 38.2],
            [100.5, 38.2],
        ];
        let mut grids = split(&vec![vec![outer, hole]], 300, 7).unwrap();
        grids.insert(0, square(100.7, 38.3, 0.05));
        grids.push(square(104.0, 30.0, 0.001));
        let idx = GridIndex::build(grids.into_iter().enumerate(), 0.0);
        let scan = |x: f64, y: f64| idx.locate_linear(x, y);
        let mut probes: Vec<[f64; 2]> = Vec::new();
        for g in 0..idx.len() {
            for ring in idx.rings(g) {
                for w in ring.windows(2) {
                    probes.push(w[0]);
                    probes.push([(w[0][0] + w[1][0]) / 2.0, (w[0][1] + w[1][1]) / 2.0]);
                }
            }
        }
        let mut rng = SplitMix64::new(11);
        probes.extend(
            (0..50_000).map(|_| [99.95 + rng.next_f64() * 1.5, 37.85 + rng.next_f64() * 1.1]),
        );
        probes.extend((0..2_000).map(|_| {
            [
                104.0 + rng.next_f64() * 0.001,
                30.0 + rng.next_f64() * 0.001,
            ]
        }));
        let mut inside = 0;
        for [x, y] in probes {
            let got = idx.locate(x, y).grid();
            assert_eq!(got, scan(x, y), "({x}, {y})");
            inside += usize::from(got.is_some());
        }
        assert!(inside > 25_000, "many probes land in grids: {inside}");
    }
}
