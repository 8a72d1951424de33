//! Sampling and sending invitations, soft launch, and bounced addresses.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::Email;
use crate::domain::sampling::{self, SampleInput};
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::invitations::{self, InviteError, Preview};
use crate::services::tenant::Municipality;
use crate::views::components::single_error;
use crate::views::invitations::InvitationsView;
use crate::web::auth::{Admin, Editor, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{id}/invitations", get(show_invitations))
        .route("/staff/surveys/{id}/invitations/preview", post(preview_sample))
        .route("/staff/surveys/{id}/invitations/send", post(send_sample))
        .route("/staff/surveys/{id}/invitations/samples/{sample}/release", post(release_sample))
        .route("/staff/surveys/{id}/invitations/samples/{sample}/hold", post(hold_sample))
        .route("/staff/surveys/{id}/invitations/samples/{sample}/unhold", post(unhold_sample))
        .route("/staff/bounces", get(show_bounces).post(mark_bounce))
}

/// Messages after a redirect.
#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    sent: Option<usize>,
    queued: Option<usize>,
    background: Option<u8>,
    released: Option<usize>,
    already: Option<i32>,
}

/// What the page shows besides the survey and its samples.
#[derive(Default)]
struct PageState {
    input: SampleInput,
    errors: Option<Invalid>,
    preview: Option<Preview>,
    notice: Option<(&'static str, Vec<(&'static str, String)>)>,
}

async fn render_page(
    state: &AppState,
    context: &RequestContext,
    staff: &Staff<Editor>,
    municipality: &Municipality,
    survey_id: i32,
    page: PageState,
) -> AppResult<Response> {
    let survey = invitations::survey(&state.db, municipality, survey_id).await.map_err(invite_error)?;
    let samples = invitations::samples(&state.db, municipality, survey.id).await?;
    let stats = invitations::stats(&state.db, municipality, survey.id).await.map_err(invite_error)?;
    let status = if page.errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = InvitationsView {
        survey: &survey,
        open: survey.accepts_answers(crate::services::surveys::today()),
        input: &page.input,
        errors: page.errors.as_ref(),
        preview: page.preview.as_ref(),
        samples: &samples,
        stats: &stats,
        notice: page.notice,
    };
    Ok((status, crate::views::invitations::page(state, context, &staff.user, &view)).into_response())
}

fn invite_error(error: InviteError) -> AppError {
    match error {
        InviteError::NotFound | InviteError::AlreadySent(_) | InviteError::Invalid(_) => AppError::NotFound,
        InviteError::Db(error) => error.into(),
    }
}

/// The sample form as posted (strata arrive as repeated keys).
fn sample_input(pairs: Vec<(String, String)>) -> SampleInput {
    let mut input = SampleInput::default();
    for (key, value) in pairs {
        match key.as_str() {
            "method" => input.method = value,
            "size" => input.size = value,
            "strata" => input.strata.push(value),
            "seed" => input.seed = value,
            "soft_launch" => input.soft_launch = value,
            "release_after" => input.release_after = value,
            _ => {}
        }
    }
    input
}

/// `GET /staff/surveys/{id}/invitations`.
pub async fn show_invitations(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(survey_id): Path<i32>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    let notice = match query {
        NoticeQuery { sent: Some(invited), queued: Some(queued), .. } => {
            Some(("invitations-sent-notice", vec![("invited", invited.to_string()), ("queued", queued.to_string())]))
        }
        NoticeQuery { sent: Some(invited), background: Some(_), .. } => {
            Some(("invitations-sending-notice", vec![("invited", invited.to_string())]))
        }
        NoticeQuery { released: Some(count), .. } => {
            Some(("invitations-released-notice", vec![("count", count.to_string())]))
        }
        NoticeQuery { already: Some(_), .. } => Some(("invitations-already-sent", vec![])),
        _ => None,
    };
    render_page(&state, &context, &staff, &municipality, survey_id, PageState { notice, ..Default::default() }).await
}

