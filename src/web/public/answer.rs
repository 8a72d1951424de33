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

use crate::domain::survey::answer::{FormValues, form_values, parse_section, part_name};
use crate::domain::survey::{Answers, QuestionKind};
use crate::domain::validation::{FieldError, Invalid};
use crate::error::{AppError, AppResult};
use crate::services::rate_limit::{self, Decision, Limit};
use crate::services::responses::{self, AnswerSession, Submitted, TokenLookup};
use crate::services::surveys;
use crate::services::tenant::Municipality;
use crate::views::answer::{Mode, SurveyPage, inactive_link, survey_page, thank_you};
use crate::web::auth::{Editor, Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

mod paper;

/// Wrong tokens allowed per client address before it is slowed down.
const WRONG_TOKENS: Limit = Limit { max: 30, window: Duration::from_secs(15 * 60) };
/// New answers to open surveys allowed per client address.
const OPEN_STARTS: Limit = Limit { max: 20, window: Duration::from_secs(60 * 60) };

/// Routes for answering.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{token}", get(show_page).post(post_page))
        .route("/o/{token}", get(start_open_survey))
        .route("/staff/surveys/{id}/preview", get(preview))
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
fn missing_errors(session: &AnswerSession, section: usize) -> Invalid {
    let definition = &session.survey.definition;
    Invalid(
        definition.sections[section]
            .questions
            .iter()
            .filter(|q| q.required && q.show_if.as_ref().is_none_or(|c| c.holds(&session.answers)))
            .filter(|q| !session.answers.contains_key(&q.key))
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
    let errors = query.missing.map(|_| missing_errors(&session, section)).filter(|e| !e.0.is_empty());
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
    let session = match responses::lookup_token(&state.db, &municipality, &token).await? {
        TokenLookup::Inactive => return inactive(&state, &context, peer).await,
        TokenLookup::Completed(_) => return Ok(Redirect::to(&format!("/s/{token}")).into_response()),
        TokenLookup::Open(session) => session,
    };
    let values = form_values(pairs);
    let action = values.get("action").and_then(|v| v.first()).map_or("next", String::as_str).to_owned();
    let definition = &session.survey.definition;
    let visible = responses::visible_sections(definition, &session.answers);
    let section = values
        .get("section")
        .and_then(|v| v.first())
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|s| visible.contains(s))
        .ok_or(AppError::BadRequest("error-bad-request-body"))?;
    let (page_answers, errors) = parse_section(&definition.sections[section], &values, &session.answers);
    let answers = responses::merge_page(definition, &session.answers, section, page_answers);
    let visible = responses::visible_sections(definition, &answers);
    let position = visible.iter().position(|&s| s == section).unwrap_or(0);
    if action == "back" {
        let previous = position.saturating_sub(1);
        // Keep what was valid on this page; the member fixes the rest later.
        responses::save_draft(
            &state.db,
            &municipality,
            session.invitation.id,
            &answers,
            session.invitation.draft_page.max(0) as usize,
        )
        .await?;
        return Ok(Redirect::to(&format!("/s/{token}?page={}", previous + 1)).into_response());
    }
    // Follow-up questions that this page's answers just revealed were not on
    // the page the resident saw: show them instead of calling them missing.
    let revealed: Vec<String> = definition.sections[section]
        .questions
        .iter()
        .filter(|q| q.show_if.as_ref().is_some_and(|c| !c.holds(&session.answers) && c.holds(&answers)))
        .filter(|q| !answers.contains_key(&q.key))
        .map(|q| crate::domain::survey::answer::field_name(&q.key))
        .collect();
    let errors: Vec<FieldError> =
        errors.into_iter().filter(|e| !revealed.iter().any(|r| e.field.starts_with(r.as_str()))).collect();
    if !revealed.is_empty() || !errors.is_empty() {
        if errors.is_empty() {
            responses::save_draft(&state.db, &municipality, session.invitation.id, &answers, section).await?;
        }
        let session = AnswerSession { answers: answers.clone(), ..*session };
        let context = language_for(&state, context, &municipality, &session).await?;
        let notice = (!revealed.is_empty()).then_some("answer-new-questions");
        let page =
            PageState { section, position, total: visible.len(), values: &values, errors: Invalid(errors), notice };
        return Ok(render_with_errors(&state, &context, &session, &token, &page));
    }
    let next = visible.get(position + 1).copied();
    match (action.as_str(), next) {
        ("submit", None) => submit(&state, &municipality, session, answers, &token).await,
        (_, Some(next)) => {
            responses::save_draft(&state.db, &municipality, session.invitation.id, &answers, next).await?;
            Ok(Redirect::to(&format!("/s/{token}?page={}", position + 2)).into_response())
        }
        (_, None) => {
            responses::save_draft(&state.db, &municipality, session.invitation.id, &answers, section).await?;
            Ok(Redirect::to(&format!("/s/{token}?page={}", position + 1)).into_response())
        }
    }
}

/// A page being shown again with what was posted.
struct PageState<'a> {
    section: usize,
    position: usize,
    total: usize,
    values: &'a FormValues,
    errors: Invalid,
    notice: Option<&'static str>,
}

fn render_with_errors(
    state: &AppState,
    context: &RequestContext,
    session: &AnswerSession,
    token: &str,
    page_state: &PageState<'_>,
) -> Response {
    let has_errors = !page_state.errors.0.is_empty();
    let page = SurveyPage {
        survey: &session.survey,
        sections: vec![page_state.section],
        position: page_state.position + 1,
        total: page_state.total,
        answers: &session.answers,
        posted: Some(page_state.values),
        errors: has_errors.then_some(&page_state.errors),
        action: format!("/s/{token}"),
        mode: Mode::Respondent,
        extra: None,
        notice: page_state.notice,
    };
    let status = if has_errors { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, survey_page(state, context, &page)).into_response()
}

async fn submit(
    state: &AppState,
    municipality: &Municipality,
    mut session: Box<AnswerSession>,
    answers: Answers,
    token: &str,
) -> AppResult<Response> {
    let definition = &session.survey.definition;
    if let Some(incomplete) = responses::first_incomplete_section(definition, &answers) {
        responses::save_draft(&state.db, municipality, session.invitation.id, &answers, incomplete).await?;
        let visible = responses::visible_sections(definition, &answers);
        let position = visible.iter().position(|&s| s == incomplete).unwrap_or(0) + 1;
        return Ok(Redirect::to(&format!("/s/{token}?page={position}&missing=1")).into_response());
    }
    session.answers = answers;
    match responses::submit(&state.db, municipality, &session).await? {
        Submitted::Recorded | Submitted::AlreadyRecorded => Ok(Redirect::to(&format!("/s/{token}")).into_response()),
    }
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

/// `GET /staff/surveys/{id}/preview`: the survey exactly as residents see it.
pub async fn preview(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _staff: Staff<Viewer>,
    Path(id): Path<i32>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let survey = surveys::load(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let answers = Answers::new();
    let visible = responses::visible_sections(&survey.definition, &answers);
    let position = query.page.filter(|p| (1..=visible.len()).contains(p)).unwrap_or(1);
    let section = visible.get(position - 1).copied().ok_or(AppError::NotFound)?;
    let page = SurveyPage {
        survey: &survey,
        sections: vec![section],
        position,
        total: visible.len(),
        answers: &answers,
        posted: None,
        errors: None,
        action: String::new(),
        mode: Mode::Preview,
        extra: None,
        notice: None,
    };
    Ok(survey_page(&state, &context, &page).into_response())
}

/// Editors enter paper questionnaires.
pub type PaperStaff = Staff<Editor>;
