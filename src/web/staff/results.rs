//! Results, moderation of free text, feedback and publishing, for staff.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::municipalities::ChangeError;
use crate::services::results::{
    self, Breakdown, Channel, Feedback, FeedbackError, ModerationAction, ResultsRequest, WeightingChoice,
};
use crate::services::surveys::Survey;
use crate::services::tenant::Municipality;
use crate::views::components::single_error;
use crate::views::results::{FeedbackView, Labels, StaffResultsQuery};
use crate::web::auth::{Admin, Analyst, Editor, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{id}/results", get(show_results))
        .route("/staff/surveys/{id}/results/export", get(export_results))
        .route("/staff/surveys/{id}/moderation", get(show_moderation))
        .route("/staff/surveys/{id}/moderation/{answer}", post(moderate))
        .route("/staff/surveys/{id}/feedback", get(show_feedback).post(save_feedback))
        .route("/staff/surveys/{id}/publish", post(publish))
        .route("/staff/results/margins", get(show_margins).post(upload_margins))
}

/// Query pairs of the results page and export.
type Pairs = Query<Vec<(String, String)>>;

/// The breakdown, channel and weighting asked for: `breakdown=…`,
/// `channel=panel|open|paper` (anything else: all channels) and either
/// repeated `weight_margin=…` checkboxes (from the form) or `weight=a,b`
/// (from links).
fn request_of(pairs: &[(String, String)], survey: &Survey) -> (ResultsRequest, StaffResultsQuery) {
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let checked: Vec<&str> = pairs.iter().filter(|(k, _)| k == "weight_margin").map(|(_, v)| v.as_str()).collect();
    let weight_code = match (get("breakdown"), get("weight")) {
        (_, Some(code)) => code.to_owned(),
        (Some(_), None) if checked.is_empty() => "none".to_owned(),
        (Some(_), None) => checked.join(","),
        (None, None) => WeightingChoice::default().code(),
    };
    let weighting = WeightingChoice::parse(Some(&weight_code));
    let breakdown = Breakdown::parse(get("breakdown").unwrap_or_default(), survey);
    let channel = get("channel").and_then(Channel::parse);
    let query = StaffResultsQuery {
        breakdown: breakdown.code(),
        weighting: weighting.code(),
        channel: channel.map_or("", Channel::code).to_owned(),
    };
    (ResultsRequest { breakdown, weighting, channel }, query)
}

async fn staff_survey(state: &AppState, municipality: &Municipality, id: i32) -> AppResult<Survey> {
    results::survey_with_results(&state.db, municipality, id).await?.ok_or(AppError::NotFound)
}

/// `GET /staff/surveys/{id}/results`.
async fn show_results(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    analyst: Staff<Analyst>,
    Path(id): Path<i32>,
    Query(pairs): Pairs,
) -> AppResult<Response> {
    let survey = staff_survey(&state, &municipality, id).await?;
    let (request, query) = request_of(&pairs, &survey);
    let (computed, districts) = results::compute_labelled(&state.db, &municipality, &survey, &request).await?;
    let labels = Labels::new(context.language, &survey, municipality.default_language, &districts);
    Ok(crate::views::results::staff_results(&state, &context, &analyst.user, &computed, &labels, &query)
        .into_response())
}

/// `GET /staff/surveys/{id}/results/export`: aggregates (after suppression)
/// as CSV, written row by row.
async fn export_results(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    _analyst: Staff<Analyst>,
    Path(id): Path<i32>,
    Query(pairs): Pairs,
) -> AppResult<Response> {
    let survey = staff_survey(&state, &municipality, id).await?;
    let (request, _) = request_of(&pairs, &survey);
    let computed = results::compute(&state.db, &municipality, &survey, &request).await?;
    let lines: Vec<String> = results::export_rows(&computed).map(|row| row.csv_line()).collect();
    let stream = futures_util::stream::iter(
        std::iter::once(results::ExportRow::HEADER.to_owned()).chain(lines).map(Ok::<_, Infallible>),
    );
    let disposition = format!("attachment; filename=\"survey-{id}-results.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(stream),
    )
        .into_response())
}

async fn moderation_page(
    state: &AppState,
    context: &RequestContext,
    municipality: &Municipality,
    editor: &Staff<Editor>,
    survey: &Survey,
    errors: Option<(i32, &Invalid)>,
) -> AppResult<Response> {
    let queue = results::moderation_queue(&state.db, municipality, survey.id, 200).await?;
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = crate::views::results::moderation(state, context, &editor.user, survey, &queue, errors);
    Ok((status, page).into_response())
}

/// `GET /staff/surveys/{id}/moderation`.
async fn show_moderation(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    editor: Staff<Editor>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let survey = staff_survey(&state, &municipality, id).await?;
    moderation_page(&state, &context, &municipality, &editor, &survey, None).await
}

/// The moderation form.
#[derive(serde::Deserialize)]
struct ModerationInput {
    action: String,
    text: Option<String>,
}

