//! Compass assessments and evidence for staff.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::compass::AssessmentInput;
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::compass::{self, ChangeError};
use crate::services::staff::StaffUser;
use crate::services::tenant::Municipality;
use crate::views::compass::{StaffView, assessment_form, assessment_page, staff_page};
use crate::views::components::single_error;
use crate::web::auth::{Admin, Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of the staff compass pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/compass", get(show_compass))
        .route("/staff/compass/assessments/new", get(new_assessment).post(create_assessment))
        .route("/staff/compass/assessments/{id}", get(show_assessment))
        .route("/staff/compass/assessments/{id}/edit", get(edit_assessment).post(update_assessment))
        .route("/staff/compass/frameworks", post(import_framework))
}

/// `?saved=…` after a successful change.
#[derive(Deserialize)]
pub struct NoticeQuery {
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    municipality: &Municipality,
    import_errors: Option<&Invalid>,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let overview = compass::overview(&state.db, municipality).await?.ok_or(AppError::NotFound)?;
    let evidence = compass::evidence(&state.db, municipality, &overview.framework).await?;
    let imported = compass::imported(&state.db, municipality).await?;
    let view = StaffView { overview: &overview, evidence: &evidence, imported: &imported, import_errors, notice };
    let status = if import_errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let minimum = compass::minimum_respondents(municipality);
    Ok((status, staff_page(state, context, user, &view, minimum)).into_response())
}

/// `GET /staff/compass` (any municipal role).
pub async fn show_compass(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    viewer: Staff<Viewer>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    let notice = match query.saved.as_deref() {
        Some("assessment") => Some("compass-assessment-saved"),
        Some("framework") => Some("compass-framework-imported"),
        _ => None,
    };
    page(&state, &context, &viewer.user, &municipality, None, notice).await
}

/// `GET /staff/compass/assessments/new` (admins).
pub async fn new_assessment(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
) -> AppResult<Response> {
    let framework = compass::framework_for(&state.db, &municipality).await?.ok_or(AppError::NotFound)?;
    let input = AssessmentInput { kind: "external".into(), ..Default::default() };
    Ok(assessment_form(&state, &context, &admin.user, &framework, &input, None, None).into_response())
}

/// `POST /staff/compass/assessments/new`: check, store with an audit row, or
/// show the form again with every problem.
pub async fn create_assessment(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let framework = compass::framework_for(&state.db, &municipality).await?.ok_or(AppError::NotFound)?;
    let input = AssessmentInput::from_pairs(pairs);
    match compass::record_assessment(&state.db, &municipality, &framework, &input, admin.user.actor()).await {
        Ok(_) => Ok(Redirect::to("/staff/compass?saved=assessment").into_response()),
        Err(ChangeError::Invalid(invalid)) => {
            let form = assessment_form(&state, &context, &admin.user, &framework, &input, Some(&invalid), None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form).into_response())
        }
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}

/// `GET /staff/compass/assessments/{id}` (any municipal role): every
/// sub-question's points and comment, the totals, and the change since the
/// previous assessment.
pub async fn show_assessment(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    viewer: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    let detail = compass::assessment_detail(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let notice = query.saved.as_deref().map(|_| "compass-assessment-updated");
    Ok(assessment_page(&state, &context, &viewer.user, &detail, notice).into_response())
}

/// `GET /staff/compass/assessments/{id}/edit` (admins): the form filled with
/// what was recorded.
pub async fn edit_assessment(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let detail = compass::assessment_detail(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let stored = &detail.assessment;
    let input = AssessmentInput::prefilled(
        &stored.assessed_on,
        &stored.assessor,
        stored.kind,
        &stored.scores,
        context.language,
    );
    let form = assessment_form(&state, &context, &admin.user, &detail.framework, &input, None, Some(stored));
    Ok(form.into_response())
}

/// `POST /staff/compass/assessments/{id}/edit`: check and store the
/// correction with an audit row, or show the form again with every problem.
pub async fn update_assessment(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Path(id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let detail = compass::assessment_detail(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let input = AssessmentInput::from_pairs(pairs);
    match compass::update_assessment(&state.db, &municipality, &detail, &input, admin.user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/compass/assessments/{id}?saved=1")).into_response()),
        Err(ChangeError::Invalid(invalid)) => {
            let (framework, stored) = (&detail.framework, Some(&detail.assessment));
            let form = assessment_form(&state, &context, &admin.user, framework, &input, Some(&invalid), stored);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form).into_response())
        }
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}

/// `POST /staff/compass/frameworks`: import a framework JSON file (admins).
pub async fn import_framework(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    multipart: Multipart,
) -> AppResult<Response> {
    let upload = crate::web::upload::Upload::read(multipart).await?;
    let result = match upload.file("framework_file") {
        Some(bytes) => compass::import_framework(&state.db, &municipality, bytes, admin.user.actor()).await.map(|_| ()),
        None => Err(ChangeError::Invalid(single_error("$", "compass-error-no-file"))),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/staff/compass?saved=framework").into_response()),
        Err(ChangeError::Invalid(invalid)) => {
            page(&state, &context, &admin.user, &municipality, Some(&invalid), None).await
        }
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}
