//! Fixed-window rate limits kept in the database, so every app node sees the
//! same counts. Keys are hashed: an IP address or email never lands in a row.

use std::time::Duration;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use sha2::{Digest, Sha256};

use crate::entities::rate_limit;

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Hits allowed in one window.
    pub max: i32,
    /// Length of the window.
    pub window: Duration,
}

/// The outcome of counting a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Within the limit.
    Allowed,
    /// Over the limit; try again after this many seconds.
    Limited {
        /// Seconds until the window ends.
        retry_after: u64,
    },
}

fn key_hash(scope: &str, subject: &str) -> String {
    hex::encode(Sha256::digest(format!("{scope}\u{0}{subject}").as_bytes()))
}

/// Count one hit for `subject` (an IP address, an account …) under `scope`.
pub async fn hit<C: ConnectionTrait>(db: &C, scope: &str, subject: &str, limit: Limit) -> Result<Decision, DbErr> {
    let key = key_hash(scope, subject);
    let now = super::now();
    let window = limit.window.as_secs() as i64;
    let expired = Expr::col((rate_limit::Entity, rate_limit::Column::WindowStart)).lte(now - window);
    let on_conflict = OnConflict::column(rate_limit::Column::Key)
        .value(
            rate_limit::Column::Hits,
            Expr::case(expired.clone(), 1).finally(Expr::col((rate_limit::Entity, rate_limit::Column::Hits)).add(1)),
        )
        .value(
            rate_limit::Column::WindowStart,
            Expr::case(expired, now).finally(Expr::col((rate_limit::Entity, rate_limit::Column::WindowStart))),
        )
        .to_owned();
    rate_limit::Entity::insert(rate_limit::ActiveModel { key: Set(key.clone()), window_start: Set(now), hits: Set(1) })
        .on_conflict(on_conflict)
        .exec_without_returning(db)
        .await?;
    let row = rate_limit::Entity::find_by_id(key)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("rate limit row".into()))?;
    if row.hits > limit.max {
        let retry_after = Ord::max(row.window_start + window - now, 1) as u64;
        Ok(Decision::Limited { retry_after })
    } else {
        Ok(Decision::Allowed)
    }
}

/// Whether `subject` is over the limit now, without counting a hit.
pub async fn is_limited<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    subject: &str,
    limit: Limit,
) -> Result<Decision, DbErr> {
    let now = super::now();
    let window = limit.window.as_secs() as i64;
    let row = rate_limit::Entity::find_by_id(key_hash(scope, subject)).one(db).await?;
    Ok(match row {
        Some(row) if row.window_start > now - window && row.hits >= limit.max => {
            Decision::Limited { retry_after: Ord::max(row.window_start + window - now, 1) as u64 }
        }
        _ => Decision::Allowed,
    })
}

/// Forget the count for `subject` (e.g. after a successful sign-in).
pub async fn reset<C: ConnectionTrait>(db: &C, scope: &str, subject: &str) -> Result<(), DbErr> {
    rate_limit::Entity::delete_by_id(key_hash(scope, subject)).exec(db).await?;
    Ok(())
}

/// Delete rows whose window ended more than a day ago.
pub async fn purge_stale<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let result = rate_limit::Entity::delete_many()
        .filter(rate_limit::Column::WindowStart.lt(super::now() - 86_400))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
