//! Staff pages: sign-in, dashboard, municipality settings, audit log, and the
//! host operator's list of municipalities.

use maud::{Markup, html};

use crate::domain::compass::Framework;
use crate::domain::municipality::SettingsInput;
use crate::domain::validation::Invalid;
use crate::domain::{Language, Role};
use crate::entities::{audit_event, population_margin};
use crate::i18n::{t, t_with};
use crate::services::municipalities::District;
use crate::services::staff::StaffUser;
use crate::services::tenant::Municipality;
use crate::views::components::{
    TextField, alert, csrf_field, data_table, error_summary, error_summary_items, field_id,
};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

fn staff_page(
    state: &AppState,
    context: &RequestContext,
    staff: Option<&StaffUser>,
    title: String,
    content: Markup,
) -> Markup {
    render(state, &Page { context, title, area: Area::Staff, staff }, content)
}

/// What the sign-in form shows.
pub struct SignInForm<'a> {
    /// The email typed so far.
    pub email: &'a str,
    /// Where to go afterwards.
    pub next: &'a str,
    /// A problem to show above the form (message id and values).
    pub problem: Option<(&'static str, Vec<(&'static str, String)>)>,
}

/// The staff sign-in page.
pub fn sign_in(state: &AppState, context: &RequestContext, form: &SignInForm<'_>) -> Markup {
    let language = context.language;
    let title = t(language, "sign-in-title");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            @if let Some((key, args)) = &form.problem {
                (alert("danger", html! { p class="ds-paragraph" id="sign-in-problem" { (t_with(language, key, args)) } }))
            }
            form method="post" action="/staff/sign-in" class="stack" {
                (csrf_field(context))
                input type="hidden" name="next" value=(form.next);
                (TextField { name: "email", label: t(language, "field-email"), value: form.email, input_type: "email",
                    autocomplete: "username", hint: None, required: true }.render(language, None))
                (TextField { name: "password", label: t(language, "field-password"), value: "", input_type: "password",
                    autocomplete: "current-password", hint: None, required: true }.render(language, None))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "sign-in-button")) }
            }
        }
    };
    staff_page(state, context, None, title, content)
}

/// Figures shown on the dashboard.
pub struct DashboardFigures {
    /// Number of districts.
    pub districts: usize,
    /// Total population in the margins.
    pub population: i64,
    /// Number of staff accounts.
    pub staff: usize,
}

/// The staff start page.
pub fn dashboard(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    municipality: &Municipality,
    figures: &DashboardFigures,
) -> Markup {
    let language = context.language;
    let title = t(language, "dashboard-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" {
            (t_with(language, "dashboard-welcome", &[("name", user.display_name.clone()), ("role", t(language, &format!("role-{}", user.role)))]))
        }
        dl class="figures" {
            div { dt { (t(language, "dashboard-districts")) } dd { (figures.districts) } }
            div { dt { (t(language, "dashboard-population")) } dd { (figures.population) } }
            div { dt { (t(language, "dashboard-staff")) } dd { (figures.staff) } }
            div { dt { (t(language, "dashboard-languages")) } dd {
                (municipality.languages.iter().map(|l| l.native_name()).collect::<Vec<_>>().join(", "))
            } }
        }
        @if user.role == Role::Admin && (figures.districts == 0 || figures.population == 0) {
            (alert("info", html! {
                p class="ds-paragraph" {
                    (t(language, "dashboard-setup-needed")) " "
                    a class="ds-link" href="/staff/settings" { (t(language, "nav-settings")) }
                }
            }))
        }
    };
    staff_page(state, context, Some(user), title, content)
}

/// Everything the settings page shows.
pub struct SettingsView<'a> {
    /// Values in the general form.
    pub input: SettingsInput,
    /// Problems with the general form.
    pub errors: Option<&'a Invalid>,
    /// Districts as `code;name` lines.
    pub districts_text: String,
    /// Problems with the districts.
    pub district_errors: Option<&'a Invalid>,
    /// Problems with the uploaded margins.
    pub margin_errors: Option<&'a Invalid>,
    /// Current districts.
    pub districts: &'a [District],
    /// Current margins.
    pub margins: &'a [population_margin::Model],
    /// Host names (managed by operators).
    pub hosts: &'a [String],
    /// Compass frameworks to choose from: shipped, then imported.
    pub frameworks: &'a [Framework],
    /// A success message id.
    pub saved: Option<&'static str>,
}

