//! The municipality's settings, for its admins.

use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::municipality::{Settings, SettingsInput, parse_districts};
use crate::domain::validation::Invalid;
use crate::error::{AppError, AppResult};
use crate::services::compass;
use crate::services::municipalities::{self, ChangeError};
use crate::services::tenant::Municipality;
use crate::views::components::single_error;
use crate::views::staff::SettingsView;
use crate::web::auth::{Admin, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Which form on the page failed, for re-rendering.
enum Failed {
    None,
    General(SettingsInput, Invalid),
    Districts(String, Invalid),
    Margins(Invalid),
}

/// `?saved=…` after a successful change.
#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn input_of(municipality: &Municipality) -> SettingsInput {
    SettingsInput {
        name: municipality.name.clone(),
        default_language: municipality.default_language.code().into(),
        languages: municipality.languages.iter().map(|l| l.code().to_owned()).collect(),
        compass_framework: municipality.compass_framework.clone(),
        max_invitations_per_year: municipality.max_invitations_per_year.to_string(),
        min_days_between_invitations: municipality.min_days_between_invitations.to_string(),
        suppression_threshold: municipality.suppression_threshold.to_string(),
        consent_renewal_years: municipality.consent_renewal_years.to_string(),
    }
}

async fn page(
    state: &AppState,
    context: &RequestContext,
    admin: &Staff<Admin>,
    municipality: &Municipality,
    failed: Failed,
    saved: Option<&'static str>,
) -> AppResult<Response> {
    let districts = municipalities::districts(&state.db, municipality).await?;
    let margins = municipalities::margins(&state.db, municipality).await?;
    let hosts = municipalities::hosts(&state.db, municipality).await?;
    let frameworks = compass::selectable(&state.db, municipality).await?;
    let districts_text: String = districts.iter().map(|d| format!("{};{}\n", d.code, d.name)).collect();
    let status = if matches!(failed, Failed::None) { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (input, errors, districts_text, district_errors, margin_errors) = match &failed {
        Failed::None => (input_of(municipality), None, districts_text, None, None),
        Failed::General(input, errors) => (input.clone(), Some(errors), districts_text, None, None),
        Failed::Districts(text, errors) => (input_of(municipality), None, text.clone(), Some(errors), None),
        Failed::Margins(errors) => (input_of(municipality), None, districts_text, None, Some(errors)),
    };
    let view = SettingsView {
        input,
        errors,
        districts_text,
        district_errors,
        margin_errors,
        districts: &districts,
        margins: &margins,
        hosts: &hosts,
        frameworks: &frameworks,
        saved,
    };
    Ok((status, crate::views::staff::settings(state, context, &admin.user, &view)).into_response())
}

fn saved_message(key: Option<&str>) -> Option<&'static str> {
    match key {
        Some("general") => Some("settings-saved"),
        Some("districts") => Some("settings-districts-saved"),
        Some("margins") => Some("settings-margins-saved"),
        _ => None,
    }
}

fn after_change(
    result: Result<(), ChangeError>,
    state: &AppState,
    which: &str,
) -> Result<Result<Response, Invalid>, AppError> {
    match result {
        Ok(()) => {
            state.tenants.invalidate();
            Ok(Ok(Redirect::to(&format!("/staff/settings?saved={which}")).into_response()))
        }
        Err(ChangeError::Invalid(invalid)) => Ok(Err(invalid)),
        Err(ChangeError::Db(error)) => Err(error.into()),
    }
}

/// `GET /staff/settings`.
pub async fn show_settings(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> AppResult<Response> {
    page(&state, &context, &admin, &municipality, Failed::None, saved_message(query.saved.as_deref())).await
}

/// The general settings form as posted (checkboxes arrive as repeated keys).
fn settings_input(pairs: Vec<(String, String)>) -> SettingsInput {
    let mut input = SettingsInput::default();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => input.name = value,
            "default_language" => input.default_language = value,
            "languages" => input.languages.push(value),
            "compass_framework" => input.compass_framework = value,
            "max_invitations_per_year" => input.max_invitations_per_year = value,
            "min_days_between_invitations" => input.min_days_between_invitations = value,
            "suppression_threshold" => input.suppression_threshold = value,
            "consent_renewal_years" => input.consent_renewal_years = value,
            _ => {}
        }
    }
    input
}

/// `POST /staff/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = settings_input(pairs);
    let frameworks = compass::selectable_keys(&state.db, &municipality).await?;
    let result = match Settings::parse(&input, &frameworks) {
        Ok(settings) => {
            municipalities::update_settings(&state.db, &municipality, &settings, admin.user.actor()).await.map(|_| ())
        }
        Err(invalid) => Err(ChangeError::Invalid(invalid)),
    };
    match after_change(result, &state, "general")? {
        Ok(response) => Ok(response),
        Err(invalid) => page(&state, &context, &admin, &municipality, Failed::General(input, invalid), None).await,
    }
}

/// The districts form.
#[derive(Deserialize)]
pub struct DistrictsInput {
    districts: String,
}

/// `POST /staff/settings/districts`.
pub async fn save_districts(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    Form(input): Form<DistrictsInput>,
) -> AppResult<Response> {
    let result = match parse_districts(&input.districts) {
        Ok(list) => municipalities::set_districts(&state.db, &municipality, &list, admin.user.actor()).await,
        Err(invalid) => Err(ChangeError::Invalid(invalid)),
    };
    match after_change(result, &state, "districts")? {
        Ok(response) => Ok(response),
        Err(invalid) => {
            page(&state, &context, &admin, &municipality, Failed::Districts(input.districts, invalid), None).await
        }
    }
}

/// `POST /staff/settings/margins`: a CSV upload replacing all margins.
pub async fn upload_margins(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
    multipart: Multipart,
) -> AppResult<Response> {
    let upload = crate::web::upload::Upload::read(multipart).await?;
    let result = match upload.file("margins") {
        Some(bytes) => {
            municipalities::import_margins_csv(&state.db, &municipality, bytes, admin.user.actor()).await.map(|_| ())
        }
        None => Err(ChangeError::Invalid(single_error("margins", "margins-error-no-file"))),
    };
    match after_change(result, &state, "margins")? {
        Ok(response) => Ok(response),
        Err(invalid) => page(&state, &context, &admin, &municipality, Failed::Margins(invalid), None).await,
    }
}
