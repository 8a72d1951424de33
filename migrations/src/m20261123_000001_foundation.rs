//! Tenants, staff, sessions, the audit log and rate limiting.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A foreign key to `municipality.id`, removed with its municipality.
fn to_municipality(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_municipality"))
        .from(table, "municipality_id")
        .to("municipality", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("municipality")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    .col(string("default_language"))
                    .col(string("languages"))
                    .col(string("compass_framework"))
                    .col(integer("max_invitations_per_year"))
                    .col(integer("min_days_between_invitations"))
                    .col(integer("suppression_threshold"))
                    .col(integer("consent_renewal_years"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("municipality_host")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string_uniq("host"))
                    .foreign_key(&mut to_municipality("municipality_host"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("district")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("code"))
                    .col(string("name"))
                    .col(integer("position"))
                    .foreign_key(&mut to_municipality("district"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_district_code")
                    .table("district")
                    .col("municipality_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("population_margin")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("district_code"))
                    .col(string("age_band"))
                    .col(string("gender"))
                    .col(big_integer("population"))
                    .foreign_key(&mut to_municipality("population_margin"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_population_margin_cell")
                    .table("population_margin")
                    .col("municipality_id")
                    .col("district_code")
                    .col("age_band")
                    .col("gender")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("staff_user")
                    .col(pk_auto("id"))
                    .col(integer_null("municipality_id"))
                    .col(string("email"))
                    .col(string("display_name"))
                    .col(string("password_hash"))
                    .col(string("role"))
                    .col(integer("failed_sign_ins").default(0))
                    .col(big_integer_null("locked_until"))
                    .col(boolean("disabled").default(false))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut to_municipality("staff_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_staff_user_email")
                    .table("staff_user")
                    .col("municipality_id")
                    .col("email")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("staff_session")
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("user_id"))
                    .col(integer_null("municipality_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_session_user")
                            .from("staff_session", "user_id")
                            .to("staff_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut to_municipality("staff_session"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(pk_auto("id"))
                    .col(integer_null("municipality_id"))
                    .col(integer_null("actor_user_id"))
                    .col(string("actor"))
                    .col(string("action"))
                    .col(string("subject"))
                    .col(text("details"))
                    .col(big_integer("at"))
                    .foreign_key(&mut to_municipality("audit_event"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_event_municipality_at")
                    .table("audit_event")
                    .col("municipality_id")
                    .col("at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("rate_limit")
                    .col(string("key").primary_key())
                    .col(big_integer("window_start"))
                    .col(integer("hits"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "rate_limit",
            "audit_event",
            "staff_session",
            "staff_user",
            "population_margin",
            "district",
            "municipality_host",
            "municipality",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
