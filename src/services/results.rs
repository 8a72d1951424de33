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
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, FromQueryResult, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef,
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
pub use crate::services::responses::Channel;
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
    /// By how the answer reached us (`panel`, `open`, `paper`).
    Channel,
    /// By the answer to another single-choice or Likert question.
    Question(String),
}

impl Breakdown {
    /// Parse the code used in URLs (`district`, `age_band`, `gender`,
    /// `source_group`, `channel`, `question:KEY`); unknown codes and questions that
    /// cannot split respondents mean no breakdown.
    pub fn parse(code: &str, survey: &Survey) -> Self {
        match code {
            "district" => Breakdown::District,
            "age_band" => Breakdown::AgeBand,
            "gender" => Breakdown::Gender,
            "source_group" => Breakdown::SourceGroup,
            "channel" => Breakdown::Channel,
            other => match other.strip_prefix("question:") {
                Some(key) if breakdown_questions(survey).iter().any(|(k, _)| k == key) => {
                    Breakdown::Question(key.to_owned())
                }
                _ => Breakdown::None,
            },
        }
    }

    /// The breakdowns offered on the public results page.
    pub const PUBLIC: [Breakdown; 4] = [Breakdown::District, Breakdown::AgeBand, Breakdown::Gender, Breakdown::Channel];

    /// Parse the code of a public breakdown (`district`, `age_band`,
    /// `gender`, `channel`); anything else means no breakdown.
    pub fn parse_public(code: &str) -> Self {
        Self::PUBLIC.into_iter().find(|b| b.code() == code).unwrap_or_default()
    }

