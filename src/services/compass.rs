//! The compass: frameworks, assessments, resident scores and dialogue indicators.
//!
//! Frameworks are data: two ship in the binary, admins may import more (one
//! table). Assessments store points per sub-question; totals are computed on
//! reading. Resident scores and dialogue indicators are computed from the
//! survey tables with SQL aggregates (see `docs/compass.md`).

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};
use serde_json::json;

use crate::domain::compass::{
    Assessment, AssessmentInput, AssessmentKind, Framework, MIN_RESPONDENTS, ScoreAccumulator, SubScore, Totals,
    dissimilarity_index, median, rating_score, scale_position_score, totals,
};
use crate::domain::survey::{LadderStep, QuestionKind, Text};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::weighting::WeightSums;
use crate::entities::{
    compass_assessment, compass_framework, invitation, population_margin, response, response_answer,
};
use crate::services::audit::{self, Actor};
use crate::services::results;
use crate::services::surveys::{self, Survey, SurveyStatus};
use crate::services::tenant::Municipality;

/// Seconds in a day.
const DAY: i64 = 24 * 3600;
/// How far back survey answers count for the resident view (24 months).
pub const RESIDENT_WINDOW_DAYS: i64 = 730;
/// How far back the staff evidence view looks (12 months).
pub const EVIDENCE_WINDOW_DAYS: i64 = 365;

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The input breaks a rule; nothing was stored.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Every framework the municipality can use: the shipped ones, then its imports.
pub async fn frameworks<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<Framework>, DbErr> {
    let mut all = Framework::shipped();
    all.extend(imported(db, municipality).await?.into_iter().filter_map(|row| Framework::parse(&row.definition).ok()));
    Ok(all)
}

/// Keys of the frameworks the municipality may choose in its settings:
/// the shipped ones and its own imports, each key once.
pub async fn selectable<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<Framework>, DbErr> {
    let mut seen = std::collections::HashSet::new();
    Ok(frameworks(db, municipality).await?.into_iter().filter(|f| seen.insert(f.key.clone())).collect())
}

/// The keys of [`selectable`].
pub async fn selectable_keys<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<String>, DbErr> {
    Ok(selectable(db, municipality).await?.into_iter().map(|f| f.key).collect())
}

/// The imported frameworks, newest first.
pub async fn imported<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
) -> Result<Vec<compass_framework::Model>, DbErr> {
    municipality.find::<compass_framework::Entity>().order_by_desc(compass_framework::Column::Id).all(db).await
}

/// The framework the municipality is assessed by (its setting), if known.
pub async fn framework_for<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
) -> Result<Option<Framework>, DbErr> {
    Ok(frameworks(db, municipality).await?.into_iter().find(|f| f.key == municipality.compass_framework))
}

