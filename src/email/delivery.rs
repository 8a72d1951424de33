//! Sending the outbox: claim due rows, hand each to the relay, record the
//! outcome. Delivery is at-least-once: a row is marked sent only after the
//! relay accepted it, and a crash in between sends it again with the same
//! `Message-ID`, so receivers can drop the duplicate. Log lines name row ids
//! and counts, never addresses.

use sea_orm::{DatabaseConnection, DbErr};

use super::transport::{Mailer, SendError, message};
use crate::entities::outbox_email;
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

/// Messages handed to the relay at the same time (the SMTP pool's size).
const PARALLEL: usize = 4;

/// What happened to one row.
enum Outcome {
    Sent,
    Retrying,
    Failed,
}

async fn deliver_one(
    db: &DatabaseConnection,
    mailer: &Mailer,
    sender: &str,
    row: &outbox_email::Model,
) -> Result<Outcome, DbErr> {
    let result = match message(sender, row) {
        Ok(message) => mailer.send(message).await,
        Err(problem) => Err(SendError::Permanent(problem)),
    };
    let now = crate::services::now();
    Ok(match result {
        Ok(()) => {
            outbox::mark_sent(db, row.id, now).await?;
            Outcome::Sent
        }
        Err(SendError::Temporary(reason)) => {
            if outbox::mark_failed(db, row, &reason, false, now).await? == status::FAILED {
                tracing::warn!(outbox_id = row.id, kind = %row.kind, "email given up after repeated failures");
                Outcome::Failed
            } else {
                tracing::info!(outbox_id = row.id, attempts = row.attempts + 1, "email will be retried");
                Outcome::Retrying
            }
        }
        Err(SendError::Permanent(reason)) => {
            outbox::mark_failed(db, row, &reason, true, now).await?;
            tracing::warn!(outbox_id = row.id, kind = %row.kind, "email refused for good");
            Outcome::Failed
        }
    })
}

/// Send every due row (in batches, a few at a time) until none is left.
pub async fn deliver_due(db: &DatabaseConnection, mailer: &Mailer, sender: &str) -> Result<Round, DbErr> {
    let mut round = Round::default();
    loop {
        let rows = outbox::claim_due(db, crate::services::now(), BATCH).await?;
        if rows.is_empty() {
            return Ok(round);
        }
        let mut running = tokio::task::JoinSet::new();
        for row in rows {
            while running.len() >= PARALLEL {
                tally(&mut round, running.join_next().await)?;
            }
            let (db, mailer, sender) = (db.clone(), mailer.clone(), sender.to_owned());
            running.spawn(async move { deliver_one(&db, &mailer, &sender, &row).await });
        }
        while let Some(done) = running.join_next().await {
            tally(&mut round, Some(done))?;
        }
    }
}

fn tally(round: &mut Round, done: Option<Result<Result<Outcome, DbErr>, tokio::task::JoinError>>) -> Result<(), DbErr> {
    match done {
        Some(Ok(outcome)) => match outcome? {
            Outcome::Sent => round.sent += 1,
            Outcome::Retrying => round.retrying += 1,
            Outcome::Failed => round.failed += 1,
        },
        Some(Err(error)) => return Err(DbErr::Custom(format!("sending task failed: {error}"))),
        None => {}
    }
    Ok(())
}
