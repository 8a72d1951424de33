//! Results: aggregates in SQL, weighting, suppression, moderation of free
//! text, feedback and publishing.
//!
//! Answers are never loaded one by one: the database groups them by
//! question, option and the respondent's weighting cell (age band × gender ×
//! district), and every figure — counts, shares, means, medians, NPS,
//! ranking scores, weighted estimates — is computed from those groups.
//! Weights are per cell (raking only uses cell attributes), so weighting
//! needs no single responses either. Small groups are suppressed here, so
//! every page, export and API gets the same, safe numbers.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoCondition, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};
use serde_json::json;

use crate::domain::jsonstat;
use crate::domain::moderation::{self, PersonalDataFlag};
use crate::domain::suppression;
use crate::domain::survey::{QuestionKind, Text};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::weighting::{self, Margin, RakingOptions, Unit, WeightSums};
use crate::domain::{AgeBand, Gender, Language};
use crate::entities::{invitation, member, population_margin, response, response_answer, survey};
use crate::services::audit::{self, Actor};
use crate::services::municipalities::{self, ChangeError};
use crate::services::outbox::{self, OutgoingEmail};
use crate::services::surveys::{self, Survey, SurveyStatus};
use crate::services::tenant::Municipality;

/// How answers are split into groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Breakdown {
    /// No breakdown: everyone together.
    #[default]
    None,
    /// By district.
    District,
    /// By age band.
    AgeBand,
    /// By gender.
    Gender,
    /// By how members were recruited (`self` or `recruited`).
    SourceGroup,
    /// By the answer to another single-choice or Likert question.
    Question(String),
}

impl Breakdown {
    /// Parse the code used in URLs (`district`, `age_band`, `gender`,
    /// `source_group`, `question:KEY`); unknown codes and questions that
    /// cannot split respondents mean no breakdown.
    pub fn parse(code: &str, survey: &Survey) -> Self {
        match code {
            "district" => Breakdown::District,
            "age_band" => Breakdown::AgeBand,
            "gender" => Breakdown::Gender,
            "source_group" => Breakdown::SourceGroup,
            other => match other.strip_prefix("question:") {
                Some(key) if breakdown_questions(survey).iter().any(|(k, _)| k == key) => {
                    Breakdown::Question(key.to_owned())
                }
                _ => Breakdown::None,
            },
        }
    }

    /// The code used in URLs.
    pub fn code(&self) -> String {
        match self {
            Breakdown::None => String::new(),
            Breakdown::District => "district".into(),
            Breakdown::AgeBand => "age_band".into(),
            Breakdown::Gender => "gender".into(),
            Breakdown::SourceGroup => "source_group".into(),
            Breakdown::Question(key) => format!("question:{key}"),
        }
    }
}

/// Questions whose answer can split respondents into groups (one option each).
pub fn breakdown_questions(survey: &Survey) -> Vec<(String, Text)> {
    survey
        .definition
        .questions()
        .filter(|(_, q)| matches!(q.kind, QuestionKind::SingleChoice { .. } | QuestionKind::Likert { .. }))
        .map(|(_, q)| (q.key.clone(), q.text.clone()))
        .collect()
}

/// Which population margins to rake to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightingChoice {
    /// Rake to age bands.
    pub age_band: bool,
    /// Rake to gender.
    pub gender: bool,
    /// Rake to districts.
    pub district: bool,
}

impl Default for WeightingChoice {
    fn default() -> Self {
        Self { age_band: true, gender: true, district: true }
    }
}

impl WeightingChoice {
    /// Parse a comma-separated list (`age_band,gender,district`); empty or
    /// absent means all three.
    pub fn parse(text: Option<&str>) -> Self {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Self::default(),
            Some(text) => {
                let parts: HashSet<&str> = text.split(',').map(str::trim).collect();
                Self {
                    age_band: parts.contains("age_band"),
                    gender: parts.contains("gender"),
                    district: parts.contains("district"),
                }
            }
        }
    }

    /// The list form.
    pub fn code(&self) -> String {
        [(self.age_band, "age_band"), (self.gender, "gender"), (self.district, "district")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, code)| code)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The weighting cell of a respondent: age band, gender, district.
type Cell = (Option<String>, Option<String>, Option<String>);

/// How the weights came out.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightingSummary {
    /// Margins raked to.
    pub choice: WeightingChoice,
    /// Iterations run.
    pub iterations: u32,
    /// Whether all margins were met.
    pub converged: bool,
    /// Units (cells) at a trimming bound.
    pub trimmed_cells: usize,
    /// Design effect over all respondents.
    pub design_effect: f64,
    /// Effective sample size over all respondents.
    pub effective_n: f64,
    /// Smallest and largest weight.
    pub weight_range: (f64, f64),
}

/// Respondents against the population in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentationRow {
    /// `district`, `age_band`, `gender` or `source_group`.
    pub dimension: &'static str,
    /// Group code (`None`: not known).
    pub group: Option<String>,
    /// Respondents, or `None` when suppressed.
    pub respondents: Option<u64>,
    /// Share of respondents, or `None` when suppressed.
    pub share: Option<f64>,
    /// Share of the population, if margins exist.
    pub population_share: Option<f64>,
}

/// One option's figures in one column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionFigures {
    /// Option key (scale point, value as text for ratings).
    pub key: String,
    /// Respondents who chose it.
    pub count: u64,
    /// Share of the column's respondents (0–1).
    pub share: f64,
    /// Weighted share, if weighted.
    pub weighted_share: Option<f64>,
    /// 95 % margin of error of the weighted share.
    pub margin_of_error: Option<f64>,
    /// Ranking: mean position (1 = first).
    pub mean_rank: Option<f64>,
    /// Ranking: Borda points (k − position + 1 summed).
    pub borda: Option<f64>,
}

/// Summary numbers of a scale or number question in one column.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScaleFigures {
    /// Mean (scale points numbered from 1).
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Weighted mean, if weighted.
    pub weighted_mean: Option<f64>,
    /// Net promoter score for 0–10 ratings (−100 to 100).
    pub nps: Option<f64>,
    /// Weighted NPS.
    pub weighted_nps: Option<f64>,
}

/// One column (all respondents, or one group) of one question item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    /// Group code; `None` for the "all" column or the "not known" group.
    pub group: Option<String>,
    /// Hidden by suppression: nothing below is filled in.
    pub hidden: bool,
    /// Respondents who answered (not "don't know").
    pub n: u64,
    /// Respondents who said "don't know".
    pub dont_know: u64,
    /// Option figures, in the definition's order.
    pub options: Vec<OptionFigures>,
    /// Scale summary, for scales, ratings and numbers.
    pub scale: Option<ScaleFigures>,
    /// Design effect of the weights among these respondents.
    pub design_effect: Option<f64>,
    /// Effective sample size among these respondents.
    pub effective_n: Option<f64>,
}

