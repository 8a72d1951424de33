//! Invitations: preview a sample, send it, release a soft launch, and the
//! invitation figures. Editors send; every role may read the figures.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::sampling::{self, SampleInput};
use crate::domain::validation::{FieldError, Invalid};
use crate::error::AppError;
use crate::i18n::t;
use crate::services::invitations::{self, InviteError, Preview, Tally};
use crate::web::api::auth::Caller;
use crate::web::api::{ApiError, ApiResult, Problem, invalid, problem, with_csrf};
use crate::web::auth::{Editor, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// A seed, as a number or as a string of digits (seeds go up to 2⁶³ − 1,
/// beyond what JavaScript numbers hold exactly).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Seed {
    /// As a JSON number.
    Number(u64),
    /// As a string of digits.
    Text(String),
}

/// Strata as `"district,gender"` or `["district", "gender"]`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Strata {
    /// Comma-separated.
    Text(String),
    /// One per element.
    List(Vec<String>),
}

/// Query of the preview.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// `all` (every eligible member) or `sample`.
    mode: Option<String>,
    /// Sample size (for `sample`).
    size: Option<String>,
    /// Stratify the sample by these, comma-separated: `district`, `age_band`, `gender`.
    stratify: Option<String>,
    /// Seed of the draw; the same seed draws the same members. A new one when absent.
    seed: Option<String>,
    /// Share sent first, in percent (1–99), for a soft launch.
    soft_launch_percent: Option<String>,
}

/// Body of `POST …/invitations`: the preview's parameters.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SendBody {
    /// `all` or `sample`.
    #[serde(default)]
    mode: String,
    /// Sample size (for `sample`).
    size: Option<u64>,
    /// Strata (for a stratified sample).
    stratify: Option<Strata>,
    /// Seed from the preview, to send exactly the members previewed.
    seed: Option<Seed>,
    /// Share sent first, in percent (1–99); the rest follows on release.
    soft_launch_percent: Option<u8>,
    /// With a soft launch: hours (1–168, default 24) before the rest is sent unless held.
    release_after_hours: Option<u16>,
}

/// Body of `POST …/invitations/release`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReleaseBody {
    /// The sample to release; the newest sample with waiting invitations when absent.
    sample_id: Option<i32>,
}

/// One category of the sample composition.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompositionEntry {
    /// Category code (district code, age band, gender).
    pub value: String,
    /// District name, or the code.
    pub label: String,
    /// Members drawn.
    pub sample: usize,
    /// Eligible members.
    pub eligible: usize,
    /// Residents in the population margins.
    pub population: i64,
}

/// A drawn sample, not sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewBody {
    /// `all`, `simple` or `stratified`.
    pub method: String,
    /// Strata, comma-separated (empty if none).
    pub strata: String,
    /// The seed (as a string): send with it to draw the same members.
    pub seed: String,
    /// Soft-launch share in percent, if any.
    pub soft_launch_percent: Option<u8>,
    /// Members drawn.
    pub drawn: usize,
    /// Members in the first wave.
    pub first_wave: usize,
    /// Eligible members.
    pub eligible: usize,
    /// Members left out, by reason.
    pub excluded: BTreeMap<String, usize>,
    /// Sample vs eligible panel vs population, by `district`, `age_band`, `gender`.
    pub composition: BTreeMap<String, Vec<CompositionEntry>>,
}

/// A sample sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentBody {
    /// The recorded sample.
    pub sample_id: i32,
    /// Its seed (as a string).
    pub seed: String,
    /// Invitations made.
    pub invited: usize,
    /// Emails queued now (the first wave).
    pub queued: usize,
}

/// A soft launch released.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleasedBody {
    /// The sample released.
    pub sample_id: i32,
    /// Emails queued.
    pub queued: usize,
}

/// Figures of one group of invitations.
#[derive(Debug, Serialize, ToSchema)]
pub struct StratumStats {
    /// Stratum, e.g. `district=nord;gender=female`;
    /// absent for invitations drawn without strata. Absent in the overall figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stratum: Option<String>,
    /// Invitations made.
    pub invited: usize,
    /// Emails queued.
    pub sent: usize,
    /// Of those, accepted by the mail server (the latest email, invitation or reminder).
    pub delivered: usize,
    /// Emails given up on, or to addresses that bounce.
    pub failed: usize,
    /// Not sent yet (second wave of a soft launch).
    pub pending: usize,
    /// Link opened (or answering started).
    pub opened: usize,
    /// Started answering (a page saved) or completed.
    pub started: usize,
    /// Answered.
    pub completed: usize,
    /// Completed per sent invitation (0–1), absent when nothing was sent.
    pub response_rate: Option<f64>,
}