fn number_field(language: Language, name: &str, label_key: &str, value: &str, errors: Option<&Invalid>) -> Markup {
    TextField {
        name,
        label: t(language, label_key),
        value,
        input_type: "number",
        autocomplete: "off",
        hint: Some(t(language, &format!("{label_key}-hint"))),
        required: true,
    }
    .render(language, errors)
}

/// The admin's municipality settings page.
pub fn settings(state: &AppState, context: &RequestContext, user: &StaffUser, view: &SettingsView<'_>) -> Markup {
    let language = context.language;
    let title = t(language, "settings-title");
    let input = &view.input;
    // Every problem, in page order, with the id of the control to fix it.
    let general: Vec<(String, String)> = view
        .errors
        .iter()
        .flat_map(|e| &e.0)
        .map(|error| {
            let id = if error.field == "languages" {
                language_checkbox_id(Language::ALL[0])
            } else {
                field_id(&error.field)
            };
            (id, crate::i18n::field_error(language, error))
        })
        .collect();
    let district_messages: Vec<String> =
        view.district_errors.iter().flat_map(|e| &e.0).map(|error| crate::i18n::field_error(language, error)).collect();
    let margin_messages: Vec<String> =
        view.margin_errors.iter().flat_map(|e| &e.0).map(|error| margin_error(language, error)).collect();
    let summary: Vec<(String, String)> = general
        .into_iter()
        .chain(district_messages.iter().map(|m| (field_id("districts"), m.clone())))
        .chain(margin_messages.iter().map(|m| (field_id("margins"), m.clone())))
        .collect();
    let languages_error = view.errors.and_then(|e| e.for_field("languages"));
    let default_language_error = view.errors.and_then(|e| e.for_field("default_language"));
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        @if let Some(key) = view.saved {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, key)) } }))
        }
        (error_summary_items(language, &summary))
        section aria-labelledby="general-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="general-heading" { (t(language, "settings-general-heading")) }
            form method="post" action="/staff/settings" class="stack" {
                (csrf_field(context))
                (TextField { name: "name", label: t(language, "settings-name"), value: &input.name, input_type: "text",
                    autocomplete: "organization", hint: None, required: true }.render(language, view.errors))
                fieldset class="ds-fieldset"
                    aria-describedby=[languages_error.map(|_| "languages-error")] {
                    legend class="ds-label" { (t(language, "settings-languages")) }
                    @if let Some(error) = languages_error {
                        p class="ds-validation-message" data-color="danger" id="languages-error" { (crate::i18n::field_error(language, error)) }
                    }
                    @for option in Language::ALL {
                        div class="ds-field" {
                            input class="ds-input" type="checkbox" name="languages" value=(option.code())
                                id=(language_checkbox_id(option)) checked[input.languages.iter().any(|l| l == option.code())]
                                aria-invalid=[languages_error.map(|_| "true")];
                            label class="ds-label" for=(language_checkbox_id(option)) lang=(option.code()) { (option.native_name()) }
                        }
                    }
                }
                div class="ds-field" {
                    label class="ds-label" for=(field_id("default_language")) { (t(language, "settings-default-language")) }
                    @if let Some(error) = default_language_error {
                        p class="ds-validation-message" data-color="danger" id="default-language-error" { (crate::i18n::field_error(language, error)) }
                    }
                    select class="ds-input" name="default_language" id=(field_id("default_language"))
                        aria-invalid=[default_language_error.map(|_| "true")]
                        aria-describedby=[default_language_error.map(|_| "default-language-error")] {
                        @for option in Language::ALL {
                            option value=(option.code()) selected[input.default_language == option.code()] { (option.native_name()) }
                        }
                    }
                }
                div class="ds-field" {
                    label class="ds-label" for=(field_id("compass_framework")) { (t(language, "settings-framework")) }
                    select class="ds-input" name="compass_framework" id=(field_id("compass_framework")) {
                        @for option in view.frameworks {
                            option value=(option.key) selected[input.compass_framework == option.key] {
                                (option.name_in(language))
                                @if !option.is_shipped() { " (" (option.key) ", " (option.version) ")" }
                            }
                        }
                    }
                }
                (number_field(language, "max_invitations_per_year", "settings-max-invitations", &input.max_invitations_per_year, view.errors))
                (number_field(language, "min_days_between_invitations", "settings-min-days", &input.min_days_between_invitations, view.errors))
                (number_field(language, "suppression_threshold", "settings-suppression", &input.suppression_threshold, view.errors))
                (number_field(language, "consent_renewal_years", "settings-consent-years", &input.consent_renewal_years, view.errors))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "save")) }
            }
        }
        section aria-labelledby="districts-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="districts-heading" { (t(language, "settings-districts-heading")) }
            form method="post" action="/staff/settings/districts" class="stack" {
                (csrf_field(context))
                div class="ds-field" {
                    label class="ds-label" for=(field_id("districts")) { (t(language, "settings-districts")) }
                    p class="ds-paragraph field-hint" data-size="sm" id="districts-hint" { (t(language, "settings-districts-hint")) }
                    @for (index, message) in district_messages.iter().enumerate() {
                        p class="ds-validation-message" data-color="danger" id={ "districts-error-" (index) } { (message) }
                    }
                    textarea class="ds-input" name="districts" id=(field_id("districts")) rows="8"
                        aria-invalid=[(!district_messages.is_empty()).then_some("true")]
                        aria-describedby=(described_by("districts-hint", "districts-error-", district_messages.len())) { (view.districts_text) }
                }
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "save")) }
            }
        }
        section aria-labelledby="margins-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="margins-heading" { (t(language, "settings-margins-heading")) }
            p class="ds-paragraph" { (t(language, "settings-margins-intro")) }
            (margins_table(language, view.districts, view.margins))
            p class="ds-paragraph" { a class="ds-link" href="/staff/results/margins" { (t(language, "settings-margins-jsonstat")) } }
            form method="post" action={ "/staff/settings/margins?csrf=" (context.csrf_token) } enctype="multipart/form-data" class="stack" {
                div class="ds-field" {
                    label class="ds-label" for=(field_id("margins")) { (t(language, "settings-margins-file")) }
                    p class="ds-paragraph field-hint" data-size="sm" id="margins-hint" { (t(language, "settings-margins-hint")) }
                    @if !margin_messages.is_empty() {
                        ul class="ds-list error-list" {
                            @for (index, message) in margin_messages.iter().enumerate() {
                                li class="ds-validation-message" data-color="danger" id={ "margins-error-" (index) } { (message) }
                            }
                        }
                    }
                    input class="ds-input" type="file" name="margins" id=(field_id("margins")) accept=".csv,text/csv" required
                        aria-invalid=[(!margin_messages.is_empty()).then_some("true")]
                        aria-describedby=(described_by("margins-hint", "margins-error-", margin_messages.len()));
                }
                button class="ds-button" data-variant="secondary" type="submit" { (t(language, "settings-margins-upload")) }
            }
        }
        section aria-labelledby="hosts-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="hosts-heading" { (t(language, "settings-hosts-heading")) }
            p class="ds-paragraph" { (t(language, "settings-hosts-intro")) }
            ul class="ds-list" { @for host in view.hosts { li { code { (host) } } } }
        }
    };
    staff_page(state, context, Some(user), title, content)
}