/// One statement of a matrix, or the whole question otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// Matrix statement key.
    pub item: Option<String>,
    /// The "all" column first, then one per group in [`SurveyResults::groups`].
    pub columns: Vec<Column>,
}

/// A free-text answer fit for publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedText {
    /// The (approved or redacted) text.
    pub text: String,
    /// Whether staff removed personal data from it.
    pub redacted: bool,
}

/// Results of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    /// Question key.
    pub key: String,
    /// Items (one unless a matrix).
    pub items: Vec<ItemResult>,
    /// Free texts shown (approved/redacted; only with enough respondents).
    pub texts: Vec<PublishedText>,
    /// Respondents to the question (any item), for the text rule.
    pub respondents: u64,
}

/// Everything the results pages and exports show.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyResults {
    /// The survey.
    pub survey: Survey,
    /// Groups smaller than this are hidden.
    pub threshold: u64,
    /// Responses received.
    pub responses: u64,
    /// Invitations made.
    pub invitations: u64,
    /// Invitations answered.
    pub completed_invitations: u64,
    /// Respondents vs population by group.
    pub representation: Vec<RepresentationRow>,
    /// Weighting, when margins exist and weighting was possible.
    pub weighting: Option<WeightingSummary>,
    /// The breakdown shown.
    pub breakdown: Breakdown,
    /// Group codes of the breakdown, in display order (`None` = not known).
    pub groups: Vec<Option<String>>,
    /// Per question, in the definition's order.
    pub questions: Vec<QuestionResult>,
}

impl SurveyResults {
    /// Completed invitations / invitations, if there were invitations.
    pub fn response_rate(&self) -> Option<f64> {
        (self.invitations > 0).then(|| self.completed_invitations as f64 / self.invitations as f64)
    }

    /// Whether the whole survey has too few responses to show anything.
    pub fn too_few(&self) -> bool {
        !suppression::visible(self.responses, self.threshold)
    }
}

fn answer_to_response() -> RelationDef {
    response_answer::Entity::belongs_to(response::Entity)
        .from(response_answer::Column::ResponseId)
        .to(response::Column::Id)
        .into()
}

fn group_expression(breakdown: &Breakdown) -> Expr {
    match breakdown {
        Breakdown::None => Expr::cust("CAST(NULL AS TEXT)"),
        Breakdown::District => Expr::col((response::Entity, response::Column::District)),
        Breakdown::AgeBand => Expr::col((response::Entity, response::Column::AgeBand)),
        Breakdown::Gender => Expr::col((response::Entity, response::Column::Gender)),
        Breakdown::SourceGroup => Expr::col((response::Entity, response::Column::SourceGroup)),
        Breakdown::Question(_) => Expr::col((Alias::new("breakdown_answer"), response_answer::Column::OptionKey)),
    }
}

/// The answers of a survey joined to their responses (and to the
/// breakdown question's answer), without free-text-only rows.
fn answers_with_cells(
    municipality: &Municipality,
    survey_id: i32,
    breakdown: &Breakdown,
) -> sea_orm::Select<response_answer::Entity> {
    let mut select = municipality
        .find::<response_answer::Entity>()
        .join(JoinType::InnerJoin, answer_to_response())
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(
            response_answer::Column::OptionKey
                .is_not_null()
                .or(response_answer::Column::NumberValue.is_not_null())
                .or(response_answer::Column::DontKnow.eq(true)),
        );
    if let Breakdown::Question(key) = breakdown {
        let key = key.clone();
        let relation: RelationDef = response_answer::Entity::belongs_to(response_answer::Entity)
            .from(response_answer::Column::ResponseId)
            .to(response_answer::Column::ResponseId)
            .on_condition(move |_, right| {
                Expr::col((right.clone(), response_answer::Column::QuestionKey))
                    .eq(key.clone())
                    .and(Expr::col((right.clone(), response_answer::Column::ItemKey)).is_null())
                    .and(Expr::col((right, response_answer::Column::OptionKey)).is_not_null())
                    .into_condition()
            })
            .into();
        select = select.join_as(JoinType::LeftJoin, relation, Alias::new("breakdown_answer"));
    }
    select
        .select_only()
        .column(response_answer::Column::QuestionKey)
        .column(response_answer::Column::ItemKey)
        .column_as(Expr::col((response::Entity, response::Column::AgeBand)), "age_band")
        .column_as(Expr::col((response::Entity, response::Column::Gender)), "gender")
        .column_as(Expr::col((response::Entity, response::Column::District)), "district")
        .column_as(group_expression(breakdown), "group_key")
        .column(response_answer::Column::DontKnow)
        .group_by(response_answer::Column::QuestionKey)
        .group_by(response_answer::Column::ItemKey)
        .group_by(Expr::col((response::Entity, response::Column::AgeBand)))
        .group_by(Expr::col((response::Entity, response::Column::Gender)))
        .group_by(Expr::col((response::Entity, response::Column::District)))
        .group_by(group_expression(breakdown))
        .group_by(response_answer::Column::DontKnow)
}

/// Answer rows grouped by question, item, option, value and cell.
#[derive(Debug, FromQueryResult)]
struct AnswerGroup {
    question_key: String,
    item_key: Option<String>,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    group_key: Option<String>,
    dont_know: bool,
    option_key: Option<String>,
    number_value: Option<f64>,
    rows: i64,
}

/// Respondents grouped by question, item and cell.
#[derive(Debug, FromQueryResult)]
struct RespondentGroup {
    question_key: String,
    item_key: Option<String>,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    group_key: Option<String>,
    dont_know: bool,
    respondents: i64,
}

#[derive(Debug, FromQueryResult)]
struct CellCount {
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    respondents: i64,
}

#[derive(Debug, FromQueryResult)]
struct GroupCount {
    group_key: Option<String>,
    respondents: i64,
}

async fn cell_counts<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Vec<CellCount>, DbErr> {
    municipality
        .find::<response::Entity>()
        .filter(response::Column::SurveyId.eq(survey_id))
        .select_only()
        .column(response::Column::AgeBand)
        .column(response::Column::Gender)
        .column(response::Column::District)
        .column_as(Expr::col(response::Column::Id).count(), "respondents")
        .group_by(response::Column::AgeBand)
        .group_by(response::Column::Gender)
        .group_by(response::Column::District)
        .into_model::<CellCount>()
        .all(db)
        .await
}