/// The invitation figures of a survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsBody {
    /// The survey.
    pub survey_id: i32,
    /// All invitations.
    pub overall: StratumStats,
    /// Per stratum.
    pub strata: Vec<StratumStats>,
}

fn refusal(context: &RequestContext, error: InviteError) -> ApiError {
    match error {
        InviteError::Invalid(problems) => invalid(context, &problems),
        InviteError::AlreadySent(sample) => problem(
            StatusCode::CONFLICT,
            "conflict",
            Some("seed".into()),
            t(context.language, "invitations-already-sent") + &format!(" (sample {sample})"),
        )
        .into(),
        InviteError::NotFound => AppError::NotFound.into(),
        InviteError::Db(error) => error.into(),
    }
}

fn seed_text(seed: Option<Seed>) -> String {
    match seed {
        Some(Seed::Number(n)) => n.to_string(),
        Some(Seed::Text(text)) => text,
        None => String::new(),
    }
}

/// The sample form from the API's `mode`: `sample` is stratified when strata are given.
fn sample_input(mode: &str, size: String, strata: Vec<String>, seed: String, soft_launch: String) -> SampleInput {
    sample_input_releasing(mode, size, strata, seed, soft_launch, String::new())
}

/// As [`sample_input`], with the hours before a soft launch's release.
fn sample_input_releasing(
    mode: &str,
    size: String,
    strata: Vec<String>,
    seed: String,
    soft_launch: String,
    release_after: String,
) -> SampleInput {
    let stratified = strata.iter().any(|s| !s.trim().is_empty());
    let method = match mode.trim() {
        "all" => "all",
        "sample" if stratified => "stratified",
        "sample" => "simple",
        _ => "",
    };
    SampleInput { method: method.into(), size, strata, seed, soft_launch, release_after }
}

fn mode_checked(mode: &str) -> Result<(), Invalid> {
    match mode.trim() {
        "all" | "sample" => Ok(()),
        _ => Err(Invalid(vec![FieldError::new("mode", "api-error-mode")])),
    }
}

fn preview_body(preview: &Preview) -> PreviewBody {
    PreviewBody {
        method: preview.request.method.code().into(),
        strata: preview.request.method.strata_text(),
        seed: preview.request.seed.to_string(),
        soft_launch_percent: preview.request.soft_launch_percent,
        drawn: preview.drawn.len(),
        first_wave: preview.first_wave(),
        eligible: preview.eligible,
        excluded: preview.excluded.iter().map(|(reason, n)| (reason.code().to_owned(), *n)).collect(),
        composition: preview
            .composition
            .iter()
            .map(|(by, rows)| {
                let entries = rows
                    .iter()
                    .map(|r| CompositionEntry {
                        value: r.value.clone(),
                        label: r.label.clone(),
                        sample: r.sample,
                        eligible: r.eligible,
                        population: r.population,
                    })
                    .collect();
                (by.code().to_owned(), entries)
            })
            .collect(),
    }
}

fn tally_body(stratum: Option<String>, tally: &Tally) -> StratumStats {
    StratumStats {
        stratum,
        invited: tally.invited,
        sent: tally.sent,
        delivered: tally.delivered,
        failed: tally.failed,
        pending: tally.pending,
        opened: tally.opened,
        started: tally.started,
        completed: tally.completed,
        response_rate: tally.response_rate(),
    }
}

