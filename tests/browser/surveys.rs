//! Links to the every-question-type survey, so a journey starts where a
//! resident would, and the answers stored at the end.

use radslag::domain::SecretToken;
use radslag::entities::{response_answer, survey};
use radslag::services::surveys::{Survey, SurveyKind};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::common::TestApp;
pub use crate::common::fixtures::open_survey;
use crate::common::fixtures::{add_member, invite};

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
