//! Database migrations for Rådslag.
//!
//! The same migrations serve SQLite and PostgreSQL: they are written with
//! sea-query's schema builder only, never with backend-specific SQL — except
//! PostgreSQL's extended planner statistics in
//! `m20261124_000501_results_indexes`, which have no SQLite counterpart.
//! Timestamps are stored as whole seconds since the Unix epoch (UTC) in a
//! big integer, which both backends compare and index the same way.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_resident_loop;
mod m20261123_000003_compass;
mod m20261124_000101_soft_launch_release;
mod m20261124_000201_api_keys;
mod m20261124_000301_open_survey_options;
mod m20261124_000302_approval_requests;
mod m20261124_000303_invitation_last_email;
mod m20261124_000304_reminder_links;
mod m20261124_000501_results_indexes;

/// Every migration, in the order it must run.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_resident_loop::Migration),
            Box::new(m20261123_000003_compass::Migration),
            Box::new(m20261124_000101_soft_launch_release::Migration),
            Box::new(m20261124_000201_api_keys::Migration),
            Box::new(m20261124_000301_open_survey_options::Migration),
            Box::new(m20261124_000302_approval_requests::Migration),
            Box::new(m20261124_000303_invitation_last_email::Migration),
            Box::new(m20261124_000304_reminder_links::Migration),
            Box::new(m20261124_000501_results_indexes::Migration),
        ]
    }
}