/// `GET /api/v1/surveys/{id}/invitations/preview`: draw a sample and compare it; nothing is sent.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/invitations/preview", params(("id" = i32, Path), PreviewQuery),
    responses((status = 200, body = PreviewBody), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn preview_invitations(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _caller: Caller<Editor>,
    Path(id): Path<i32>,
    Query(query): Query<PreviewQuery>,
) -> ApiResult {
    let mode = query.mode.unwrap_or_default();
    mode_checked(&mode).map_err(|e| invalid(&context, &e))?;
    let strata = query.stratify.into_iter().collect();
    let input = sample_input(
        &mode,
        query.size.unwrap_or_default(),
        strata,
        query.seed.unwrap_or_default(),
        query.soft_launch_percent.unwrap_or_default(),
    );
    let request = input.parse(sampling::new_seed()).map_err(|e| invalid(&context, &e))?;
    let survey = invitations::survey(&state.db, &municipality, id).await.map_err(|e| refusal(&context, e))?;
    let preview =
        invitations::preview(&state.db, &municipality, &survey, &request).await.map_err(|e| refusal(&context, e))?;
    Ok(with_csrf(&context, StatusCode::OK, preview_body(&preview)))
}

/// `POST /api/v1/surveys/{id}/invitations`: draw the sample (same parameters
/// as the preview) and send it; a seed already sent is refused with 409.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations", params(("id" = i32, Path)), request_body = SendBody,
    responses((status = 201, body = SentBody), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send_invitations(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Editor>,
    Path(id): Path<i32>,
    Json(body): Json<SendBody>,
) -> ApiResult {
    mode_checked(&body.mode).map_err(|e| invalid(&context, &e))?;
    let strata = match body.stratify {
        Some(Strata::Text(text)) => vec![text],
        Some(Strata::List(list)) => list,
        None => Vec::new(),
    };
    let input = sample_input_releasing(
        &body.mode,
        body.size.map(|n| n.to_string()).unwrap_or_default(),
        strata,
        seed_text(body.seed),
        body.soft_launch_percent.map(|p| p.to_string()).unwrap_or_default(),
        body.release_after_hours.map(|h| h.to_string()).unwrap_or_default(),
    );
    let request = input.parse(sampling::new_seed()).map_err(|e| invalid(&context, &e))?;
    let outcome = invitations::send(&state.db, &state.config.base_url, &municipality, id, &request, caller.actor)
        .await
        .map_err(|e| refusal(&context, e))?;
    let body = SentBody {
        sample_id: outcome.sample_id,
        seed: request.seed.to_string(),
        invited: outcome.invited,
        queued: outcome.queued,
    };
    Ok(with_csrf(&context, StatusCode::CREATED, body))
}

/// `POST /api/v1/surveys/{id}/invitations/release`: send the rest of a soft launch now.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations/release", params(("id" = i32, Path)), request_body(content = ReleaseBody, description = "Optional"),
    responses((status = 200, body = ReleasedBody), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn release_invitations(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Editor>,
    Path(id): Path<i32>,
    body: Option<Json<ReleaseBody>>,
) -> Result<Response, ApiError> {
    let chosen = body.and_then(|Json(b)| b.sample_id);
    let sample_id = match chosen {
        Some(sample_id) => sample_id,
        None => invitations::samples(&state.db, &municipality, id)
            .await?
            .into_iter()
            .find(|s| s.waiting() > 0)
            .map(|s| s.sample.id)
            .ok_or_else(|| {
                invalid(&context, &Invalid(vec![FieldError::new("sample_id", "api-error-nothing-to-release")]))
            })?,
    };
    let queued = invitations::release(&state.db, &state.config.base_url, &municipality, id, sample_id, caller.actor)
        .await
        .map_err(|e| refusal(&context, e))?;
    Ok(with_csrf(&context, StatusCode::OK, ReleasedBody { sample_id, queued }))
}

/// `GET /api/v1/surveys/{id}/invitations/stats`: invited, sent, failed,
/// pending, opened, started, completed and response rate, overall and per stratum.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/invitations/stats", params(("id" = i32, Path)),
    responses((status = 200, body = StatsBody), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn invitation_stats(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _caller: Caller<Viewer>,
    Path(id): Path<i32>,
) -> ApiResult {
    let stats = invitations::stats(&state.db, &municipality, id).await.map_err(|e| refusal(&context, e))?;
    let body = StatsBody {
        survey_id: id,
        overall: tally_body(None, &stats.overall),
        strata: stats.strata.iter().map(|(stratum, tally)| tally_body(stratum.clone(), tally)).collect(),
    };
    Ok(with_csrf(&context, StatusCode::OK, body))
}
