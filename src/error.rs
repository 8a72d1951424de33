//! The one error type of the web layer.
//!
//! Handlers return `Result<_, AppError>`. The response carries an
//! [`ErrorPage`] marker; the context middleware turns it into a page in the
//! reader's language (or JSON under `/api/`). Internal errors are logged with
//! the request id and shown to the user only as that id.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::DbErr;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or object (or one the reader may not know exists).
    #[error("not found")]
    NotFound,
    /// The host name belongs to no municipality.
    #[error("unknown municipality")]
    UnknownMunicipality,
    /// Signed in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A staff page was requested without a valid session.
    #[error("sign-in required")]
    SignInRequired {
        /// Where to return after signing in.
        next: String,
    },
    /// The form's CSRF token was missing or wrong.
    #[error("invalid CSRF token")]
    Csrf,
    /// Too many attempts.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until a new attempt is allowed.
        retry_after: u64,
    },
    /// The request could not be understood; the key names a message.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Something went wrong on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        AppError::Internal(error.into())
    }
}

/// What kind of error page to render; attached to error responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    /// 404.
    NotFound,
    /// 404 for an unknown host.
    UnknownMunicipality,
    /// 403.
    Forbidden,
    /// 403 for a failed CSRF check.
    Csrf,
    /// 429.
    RateLimited,
    /// 400/413/415/422 with a message id.
    BadRequest(&'static str),
    /// 500.
    Internal,
}

impl ErrorPage {
    /// Fluent ids of the page's title and explanation.
    pub fn message_keys(self) -> (&'static str, &'static str) {
        match self {
            ErrorPage::NotFound => ("error-not-found-title", "error-not-found-body"),
            ErrorPage::UnknownMunicipality => ("error-unknown-municipality-title", "error-unknown-municipality-body"),
            ErrorPage::Forbidden => ("error-forbidden-title", "error-forbidden-body"),
            ErrorPage::Csrf => ("error-csrf-title", "error-csrf-body"),
            ErrorPage::RateLimited => ("error-rate-limited-title", "error-rate-limited-body"),
            ErrorPage::BadRequest(key) => ("error-bad-request-title", key),
            ErrorPage::Internal => ("error-internal-title", "error-internal-body"),
        }
    }

    /// A stable machine-readable code for JSON errors.
    pub fn code(self) -> &'static str {
        match self {
            ErrorPage::NotFound | ErrorPage::UnknownMunicipality => "not_found",
            ErrorPage::Forbidden => "forbidden",
            ErrorPage::Csrf => "csrf",
            ErrorPage::RateLimited => "rate_limited",
            ErrorPage::BadRequest(_) => "bad_request",
            ErrorPage::Internal => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, ErrorPage::NotFound),
            AppError::UnknownMunicipality => (StatusCode::NOT_FOUND, ErrorPage::UnknownMunicipality),
            AppError::Forbidden => (StatusCode::FORBIDDEN, ErrorPage::Forbidden),
            AppError::SignInRequired { next } => {
                let target = format!(
                    "/staff/sign-in?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return Redirect::to(&target).into_response();
            }
            AppError::Csrf => (StatusCode::FORBIDDEN, ErrorPage::Csrf),
            AppError::RateLimited { retry_after } => {
                let mut response = (StatusCode::TOO_MANY_REQUESTS, "too many requests").into_response();
                if let Ok(value) = retry_after.to_string().parse() {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response.extensions_mut().insert(ErrorPage::RateLimited);
                return response;
            }
            AppError::BadRequest(key) => (StatusCode::BAD_REQUEST, ErrorPage::BadRequest(key)),
            AppError::Internal(error) => {
                tracing::error!(error = %error, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorPage::Internal)
            }
        };
        let mut response = (status, page.code()).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Shorthand for handler results.
pub type AppResult<T> = Result<T, AppError>;