/// Check a framework file and store it. Nothing is stored when it is invalid,
/// when its key is one of the shipped frameworks, or when this key and
/// version were imported before.
pub async fn import_framework(
    db: &DatabaseConnection,
    municipality: &Municipality,
    file: &[u8],
    actor: Actor,
) -> Result<Framework, ChangeError> {
    let text = std::str::from_utf8(file).map_err(|_| Invalid(vec![FieldError::new("$", "compass-error-encoding")]))?;
    let framework = Framework::parse(text)?;
    if Framework::shipped().iter().any(|f| f.key == framework.key) {
        return Err(
            Invalid(vec![FieldError::new("key", "compass-error-key-shipped").with("key", &framework.key)]).into()
        );
    }
    let transaction = crate::db::begin_write(db).await?;
    let existing = municipality
        .find::<compass_framework::Entity>()
        .filter(compass_framework::Column::Key.eq(&framework.key))
        .filter(compass_framework::Column::Version.eq(&framework.version))
        .one(&transaction)
        .await?;
    if existing.is_some() {
        return Err(Invalid(vec![
            FieldError::new("version", "compass-error-exists")
                .with("key", &framework.key)
                .with("version", &framework.version),
        ])
        .into());
    }
    let definition = serde_json::to_string(&framework).map_err(|e| DbErr::Custom(e.to_string()))?;
    let row = compass_framework::ActiveModel {
        municipality_id: Set(municipality.id),
        key: Set(framework.key.clone()),
        version: Set(framework.version.clone()),
        definition: Set(definition),
        created_by: Set(actor_id(actor)),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let details = json!({ "key": framework.key, "version": framework.version, "areas": framework.areas.len() });
    audit::record(
        &transaction,
        Some(municipality.id),
        actor,
        "compass.framework.import",
        &format!("compass_framework:{}", row.id),
        details,
    )
    .await?;
    transaction.commit().await?;
    Ok(framework)
}

fn actor_id(actor: Actor) -> Option<i32> {
    match actor {
        Actor::Staff { user_id } => Some(user_id),
        _ => None,
    }
}

/// Check and store an assessment of the municipality's framework, with an
/// audit row, in one transaction. Returns the new id.
pub async fn record_assessment(
    db: &DatabaseConnection,
    municipality: &Municipality,
    framework: &Framework,
    input: &AssessmentInput,
    actor: Actor,
) -> Result<i32, ChangeError> {
    let assessment = Assessment::parse(framework, input, surveys::today())?;
    let scores = serde_json::to_string(&assessment.scores).map_err(|e| DbErr::Custom(e.to_string()))?;
    let transaction = crate::db::begin_write(db).await?;
    let duplicate = municipality
        .find::<compass_assessment::Entity>()
        .filter(compass_assessment::Column::Framework.eq(&assessment.framework))
        .filter(compass_assessment::Column::AssessedOn.eq(assessment.assessed_on_text()))
        .filter(compass_assessment::Column::Assessor.eq(&assessment.assessor))
        .filter(compass_assessment::Column::Kind.eq(assessment.kind.code()))
        .one(&transaction)
        .await?;
    if duplicate.is_some() {
        return Err(Invalid(vec![FieldError::new("assessed_on", "compass-error-duplicate")]).into());
    }
    let row = compass_assessment::ActiveModel {
        municipality_id: Set(municipality.id),
        framework: Set(assessment.framework.clone()),
        assessed_on: Set(assessment.assessed_on_text()),
        assessor: Set(assessment.assessor.clone()),
        kind: Set(assessment.kind.code().to_owned()),
        scores: Set(scores),
        created_by: Set(actor_id(actor)),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let sum = totals(framework, &assessment.scores);
    let details = json!({
        "framework": assessment.framework,
        "assessed_on": assessment.assessed_on_text(),
        "kind": assessment.kind.code(),
        "total": sum.overall,
    });
    audit::record(
        &transaction,
        Some(municipality.id),
        actor,
        "compass.assessment.create",
        &format!("compass_assessment:{}", row.id),
        details,
    )
    .await?;
    transaction.commit().await?;
    Ok(row.id)
}

/// A stored assessment with its computed totals.
#[derive(Debug, Clone)]
pub struct StoredAssessment {
    /// Database id.
    pub id: i32,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// Who assessed.
    pub assessor: String,
    /// External or self.
    pub kind: AssessmentKind,
    /// Points per sub-question.
    pub scores: BTreeMap<String, SubScore>,
    /// Totals per area and overall.
    pub totals: Totals,
}

/// The municipality's assessments under `framework`, newest first.
pub async fn assessments<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    framework: &Framework,
) -> Result<Vec<StoredAssessment>, DbErr> {
    let rows = municipality
        .find::<compass_assessment::Entity>()
        .filter(compass_assessment::Column::Framework.eq(&framework.key))
        .order_by_desc(compass_assessment::Column::AssessedOn)
        .order_by_desc(compass_assessment::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let scores: BTreeMap<String, SubScore> = serde_json::from_str(&row.scores)
                .map_err(|_| DbErr::Custom(format!("compass_assessment {}: invalid scores", row.id)))?;
            Ok(StoredAssessment {
                id: row.id,
                assessed_on: row.assessed_on,
                assessor: row.assessor,
                kind: AssessmentKind::parse(&row.kind).unwrap_or(AssessmentKind::External),
                totals: totals(framework, &scores),
                scores,
            })
        })
        .collect()
}