/// Weights per cell, raked to the chosen population margins.
fn rake_cells(
    cells: &[CellCount],
    margins: &[population_margin::Model],
    choice: WeightingChoice,
) -> Option<(HashMap<Cell, f64>, WeightingSummary)> {
    if margins.is_empty() || cells.is_empty() || !(choice.age_band || choice.gender || choice.district) {
        return None;
    }
    let age_codes: Vec<&str> = AgeBand::ALL.iter().map(|b| b.as_str()).collect();
    let gender_codes: Vec<&str> = Gender::IN_MARGINS.iter().map(|g| g.as_str()).collect();
    let mut district_codes: Vec<&str> = margins.iter().map(|m| m.district_code.as_str()).collect();
    district_codes.sort_unstable();
    district_codes.dedup();
    let position =
        |codes: &[&str], value: &Option<String>| value.as_deref().and_then(|v| codes.iter().position(|c| *c == v));
    let units: Vec<Unit> = cells
        .iter()
        .map(|cell| Unit {
            categories: vec![
                position(&age_codes, &cell.age_band),
                position(&gender_codes, &cell.gender),
                position(&district_codes, &cell.district),
            ],
            count: cell.respondents as f64,
        })
        .collect();
    let totals = |codes: &[&str], of: &dyn Fn(&population_margin::Model) -> &str| -> Vec<f64> {
        codes.iter().map(|code| margins.iter().filter(|m| of(m) == *code).map(|m| m.population as f64).sum()).collect()
    };
    let mut wanted = Vec::new();
    if choice.age_band {
        wanted.push(Margin { dimension: 0, population: totals(&age_codes, &|m| m.age_band.as_str()) });
    }
    if choice.gender {
        wanted.push(Margin { dimension: 1, population: totals(&gender_codes, &|m| m.gender.as_str()) });
    }
    if choice.district {
        wanted.push(Margin { dimension: 2, population: totals(&district_codes, &|m| m.district_code.as_str()) });
    }
    let raked = weighting::rake(&units, &wanted, &RakingOptions::default());
    let mut sums = WeightSums::default();
    let mut weights = HashMap::new();
    for (cell, weight) in cells.iter().zip(&raked.weights) {
        sums.add(cell.respondents as f64, *weight);
        weights.insert((cell.age_band.clone(), cell.gender.clone(), cell.district.clone()), *weight);
    }
    let low = raked.weights.iter().copied().fold(f64::INFINITY, f64::min);
    let high = raked.weights.iter().copied().fold(0.0, f64::max);
    let summary = WeightingSummary {
        choice,
        iterations: raked.iterations,
        converged: raked.converged,
        trimmed_cells: raked.trimmed_units,
        design_effect: sums.design_effect(),
        effective_n: sums.effective_n(),
        weight_range: (low, high),
    };
    Some((weights, summary))
}

async fn representation<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    cells: &[CellCount],
    margins: &[population_margin::Model],
    threshold: u64,
) -> Result<Vec<RepresentationRow>, DbErr> {
    let source_groups = municipality
        .find::<response::Entity>()
        .filter(response::Column::SurveyId.eq(survey_id))
        .select_only()
        .column_as(response::Column::SourceGroup, "group_key")
        .column_as(Expr::col(response::Column::Id).count(), "respondents")
        .group_by(response::Column::SourceGroup)
        .into_model::<GroupCount>()
        .all(db)
        .await?;
    let total: u64 = cells.iter().map(|c| c.respondents as u64).sum();
    let population: f64 = margins.iter().map(|m| m.population as f64).sum();
    let mut rows = Vec::new();
    type Pick = fn(&CellCount) -> &Option<String>;
    type PickMargin = fn(&population_margin::Model) -> &str;
    let dimensions: [(&'static str, Pick, Option<PickMargin>); 3] = [
        ("district", |c| &c.district, Some(|m| m.district_code.as_str())),
        ("age_band", |c| &c.age_band, Some(|m| m.age_band.as_str())),
        ("gender", |c| &c.gender, Some(|m| m.gender.as_str())),
    ];
    for (dimension, pick, pick_margin) in dimensions {
        let mut groups: BTreeMap<Option<String>, u64> = BTreeMap::new();
        for cell in cells {
            *groups.entry(pick(cell).clone()).or_default() += cell.respondents as u64;
        }
        if let Some(pick_margin) = pick_margin {
            for margin in margins {
                groups.entry(Some(pick_margin(margin).to_owned())).or_default();
            }
        }
        let population_of = |group: &Option<String>| {
            let pick_margin = pick_margin?;
            let code = group.as_deref()?;
            (population > 0.0).then(|| {
                margins.iter().filter(|m| pick_margin(m) == code).map(|m| m.population as f64).sum::<f64>() / population
            })
        };
        push_groups(&mut rows, dimension, groups, total, threshold, population_of);
    }
    let groups: BTreeMap<Option<String>, u64> =
        source_groups.into_iter().map(|g| (g.group_key, g.respondents as u64)).collect();
    push_groups(&mut rows, "source_group", groups, total, threshold, |_| None);
    Ok(rows)
}

fn push_groups(
    rows: &mut Vec<RepresentationRow>,
    dimension: &'static str,
    groups: BTreeMap<Option<String>, u64>,
    total: u64,
    threshold: u64,
    population_of: impl Fn(&Option<String>) -> Option<f64>,
) {
    let counts: Vec<u64> = groups.values().copied().collect();
    let suppressed = suppression::suppress(&counts, threshold);
    for (index, (group, count)) in groups.into_iter().enumerate() {
        let shown = suppressed.shows(index) && !suppressed.total_hidden;
        rows.push(RepresentationRow {
            dimension,
            population_share: population_of(&group),
            respondents: shown.then_some(count),
            share: (shown && total > 0).then(|| count as f64 / total as f64),
            group,
        });
    }
}

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct ResultsRequest {
    /// Breakdown of every question.
    pub breakdown: Breakdown,
    /// Margins to weight to.
    pub weighting: WeightingChoice,
}

/// Compute the results of a survey (any status) with suppression applied.
pub async fn compute<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
    request: &ResultsRequest,
) -> Result<SurveyResults, DbErr> {
    let threshold = Ord::max(municipality.suppression_threshold, 1) as u64;
    let cells = cell_counts(db, municipality, survey.id).await?;
    let margins = municipality.find::<population_margin::Entity>().all(db).await?;
    let weighted = rake_cells(&cells, &margins, request.weighting);
    let responses: u64 = cells.iter().map(|c| c.respondents as u64).sum();
    let invitations =
        municipality.find::<invitation::Entity>().filter(invitation::Column::SurveyId.eq(survey.id)).count(db).await?;
    let completed_invitations = municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::SurveyId.eq(survey.id))
        .filter(invitation::Column::Completed.eq(true))
        .count(db)
        .await?;
    let representation = representation(db, municipality, survey.id, &cells, &margins, threshold).await?;
    let answer_groups = answers_with_cells(municipality, survey.id, &request.breakdown)
        .column(response_answer::Column::OptionKey)
        .column(response_answer::Column::NumberValue)
        .column_as(Expr::col((response_answer::Entity, response_answer::Column::Id)).count(), "rows")
        .group_by(response_answer::Column::OptionKey)
        .group_by(response_answer::Column::NumberValue)
        .into_model::<AnswerGroup>()
        .all(db)
        .await?;
    // Respondents need counting apart from rows only where one respondent
    // has several rows (multiple choice, ranking).
    let several_rows: Vec<String> = survey
        .definition
        .questions()
        .filter(|(_, q)| several_rows_per_respondent(&q.kind))
        .map(|(_, q)| q.key.clone())
        .collect();
    let respondent_groups = if several_rows.is_empty() {
        Vec::new()
    } else {
        answers_with_cells(municipality, survey.id, &request.breakdown)
            .filter(response_answer::Column::QuestionKey.is_in(several_rows))
            .column_as(
                Expr::col((response_answer::Entity, response_answer::Column::ResponseId)).count_distinct(),
                "respondents",
            )
            .into_model::<RespondentGroup>()
            .all(db)
            .await?
    };
    let (weights, weighting) = match weighted {
        Some((weights, summary)) => (Some(weights), Some(summary)),
        None => (None, None),
    };
    let groups = breakdown_groups(db, municipality, survey, &request.breakdown).await?;
    let aggregates = Aggregates { answers: &answer_groups, respondents: &respondent_groups, weights: weights.as_ref() };
    let mut questions = Vec::new();
    for (_, question) in survey.definition.questions() {
        let mut result = aggregates.question(question, &groups, threshold);
        if matches!(question.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }) {
            result.respondents = text_respondents(db, municipality, survey.id, &question.key).await?;
        }
        let has_other = matches!(question.kind, QuestionKind::MultipleChoice { other: true, .. });
        let is_text = question.kind.max_text_length() > 0;
        if (is_text || has_other) && suppression::visible(result.respondents, threshold) {
            result.texts = published_texts(db, municipality, survey.id, &question.key).await?;
        }
        questions.push(result);
    }
    Ok(SurveyResults {
        survey: survey.clone(),
        threshold,
        responses,
        invitations,
        completed_invitations,
        representation,
        weighting,
        breakdown: request.breakdown.clone(),
        groups,
        questions,
    })
}