/// `POST /staff/surveys/{id}/invitations/preview`: draw and show the sample.
pub async fn preview_sample(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(survey_id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = sample_input(pairs);
    let survey = invitations::survey(&state.db, &municipality, survey_id).await.map_err(invite_error)?;
    let result = match input.parse(sampling::new_seed()) {
        Ok(request) => invitations::preview(&state.db, &municipality, &survey, &request).await,
        Err(invalid) => Err(invalid.into()),
    };
    let page = match result {
        Ok(preview) => PageState { input, preview: Some(preview), ..Default::default() },
        Err(InviteError::Invalid(invalid)) => PageState { input, errors: Some(invalid), ..Default::default() },
        Err(other) => return Err(invite_error(other)),
    };
    render_page(&state, &context, &staff, &municipality, survey_id, page).await
}

/// `POST /staff/surveys/{id}/invitations/send`: send the previewed sample.
pub async fn send_sample(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(survey_id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = sample_input(pairs);
    let result = match input.parse(sampling::new_seed()) {
        Ok(request) => {
            let actor = staff.user.actor();
            invitations::send_from_page(&state.db, &state.config.base_url, &municipality, survey_id, &request, actor)
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    let here = format!("/staff/surveys/{survey_id}/invitations");
    match result {
        Ok(outcome) if outcome.background => {
            Ok(Redirect::to(&format!("{here}?sent={}&background=1", outcome.invited)).into_response())
        }
        Ok(outcome) => {
            Ok(Redirect::to(&format!("{here}?sent={}&queued={}", outcome.invited, outcome.queued)).into_response())
        }
        Err(InviteError::AlreadySent(sample)) => Ok(Redirect::to(&format!("{here}?already={sample}")).into_response()),
        Err(InviteError::Invalid(invalid)) => {
            let page = PageState { input, errors: Some(invalid), ..Default::default() };
            render_page(&state, &context, &staff, &municipality, survey_id, page).await
        }
        Err(other) => Err(invite_error(other)),
    }
}

/// `POST …/samples/{sample}/release`: send the rest of a soft launch now.
pub async fn release_sample(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path((survey_id, sample_id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let actor = staff.user.actor();
    match invitations::release(&state.db, &state.config.base_url, &municipality, survey_id, sample_id, actor).await {
        Ok(count) => {
            Ok(Redirect::to(&format!("/staff/surveys/{survey_id}/invitations?released={count}")).into_response())
        }
        Err(InviteError::Invalid(invalid)) => {
            let page = PageState { errors: Some(invalid), ..Default::default() };
            render_page(&state, &context, &staff, &municipality, survey_id, page).await
        }
        Err(other) => Err(invite_error(other)),
    }
}

async fn set_hold(
    state: &AppState,
    municipality: &Municipality,
    staff: &Staff<Editor>,
    (survey_id, sample_id): (i32, i32),
    held: bool,
) -> AppResult<Response> {
    invitations::hold_release(&state.db, municipality, survey_id, sample_id, held, staff.user.actor())
        .await
        .map_err(invite_error)?;
    Ok(Redirect::to(&format!("/staff/surveys/{survey_id}/invitations")).into_response())
}

/// `POST …/samples/{sample}/hold`: do not release the rest automatically.
pub async fn hold_sample(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(ids): Path<(i32, i32)>,
) -> AppResult<Response> {
    set_hold(&state, &municipality, &staff, ids, true).await
}

/// `POST …/samples/{sample}/unhold`: release automatically again.
pub async fn unhold_sample(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    staff: Staff<Editor>,
    Path(ids): Path<(i32, i32)>,
) -> AppResult<Response> {
    set_hold(&state, &municipality, &staff, ids, false).await
}

/// `?marked=1` after marking an address.
#[derive(Deserialize)]
pub struct MarkedQuery {
    marked: Option<u8>,
}

/// `GET /staff/bounces`.
pub async fn show_bounces(
    State(state): State<AppState>,
    context: RequestContext,
    _tenant: Tenant,
    admin: Staff<Admin>,
    Query(query): Query<MarkedQuery>,
) -> AppResult<Response> {
    let page = crate::views::invitations::bounces(&state, &context, &admin.user, "", None, query.marked.is_some());
    Ok(page.into_response())
}

/// The bounce form.
#[derive(Deserialize)]
pub struct BounceInput {
    #[serde(default)]
    email: String,
}

/// `POST /staff/bounces`: mark a member's address as bouncing.
pub async fn mark_bounce(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Form(input): Form<BounceInput>,
) -> AppResult<Response> {
    let result = match Email::parse(&input.email) {
        Ok(email) => invitations::mark_bouncing(&state.db, &municipality, &email, admin.user.actor()).await?,
        Err(_) => false,
    };
    if result {
        return Ok(Redirect::to("/staff/bounces?marked=1").into_response());
    }
    let errors = single_error("email", "bounces-error-unknown");
    let page = crate::views::invitations::bounces(&state, &context, &admin.user, &input.email, Some(&errors), false);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
