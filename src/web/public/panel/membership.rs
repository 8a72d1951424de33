//! Pages reached without a member session: join, confirm, sign-in links,
//! unsubscribe and consent renewal.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Form;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::Email;
use crate::domain::profile::{JoinInput, ProfileRules, parse_join, parse_pause_until};
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_with};
use crate::services::municipalities::{self, District};
use crate::services::panel;
use crate::services::rate_limit::{self, Decision, Limit};
use crate::services::tenant::Municipality;
use crate::views::components::single_error;
use crate::views::panel::{self as views, JoinView};
use crate::web::context::{RequestContext, Tenant};
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

use super::MEMBER_COOKIE;

/// Join and sign-in requests allowed per client address in 15 minutes.
const REQUESTS_PER_ADDRESS: Limit = Limit { max: 10, window: Duration::from_secs(15 * 60) };

/// Count a request from `peer` under `scope`; an error when over the limit.
async fn limit(state: &AppState, scope: &str, peer: SocketAddr) -> AppResult<()> {
    match rate_limit::hit(&state.db, scope, &peer.ip().to_string(), REQUESTS_PER_ADDRESS).await? {
        Decision::Allowed => Ok(()),
        Decision::Limited { retry_after } => Err(AppError::RateLimited { retry_after }),
    }
}

/// The municipality's districts and their codes.
async fn districts(state: &AppState, municipality: &Municipality) -> AppResult<(Vec<District>, HashSet<String>)> {
    let list = municipalities::districts(&state.db, municipality).await?;
    let codes = list.iter().map(|d| d.code.clone()).collect();
    Ok((list, codes))
}

/// The page shown when a link is unknown, used or expired (404).
pub(super) fn invalid_link(state: &AppState, context: &RequestContext) -> Response {
    let body = t(context.language, "panel-link-invalid-body");
    let link = Some(("/panel/sign-in", t(context.language, "panel-link-invalid-action")));
    (StatusCode::NOT_FOUND, views::message(state, context, "panel-link-invalid-title", body, link)).into_response()
}

async fn join_page(
    state: &AppState,
    context: &RequestContext,
    municipality: &Municipality,
    input: &JoinInput,
    errors: Option<&Invalid>,
) -> AppResult<Response> {
    let (districts, _) = districts(state, municipality).await?;
    let view = JoinView {
        municipality: &municipality.name,
        districts: &districts,
        languages: &municipality.languages,
        input,
        errors,
    };
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, views::join(state, context, &view)).into_response())
}

/// `GET /panel/join`.
pub async fn show_join(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
) -> AppResult<Response> {
    let mut input = JoinInput::default();
    input.profile.language = context.language.code().to_owned();
    join_page(&state, &context, &municipality, &input, None).await
}

/// `POST /panel/join`: the same "check your email" page whether or not the
/// address is a member already.
pub async fn join(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(input): Form<JoinInput>,
) -> AppResult<Response> {
    limit(&state, "panel-join", peer).await?;
    let (_, codes) = districts(&state, &municipality).await?;
    let rules =
        ProfileRules { districts: &codes, languages: &municipality.languages, current_year: panel::current_year() };
    match parse_join(&input, &rules) {
        Ok(joining) => {
            panel::join(&state.db, &municipality, &state.config.base_url, &joining).await?;
            Ok(check_email(&state, &context))
        }
        Err(invalid) => join_page(&state, &context, &municipality, &input, Some(&invalid)).await,
    }
}

fn check_email(state: &AppState, context: &RequestContext) -> Response {
    let body = t(context.language, "panel-check-email-body");
    views::message(state, context, "panel-check-email-title", body, None).into_response()
}

/// `GET /panel/confirm/<token>`: the membership becomes active.
pub async fn show_confirm(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !panel::confirmation_link_valid(&state.db, &municipality, &token).await? {
        return Ok(invalid_link(&state, &context));
    }
    let action = format!("/panel/confirm/{token}");
    Ok(views::link_step(&state, &context, "panel-confirm", &municipality.name, &action).into_response())
}

/// `POST /panel/confirm/<token>`: the membership is confirmed.
pub async fn confirm(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !panel::confirm(&state.db, &municipality, &token).await? {
        return Ok(invalid_link(&state, &context));
    }
    let body = t_with(context.language, "panel-confirmed-body", &[("municipality", municipality.name.clone())]);
    let link = Some(("/panel/sign-in", t(context.language, "panel-confirmed-my-page")));
    Ok(views::message(&state, &context, "panel-confirmed-title", body, link).into_response())
}

