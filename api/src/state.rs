//! What every handler can reach.

use crate::auth::AuthService;
use crate::cases::CaseService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::territory::TerritoryService;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub territory: Arc<TerritoryService>,
    pub cases: Arc<CaseService>,
    pub watches: Arc<crate::watch::WatchService>,
    pub sync: Arc<crate::sync::SyncService>,
    pub photos: Arc<crate::photos::PhotoService>,
    pub intake: Arc<crate::intake::IntakeService>,
    pub clock: Arc<dyn Clock>,
    pub auth: Arc<AuthService>,
    pub metrics: Arc<Metrics>,
    pub settings: Arc<Settings>,
}
