//! The email outbox: every email is a row written in the same transaction as
//! the change that caused it; the worker sends the rows.

use std::sync::LazyLock;

use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use tokio::sync::Notify;

use crate::domain::SecretToken;
use crate::entities::outbox_email;
use crate::services::tenant::Municipality;

/// An email ready to be queued.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// What it is (`confirm`, `invitation`, `reminder`, `feedback` …), for statistics.
    pub kind: &'static str,
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// One-click unsubscribe URL (RFC 8058), if the email goes to a member.
    pub list_unsubscribe: Option<String>,
}

/// Queue an email. Call inside the transaction of the change that causes it.
/// The `Message-ID` is fixed here, so a resend after a crash keeps it.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    municipality: Option<&Municipality>,
    base_url: &url::Url,
    email: OutgoingEmail,
) -> Result<i32, DbErr> {
    let now = super::now();
    let domain = base_url.host_str().unwrap_or("localhost");
    let row = outbox_email::ActiveModel {
        municipality_id: Set(municipality.map(|m| m.id)),
        kind: Set(email.kind.to_owned()),
        to_address: Set(email.to),
        subject: Set(email.subject),
        text_body: Set(email.text),
        html_body: Set(email.html),
        message_id: Set(format!("<{}@{domain}>", SecretToken::generate().reveal())),
        list_unsubscribe: Set(email.list_unsubscribe),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    wake_worker();
    Ok(row.id)
}

static QUEUED: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Tell the worker in this process that email is waiting. Call it after the
/// transaction that queued the email commits (a call before the commit only
/// costs the worker an empty look).
pub fn wake_worker() {
    QUEUED.notify_one();
}

/// Resolves when [`wake_worker`] is called (or was called since the last wait).
pub async fn queued() {
    QUEUED.notified().await;
}

/// Row status codes.
pub mod status {
    /// Waiting to be sent (or to be retried).
    pub const PENDING: &str = "pending";
    /// Accepted by the relay.
    pub const SENT: &str = "sent";
    /// Given up after too many attempts.
    pub const FAILED: &str = "failed";
}

/// Attempts before a row is given up.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a claimed row is reserved for the worker that claimed it; after
/// that (a crashed worker) another worker sends it again, with the same
/// `Message-ID`.
pub const CLAIM_SECONDS: i64 = 300;

/// Delay before the next attempt after `attempts` failures: one minute
/// doubled per failure, at most six hours.
pub fn backoff_seconds(attempts: i32) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    std::cmp::min(60_i64 << doublings, 6 * 3600)
}

/// Claim up to `limit` due rows for sending: they are reserved for
/// [`CLAIM_SECONDS`] so no other worker picks them. On PostgreSQL rows are
/// selected `FOR UPDATE SKIP LOCKED`, so two workers never claim the same
/// row; SQLite has one writer at a time.
pub async fn claim_due(db: &DatabaseConnection, now: i64, limit: u64) -> Result<Vec<outbox_email::Model>, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let query = due_rows(now, limit, db.get_database_backend());
    let rows = query.all(&txn).await?;
    if !rows.is_empty() {
        outbox_email::Entity::update_many()
            .col_expr(outbox_email::Column::NextAttemptAt, Expr::value(now + CLAIM_SECONDS))
            .filter(outbox_email::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .filter(outbox_email::Column::Status.eq(status::PENDING))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows)
}

/// What replaces the body of a row once it is sent or given up: bodies hold
/// personal links whose tokens must not stay in the database.
pub const REMOVED_BODY: &str = "[removed after sending]";

/// The query selecting due rows, locking them on PostgreSQL (`FOR UPDATE
/// SKIP LOCKED`) so concurrent workers skip each other's rows.
fn due_rows(now: i64, limit: u64, backend: DbBackend) -> sea_orm::Select<outbox_email::Entity> {
    let query = outbox_email::Entity::find()
        .filter(outbox_email::Column::Status.eq(status::PENDING))
        .filter(outbox_email::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox_email::Column::NextAttemptAt)
        .order_by_asc(outbox_email::Column::Id)
        .limit(limit);
    if backend == DbBackend::Postgres {
        query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
    } else {
        query
    }
}

/// Record that the relay accepted a row, and drop its body (it may hold
/// personal links). A row marked sent is never claimed again.
pub async fn mark_sent(db: &DatabaseConnection, id: i32, now: i64) -> Result<(), DbErr> {
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::Status, Expr::value(status::SENT))
        .col_expr(outbox_email::Column::TextBody, Expr::value(REMOVED_BODY))
        .col_expr(outbox_email::Column::HtmlBody, Expr::value(REMOVED_BODY))
        .col_expr(outbox_email::Column::SentAt, Expr::value(now))
        .col_expr(outbox_email::Column::Attempts, Expr::col(outbox_email::Column::Attempts).add(1))
        .col_expr(outbox_email::Column::LastError, Expr::value(Option::<String>::None))
        .filter(outbox_email::Column::Id.eq(id))
        .filter(outbox_email::Column::Status.eq(status::PENDING))
        .exec(db)
        .await?;
    Ok(())
}

/// Record a failed attempt: retry later with back-off, or give up after
/// [`MAX_ATTEMPTS`] (dropping the body). `permanent` gives up at once (e.g.
/// an invalid address).
/// Returns the new status.
pub async fn mark_failed(
    db: &DatabaseConnection,
    row: &outbox_email::Model,
    reason: &str,
    permanent: bool,
    now: i64,
) -> Result<&'static str, DbErr> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    let new_status = if give_up { status::FAILED } else { status::PENDING };
    let reason: String = reason.chars().take(1000).collect();
    let mut update = outbox_email::Entity::update_many();
    if give_up {
        update = update
            .col_expr(outbox_email::Column::TextBody, Expr::value(REMOVED_BODY))
            .col_expr(outbox_email::Column::HtmlBody, Expr::value(REMOVED_BODY));
    }
    update
        .col_expr(outbox_email::Column::Status, Expr::value(new_status))
        .col_expr(outbox_email::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox_email::Column::NextAttemptAt, Expr::value(now + backoff_seconds(attempts)))
        .col_expr(outbox_email::Column::LastError, Expr::value(Some(reason)))
        .filter(outbox_email::Column::Id.eq(row.id))
        .filter(outbox_email::Column::Status.eq(status::PENDING))
        .exec(db)
        .await?;
    Ok(new_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_claims_skip_locked_rows() {
        use sea_orm::QueryTrait;
        let postgres = due_rows(100, 50, DbBackend::Postgres).build(DbBackend::Postgres).to_string();
        assert!(postgres.ends_with("FOR UPDATE SKIP LOCKED"), "{postgres}");
        assert!(postgres.contains("\"status\" = 'pending'") && postgres.contains("LIMIT 50"), "{postgres}");
        let sqlite = due_rows(100, 50, DbBackend::Sqlite).build(DbBackend::Sqlite).to_string();
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_seconds(1), 60);
        assert_eq!(backoff_seconds(2), 120);
        assert_eq!(backoff_seconds(4), 480);
        assert_eq!(backoff_seconds(12), 6 * 3600);
        assert_eq!(backoff_seconds(1000), 6 * 3600);
    }
}