/// The groups of a breakdown in display order.
async fn breakdown_groups<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
    breakdown: &Breakdown,
) -> Result<Vec<Option<String>>, DbErr> {
    let mut groups: Vec<Option<String>> = match breakdown {
        Breakdown::None => return Ok(Vec::new()),
        Breakdown::AgeBand => AgeBand::ALL.iter().map(|b| Some(b.as_str().to_owned())).collect(),
        Breakdown::Gender => {
            [Gender::Female, Gender::Male, Gender::Other].iter().map(|g| Some(g.as_str().to_owned())).collect()
        }
        Breakdown::SourceGroup => vec![Some("self".into()), Some("recruited".into())],
        Breakdown::District => {
            let all = municipality.find::<crate::entities::district::Entity>().all(db).await?;
            let mut all: Vec<_> = all.into_iter().map(|d| (d.position, d.code)).collect();
            all.sort();
            all.into_iter().map(|(_, code)| Some(code)).collect()
        }
        Breakdown::Question(key) => survey
            .definition
            .question(key)
            .map(|q| q.kind.option_keys().into_iter().map(|k| Some(k.to_owned())).collect())
            .unwrap_or_default(),
    };
    groups.push(None);
    Ok(groups)
}

struct Aggregates<'a> {
    answers: &'a [AnswerGroup],
    respondents: &'a [RespondentGroup],
    weights: Option<&'a HashMap<Cell, f64>>,
}

/// Which column a group row belongs to: 0 = all, 1.. = groups.
fn column_indices(groups: &[Option<String>], group: &Option<String>) -> Vec<usize> {
    let mut indices = vec![0];
    if !groups.is_empty() {
        let position = groups.iter().position(|g| g == group).unwrap_or(groups.len() - 1);
        indices.push(position + 1);
    }
    indices
}

/// Running sums of one column.
#[derive(Default, Clone)]
struct Accumulator {
    n: u64,
    dont_know: u64,
    base: WeightSums,
    options: BTreeMap<String, (u64, f64)>,
    values: BTreeMap<i64, (f64, u64, f64)>,
    rank_sums: BTreeMap<String, (f64, f64, f64)>,
}

impl Aggregates<'_> {
    fn weight(&self, cell: Cell) -> f64 {
        self.weights.and_then(|w| w.get(&cell)).copied().unwrap_or(1.0)
    }

    fn question(
        &self,
        question: &crate::domain::survey::Question,
        groups: &[Option<String>],
        threshold: u64,
    ) -> QuestionResult {
        let items: Vec<Option<String>> = match &question.kind {
            QuestionKind::LikertMatrix { statements, .. } => statements.iter().map(|s| Some(s.key.clone())).collect(),
            _ => vec![None],
        };
        let mut respondents = 0;
        let mut results = Vec::new();
        for item in items {
            let mut columns = vec![Accumulator::default(); groups.len() + 1];
            let mut count_respondents = |cell: Cell, group: &Option<String>, dont_know: bool, count: i64| {
                let weight = self.weight(cell);
                for index in column_indices(groups, group) {
                    let column = &mut columns[index];
                    if dont_know {
                        column.dont_know += count as u64;
                    } else {
                        column.n += count as u64;
                        column.base.add(count as f64, weight);
                    }
                }
            };
            if several_rows_per_respondent(&question.kind) {
                for row in self.respondents.iter().filter(|r| r.question_key == question.key && r.item_key == item) {
                    let cell = (row.age_band.clone(), row.gender.clone(), row.district.clone());
                    count_respondents(cell, &row.group_key, row.dont_know, row.respondents);
                }
            } else {
                // One row per respondent (and item): rows are respondents.
                for row in self.answers.iter().filter(|r| r.question_key == question.key && r.item_key == item) {
                    let cell = (row.age_band.clone(), row.gender.clone(), row.district.clone());
                    count_respondents(cell, &row.group_key, row.dont_know, row.rows);
                }
            }
            for row in self.answers.iter().filter(|r| r.question_key == question.key && r.item_key == item) {
                if row.dont_know {
                    continue;
                }
                let weight = self.weight((row.age_band.clone(), row.gender.clone(), row.district.clone()));
                for index in column_indices(groups, &row.group_key) {
                    accumulate(&mut columns[index], &question.kind, row, weight);
                }
            }
            respondents = Ord::max(respondents, columns[0].n + columns[0].dont_know);
            results.push(ItemResult {
                item,
                columns: finish(columns, groups, &question.kind, threshold, self.weights.is_some()),
            });
        }
        QuestionResult { key: question.key.clone(), items: results, texts: Vec::new(), respondents }
    }
}

