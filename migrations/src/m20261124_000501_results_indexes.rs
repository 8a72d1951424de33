//! Indexes and statistics for aggregating results.
//!
//! - `ix_response_profile` covers what results need of a response (survey,
//!   id, age band, gender, district, recruitment group), and
//!   `ix_answer_profile` what they need of an answer, keyed by response. On
//!   SQLite the grouping query then reads both from the indexes alone,
//!   starting from the survey's responses, instead of looking up every
//!   answer's row and its response's row. `ix_answer_profile` starts with
//!   `response_id`, so it replaces `ix_answer_response`.
//! - On PostgreSQL, the planner multiplies the distinct values of each
//!   grouped column and expects a hundred thousand groups where there are a
//!   thousand, so it sorts (on disk) instead of hashing. Extended `ndistinct`
//!   statistics on the grouped columns give it the true figure. These are
//!   the one PostgreSQL-only statement in the migrations: SQLite has no such
//!   statistics and needs none (it always groups by sorting).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_response_profile")
                    .table("response")
                    .col("survey_id")
                    .col("id")
                    .col("age_band")
                    .col("gender")
                    .col("district")
                    .col("source_group")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_profile")
                    .table("response_answer")
                    .col("response_id")
                    .col("question_key")
                    .col("item_key")
                    .col("dont_know")
                    .col("option_key")
                    .col("number_value")
                    .col("municipality_id")
                    .col("survey_id")
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name("ix_answer_response").table("response_answer").to_owned()).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(
                "CREATE STATISTICS st_response_profile (ndistinct) \
                 ON survey_id, age_band, gender, district, source_group FROM response",
            )
            .await?;
            db.execute_unprepared(
                "CREATE STATISTICS st_answer_item (ndistinct) \
                 ON survey_id, question_key, item_key, option_key, number_value, dont_know FROM response_answer",
            )
            .await?;
            db.execute_unprepared("ANALYZE response, response_answer").await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("DROP STATISTICS IF EXISTS st_answer_item").await?;
            db.execute_unprepared("DROP STATISTICS IF EXISTS st_response_profile").await?;
        }
        manager
            .create_index(
                Index::create().name("ix_answer_response").table("response_answer").col("response_id").to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name("ix_answer_profile").table("response_answer").to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_response_profile").table("response").to_owned()).await
    }
}
