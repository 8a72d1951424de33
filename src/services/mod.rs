//! Use cases that touch the database. Handlers and CLI commands call these;
//! nothing else queries the database.

pub mod api_keys;
pub mod audit;
pub mod compass;
pub mod invitations;
pub mod municipalities;
pub mod outbox;
pub mod panel;
pub mod rate_limit;
pub mod responses;
pub mod results;
pub mod staff;
pub mod surveys;
pub mod tenant;

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