fn accumulate(column: &mut Accumulator, kind: &QuestionKind, row: &AnswerGroup, weight: f64) {
    let count = row.rows as u64;
    let weighted = row.rows as f64 * weight;
    match kind {
        QuestionKind::Ranking { .. } => {
            if let (Some(option), Some(position)) = (&row.option_key, row.number_value) {
                let entry = column.rank_sums.entry(option.clone()).or_default();
                entry.0 += position * count as f64;
                entry.1 += count as f64;
                entry.2 += position * weighted;
                let slot = column.options.entry(option.clone()).or_default();
                slot.0 += count;
                slot.1 += weighted;
            }
        }
        QuestionKind::Rating { .. } | QuestionKind::Number { .. } => {
            if let Some(value) = row.number_value {
                // Keyed by thousandths so equal values meet in one slot.
                let slot = column.values.entry((value * 1000.0).round() as i64).or_insert((value, 0, 0.0));
                slot.1 += count;
                slot.2 += weighted;
            }
        }
        _ => {
            if let Some(option) = &row.option_key {
                let slot = column.options.entry(option.clone()).or_default();
                slot.0 += count;
                slot.1 += weighted;
            }
        }
    }
}

/// Whether one respondent's answer to a question takes several rows.
fn several_rows_per_respondent(kind: &QuestionKind) -> bool {
    matches!(kind, QuestionKind::MultipleChoice { .. } | QuestionKind::Ranking { .. })
}

/// Median of grouped values: the middle respondent (mean of the two middle
/// ones for an even count).
pub fn median_of_groups(values: &[(f64, u64)]) -> Option<f64> {
    let n: u64 = values.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let at = |rank: u64| {
        let mut seen = 0;
        values.iter().find(|(_, c)| {
            seen += c;
            seen >= rank
        })
    };
    let low = at(n.div_ceil(2))?.0;
    let high = if n.is_multiple_of(2) { at(n / 2 + 1)?.0 } else { low };
    Some((low + high) / 2.0)
}

fn finish(
    columns: Vec<Accumulator>,
    groups: &[Option<String>],
    kind: &QuestionKind,
    threshold: u64,
    weighted: bool,
) -> Vec<Column> {
    let sizes: Vec<u64> = columns.iter().skip(1).map(|c| c.n + c.dont_know).collect();
    let suppressed = suppression::suppress(&sizes, threshold);
    let option_keys: Vec<String> = match kind {
        QuestionKind::MultipleChoice { options, other: true } => {
            options.iter().map(|o| o.key.clone()).chain(std::iter::once("other".to_owned())).collect()
        }
        QuestionKind::Rating { .. } => (0..=10).map(|v| v.to_string()).collect(),
        _ => kind.option_keys().into_iter().map(str::to_owned).collect(),
    };
    columns
        .into_iter()
        .enumerate()
        .map(|(index, accumulator)| {
            let group = if index == 0 { None } else { groups.get(index - 1).cloned().flatten() };
            let hidden = if index == 0 {
                !suppression::visible(accumulator.n + accumulator.dont_know, threshold)
            } else {
                !suppressed.shows(index - 1) || suppressed.total_hidden
            };
            if hidden {
                return Column { group, hidden: true, ..Column::default() };
            }
            figures(accumulator, group, kind, &option_keys, weighted)
        })
        .collect()
}

fn figures(
    accumulator: Accumulator,
    group: Option<String>,
    kind: &QuestionKind,
    option_keys: &[String],
    weighted: bool,
) -> Column {
    let n = accumulator.n as f64;
    let base = accumulator.base;
    let deff = base.design_effect();
    let share = |count: f64| if n > 0.0 { count / n } else { 0.0 };
    let weighted_share = |sum: f64| (weighted && base.sum > 0.0).then(|| sum / base.sum);
    let option_count = option_keys.len() as f64;
    let scale_numbers: Vec<(f64, u64, f64)> = match kind {
        QuestionKind::Rating { .. } | QuestionKind::Number { .. } => accumulator.values.values().copied().collect(),
        k if k.is_scale() => option_keys
            .iter()
            .enumerate()
            .filter_map(|(i, key)| accumulator.options.get(key).map(|(c, w)| ((i + 1) as f64, *c, *w)))
            .collect(),
        _ => Vec::new(),
    };
    let options: Vec<OptionFigures> = option_keys
        .iter()
        .map(|key| {
            let (count, weighted_sum) = match kind {
                QuestionKind::Rating { .. } => accumulator
                    .values
                    .values()
                    .filter(|(v, _, _)| (*v - key.parse::<f64>().unwrap_or(-1.0)).abs() < 1e-9)
                    .fold((0, 0.0), |(c, w), (_, vc, vw)| (c + vc, w + vw)),
                _ => accumulator.options.get(key).copied().unwrap_or_default(),
            };
            let weighted_share = weighted_share(weighted_sum);
            let ranks = accumulator.rank_sums.get(key);
            OptionFigures {
                key: key.clone(),
                count,
                share: share(count as f64),
                margin_of_error: weighted_share.map(|p| weighting::margin_of_error(p, n, deff)),
                weighted_share,
                mean_rank: ranks.filter(|r| r.1 > 0.0).map(|r| r.0 / r.1),
                borda: ranks.map(|r| (option_count + 1.0) * r.1 - r.0),
            }
        })
        .collect();
    let scale = (!scale_numbers.is_empty() && n > 0.0).then(|| {
        let total: f64 = scale_numbers.iter().map(|(_, c, _)| *c as f64).sum();
        let weighted_total: f64 = scale_numbers.iter().map(|(_, _, w)| *w).sum();
        let mean = scale_numbers.iter().map(|(v, c, _)| v * *c as f64).sum::<f64>() / total;
        let weighted_mean = (weighted && weighted_total > 0.0)
            .then(|| scale_numbers.iter().map(|(v, _, w)| v * w).sum::<f64>() / weighted_total);
        let grouped: Vec<(f64, u64)> = scale_numbers.iter().map(|(v, c, _)| (*v, *c)).collect();
        let is_rating = matches!(kind, QuestionKind::Rating { .. });
        let nps = |pick: &dyn Fn(&(f64, u64, f64)) -> f64, total: f64| {
            let promoters: f64 = scale_numbers.iter().filter(|x| x.0 >= 9.0).map(pick).sum();
            let detractors: f64 = scale_numbers.iter().filter(|x| x.0 <= 6.0).map(pick).sum();
            100.0 * (promoters - detractors) / total
        };
        ScaleFigures {
            mean,
            median: median_of_groups(&grouped).unwrap_or(mean),
            weighted_mean,
            nps: is_rating.then(|| nps(&|x| x.1 as f64, total)),
            weighted_nps: (is_rating && weighted && weighted_total > 0.0).then(|| nps(&|x| x.2, weighted_total)),
        }
    });
    Column {
        group,
        hidden: false,
        n: accumulator.n,
        dont_know: accumulator.dont_know,
        options,
        scale,
        design_effect: weighted.then_some(deff),
        effective_n: weighted.then(|| base.effective_n()),
    }
}

