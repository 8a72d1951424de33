//! Staff API keys, for admins: list, create (the secret shown once), revoke.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::api_keys::{self, CreateKeyError, CreatedKey, NewKeyInput};
use crate::services::surveys;
use crate::services::tenant::Municipality;
use crate::views::api_keys::KeysView;
use crate::web::auth::{Admin, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/api-keys", get(list_keys).post(create_key))
        .route("/staff/api-keys/{id}/revoke", post(revoke_key))
}

/// `?revoked=1` after a revocation.
#[derive(Deserialize)]
pub struct RevokedQuery {
    revoked: Option<u8>,
}

async fn render_page(
    state: &AppState,
    context: &RequestContext,
    admin: &Staff<Admin>,
    municipality: &Municipality,
    input: &NewKeyInput,
    outcome: Result<Option<&CreatedKey>, &Invalid>,
    revoked: bool,
) -> AppResult<Response> {
    let keys = api_keys::list(&state.db, municipality).await?;
    let (created, errors) = match outcome {
        Ok(created) => (created, None),
        Err(errors) => (None, Some(errors)),
    };
    let view = KeysView { keys: &keys, input, errors, created, revoked };
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = crate::views::api_keys::page(state, context, &admin.user, &view);
    // The page may hold a secret: keep it out of every cache.
    Ok((status, [(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// `GET /staff/api-keys`.
pub async fn list_keys(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Query(query): Query<RevokedQuery>,
) -> AppResult<Response> {
    let input = NewKeyInput { role: "viewer".into(), ..Default::default() };
    render_page(&state, &context, &admin, &municipality, &input, Ok(None), query.revoked.is_some()).await
}

/// `POST /staff/api-keys`: make a key and show its secret once.
pub async fn create_key(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Form(input): Form<NewKeyInput>,
) -> AppResult<Response> {
    let request = match input.parse(admin.user.role, surveys::today()) {
        Ok(request) => request,
        Err(errors) => return render_page(&state, &context, &admin, &municipality, &input, Err(&errors), false).await,
    };
    let created = api_keys::create(&state.db, &municipality, &request, &admin.user).await.map_err(|e| match e {
        CreateKeyError::Db(error) => AppError::from(error),
        other => AppError::Internal(other.into()),
    })?;
    let fresh = NewKeyInput { role: "viewer".into(), ..Default::default() };
    render_page(&state, &context, &admin, &municipality, &fresh, Ok(Some(&created)), false).await
}

/// The revoke form: without `confirm=yes` it asks first.
#[derive(Deserialize)]
pub struct RevokeInput {
    #[serde(default)]
    confirm: String,
}

/// `POST /staff/api-keys/{id}/revoke`.
pub async fn revoke_key(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Path(id): Path<i32>,
    Form(input): Form<RevokeInput>,
) -> AppResult<Response> {
    if input.confirm != "yes" {
        let keys = api_keys::list(&state.db, &municipality).await?;
        let key = keys.iter().find(|k| k.key.id == id && k.key.revoked_at.is_none()).ok_or(AppError::NotFound)?;
        return Ok(crate::views::api_keys::confirm_revoke(&state, &context, &admin.user, key).into_response());
    }
    if !api_keys::revoke(&state.db, &municipality, id, admin.user.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/staff/api-keys?revoked=1").into_response())
}