/// `GET /panel/sign-in`.
pub async fn show_sign_in(State(state): State<AppState>, context: RequestContext, Tenant(_): Tenant) -> Response {
    views::sign_in(&state, &context, "", None).into_response()
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInInput {
    #[serde(default)]
    email: String,
}

/// `POST /panel/sign-in`: email a sign-in link if the address is a member;
/// the same page either way.
pub async fn request_sign_in(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(input): Form<SignInInput>,
) -> AppResult<Response> {
    limit(&state, "panel-sign-in", peer).await?;
    let Ok(email) = Email::parse(&input.email) else {
        let errors = single_error("email", "panel-error-email");
        let page = views::sign_in(&state, &context, &input.email, Some(&errors));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    panel::request_sign_in(&state.db, &municipality, &state.config.base_url, &email).await?;
    Ok(check_email(&state, &context))
}

/// `GET /panel/sign-in/<token>`: start a member session and go to "my page".
pub async fn show_sign_in_link(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !panel::sign_in_link_valid(&state.db, &municipality, &token).await? {
        return Ok(invalid_link(&state, &context));
    }
    let action = format!("/panel/sign-in/{token}");
    Ok(views::link_step(&state, &context, "panel-link-sign-in", &municipality.name, &action).into_response())
}

/// `POST /panel/sign-in/<token>`: start a session on "my page".
pub async fn sign_in_with_link(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(session) = panel::start_session(&state.db, &municipality, &token).await? else {
        return Ok(invalid_link(&state, &context));
    };
    let lifetime = Lifetime::Seconds(panel::SESSION_VALID_SECONDS);
    let mut response = Redirect::to("/panel/me").into_response();
    if let Some(cookie) = cookies::build(MEMBER_COOKIE, &session, lifetime, state.config.secure_cookies()) {
        response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `GET /panel/renew/<token>`.
pub async fn show_renew(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if panel::renewal_member(&state.db, &municipality, &token).await?.is_none() {
        return Ok(invalid_link(&state, &context));
    }
    Ok(views::renew(&state, &context, &municipality.name, &token, None).into_response())
}

/// The consent form.
#[derive(Deserialize)]
pub struct ConsentInput {
    consent: Option<String>,
}

/// `POST /panel/renew/<token>`: consent is recorded again.
pub async fn renew(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
    Form(input): Form<ConsentInput>,
) -> AppResult<Response> {
    if input.consent.as_deref() != Some("yes") {
        if panel::renewal_member(&state.db, &municipality, &token).await?.is_none() {
            return Ok(invalid_link(&state, &context));
        }
        let errors = single_error("consent", "panel-error-consent");
        let page = views::renew(&state, &context, &municipality.name, &token, Some(&errors));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if !panel::renew_with_link(&state.db, &municipality, &token).await? {
        return Ok(invalid_link(&state, &context));
    }
    let body = t(context.language, "panel-renewed-body");
    Ok(views::message(&state, &context, "panel-renewed-title", body, None).into_response())
}

/// `GET /u/<token>`: choose to pause or leave.
pub async fn show_unsubscribe(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if panel::unsubscribe_member(&state.db, &municipality, &token).await?.is_none() {
        return Ok(invalid_link(&state, &context));
    }
    Ok(views::unsubscribe(&state, &context, &token, "", None).into_response())
}

/// What a POST to `/u/<token>` asks for.
enum UnsubscribeRequest {
    /// RFC 8058 one-click: pause for 12 months.
    OneClick,
    /// Pause until the typed date.
    Pause(String),
    /// Leave the panel.
    Leave,
}

fn unsubscribe_request(body: &[u8]) -> Option<UnsubscribeRequest> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    // Mail clients may also post multipart/form-data.
    let text = String::from_utf8_lossy(body);
    let multipart_one_click = text.contains("name=\"List-Unsubscribe\"") && text.contains("One-Click");
    if value("List-Unsubscribe") == Some("One-Click") || multipart_one_click {
        return Some(UnsubscribeRequest::OneClick);
    }
    match value("action") {
        Some("pause") => Some(UnsubscribeRequest::Pause(value("until").unwrap_or_default().to_owned())),
        Some("leave") => Some(UnsubscribeRequest::Leave),
        _ => None,
    }
}

/// `POST /u/<token>`: one-click pause (RFC 8058), or the page's pause and
/// leave forms. The token in the path is the authorisation (no CSRF cookie).
pub async fn unsubscribe(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(token): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let Some(member) = panel::unsubscribe_member(&state.db, &municipality, &token).await? else {
        return Ok(invalid_link(&state, &context));
    };
    let language = context.language;
    match unsubscribe_request(&body).ok_or(AppError::BadRequest("error-bad-request-body"))? {
        UnsubscribeRequest::OneClick => {
            let until = panel::one_click_pause(&state.db, &municipality, &token)
                .await?
                .unwrap_or(crate::services::surveys::today());
            let body = t_with(language, "panel-paused-body", &[("date", until.to_string())]);
            Ok(views::message(&state, &context, "panel-paused-title", body, None).into_response())
        }
        UnsubscribeRequest::Pause(text) => match parse_pause_until(&text, crate::services::surveys::today()) {
            Ok(until) => {
                panel::set_pause(&state.db, &municipality, member.id, Some(until)).await?;
                let body = t_with(language, "panel-paused-body", &[("date", until.to_string())]);
                Ok(views::message(&state, &context, "panel-paused-title", body, None).into_response())
            }
            Err(errors) => {
                let page = views::unsubscribe(&state, &context, &token, &text, Some(&errors));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
        },
        UnsubscribeRequest::Leave => {
            panel::leave(&state.db, &municipality, &state.config.base_url, member.id).await?;
            Ok(super::me::left_page(&state, &context))
        }
    }
}