async fn text_respondents<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    question_key: &str,
) -> Result<u64, DbErr> {
    municipality
        .find::<response_answer::Entity>()
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(response_answer::Column::QuestionKey.eq(question_key))
        .count(db)
        .await
}

/// Most free-text answers shown per question.
const TEXTS_SHOWN: u64 = 500;

async fn published_texts<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    question_key: &str,
) -> Result<Vec<PublishedText>, DbErr> {
    Ok(municipality
        .find::<response_answer::Entity>()
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(response_answer::Column::QuestionKey.eq(question_key))
        .filter(response_answer::Column::TextValue.is_not_null())
        .filter(response_answer::Column::Moderation.is_in([moderation_state::APPROVED, moderation_state::REDACTED]))
        .order_by_asc(response_answer::Column::Id)
        .limit(TEXTS_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(PublishedText { redacted: row.moderation == moderation_state::REDACTED, text: row.text_value? })
        })
        .collect())
}

/// Moderation states of a free-text answer.
pub mod moderation_state {
    /// Waiting for a moderator.
    pub const PENDING: &str = "pending";
    /// May be published as written.
    pub const APPROVED: &str = "approved";
    /// Never published.
    pub const HIDDEN: &str = "hidden";
    /// Published with personal data removed by staff.
    pub const REDACTED: &str = "redacted";
}

/// A free-text answer in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedText {
    /// Answer row id.
    pub id: i32,
    /// Question key.
    pub question_key: String,
    /// Whether it is the "other" text of a multiple-choice question.
    pub is_other: bool,
    /// The text.
    pub text: String,
    /// Current state.
    pub state: String,
    /// Personal data it seems to hold.
    pub flags: Vec<PersonalDataFlag>,
}

/// Free-text answers of a survey: pending first, then the rest, at most `limit`.
pub async fn moderation_queue<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    limit: u64,
) -> Result<Vec<QueuedText>, DbErr> {
    let mut rows = Vec::new();
    for pending in [true, false] {
        let select = municipality
            .find::<response_answer::Entity>()
            .filter(response_answer::Column::SurveyId.eq(survey_id))
            .filter(response_answer::Column::TextValue.is_not_null());
        let select = if pending {
            select.filter(response_answer::Column::Moderation.eq(moderation_state::PENDING))
        } else {
            select.filter(response_answer::Column::Moderation.ne(moderation_state::PENDING))
        };
        rows.extend(select.order_by_asc(response_answer::Column::Id).limit(limit).all(db).await?);
    }
    rows.truncate(limit as usize);
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let text = row.text_value?;
            Some(QueuedText {
                id: row.id,
                is_other: row.option_key.as_deref() == Some("other"),
                question_key: row.question_key,
                flags: moderation::flags(&text),
                text,
                state: row.moderation,
            })
        })
        .collect())
}

/// A moderator's decision on one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModerationAction {
    /// Publish as written.
    Approve,
    /// Never publish.
    Hide,
    /// Publish this edited text instead.
    Redact(String),
}

impl ModerationAction {
    /// Parse the form: `approve`, `hide`, or `redact` with the edited text.
    pub fn parse(action: &str, text: Option<&str>) -> Result<Self, Invalid> {
        match action {
            "approve" => Ok(Self::Approve),
            "hide" => Ok(Self::Hide),
            "redact" => {
                let text = text.map(str::trim).unwrap_or_default();
                if text.is_empty() {
                    Err(Invalid(vec![FieldError::new("text", "moderation-error-empty")]))
                } else if text.chars().count() > 2000 {
                    Err(Invalid(vec![FieldError::new("text", "moderation-error-too-long")]))
                } else {
                    Ok(Self::Redact(text.to_owned()))
                }
            }
            _ => Err(Invalid(vec![FieldError::new("action", "moderation-error-action")])),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Approve => moderation_state::APPROVED,
            Self::Hide => moderation_state::HIDDEN,
            Self::Redact(_) => moderation_state::REDACTED,
        }
    }
}

