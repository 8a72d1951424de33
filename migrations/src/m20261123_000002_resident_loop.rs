//! The resident loop: panel members, surveys, samples and invitations,
//! anonymous responses, the email outbox, and the compass.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    table: &'static str,
    column: &'static str,
    to: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(on_delete)
        .to_owned()
}

fn municipality_fk(table: &'static str) -> ForeignKeyCreateStatement {
    fk(table, "municipality_id", "municipality", ForeignKeyAction::Cascade)
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(*column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Panel members: the only table with residents' personal data.
        manager
            .create_table(
                Table::create()
                    .table("member")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("email"))
                    .col(string_null("mobile"))
                    .col(integer("birth_year"))
                    .col(string("gender"))
                    .col(string("district"))
                    .col(string_null("education"))
                    .col(string("language"))
                    .col(string("source"))
                    .col(string_null("campaign"))
                    .col(string("status"))
                    .col(string_null("paused_until"))
                    .col(string("consent_version"))
                    .col(big_integer("consent_at"))
                    .col(big_integer_null("confirmed_at"))
                    .col(boolean("email_invalid").default(false))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut municipality_fk("member"))
                    .to_owned(),
            )
            .await?;
        index(manager, "ux_member_email", "member", &["municipality_id", "email"], true).await?;

        manager
            .create_table(
                Table::create()
                    .table("member_link")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(integer("member_id"))
                    .col(string("purpose"))
                    .col(string_uniq("token_hash"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("used_at"))
                    .foreign_key(&mut municipality_fk("member_link"))
                    .foreign_key(&mut fk("member_link", "member_id", "member", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;

        // Surveys: metadata in columns, questions in the JSON definition.
        manager
            .create_table(
                Table::create()
                    .table("survey")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("status"))
                    .col(string("kind"))
                    .col(text("definition"))
                    .col(string_null("closes_on"))
                    .col(string("compass_areas"))
                    .col(string_null("ladder_step"))
                    .col(string_null("public_token_hash"))
                    .col(integer("reminder_after_days").default(7))
                    .col(integer("max_reminders").default(2))
                    .col(integer_null("created_by"))
                    .col(integer_null("approved_by"))
                    .col(big_integer("created_at"))
                    .col(big_integer("updated_at"))
                    .col(big_integer_null("opened_at"))
                    .col(big_integer_null("closed_at"))
                    .col(big_integer_null("published_at"))
                    .col(text_null("feedback"))
                    .foreign_key(&mut municipality_fk("survey"))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_survey_municipality_status", "survey", &["municipality_id", "status"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table("sample")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(integer("survey_id"))
                    .col(string("method"))
                    .col(string("strata"))
                    .col(big_integer("seed"))
                    .col(integer("requested"))
                    .col(integer("drawn"))
                    .col(integer_null("created_by"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut municipality_fk("sample"))
                    .foreign_key(&mut fk("sample", "survey_id", "survey", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;

        // Invitations hold the link to a member; responses never do.
        manager
            .create_table(
                Table::create()
                    .table("invitation")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(integer("survey_id"))
                    .col(integer_null("sample_id"))
                    .col(integer_null("member_id"))
                    .col(string_uniq("token_hash"))
                    .col(string_null("stratum"))
                    .col(integer("wave").default(1))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("sent_at"))
                    .col(integer("reminders_sent").default(0))
                    .col(big_integer_null("last_reminder_at"))
                    .col(boolean("completed").default(false))
                    .col(text_null("draft"))
                    .col(integer("draft_page").default(0))
                    .foreign_key(&mut municipality_fk("invitation"))
                    .foreign_key(&mut fk("invitation", "survey_id", "survey", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("invitation", "sample_id", "sample", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitation", "member_id", "member", ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_invitation_survey", "invitation", &["survey_id", "completed"], false).await?;
        index(manager, "ix_invitation_member", "invitation", &["member_id", "created_at"], false).await?;

        // Anonymous responses: random text ids, the day only, coarse attributes.
        manager
            .create_table(
                Table::create()
                    .table("response")
                    .col(string("id").primary_key())
                    .col(integer("municipality_id"))
                    .col(integer("survey_id"))
                    .col(string("submitted_on"))
                    .col(string("channel"))
                    .col(string_null("age_band"))
                    .col(string_null("gender"))
                    .col(string_null("district"))
                    .col(string_null("source_group"))
                    .foreign_key(&mut municipality_fk("response"))
                    .foreign_key(&mut fk("response", "survey_id", "survey", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_response_survey", "response", &["survey_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table("response_answer")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("response_id"))
                    .col(integer("survey_id"))
                    .col(string("question_key"))
                    .col(string_null("item_key"))
                    .col(string_null("option_key"))
                    .col(double_null("number_value"))
                    .col(text_null("text_value"))
                    .col(boolean("dont_know").default(false))
                    .col(string("moderation").default("pending"))
                    .foreign_key(&mut municipality_fk("response_answer"))
                    .foreign_key(&mut fk("response_answer", "response_id", "response", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_answer_survey_question",
            "response_answer",
            &["survey_id", "question_key", "item_key", "option_key"],
            false,
        )
        .await?;
        index(manager, "ix_answer_response", "response_answer", &["response_id"], false).await?;

        // Email outbox, written in the same transaction as what caused it.
        manager
            .create_table(
                Table::create()
                    .table("outbox_email")
                    .col(pk_auto("id"))
                    .col(integer_null("municipality_id"))
                    .col(string("kind"))
                    .col(string("to_address"))
                    .col(string("subject"))
                    .col(text("text_body"))
                    .col(text("html_body"))
                    .col(string("message_id"))
                    .col(string_null("list_unsubscribe"))
                    .col(string("status"))
                    .col(integer("attempts").default(0))
                    .col(big_integer("next_attempt_at"))
                    .col(text_null("last_error"))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("sent_at"))
                    .foreign_key(&mut municipality_fk("outbox_email"))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_outbox_due", "outbox_email", &["status", "next_attempt_at"], false).await?;

        // The compass: frameworks are data; assessments are per municipality.
        manager
            .create_table(
                Table::create()
                    .table("compass_assessment")
                    .col(pk_auto("id"))
                    .col(integer("municipality_id"))
                    .col(string("framework"))
                    .col(string("assessed_on"))
                    .col(string("assessor"))
                    .col(string("kind"))
                    .col(text("scores"))
                    .col(integer_null("created_by"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut municipality_fk("compass_assessment"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "compass_assessment",
            "outbox_email",
            "response_answer",
            "response",
            "invitation",
            "sample",
            "survey",
            "member_link",
            "member",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
