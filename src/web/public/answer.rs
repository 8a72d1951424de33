//! Answering a survey through a personal link (`/s/<token>`), a public link
//! of an open survey (`/o/<token>`), staff preview, and paper entry.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::survey::answer::{FormValues, form_values, part_name};
use crate::domain::survey::{Answers, QuestionKind, SurveyDefinition};
use crate::domain::validation::{FieldError, Invalid};
use crate::error::{AppError, AppResult};
use crate::services::rate_limit::{self, Decision, Limit};
use crate::services::responses::{self, AnswerSession, PageStep, Submitted, TokenLookup};
use crate::services::surveys::Survey;
use crate::services::tenant::Municipality;
use crate::views::answer::{Mode, SurveyPage, inactive_link, survey_page, thank_you};
use crate::web::auth::{Editor, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

mod paper;
mod preview;

/// Wrong tokens allowed per client address before it is slowed down.
const WRONG_TOKENS: Limit = Limit { max: 30, window: Duration::from_secs(15 * 60) };
/// New answers to open surveys allowed per client address.
const OPEN_STARTS: Limit = Limit { max: 20, window: Duration::from_secs(60 * 60) };

/// Routes for answering.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{token}", get(show_page).post(post_page))
        .route("/o/{token}", get(start_open_survey))
        .route("/staff/surveys/{id}/preview", get(preview::show_preview))
        .route("/staff/surveys/{id}/preview/frame", get(preview::show_frame).post(preview::post_frame))
        .route("/staff/surveys/{id}/preview/all", get(preview::show_all_pages))
        .route("/staff/surveys/{id}/paper", get(paper::show_paper_form).post(paper::save_paper_answer))
}

/// `?page=N` (1-based among visible pages) and `?missing=1`.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<usize>,
    missing: Option<u8>,
}

/// The neutral page for wrong and expired links, counted against guessing.
async fn inactive(state: &AppState, context: &RequestContext, peer: SocketAddr) -> AppResult<Response> {
    if let Decision::Limited { retry_after } =
        rate_limit::hit(&state.db, "token", &peer.ip().to_string(), WRONG_TOKENS).await?
    {
        return Err(AppError::RateLimited { retry_after });
    }
    Ok((StatusCode::NOT_FOUND, inactive_link(state, context)).into_response())
}

/// Use the member's language unless the reader chose one.
async fn language_for(
    state: &AppState,
    context: RequestContext,
    municipality: &Municipality,
    session: &AnswerSession,
) -> AppResult<RequestContext> {
    if context.language_chosen {
        return Ok(context);
    }
    let preferred = responses::member_language(&state.db, municipality, session.invitation.member_id).await?;
    let offered = &session.survey.definition.languages;
    Ok(match preferred.filter(|l| offered.contains(l) && context.languages().contains(l)) {
        Some(language) => RequestContext { language, ..context },
        None => context,
    })
}

/// Errors for required questions left empty on a page (after a submit that
/// found them).
fn missing_errors(definition: &SurveyDefinition, answers: &Answers, section: usize) -> Invalid {
    Invalid(
        definition.sections[section]
            .questions
            .iter()
            .filter(|q| q.required && q.show_if.as_ref().is_none_or(|c| c.holds(answers)))
            .filter(|q| !answers.contains_key(&q.key))
            .flat_map(|q| match &q.kind {
                // A matrix has no control of its own: point at each statement.
                QuestionKind::LikertMatrix { statements, .. } if !statements.is_empty() => statements
                    .iter()
                    .map(|s| FieldError::new(part_name(&q.key, &s.key), "answer-error-required-row"))
                    .collect(),
                _ => vec![FieldError::new(crate::domain::survey::answer::field_name(&q.key), "answer-error-required")],
            })
            .collect(),
    )
}

