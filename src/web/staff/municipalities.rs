//! The host operator's municipality list.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::municipality::Settings;
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{Language, Slug};
use crate::error::AppResult;
use crate::services::municipalities::{self, ChangeError};
use crate::views::staff::NewMunicipalityInput;
use crate::web::auth::{Operator, Staff};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

async fn page(
    state: &AppState,
    context: &RequestContext,
    operator: &Staff<Operator>,
    input: &NewMunicipalityInput,
    errors: Option<&Invalid>,
) -> AppResult<Response> {
    let list = municipalities::list_with_hosts(&state.db).await?;
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, crate::views::staff::municipalities(state, context, &operator.user, &list, input, errors))
        .into_response())
}

/// `GET /staff/municipalities`.
pub async fn list_municipalities(
    State(state): State<AppState>,
    context: RequestContext,
    operator: Staff<Operator>,
) -> AppResult<Response> {
    let input = NewMunicipalityInput { default_language: "nb".into(), ..Default::default() };
    page(&state, &context, &operator, &input, None).await
}

/// Check the add form, collecting every problem.
fn parse_new(input: &NewMunicipalityInput) -> Result<(Slug, Settings, Vec<String>), Invalid> {
    let mut errors = Vec::new();
    let slug = Slug::parse(input.slug.trim())
        .map_err(|_| errors.push(FieldError::new("slug", "municipality-error-slug")))
        .ok();
    let language = input.default_language.parse::<Language>().unwrap_or(Language::Nb);
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "settings-error-name"));
    }
    let hosts = municipalities::parse_hosts(&input.hosts).map_err(|e| errors.extend(e.0)).unwrap_or_default();
    if hosts.is_empty() && errors.iter().all(|e| e.field != "hosts") {
        errors.push(FieldError::new("hosts", "municipality-error-hosts-empty"));
    }
    Invalid::check(errors)?;
    match slug {
        Some(slug) => Ok((slug, Settings::defaults(name, language), hosts)),
        None => Err(Invalid::default()),
    }
}

/// `POST /staff/municipalities`.
pub async fn add_municipality(
    State(state): State<AppState>,
    context: RequestContext,
    operator: Staff<Operator>,
    Form(input): Form<NewMunicipalityInput>,
) -> AppResult<Response> {
    let result = match parse_new(&input) {
        Ok((slug, settings, hosts)) => {
            municipalities::add(&state.db, &slug, &settings, &hosts, operator.user.actor()).await.map(|_| ())
        }
        Err(invalid) => Err(ChangeError::Invalid(invalid)),
    };
    match result {
        Ok(()) => {
            state.tenants.invalidate();
            Ok(Redirect::to("/staff/municipalities").into_response())
        }
        Err(ChangeError::Invalid(invalid)) => page(&state, &context, &operator, &input, Some(&invalid)).await,
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}