/// One assessment with the framework it was made under and the assessment
/// before it (same framework), for the detail page.
#[derive(Debug, Clone)]
pub struct AssessmentDetail {
    /// The framework the assessment scores.
    pub framework: Framework,
    /// The assessment.
    pub assessment: StoredAssessment,
    /// The next older assessment of the same framework, if any.
    pub previous: Option<StoredAssessment>,
}

/// The framework with `key` the municipality knows (shipped first, then its
/// newest import), if any.
async fn framework_by_key<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    key: &str,
) -> Result<Option<Framework>, DbErr> {
    Ok(frameworks(db, municipality).await?.into_iter().find(|f| f.key == key))
}

/// One of the municipality's assessments with the one before it; `None` when
/// the id belongs to no assessment of this municipality (or its framework is
/// no longer known).
pub async fn assessment_detail<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    id: i32,
) -> Result<Option<AssessmentDetail>, DbErr> {
    let Some(row) =
        municipality.find::<compass_assessment::Entity>().filter(compass_assessment::Column::Id.eq(id)).one(db).await?
    else {
        return Ok(None);
    };
    let Some(framework) = framework_by_key(db, municipality, &row.framework).await? else { return Ok(None) };
    let history = assessments(db, municipality, &framework).await?;
    let Some(index) = history.iter().position(|a| a.id == id) else { return Ok(None) };
    let previous = history.get(index + 1).cloned();
    let assessment = history[index].clone();
    Ok(Some(AssessmentDetail { framework, assessment, previous }))
}