    /// The code used in URLs.
    pub fn code(&self) -> String {
        match self {
            Breakdown::None => String::new(),
            Breakdown::District => "district".into(),
            Breakdown::AgeBand => "age_band".into(),
            Breakdown::Gender => "gender".into(),
            Breakdown::SourceGroup => "source_group".into(),
            Breakdown::Channel => "channel".into(),
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
    /// Most iterations allowed.
    pub max_iterations: u32,
    /// Largest difference from a target share allowed for convergence.
    pub tolerance: f64,
    /// Largest difference from a target share at the end.
    pub max_deviation: f64,
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
    /// 95 % margin of error of the weighted mean.
    pub weighted_mean_margin: Option<f64>,
    /// Net promoter score for 0–10 ratings (−100 to 100).
    pub nps: Option<f64>,
    /// Weighted NPS.
    pub weighted_nps: Option<f64>,
    /// 95 % margin of error of the weighted NPS (in NPS points).
    pub weighted_nps_margin: Option<f64>,
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
    /// The channel the figures are limited to (`None`: all channels).
    pub channel: Option<Channel>,
    /// The chosen channel is a hidden group of the survey: nothing of it is
    /// shown, not even its number of responses (`responses` is then 0).
    pub channel_hidden: bool,
    /// Weighting was asked for (margins exist), but the selection holds
    /// open-link answers: they have no age band, gender or district, so they
    /// take no part in the weighted figures and appear only in the
    /// unweighted ones.
    pub open_unweighted: bool,
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
        self.channel_hidden || !suppression::visible(self.responses, self.threshold)
    }

    /// Responses per channel (`None` when that group is hidden), in display
    /// order, for channels with responses.
    pub fn channel_counts(&self) -> impl Iterator<Item = (&Option<String>, Option<u64>)> {
        self.representation.iter().filter(|r| r.dimension == "channel").map(|r| (&r.group, r.respondents))
    }

    /// Open-link responses, `None` when hidden or absent.
    pub fn open_responses(&self) -> Option<u64> {
        self.channel_counts().find(|(g, _)| g.as_deref() == Some(Channel::Open.code())).and_then(|(_, n)| n)
    }
}

fn answer_to_response() -> RelationDef {
    response_answer::Entity::belongs_to(response::Entity)
        .from(response_answer::Column::ResponseId)
        .to(response::Column::Id)
        .into()
}

/// The answer to the breakdown question, joined under this name.
const BREAKDOWN_ANSWER: &str = "breakdown_answer";

/// The answers of a survey joined to their responses (and to the
/// breakdown question's answer), without free-text-only rows, grouped by
/// question, item, "don't know" and everything known of the respondent.
///
/// Answers share their response's survey, so filtering responses by survey
/// is enough. PostgreSQL (hash join) also filters the answers, to scan no
/// other survey's; SQLite must not, or it walks the answers and looks up
/// each response instead of walking the survey's responses in
/// `ix_response_profile` and their answers in `ix_answer_profile`.
fn answers_with_cells(
    municipality: &Municipality,
    survey_id: i32,
    breakdown: &Breakdown,
    backend: DbBackend,
) -> sea_orm::Select<response_answer::Entity> {
    let mut select = municipality
        .find::<response_answer::Entity>()
        .join(JoinType::InnerJoin, answer_to_response())
        .filter(Expr::col((response::Entity, response::Column::SurveyId)).eq(survey_id));
    if backend == DbBackend::Postgres {
        select = select.filter(response_answer::Column::SurveyId.eq(survey_id));
    }
    select = select.filter(
        response_answer::Column::OptionKey
            .is_not_null()
            .or(response_answer::Column::NumberValue.is_not_null())
            .or(response_answer::Column::DontKnow.eq(true)),
    );
    let answer = match breakdown {
        Breakdown::Question(key) => {
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
            select = select.join_as(JoinType::LeftJoin, relation, Alias::new(BREAKDOWN_ANSWER));
            Expr::col((Alias::new(BREAKDOWN_ANSWER), response_answer::Column::OptionKey))
        }
        _ => Expr::cust("CAST(NULL AS TEXT)"),
    };
    let attributes = [
        (response::Column::AgeBand, "age_band"),
        (response::Column::Gender, "gender"),
        (response::Column::District, "district"),
        (response::Column::SourceGroup, "source_group"),
        (response::Column::Channel, "channel"),
    ];
    select = select
        .select_only()
        .column(response_answer::Column::QuestionKey)
        .column(response_answer::Column::ItemKey)
        .column(response_answer::Column::DontKnow)
        .group_by(response_answer::Column::QuestionKey)
        .group_by(response_answer::Column::ItemKey)
        .group_by(response_answer::Column::DontKnow);
    for (column, name) in attributes {
        select = select
            .column_as(Expr::col((response::Entity, column)), name)
            .group_by(Expr::col((response::Entity, column)));
    }
    select.column_as(answer.clone(), "group_key").group_by(answer)
}

/// What is known of a group of respondents: their weighting cell, how they
/// were recruited and, for a question breakdown, their answer to it.
#[derive(Debug, Clone, Copy)]
struct Profile<'a> {
    age_band: &'a Option<String>,
    gender: &'a Option<String>,
    district: &'a Option<String>,
    source_group: &'a Option<String>,
    channel: &'a Option<String>,
    answer: &'a Option<String>,
}

/// No value.
static NOT_KNOWN: Option<String> = None;

impl<'a> Profile<'a> {
    fn cell(&self) -> Cell {
        (self.age_band.clone(), self.gender.clone(), self.district.clone())
    }

    /// Open-link answers carry no profile, so they cannot be weighted.
    fn weightable(&self) -> bool {
        self.channel.as_deref() != Some(Channel::Open.code())
    }

    /// Whether these respondents answered through `channel` (all do for `None`).
    fn in_channel(&self, channel: Option<Channel>) -> bool {
        channel.is_none_or(|c| self.channel.as_deref() == Some(c.code()))
    }

    /// The group these respondents belong to in a breakdown.
    fn group(&self, breakdown: &Breakdown) -> &'a Option<String> {
        match breakdown {
            Breakdown::None => &NOT_KNOWN,
            Breakdown::District => self.district,
            Breakdown::AgeBand => self.age_band,
            Breakdown::Gender => self.gender,
            Breakdown::SourceGroup => self.source_group,
            Breakdown::Channel => self.channel,
            Breakdown::Question(_) => self.answer,
        }
    }
}

/// Rows that describe a group of respondents.
trait Described {
    fn profile(&self) -> Profile<'_>;
}

macro_rules! described {
    ($type:ty, $answer:ident) => {
        impl Described for $type {
            fn profile(&self) -> Profile<'_> {
                Profile {
                    age_band: &self.age_band,
                    gender: &self.gender,
                    district: &self.district,
                    source_group: &self.source_group,
                    channel: &self.channel,
                    answer: described!(@answer self, $answer),
                }
            }
        }
    };
    (@answer $self:ident, group_key) => { &$self.group_key };
    (@answer $self:ident, none) => { &NOT_KNOWN };
}

