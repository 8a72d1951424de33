//! Signing in and out.

use std::time::Duration;

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::services::rate_limit::{self, Decision, Limit};
use crate::services::staff::{self, SignInError};
use crate::views::staff::SignInForm;
use crate::web::context::RequestContext;
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

/// Sign-in attempts allowed per client address in 15 minutes.
const ATTEMPTS_PER_ADDRESS: Limit = Limit { max: 20, window: Duration::from_secs(15 * 60) };

/// Query of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInInput {
    email: String,
    password: String,
    next: Option<String>,
}

/// Only local paths are followed after sign-in (no open redirects).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with("/staff") && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/staff".into(),
    }
}

/// `GET /staff/sign-in`.
pub async fn show_sign_in(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    crate::views::staff::sign_in(&state, &context, &SignInForm { email: "", next: &next, problem: None })
        .into_response()
}

/// `POST /staff/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    context: RequestContext,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Form(input): Form<SignInInput>,
) -> AppResult<Response> {
    let next = safe_next(input.next.as_deref());
    let problem = if let Decision::Limited { retry_after } =
        rate_limit::hit(&state.db, "sign-in", &peer.ip().to_string(), ATTEMPTS_PER_ADDRESS).await?
    {
        Some((StatusCode::TOO_MANY_REQUESTS, "sign-in-rate-limited", minutes(retry_after)))
    } else {
        match staff::sign_in(&state.db, context.municipality.as_deref(), &input.email, &input.password).await {
            Ok(user) => return start_session(&state, &user, &next).await,
            Err(SignInError::InvalidCredentials) => {
                Some((StatusCode::UNPROCESSABLE_ENTITY, "sign-in-invalid", Vec::new()))
            }
            Err(SignInError::Locked { until }) => {
                let wait = (until - crate::services::now()).max(60) as u64;
                Some((StatusCode::TOO_MANY_REQUESTS, "sign-in-locked", minutes(wait)))
            }
            Err(SignInError::Db(error)) => return Err(error.into()),
        }
    };
    let (status, key, args) = problem.unwrap_or((StatusCode::UNPROCESSABLE_ENTITY, "sign-in-invalid", Vec::new()));
    let form = SignInForm { email: &input.email, next: &next, problem: Some((key, args)) };
    Ok((status, crate::views::staff::sign_in(&state, &context, &form)).into_response())
}

fn minutes(seconds: u64) -> Vec<(&'static str, String)> {
    vec![("minutes", seconds.div_ceil(60).to_string())]
}

async fn start_session(state: &AppState, user: &staff::StaffUser, next: &str) -> Result<Response, AppError> {
    let token = staff::start_session(&state.db, user).await?;
    let target =
        if user.role == crate::domain::Role::Operator && next == "/staff" { "/staff/municipalities" } else { next };
    let mut response = Redirect::to(target).into_response();
    let lifetime = Lifetime::Seconds(staff::SESSION_SECONDS);
    if let Some(cookie) = cookies::build(cookies::SESSION, &token.reveal(), lifetime, state.config.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `POST /staff/sign-out`.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(cookie) = cookies::get(&headers, cookies::SESSION) {
        staff::end_session(&state.db, cookie).await?;
    }
    let mut response = Redirect::to("/staff/sign-in").into_response();
    if let Some(expired) = cookies::build(cookies::SESSION, "", Lifetime::Expired, state.config.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, expired);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_staff_paths_are_followed() {
        assert_eq!(safe_next(Some("/staff/settings")), "/staff/settings");
        assert_eq!(safe_next(Some("https://evil.example")), "/staff");
        assert_eq!(safe_next(Some("//evil.example/staff")), "/staff");
        assert_eq!(safe_next(None), "/staff");
    }
}
