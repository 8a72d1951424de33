//! Surveys, members and invitations written straight into the database, so
//! a journey starts at the link a resident would get.

use radslag::domain::SecretToken;
use radslag::domain::survey::SurveyDefinition;
use radslag::entities::{invitation, member, response_answer, survey};
use radslag::services::audit::Actor;
use radslag::services::surveys::{self, Survey, SurveyKind, SurveySettings, SurveyStatus};
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::common::TestApp;

/// The survey with every question type (`tests/fixtures/every-question-type.json`),
/// open at `municipality`.
pub async fn open_survey(app: &TestApp, municipality: &Municipality, kind: SurveyKind) -> Survey {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/every-question-type.json"))
        .expect("fixture");
    let definition: SurveyDefinition = serde_json::from_str(&text).expect("valid definition");
    let settings =
        SurveySettings { kind, closes_on: Some(surveys::today() + time::Duration::days(30)), ladder_step: None };
    let draft =
        surveys::create_draft(&app.db, municipality, &definition, &settings, Actor::System).await.expect("draft");
    surveys::set_status(&app.db, municipality, &draft, SurveyStatus::Open, Actor::System).await.expect("open");
    surveys::load(&app.db, municipality, draft.id).await.expect("load").expect("survey")
}

/// An active panel member who reads `language`.
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
        consent_at: Set(0),
        confirmed_at: Set(Some(0)),
        email_invalid: Set(false),
        created_at: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("member")
}

/// An invitation for `member_id`; returns its secret token.
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

/// A Norwegian-reading member invited to the every-type survey at Alpha;
/// returns the survey and the path of the personal link.
pub async fn invited(app: &TestApp) -> (Survey, String) {
    let survey = open_survey(app, &app.alpha, SurveyKind::Panel).await;
    let member = add_member(app, &app.alpha, "kari@example.org", "nb").await;
    let token = invite(app, &app.alpha, &survey, member.id).await;
    (survey, format!("/s/{token}"))
}

/// Give an open survey a public link; returns its path.
pub async fn public_link(app: &TestApp, survey: &Survey) -> String {
    let public = SecretToken::generate();
    survey::ActiveModel { id: Set(survey.id), public_token_hash: Set(Some(public.hash())), ..Default::default() }
        .update(&app.db)
        .await
        .expect("public link");
    format!("/o/{}", public.reveal())
}

/// The stored answers as `question[.item]=option|number|text|dk`, sorted.
pub async fn stored_answers(app: &TestApp) -> Vec<String> {
    let mut rows: Vec<String> = response_answer::Entity::find()
        .all(&app.db)
        .await
        .expect("answers")
        .into_iter()
        .map(|a| {
            let key = a.item_key.map_or(a.question_key.clone(), |item| format!("{}.{item}", a.question_key));
            let value = if a.dont_know {
                "dk".to_owned()
            } else {
                [a.option_key, a.number_value.map(|n| n.to_string()), a.text_value]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("|")
            };
            format!("{key}={value}")
        })
        .collect();
    rows.sort();
    rows
}
