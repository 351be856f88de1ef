//! Point in polygon by the crossing number with half-open rules.
//!
//! An edge counts as crossed by the ray going east from `p` when `p.y` lies in
//! the half-open span `[min y, max y)` of the edge and `p.x` is strictly west
//! of the edge's x at `p.y`. The comparison always takes the edge's endpoints
//! in a canonical order (lower y first, then lower x), so two polygons that
//! share an edge, whichever way each winds it, decide the same way. With those two
//! rules, polygons that tile a region assign every point of a shared edge or a
//! shared vertex to exactly one of them: the one to its east (or north).
//!
//! The parity runs over every ring of every part, so holes and multipolygons
//! need no special case. Positions are i32 fixed point (1e-7°, about 1 cm),
//! so the comparison is exact integer arithmetic: two neighbours can never
//! disagree about which side of their shared edge a point is on.

/// Fixed-point units per degree in the index: 1e-7° is about 1 cm.
pub const UNITS_PER_DEGREE: f64 = 1e7;

/// A coordinate in fixed-point units (±180° fits an `i32`).
#[inline]
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub fn to_fixed(degrees: f64) -> i32 {
    (degrees * UNITS_PER_DEGREE).round() as i32
}

/// [`contains`] on fixed-point coordinates, decided exactly in integers: a
/// point on a shared edge is on it for both neighbours, not on one side for
/// one and the other side for the other.
#[inline]
#[must_use]
pub fn contains_fixed(coords: &[[i32; 2]], ring_ends: &[u32], x: i32, y: i32) -> bool {
    let mut inside = false;
    let mut start = 0usize;
    for &end in ring_ends {
        let ring = &coords[start..end as usize];
        start = end as usize;
        for w in ring.windows(2) {
            if crosses_fixed(w[0], w[1], x, y) {
                inside = !inside;
            }
        }
    }
    inside
}

#[inline(always)]
fn crosses_fixed(a: [i32; 2], b: [i32; 2], x: i32, y: i32) -> bool {
    let (lo, hi) = if a[1] < b[1] || (a[1] == b[1] && a[0] <= b[0]) {
        (a, b)
    } else {
        (b, a)
    };
    if !(lo[1] <= y && y < hi[1]) {
        return false;
    }
    if x >= lo[0].max(hi[0]) {
        return false;
    }
    if x < lo[0].min(hi[0]) {
        return true;
    }
    // x < lo.x + (y - lo.y)(hi.x - lo.x)/(hi.y - lo.y), with hi.y > lo.y.
    // Both products are bounded by the edge's span, so they fit an i64.
    let lhs = (i64::from(x) - i64::from(lo[0])) * (i64::from(hi[1]) - i64::from(lo[1]));
    let rhs = (i64::from(y) - i64::from(lo[1])) * (i64::from(hi[0]) - i64::from(lo[0]));
    lhs < rhs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(ring: &[[f64; 2]]) -> Vec<[i32; 2]> {
        ring.iter()
            .map(|&[x, y]| [to_fixed(x), to_fixed(y)])
            .collect()
    }

    fn square(x0: f64, y0: f64, s: f64) -> Vec<[i32; 2]> {
        q(&[
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ])
    }

    fn contains(coords: &[[i32; 2]], ends: &[u32], x: f64, y: f64) -> bool {
        contains_fixed(coords, ends, to_fixed(x), to_fixed(y))
    }

    #[test]
    fn inside_outside_and_holes() {
        let mut coords = square(0.0, 0.0, 10.0);
        coords.extend(square(4.0, 4.0, 2.0));
        let ends = [5, 10];
        assert!(contains(&coords, &ends, 1.0, 1.0));
        assert!(!contains(&coords, &ends, 5.0, 5.0), "in the hole");
        assert!(!contains(&coords, &ends, 11.0, 5.0));
    }

    #[test]
    fn shared_edges_and_vertices_belong_to_exactly_one_of_four_squares() {
        let squares: Vec<Vec<[i32; 2]>> = vec![
            square(0.0, 0.0, 1.0),
            square(1.0, 0.0, 1.0),
            square(0.0, 1.0, 1.0),
            square(1.0, 1.0, 1.0),
        ];
        let probes = [
            (1.0, 0.5),
            (0.5, 1.0),
            (1.0, 1.0),
            (1.0, 1.5),
            (1.5, 1.0),
            (0.3, 0.7),
        ];
        for (x, y) in probes {
            let hits = squares.iter().filter(|s| contains(s, &[5], x, y)).count();
            assert_eq!(hits, 1, "({x}, {y}) hit {hits} squares");
        }
    }

    #[test]
    fn a_shared_edge_at_real_coordinates_splits_exactly_and_inside_stays_inside() {
        let left = q(&[[101.0, 38.0], [101.3, 38.7], [100.5, 38.7], [101.0, 38.0]]);
        let right = q(&[[101.3, 38.7], [101.0, 38.0], [101.8, 38.0], [101.3, 38.7]]);
        for i in 1..1000 {
            let t = f64::from(i) / 1000.0;
            let (x, y) = (to_fixed(101.0 + 0.3 * t), to_fixed(38.0 + 0.7 * t));
            let hits = [&left, &right]
                .iter()
                .filter(|p| contains_fixed(p, &[4], x, y))
                .count();
            assert_eq!(hits, 1, "point {t} along the shared edge");
        }
        assert!(contains_fixed(&left, &[4], to_fixed(101.0), to_fixed(38.5)));
        assert!(!contains_fixed(
            &left,
            &[4],
            to_fixed(101.5),
            to_fixed(38.5)
        ));
    }

    #[test]
    fn a_slanted_shared_edge_is_decided_the_same_from_both_sides() {
        // Two triangles sharing the edge (0,0)-(3,7), wound in opposite directions.
        let left = q(&[[0.0, 0.0], [3.0, 7.0], [-5.0, 7.0], [0.0, 0.0]]);
        let right = q(&[[3.0, 7.0], [0.0, 0.0], [8.0, 0.0], [3.0, 7.0]]);
        for i in 1..1000 {
            let t = f64::from(i) / 1000.0;
            let (x, y) = (3.0 * t, 7.0 * t);
            let hits = [&left, &right]
                .iter()
                .filter(|p| contains(p, &[4], x, y))
                .count();
            assert_eq!(hits, 1, "point {t} along the shared edge");
        }
    }
}
