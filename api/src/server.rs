//! Starting the server: open the store, migrate, load the territory, and
//! serve on a listener the caller has already bound (so tests bind port 0 and
//! know the address before the first request, with no sleeps).

use crate::auth::{AuthService, token};
use crate::cases::CaseService;
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::store::Store;
use crate::store::sql::{Backend, PoolSize, SqlStore};
use crate::territory::TerritoryService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Opens the store named by the settings and applies migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    let url = settings.database_url();
    if Backend::of_url(&url) == Some(Backend::Sqlite) && settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let size = PoolSize(settings.database_max_connections);
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open_url(&url, size).await.map_err(|e| {
            anyhow::anyhow!("opening {}: {e}", settings.database_url_for_display())
        })?);
    store.migrate().await?;
    Ok(store)
}

/// Everything the handlers need, loaded from the store, on the real clock.
pub async fn build_state(settings: Settings, store: Arc<dyn Store>) -> anyhow::Result<AppState> {
    build_state_with_clock(settings, store, Arc::new(SystemClock)).await
}

/// [`build_state`] on a given clock (tests put the server on a fixed day).
pub async fn build_state_with_clock(
    settings: Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let secret = match &settings.auth.jwt_secret {
        Some(s) if s.expose().len() >= 32 => s.expose().to_owned(),
        Some(_) => anyhow::bail!("auth.jwt_secret must be at least 32 characters"),
        None => {
            store
                .meta_or_insert("jwt_secret", &token::new_secret())
                .await?
        }
    };
    let territory = TerritoryService::load(Arc::clone(&store), settings.near_grid_m).await?;
    let auth = AuthService::new(
        Arc::clone(&store),
        secret.as_bytes(),
        settings.auth_settings(),
    );
    let territory = Arc::new(territory);
    let cases = CaseService::new(
        Arc::clone(&store),
        Arc::clone(&territory),
        Arc::clone(&clock),
    );
    let watches = crate::watch::WatchService::new(
        Arc::clone(&store),
        Arc::clone(&territory),
        Arc::clone(&clock),
    );
    let cases = Arc::new(cases);
    let watches = Arc::new(watches);
    let sync = crate::sync::SyncService::new(
        Arc::clone(&store),
        Arc::clone(&territory),
        Arc::clone(&cases),
        Arc::clone(&watches),
        Arc::clone(&clock),
        secret.as_bytes(),
        settings.sync_retention_days,
    );
    let photos = crate::photos::PhotoService::new(
        Arc::clone(&store),
        Arc::clone(&cases),
        Arc::clone(&clock),
    );
    let intake = crate::intake::IntakeService::new(
        Arc::clone(&store),
        Arc::clone(&territory),
        Arc::clone(&cases),
        Arc::clone(&clock),
        settings.open311_anonymous_per_hour,
    );
    Ok(AppState {
        store,
        territory,
        cases,
        watches,
        sync: Arc::new(sync),
        photos: Arc::new(photos),
        intake: Arc::new(intake),
        clock,
        auth: Arc::new(auth),
        metrics: Arc::new(Metrics::default()),
        settings: Arc::new(settings),
    })
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
/// A background task reloads the territory when another process changes it.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let poll = Duration::from_secs(state.settings.territory_poll_s.max(1));
    let territory = Arc::clone(&state.territory);
    let watcher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = territory.refresh_if_changed().await {
                tracing::warn!(error = %e, "territory refresh failed");
            }
        }
    });
    let scheduler = (state.settings.scheduler_tick_s > 0).then(|| {
        let every = Duration::from_secs(state.settings.scheduler_tick_s);
        let cases = Arc::clone(&state.cases);
        let watches = Arc::clone(&state.watches);
        let sync = Arc::clone(&state.sync);
        let photos = Arc::clone(&state.photos);
        let intake = Arc::clone(&state.intake);
        // Each process ticks under its own name; the lease picks one.
        let holder = uuid::Uuid::now_v7().to_string();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match cases.tick(&holder).await {
                    Ok(t) if t.escalated + t.warned + t.overdue_at_top > 0 => {
                        tracing::info!(
                            escalated = t.escalated,
                            warned = t.warned,
                            overdue_at_top = t.overdue_at_top,
                            "deadline scheduler"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "deadline scheduler failed"),
                }
                match watches.tick(&holder).await {
                    Ok(t) if t.missed > 0 => {
                        tracing::info!(missed = t.missed, "visit scheduler");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "visit scheduler failed"),
                }
                match sync.tick(&holder).await {
                    Ok(Some(c)) if c.log_rows + c.results > 0 => {
                        tracing::info!(
                            log_rows = c.log_rows,
                            results = c.results,
                            floor = c.floor_seq,
                            "sync compaction"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "sync compaction failed"),
                }
                match intake.webhooks.tick(&holder).await {
                    Ok(Some(r)) if r.delivered + r.failed > 0 => {
                        tracing::info!(delivered = r.delivered, failed = r.failed, "webhooks");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "webhook delivery failed"),
                }
                match photos.tidy().await {
                    Ok(dropped) if dropped > 0 => {
                        tracing::info!(dropped, "stale uploads dropped");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "photo housekeeping failed"),
                }
            }
        })
    });
    let app = crate::routes::router(state);
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    watcher.abort();
    if let Some(s) = scheduler {
        s.abort();
    }
    result
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
