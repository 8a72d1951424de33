//! Results of a survey as JSON: the figures of the staff results page, with
//! small-group suppression applied. A suppressed group is left out, never
//! given as zero. Analysts and up.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::validation::{FieldError, Invalid};
use crate::error::AppError;
use crate::services::results::{
    self, Breakdown, Channel, Column, OptionFigures, RepresentationRow, ResultsRequest, SurveyResults, WeightingChoice,
    WeightingSummary,
};
use crate::web::api::auth::Caller;
use crate::web::api::{ApiResult, Problem, invalid, with_csrf};
use crate::web::auth::Analyst;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Query of the results.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// `district`, `age_band`, `gender`, `source` (how members were recruited),
    /// `channel` (panel, open link, paper) or `q:<question key>` (a
    /// single-choice or Likert question); none when absent.
    breakdown: Option<String>,
    /// Only answers from one channel: `panel` (personal invitation), `open`
    /// (public link of an open survey) or `paper` (entered by staff); all
    /// channels when absent.
    channel: Option<String>,
    /// Margins to weight to, comma-separated from `age_band`, `gender`,
    /// `district`; `none` for unweighted; all three when absent.
    weighting: Option<String>,
}

/// How the weights came out.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeightingBody {
    /// Margins raked to.
    pub margins: String,
    /// Raking iterations.
    pub iterations: u32,
    /// Whether all margins were met.
    pub converged: bool,
    /// Weighting cells at a trimming bound.
    pub trimmed_cells: usize,
    /// Kish design effect.
    pub design_effect: f64,
    /// Effective sample size.
    pub effective_n: f64,
    /// Smallest weight.
    pub min_weight: f64,
    /// Largest weight.
    pub max_weight: f64,
}

/// Respondents against the population in one group.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepresentationEntry {
    /// `district`, `age_band`, `gender`, `source_group` or `channel` (over
    /// the whole survey, whichever channel is chosen).
    pub dimension: String,
    /// Group code; absent for "not known".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Respondents; absent when the group is too small to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondents: Option<u64>,
    /// Share of respondents; absent when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Share of the population, if margins exist.
    pub population_share: Option<f64>,
}

/// One option's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct OptionBody {
    /// Option key (scale point or value).
    pub key: String,
    /// Respondents who chose it.
    pub count: u64,
    /// Share of the column's respondents (0–1).
    pub share: f64,
    /// Weighted share.
    pub weighted_share: Option<f64>,
    /// 95 % margin of error of the weighted share.
    pub margin_of_error: Option<f64>,
    /// Ranking: mean position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_rank: Option<f64>,
    /// Ranking: Borda points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub borda: Option<f64>,
}

/// Scale summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleBody {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Weighted mean.
    pub weighted_mean: Option<f64>,
    /// Net promoter score (0–10 ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    /// Weighted NPS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_nps: Option<f64>,
}

/// The figures of all respondents or of one group. Groups too small to show,
/// and groups without respondents, are not listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnBody {
    /// Group code; absent for all respondents (`all: true`) and for "not known".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Whether this is the column of all respondents.
    pub all: bool,
    /// Respondents who answered (not "don't know").
    pub n: u64,
    /// Respondents who said "don't know".
    pub dont_know: u64,
    /// Per option.
    pub options: Vec<OptionBody>,
    /// For scales, ratings and numbers.
    pub scale: Option<ScaleBody>,
    /// Design effect among these respondents.
    pub design_effect: Option<f64>,
    /// Effective sample size among these respondents.
    pub effective_n: Option<f64>,
}

/// One statement of a matrix, or the whole question.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemBody {
    /// Matrix statement key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Visible columns: all respondents first, then groups.
    pub columns: Vec<ColumnBody>,
}

/// A published free-text answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextBody {
    /// The approved or redacted text.
    pub text: String,
    /// Whether personal data was removed.
    pub redacted: bool,
}

/// One question's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionBody {
    /// Question key.
    pub key: String,
    /// Items (one unless a matrix).
    pub items: Vec<ItemBody>,
    /// Approved free-text answers.
    pub texts: Vec<TextBody>,
}

/// A survey's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsBody {
    /// The survey.
    pub survey_id: i32,
    /// Groups smaller than this are left out.
    pub suppression_threshold: u64,
    /// Responses received.
    pub responses: u64,
    /// Invitations made.
    pub invitations: u64,
    /// Invitations answered.
    pub completed_invitations: u64,
    /// Completed invitations per invitation.
    pub response_rate: Option<f64>,
    /// The breakdown (`district`, `age_band`, `gender`, `source`, `channel`, `q:<key>`), if any.
    pub breakdown: Option<String>,
    /// The channel the figures are limited to (`panel`, `open`, `paper`); absent for all.
    pub channel: Option<String>,
    /// The chosen channel is a group below the suppression threshold: no
    /// figures are given for it and `responses` is 0.
    pub channel_hidden: bool,
    /// Responses per channel over the whole survey (`responses` absent when
    /// the group is hidden); the same groups as `representation` rows with
    /// dimension `channel`.
    pub channels: Vec<ChannelCount>,
    /// Open-link answers are among the figures but, having no age band,
    /// gender or district, take no part in the weighted ones (only in the
    /// unweighted ones).
    pub open_answers_unweighted: bool,
    /// Weighting, when it was possible.
    pub weighting: Option<WeightingBody>,
    /// Respondents vs population.
    pub representation: Vec<RepresentationEntry>,
    /// Per question.
    pub questions: Vec<QuestionBody>,
}