/// Apply a moderation decision and audit it. `false` when the answer is not
/// a free text of this survey.
pub async fn moderate(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
    answer_id: i32,
    action: &ModerationAction,
    actor: Actor,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let mut update = municipality
        .update_many::<response_answer::Entity>()
        .col_expr(response_answer::Column::Moderation, Expr::value(action.code()))
        .filter(response_answer::Column::Id.eq(answer_id))
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(response_answer::Column::TextValue.is_not_null());
    if let ModerationAction::Redact(text) = action {
        update = update.col_expr(response_answer::Column::TextValue, Expr::value(text.clone()));
    }
    let changed = update.exec(&txn).await?.rows_affected == 1;
    if changed {
        audit::record(
            &txn,
            Some(municipality.id),
            actor,
            "answer.moderate",
            &format!("survey:{survey_id}"),
            json!({ "answer": answer_id, "decision": action.code() }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(changed)
}

/// Feedback texts of a survey, per language.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Feedback {
    /// What we heard.
    #[serde(default)]
    pub heard: Text,
    /// What we will do (required before publishing).
    #[serde(default)]
    pub will_do: Text,
    /// What we did (written later).
    #[serde(default)]
    pub did: Text,
}

impl Feedback {
    /// The survey's stored feedback (empty when none).
    pub fn of(survey: &Survey) -> Self {
        survey.feedback.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// The three fields, with their form names.
    pub const FIELDS: [&'static str; 3] = ["heard", "will_do", "did"];

    /// The text of a field.
    pub fn field(&self, name: &str) -> &Text {
        match name {
            "heard" => &self.heard,
            "will_do" => &self.will_do,
            _ => &self.did,
        }
    }

    /// Build from form pairs named `<field>_<language>`; every text at most 5,000 characters.
    pub fn parse(pairs: &[(String, String)], languages: &[Language]) -> Result<Self, (Self, Invalid)> {
        let mut feedback = Feedback::default();
        let mut errors = Vec::new();
        for (name, value) in pairs {
            for field in Self::FIELDS {
                for language in languages {
                    if *name == format!("{field}_{}", language.code()) {
                        let value = value.trim().replace("\r\n", "\n");
                        if value.chars().count() > 5000 {
                            errors.push(FieldError::new(name.clone(), "feedback-error-too-long"));
                        }
                        let text = match field {
                            "heard" => &mut feedback.heard,
                            "will_do" => &mut feedback.will_do,
                            _ => &mut feedback.did,
                        };
                        if !value.is_empty() {
                            text.0.insert(*language, value);
                        }
                    }
                }
            }
        }
        if errors.is_empty() { Ok(feedback) } else { Err((feedback, Invalid(errors))) }
    }

    /// Problems that stop publishing: "what we will do" missing in a language.
    pub fn publish_problems(&self, languages: &[Language]) -> Vec<FieldError> {
        languages
            .iter()
            .filter(|l| !self.will_do.has(**l))
            .map(|l| {
                FieldError::new(format!("will_do_{}", l.code()), "feedback-error-will-do-required")
                    .with("language", l.native_name())
            })
            .collect()
    }
}

/// Why feedback could not be saved or a survey not published.
#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    /// The survey is not closed (or published, for saving).
    #[error("survey is not closed")]
    NotClosed,
    /// Input problems.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Store the feedback texts of a closed or published survey.
pub async fn save_feedback(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey: &Survey,
    feedback: &Feedback,
    actor: Actor,
) -> Result<(), FeedbackError> {
    if !matches!(survey.status, SurveyStatus::Closed | SurveyStatus::Published) {
        return Err(FeedbackError::NotClosed);
    }
    let txn = crate::db::begin_write(db).await?;
    let stored = serde_json::to_string(feedback).map_err(|e| DbErr::Custom(e.to_string()))?;
    municipality
        .update_many::<survey::Entity>()
        .col_expr(survey::Column::Feedback, Expr::value(stored))
        .col_expr(survey::Column::UpdatedAt, Expr::value(super::now()))
        .filter(survey::Column::Id.eq(survey.id))
        .exec(&txn)
        .await?;
    audit::record(&txn, Some(municipality.id), actor, "survey.feedback", &format!("survey:{}", survey.id), json!({}))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// What publishing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Published now; this many feedback emails were queued.
    Now {
        /// Emails queued.
        emails: usize,
    },
    /// It was already published; nothing happened.
    Already,
}

/// Publish a closed survey's results and feedback: status → published and a
/// feedback email to every member who was invited and is still in the panel,
/// all in one transaction. A second call does nothing.
pub async fn publish(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey_id: i32,
    actor: Actor,
) -> Result<Published, FeedbackError> {
    let public_base = municipalities::public_base_url(db, base_url, municipality).await?;
    let txn = crate::db::begin_write(db).await?;
    let Some(survey) = surveys::load(&txn, municipality, survey_id).await? else {
        return Err(FeedbackError::NotClosed);
    };
    match survey.status {
        SurveyStatus::Published => return Ok(Published::Already),
        SurveyStatus::Closed => {}
        _ => return Err(FeedbackError::NotClosed),
    }
    let feedback = Feedback::of(&survey);
    Invalid::check(feedback.publish_problems(&survey.definition.languages))?;
    // Only one publisher wins, even when two click at once.
    let claimed = municipality
        .update_many::<survey::Entity>()
        .col_expr(survey::Column::Status, Expr::value(SurveyStatus::Published.code()))
        .filter(survey::Column::Id.eq(survey.id))
        .filter(survey::Column::Status.eq(SurveyStatus::Closed.code()))
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Ok(Published::Already);
    }
    surveys::set_status(&txn, municipality, &survey, SurveyStatus::Published, actor).await?;
    let invited = Query::select()
        .column(invitation::Column::MemberId)
        .from(invitation::Entity)
        .and_where(Expr::col(invitation::Column::MunicipalityId).eq(municipality.id))
        .and_where(Expr::col(invitation::Column::SurveyId).eq(survey.id))
        .and_where(Expr::col(invitation::Column::MemberId).is_not_null())
        .to_owned();
    let members = municipality
        .find::<member::Entity>()
        .filter(member::Column::Id.in_subquery(invited))
        .filter(member::Column::Status.eq("active"))
        .order_by_asc(member::Column::Id)
        .all(&txn)
        .await?;
    let results_url = format!("{}results/{}", public_base.as_str(), survey.id);
    for member in &members {
        let language = member
            .language
            .parse::<Language>()
            .ok()
            .filter(|l| municipality.offers(*l))
            .unwrap_or(municipality.default_language);
        let unsubscribe = crate::services::panel::unsubscribe_url(&txn, municipality, &public_base, member.id).await?;
        let content = crate::email::feedback::FeedbackEmail {
            language,
            municipality: &municipality.name,
            survey_title: survey.definition.title.get(language, municipality.default_language),
            will_do: feedback.will_do.get(language, municipality.default_language),
            results_url: &results_url,
            unsubscribe_url: &unsubscribe,
        }
        .render();
        let email = OutgoingEmail {
            kind: "feedback",
            to: member.email.clone(),
            subject: content.subject,
            text: content.text,
            html: content.html,
            list_unsubscribe: Some(unsubscribe),
        };
        outbox::enqueue(&txn, Some(municipality), base_url, email).await?;
    }
    txn.commit().await?;
    Ok(Published::Now { emails: members.len() })
}

/// A survey whose results the public may see: published, of this municipality.
pub async fn published_survey<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Option<Survey>, DbErr> {
    Ok(surveys::load(db, municipality, survey_id).await?.filter(|s| s.status == SurveyStatus::Published))
}

/// A survey staff may see results of: open, closed or published.
pub async fn survey_with_results<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Option<Survey>, DbErr> {
    Ok(surveys::load(db, municipality, survey_id)
        .await?
        .filter(|s| matches!(s.status, SurveyStatus::Open | SurveyStatus::Closed | SurveyStatus::Published)))
}

/// One line of an aggregate export (after suppression).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportRow {
    /// Question key.
    pub question: String,
    /// Matrix statement key, if any.
    pub item: String,
    /// Breakdown code (empty: none).
    pub breakdown: String,
    /// Group code (empty: all respondents; `unknown`: not known).
    pub group: String,
    /// Option key, or a measure name (`mean`, `median`, `nps`).
    pub option: String,
    /// Respondents in the column who answered.
    pub n: u64,
    /// Count choosing the option.
    pub count: Option<u64>,
    /// Share or measure value.
    pub value: Option<f64>,
    /// Weighted share or measure.
    pub weighted_value: Option<f64>,
    /// 95 % margin of error of the weighted share.
    pub margin_of_error: Option<f64>,
    /// Design effect in the column.
    pub design_effect: Option<f64>,
}

impl ExportRow {
    /// The CSV header.
    pub const HEADER: &'static str =
        "question,item,breakdown,group,option,n,count,value,weighted_value,margin_of_error,design_effect\n";

    /// One CSV line (fields quoted when needed).
    pub fn csv_line(&self) -> String {
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
        };
        let number = |v: Option<f64>| v.map(|v| format!("{v:.6}")).unwrap_or_default();
        format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            quote(&self.question),
            quote(&self.item),
            quote(&self.breakdown),
            quote(&self.group),
            quote(&self.option),
            self.n,
            self.count.map(|c| c.to_string()).unwrap_or_default(),
            number(self.value),
            number(self.weighted_value),
            number(self.margin_of_error),
            number(self.design_effect),
        )
    }
}