/// Answer rows grouped by question, item, option, value and respondent profile.
#[derive(Debug, Clone, FromQueryResult)]
struct AnswerGroup {
    question_key: String,
    item_key: Option<String>,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    source_group: Option<String>,
    channel: Option<String>,
    group_key: Option<String>,
    dont_know: bool,
    option_key: Option<String>,
    number_value: Option<f64>,
    rows: i64,
}

/// Respondents grouped by question, item and respondent profile.
#[derive(Debug, Clone, FromQueryResult)]
struct RespondentGroup {
    question_key: String,
    item_key: Option<String>,
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    source_group: Option<String>,
    channel: Option<String>,
    group_key: Option<String>,
    dont_know: bool,
    respondents: i64,
}

/// Responses grouped by respondent profile.
#[derive(Debug, Clone, FromQueryResult)]
struct CellCount {
    age_band: Option<String>,
    gender: Option<String>,
    district: Option<String>,
    source_group: Option<String>,
    channel: Option<String>,
    respondents: i64,
}

described!(AnswerGroup, group_key);
described!(RespondentGroup, group_key);
described!(CellCount, none);

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
        .column(response::Column::SourceGroup)
        .column(response::Column::Channel)
        .column_as(Expr::col(response::Column::Id).count(), "respondents")
        .group_by(response::Column::AgeBand)
        .group_by(response::Column::Gender)
        .group_by(response::Column::District)
        .group_by(response::Column::SourceGroup)
        .group_by(response::Column::Channel)
        .into_model::<CellCount>()
        .all(db)
        .await
}

