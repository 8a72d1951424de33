//! Drafts can be sent for approval: when, and by whom.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter().table("survey").add_column(big_integer_null("approval_requested_at")).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("survey").add_column(integer_null("approval_requested_by")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("survey").drop_column("approval_requested_by").to_owned()).await?;
        manager.alter_table(Table::alter().table("survey").drop_column("approval_requested_at").to_owned()).await
    }
}