/// Correct a recorded assessment: the same checks as a new one (and no
/// duplicate of another), stored with an audit row in one transaction.
/// Nothing changes when a value is invalid.
pub async fn update_assessment(
    db: &DatabaseConnection,
    municipality: &Municipality,
    detail: &AssessmentDetail,
    input: &AssessmentInput,
    actor: Actor,
) -> Result<(), ChangeError> {
    let framework = &detail.framework;
    let id = detail.assessment.id;
    let assessment = Assessment::parse(framework, input, surveys::today())?;
    let scores = serde_json::to_string(&assessment.scores).map_err(|e| DbErr::Custom(e.to_string()))?;
    let transaction = crate::db::begin_write(db).await?;
    let row = municipality
        .find::<compass_assessment::Entity>()
        .filter(compass_assessment::Column::Id.eq(id))
        .one(&transaction)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("compass_assessment {id}")))?;
    let duplicate = municipality
        .find::<compass_assessment::Entity>()
        .filter(compass_assessment::Column::Id.ne(id))
        .filter(compass_assessment::Column::Framework.eq(&assessment.framework))
        .filter(compass_assessment::Column::AssessedOn.eq(assessment.assessed_on_text()))
        .filter(compass_assessment::Column::Assessor.eq(&assessment.assessor))
        .filter(compass_assessment::Column::Kind.eq(assessment.kind.code()))
        .one(&transaction)
        .await?;
    if duplicate.is_some() {
        return Err(Invalid(vec![FieldError::new("assessed_on", "compass-error-duplicate")]).into());
    }
    let mut active: compass_assessment::ActiveModel = row.into();
    active.assessed_on = Set(assessment.assessed_on_text());
    active.assessor = Set(assessment.assessor.clone());
    active.kind = Set(assessment.kind.code().to_owned());
    active.scores = Set(scores);
    active.update(&transaction).await?;
    let changed: Vec<&String> = assessment
        .scores
        .iter()
        .filter(|(key, score)| detail.assessment.scores.get(*key) != Some(*score))
        .map(|(key, _)| key)
        .collect();
    let details = json!({
        "framework": assessment.framework,
        "assessed_on": assessment.assessed_on_text(),
        "kind": assessment.kind.code(),
        "total_before": detail.assessment.totals.overall,
        "total": totals(framework, &assessment.scores).overall,
        "sub_questions_changed": changed,
    });
    audit::record(
        &transaction,
        Some(municipality.id),
        actor,
        "compass.assessment.update",
        &format!("compass_assessment:{id}"),
        details,
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// A survey that is evidence for an area.
#[derive(Debug, Clone)]
pub struct EvidenceSurvey {
    /// Survey id.
    pub id: i32,
    /// Title.
    pub title: Text,
    /// Whether results are public (link to `/results/{id}`).
    pub published: bool,
    /// Answers it gave to the area's questions.
    pub answers: i64,
}

/// What residents said about one area.
#[derive(Debug, Clone)]
pub struct ResidentScore {
    /// Area number.
    pub area: u8,
    /// Answers counted (one per statement, "don't know" excluded).
    pub answers: i64,
    /// Distinct responses behind them.
    pub respondents: i64,
    /// Effective number of respondents after weighting, (Σw)² / Σw²
    /// (equal to `respondents` when unweighted).
    pub effective_n: f64,
    /// Kish design effect of the weights, n·Σw² / (Σw)² (1 when unweighted).
    pub design_effect: f64,
    /// Mean 0–100, `None` when too few answered.
    pub score: Option<f64>,
    /// 95 % margin of error, when a score is shown.
    pub margin_of_error: Option<f64>,
    /// Whether the score is weighted to the population margins.
    pub weighted: bool,
    /// The surveys that fed the area.
    pub surveys: Vec<EvidenceSurvey>,
}

/// The fewest respondents before an area gets a score here.
pub fn minimum_respondents(municipality: &Municipality) -> i64 {
    Ord::max(MIN_RESPONDENTS, i64::from(municipality.suppression_threshold))
}

/// Scores of scale answers per option, for one question.
fn option_scores(kind: &QuestionKind) -> Option<HashMap<String, f64>> {
    let keys: Vec<&str> = match kind {
        QuestionKind::Likert { scale } | QuestionKind::LikertMatrix { scale, .. } => {
            scale.iter().map(|c| c.key.as_str()).collect()
        }
        QuestionKind::SingleChoice { options, ordered: true } => options.iter().map(|c| c.key.as_str()).collect(),
        _ => return None,
    };
    let count = keys.len();
    Some(
        keys.into_iter()
            .enumerate()
            .filter_map(|(index, key)| scale_position_score(index, count).map(|score| (key.to_owned(), score)))
            .collect(),
    )
}

/// A respondent's weighting cell: age band, gender, district.
type Cell = (Option<String>, Option<String>, Option<String>);

/// Answers of tagged questions grouped by survey, question, value and cell.
#[derive(Debug, FromQueryResult)]
struct ScoredGroup {
    survey_id: i32,
    question_key: String,
    option_key: Option<String>,
    number_value: Option<f64>,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    answers: i64,
}

/// Distinct respondents to tagged questions per survey and cell.
#[derive(Debug, FromQueryResult)]
struct RespondentCell {
    survey_id: i32,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    respondents: i64,
}

fn answer_to_response() -> RelationDef {
    response_answer::Entity::belongs_to(response::Entity)
        .from(response_answer::Column::ResponseId)
        .to(response::Column::Id)
        .into()
}

/// Tagged answers (not "don't know") of `which` joined to their response's cell.
fn tagged_answers(municipality: &Municipality, which: Condition) -> sea_orm::Select<response_answer::Entity> {
    municipality
        .find::<response_answer::Entity>()
        .join(JoinType::InnerJoin, answer_to_response())
        .filter(response_answer::Column::DontKnow.eq(false))
        .filter(which)
        .select_only()
        .column(response_answer::Column::SurveyId)
        .column_as(Expr::col((response::Entity, response::Column::AgeBand)), "age_band")
        .column_as(Expr::col((response::Entity, response::Column::Gender)), "gender")
        .column_as(Expr::col((response::Entity, response::Column::District)), "district")
        .group_by(response_answer::Column::SurveyId)
        .group_by(Expr::col((response::Entity, response::Column::AgeBand)))
        .group_by(Expr::col((response::Entity, response::Column::Gender)))
        .group_by(Expr::col((response::Entity, response::Column::District)))
}

/// Weights per survey: the results module's raking of each survey's
/// respondents to the population margins (`None`: no margins, unweighted).
type SurveyWeights = HashMap<i32, Option<HashMap<Cell, f64>>>;

/// Per area, scores of the scale questions tagged with it in `surveys`,
/// weighted to the population margins when the municipality has them.
pub async fn area_scores<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    framework: &Framework,
    surveys: &[Survey],
) -> Result<Vec<ResidentScore>, DbErr> {
    let minimum = minimum_respondents(municipality);
    let mut weights: SurveyWeights = HashMap::new();
    let mut result = Vec::new();
    for area in &framework.areas {
        // (survey, question key) → the question's kind, for the tagged scale questions.
        let mut tagged: Vec<(&Survey, &str, &QuestionKind)> = Vec::new();
        for survey in surveys {
            for (_, question) in survey.definition.questions() {
                if question.compass_area == Some(area.number) && question.kind.is_scale() {
                    tagged.push((survey, question.key.as_str(), &question.kind));
                }
            }
        }
        let mut accumulator = ScoreAccumulator::default();
        let mut per_survey: BTreeMap<i32, i64> = BTreeMap::new();
        let mut sums = WeightSums::default();
        let mut weighted = false;
        if !tagged.is_empty() {
            for (survey, _, _) in &tagged {
                if let std::collections::hash_map::Entry::Vacant(slot) = weights.entry(survey.id) {
                    slot.insert(results::survey_cell_weights(db, municipality, survey.id).await?);
                }
            }
            let weight_of = |survey_id: i32, cell: Cell| -> Option<f64> {
                weights.get(&survey_id)?.as_ref().map(|cells| cells.get(&cell).copied().unwrap_or(1.0))
            };
            let mut which = Condition::any();
            for (survey, key, _) in &tagged {
                which = which.add(
                    Condition::all()
                        .add(response_answer::Column::SurveyId.eq(survey.id))
                        .add(response_answer::Column::QuestionKey.eq(*key)),
                );
            }
            let groups: Vec<ScoredGroup> = tagged_answers(municipality, which.clone())
                .column(response_answer::Column::QuestionKey)
                .column(response_answer::Column::OptionKey)
                .column(response_answer::Column::NumberValue)
                .column_as(Expr::col((response_answer::Entity, response_answer::Column::Id)).count(), "answers")
                .group_by(response_answer::Column::QuestionKey)
                .group_by(response_answer::Column::OptionKey)
                .group_by(response_answer::Column::NumberValue)
                .into_model::<ScoredGroup>()
                .all(db)
                .await?;
            for group in groups {
                let Some((_, _, kind)) =
                    tagged.iter().find(|(s, k, _)| s.id == group.survey_id && *k == group.question_key)
                else {
                    continue;
                };
                let score = match kind {
                    QuestionKind::Rating { .. } => group.number_value.and_then(rating_score),
                    other => {
                        group.option_key.and_then(|o| option_scores(other).and_then(|scores| scores.get(&o).copied()))
                    }
                };
                if let Some(score) = score {
                    let weight = weight_of(group.survey_id, (group.age_band, group.gender, group.district));
                    accumulator.add(score, group.answers, weight.unwrap_or(1.0));
                    *per_survey.entry(group.survey_id).or_default() += group.answers;
                }
            }
            let cells: Vec<RespondentCell> = tagged_answers(municipality, which)
                .column_as(
                    Expr::col((response_answer::Entity, response_answer::Column::ResponseId)).count_distinct(),
                    "respondents",
                )
                .into_model::<RespondentCell>()
                .all(db)
                .await?;
            weighted = !cells.is_empty();
            for cell in cells {
                let weight = weight_of(cell.survey_id, (cell.age_band, cell.gender, cell.district));
                weighted &= weight.is_some();
                sums.add(cell.respondents as f64, weight.unwrap_or(1.0));
            }
        }
        let respondents = sums.n as i64;
        let shown = respondents >= minimum;
        let evidence = per_survey
            .iter()
            .filter_map(|(id, answers)| {
                surveys.iter().find(|s| s.id == *id).map(|s| EvidenceSurvey {
                    id: s.id,
                    title: s.definition.title.clone(),
                    published: s.status == SurveyStatus::Published,
                    answers: *answers,
                })
            })
            .collect();
        result.push(ResidentScore {
            area: area.number,
            answers: accumulator.answers(),
            respondents,
            effective_n: sums.effective_n(),
            design_effect: sums.design_effect(),
            score: if shown { accumulator.mean() } else { None },
            margin_of_error: if shown { accumulator.margin_of_error(sums.effective_n()) } else { None },
            weighted,
            surveys: evidence,
        });
    }
    Ok(result)
}