/// The id of a language's checkbox; the first one is also where error links
/// about the language choice lead.
fn language_checkbox_id(language: Language) -> String {
    if language == Language::ALL[0] { field_id("languages") } else { format!("language-{}", language.code()) }
}

/// `hint` followed by `count` error ids made from `prefix`.
fn described_by(hint: &str, prefix: &str, count: usize) -> String {
    std::iter::once(hint.to_owned()).chain((0..count).map(|i| format!("{prefix}{i}"))).collect::<Vec<_>>().join(" ")
}

/// A problem in the uploaded margins file, with its line number in words.
fn margin_error(language: Language, error: &crate::domain::validation::FieldError) -> String {
    let problem = crate::i18n::field_error(language, error);
    match error.field.strip_prefix("line ") {
        Some(line) => t_with(language, "margins-error-at-line", &[("line", line.to_owned()), ("problem", problem)]),
        None => problem,
    }
}

fn margins_table(language: Language, districts: &[District], margins: &[population_margin::Model]) -> Markup {
    if margins.is_empty() {
        return html! { p class="ds-paragraph" { em { (t(language, "settings-margins-none")) } } };
    }
    let total: i64 = margins.iter().map(|m| m.population).sum();
    html! {
        table class="ds-table" data-border {
            caption { (t(language, "settings-margins-caption")) }
            thead { tr { th scope="col" { (t(language, "district")) } th scope="col" class="numeric" { (t(language, "population")) } } }
            tbody {
                @for district in districts {
                    tr {
                        th scope="row" { (district.name) }
                        td class="numeric" { (margins.iter().filter(|m| m.district_code == district.code).map(|m| m.population).sum::<i64>()) }
                    }
                }
            }
            tfoot { tr { th scope="row" { (t(language, "total")) } td class="numeric" { (total) } } }
        }
    }
}

