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

/// An active member like [`add_member`], living in `district`, of `gender`,
/// `age` years old.
pub async fn add_member_with(
    app: &TestApp,
    municipality: &Municipality,
    email: &str,
    district: &str,
    gender: &str,
    age: i32,
) -> member::Model {
    let added = add_member(app, municipality, email, "nb").await;
    let mut changed: member::ActiveModel = added.into();
    changed.district = Set(district.to_owned());
    changed.gender = Set(gender.to_owned());
    changed.birth_year = Set(surveys::today().year() - age);
    changed.update(&app.db).await.expect("member")
}

/// The coarse attributes a stored response carries.
#[derive(Debug, Clone, Copy)]
pub struct Respondent {
    /// Age band code, e.g. `35-44`.
    pub age_band: &'static str,
    /// `female`, `male` or `other`.
    pub gender: &'static str,
    /// District code.
    pub district: &'static str,
}

/// Store a submitted response with one chosen option per `(question, option)`.
pub async fn add_response(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    who: Respondent,
    choices: &[(&str, &str)],
) -> String {
    use radslag::entities::{response, response_answer};
    use sea_orm::EntityTrait;
    let id = SecretToken::generate().reveal();
    response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey_id),
        submitted_on: Set(surveys::today().to_string()),
        channel: Set("panel".to_owned()),
        age_band: Set(Some(who.age_band.to_owned())),
        gender: Set(Some(who.gender.to_owned())),
        district: Set(Some(who.district.to_owned())),
        source_group: Set(Some("self".to_owned())),
    }
    .insert(&app.db)
    .await
    .expect("response");
    let answers: Vec<response_answer::ActiveModel> = choices
        .iter()
        .map(|(question, option)| response_answer::ActiveModel {
            municipality_id: Set(municipality.id),
            response_id: Set(id.clone()),
            survey_id: Set(survey_id),
            question_key: Set((*question).to_owned()),
            item_key: Set(None),
            option_key: Set(Some((*option).to_owned())),
            number_value: Set(None),
            text_value: Set(None),
            dont_know: Set(false),
            moderation: Set("none".to_owned()),
            ..Default::default()
        })
        .collect();
    if !answers.is_empty() {
        response_answer::Entity::insert_many(answers).exec_without_returning(&app.db).await.expect("answers");
    }
    id
}
