//! The compass: frameworks imported by a municipality's admins (the two
//! shipped frameworks live in the binary, not in the database).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("compass_framework")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("key"))
                    .col(string("version"))
                    .col(text("definition"))
                    .col(integer_null("created_by"))
                    .col(big_integer("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_compass_framework_municipality_id")
                            .from("compass_framework", "municipality_id")
                            .to("municipality", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_compass_framework_key")
                    .table("compass_framework")
                    .col("municipality_id")
                    .col("key")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_compass_assessment_municipality")
                    .table("compass_assessment")
                    .col("municipality_id")
                    .col("assessed_on")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_compass_assessment_municipality").table("compass_assessment").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("compass_framework").to_owned()).await
    }
}