/// The audit log page.
pub fn audit(state: &AppState, context: &RequestContext, user: &StaffUser, events: &[audit_event::Model]) -> Markup {
    let language = context.language;
    let title = t(language, "audit-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "audit-intro")) }
        (data_table("audit-caption", None, html! { (t(language, "audit-caption")) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "audit-when")) }
                    th scope="col" { (t(language, "audit-who")) }
                    th scope="col" { (t(language, "audit-what")) }
                    th scope="col" { (t(language, "audit-subject")) }
                } }
                tbody {
                    @for event in events {
                        tr {
                            td { (format_time(event.at)) }
                            td { (event.actor) }
                            td { code { (event.action) } }
                            td { (event.subject) }
                        }
                    }
                }
        }))
    };
    staff_page(state, context, Some(user), title, content)
}

/// `YYYY-MM-DD HH:MM` in UTC.
pub fn format_time(epoch: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(epoch).ok().and_then(|t| t.format(&format).ok()).unwrap_or_default()
}

/// The add-municipality form's values.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NewMunicipalityInput {
    /// Short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Default language.
    pub default_language: String,
    /// Host names, separated by commas or spaces.
    pub hosts: String,
}

/// The host operator's list of municipalities with the add form.
pub fn municipalities(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    list: &[(Municipality, Vec<String>)],
    input: &NewMunicipalityInput,
    errors: Option<&Invalid>,
) -> Markup {
    let language = context.language;
    let title = t(language, "municipalities-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        table class="ds-table" data-border {
            caption { (t(language, "municipalities-caption")) }
            thead { tr {
                th scope="col" { (t(language, "settings-name")) }
                th scope="col" { (t(language, "municipality-slug")) }
                th scope="col" { (t(language, "municipality-hosts")) }
                th scope="col" { (t(language, "settings-languages")) }
            } }
            tbody {
                @for (municipality, hosts) in list {
                    tr {
                        td { (municipality.name) }
                        td { code { (municipality.slug) } }
                        td { (hosts.join(", ")) }
                        td { (Language::join_list(&municipality.languages)) }
                    }
                }
            }
        }
        section aria-labelledby="add-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="add-heading" { (t(language, "municipalities-add-heading")) }
            (error_summary(language, errors))
            form method="post" action="/staff/municipalities" class="stack" {
                (csrf_field(context))
                (TextField { name: "name", label: t(language, "settings-name"), value: &input.name, input_type: "text",
                    autocomplete: "off", hint: None, required: true }.render(language, errors))
                (TextField { name: "slug", label: t(language, "municipality-slug"), value: &input.slug, input_type: "text",
                    autocomplete: "off", hint: Some(t(language, "municipality-slug-hint")), required: true }.render(language, errors))
                (TextField { name: "hosts", label: t(language, "municipality-hosts"), value: &input.hosts, input_type: "text",
                    autocomplete: "off", hint: Some(t(language, "municipality-hosts-hint")), required: true }.render(language, errors))
                div class="ds-field" {
                    label class="ds-label" for=(field_id("default_language")) { (t(language, "settings-default-language")) }
                    select class="ds-input" name="default_language" id=(field_id("default_language")) {
                        @for option in Language::ALL {
                            option value=(option.code()) selected[input.default_language == option.code()] { (option.native_name()) }
                        }
                    }
                }
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "municipalities-add-button")) }
            }
        }
    };
    staff_page(state, context, Some(user), title, content)
}
