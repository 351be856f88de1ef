//! Logs through `tracing`: human-readable text or one JSON object per line.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. Safe to call more than once (later calls
/// do nothing), so tests and the CLI can both call it.
pub fn init(format: LogFormat, level: &str) {
    let filter = EnvFilter::try_from_env("GRIDLINE_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
