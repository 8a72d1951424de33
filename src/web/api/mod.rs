//! The JSON API, version 1, under `/api/v1/`: surveys, invitations and
//! results, with its OpenAPI document.
//!
//! A request is authenticated either by a staff API key
//! (`Authorization: Bearer rk_…`, no CSRF token needed) or by the staff
//! session cookie (writes then need the `x-csrf-token` header, which every
//! API response carries); see [`auth`]. Refusals are JSON [`Problem`]s.

pub mod auth;
pub mod invitations;
pub mod results;
pub mod surveys;

use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::domain::validation::Invalid;
use crate::error::AppError;
use crate::i18n::field_error;
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// API routes, all under `/api/v1/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/surveys", get(surveys::list_surveys).post(surveys::create_survey))
        .route("/api/v1/surveys/{id}", get(surveys::get_survey).put(surveys::update_survey))
        .route("/api/v1/surveys/{id}/approval-request", post(surveys::request_approval))
        .route("/api/v1/surveys/{id}/status/{step}", post(surveys::change_status))
        .route("/api/v1/surveys/{id}/invitations", post(invitations::send_invitations))
        .route("/api/v1/surveys/{id}/invitations/preview", get(invitations::preview_invitations))
        .route("/api/v1/surveys/{id}/invitations/release", post(invitations::release_invitations))
        .route("/api/v1/surveys/{id}/invitations/stats", get(invitations::invitation_stats))
        .route("/api/v1/surveys/{id}/results", get(results::get_results))
}

/// A refused request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `invalid`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `csrf`, `rate_limited` or `bad_request`.
    pub error: String,
    /// The JSON path, field or parameter the problem is about.
    pub field: Option<String>,
    /// Explanation in the request's language.
    pub message: String,
}

/// Declares the bearer scheme (staff API keys) and requires it by default.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            auth::SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("rk_ followed by 32 hex digits")
                    .description(Some("A staff API key made by an admin at /staff/api-keys."))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI description of the whole `/api/v1/` API.
#[derive(OpenApi)]
#[openapi(
    info(title = "Rådslag API", version = "1", description = "Surveys, invitations and results of one municipality (chosen by the host name)."),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    paths(
        openapi,
        surveys::list_surveys,
        surveys::get_survey,
        surveys::create_survey,
        surveys::update_survey,
        surveys::request_approval,
        surveys::change_status,
        invitations::preview_invitations,
        invitations::send_invitations,
        invitations::release_invitations,
        invitations::invitation_stats,
        results::get_results,
    ),
    components(schemas(
        Problem,
        surveys::SurveySummary,
        surveys::SurveyDocument,
        invitations::PreviewBody,
        invitations::CompositionEntry,
        invitations::SendBody,
        invitations::SentBody,
        invitations::ReleaseBody,
        invitations::ReleasedBody,
        invitations::StatsBody,
        invitations::StratumStats,
        results::ResultsBody,
        results::WeightingBody,
        results::RepresentationEntry,
        results::ChannelCount,
        results::QuestionBody,
        results::ItemBody,
        results::ColumnBody,
        results::OptionBody,
        results::ScaleBody,
        results::TextBody,
    ))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`: this API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", security(()), responses((status = 200, description = "The OpenAPI document", body = Object)))]
pub async fn openapi() -> Response {
    Json(document()).into_response()
}

/// The whole document: the staff API plus the public compass.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    document.merge(crate::web::public::compass_api::CompassApiDoc::openapi());
    document
}

/// A response that ends a handler early (kept small by boxing).
pub struct ApiError(Box<Response>);

impl From<Response> for ApiError {
    fn from(response: Response) -> Self {
        Self(Box::new(response))
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(Box::new(error.into_response()))
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What API handlers return.
pub type ApiResult = Result<Response, ApiError>;

/// A JSON problem response.
pub fn problem(status: StatusCode, error: &str, field: Option<String>, message: String) -> Response {
    (status, Json(Problem { error: error.into(), field, message })).into_response()
}

/// A 422 naming the first invalid field, in the request's language.
pub fn invalid(context: &RequestContext, invalid: &Invalid) -> ApiError {
    let first = invalid.0.first();
    problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        first.map(|e| e.field.clone()),
        first.map(|e| field_error(context.language, e)).unwrap_or_default(),
    )
    .into()
}

/// A JSON body with the CSRF token header that session clients need for writes.
pub fn with_csrf(context: &RequestContext, status: StatusCode, body: impl Serialize) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&context.csrf_token) {
        response.headers_mut().insert("x-csrf-token", value);
    }
    response
}
