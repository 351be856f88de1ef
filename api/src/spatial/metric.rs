//! Small-distance geometry in metres around a WGS84 position, by a local
//! equirectangular projection: exact enough (well under 0.1%) for the few
//! hundred metres of GPS tolerance and sliver widths it is used for.

use gridline_core::coord::EARTH_RADIUS_M;

/// Metres per degree of longitude and of latitude at latitude `lat`.
#[must_use]
pub fn metres_per_degree(lat: f64) -> (f64, f64) {
    let m_lat = EARTH_RADIUS_M.to_radians();
    (m_lat * lat.to_radians().cos(), m_lat)
}

/// Squared distance in metres from `(x, y)` to the segment `a`-`b`, all in
/// degrees, scaled by `k = (m per ° lon, m per ° lat)`.
#[must_use]
pub fn segment_distance_sq_m(x: f64, y: f64, a: [f64; 2], b: [f64; 2], k: (f64, f64)) -> f64 {
    let (px, py) = (x * k.0, y * k.1);
    let (ax, ay) = (a[0] * k.0, a[1] * k.1);
    let (bx, by) = (b[0] * k.0, b[1] * k.1);
    let (dx, dy) = (bx - ax, by - ay);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((px - ax) * dx + (py - ay) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
    qx * qx + qy * qy
}

/// Area in square metres of a closed ring of degrees (absolute value).
#[must_use]
pub fn ring_area_m2(ring: &[[f64; 2]], k: (f64, f64)) -> f64 {
    let mut twice = 0.0;
    for w in ring.windows(2) {
        twice += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    (twice / 2.0).abs() * k.0 * k.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let (lon, lat) = metres_per_degree(38.5);
        assert!((lat - 111_195.0).abs() < 5.0);
        assert!((lon - 111_195.0 * 38.5f64.to_radians().cos()).abs() < 5.0);
    }

    #[test]
    fn distance_to_a_segment_uses_the_nearest_point() {
        let k = (100.0, 100.0);
        assert!(
            (segment_distance_sq_m(0.5, 1.0, [0.0, 0.0], [1.0, 0.0], k) - 10_000.0).abs() < 1e-6
        );
        assert!(
            (segment_distance_sq_m(2.0, 0.0, [0.0, 0.0], [1.0, 0.0], k) - 10_000.0).abs() < 1e-6
        );
    }
}
