//! Links sent in reminders. A reminder carries a new link (only hashes are
//! stored, so the first one cannot be repeated); every link sent for an
//! invitation keeps working until the survey closes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("reminder_link")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(integer("invitation_id"))
                    .col(string_uniq("token_hash"))
                    .col(big_integer("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_link_invitation")
                            .from("reminder_link", "invitation_id")
                            .to("invitation", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("reminder_link").to_owned()).await
    }
}
