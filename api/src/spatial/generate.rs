//! Splitting a county into grids. No grid polygons are public, so demos,
//! tests and benchmarks make them: seeds spread by k-means over points sampled
//! inside the county, their Voronoi diagram (from a Delaunay triangulation, so
//! each Voronoi vertex is computed once), and the county sliced along the
//! Voronoi edges in one planar graph. Neighbouring grids therefore share their
//! edges vertex for vertex: the grids tile the county with no gap and no
//! overlap. The same county, count and seed always give the same grids.

use super::index::Rings;
use super::{overlay, pip};
use geo::InteriorPoint;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use spade::{DelaunayTriangulation, Point2, Triangulation};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("the grid count must be at least 1")]
    ZeroCount,
    #[error("the county boundary encloses no area")]
    EmptyCounty,
    #[error("asked for {asked} grids but the county could be split into only {made}")]
    TooFew { asked: usize, made: usize },
}

/// A small, stable pseudo-random generator (SplitMix64), so that a seed gives
/// the same grids on every machine and with every version of `rand`.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    #[allow(clippy::cast_possible_truncation)]
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Bounding box `[min x, min y, max x, max y]` of all rings.
#[must_use]
pub fn bbox(parts: &Rings) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &[x, y] in parts.iter().flatten().flatten() {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

/// Uniform random points inside the area.
pub fn sample_inside(parts: &Rings, n: usize, rng: &mut SplitMix64) -> Vec<[f64; 2]> {
    let (coords, ends) = flatten(parts);
    let b = bbox(parts);
    let mut out = Vec::with_capacity(n);
    let mut tries = 0usize;
    while out.len() < n && tries < n.saturating_mul(10_000).max(1_000_000) {
        tries += 1;
        let x = b[0] + rng.next_f64() * (b[2] - b[0]);
        let y = b[1] + rng.next_f64() * (b[3] - b[1]);
        if pip::contains_fixed(&coords, &ends, pip::to_fixed(x), pip::to_fixed(y)) {
            out.push([x, y]);
        }
    }
    out
}

/// All rings in one array of fixed-point positions with their end offsets,
/// as [`pip::contains_fixed`] takes them.
#[must_use]
pub fn flatten(parts: &Rings) -> (Vec<[i32; 2]>, Vec<u32>) {
    let mut coords = Vec::new();
    let mut ends = Vec::new();
    for ring in parts.iter().flatten() {
        coords.extend(
            ring.iter()
                .map(|&[x, y]| [pip::to_fixed(x), pip::to_fixed(y)]),
        );
        ends.push(u32::try_from(coords.len()).unwrap_or(u32::MAX));
    }
    (coords, ends)
}

/// Lloyd's k-means: `k` centres for `points`, starting from `k` of them picked
/// at random. Returns the centres and the centre of each point.
pub fn kmeans(
    points: &[[f64; 2]],
    k: usize,
    iterations: usize,
    rng: &mut SplitMix64,
) -> (Vec<[f64; 2]>, Vec<usize>) {
    let k = k.min(points.len()).max(1);
    let mut picked: Vec<usize> = (0..points.len()).collect();
    for i in 0..k {
        let j = i + rng.below(points.len() - i);
        picked.swap(i, j);
    }
    let mut centres: Vec<[f64; 2]> = picked[..k].iter().map(|&i| points[i]).collect();
    let mut labels = vec![0usize; points.len()];
    for round in 0..=iterations {
        let tree = RTree::bulk_load(
            centres
                .iter()
                .enumerate()
                .map(|(i, &c)| GeomWithData::new(c, i))
                .collect(),
        );
        for (p, label) in points.iter().zip(labels.iter_mut()) {
            *label = tree.nearest_neighbor(p).map_or(0, |n| n.data);
        }
        if round == iterations {
            break;
        }
        let mut sums = vec![[0.0f64, 0.0, 0.0]; k];
        for (p, &l) in points.iter().zip(&labels) {
            sums[l][0] += p[0];
            sums[l][1] += p[1];
            sums[l][2] += 1.0;
        }
        for (c, s) in centres.iter_mut().zip(&sums) {
            if s[2] > 0.0 {
                *c = [s[0] / s[2], s[1] / s[2]];
            }
        }
    }
    (centres, labels)
}

/// Splits `county` (WGS84 rings) into `count` grids that tile it exactly.
pub fn split(county: &Rings, count: usize, seed: u64) -> Result<Vec<Rings>, GenerateError> {
    if count == 0 {
        return Err(GenerateError::ZeroCount);
    }
    let b = bbox(county);
    if !(b[2] > b[0] && b[3] > b[1]) {
        return Err(GenerateError::EmptyCounty);
    }
    if count == 1 {
        return Ok(vec![county.clone()]);
    }
    // Work in a frame where a degree of longitude is as long as one of
    // latitude, so cells come out round rather than stretched east-west.
    let kx = ((b[1] + b[3]) / 2.0).to_radians().cos();
    let scaled = map_rings(county, |[x, y]| [x * kx, y]);
    let mut rng = SplitMix64::new(seed);
    let samples = sample_inside(&scaled, (count * 24).max(2_000), &mut rng);
    if samples.len() < count {
        return Err(GenerateError::TooFew {
            asked: count,
            made: samples.len(),
        });
    }
    let (centres, _) = kmeans(&samples, count, 12, &mut rng);
    let seeds = snap_to_samples(&centres, &samples);
    let edges = voronoi_edges(&seeds, bbox(&scaled));
    let faces = overlay::slice(&scaled, &edges);

    let seed_tree = RTree::bulk_load(
        seeds
            .iter()
            .enumerate()
            .map(|(i, &s)| GeomWithData::new(s, i))
            .collect(),
    );
    let mut grids: Vec<Rings> = vec![Vec::new(); seeds.len()];
    for face in faces {
        let Some(inner) = super::geojson_in::to_geo(&face).interior_point() else {
            continue;
        };
        if let Some(owner) = seed_tree.nearest_neighbor(&[inner.x(), inner.y()]) {
            grids[owner.data].extend(face);
        }
    }
    let grids: Vec<Rings> = grids
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| map_rings(&g, |[x, y]| [x / kx, y]))
        .collect();
    if grids.len() < count {
        return Err(GenerateError::TooFew {
            asked: count,
            made: grids.len(),
        });
    }
    Ok(grids)
}

