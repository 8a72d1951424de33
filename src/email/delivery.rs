//! Sending the outbox: claim due rows, hand each to the relay, record the
//! outcome. Delivery is at-least-once: a row is marked sent only after the
//! relay accepted it, and a crash in between sends it again with the same
//! `Message-ID`, so receivers can drop the duplicate. Log lines name row ids
//! and counts, never addresses.

use sea_orm::{DatabaseConnection, DbErr};

use super::transport::{Mailer, SendError, message};
use crate::services::outbox::{self, status};

/// Rows claimed per round.
const BATCH: u64 = 50;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Accepted by the relay.
    pub sent: usize,
    /// Failed and scheduled for another attempt.
    pub retrying: usize,
    /// Failed for good.
    pub failed: usize,
}

/// Send every due row (in batches) until none is left.
pub async fn deliver_due(db: &DatabaseConnection, mailer: &Mailer, sender: &str) -> Result<Round, DbErr> {
    let mut round = Round::default();
    loop {
        let now = crate::services::now();
        let rows = outbox::claim_due(db, now, BATCH).await?;
        if rows.is_empty() {
            return Ok(round);
        }
        for row in rows {
            let result = match message(sender, &row) {
                Ok(message) => mailer.send(message).await,
                Err(problem) => Err(SendError::Permanent(problem)),
            };
            let now = crate::services::now();
            match result {
                Ok(()) => {
                    outbox::mark_sent(db, row.id, now).await?;
                    round.sent += 1;
                }
                Err(SendError::Temporary(reason)) => {
                    if outbox::mark_failed(db, &row, &reason, false, now).await? == status::FAILED {
                        tracing::warn!(outbox_id = row.id, kind = %row.kind, "email given up after repeated failures");
                        round.failed += 1;
                    } else {
                        tracing::info!(outbox_id = row.id, attempts = row.attempts + 1, "email will be retried");
                        round.retrying += 1;
                    }
                }
                Err(SendError::Permanent(reason)) => {
                    outbox::mark_failed(db, &row, &reason, true, now).await?;
                    tracing::warn!(outbox_id = row.id, kind = %row.kind, "email refused for good");
                    round.failed += 1;
                }
            }
        }
    }
}
