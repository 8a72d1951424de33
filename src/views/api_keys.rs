//! The admins' page of staff API keys: the list, the new-key form, the
//! secret shown once, and the revoke confirmation.

use maud::{Markup, html};

use crate::domain::Role;
use crate::domain::validation::Invalid;
use crate::i18n::t;
use crate::services::api_keys::{CreatedKey, KeyListing, NewKeyInput};
use crate::services::staff::StaffUser;
use crate::views::components::{TextField, alert, csrf_field, data_table, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// What the page shows.
pub struct KeysView<'a> {
    /// Every key of the municipality.
    pub keys: &'a [KeyListing],
    /// The form as typed.
    pub input: &'a NewKeyInput,
    /// Problems with the form.
    pub errors: Option<&'a Invalid>,
    /// A key just made: its secret is shown this once.
    pub created: Option<&'a CreatedKey>,
    /// Whether a key was just revoked.
    pub revoked: bool,
}

/// The day of a timestamp, `YYYY-MM-DD` (UTC).
fn day(epoch: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp(epoch).ok().and_then(|t| t.format(&format).ok()).unwrap_or_default()
}

fn role_label(context: &RequestContext, role: &str) -> String {
    t(context.language, &format!("role-{role}"))
}

fn secret_box(context: &RequestContext, created: &CreatedKey) -> Markup {
    let language = context.language;
    alert(
        "warning",
        html! {
            h2 class="ds-heading" data-size="xs" { (t(language, "api-keys-created-heading")) }
            p class="ds-paragraph" { (t(language, "api-keys-created-warning")) }
            div class="ds-field" {
                label class="ds-label" for="api-key-secret" { (created.key.name) }
                input class="ds-input" id="api-key-secret" type="text" readonly value=(created.secret)
                    autocomplete="off" spellcheck="false";
            }
        },
    )
}

fn new_key_form(context: &RequestContext, user: &StaffUser, view: &KeysView<'_>) -> Markup {
    let language = context.language;
    let role_error = view.errors.and_then(|e| e.for_field("role"));
    html! {
        h2 class="ds-heading" data-size="sm" { (t(language, "api-keys-new-heading")) }
        (error_summary(language, view.errors))
        form method="post" action="/staff/api-keys" novalidate {
            (csrf_field(context))
            (TextField { name: "name", label: t(language, "api-keys-name"), value: &view.input.name, input_type: "text",
                autocomplete: "off", hint: Some(t(language, "api-keys-name-hint")), required: true }.render(language, view.errors))
            div class="ds-field" {
                label class="ds-label" for=(field_id("role")) { (t(language, "api-keys-role")) }
                @if let Some(error) = role_error {
                    p class="ds-validation-message" data-color="danger" id="field-role-error" { (crate::i18n::field_error(language, error)) }
                }
                select class="ds-input" name="role" id=(field_id("role")) aria-invalid=[role_error.map(|_| "true")]
                    aria-describedby=[role_error.map(|_| "field-role-error")] {
                    @for role in Role::MUNICIPAL.into_iter().filter(|r| user.role.includes(*r)) {
                        option value=(role.as_str()) selected[view.input.role == role.as_str()] { (role_label(context, role.as_str())) }
                    }
                }
            }
            (TextField { name: "expires_on", label: t(language, "api-keys-expires"), value: &view.input.expires_on, input_type: "date",
                autocomplete: "off", hint: Some(t(language, "api-keys-expires-hint")), required: false }.render(language, view.errors))
            button class="ds-button" type="submit" { (t(language, "api-keys-create")) }
        }
    }
}

fn key_table(context: &RequestContext, keys: &[KeyListing]) -> Markup {
    let language = context.language;
    let never = t(language, "api-keys-never");
    html! {
        (data_table("api-keys-caption", None, html! { (t(language, "api-keys-caption")) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "api-keys-name")) }
                    th scope="col" { (t(language, "api-keys-role")) }
                    th scope="col" { (t(language, "api-keys-created-by")) }
                    th scope="col" { (t(language, "api-keys-created-on")) }
                    th scope="col" { (t(language, "api-keys-last-used")) }
                    th scope="col" { (t(language, "api-keys-expires")) }
                    th scope="col" { (t(language, "api-keys-status")) }
                } }
                tbody {
                    @for listing in keys {
                        @let key = &listing.key;
                        tr {
                            th scope="row" { (key.name) }
                            td { (role_label(context, &key.role)) }
                            td { (listing.created_by.clone().unwrap_or_else(|| "–".into())) }
                            td { (day(key.created_at)) }
                            td { (key.last_used_on.clone().unwrap_or_else(|| never.clone())) }
                            td { (key.expires_on.clone().unwrap_or_else(|| t(language, "api-keys-no-expiry"))) }
                            td {
                                @if let Some(at) = key.revoked_at {
                                    (t(language, "api-keys-revoked-on")) " " (day(at))
                                } @else {
                                    form method="post" action={ "/staff/api-keys/" (key.id) "/revoke" } {
                                        (csrf_field(context))
                                        button class="ds-button" data-variant="secondary" data-color="danger" data-size="sm" type="submit"
                                            aria-label={ (t(language, "api-keys-revoke")) " " (key.name) } {
                                            (t(language, "api-keys-revoke"))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
        }))
    }
}

/// `/staff/api-keys`.
pub fn page(state: &AppState, context: &RequestContext, user: &StaffUser, view: &KeysView<'_>) -> Markup {
    let language = context.language;
    let title = t(language, "api-keys-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "api-keys-intro")) " " a class="ds-link" href="/api/v1/openapi.json" { "openapi.json" } }
        @if let Some(created) = view.created { (secret_box(context, created)) }
        @if view.revoked { (alert("success", html! { p class="ds-paragraph" { (t(language, "api-keys-revoked-notice")) } })) }
        @if view.keys.is_empty() {
            p class="ds-paragraph" { (t(language, "api-keys-none")) }
        } @else {
            (key_table(context, view.keys))
        }
        (new_key_form(context, user, view))
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// The confirmation step before a key is revoked.
pub fn confirm_revoke(state: &AppState, context: &RequestContext, user: &StaffUser, key: &KeyListing) -> Markup {
    let language = context.language;
    let title = t(language, "api-keys-confirm-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (crate::i18n::t_with(language, "api-keys-confirm-body", &[("name", key.key.name.clone())])) }
        form method="post" action={ "/staff/api-keys/" (key.key.id) "/revoke" } {
            (csrf_field(context))
            input type="hidden" name="confirm" value="yes";
            button class="ds-button" data-color="danger" type="submit" { (t(language, "api-keys-revoke")) }
            " "
            a class="ds-link" href="/staff/api-keys" { (t(language, "api-keys-cancel")) }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}
