//! Who is calling the API: a staff API key (`Authorization: Bearer rk_…`)
//! or a signed-in staff session, with the role a handler requires.
//!
//! A request that carries an `Authorization` header is judged by that header
//! alone — a cookie beside it is ignored — so the CSRF exemption for bearer
//! requests (see `web::context`) can never lend a cookie session a write.
//! Failed key attempts are counted per client address and limited.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::t;
use crate::services::api_keys;
use crate::services::audit::Actor;
use crate::services::rate_limit::{self, Decision, Limit};
use crate::web::api::{ApiError, problem};
use crate::web::auth::{RoleRequirement, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Name of the bearer security scheme in the OpenAPI document.
pub const SCHEME: &str = "bearer";

/// Failed key attempts allowed per client address in 15 minutes.
pub const FAILED_KEYS_PER_ADDRESS: Limit = Limit { max: 20, window: Duration::from_secs(15 * 60) };

const RATE_SCOPE: &str = "api-key";

/// The secret of an `Authorization: Bearer …` header, if the request has one
/// in that form.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// An authenticated API caller whose role includes `R`.
pub struct Caller<R: RoleRequirement> {
    /// Who to record in the audit log (the key, or the staff account).
    pub actor: Actor,
    /// The role the caller acts with.
    pub role: Role,
    _requirement: PhantomData<R>,
}

fn unauthorized(context: &RequestContext, key: &str) -> ApiError {
    let mut response: Response = problem(StatusCode::UNAUTHORIZED, "unauthorized", None, t(context.language, key));
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"radslag\""));
    response.into()
}

impl<R: RoleRequirement> FromRequestParts<AppState> for Caller<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let context = RequestContext::from_request_parts(parts, state).await?;
        let Tenant(municipality) = Tenant::from_request_parts(parts, state).await?;
        if !parts.headers.contains_key(header::AUTHORIZATION) {
            return match Staff::<R>::from_request_parts(parts, state).await {
                Ok(staff) => Ok(Self { actor: staff.user.actor(), role: staff.user.role, _requirement: PhantomData }),
                Err(AppError::SignInRequired { .. }) => Err(unauthorized(&context, "api-error-unauthorized")),
                Err(other) => Err(other.into()),
            };
        }
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |ConnectInfo(peer)| peer.ip().to_string());
        if let Decision::Limited { retry_after } =
            rate_limit::is_limited(&state.db, RATE_SCOPE, &address, FAILED_KEYS_PER_ADDRESS).await?
        {
            return Err(AppError::RateLimited { retry_after }.into());
        }
        let found = match bearer_token(&parts.headers) {
            Some(secret) => api_keys::authenticate(&state.db, &municipality, secret).await?,
            None => None,
        };
        let Some(key) = found else {
            tracing::info!("API key refused");
            if let Decision::Limited { retry_after } =
                rate_limit::hit(&state.db, RATE_SCOPE, &address, FAILED_KEYS_PER_ADDRESS).await?
            {
                return Err(AppError::RateLimited { retry_after }.into());
            }
            return Err(unauthorized(&context, "api-error-key-refused"));
        };
        if !key.role.includes(R::ROLE) {
            return Err(AppError::Forbidden.into());
        }
        Ok(Self { actor: key.actor(), role: key.role, _requirement: PhantomData })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bearer_headers_give_a_token() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer rk_abc"));
        assert_eq!(bearer_token(&headers), Some("rk_abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer  rk_abc "));
        assert_eq!(bearer_token(&headers), Some("rk_abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcjpwYXNz"));
        assert_eq!(bearer_token(&headers), None);
    }
}
