//! One immutable picture of the territory: every org unit, and the index of
//! every grid polygon. Requests hold an `Arc` of it; a rebuild swaps in a new one.

use crate::spatial::index::{Assignment, GridIndex};
use crate::spatial::wkb;
use crate::store::{Store, StoreError, StoreResult};
use gridline_core::department::DepartmentKind;
use gridline_core::{GeoPoint, OrgUnitId, OrgUnitKind};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct UnitNode {
    pub id: OrgUnitId,
    pub kind: OrgUnitKind,
    pub code: String,
    pub name: String,
    pub parent: Option<u32>,
    pub department: Option<DepartmentKind>,
}

/// A grid and the units above it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chain<'a> {
    pub grid: Option<&'a UnitNode>,
    pub village: Option<&'a UnitNode>,
    pub township: Option<&'a UnitNode>,
    pub county: Option<&'a UnitNode>,
}

#[derive(Debug)]
pub struct Territory {
    pub version: i64,
    units: Vec<UnitNode>,
    by_code: HashMap<String, u32>,
    by_id: HashMap<OrgUnitId, u32>,
    /// Department units under each unit (others are not needed by lookups).
    children: HashMap<u32, Vec<u32>>,
    /// Each grid's data is its position in `units`.
    pub index: GridIndex<u32>,
}

impl Territory {
    pub async fn load(store: &dyn Store, near_m: f64) -> StoreResult<Self> {
        // Read the version first: if a write lands while we read, the next
        // refresh sees a newer version and rebuilds again.
        let version = store.territory_version().await?;
        let stored = store.org_units().await?;
        let by_id: HashMap<OrgUnitId, u32> = stored
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let units: Vec<UnitNode> = stored
            .iter()
            .map(|u| UnitNode {
                id: u.id,
                kind: u.kind,
                code: u.code.clone(),
                name: u.name.clone(),
                parent: u.parent_id.and_then(|p| by_id.get(&p).copied()),
                department: u.department,
            })
            .collect();
        let by_code = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let (Some(p), Some(_)) = (u.parent, u.department) {
                children
                    .entry(p)
                    .or_default()
                    .push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        let mut shapes = Vec::new();
        for shape in store.grid_shapes().await? {
            let unit = *by_id
                .get(&shape.org_unit_id)
                .ok_or_else(|| StoreError::Corrupt("grid shape without unit".into()))?;
            let rings = wkb::decode(&shape.wkb).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            shapes.push((unit, rings));
        }
        // Units are sorted by code, so this orders grids by code: on a
        // tolerated overlap the grid with the lower code wins, everywhere.
        shapes.sort_unstable_by_key(|(unit, _)| *unit);
        let index = GridIndex::build(shapes, near_m);
        Ok(Self {
            version,
            units,
            by_code,
            by_id,
            children,
            index,
        })
    }

    #[must_use]
    pub fn units(&self) -> &[UnitNode] {
        &self.units
    }

    #[must_use]
    pub fn unit(&self, i: u32) -> &UnitNode {
        &self.units[i as usize]
    }

    #[must_use]
    pub fn by_code(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    #[must_use]
    pub fn by_id(&self, id: OrgUnitId) -> Option<u32> {
        self.by_id.get(&id).copied()
    }

    /// The unit and everything above it, by kind.
    #[must_use]
    pub fn chain(&self, unit: u32) -> Chain<'_> {
        let mut chain = Chain::default();
        let mut at = Some(unit);
        while let Some(i) = at {
            let node = &self.units[i as usize];
            match node.kind {
                OrgUnitKind::Grid | OrgUnitKind::MicroGrid => {
                    if chain.grid.is_none() {
                        chain.grid = Some(node);
                    }
                }
                OrgUnitKind::Village => chain.village = Some(node),
                OrgUnitKind::Township => chain.township = Some(node),
                OrgUnitKind::County => chain.county = Some(node),
                OrgUnitKind::Department => {}
            }
            at = node.parent;
        }
        chain
    }

    /// The department of `kind` closest above `unit`: one directly under
    /// the unit or an ancestor, nearest first (a township's judicial office
    /// before the county's).
    #[must_use]
    pub fn department_for(&self, unit: u32, kind: DepartmentKind) -> Option<u32> {
        let mut at = Some(unit);
        while let Some(i) = at {
            if let Some(&d) = self.children.get(&i).and_then(|c| {
                c.iter()
                    .find(|&&c| self.units[c as usize].department == Some(kind))
            }) {
                return Some(d);
            }
            at = self.units[i as usize].parent;
        }
        None
    }

    /// Every department directly under `unit` or one of its ancestors,
    /// nearest first: those that may be asked to co-handle its cases.
    #[must_use]
    pub fn departments_above(&self, unit: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = Some(unit);
        while let Some(i) = at {
            out.extend(
                self.children
                    .get(&i)
                    .into_iter()
                    .flatten()
                    .filter(|&&c| self.units[c as usize].department.is_some()),
            );
            at = self.units[i as usize].parent;
        }
        out
    }

    /// Whether `unit` is `root` or lies below it.
    #[must_use]
    pub fn within(&self, unit: u32, root: u32) -> bool {
        let mut at = Some(unit);
        while let Some(i) = at {
            if i == root {
                return true;
            }
            at = self.units[i as usize].parent;
        }
        false
    }

    /// Places a point: the assignment and the unit (in `units`) of its grid.
    #[must_use]
    pub fn locate(&self, point: GeoPoint) -> (Assignment, Option<u32>) {
        let a = self.index.locate(point.lon.degrees(), point.lat.degrees());
        let unit = a.grid().map(|g| self.index.grids()[g].data);
        (a, unit)
    }
}
