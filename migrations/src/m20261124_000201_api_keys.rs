//! Staff API keys: machine access to the JSON API for one municipality, with
//! a role, an optional expiry and a revocation. Only the SHA-256 of the
//! secret is stored. Also when an invitation's link was first opened, for
//! the invitation figures the API reports.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("api_key")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("name"))
                    .col(string("role"))
                    .col(string_uniq("token_hash"))
                    .col(integer_null("created_by"))
                    .col(big_integer("created_at"))
                    .col(string_null("expires_on"))
                    .col(string_null("last_used_on"))
                    .col(big_integer_null("revoked_at"))
                    .col(integer_null("revoked_by"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_municipality")
                            .from("api_key", "municipality_id")
                            .to("municipality", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_created_by")
                            .from("api_key", "created_by")
                            .to("staff_user", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_api_key_municipality").table("api_key").col("municipality_id").to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("invitation").add_column(big_integer_null("opened_at")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("invitation").drop_column("opened_at").to_owned()).await?;
        manager.drop_table(Table::drop().table("api_key").to_owned()).await
    }
}
