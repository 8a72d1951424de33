//! Which outbox row carried an invitation's latest email (invitation or
//! reminder), so the survey's progress can count failed deliveries exactly.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("invitation").add_column(integer_null("last_email_id")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("invitation").drop_column("last_email_id").to_owned()).await
    }
}