/// `POST /staff/surveys/{id}/moderation/{answer}`.
async fn moderate(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    editor: Staff<Editor>,
    Path((id, answer)): Path<(i32, i32)>,
    Form(input): Form<ModerationInput>,
) -> AppResult<Response> {
    let survey = staff_survey(&state, &municipality, id).await?;
    match ModerationAction::parse(&input.action, input.text.as_deref()) {
        Ok(action) => {
            let changed =
                results::moderate(&state.db, &municipality, survey.id, answer, &action, editor.user.actor()).await?;
            if !changed {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/staff/surveys/{id}/moderation")).into_response())
        }
        Err(invalid) => {
            moderation_page(&state, &context, &municipality, &editor, &survey, Some((answer, &invalid))).await
        }
    }
}

fn notice_of(pairs: &[(String, String)]) -> Option<&'static str> {
    match pairs.iter().find(|(k, _)| k == "done").map(|(_, v)| v.as_str()) {
        Some("saved") => Some("feedback-saved"),
        Some("published") => Some("feedback-published"),
        Some("already") => Some("feedback-already-published"),
        _ => None,
    }
}

async fn feedback_page(
    state: &AppState,
    context: &RequestContext,
    user: &crate::services::staff::StaffUser,
    survey: &Survey,
    feedback: &Feedback,
    errors: Option<&Invalid>,
    notice: Option<&'static str>,
) -> Response {
    let can_publish = user.role.includes(crate::domain::Role::Admin);
    let view = FeedbackView { survey, feedback, errors, notice, can_publish };
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, crate::views::results::feedback_form(state, context, user, &view)).into_response()
}

async fn closed_survey(state: &AppState, municipality: &Municipality, id: i32) -> AppResult<Survey> {
    let survey = staff_survey(state, municipality, id).await?;
    match survey.status {
        crate::services::surveys::SurveyStatus::Closed | crate::services::surveys::SurveyStatus::Published => {
            Ok(survey)
        }
        _ => Err(AppError::NotFound),
    }
}

/// `GET /staff/surveys/{id}/feedback`.
async fn show_feedback(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    editor: Staff<Editor>,
    Path(id): Path<i32>,
    Query(pairs): Pairs,
) -> AppResult<Response> {
    let survey = closed_survey(&state, &municipality, id).await?;
    let feedback = Feedback::of(&survey);
    Ok(feedback_page(&state, &context, &editor.user, &survey, &feedback, None, notice_of(&pairs)).await)
}

/// `POST /staff/surveys/{id}/feedback`.
async fn save_feedback(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    editor: Staff<Editor>,
    Path(id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let survey = closed_survey(&state, &municipality, id).await?;
    let result = match Feedback::parse(&pairs, &survey.definition.languages) {
        Ok(feedback) => results::save_feedback(&state.db, &municipality, &survey, &feedback, editor.user.actor())
            .await
            .map_err(|e| (feedback, e)),
        Err((feedback, invalid)) => Err((feedback, FeedbackError::Invalid(invalid))),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/staff/surveys/{id}/feedback?done=saved")).into_response()),
        Err((feedback, FeedbackError::Invalid(invalid))) => {
            Ok(feedback_page(&state, &context, &editor.user, &survey, &feedback, Some(&invalid), None).await)
        }
        Err((_, FeedbackError::NotClosed)) => Err(AppError::NotFound),
        Err((_, FeedbackError::Db(error))) => Err(error.into()),
    }
}

/// `POST /staff/surveys/{id}/publish`.
async fn publish(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let survey = closed_survey(&state, &municipality, id).await?;
    match results::publish(&state.db, &state.config.base_url, &municipality, id, admin.user.actor()).await {
        Ok(results::Published::Now { .. }) => {
            Ok(Redirect::to(&format!("/staff/surveys/{id}/feedback?done=published")).into_response())
        }
        Ok(results::Published::Already) => {
            Ok(Redirect::to(&format!("/staff/surveys/{id}/feedback?done=already")).into_response())
        }
        Err(FeedbackError::Invalid(invalid)) => {
            let feedback = Feedback::of(&survey);
            Ok(feedback_page(&state, &context, &admin.user, &survey, &feedback, Some(&invalid), None).await)
        }
        Err(FeedbackError::NotClosed) => Err(AppError::NotFound),
        Err(FeedbackError::Db(error)) => Err(error.into()),
    }
}

/// `GET /staff/results/margins`.
async fn show_margins(
    State(state): State<AppState>,
    context: RequestContext,
    admin: Staff<Admin>,
) -> AppResult<Response> {
    Ok(crate::views::results::margins_upload(&state, &context, &admin.user, "", None, None).into_response())
}

/// `POST /staff/results/margins`: a JSON-stat file and an optional region mapping.
async fn upload_margins(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    multipart: Multipart,
) -> AppResult<Response> {
    let upload = crate::web::upload::Upload::read(multipart).await?;
    let mapping = upload.text("mapping").unwrap_or_default().to_owned();
    let result = match upload.file("margins") {
        Some(bytes) => {
            results::import_margins_jsonstat(&state.db, &municipality, bytes, &mapping, admin.user.actor()).await
        }
        None => Err(ChangeError::Invalid(single_error("margins", "margins-error-no-file"))),
    };
    let page = |errors: Option<&Invalid>, done| {
        crate::views::results::margins_upload(&state, &context, &admin.user, &mapping, errors, done)
    };
    match result {
        Ok(done) => Ok(page(None, Some(&done)).into_response()),
        Err(ChangeError::Invalid(invalid)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(Some(&invalid), None)).into_response())
        }
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}