/// The resident view: published surveys closed in the last 24 months.
pub async fn resident_scores<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    framework: &Framework,
) -> Result<Vec<ResidentScore>, DbErr> {
    let cutoff = super::now() - RESIDENT_WINDOW_DAYS * DAY;
    let eligible: Vec<Survey> = surveys::list(db, municipality)
        .await?
        .into_iter()
        .filter(|s| s.status == SurveyStatus::Published && s.closed_at.or(s.published_at).is_some_and(|t| t >= cutoff))
        .collect();
    area_scores(db, municipality, framework, &eligible).await
}

/// Evidence for staff: surveys opened in the last 12 months, in any state
/// past draft, with what their tagged questions hold so far.
pub async fn evidence<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    framework: &Framework,
) -> Result<Vec<ResidentScore>, DbErr> {
    let cutoff = super::now() - EVIDENCE_WINDOW_DAYS * DAY;
    let recent: Vec<Survey> = surveys::list(db, municipality)
        .await?
        .into_iter()
        .filter(|s| s.opened_at.is_some_and(|t| t >= cutoff))
        .collect();
    area_scores(db, municipality, framework, &recent).await
}

/// Dialogue-practice indicators of one calendar year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearIndicators {
    /// The year.
    pub year: i32,
    /// Surveys opened in the year.
    pub surveys_opened: usize,
    /// Mean of the per-survey response rates (completed / invited) of surveys
    /// opened in the year that sent invitations, 0–1.
    pub response_rate: Option<f64>,
    /// Dissimilarity index of respondents (age band × gender) against the
    /// population margins, 0–1; lower is more representative.
    pub dissimilarity: Option<f64>,
    /// Respondents with age band and gender counted for the index.
    pub respondents: i64,
    /// Surveys closed in the year.
    pub surveys_closed: usize,
    /// Share of those with published results and feedback, 0–1.
    pub share_with_feedback: Option<f64>,
    /// Median days from close to publication for those published.
    pub median_days_to_feedback: Option<f64>,
    /// Surveys opened in the year per participation-ladder step (none last).
    pub ladder: Vec<(Option<LadderStep>, usize)>,
}

