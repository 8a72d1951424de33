//! Logging set-up. Log lines never carry personal data: spans hold the route
//! template and request id only, and services log ids, not addresses.

use tracing_subscriber::EnvFilter;

/// Log to standard error; `RUST_LOG` picks the level (default `info`).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
