//! Surveys: list, read, create and replace drafts, lifecycle steps.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::services::surveys::{self, EditError, ImportError, Step, Survey};
use crate::web::api::auth::Caller;
use crate::web::api::{ApiError, ApiResult, Problem, invalid, with_csrf};
use crate::web::auth::{Admin, Editor, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// A survey in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveySummary {
    /// Survey number.
    pub id: i32,
    /// `draft`, `approved`, `open`, `closed` or `published`.
    pub status: String,
    /// `panel` or `open`.
    pub kind: String,
    /// Title by language code.
    #[schema(value_type = Object)]
    pub title: crate::domain::survey::Text,
    /// Last day for answers, `YYYY-MM-DD`.
    pub closes_on: Option<String>,
    /// Estimated minutes to answer.
    pub expected_minutes: u32,
}

/// One survey: its state and its survey file.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDocument {
    /// Survey number.
    pub id: i32,
    /// Lifecycle state.
    pub status: String,
    /// The survey in the native file format (docs/survey.schema.json).
    #[schema(value_type = Object)]
    pub file: serde_json::Value,
    /// The public link's path, only in the response that opened an open survey.
    pub public_path: Option<String>,
}

fn refusal(context: &RequestContext, error: EditError) -> Response {
    match error {
        EditError::NotFound => AppError::NotFound.into_response(),
        EditError::Db(error) => AppError::from(error).into_response(),
        EditError::Invalid { invalid: problems, .. } => invalid(context, &problems).into_response(),
    }
}

fn document(survey: &Survey, public_path: Option<String>) -> Result<SurveyDocument, ApiError> {
    let text = surveys::export_file(survey).map_err(|e| AppError::Internal(e.into()).into_response())?;
    let file = serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()).into_response())?;
    Ok(SurveyDocument { id: survey.id, status: survey.status.code().into(), file, public_path })
}

/// `GET /api/v1/surveys`: every survey of the municipality, newest first.
#[utoipa::path(get, path = "/api/v1/surveys", responses((status = 200, body = [SurveySummary]), (status = 401, body = Problem)))]
pub async fn list_surveys(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _caller: Caller<Viewer>,
) -> ApiResult {
    let list = surveys::list(&state.db, &municipality).await.map_err(|e| AppError::from(e).into_response())?;
    let summaries: Vec<SurveySummary> = list
        .iter()
        .map(|s| SurveySummary {
            id: s.id,
            status: s.status.code().into(),
            kind: s.kind.code().into(),
            title: s.definition.title.clone(),
            closes_on: s.closes_on.and_then(|d| d.format(surveys::DATE_FORMAT).ok()),
            expected_minutes: s.definition.expected_minutes(),
        })
        .collect();
    Ok(with_csrf(&context, StatusCode::OK, summaries))
}

/// `GET /api/v1/surveys/{id}`.
#[utoipa::path(get, path = "/api/v1/surveys/{id}", params(("id" = i32, Path)), responses((status = 200, body = SurveyDocument), (status = 404, body = Problem)))]
pub async fn get_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _caller: Caller<Viewer>,
    Path(id): Path<i32>,
) -> ApiResult {
    let survey = surveys::load(&state.db, &municipality, id)
        .await
        .map_err(|e| AppError::from(e).into_response())?
        .ok_or_else(|| AppError::NotFound.into_response())?;
    Ok(with_csrf(&context, StatusCode::OK, document(&survey, None)?))
}

/// `POST /api/v1/surveys`: the body is a survey file; creates a draft.
#[utoipa::path(post, path = "/api/v1/surveys", request_body(content = Object, description = "A survey file"), responses((status = 201, body = SurveyDocument), (status = 422, body = Problem)))]
pub async fn create_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Editor>,
    body: String,
) -> ApiResult {
    match surveys::import_file(&state.db, &municipality, &body, caller.actor).await {
        Ok(survey) => Ok(with_csrf(&context, StatusCode::CREATED, document(&survey, None)?)),
        Err(ImportError::Invalid(error)) => Err(refusal(
            &context,
            EditError::Invalid { invalid: crate::domain::validation::Invalid(vec![error]), candidate: None },
        )
        .into()),
        Err(ImportError::Db(error)) => Err(AppError::from(error).into_response().into()),
    }
}

/// `PUT /api/v1/surveys/{id}`: replace a draft with the survey file in the body.
#[utoipa::path(put, path = "/api/v1/surveys/{id}", params(("id" = i32, Path)), request_body(content = Object, description = "A survey file"), responses((status = 200, body = SurveyDocument), (status = 422, body = Problem)))]
pub async fn update_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Editor>,
    Path(id): Path<i32>,
    body: String,
) -> ApiResult {
    let survey = surveys::replace_from_file(&state.db, &municipality, id, &body, caller.actor)
        .await
        .map_err(|e| refusal(&context, e))?;
    Ok(with_csrf(&context, StatusCode::OK, document(&survey, None)?))
}

/// `POST /api/v1/surveys/{id}/approval-request`: send a ready draft to the
/// admins for approval (editors); asking again changes nothing.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/approval-request", params(("id" = i32, Path)), responses((status = 200, body = SurveyDocument), (status = 422, body = Problem)))]
pub async fn request_approval(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Editor>,
    Path(id): Path<i32>,
) -> ApiResult {
    let base_url = &state.config.base_url;
    let survey = surveys::request_approval(&state.db, &municipality, base_url, id, caller.actor)
        .await
        .map_err(|e| refusal(&context, e))?;
    Ok(with_csrf(&context, StatusCode::OK, document(&survey, None)?))
}

/// `POST /api/v1/surveys/{id}/status/{step}`: `approve`, `open` or `close` (admins).
#[utoipa::path(post, path = "/api/v1/surveys/{id}/status/{step}", params(("id" = i32, Path), ("step" = String, Path, description = "approve, open or close")), responses((status = 200, body = SurveyDocument), (status = 422, body = Problem)))]
pub async fn change_status(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    caller: Caller<Admin>,
    Path((id, step)): Path<(i32, String)>,
) -> ApiResult {
    let step = Step::parse(&step).ok_or_else(|| AppError::NotFound.into_response())?;
    let done =
        surveys::take_step(&state.db, &municipality, id, step, caller.actor).await.map_err(|e| refusal(&context, e))?;
    let public_path = done.public_token.map(|token| format!("/o/{token}"));
    Ok(with_csrf(&context, StatusCode::OK, document(&done.survey, public_path)?))
}