/// Weights per cell, raked to the chosen population margins.
fn rake_cells(
    counts: &[CellCount],
    margins: &[population_margin::Model],
    choice: WeightingChoice,
) -> Option<(HashMap<Cell, f64>, WeightingSummary)> {
    if margins.is_empty()
        || !counts.iter().any(|c| c.profile().weightable())
        || !(choice.age_band || choice.gender || choice.district)
    {
        return None;
    }
    // Raking looks at the weighting cell only: one unit per cell. Open-link
    // answers have no cell and are left out.
    let mut cells: BTreeMap<Cell, u64> = BTreeMap::new();
    for count in counts.iter().filter(|c| c.profile().weightable()) {
        *cells.entry(count.profile().cell()).or_default() += count.respondents as u64;
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
        .map(|((age_band, gender, district), respondents)| Unit {
            categories: vec![
                position(&age_codes, age_band),
                position(&gender_codes, gender),
                position(&district_codes, district),
            ],
            count: *respondents as f64,
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
    let options = RakingOptions::default();
    let raked = weighting::rake(&units, &wanted, &options);
    let mut sums = WeightSums::default();
    let mut weights = HashMap::new();
    for ((cell, respondents), weight) in cells.into_iter().zip(&raked.weights) {
        sums.add(respondents as f64, *weight);
        weights.insert(cell, *weight);
    }
    let low = raked.weights.iter().copied().fold(f64::INFINITY, f64::min);
    let high = raked.weights.iter().copied().fold(0.0, f64::max);
    let summary = WeightingSummary {
        choice,
        iterations: raked.iterations,
        max_iterations: options.max_iterations,
        tolerance: options.tolerance,
        max_deviation: raked.max_deviation,
        converged: raked.converged,
        trimmed_cells: raked.trimmed_units,
        design_effect: sums.design_effect(),
        effective_n: sums.effective_n(),
        weight_range: (low, high),
    };
    Some((weights, summary))
}

/// The groups of one breakdown, in display order (the last, `None`, holds
/// respondents without the attribute), and which of them are hidden.
#[derive(Debug, Clone, Default, PartialEq)]
struct GroupSet {
    groups: Vec<Option<String>>,
    hidden: Vec<bool>,
    /// Respondents of the survey per group.
    sizes: Vec<u64>,
}

/// The breakdowns by respondent attributes; each gets one hidden set per
/// survey, whichever breakdown is shown, so the representation table and
/// every question agree on every page.
const DIMENSIONS: [(Breakdown, &str); 4] = [
    (Breakdown::District, "district"),
    (Breakdown::AgeBand, "age_band"),
    (Breakdown::Gender, "gender"),
    (Breakdown::SourceGroup, "source_group"),
];

/// The groups of a breakdown in display order, "not known" last.
fn groups_of(breakdown: &Breakdown, districts: &[String], survey: &Survey) -> Vec<Option<String>> {
    let mut groups: Vec<Option<String>> = match breakdown {
        Breakdown::None => return Vec::new(),
        Breakdown::AgeBand => AgeBand::ALL.iter().map(|b| Some(b.as_str().to_owned())).collect(),
        Breakdown::Gender => {
            [Gender::Female, Gender::Male, Gender::Other].iter().map(|g| Some(g.as_str().to_owned())).collect()
        }
        Breakdown::SourceGroup => vec![Some("self".into()), Some("recruited".into())],
        Breakdown::Channel => Channel::ALL.iter().map(|c| Some(c.code().to_owned())).collect(),
        Breakdown::District => districts.iter().map(|code| Some(code.clone())).collect(),
        Breakdown::Question(key) => survey
            .definition
            .question(key)
            .map(|q| q.kind.option_keys().into_iter().map(|k| Some(k.to_owned())).collect())
            .unwrap_or_default(),
    };
    groups.push(None);
    groups
}

/// Position of a group among `groups`; unknown codes count as "not known".
fn position_of(groups: &[Option<String>], group: &Option<String>) -> usize {
    groups.iter().position(|g| g == group).unwrap_or(groups.len().saturating_sub(1))
}

/// Which columns a row belongs to: 0 = all, 1.. = groups.
fn column_indices(groups: &[Option<String>], group: &Option<String>) -> Vec<usize> {
    let mut indices = vec![0];
    if !groups.is_empty() {
        indices.push(position_of(groups, group) + 1);
    }
    indices
}

/// The items of a question: its statements for a matrix, else one.
fn items_of(question: &crate::domain::survey::Question) -> Vec<Option<String>> {
    match &question.kind {
        QuestionKind::LikertMatrix { statements, .. } => statements.iter().map(|s| Some(s.key.clone())).collect(),
        _ => vec![None],
    }
}

fn representation(
    counts: &[CellCount],
    margins: &[population_margin::Model],
    sets: &[(&'static str, GroupSet)],
) -> Vec<RepresentationRow> {
    let total: u64 = counts.iter().map(|c| c.respondents as u64).sum();
    let population: f64 = margins.iter().map(|m| m.population as f64).sum();
    let mut rows = Vec::new();
    for (dimension, set) in sets {
        let pick_margin: Option<fn(&population_margin::Model) -> &str> = match *dimension {
            "district" => Some(|m| m.district_code.as_str()),
            "age_band" => Some(|m| m.age_band.as_str()),
            "gender" => Some(|m| m.gender.as_str()),
            _ => None,
        };
        for ((group, hidden), count) in set.groups.iter().zip(&set.hidden).zip(&set.sizes) {
            let population_share =
                pick_margin.zip(group.as_deref()).filter(|_| population > 0.0).map(|(pick, code)| {
                    margins.iter().filter(|m| pick(m) == code).map(|m| m.population as f64).sum::<f64>() / population
                });
            if *count == 0 && population_share.is_none_or(|p| p == 0.0) {
                continue;
            }
            rows.push(RepresentationRow {
                dimension,
                group: group.clone(),
                population_share,
                respondents: (!hidden).then_some(*count),
                share: (!hidden && total > 0).then(|| *count as f64 / total as f64),
            });
        }
    }
    rows
}

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct ResultsRequest {
    /// Breakdown of every question.
    pub breakdown: Breakdown,
    /// Margins to weight to.
    pub weighting: WeightingChoice,
    /// Only answers that came through this channel (`None`: all).
    pub channel: Option<Channel>,
}

/// Compute the results of a survey (any status) with suppression applied.
///
/// For every breakdown one set of hidden groups is decided for the whole
/// survey (see [`suppression::suppress_shared`]) and used for every question
/// and for the representation table, so no hidden group can be recovered by
/// subtracting figures of one question from another's.
pub async fn compute<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
    request: &ResultsRequest,
) -> Result<SurveyResults, DbErr> {
    let threshold = Ord::max(municipality.suppression_threshold, 1) as u64;
    let mut counts = cell_counts(db, municipality, survey.id).await?;
    let margins = municipality.find::<population_margin::Entity>().all(db).await?;
    let (invitations, completed_invitations) = invitation_counts(db, municipality, survey.id).await?;
    let backend = db.get_database_backend();
    let mut answer_groups = answers_with_cells(municipality, survey.id, &request.breakdown, backend)
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
    let mut respondent_groups = if several_rows.is_empty() {
        Vec::new()
    } else {
        answers_with_cells(municipality, survey.id, &request.breakdown, backend)
            .filter(response_answer::Column::QuestionKey.is_in(several_rows))
            .column_as(
                Expr::col((response_answer::Entity, response_answer::Column::ResponseId)).count_distinct(),
                "respondents",
            )
            .into_model::<RespondentGroup>()
            .all(db)
            .await?
    };
    let districts = district_codes(db, municipality).await?;
    // The channels' hidden set is decided over all answers, whichever
    // channel is chosen, so every page shows the same channel groups and a
    // chosen channel that is hidden shows nothing.
    let channel_set = {
        let all = Aggregates::new(&answer_groups, &respondent_groups, None);
        let groups = groups_of(&Breakdown::Channel, &districts, survey);
        let base =
            sizes_by_group(counts.iter().map(|c| (c.profile().group(&Breakdown::Channel), c.respondents)), &groups);
        all.group_set(survey, &Breakdown::Channel, groups, base, threshold)
    };
    let channel_rows = representation(&counts, &[], &[("channel", channel_set.clone())]);
    let channel_hidden = request.channel.is_some_and(|c| {
        let position = position_of(&channel_set.groups, &Some(c.code().to_owned()));
        channel_set.hidden.get(position).copied().unwrap_or(true)
    });
    if channel_hidden {
        counts.clear();
        answer_groups.clear();
        respondent_groups.clear();
    } else {
        counts.retain(|c| c.profile().in_channel(request.channel));
        answer_groups.retain(|r| r.profile().in_channel(request.channel));
        respondent_groups.retain(|r| r.profile().in_channel(request.channel));
    }
    let (weights, weighting) = rake_cells(&counts, &margins, request.weighting).unzip();
    let wants_weighting = !margins.is_empty() && !request.weighting.code().is_empty();
    let open_unweighted = wants_weighting && counts.iter().any(|c| !c.profile().weightable());
    let responses: u64 = counts.iter().map(|c| c.respondents as u64).sum();
    let aggregates = Aggregates::new(&answer_groups, &respondent_groups, weights.as_ref());
    let sets: Vec<(&'static str, GroupSet)> = DIMENSIONS
        .iter()
        .map(|(breakdown, name)| {
            let groups = groups_of(breakdown, &districts, survey);
            let base = sizes_by_group(counts.iter().map(|c| (c.profile().group(breakdown), c.respondents)), &groups);
            (*name, aggregates.group_set(survey, breakdown, groups, base, threshold))
        })
        .collect();
    let shown = match &request.breakdown {
        Breakdown::None => GroupSet::default(),
        Breakdown::Channel => channel_set,
        Breakdown::Question(key) => {
            let groups = groups_of(&request.breakdown, &districts, survey);
            let base = aggregates.question_base(key, &groups, responses);
            aggregates.group_set(survey, &request.breakdown, groups, base, threshold)
        }
        breakdown => DIMENSIONS
            .iter()
            .zip(&sets)
            .find(|((b, _), _)| b == breakdown)
            .map(|(_, (_, set))| set.clone())
            .unwrap_or_default(),
    };
    let mut representation = representation(&counts, &margins, &sets);
    representation.extend(channel_rows);
    let mut questions = Vec::new();
    for (_, question) in survey.definition.questions() {
        let mut result = aggregates.question(question, &request.breakdown, &shown, threshold);
        if channel_hidden {
            questions.push(result);
            continue;
        }
        if matches!(question.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }) {
            result.respondents = text_respondents(db, municipality, survey.id, &question.key, request.channel).await?;
        }
        let has_other = matches!(question.kind, QuestionKind::MultipleChoice { other: true, .. });
        let is_text = question.kind.max_text_length() > 0;
        if (is_text || has_other) && suppression::visible(result.respondents, threshold) {
            result.texts = published_texts(db, municipality, survey.id, &question.key, request.channel).await?;
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
        channel: request.channel,
        channel_hidden,
        open_unweighted,
        breakdown: request.breakdown.clone(),
        groups: shown.groups,
        questions,
    })
}

/// Only answers whose response came through `channel`, if one is chosen.
fn answers_in_channel(
    select: sea_orm::Select<response_answer::Entity>,
    survey_id: i32,
    channel: Option<Channel>,
) -> sea_orm::Select<response_answer::Entity> {
    match channel {
        None => select,
        Some(channel) => select.filter(
            response_answer::Column::ResponseId.in_subquery(
                Query::select()
                    .column(response::Column::Id)
                    .from(response::Entity)
                    .and_where(Expr::col(response::Column::SurveyId).eq(survey_id))
                    .and_where(Expr::col(response::Column::Channel).eq(channel.code()))
                    .to_owned(),
            ),
        ),
    }
}

/// [`compute`], and the municipality's districts to label the groups with:
/// what every results page needs.
pub async fn compute_labelled(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey: &Survey,
    request: &ResultsRequest,
) -> Result<(SurveyResults, Vec<municipalities::District>), DbErr> {
    let computed = compute(db, municipality, survey, request).await?;
    let districts = municipalities::districts(db, municipality).await?;
    Ok((computed, districts))
}

#[derive(Debug, FromQueryResult)]
struct InvitationCount {
    completed: bool,
    invitations: i64,
}

/// Invitations of a survey, and how many of them were answered.
async fn invitation_counts<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<(u64, u64), DbErr> {
    let rows = municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .select_only()
        .column(invitation::Column::Completed)
        .column_as(Expr::col(invitation::Column::Id).count(), "invitations")
        .group_by(invitation::Column::Completed)
        .into_model::<InvitationCount>()
        .all(db)
        .await?;
    let all = rows.iter().map(|r| r.invitations as u64).sum();
    let completed = rows.iter().filter(|r| r.completed).map(|r| r.invitations as u64).sum();
    Ok((all, completed))
}

/// District codes of the municipality in display order.
async fn district_codes<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<String>, DbErr> {
    let mut all: Vec<_> = municipality
        .find::<crate::entities::district::Entity>()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.position, d.code))
        .collect();
    all.sort();
    Ok(all.into_iter().map(|(_, code)| code).collect())
}

/// Respondents per group, from (group, respondents) pairs.
fn sizes_by_group<'a>(rows: impl Iterator<Item = (&'a Option<String>, i64)>, groups: &[Option<String>]) -> Vec<u64> {
    let mut sizes = vec![0; groups.len()];
    for (group, count) in rows {
        if let Some(slot) = sizes.get_mut(position_of(groups, group)) {
            *slot += count as u64;
        }
    }
    sizes
}

