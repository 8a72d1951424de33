//! Soft launch: when the rest of a sample is released automatically, and
//! whether staff held it back because wave 1 showed a problem.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(Table::alter().table("sample").add_column(big_integer_null("release_at")).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("sample").add_column(boolean("release_held").default(false)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("sample").drop_column("release_held").to_owned()).await?;
        manager.alter_table(Table::alter().table("sample").drop_column("release_at").to_owned()).await
    }
}
