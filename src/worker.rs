//! Background work: housekeeping now; the email outbox joins it here.
//! Runs inside `serve` or alone as `radslag worker`.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::services::{rate_limit, staff};

/// How often housekeeping runs.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(300);

/// Run forever (until the task is dropped).
pub async fn run(db: DatabaseConnection) {
    let mut interval = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        interval.tick().await;
        if let Err(error) = housekeeping(&db).await {
            tracing::warn!(error = %error, "housekeeping failed");
        }
    }
}

/// Delete expired sessions and stale rate-limit counters.
pub async fn housekeeping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let sessions = staff::purge_expired_sessions(db).await?;
    let counters = rate_limit::purge_stale(db).await?;
    if sessions + counters > 0 {
        tracing::info!(sessions, counters, "housekeeping removed expired rows");
    }
    Ok(())
}