/// A question item: question key and statement key.
type ItemKey<'a> = (&'a str, Option<&'a str>);

/// The grouped rows, indexed by question item.
struct Aggregates<'a> {
    answers: HashMap<ItemKey<'a>, Vec<&'a AnswerGroup>>,
    respondents: HashMap<ItemKey<'a>, Vec<&'a RespondentGroup>>,
    weights: Option<&'a HashMap<Cell, f64>>,
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

impl<'a> Aggregates<'a> {
    fn new(
        answers: &'a [AnswerGroup],
        respondents: &'a [RespondentGroup],
        weights: Option<&'a HashMap<Cell, f64>>,
    ) -> Self {
        let mut by_item: HashMap<ItemKey<'a>, Vec<&'a AnswerGroup>> = HashMap::new();
        for row in answers {
            by_item.entry((row.question_key.as_str(), row.item_key.as_deref())).or_default().push(row);
        }
        let mut respondents_by_item: HashMap<ItemKey<'a>, Vec<&'a RespondentGroup>> = HashMap::new();
        for row in respondents {
            respondents_by_item.entry((row.question_key.as_str(), row.item_key.as_deref())).or_default().push(row);
        }
        Self { answers: by_item, respondents: respondents_by_item, weights }
    }

    /// The weight of these respondents; `None` for answers that cannot be
    /// weighted (open link) while weighting is on.
    fn weight(&self, profile: &Profile<'_>) -> Option<f64> {
        match self.weights {
            None => Some(1.0),
            Some(_) if !profile.weightable() => None,
            Some(weights) => Some(weights.get(&profile.cell()).copied().unwrap_or(1.0)),
        }
    }

