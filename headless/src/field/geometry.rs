//! Points inside a grid's polygon, for reports made while walking it.

/// Whether `(lon, lat)` lies inside the polygon (outer ring first, then
/// holes), by the even-odd rule.
#[must_use]
pub fn contains(rings: &[Vec<[f64; 2]>], (lon, lat): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in rings {
        for w in ring.windows(2) {
            let ([x1, y1], [x2, y2]) = (w[0], w[1]);
            if (y1 > lat) != (y2 > lat) && lon < x1 + (lat - y1) / (y2 - y1) * (x2 - x1) {
                inside = !inside;
            }
        }
    }
    inside
}

/// A point inside the polygon: the vertex average when it is inside (grids
/// are mostly convex), else the middle of the widest inside stretch of the
/// horizontal line through it.
#[must_use]
pub fn interior_point(rings: &[Vec<[f64; 2]>]) -> Option<(f64, f64)> {
    let outer = rings.first().filter(|r| r.len() >= 4)?;
    let n = outer.len() - 1;
    let (sx, sy) = outer[..n]
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
    #[allow(clippy::cast_precision_loss)]
    let c = (sx / n as f64, sy / n as f64);
    if contains(rings, c) {
        return Some(c);
    }
    let lat = c.1;
    let mut xs: Vec<f64> = rings
        .iter()
        .flat_map(|r| r.windows(2))
        .filter(|w| (w[0][1] > lat) != (w[1][1] > lat))
        .map(|w| w[0][0] + (lat - w[0][1]) / (w[1][1] - w[0][1]) * (w[1][0] - w[0][0]))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map(|s| ((s[0] + s[1]) / 2.0, lat))
        .filter(|p| contains(rings, *p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_point_inside_a_concave_grid() {
        // A U shape: its vertex average falls in the notch.
        let u = vec![vec![
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 3.0],
            [2.0, 3.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 3.0],
            [0.0, 3.0],
            [0.0, 0.0],
        ]];
        assert!(!contains(&u, (1.5, 2.0)));
        let p = interior_point(&u).expect("a point");
        assert!(contains(&u, p), "{p:?}");
        let square_with_hole = vec![
            vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]],
            vec![[1.0, 1.0], [1.0, 3.0], [3.0, 3.0], [3.0, 1.0], [1.0, 1.0]],
        ];
        let p = interior_point(&square_with_hole).expect("a point");
        assert!(contains(&square_with_hole, p) && !contains(&square_with_hole, (2.0, 2.0)));
    }
}
