//! Everything geometric the server does, in memory and without I/O: the grid
//! index that assigns points, GeoJSON parsing and validation, grid generation,
//! and the binary polygon encoding the store keeps.

pub mod cells;
pub mod generate;
pub mod geojson_in;
pub mod index;
pub mod metric;
pub mod naming;
pub mod overlay;
pub mod pip;
pub mod rtree;
pub mod wkb;

pub use index::{Assignment, GridIndex, IndexedGrid};
