//! Per-request context: which municipality, which language, the CSRF token.
//!
//! One middleware resolves these before any handler runs, checks the CSRF
//! token of every state-changing request, and afterwards turns error
//! responses into pages in the reader's language.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::municipality::normalise_host;
use crate::domain::{Language, SecretToken};
use crate::error::{AppError, ErrorPage};
use crate::services::tenant::Municipality;
use crate::views;
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

/// Largest form body read for the CSRF check (uploads use the query string).
const FORM_LIMIT: usize = 1024 * 1024;

/// What every handler and page may need to know about the request.
#[derive(Clone)]
pub struct RequestContext {
    /// The municipality of the host name, if any.
    pub municipality: Option<Arc<Municipality>>,
    /// The reader's language.
    pub language: Language,
    /// Token to put into forms.
    pub csrf_token: String,
    /// The path of the request (for the language switcher and sign-in return).
    pub path: String,
    /// Whether the request came under `/api/`.
    pub is_api: bool,
    /// The request id (also in the log), shown on error pages.
    pub request_id: String,
    /// Whether the reader chose the language (link or cookie) rather than it
    /// being guessed from the browser or the municipality's default.
    pub language_chosen: bool,
}

impl RequestContext {
    /// Languages to offer in the switcher.
    pub fn languages(&self) -> Vec<Language> {
        match &self.municipality {
            Some(m) => m.languages.clone(),
            None => Language::ALL.to_vec(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

/// The municipality of the request; a 404 page when the host has none.
pub struct Tenant(pub Arc<Municipality>);

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        RequestContext::from_request_parts(parts, state)
            .await?
            .municipality
            .map(Tenant)
            .ok_or(AppError::UnknownMunicipality)
    }
}

type HmacSha256 = Hmac<Sha256>;

fn csrf_token(key: &[u8], cookie: &str) -> String {
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(cookie.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

fn csrf_matches(key: &[u8], cookie: &str, presented: &str) -> bool {
    let Ok(bytes) = hex::decode(presented.trim()) else { return false };
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(cookie.as_bytes());
            mac.verify_slice(&bytes).is_ok()
        }
        Err(_) => false,
    }
}

fn choose_language(
    headers: &HeaderMap,
    query: Option<&str>,
    offered: &[Language],
    default: Language,
) -> (Language, bool, bool) {
    let from_query = query
        .into_iter()
        .flat_map(|q| url::form_urlencoded::parse(q.as_bytes()))
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| v.parse::<Language>().ok())
        .filter(|l| offered.contains(l));
    if let Some(language) = from_query {
        return (language, true, true);
    }
    let from_cookie = cookies::get(headers, cookies::LANGUAGE)
        .and_then(|v| v.parse::<Language>().ok())
        .filter(|l| offered.contains(l));
    let from_header = || {
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(|v| Language::negotiate(v, offered))
    };
    let explicit = from_cookie.is_some();
    (from_cookie.or_else(from_header).unwrap_or(default), false, explicit)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Pull the `csrf` value out of a query string or urlencoded body.
fn csrf_field(data: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(data).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned())
}

/// The middleware; see the module documentation.
pub async fn context_layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(normalise_host).unwrap_or_default();
    let municipality = match state.tenants.resolve(&state.db, &host).await {
        Ok(found) => found,
        Err(error) => return AppError::from(error).into_response(),
    };
    let offered = municipality.as_ref().map_or_else(|| Language::ALL.to_vec(), |m| m.languages.clone());
    let default = municipality.as_ref().map_or(Language::Nb, |m| m.default_language);
    let (language, chosen_now, language_chosen) = choose_language(&parts.headers, parts.uri.query(), &offered, default);

    let existing_cookie = cookies::get(&parts.headers, cookies::CSRF)
        .filter(|v| v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_owned);
    let new_cookie = existing_cookie.is_none().then(|| SecretToken::generate().reveal());
    let csrf_cookie = existing_cookie.clone().or(new_cookie.clone()).unwrap_or_default();
    let key = state.config.session_key_bytes();
    let path = parts.uri.path().to_owned();
    let is_api = path.starts_with("/api/");

