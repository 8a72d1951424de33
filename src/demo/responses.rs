//! Demo responses: a few hundred synthetic, plausible answers to every
//! closed or published survey that has none yet, so results, weighting and
//! the compass have something to show. Deterministic per survey.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use crate::domain::survey::{Answer, Answers, QuestionKind, SurveyDefinition};
use crate::domain::{AgeBand, Gender};
use crate::entities::response;
use crate::services::municipalities;
use crate::services::responses::{answer_rows, count_responses, prune_hidden};
use crate::services::surveys::{self, SurveyStatus};
use crate::services::tenant::Municipality;

/// Responses made for each closed survey.
const RESPONSES_PER_SURVEY: usize = 320;

/// Free-text answers to draw from (one mentions a phone number, one an
/// address, so moderation has something to catch).
const TEXTS: [&str; 10] = [
    "Flere benker og mer grønt i sentrum.",
    "Bedre belysning langs gang- og sykkelveiene.",
    "Bussen går for sjelden om kveldene.",
    "Det trengs flere parkeringsplasser ved skolen.",
    "Ring meg gjerne på 912 34 567 om dette.",
    "Biblioteket bør ha lengre åpningstider.",
    "Mer aktivitet for ungdom i helgene.",
    "Skriv til meg på ola.nordmann@example.org.",
    "Trygg skolevei er viktigst.",
    "Takk for at dere spør!",
];

/// Seed responses for closed and published surveys without any.
pub async fn seed(db: &DatabaseConnection, _base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let districts: Vec<String> =
        municipalities::districts(db, municipality).await?.into_iter().map(|d| d.code).collect();
    if districts.is_empty() {
        return Ok(());
    }
    for survey in surveys::list(db, municipality).await? {
        if !matches!(survey.status, SurveyStatus::Closed | SurveyStatus::Published) {
            continue;
        }
        if count_responses(db, municipality, survey.id).await? > 0 {
            continue;
        }
        let txn = crate::db::begin_write(db).await?;
        let mut rng = StdRng::seed_from_u64(u64::from(survey.id.unsigned_abs()) * 7919);
        for n in 0..RESPONSES_PER_SURVEY {
            let answers = prune_hidden(&survey.definition, &synthetic_answers(&survey.definition, &mut rng));
            insert_response(&txn, municipality, &survey, &answers, &districts, n, &mut rng).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}

async fn insert_response<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &surveys::Survey,
    answers: &Answers,
    districts: &[String],
    n: usize,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    // Panels over-represent the middle-aged, women and the centre.
    let age_weights = [6, 10, 15, 21, 24, 18, 6];
    let age_band = AgeBand::ALL[weighted(rng, &age_weights)];
    let gender = [Gender::Female, Gender::Male, Gender::Other][weighted(rng, &[55, 43, 2])];
    let district_weights: Vec<u32> = (0..districts.len()).map(|i| if i == 0 { 30 } else { 12 }).collect();
    let district = districts[weighted(rng, &district_weights)].clone();
    let day = survey.closes_on.unwrap_or_else(surveys::today) - time::Duration::days((n % 20) as i64);
    let id = crate::domain::SecretToken::generate().reveal();
    response::Entity::insert(response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        submitted_on: Set(day.format(surveys::DATE_FORMAT)?),
        channel: Set(if n.is_multiple_of(25) { "paper" } else { "panel" }.to_owned()),
        age_band: Set(Some(age_band.as_str().to_owned())),
        gender: Set(Some(gender.as_str().to_owned())),
        district: Set(Some(district)),
        source_group: Set(Some(if rng.random_bool(0.6) { "self" } else { "recruited" }.to_owned())),
    })
    .exec_without_returning(db)
    .await?;
    let rows = answer_rows(municipality.id, survey, &id, answers);
    if !rows.is_empty() {
        crate::entities::response_answer::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

fn weighted(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut pick = rng.random_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    weights.len().saturating_sub(1)
}

/// An index skewed towards the upper middle of a scale of `len` points.
fn skewed_point(rng: &mut StdRng, len: usize) -> usize {
    let weights: Vec<u32> = (0..len).map(|i| 2 + (i as u32 * 3).min(8) - if i + 1 == len { 3 } else { 0 }).collect();
    weighted(rng, &weights)
}

/// Plausible answers to every question (hidden ones are pruned afterwards).
pub fn synthetic_answers(definition: &SurveyDefinition, rng: &mut StdRng) -> Answers {
    let mut answers = Answers::new();
    for (_, question) in definition.questions() {
        if !question.required && rng.random_bool(0.12) {
            continue;
        }
        if question.dont_know && rng.random_bool(0.06) {
            answers.insert(question.key.clone(), Answer::DontKnow);
            continue;
        }
        let answer = match &question.kind {
            QuestionKind::SingleChoice { options, .. } => {
                let weights: Vec<u32> = (0..options.len()).map(|i| (options.len() - i) as u32 + 1).collect();
                Answer::Choice(options[weighted(rng, &weights)].key.clone())
            }
            QuestionKind::Likert { scale } => Answer::Choice(scale[skewed_point(rng, scale.len())].key.clone()),
            QuestionKind::MultipleChoice { options, .. } => {
                let mut selected: Vec<String> =
                    options.iter().filter(|_| rng.random_bool(0.4)).map(|o| o.key.clone()).collect();
                if selected.is_empty() {
                    selected.push(options[rng.random_range(0..options.len())].key.clone());
                }
                Answer::Choices { selected, other: None }
            }
            QuestionKind::LikertMatrix { scale, statements } => Answer::Matrix(
                statements.iter().map(|s| (s.key.clone(), scale[skewed_point(rng, scale.len())].key.clone())).collect(),
            ),
            QuestionKind::Rating { .. } => Answer::Number(skewed_point(rng, 11) as f64),
            QuestionKind::Number { min, max, .. } => {
                let low = min.unwrap_or(0.0);
                let high = max.unwrap_or(low + 20.0).min(low + 40.0);
                Answer::Number(rng.random_range(low..=high).round())
            }
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                if rng.random_bool(0.5) {
                    continue;
                }
                Answer::Text(TEXTS[rng.random_range(0..TEXTS.len())].to_owned())
            }
            QuestionKind::Ranking { options } => {
                let mut order: Vec<String> = options.iter().map(|o| o.key.clone()).collect();
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.random_range(0..=i));
                }
                Answer::Ranking(order)
            }
        };
        answers.insert(question.key.clone(), answer);
    }
    answers
}
