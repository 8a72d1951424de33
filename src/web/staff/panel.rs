//! The panel overview and member import for staff.

use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::error::AppResult;
use crate::services::{municipalities, panel};
use crate::views::panel::{self as views, ImportResult};
use crate::web::auth::{Admin, Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/panel", get(show_overview))
        .route("/staff/panel/counts.csv", get(download_counts))
        .route("/staff/panel/members", get(list_members))
        .route("/staff/panel/import", get(show_import).post(import))
}

/// `GET /staff/panel`: counts against the population.
pub async fn show_overview(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    viewer: Staff<Viewer>,
) -> AppResult<Response> {
    let overview = panel::overview(&state.db, &municipality).await?;
    let districts = municipalities::districts(&state.db, &municipality).await?;
    Ok(views::overview(&state, &context, &viewer.user, &overview, &districts).into_response())
}

/// `GET /staff/panel/counts.csv`: the overview's counts, no personal data.
pub async fn download_counts(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    _viewer: Staff<Viewer>,
) -> AppResult<Response> {
    let overview = panel::overview(&state.db, &municipality).await?;
    let mut response = panel::overview_csv(&overview).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"panel-counts.csv\""));
    Ok(response)
}

/// `?page=N` (from 1).
#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
}

/// `GET /staff/panel/members`: admins only; every view is audited.
pub async fn list_members(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let page = query.page.unwrap_or(1).max(1) - 1;
    let (members, pages) = panel::member_page(&state.db, &municipality, page, admin.user.actor()).await?;
    let mut response = views::members(&state, &context, &admin.user, &members, page, pages).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /staff/panel/import`.
pub async fn show_import(State(state): State<AppState>, context: RequestContext, admin: Staff<Admin>) -> Response {
    views::import(&state, &context, &admin.user, None, false).into_response()
}

/// `POST /staff/panel/import`: a CSV upload; all or nothing unless
/// `skip_invalid` is ticked.
pub async fn import(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    multipart: Multipart,
) -> AppResult<Response> {
    let upload = crate::web::upload::Upload::read(multipart).await?;
    let skip_invalid = upload.text("skip_invalid") == Some("yes");
    let Some(data) = upload.file("file").cloned() else {
        let page = views::import(&state, &context, &admin.user, None, true);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let base = &state.config.base_url;
    let outcome =
        panel::import_members(&state.db, &municipality, base, &data, skip_invalid, admin.user.actor()).await?;
    let status = if outcome.imported == 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let result = ImportResult { imported: outcome.imported, problems: &outcome.problems };
    Ok((status, views::import(&state, &context, &admin.user, Some(&result), false)).into_response())
}