    fn answers_of<'k>(&'k self, key: ItemKey<'k>) -> &'k [&'a AnswerGroup] {
        self.answers.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Respondents of one item: who they are, whether they said "don't
    /// know", and how many.
    fn respondents_of(&self, kind: &QuestionKind, key: ItemKey<'_>) -> Vec<(Profile<'a>, bool, u64)> {
        if several_rows_per_respondent(kind) {
            let respondents: &HashMap<ItemKey<'_>, Vec<&'a RespondentGroup>> = &self.respondents;
            let rows = respondents.get(&key).map_or(&[][..], Vec::as_slice);
            rows.iter().map(|r| (r.profile(), r.dont_know, r.respondents as u64)).collect()
        } else {
            // One row per respondent (and item): rows are respondents.
            self.answers_of(key).iter().map(|r| (r.profile(), r.dont_know, r.rows as u64)).collect()
        }
    }

    /// The survey's respondents per answer of the breakdown question; those
    /// without an answer are "not known".
    fn question_base(&self, key: &str, groups: &[Option<String>], responses: u64) -> Vec<u64> {
        let answered = self.answers_of((key, None)).iter().filter(|r| !r.dont_know && r.option_key.is_some());
        let mut sizes = sizes_by_group(answered.map(|r| (&r.option_key, r.rows)), groups);
        let known: u64 = sizes.iter().sum();
        if let Some(last) = sizes.last_mut() {
            *last += responses.saturating_sub(known);
        }
        sizes
    }

    /// Decide the hidden groups of a breakdown once for the whole survey:
    /// the survey's respondents and every question item are tables that
    /// share one hidden set.
    fn group_set(
        &self,
        survey: &Survey,
        breakdown: &Breakdown,
        groups: Vec<Option<String>>,
        base: Vec<u64>,
        threshold: u64,
    ) -> GroupSet {
        let mut tables = vec![base.clone()];
        for (_, question) in survey.definition.questions() {
            for item in items_of(question) {
                let rows = self.respondents_of(&question.kind, (&question.key, item.as_deref()));
                let sizes =
                    sizes_by_group(rows.iter().map(|(p, _, count)| (p.group(breakdown), *count as i64)), &groups);
                tables.push(sizes);
            }
        }
        let shared = suppression::suppress_shared(&tables, threshold);
        let hidden = if shared.total_hidden[0] { vec![true; groups.len()] } else { shared.hidden };
        GroupSet { groups, hidden, sizes: base }
    }

    fn question(
        &self,
        question: &crate::domain::survey::Question,
        breakdown: &Breakdown,
        shown: &GroupSet,
        threshold: u64,
    ) -> QuestionResult {
        let groups = &shown.groups;
        let mut respondents = 0;
        let mut results = Vec::new();
        for item in items_of(question) {
            let key = (question.key.as_str(), item.as_deref());
            let mut columns = vec![Accumulator::default(); groups.len() + 1];
            for (profile, dont_know, count) in self.respondents_of(&question.kind, key) {
                let weight = self.weight(&profile);
                for index in column_indices(groups, profile.group(breakdown)) {
                    let column = &mut columns[index];
                    if dont_know {
                        column.dont_know += count;
                    } else {
                        column.n += count;
                        if let Some(weight) = weight {
                            column.base.add(count as f64, weight);
                        }
                    }
                }
            }
            for row in self.answers_of(key).iter().filter(|r| !r.dont_know) {
                let profile = row.profile();
                let weight = self.weight(&profile).unwrap_or(0.0);
                for index in column_indices(groups, profile.group(breakdown)) {
                    accumulate(&mut columns[index], &question.kind, row, weight);
                }
            }
            respondents = Ord::max(respondents, columns[0].n + columns[0].dont_know);
            results.push(ItemResult {
                item,
                columns: finish(columns, shown, &question.kind, threshold, self.weights.is_some()),
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
    shown: &GroupSet,
    kind: &QuestionKind,
    threshold: u64,
    weighted: bool,
) -> Vec<Column> {
    let option_keys: Vec<String> = match kind {
        QuestionKind::MultipleChoice { options, other: true } => {
            options.iter().map(|o| o.key.clone()).chain(std::iter::once("other".to_owned())).collect()
        }
        QuestionKind::Rating { .. } => (0..=10).map(|v| v.to_string()).collect(),
        _ => kind.option_keys().into_iter().map(str::to_owned).collect(),
    };
    let all_visible = columns.first().is_some_and(|all| suppression::visible(all.n + all.dont_know, threshold));
    columns
        .into_iter()
        .enumerate()
        .map(|(index, accumulator)| {
            let group = if index == 0 { None } else { shown.groups.get(index - 1).cloned().flatten() };
            let size = accumulator.n + accumulator.dont_know;
            // The shared set already holds every small group of this item;
            // the size check only guards against a broken invariant.
            let hidden = !all_visible
                || (index > 0
                    && (shown.hidden.get(index - 1).copied().unwrap_or(true) || (size > 0 && size < threshold)));
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
    // Weighted figures and their margins rest on the answers that can be
    // weighted (all of them, unless open-link answers are among them).
    let weighted_n = base.n;
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
                margin_of_error: weighted_share.map(|p| weighting::margin_of_error(p, weighted_n, deff)),
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
        let nps_shares = |pick: &dyn Fn(&(f64, u64, f64)) -> f64, total: f64| {
            let promoters: f64 = scale_numbers.iter().filter(|x| x.0 >= 9.0).map(pick).sum();
            let detractors: f64 = scale_numbers.iter().filter(|x| x.0 <= 6.0).map(pick).sum();
            (promoters / total, detractors / total)
        };
        let nps = |(promoters, detractors): (f64, f64)| 100.0 * (promoters - detractors);
        let weighted_nps_shares =
            (is_rating && weighted && weighted_total > 0.0).then(|| nps_shares(&|x| x.2, weighted_total));
        // Weighted variance of the values, and of the ±100 NPS scores.
        let weighted_mean_margin = weighted_mean.map(|m| {
            let variance = scale_numbers.iter().map(|(v, _, w)| w * (v - m).powi(2)).sum::<f64>() / weighted_total;
            weighting::margin_of_error_of_mean(variance, weighted_n, deff)
        });
        let weighted_nps_margin = weighted_nps_shares.map(|(promoters, detractors)| {
            let score = promoters - detractors;
            let variance = 10_000.0 * (promoters + detractors - score * score);
            weighting::margin_of_error_of_mean(variance, weighted_n, deff)
        });
        ScaleFigures {
            mean,
            median: median_of_groups(&grouped).unwrap_or(mean),
            weighted_mean,
            weighted_mean_margin,
            nps: is_rating.then(|| nps(nps_shares(&|x| x.1 as f64, total))),
            weighted_nps: weighted_nps_shares.map(nps),
            weighted_nps_margin,
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
    channel: Option<Channel>,
) -> Result<u64, DbErr> {
    let select = municipality
        .find::<response_answer::Entity>()
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(response_answer::Column::QuestionKey.eq(question_key));
    answers_in_channel(select, survey_id, channel).count(db).await
}

/// Most free-text answers shown per question.
const TEXTS_SHOWN: u64 = 500;

async fn published_texts<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    question_key: &str,
    channel: Option<Channel>,
) -> Result<Vec<PublishedText>, DbErr> {
    let select = municipality
        .find::<response_answer::Entity>()
        .filter(response_answer::Column::SurveyId.eq(survey_id))
        .filter(response_answer::Column::QuestionKey.eq(question_key));
    Ok(answers_in_channel(select, survey_id, channel)
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
                        margin_of_error: scale.weighted_mean_margin,
                        ..base.clone()
                    });
                    rows.push(ExportRow { option: "median".into(), value: Some(scale.median), ..base.clone() });
                    if scale.nps.is_some() {
                        rows.push(ExportRow {
                            option: "nps".into(),
                            value: scale.nps,
                            weighted_value: scale.weighted_nps,
                            margin_of_error: scale.weighted_nps_margin,
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