fn year_of(epoch: i64) -> Option<i32> {
    time::OffsetDateTime::from_unix_timestamp(epoch).ok().map(|t| t.year())
}

/// The indicators for every year with an opened or closed survey, newest first.
pub async fn indicators<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<YearIndicators>, DbErr> {
    let all = surveys::list(db, municipality).await?;
    let rates: Vec<(i32, i64, i64)> = municipality
        .find::<invitation::Entity>()
        .select_only()
        .column(invitation::Column::SurveyId)
        .column_as(Expr::cust("COUNT(*)"), "invited")
        .column_as(Expr::cust("CAST(SUM(CASE WHEN completed THEN 1 ELSE 0 END) AS BIGINT)"), "completed")
        .group_by(invitation::Column::SurveyId)
        .into_tuple()
        .all(db)
        .await?;
    let respondent_cells: Vec<(i32, Option<String>, Option<String>, i64)> = municipality
        .find::<response::Entity>()
        .select_only()
        .column(response::Column::SurveyId)
        .column(response::Column::AgeBand)
        .column(response::Column::Gender)
        .column_as(Expr::cust("COUNT(*)"), "respondents")
        .group_by(response::Column::SurveyId)
        .group_by(response::Column::AgeBand)
        .group_by(response::Column::Gender)
        .into_tuple()
        .all(db)
        .await?;
    let population_cells: Vec<(String, String, i64)> = municipality
        .find::<population_margin::Entity>()
        .select_only()
        .column(population_margin::Column::AgeBand)
        .column(population_margin::Column::Gender)
        .column_as(Expr::cust("CAST(SUM(population) AS BIGINT)"), "population")
        .group_by(population_margin::Column::AgeBand)
        .group_by(population_margin::Column::Gender)
        .into_tuple()
        .all(db)
        .await?;
    let population: BTreeMap<String, f64> =
        population_cells.into_iter().map(|(age, gender, n)| (format!("{age}|{gender}"), n as f64)).collect();

    let mut years: Vec<i32> =
        all.iter().flat_map(|s| [s.opened_at, s.closed_at]).flatten().filter_map(year_of).collect();
    years.sort_unstable();
    years.dedup();
    years.reverse();
    Ok(years
        .into_iter()
        .map(|year| {
            let opened: Vec<&Survey> = all.iter().filter(|s| s.opened_at.and_then(year_of) == Some(year)).collect();
            let closed: Vec<&Survey> = all.iter().filter(|s| s.closed_at.and_then(year_of) == Some(year)).collect();
            let per_survey_rates: Vec<f64> = opened
                .iter()
                .filter_map(|s| rates.iter().find(|(id, _, _)| *id == s.id))
                .filter(|(_, invited, _)| *invited > 0)
                .map(|(_, invited, completed)| *completed as f64 / *invited as f64)
                .collect();
            let mut respondents: BTreeMap<String, f64> = BTreeMap::new();
            for (survey_id, age, gender, count) in &respondent_cells {
                if let (Some(age), Some(gender)) = (age, gender)
                    && opened.iter().any(|s| s.id == *survey_id)
                {
                    *respondents.entry(format!("{age}|{gender}")).or_default() += *count as f64;
                }
            }
            let published: Vec<&&Survey> = closed.iter().filter(|s| s.published_at.is_some()).collect();
            let mut days: Vec<f64> =
                published.iter().filter_map(|s| Some((s.published_at? - s.closed_at?) as f64 / DAY as f64)).collect();
            let mut ladder: Vec<(Option<LadderStep>, usize)> = Vec::new();
            for survey in &opened {
                match ladder.iter_mut().find(|(step, _)| *step == survey.ladder_step) {
                    Some((_, count)) => *count += 1,
                    None => ladder.push((survey.ladder_step, 1)),
                }
            }
            ladder.sort_by_key(|(step, _)| (step.is_none(), *step));
            YearIndicators {
                year,
                surveys_opened: opened.len(),
                response_rate: (!per_survey_rates.is_empty())
                    .then(|| per_survey_rates.iter().sum::<f64>() / per_survey_rates.len() as f64),
                dissimilarity: dissimilarity_index(&respondents, &population),
                respondents: respondents.values().sum::<f64>() as i64,
                surveys_closed: closed.len(),
                share_with_feedback: (!closed.is_empty()).then(|| published.len() as f64 / closed.len() as f64),
                median_days_to_feedback: median(&mut days),
                ladder,
            }
        })
        .collect())
}

/// Everything the compass pages show.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The municipality's framework.
    pub framework: Framework,
    /// Its assessments, newest first.
    pub assessments: Vec<StoredAssessment>,
    /// The resident view per area.
    pub resident: Vec<ResidentScore>,
    /// Dialogue indicators per year, newest first.
    pub indicators: Vec<YearIndicators>,
}

/// Load the public compass of a municipality; `None` if its framework is unknown.
pub async fn overview<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Option<Overview>, DbErr> {
    let Some(framework) = framework_for(db, municipality).await? else { return Ok(None) };
    Ok(Some(Overview {
        assessments: assessments(db, municipality, &framework).await?,
        resident: resident_scores(db, municipality, &framework).await?,
        indicators: indicators(db, municipality).await?,
        framework,
    }))
}