/// Responses of one channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelCount {
    /// `panel`, `open` or `paper`; absent for responses without a known channel.
    pub channel: Option<String>,
    /// Responses, absent when the group is hidden.
    pub responses: Option<u64>,
}

/// The service's breakdown code for the API's (`source` and `q:` are short forms).
fn breakdown_code(text: &str) -> String {
    match text.trim() {
        "source" => "source_group".into(),
        other => match other.strip_prefix("q:") {
            Some(key) => format!("question:{key}"),
            None => other.into(),
        },
    }
}

fn api_breakdown(breakdown: &Breakdown) -> Option<String> {
    match breakdown {
        Breakdown::None => None,
        Breakdown::SourceGroup => Some("source".into()),
        Breakdown::Question(key) => Some(format!("q:{key}")),
        other => Some(other.code()),
    }
}

fn option_body(o: &OptionFigures) -> OptionBody {
    OptionBody {
        key: o.key.clone(),
        count: o.count,
        share: o.share,
        weighted_share: o.weighted_share,
        margin_of_error: o.margin_of_error,
        mean_rank: o.mean_rank,
        borda: o.borda,
    }
}

fn column_body(column: &Column, all: bool) -> ColumnBody {
    ColumnBody {
        group: column.group.clone(),
        all,
        n: column.n,
        dont_know: column.dont_know,
        options: column.options.iter().map(option_body).collect(),
        scale: column.scale.map(|s| ScaleBody {
            mean: s.mean,
            median: s.median,
            weighted_mean: s.weighted_mean,
            nps: s.nps,
            weighted_nps: s.weighted_nps,
        }),
        design_effect: column.design_effect,
        effective_n: column.effective_n,
    }
}

fn weighting_body(w: &WeightingSummary) -> WeightingBody {
    WeightingBody {
        margins: w.choice.code(),
        iterations: w.iterations,
        converged: w.converged,
        trimmed_cells: w.trimmed_cells,
        design_effect: w.design_effect,
        effective_n: w.effective_n,
        min_weight: w.weight_range.0,
        max_weight: w.weight_range.1,
    }
}

fn representation_entry(row: &RepresentationRow) -> RepresentationEntry {
    RepresentationEntry {
        dimension: row.dimension.into(),
        group: row.group.clone(),
        respondents: row.respondents,
        share: row.share,
        population_share: row.population_share,
    }
}

/// The JSON form of computed results; hidden columns are dropped.
fn results_body(computed: &SurveyResults) -> ResultsBody {
    let questions = computed
        .questions
        .iter()
        .map(|q| QuestionBody {
            key: q.key.clone(),
            items: q
                .items
                .iter()
                .map(|item| ItemBody {
                    item: item.item.clone(),
                    columns: item
                        .columns
                        .iter()
                        .enumerate()
                        // Hidden groups are left out, and so are groups nobody is in.
                        .filter(|(index, c)| !c.hidden && (*index == 0 || c.n + c.dont_know > 0))
                        .map(|(index, c)| column_body(c, index == 0))
                        .collect(),
                })
                .collect(),
            texts: q.texts.iter().map(|t| TextBody { text: t.text.clone(), redacted: t.redacted }).collect(),
        })
        .collect();
    ResultsBody {
        survey_id: computed.survey.id,
        suppression_threshold: computed.threshold,
        responses: computed.responses,
        invitations: computed.invitations,
        completed_invitations: computed.completed_invitations,
        response_rate: computed.response_rate(),
        breakdown: api_breakdown(&computed.breakdown),
        weighting: computed.weighting.as_ref().map(weighting_body),
        channel: computed.channel.map(|c| c.code().to_owned()),
        channel_hidden: computed.channel_hidden,
        channels: computed
            .channel_counts()
            .map(|(channel, responses)| ChannelCount { channel: channel.clone(), responses })
            .collect(),
        open_answers_unweighted: computed.open_unweighted,
        representation: computed.representation.iter().map(representation_entry).collect(),
        questions,
    }
}

/// `GET /api/v1/surveys/{id}/results`: the results page's figures.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", params(("id" = i32, Path), ResultsQuery),
    responses((status = 200, body = ResultsBody), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn get_results(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _caller: Caller<Analyst>,
    Path(id): Path<i32>,
    Query(query): Query<ResultsQuery>,
) -> ApiResult {
    let survey = results::survey_with_results(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let asked = query.breakdown.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let breakdown = asked.map_or(Breakdown::None, |code| Breakdown::parse(&breakdown_code(code), &survey));
    if asked.is_some() && breakdown == Breakdown::None {
        return Err(invalid(&context, &Invalid(vec![FieldError::new("breakdown", "api-error-breakdown")])));
    }
    let asked_channel = query.channel.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let channel = asked_channel.map(Channel::parse);
    if channel.is_some_and(|c| c.is_none()) {
        return Err(invalid(&context, &Invalid(vec![FieldError::new("channel", "api-error-channel")])));
    }
    let weighting = WeightingChoice::parse(query.weighting.as_deref());
    let request = ResultsRequest { breakdown, weighting, channel: channel.flatten() };
    let computed = results::compute(&state.db, &municipality, &survey, &request).await?;
    Ok(with_csrf(&context, StatusCode::OK, results_body(&computed)))
}