    let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let context = RequestContext {
        municipality,
        language,
        csrf_token: csrf_token(key, &csrf_cookie),
        path,
        is_api,
        request_id,
        language_chosen,
    };

    // State-changing requests must prove they come from our own form.
    let mut body = body;
    if !is_safe(&parts.method) {
        // An API key carries no cookie, so it cannot be forged by another
        // site; the API's authentication then ignores any cookie sent along.
        let bearer = is_api
            && crate::web::api::auth::bearer_token(&parts.headers)
                .is_some_and(|token| token.starts_with(crate::domain::token::API_KEY_PREFIX));
        // One-click unsubscribe (RFC 8058) is posted by mail clients without our
        // cookie; the unguessable token in the path is its authorisation.
        let one_click = context.path.starts_with("/u/");
        if !bearer && !one_click {
            let from_header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let from_query = parts.uri.query().and_then(|q| csrf_field(q.as_bytes()));
            let is_form = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            let mut presented = from_header.or(from_query);
            if presented.is_none() && is_form {
                let bytes = match to_bytes(body, FORM_LIMIT).await {
                    Ok(bytes) => bytes,
                    Err(_) => {
                        let response = (StatusCode::PAYLOAD_TOO_LARGE, "payload too large").into_response();
                        return finish(&state, &context, response, None, false);
                    }
                };
                presented = csrf_field(&bytes);
                body = Body::from(bytes);
            }
            let valid = existing_cookie
                .as_deref()
                .zip(presented.as_deref())
                .is_some_and(|(cookie, token)| csrf_matches(key, cookie, token));
            if !valid {
                return finish(&state, &context, AppError::Csrf.into_response(), new_cookie, chosen_now);
            }
        }
    }

    parts.extensions.insert(context.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    finish(&state, &context, response, new_cookie, chosen_now)
}

/// Add cookies and turn error markers into pages.
fn finish(
    state: &AppState,
    context: &RequestContext,
    mut response: Response,
    new_csrf_cookie: Option<String>,
    language_chosen: bool,
) -> Response {
    let status = response.status();
    let marker = response.extensions().get::<ErrorPage>().copied().or_else(|| {
        // Rejections from axum's extractors and layers come as plain text.
        let plain = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.starts_with("text/plain"));
        (status.is_client_error() && plain).then_some(match status {
            StatusCode::NOT_FOUND => ErrorPage::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorPage::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorPage::BadRequest("error-too-large"),
            _ => ErrorPage::BadRequest("error-bad-request-body"),
        })
    });
    if let Some(page) = marker {
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        response = if context.is_api {
            let (title, _) = page.message_keys();
            let body = serde_json::json!({
                "error": page.code(),
                "message": crate::i18n::t(context.language, title),
            });
            (status, axum::Json(body)).into_response()
        } else {
            (status, views::errors::error_page(state, context, page)).into_response()
        };
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    let secure = state.config.secure_cookies();
    if let Some(value) = new_csrf_cookie.and_then(|v| cookies::build(cookies::CSRF, &v, Lifetime::Session, secure)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    if language_chosen {
        let one_year = Lifetime::Seconds(365 * 24 * 3600);
        if let Some(value) = cookies::build(cookies::LANGUAGE, context.language.code(), one_year, secure) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_verify_only_for_their_cookie() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = csrf_token(key, "cookie-a");
        assert!(csrf_matches(key, "cookie-a", &token));
        assert!(!csrf_matches(key, "cookie-b", &token));
        assert!(!csrf_matches(key, "cookie-a", "not hex"));
        assert!(!csrf_matches(b"another key, also 32 bytes long!", "cookie-a", &token));
    }

    #[test]
    fn query_language_wins_when_offered() {
        let headers = HeaderMap::new();
        let offered = [Language::Nb, Language::En];
        assert_eq!(choose_language(&headers, Some("lang=en"), &offered, Language::Nb), (Language::En, true, true));
        assert_eq!(choose_language(&headers, Some("lang=sv"), &offered, Language::Nb), (Language::Nb, false, false));
    }
}
