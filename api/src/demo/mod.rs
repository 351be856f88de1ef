//! `gridline demo`: Shandan county (620725, Zhangye, Gansu) split into the
//! 225 grids its article reports, grouped under its ten real townships, and
//! one account per role.

mod month;

pub use month::{MonthReport, seed_month};

use crate::auth::password;
use crate::spatial::geojson_in::{self, ReadOptions};
use crate::spatial::{generate, naming};
use crate::store::{NewUser, Store, StoreError};
use crate::territory::{ImportOptions, TerritoryService};
use gridline_core::{Crs, OrgUnitKind, Role, UserId};

/// Shandan's boundary (GCJ-02, DataV GeoAtlas; see assets/README.md).
pub const SHANDAN_GEOJSON: &str = include_str!("../../assets/shandan_620725.json");
pub const SHANDAN_CODE: &str = "620725";
pub const SHANDAN_GRIDS: usize = 225;
const SEED: u64 = 620_725;

/// A demo account and the password it has, if this run set one.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    pub unit: String,
    pub password: Option<String>,
}

/// Loads Shandan unless it is there, and creates the demo accounts unless they
/// are. With `password`, every demo account gets that password; without it,
/// new accounts get a random one (returned, to be printed) and existing ones
/// keep theirs.
pub async fn seed(
    store: &dyn Store,
    territory: &TerritoryService,
    password: Option<&str>,
) -> anyhow::Result<Vec<DemoAccount>> {
    territory.refresh_if_changed().await?;
    if territory.current().by_code(SHANDAN_CODE).is_none() {
        let county = geojson_in::read(
            SHANDAN_GEOJSON.as_bytes(),
            ReadOptions {
                crs: Crs::Gcj02,
                repair: true,
            },
        )?;
        let county = county
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("the bundled Shandan file is empty"))?;
        let rings = county.rings.clone();
        let grids =
            tokio::task::spawn_blocking(move || generate::split(&rings, SHANDAN_GRIDS, SEED))
                .await??;
        let features = naming::name_grids(
            SHANDAN_CODE,
            county.name.as_str(),
            grids,
            &naming::known_townships(SHANDAN_CODE),
            SEED,
        );
        territory.import(features, ImportOptions::default()).await?;
    }
    let t = territory.current();
    let county = t
        .by_code(SHANDAN_CODE)
        .ok_or_else(|| anyhow::anyhow!("Shandan is missing after import"))?;
    // The first township, its first village, and that village's first grid.
    let first_child = |parent: u32, kind: OrgUnitKind| {
        t.units()
            .iter()
            .position(|u| u.kind == kind && u.parent == Some(parent))
            .map(|i| u32::try_from(i).unwrap_or(0))
    };
    let township =
        first_child(county, OrgUnitKind::Township).ok_or_else(|| anyhow::anyhow!("no township"))?;
    let village =
        first_child(township, OrgUnitKind::Village).ok_or_else(|| anyhow::anyhow!("no village"))?;
    let grid = first_child(village, OrgUnitKind::Grid).ok_or_else(|| anyhow::anyhow!("no grid"))?;
    let plan: [(&'static str, &str, Role, u32); 6] = [
        ("admin", "系统管理员", Role::Admin, county),
        (
            "county-operator",
            "王芳(县综治中心)",
            Role::CountyOperator,
            county,
        ),
        (
            "township-operator",
            "李强(乡镇综治中心)",
            Role::TownshipOperator,
            township,
        ),
        ("cadre", "张伟(村干部)", Role::VillageCadre, village),
        ("grid-worker", "刘洋(网格员)", Role::GridWorker, grid),
        ("resident", "陈静(群众)", Role::Resident, village),
    ];
    let mut accounts = Vec::new();
    for (username, display, role, unit) in plan {
        let node = t.unit(unit);
        let chosen = password.map_or_else(
            || crate::auth::token::new_secret()[..12].to_owned(),
            str::to_owned,
        );
        let hash = password::hash_off_runtime(chosen.clone()).await?;
        let created = store
            .create_user(&NewUser {
                id: UserId::new(),
                username: username.into(),
                display_name: display.into(),
                password_hash: hash.clone(),
                roles: vec![(role, node.id)],
            })
            .await;
        let set = match created {
            Ok(()) => Some(chosen),
            Err(StoreError::Conflict { .. }) if password.is_some() => {
                store.set_password_hash(username, &hash).await?;
                Some(chosen)
            }
            Err(StoreError::Conflict { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        accounts.push(DemoAccount {
            username,
            role,
            unit: format!("{} {}", node.code, node.name),
            password: set,
        });
    }
    Ok(accounts)
}
