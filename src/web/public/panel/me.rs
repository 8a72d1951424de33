//! "My page": a signed-in member sees and edits their profile, pauses,
//! downloads their data and leaves.

use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::profile::{ProfileInput, ProfileRules, parse_pause_until, parse_profile};
use crate::domain::validation::Invalid;
use crate::entities::member;
use crate::error::AppResult;
use crate::i18n::t;
use crate::services::tenant::Municipality;
use crate::services::{municipalities, panel};
use crate::views::panel::{self as views, MyPageView, profile_input};
use crate::web::context::{RequestContext, Tenant};
use crate::web::cookies::{self, Lifetime};
use crate::web::state::AppState;

use super::MEMBER_COOKIE;

/// A member signed in at this municipality; others are sent to the sign-in page.
pub struct SignedInMember {
    /// The member.
    pub member: member::Model,
    /// The session token from the cookie.
    pub session: String,
}

impl FromRequestParts<AppState> for SignedInMember {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Tenant(municipality) =
            Tenant::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let to_sign_in = || Redirect::to("/panel/sign-in").into_response();
        let session = cookies::get(&parts.headers, MEMBER_COOKIE).map(str::to_owned).ok_or_else(to_sign_in)?;
        let member = panel::session_member(&state.db, &municipality, &session)
            .await
            .map_err(|e| crate::error::AppError::from(e).into_response())?
            .ok_or_else(to_sign_in)?;
        Ok(Self { member, session })
    }
}

/// Which form on "my page" failed.
enum Failed {
    None,
    Profile(ProfileInput, Invalid),
    Pause(String, Invalid),
}

async fn page(
    state: &AppState,
    context: &RequestContext,
    municipality: &Municipality,
    member: &member::Model,
    failed: Failed,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let districts = municipalities::districts(&state.db, municipality).await?;
    let invitations = panel::invitations_of(&state.db, municipality, member.id, context.language).await?;
    let status = if matches!(failed, Failed::None) { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (input, errors, pause_input, pause_errors) = match &failed {
        Failed::None => (profile_input(member), None, "", None),
        Failed::Profile(input, errors) => (input.clone(), Some(errors), "", None),
        Failed::Pause(text, errors) => (profile_input(member), None, text.as_str(), Some(errors)),
    };
    let consent_due =
        member.status == "deactivated" || panel::consent_due(member, municipality, crate::services::now());
    let view = MyPageView {
        member,
        municipality: &municipality.name,
        districts: &districts,
        languages: &municipality.languages,
        input,
        errors,
        pause_input,
        pause_errors,
        invitations: &invitations,
        consent_due,
        notice,
    };
    let mut response = (status, views::my_page(state, context, &view)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `?saved=…` after a change.
#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn notice(key: Option<&str>) -> Option<&'static str> {
    match key {
        Some("profile") => Some("panel-saved-profile"),
        Some("pause") => Some("panel-saved-pause"),
        Some("resume") => Some("panel-saved-resume"),
        Some("consent") => Some("panel-saved-consent"),
        _ => None,
    }
}

/// `GET /panel/me`.
pub async fn show_me(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    page(&state, &context, &municipality, &signed_in.member, Failed::None, notice(query.saved.as_deref())).await
}

/// `POST /panel/me/profile`.
pub async fn save_profile(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
    Form(input): Form<ProfileInput>,
) -> AppResult<Response> {
    let codes = panel::profile_rules_data(&state.db, &municipality).await?;
    let rules =
        ProfileRules { districts: &codes, languages: &municipality.languages, current_year: panel::current_year() };
    match parse_profile(&input, &rules) {
        Ok(profile) => {
            panel::update_profile(&state.db, &municipality, signed_in.member.id, &profile).await?;
            Ok(Redirect::to(&format!("/panel/me?saved=profile&lang={}", profile.language)).into_response())
        }
        Err(invalid) => {
            page(&state, &context, &municipality, &signed_in.member, Failed::Profile(input, invalid), None).await
        }
    }
}

/// The pause form.
#[derive(Deserialize)]
pub struct PauseInput {
    #[serde(default)]
    until: String,
}

/// `POST /panel/me/pause`.
pub async fn pause(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
    Form(input): Form<PauseInput>,
) -> AppResult<Response> {
    match parse_pause_until(&input.until, crate::services::surveys::today()) {
        Ok(until) => {
            panel::set_pause(&state.db, &municipality, signed_in.member.id, Some(until)).await?;
            Ok(Redirect::to("/panel/me?saved=pause").into_response())
        }
        Err(invalid) => {
            page(&state, &context, &municipality, &signed_in.member, Failed::Pause(input.until, invalid), None).await
        }
    }
}

/// `POST /panel/me/resume`.
pub async fn resume(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
) -> AppResult<Response> {
    panel::set_pause(&state.db, &municipality, signed_in.member.id, None).await?;
    Ok(Redirect::to("/panel/me?saved=resume").into_response())
}

/// The consent form.
#[derive(Deserialize)]
pub struct ConsentInput {
    consent: Option<String>,
}

/// `POST /panel/me/consent`: renew consent while signed in.
pub async fn renew_consent(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
    Form(input): Form<ConsentInput>,
) -> AppResult<Response> {
    if input.consent.as_deref() != Some("yes") {
        let errors = crate::views::components::single_error("consent", "panel-error-consent");
        let failed = Failed::Profile(profile_input(&signed_in.member), errors);
        return page(&state, &context, &municipality, &signed_in.member, failed, None).await;
    }
    panel::record_consent(&state.db, &municipality, signed_in.member.id).await?;
    Ok(Redirect::to("/panel/me?saved=consent").into_response())
}

/// `GET /panel/me/data.json`: everything held about the member.
pub async fn download(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
) -> AppResult<Response> {
    let data = panel::export(&state.db, &municipality, &signed_in.member).await?;
    let mut response = axum::Json(data).into_response();
    let headers = response.headers_mut();
    headers
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"my-panel-data.json\""));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /panel/me/leave`: the confirmation step.
pub async fn show_leave(State(state): State<AppState>, context: RequestContext, _member: SignedInMember) -> Response {
    views::leave(&state, &context).into_response()
}

/// The page after leaving, with the member cookie removed.
pub(super) fn left_page(state: &AppState, context: &RequestContext) -> Response {
    let body = t(context.language, "panel-left-body");
    let mut response = views::message(state, context, "panel-left-title", body, None).into_response();
    if let Some(cookie) = cookies::build(MEMBER_COOKIE, "", Lifetime::Expired, state.config.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `POST /panel/me/leave`: the member row is deleted at once.
pub async fn leave(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
) -> AppResult<Response> {
    panel::leave(&state.db, &municipality, &state.config.base_url, signed_in.member.id).await?;
    Ok(left_page(&state, &context))
}

/// `POST /panel/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
    signed_in: SignedInMember,
) -> AppResult<Response> {
    panel::end_session(&state.db, &municipality, &signed_in.session).await?;
    let mut response = Redirect::to("/").into_response();
    if let Some(cookie) = cookies::build(MEMBER_COOKIE, "", Lifetime::Expired, state.config.secure_cookies()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
