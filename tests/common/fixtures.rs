//! Shared test data: the every-question-type survey, members and
//! invitations written straight into the database.

use radslag::domain::SecretToken;
use radslag::domain::survey::SurveyDefinition;
use radslag::entities::{invitation, member};
use radslag::services::audit::Actor;
use radslag::services::surveys::{self, Survey, SurveyKind, SurveySettings, SurveyStatus};
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, Set};

use super::TestApp;

/// The survey in `tests/fixtures/every-question-type.json`.
pub fn definition() -> SurveyDefinition {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/every-question-type.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("valid definition")
}

/// Create and open the every-type survey.
pub async fn open_survey(app: &TestApp, municipality: &Municipality, kind: SurveyKind) -> Survey {
    let definition = definition();
    assert!(radslag::domain::survey::validate::structure(&definition).is_empty());
    let settings =
        SurveySettings { kind, closes_on: Some(surveys::today() + time::Duration::days(30)), ladder_step: None };
    let draft =
        surveys::create_draft(&app.db, municipality, &definition, &settings, Actor::System).await.expect("draft");
    surveys::set_status(&app.db, municipality, &draft, SurveyStatus::Open, Actor::System).await.expect("open");
    surveys::load(&app.db, municipality, draft.id).await.expect("load").expect("survey")
}

/// An active, confirmed member (40 years old, female, district `nord`, recruited).
pub async fn add_member(app: &TestApp, municipality: &Municipality, email: &str, language: &str) -> member::Model {
    member::ActiveModel {
        municipality_id: Set(municipality.id),
        email: Set(email.to_owned()),
        mobile: Set(None),
        birth_year: Set(surveys::today().year() - 40),
        gender: Set("female".into()),
        district: Set("nord".into()),
        education: Set(None),
        language: Set(language.into()),
        source: Set("register".into()),
        campaign: Set(None),
        status: Set("active".into()),
        paused_until: Set(None),
        consent_version: Set("2026-11".into()),
        consent_at: Set(radslag::services::now()),
        confirmed_at: Set(Some(0)),
        email_invalid: Set(false),
        created_at: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("member")
}

/// Invite a member; returns the token of the link.
pub async fn invite(app: &TestApp, municipality: &Municipality, survey: &Survey, member_id: i32) -> String {
    let token = SecretToken::generate();
    invitation::ActiveModel {
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        sample_id: Set(None),
        member_id: Set(Some(member_id)),
        token_hash: Set(token.hash()),
        stratum: Set(None),
        wave: Set(1),
        created_at: Set(0),
        sent_at: Set(None),
        reminders_sent: Set(0),
        last_reminder_at: Set(None),
        completed: Set(false),
        draft: Set(None),
        draft_page: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("invitation");
    token.reveal()
}

/// Set a member's status, e.g. `deactivated` for one who left the panel.
pub async fn set_member_status(app: &TestApp, member_id: i32, status: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    member::Entity::update_many()
        .col_expr(member::Column::Status, Expr::value(status))
        .filter(member::Column::Id.eq(member_id))
        .exec(&app.db)
        .await
        .expect("member status");
}

/// Mark a member's invitations to a survey as answered.
pub async fn complete_invitation(app: &TestApp, survey_id: i32, member_id: i32) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Completed, Expr::value(true))
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::MemberId.eq(member_id))
        .exec(&app.db)
        .await
        .expect("completed invitation");
}
