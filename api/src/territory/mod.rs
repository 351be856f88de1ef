//! The territory as the server uses it: a snapshot of the org tree and the
//! grid index, rebuilt from the store whenever the territory version changes,
//! and the import path every new grid goes through (files and generation).

pub mod import;
pub mod snapshot;

pub use import::{ImportError, ImportOptions, ImportReport};
pub use snapshot::{Chain, Territory, UnitNode};

use crate::store::{Store, StoreResult};
use std::sync::{Arc, RwLock};

/// The current territory snapshot, shared by every request.
pub struct TerritoryService {
    store: Arc<dyn Store>,
    current: RwLock<Arc<Territory>>,
    /// Imports run one at a time, so each checks overlaps against everything
    /// stored before it.
    import_lock: tokio::sync::Mutex<()>,
    near_m: f64,
}

impl TerritoryService {
    /// Loads the territory from the store.
    pub async fn load(store: Arc<dyn Store>, near_m: f64) -> StoreResult<Self> {
        let territory = Territory::load(store.as_ref(), near_m).await?;
        Ok(Self {
            store,
            current: RwLock::new(Arc::new(territory)),
            import_lock: tokio::sync::Mutex::new(()),
            near_m,
        })
    }

    /// The snapshot requests read from.
    #[must_use]
    pub fn current(&self) -> Arc<Territory> {
        Arc::clone(
            &self
                .current
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Rebuilds the snapshot if another writer (this replica or another) has
    /// changed the territory since it was built. Returns whether it did.
    pub async fn refresh_if_changed(&self) -> StoreResult<bool> {
        let stored = self.store.territory_version().await?;
        if stored == self.current().version {
            return Ok(false);
        }
        self.rebuild().await?;
        Ok(true)
    }

    async fn rebuild(&self) -> StoreResult<()> {
        let territory = Territory::load(self.store.as_ref(), self.near_m).await?;
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(territory);
        Ok(())
    }

    /// Checks the features against each other and against the stored grids,
    /// then writes them all in one transaction, or nothing.
    pub async fn import(
        &self,
        features: Vec<crate::spatial::geojson_in::GridFeature>,
        options: ImportOptions,
    ) -> Result<ImportReport, ImportError> {
        let _guard = self.import_lock.lock().await;
        self.refresh_if_changed().await?;
        let existing = self.current();
        let features = Arc::new(features);
        let checked = {
            let features = Arc::clone(&features);
            tokio::task::spawn_blocking(move || {
                import::check_and_build(&features, &existing, options)
            })
            .await
            .map_err(|e| ImportError::Internal(e.to_string()))??
        };
        let counts = self.store.import_territory(&checked.batch).await?;
        self.rebuild().await?;
        Ok(ImportReport {
            grids_created: counts.grids_created,
            units_created: counts.units_created,
            repaired: features
                .iter()
                .filter(|f| f.repaired)
                .map(|f| f.code.to_string())
                .collect(),
            tolerated_overlaps: checked.tolerated_overlaps,
        })
    }
}