/// The export rows of computed results: only columns that are not hidden.
pub fn export_rows(results: &SurveyResults) -> impl Iterator<Item = ExportRow> + '_ {
    let breakdown = results.breakdown.code();
    results.questions.iter().flat_map(move |question| {
        let breakdown = breakdown.clone();
        question.items.iter().flat_map(move |item| {
            let breakdown = breakdown.clone();
            item.columns.iter().enumerate().filter(|(_, c)| !c.hidden).flat_map(move |(index, column)| {
                let group = if index == 0 {
                    String::new()
                } else {
                    column.group.clone().unwrap_or_else(|| "unknown".to_owned())
                };
                let base = ExportRow {
                    question: question.key.clone(),
                    item: item.item.clone().unwrap_or_default(),
                    breakdown: breakdown.clone(),
                    group,
                    option: String::new(),
                    n: column.n,
                    count: None,
                    value: None,
                    weighted_value: None,
                    margin_of_error: None,
                    design_effect: column.design_effect,
                };
                let mut rows: Vec<ExportRow> = column
                    .options
                    .iter()
                    .map(|o| ExportRow {
                        option: o.key.clone(),
                        count: Some(o.count),
                        value: Some(o.share),
                        weighted_value: o.weighted_share,
                        margin_of_error: o.margin_of_error,
                        ..base.clone()
                    })
                    .collect();
                rows.push(ExportRow { option: "dont_know".into(), count: Some(column.dont_know), ..base.clone() });
                if let Some(scale) = column.scale {
                    rows.push(ExportRow {
                        option: "mean".into(),
                        value: Some(scale.mean),
                        weighted_value: scale.weighted_mean,
                        ..base.clone()
                    });
                    rows.push(ExportRow { option: "median".into(), value: Some(scale.median), ..base.clone() });
                    if scale.nps.is_some() {
                        rows.push(ExportRow {
                            option: "nps".into(),
                            value: scale.nps,
                            weighted_value: scale.weighted_nps,
                            ..base.clone()
                        });
                    }
                }
                rows
            })
        })
    })
}

/// What a JSON-stat import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarginsImported {
    /// Cells stored.
    pub cells: usize,
    /// Region codes left out because no district matched.
    pub skipped_regions: Vec<String>,
}

/// Replace the population margins with a JSON-stat 2.0 dataset; `mapping`
/// lines are `region;district` (empty: region code = district code).
pub async fn import_margins_jsonstat(
    db: &DatabaseConnection,
    municipality: &Municipality,
    data: &[u8],
    mapping: &str,
    actor: Actor,
) -> Result<MarginsImported, ChangeError> {
    let mapping = jsonstat::parse_mapping(mapping).map_err(Invalid)?;
    let known: HashSet<String> =
        municipalities::districts(db, municipality).await?.into_iter().map(|d| d.code).collect();
    let imported = jsonstat::parse(data, &known, &mapping).map_err(Invalid)?;
    municipalities::replace_margins(db, municipality, &imported.cells, actor).await?;
    Ok(MarginsImported { cells: imported.cells.len(), skipped_regions: imported.skipped_regions })
}

/// A survey's weighting cells (age band, gender, district) and the weight of
/// each, raked to all the municipality's population margins exactly as the
/// results pages do; `None` when the municipality has no margins or the
/// survey no responses (then every weight is 1).
pub async fn survey_cell_weights<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Option<HashMap<(Option<String>, Option<String>, Option<String>), f64>>, DbErr> {
    let cells = cell_counts(db, municipality, survey_id).await?;
    let margins = municipality.find::<population_margin::Entity>().all(db).await?;
    Ok(rake_cells(&cells, &margins, WeightingChoice::default()).map(|(weights, _)| weights))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_come_from_grouped_counts() {
        assert_eq!(median_of_groups(&[(1.0, 1), (2.0, 1), (3.0, 1)]), Some(2.0));
        assert_eq!(median_of_groups(&[(1.0, 2), (4.0, 2)]), Some(2.5));
        assert_eq!(median_of_groups(&[(1.0, 5), (2.0, 1), (9.0, 1)]), Some(1.0));
        assert_eq!(median_of_groups(&[]), None);
    }

    #[test]
    fn csv_lines_quote_what_needs_quoting() {
        let row = ExportRow {
            question: "q,1".into(),
            item: String::new(),
            breakdown: String::new(),
            group: String::new(),
            option: "a\"b".into(),
            n: 10,
            count: Some(3),
            value: Some(0.3),
            weighted_value: None,
            margin_of_error: None,
            design_effect: None,
        };
        assert_eq!(row.csv_line(), "\"q,1\",,,,\"a\"\"b\",10,3,0.300000,,,\n");
    }
}
