//! Polygon overlay through i_overlay: repair, intersection, slicing. The only
//! place that knows i_overlay's shape layout (open contours, outer ring first).

use super::index::Rings;
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::simplify::SimplifyShape;
use i_overlay::float::single::SingleFloatOverlay;
use i_overlay::float::slice::FloatSlice;

type Shapes = Vec<Vec<Vec<[f64; 2]>>>;

fn to_shapes(parts: &Rings) -> Shapes {
    parts
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|ring| {
                    let mut open = ring.clone();
                    if open.len() > 1 && open.first() == open.last() {
                        open.pop();
                    }
                    open
                })
                .collect()
        })
        .collect()
}

fn from_shapes(shapes: Shapes) -> Rings {
    shapes
        .into_iter()
        .map(|rings| {
            rings
                .into_iter()
                .filter(|r| r.len() >= 3)
                .map(|mut ring| {
                    ring.push(ring[0]);
                    ring
                })
                .collect::<Vec<_>>()
        })
        .filter(|rings: &Vec<_>| !rings.is_empty())
        .collect()
}

/// Re-nodes self-intersecting rings into a valid multipolygon covering the
/// same area (non-zero winding: a doubled-back loop stays filled).
#[must_use]
pub fn repair(parts: &Rings) -> Rings {
    from_shapes(to_shapes(parts).simplify_shape(FillRule::NonZero))
}

/// The area common to `a` and `b`, each read with the even-odd rule (so a
/// multipolygon flattened into one list of rings reads right).
#[must_use]
pub fn intersection_even_odd(a: &Rings, b: &Rings) -> Rings {
    from_shapes(to_shapes(a).overlay(&to_shapes(b), OverlayRule::Intersect, FillRule::EvenOdd))
}

/// Cuts `area` along the `lines` (each a polyline) into the faces they make.
/// The faces share their cut edges vertex for vertex: they come out of one
/// planar graph.
#[must_use]
pub fn slice(area: &Rings, lines: &[Vec<[f64; 2]>]) -> Vec<Rings> {
    to_shapes(area)
        .slice_by(&lines.to_vec(), FillRule::NonZero)
        .into_iter()
        .map(|shape| from_shapes(vec![shape]))
        .filter(|r| !r.is_empty())
        .collect()
}
