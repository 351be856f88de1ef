//! GCJ-02, the offset system that Chinese maps use by law.
//!
//! The forward transform (WGS84 → GCJ-02) is a published closed form. It has no
//! closed-form inverse, so GCJ-02 → WGS84 iterates the forward transform until
//! the round trip agrees to well under a millimetre. Points outside China's
//! bounding box are not shifted, as the Chinese map providers do.

const SEMI_MAJOR: f64 = 6_378_245.0; // Krasovsky 1940
const ECCENTRICITY_SQ: f64 = 0.006_693_421_622_965_943;

/// Whether the point lies outside the box in which GCJ-02 shifts positions.
#[must_use]
pub fn outside_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn shift(lon: f64, lat: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    let x = lon - 105.0;
    let y = lat - 35.0;
    let mut dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    dlat += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    dlon += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;

    let rad_lat = lat.to_radians();
    let magic = 1.0 - ECCENTRICITY_SQ * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let dlat =
        (dlat * 180.0) / ((SEMI_MAJOR * (1.0 - ECCENTRICITY_SQ)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (SEMI_MAJOR / sqrt_magic * rad_lat.cos() * PI);
    (dlon, dlat)
}

/// WGS84 `(lon, lat)` → GCJ-02 `(lon, lat)`.
#[must_use]
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if outside_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = shift(lon, lat);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 `(lon, lat)` → WGS84 `(lon, lat)`, by fixed-point iteration on the
/// forward transform. The shift varies slowly (its derivative is ~1e-5), so
/// each step gains about five decimal digits; three or four steps reach 1e-10°.
#[must_use]
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if outside_china(lon, lat) {
        return (lon, lat);
    }
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..10 {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-11 && elat.abs() < 1e-11 {
            break;
        }
    }
    (wlon, wlat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::haversine_m;

    #[test]
    fn round_trip_error_is_far_below_half_a_metre_across_china() {
        let mut worst = 0.0f64;
        let mut lat = 18.0;
        while lat <= 53.5 {
            let mut lon = 73.5;
            while lon <= 135.0 {
                let (glon, glat) = wgs84_to_gcj02(lon, lat);
                let shifted = haversine_m(lon, lat, glon, glat);
                assert!(
                    (1.0..1500.0).contains(&shifted),
                    "shift {shifted} m at {lon},{lat}"
                );
                let (wlon, wlat) = gcj02_to_wgs84(glon, glat);
                worst = worst.max(haversine_m(lon, lat, wlon, wlat));
                lon += 0.37;
            }
            lat += 0.29;
        }
        assert!(worst < 0.5, "worst round trip error {worst} m");
        assert!(
            worst < 0.001,
            "iteration should converge to sub-millimetre, got {worst} m"
        );
    }

    #[test]
    fn points_outside_china_are_not_shifted() {
        for (lon, lat) in [
            (-122.4194, 37.7749),
            (2.3522, 48.8566),
            (139.6917, 35.6895),
            (151.2, -33.9),
        ] {
            assert_eq!(wgs84_to_gcj02(lon, lat), (lon, lat));
            assert_eq!(gcj02_to_wgs84(lon, lat), (lon, lat));
        }
    }

    #[test]
    fn known_offset_in_beijing() {
        // Tiananmen: GCJ-02 lies about 100-700 m from WGS84 and to the east.
        let (glon, glat) = wgs84_to_gcj02(116.391_275, 39.906_217);
        assert!(glon > 116.391_275);
        let d = haversine_m(116.391_275, 39.906_217, glon, glat);
        assert!((100.0..700.0).contains(&d), "{d}");
    }
}