fn map_rings(parts: &Rings, f: impl Fn([f64; 2]) -> [f64; 2]) -> Rings {
    parts
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|r| r.iter().map(|&p| f(p)).collect())
                .collect()
        })
        .collect()
}

/// Moves each centre onto a distinct sample point, so every seed lies inside
/// the county and owns the face around it.
fn snap_to_samples(centres: &[[f64; 2]], samples: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let tree = RTree::bulk_load(
        samples
            .iter()
            .enumerate()
            .map(|(i, &s)| GeomWithData::new(s, i))
            .collect(),
    );
    let mut used = std::collections::HashSet::with_capacity(centres.len());
    centres
        .iter()
        .filter_map(|c| {
            tree.nearest_neighbor_iter(c)
                .find(|s| used.insert(s.data))
                .map(|s| *s.geom())
        })
        .collect()
}

/// The finite Voronoi edges between the seeds, as two-point lines. Four far
/// corners join the triangulation so that every edge a seed's cell has inside
/// `bbox` is finite.
fn voronoi_edges(seeds: &[[f64; 2]], bbox: [f64; 4]) -> Vec<Vec<[f64; 2]>> {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let pad = 10.0 * w.max(h);
    let corners = [
        [bbox[0] - pad, bbox[1] - pad],
        [bbox[2] + pad, bbox[1] - pad],
        [bbox[2] + pad, bbox[3] + pad],
        [bbox[0] - pad, bbox[3] + pad],
    ];
    let mut t: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    for &[x, y] in seeds.iter().chain(&corners) {
        // Seeds are distinct sample points; an insert can only fail for a
        // non-finite position, which sampling never yields.
        let _ = t.insert(Point2::new(x, y));
    }
    let mut edges = Vec::new();
    for edge in t.undirected_edges() {
        let directed = edge.as_directed();
        let (Some(left), Some(right)) =
            (directed.face().as_inner(), directed.rev().face().as_inner())
        else {
            continue;
        };
        let (a, b) = (left.circumcenter(), right.circumcenter());
        if a != b {
            edges.push(vec![[a.x, a.y], [b.x, b.y]]);
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::metric::ring_area_m2;

    /// Area in square degrees: one scale for every grid, so sums compare exactly.
    pub(crate) fn area_deg2(parts: &Rings) -> f64 {
        let k = (1.0, 1.0);
        parts
            .iter()
            .map(|rings| {
                let outer = ring_area_m2(&rings[0], k);
                outer - rings[1..].iter().map(|r| ring_area_m2(r, k)).sum::<f64>()
            })
            .sum()
    }

    fn l_shape() -> Rings {
        // A concave county: an L of 0.2° by 0.2° with a 0.1° bite.
        vec![vec![vec![
            [101.0, 38.0],
            [101.2, 38.0],
            [101.2, 38.1],
            [101.1, 38.1],
            [101.1, 38.2],
            [101.0, 38.2],
            [101.0, 38.0],
        ]]]
    }

    #[test]
    fn grids_tile_the_county_exactly() {
        let county = l_shape();
        let grids = split(&county, 30, 7).unwrap();
        assert_eq!(grids.len(), 30);
        let total: f64 = grids.iter().map(area_deg2).sum();
        let whole = area_deg2(&county);
        // The overlay snaps positions to its integer lattice (about 1e-9° over
        // a county), so the union matches the county to within that.
        assert!(
            (total - whole).abs() / whole < 1e-6,
            "areas {total} vs {whole}"
        );
        // Every interior edge is used by exactly two grids in opposite
        // directions; every other edge lies on the county boundary.
        let mut directed = std::collections::HashMap::new();
        for g in &grids {
            for ring in g.iter().flatten() {
                for w in ring.windows(2) {
                    *directed
                        .entry((w[0].map(f64::to_bits), w[1].map(f64::to_bits)))
                        .or_insert(0) += 1;
                }
            }
        }
        let mut boundary = 0;
        for (&(a, b), &n) in &directed {
            assert_eq!(n, 1, "an edge is used twice in the same direction");
            if !directed.contains_key(&(b, a)) {
                boundary += 1;
            }
        }
        assert!(boundary > 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_grids_and_another_seed_others() {
        let a = split(&l_shape(), 12, 1).unwrap();
        let b = split(&l_shape(), 12, 1).unwrap();
        let c = split(&l_shape(), 12, 2).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn zero_grids_is_an_error() {
        assert_eq!(split(&l_shape(), 0, 1), Err(GenerateError::ZeroCount));
    }
}
