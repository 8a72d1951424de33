//! The staff preview: the resident page in a phone-width or full-width
//! frame, answered with the same buttons and skip rules as residents have —
//! the answers travel in the address only and are never stored — and an
//! overview of every page with its rules.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use maud::Markup;
use serde::Deserialize;

use super::{PageState, missing_errors, render_again};
use crate::domain::survey::Answers;
use crate::domain::survey::answer::form_values;
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::responses::{self, PageStep};
use crate::services::surveys::{self, Survey};
use crate::views::answer::{Mode, SurveyPage, preview_thank_you, survey_page};
use crate::views::preview::{PreviewView, all_pages, preview_page};
use crate::web::auth::{Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::middleware::FRAMEABLE_CONTENT_SECURITY_POLICY;
use crate::web::state::AppState;

/// `?view=full`, `?page=N`, `?missing=1` and `?answers=…` (the preview's
/// answers so far, as URL-safe base64 of their JSON).
#[derive(Debug, Default, Deserialize)]
pub struct PreviewQuery {
    view: Option<String>,
    page: Option<usize>,
    missing: Option<u8>,
    answers: Option<String>,
}

/// The answers as carried in the address (empty when there are none).
fn encode_answers(answers: &Answers) -> String {
    if answers.is_empty() {
        return String::new();
    }
    serde_json::to_vec(answers).map(|json| URL_SAFE_NO_PAD.encode(json)).unwrap_or_default()
}

/// The answers carried in the address; a garbled value is a bad request.
fn decode_answers(text: Option<&str>) -> AppResult<Answers> {
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(Answers::new()) };
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or(AppError::BadRequest("error-bad-request-body"))
}

/// The address of the framed resident page.
fn frame_url(id: i32, answers: &str, page: Option<usize>, missing: bool) -> String {
    let mut parts = Vec::new();
    if let Some(page) = page {
        parts.push(format!("page={page}"));
    }
    if missing {
        parts.push("missing=1".to_owned());
    }
    if !answers.is_empty() {
        parts.push(format!("answers={answers}"));
    }
    let query = if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) };
    format!("/staff/surveys/{id}/preview/frame{query}")
}

/// Let the staff preview page (same origin) show this response in its frame;
/// every other page keeps refusing to be framed.
fn framed(page: impl IntoResponse) -> Response {
    let mut response = page.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FRAMEABLE_CONTENT_SECURITY_POLICY));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    response
}

async fn load(state: &AppState, municipality: &crate::services::tenant::Municipality, id: i32) -> AppResult<Survey> {
    surveys::load(&state.db, municipality, id).await?.ok_or(AppError::NotFound)
}

/// `GET /staff/surveys/{id}/preview`: the resident page in a phone-width
/// frame, or full width with `?view=full`.
pub async fn show_preview(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<PreviewQuery>,
) -> AppResult<Markup> {
    let survey = load(&state, &municipality, id).await?;
    let answers = encode_answers(&decode_answers(query.answers.as_deref())?);
    let view = if query.view.as_deref() == Some("full") { PreviewView::FullWidth } else { PreviewView::Phone };
    let frame = frame_url(id, &answers, query.page, false);
    Ok(preview_page(&state, &context, &staff.user, &survey, view, &frame))
}

/// `GET /staff/surveys/{id}/preview/frame`: one page of the survey, exactly
/// as residents see it, with the preview's answers so far.
pub async fn show_frame(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _staff: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<PreviewQuery>,
) -> AppResult<Response> {
    let survey = load(&state, &municipality, id).await?;
    let answers = decode_answers(query.answers.as_deref())?;
    let visible = responses::visible_sections(&survey.definition, &answers);
    let position = query.page.filter(|p| (1..=visible.len()).contains(p)).unwrap_or(1);
    let section = visible.get(position - 1).copied().ok_or(AppError::NotFound)?;
    let errors =
        query.missing.map(|_| missing_errors(&survey.definition, &answers, section)).filter(|e| !e.0.is_empty());
    let page = SurveyPage {
        survey: &survey,
        sections: vec![section],
        position,
        total: visible.len(),
        answers: &answers,
        posted: None,
        errors: errors.as_ref(),
        action: frame_url(id, &encode_answers(&answers), None, false),
        mode: Mode::Respondent,
        extra: None,
        notice: errors.as_ref().map(|_| "answer-missing-notice"),
    };
    Ok(framed(survey_page(&state, &context, &page)))
}

/// `POST /staff/surveys/{id}/preview/frame`: Next, Back and Submit as
/// residents have them, deciding the same way — but nothing is stored: the
/// answers go on in the address, and submitting shows the thank-you page
/// marked as a preview.
pub async fn post_frame(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _staff: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<PreviewQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let survey = load(&state, &municipality, id).await?;
    let saved = decode_answers(query.answers.as_deref())?;
    let values = form_values(pairs);
    let step = responses::page_step(&survey.definition, &saved, &values)
        .ok_or(AppError::BadRequest("error-bad-request-body"))?;
    let go = |answers: &Answers, position: usize, missing: bool| {
        Redirect::to(&frame_url(id, &encode_answers(answers), Some(position), missing)).into_response()
    };
    Ok(match step {
        PageStep::Back { answers, position } | PageStep::Go { answers, position, .. } => go(&answers, position, false),
        PageStep::Incomplete { answers, position, .. } => go(&answers, position, true),
        PageStep::Again { answers, section, position, total, errors, revealed } => {
            // A resident's page with errors saves nothing: keep the earlier answers.
            let kept = if errors.is_empty() { encode_answers(&answers) } else { encode_answers(&saved) };
            let notice = revealed.then_some("answer-new-questions");
            let page = PageState { section, position, total, values: &values, errors: Invalid(errors), notice };
            framed(render_again(&state, &context, &survey, &answers, frame_url(id, &kept, None, false), &page))
        }
        PageStep::Submit { .. } => framed(preview_thank_you(&state, &context, &survey)),
    })
}

/// `GET /staff/surveys/{id}/preview/all`: every page and question, with the
/// skip rules in words.
pub async fn show_all_pages(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    staff: Staff<Viewer>,
    Path(id): Path<i32>,
) -> AppResult<Markup> {
    let survey = load(&state, &municipality, id).await?;
    Ok(all_pages(&state, &context, &staff.user, &survey))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::Answer;

    #[test]
    fn answers_survive_the_address() {
        let answers = Answers::from([
            ("mode".to_owned(), Answer::Choice("car".into())),
            ("idea".to_owned(), Answer::Text("Benker & trær?".into())),
        ]);
        let encoded = encode_answers(&answers);
        assert!(encoded.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{encoded}");
        assert_eq!(decode_answers(Some(&encoded)).expect("decodes"), answers);
        assert_eq!(encode_answers(&Answers::new()), "");
        assert!(decode_answers(Some("not json!")).is_err());
    }
}