/// `GET /s/{token}`: the page to answer (resuming where the member left off).
pub async fn show_page(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let session = match responses::lookup_token(&state.db, &municipality, &token).await? {
        TokenLookup::Inactive => return inactive(&state, &context, peer).await,
        TokenLookup::Completed(survey) => return Ok(thank_you(&state, &context, &survey).into_response()),
        TokenLookup::Open(session) => session,
    };
    responses::note_opened(&state.db, &municipality, &session.invitation).await?;
    let context = language_for(&state, context, &municipality, &session).await?;
    let visible = responses::visible_sections(&session.survey.definition, &session.answers);
    let saved = usize::try_from(session.invitation.draft_page).unwrap_or(0);
    let furthest = visible.iter().position(|&s| s == saved).unwrap_or(0);
    let position = query.page.filter(|p| (1..=furthest + 1).contains(p)).unwrap_or(furthest + 1);
    let section = visible.get(position - 1).copied().unwrap_or(0);
    let errors = query
        .missing
        .map(|_| missing_errors(&session.survey.definition, &session.answers, section))
        .filter(|e| !e.0.is_empty());
    let page = SurveyPage {
        survey: &session.survey,
        sections: vec![section],
        position,
        total: visible.len(),
        answers: &session.answers,
        posted: None,
        errors: errors.as_ref(),
        action: format!("/s/{token}"),
        mode: Mode::Respondent,
        extra: None,
        notice: errors.as_ref().map(|_| "answer-missing-notice"),
    };
    let mut response = survey_page(&state, &context, &page).into_response();
    // Remember the member's language so later pages need no lookup for it.
    if !context.language_chosen
        && let Some(cookie) = cookies::build(
            cookies::LANGUAGE,
            context.language.code(),
            Lifetime::Seconds(365 * 24 * 3600),
            state.config.secure_cookies(),
        )
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `POST /s/{token}`: save a page, go back, or submit.
pub async fn post_page(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut session = match responses::lookup_token(&state.db, &municipality, &token).await? {
        TokenLookup::Inactive => return inactive(&state, &context, peer).await,
        TokenLookup::Completed(_) => return Ok(Redirect::to(&format!("/s/{token}")).into_response()),
        TokenLookup::Open(session) => session,
    };
    let values = form_values(pairs);
    let step = responses::page_step(&session.survey.definition, &session.answers, &values)
        .ok_or(AppError::BadRequest("error-bad-request-body"))?;
    let (db, id) = (&state.db, session.invitation.id);
    match step {
        PageStep::Back { answers, position } => {
            // Keep what was valid on this page; the member fixes the rest later.
            let resume = usize::try_from(session.invitation.draft_page).unwrap_or(0);
            responses::save_draft(db, &municipality, id, &answers, resume).await?;
            Ok(Redirect::to(&format!("/s/{token}?page={position}")).into_response())
        }
        PageStep::Again { answers, section, position, total, errors, revealed } => {
            if errors.is_empty() {
                responses::save_draft(db, &municipality, id, &answers, section).await?;
            }
            session.answers = answers;
            let context = language_for(&state, context, &municipality, &session).await?;
            let notice = revealed.then_some("answer-new-questions");
            let page = PageState { section, position, total, values: &values, errors: Invalid(errors), notice };
            Ok(render_again(&state, &context, &session.survey, &session.answers, format!("/s/{token}"), &page))
        }
        PageStep::Go { answers, section, position } => {
            responses::save_draft(db, &municipality, id, &answers, section).await?;
            Ok(Redirect::to(&format!("/s/{token}?page={position}")).into_response())
        }
        PageStep::Incomplete { answers, section, position } => {
            responses::save_draft(db, &municipality, id, &answers, section).await?;
            Ok(Redirect::to(&format!("/s/{token}?page={position}&missing=1")).into_response())
        }
        PageStep::Submit { answers } => {
            session.answers = answers;
            match responses::submit(db, &municipality, &session).await? {
                Submitted::Recorded | Submitted::AlreadyRecorded => {
                    Ok(Redirect::to(&format!("/s/{token}")).into_response())
                }
            }
        }
    }
}

/// A page being shown again with what was posted.
struct PageState<'a> {
    section: usize,
    /// 1-based among the visible pages.
    position: usize,
    total: usize,
    values: &'a FormValues,
    errors: Invalid,
    notice: Option<&'static str>,
}

/// The posted page again, with its problems (422) or its new follow-up
/// questions (200).
fn render_again(
    state: &AppState,
    context: &RequestContext,
    survey: &Survey,
    answers: &Answers,
    action: String,
    page_state: &PageState<'_>,
) -> Response {
    let has_errors = !page_state.errors.0.is_empty();
    let page = SurveyPage {
        survey,
        sections: vec![page_state.section],
        position: page_state.position,
        total: page_state.total,
        answers,
        posted: Some(page_state.values),
        errors: has_errors.then_some(&page_state.errors),
        action,
        mode: Mode::Respondent,
        extra: None,
        notice: page_state.notice,
    };
    let status = if has_errors { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, survey_page(state, context, &page)).into_response()
}

/// `GET /o/{token}`: the public link of an open survey. Each browser gets its
/// own invitation, kept in a cookie: it resumes there, and answers once — or,
/// when the survey allows several answers per browser, starts afresh after
/// each submitted answer.
pub async fn start_open_survey(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(survey) = responses::open_survey_by_link(&state.db, &municipality, &token).await? else {
        return inactive(&state, &context, peer).await;
    };
    let cookie_name = format!("radslag_open_{}", survey.id);
    if let Some(personal) = cookies::get(&headers, &cookie_name) {
        match responses::lookup_token(&state.db, &municipality, personal).await? {
            TokenLookup::Open(_) => return Ok(Redirect::to(&format!("/s/{personal}")).into_response()),
            TokenLookup::Completed(_) if survey.one_answer_per_browser => {
                return Ok(Redirect::to(&format!("/s/{personal}")).into_response());
            }
            TokenLookup::Completed(_) | TokenLookup::Inactive => {}
        }
    }
    if let Decision::Limited { retry_after } =
        rate_limit::hit(&state.db, "open-survey", &peer.ip().to_string(), OPEN_STARTS).await?
    {
        return Err(AppError::RateLimited { retry_after });
    }
    let personal = responses::start_open_session(&state.db, &municipality, &survey).await?.reveal();
    let mut response = Redirect::to(&format!("/s/{personal}")).into_response();
    let lifetime = Lifetime::Seconds(180 * 24 * 3600);
    if let Some(cookie) = cookies::build(&cookie_name, &personal, lifetime, state.config.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Editors enter paper questionnaires.
pub type PaperStaff = Staff<Editor>;
