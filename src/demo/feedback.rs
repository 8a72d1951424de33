//! Demo feedback: the oldest closed survey with responses gets "what we
//! heard" and "what we will do", its unflagged free texts approved, and is
//! published (feedback emails go to the demo outbox folder). Runs once: a
//! published survey is left alone.

use sea_orm::{ColumnTrait, DatabaseConnection, PaginatorTrait, QueryFilter};

use crate::domain::moderation;
use crate::domain::survey::Text;
use crate::entities::{response, response_answer};
use crate::services::audit::Actor;
use crate::services::results::{self, Feedback, ModerationAction, moderation_state};
use crate::services::surveys::{self, SurveyStatus};
use crate::services::tenant::Municipality;

fn in_languages(survey: &surveys::Survey, nb: &str, nn: &str, sv: &str, en: &str) -> Text {
    use crate::domain::Language;
    Text(
        survey
            .definition
            .languages
            .iter()
            .map(|l| {
                let text = match l {
                    Language::Nb => nb,
                    Language::Nn => nn,
                    Language::Sv => sv,
                    Language::En => en,
                };
                (*l, text.to_owned())
            })
            .collect(),
    )
}

/// Publish feedback for one closed demo survey, if none is published yet.
pub async fn seed(db: &DatabaseConnection, base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let all = surveys::list(db, municipality).await?;
    if all.iter().any(|s| s.status == SurveyStatus::Published && s.feedback.is_some()) {
        return Ok(());
    }
    let mut closed: Vec<_> = all.into_iter().filter(|s| s.status == SurveyStatus::Closed).collect();
    closed.sort_by_key(|s| s.id);
    let mut chosen = None;
    for survey in closed {
        let responses =
            municipality.find::<response::Entity>().filter(response::Column::SurveyId.eq(survey.id)).count(db).await?;
        if responses > 0 {
            chosen = Some(survey);
            break;
        }
    }
    let Some(survey) = chosen else { return Ok(()) };
    let texts = municipality
        .find::<response_answer::Entity>()
        .filter(response_answer::Column::SurveyId.eq(survey.id))
        .filter(response_answer::Column::Moderation.eq(moderation_state::PENDING))
        .filter(response_answer::Column::TextValue.is_not_null())
        .all(db)
        .await?;
    for text in texts {
        if text.text_value.as_deref().is_some_and(|t| moderation::flags(t).is_empty()) {
            results::moderate(db, municipality, survey.id, text.id, &ModerationAction::Approve, Actor::System).await?;
        }
    }
    let feedback = Feedback {
        heard: in_languages(
            &survey,
            "De fleste vil ha tryggere gang- og sykkelveier, særlig langs skoleveiene.",
            "Dei fleste vil ha tryggare gang- og sykkelvegar, særleg langs skulevegane.",
            "De flesta vill ha säkrare gång- och cykelvägar, särskilt längs skolvägarna.",
            "Most people want safer walking and cycling routes, especially on the way to school.",
        ),
        will_do: in_languages(
            &survey,
            "Kommunestyret får resultatene i neste møte. Vi prioriterer belysning og fortau på de tre skoleveiene flest nevnte.",
            "Kommunestyret får resultata i neste møte. Vi prioriterer lys og fortau på dei tre skulevegane flest nemnde.",
            "Kommunfullmäktige får resultaten på nästa möte. Vi prioriterar belysning och trottoarer på de tre skolvägar flest nämnde.",
            "The council gets the results at its next meeting. We will give priority to lighting and pavements on the three school routes most people named.",
        ),
        did: Text::default(),
    };
    results::save_feedback(db, municipality, &survey, &feedback, Actor::System).await?;
    results::publish(db, base_url, municipality, survey.id, Actor::System).await?;
    Ok(())
}
