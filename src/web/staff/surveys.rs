//! Building surveys, approval and the lifecycle.
//!
//! Every page works without JavaScript: each change is its own small form
//! posted to `/staff/surveys/{id}/edit` with an `op` naming the change.
//! The JSON API under `/api/v1/surveys` is in `crate::web::api::surveys`.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use crate::domain::survey::edit::FormValues;
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::municipalities;
use crate::services::surveys::{self, ImportError, NewSurvey, Step};
use crate::services::tenant::Municipality;
use crate::views::surveys::{EditView, ListView};
use crate::web::auth::{Admin, Editor, Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys", get(list_surveys).post(create_survey))
        .route("/staff/surveys/import", post(import_survey))
        .route("/staff/surveys/{id}", get(show_survey))
        .route("/staff/surveys/{id}/edit", post(edit_survey))
        .route("/staff/surveys/{id}/duplicate", post(duplicate_survey))
        .route("/staff/surveys/{id}/request-approval", post(request_approval))
        .route("/staff/surveys/{id}/export", get(export_survey))
        .route("/staff/surveys/{id}/status/{step}", post(change_status))
}

async fn list_page(
    state: &AppState,
    context: &RequestContext,
    staff: &crate::services::staff::StaffUser,
    municipality: &Municipality,
    form: FormValues,
    errors: Option<Invalid>,
) -> AppResult<Response> {
    let list = surveys::list(&state.db, municipality).await?;
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = ListView { surveys: &list, form, errors: errors.as_ref() };
    Ok((status, crate::views::surveys::list(state, context, staff, municipality, &view)).into_response())
}

/// `GET /staff/surveys`.
pub async fn list_surveys(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Viewer>,
) -> AppResult<Response> {
    list_page(&state, &context, &staff.user, &municipality, FormValues::default(), None).await
}

/// `POST /staff/surveys`: a new draft.
pub async fn create_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = FormValues(pairs);
    let languages: Vec<String> = form.all("languages").into_iter().map(str::to_owned).collect();
    match NewSurvey::parse(&municipality, form.get("title"), &languages, form.get("kind")) {
        Ok(new) => {
            let survey = surveys::create_new(&state.db, &municipality, &new, staff.user.actor()).await?;
            Ok(Redirect::to(&format!("/staff/surveys/{}", survey.id)).into_response())
        }
        Err(invalid) => list_page(&state, &context, &staff.user, &municipality, form, Some(invalid)).await,
    }
}

/// `POST /staff/surveys/import?csrf=…`: a survey file upload becomes a draft.
pub async fn import_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    multipart: Multipart,
) -> AppResult<Response> {
    let upload = crate::web::upload::Upload::read(multipart).await?;
    let text = upload.text("file").filter(|d| !d.trim().is_empty()).unwrap_or_default().to_owned();
    match surveys::import_file(&state.db, &municipality, &text, staff.user.actor()).await {
        Ok(survey) => Ok(Redirect::to(&format!("/staff/surveys/{}", survey.id)).into_response()),
        Err(ImportError::Invalid(error)) => {
            list_page(&state, &context, &staff.user, &municipality, FormValues::default(), Some(Invalid(vec![error])))
                .await
        }
        Err(ImportError::Db(error)) => Err(error.into()),
    }
}

async fn edit_page(
    state: &AppState,
    context: &RequestContext,
    staff: &crate::services::staff::StaffUser,
    municipality: &Municipality,
    id: i32,
    view: EditView,
) -> AppResult<Response> {
    let survey = surveys::load(&state.db, municipality, id).await?.ok_or(AppError::NotFound)?;
    let requested_by = match survey.approval_requested_by {
        Some(user_id) => crate::services::staff::display_name(&state.db, municipality, user_id).await?,
        None => None,
    };
    let view = EditView { requested_by, ..view };
    let status = if view.errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, crate::views::surveys::edit(state, context, staff, municipality, &survey, view)).into_response())
}

/// `?saved=1` after a successful change, `?requested=1` after sending for approval.
#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
    requested: Option<String>,
}

/// `GET /staff/surveys/{id}`: the builder (read-only below editor).
pub async fn show_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    let view = EditView { saved: query.saved.is_some(), requested: query.requested.is_some(), ..EditView::default() };
    edit_page(&state, &context, &staff.user, &municipality, id, view).await
}

/// `POST /staff/surveys/{id}/request-approval`: send a ready draft to the admins.
pub async fn request_approval(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let base_url = &state.config.base_url;
    let view = match surveys::request_approval(&state.db, &municipality, base_url, id, staff.user.actor()).await {
        Ok(_) => return Ok(Redirect::to(&format!("/staff/surveys/{id}?requested=1")).into_response()),
        Err(error) => EditView::failed(error, FormValues::default())?,
    };
    edit_page(&state, &context, &staff.user, &municipality, id, view).await
}

/// `POST /staff/surveys/{id}/edit`: one change from one form.
pub async fn edit_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = FormValues(pairs);
    match surveys::apply_edit(&state.db, &municipality, id, &form, staff.user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/surveys/{id}?saved=1#{}", form.get("anchor"))).into_response()),
        Err(error) => {
            let view = EditView::failed(error, form)?;
            edit_page(&state, &context, &staff.user, &municipality, id, view).await
        }
    }
}

/// `POST /staff/surveys/{id}/duplicate`: a new draft with the same content.
pub async fn duplicate_survey(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let original = surveys::load(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let copy = surveys::duplicate(&state.db, &municipality, &original, staff.user.actor()).await?;
    Ok(Redirect::to(&format!("/staff/surveys/{}", copy.id)).into_response())
}

/// `GET /staff/surveys/{id}/export`: the survey file as a download.
pub async fn export_survey(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    _staff: Staff<Viewer>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let survey = surveys::load(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let body = surveys::export_file(&survey).map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"survey-{id}.json\"");
    Ok(([(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// `POST /staff/surveys/{id}/status/{step}`: approve, open or close (admins).
/// Opening an open survey shows its public link once, on this response.
pub async fn change_status(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Path((id, step)): Path<(i32, String)>,
) -> AppResult<Response> {
    let step = Step::parse(&step).ok_or(AppError::NotFound)?;
    let view = match surveys::take_step(&state.db, &municipality, id, step, admin.user.actor()).await {
        Ok(done) => match done.public_token {
            Some(token) => {
                let base = municipalities::public_base_url(&state.db, &state.config.base_url, &municipality).await?;
                EditView { public_link: base.join(&format!("o/{token}")).ok().map(String::from), ..EditView::default() }
            }
            None => return Ok(Redirect::to(&format!("/staff/surveys/{id}?saved=1")).into_response()),
        },
        Err(error) => EditView::failed(error, FormValues::default())?,
    };
    edit_page(&state, &context, &admin.user, &municipality, id, view).await
}
