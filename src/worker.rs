//! Background work: sending the email outbox, reminders, releasing soft
//! launches, and housekeeping. Runs inside `serve` (when `run_worker` is on)
//! or alone as `radslag worker`; several workers may run against one
//! PostgreSQL database.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::email::delivery;
use crate::email::transport::Mailer;
use crate::services::{invitations, outbox, rate_limit, staff};

/// How often the outbox is looked at when nothing wakes the worker.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How often reminders and soft-launch releases are checked.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);
/// How often housekeeping runs.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(300);
/// How old a sample must be before the schedule queues emails its sender
/// left unsent (a sender still running finishes well within this).
const UNSENT_SETTLE_SECONDS: i64 = 600;

/// Run forever (until the task is dropped). Email is sent as soon as it is
/// queued in this process, and at least every second otherwise.
pub async fn run(db: DatabaseConnection, config: Config) {
    let mailer = match Mailer::from_config(&config) {
        Ok(mailer) => Some(mailer),
        Err(error) => {
            tracing::error!(error = %error, "email will not be sent");
            None
        }
    };
    let mut schedule = tokio::time::interval(SCHEDULE_EVERY);
    let mut housekeeping_timer = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tokio::select! {
            () = outbox::queued() => {}
            () = tokio::time::sleep(POLL_EVERY) => {}
            _ = schedule.tick() => {
                if let Err(error) = scheduled(&db, &config).await {
                    tracing::warn!(error = %error, "reminders or releases failed");
                }
            }
            _ = housekeeping_timer.tick() => {
                if let Err(error) = housekeeping(&db, &config).await {
                    tracing::warn!(error = %error, "housekeeping failed");
                }
            }
        }
        if let Some(mailer) = &mailer {
            match delivery::deliver_due(&db, mailer, &config.sender).await {
                Ok(round) if round != delivery::Round::default() => {
                    tracing::info!(sent = round.sent, retrying = round.retrying, failed = round.failed, "outbox round");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(error = %error, "outbox round failed"),
            }
        }
    }
}

/// Queue due reminders and release soft launches whose time has come.
/// Idempotent: running it twice in a row queues nothing the second time.
pub async fn scheduled(db: &DatabaseConnection, config: &Config) -> Result<(), sea_orm::DbErr> {
    let now = crate::services::now();
    let released = invitations::release_due_soft_launches(db, &config.base_url, now).await?;
    let reminded = invitations::send_due_reminders(db, &config.base_url, now).await?;
    let resumed = invitations::queue_unsent(db, &config.base_url, now, UNSENT_SETTLE_SECONDS).await?;
    if released + reminded + resumed > 0 {
        tracing::info!(released, reminded, resumed, "invitations queued by schedule");
    }
    Ok(())
}

/// Delete expired sessions and stale rate-limit counters.
pub async fn housekeeping(db: &DatabaseConnection, config: &Config) -> Result<(), sea_orm::DbErr> {
    let sessions = staff::purge_expired_sessions(db).await?;
    let counters = rate_limit::purge_stale(db).await?;
    let unconfirmed = crate::services::panel::purge_unconfirmed(db).await?;
    if sessions + counters + unconfirmed > 0 {
        tracing::info!(sessions, counters, unconfirmed, "housekeeping removed expired rows");
    }
    let renewals = crate::services::panel::renew_consents(db, &config.base_url).await?;
    if renewals.emailed + renewals.deactivated > 0 {
        tracing::info!(emailed = renewals.emailed, deactivated = renewals.deactivated, "consent renewals");
    }
    Ok(())
}
