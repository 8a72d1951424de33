//! Pages for joining the panel and a member's own page, and the staff panel overview.

use maud::{Markup, html};

use crate::domain::profile::{Education, JoinInput, ProfileInput};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{Gender, Language};
use crate::entities::member;
use crate::i18n::{field_error, t, t_with};
use crate::services::municipalities::District;
use crate::services::panel::{InvitedSurvey, Overview, Representation};
use crate::services::staff::StaffUser;
use crate::views::components::{TextField, alert, csrf_field, data_table, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

fn public_page(state: &AppState, context: &RequestContext, title: String, content: Markup) -> Markup {
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}

fn staff_page(state: &AppState, context: &RequestContext, user: &StaffUser, title: String, content: Markup) -> Markup {
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// The message of the first problem with `field`, with its id for `aria-describedby`.
fn field_problem(language: Language, errors: Option<&Invalid>, field: &str) -> Option<(String, String)> {
    errors.and_then(|e| e.for_field(field)).map(|e| (format!("{}-error", field_id(field)), field_error(language, e)))
}

fn problem_message(problem: &Option<(String, String)>) -> Markup {
    html! {
        @if let Some((id, message)) = problem {
            p class="ds-validation-message" data-color="danger" id=(id) { (message) }
        }
    }
}

/// Radio buttons in a fieldset; the first gets the field id so the error
/// summary can link to it.
fn radio_group(
    language: Language,
    name: &str,
    legend: String,
    options: &[(String, String)],
    current: &str,
    errors: Option<&Invalid>,
) -> Markup {
    let problem = field_problem(language, errors, name);
    html! {
        fieldset class="ds-fieldset" aria-describedby=[problem.as_ref().map(|(id, _)| id.as_str())] {
            legend class="ds-label" { (legend) }
            (problem_message(&problem))
            div class="choices" {
                @for (index, (value, label)) in options.iter().enumerate() {
                    @let id = if index == 0 { field_id(name) } else { format!("{}-{value}", field_id(name)) };
                    div class="choice" {
                        input class="ds-input" type="radio" name=(name) value=(value) id=(id) checked[current == value]
                            aria-invalid=[problem.as_ref().map(|_| "true")];
                        label class="ds-label" for=(id) { (label) }
                    }
                }
            }
        }
    }
}

/// A select with label; an empty first option when `optional`.
fn select_field(
    language: Language,
    name: &str,
    label: String,
    options: &[(String, String)],
    current: &str,
    optional: bool,
    errors: Option<&Invalid>,
) -> Markup {
    let problem = field_problem(language, errors, name);
    html! {
        div class="ds-field" {
            label class="ds-label" for=(field_id(name)) {
                (label)
                @if optional { " " span class="optional" { (t(language, "field-optional")) } }
            }
            (problem_message(&problem))
            select class="ds-input" name=(name) id=(field_id(name)) required[!optional]
                aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|(id, _)| id.as_str())] {
                @if optional || current.is_empty() {
                    option value="" selected[current.is_empty()] { (t(language, "panel-choose")) }
                }
                @for (value, text) in options {
                    option value=(value) selected[current == value] { (text) }
                }
            }
        }
    }
}

/// The profile fields shared by the join form and "my page".
fn profile_fields(
    language: Language,
    districts: &[District],
    languages: &[Language],
    input: &ProfileInput,
    errors: Option<&Invalid>,
) -> Markup {
    let genders: Vec<(String, String)> = [Gender::Female, Gender::Male, Gender::Other]
        .iter()
        .map(|g| (g.as_str().to_owned(), t(language, &format!("panel-gender-{g}"))))
        .collect();
    let district_options: Vec<(String, String)> = districts.iter().map(|d| (d.code.clone(), d.name.clone())).collect();
    let education_options: Vec<(String, String)> =
        Education::ALL.iter().map(|e| (e.code().to_owned(), t(language, &format!("panel-education-{e}")))).collect();
    let language_options: Vec<(String, String)> =
        languages.iter().map(|l| (l.code().to_owned(), l.native_name().to_owned())).collect();
    html! {
        (TextField { name: "mobile", label: t(language, "panel-field-mobile"), value: &input.mobile, input_type: "tel",
            autocomplete: "tel", hint: Some(t(language, "panel-field-mobile-hint")), required: false }.render(language, errors))
        (TextField { name: "birth_year", label: t(language, "panel-field-birth-year"), value: &input.birth_year,
            input_type: "text", autocomplete: "bday-year", hint: Some(t(language, "panel-field-birth-year-hint")),
            required: true }.render(language, errors))
        (radio_group(language, "gender", t(language, "panel-field-gender"), &genders, &input.gender, errors))
        (select_field(language, "district", t(language, "panel-field-district"), &district_options, &input.district, false, errors))
        (select_field(language, "education", t(language, "panel-field-education"), &education_options, &input.education, true, errors))
        (radio_group(language, "language", t(language, "panel-field-language"), &language_options, &input.language, errors))
    }
}

/// The consent text (versioned; see `CONSENT_VERSION`).
fn consent_text(language: Language, municipality: &str) -> Markup {
    let args = [("municipality", municipality.to_owned())];
    html! {
        section aria-labelledby="consent-heading" class="consent" {
            h2 class="ds-heading" data-size="sm" id="consent-heading" { (t(language, "panel-consent-heading")) }
            ul class="ds-list" {
                @for n in 1..=5 {
                    li { (t_with(language, &format!("panel-consent-{n}"), &args)) }
                }
            }
            p class="ds-paragraph" data-size="sm" {
                (t_with(language, "panel-consent-version", &[("version", crate::domain::member::CONSENT_VERSION.to_owned())]))
            }
        }
    }
}

fn consent_checkbox(language: Language, errors: Option<&Invalid>, checked: bool) -> Markup {
    let problem = field_problem(language, errors, "consent");
    html! {
        div class="ds-field" {
            (problem_message(&problem))
            div class="choice" {
                input class="ds-input" type="checkbox" name="consent" value="yes" id=(field_id("consent")) required
                    checked[checked] aria-invalid=[problem.as_ref().map(|_| "true")]
                    aria-describedby=[problem.as_ref().map(|(id, _)| id.as_str())];
                label class="ds-label" for=(field_id("consent")) { (t(language, "panel-consent-checkbox")) }
            }
        }
    }
}

/// Everything the join page shows.
pub struct JoinView<'a> {
    /// The municipality's name.
    pub municipality: &'a str,
    /// Its districts.
    pub districts: &'a [District],
    /// Its languages.
    pub languages: &'a [Language],
    /// What was typed.
    pub input: &'a JoinInput,
    /// Problems, after a failed attempt.
    pub errors: Option<&'a Invalid>,
}

/// `GET /panel/join`: the join form.
pub fn join(state: &AppState, context: &RequestContext, view: &JoinView<'_>) -> Markup {
    let language = context.language;
    let title = t(language, "panel-join-title");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t_with(language, "panel-join-intro", &[("municipality", view.municipality.to_owned())])) }
            (error_summary(language, view.errors))
            form method="post" action="/panel/join" class="stack" novalidate {
                (csrf_field(context))
                (TextField { name: "email", label: t(language, "field-email"), value: &view.input.email, input_type: "email",
                    autocomplete: "email", hint: None, required: true }.render(language, view.errors))
                (profile_fields(language, view.districts, view.languages, &view.input.profile, view.errors))
                (consent_text(language, view.municipality))
                (consent_checkbox(language, view.errors, view.input.consent.as_deref() == Some("yes")))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-join-button")) }
            }
            p class="ds-paragraph" {
                a class="ds-link" href="/panel/sign-in" { (t(language, "panel-join-already")) }
            }
        }
    };
    public_page(state, context, title, content)
}

/// A page with a heading, a text and optional link, for outcomes.
pub fn message(
    state: &AppState,
    context: &RequestContext,
    title_key: &str,
    body: String,
    link: Option<(&str, String)>,
) -> Markup {
    let language = context.language;
    let title = t(language, title_key);
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" role="status" { (body) }
            @if let Some((href, label)) = link {
                p class="ds-paragraph" { a class="ds-link" href=(href) { (label) } }
            }
        }
    };
    public_page(state, context, title, content)
}

/// One step behind an emailed link: the link opens this page, and only the
/// button acts, so a mail scanner opening the link in advance changes nothing.
/// `key` names the texts `{key}-title`, `{key}-intro` and `{key}-button`.
pub fn link_step(state: &AppState, context: &RequestContext, key: &str, municipality: &str, action: &str) -> Markup {
    let language = context.language;
    let title = t(language, &format!("{key}-title"));
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t_with(language, &format!("{key}-intro"), &[("municipality", municipality.to_owned())])) }
            form method="post" action=(action) class="stack" {
                (csrf_field(context))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, &format!("{key}-button"))) }
            }
        }
    };
    public_page(state, context, title, content)
}

/// The sign-in form for members (`/panel/sign-in`).
pub fn sign_in(state: &AppState, context: &RequestContext, email: &str, errors: Option<&Invalid>) -> Markup {
    let language = context.language;
    let title = t(language, "panel-sign-in-title");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t(language, "panel-sign-in-intro")) }
            (error_summary(language, errors))
            form method="post" action="/panel/sign-in" class="stack" novalidate {
                (csrf_field(context))
                (TextField { name: "email", label: t(language, "field-email"), value: email, input_type: "email",
                    autocomplete: "email", hint: None, required: true }.render(language, errors))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-sign-in-button")) }
            }
            p class="ds-paragraph" { a class="ds-link" href="/panel/join" { (t(language, "panel-sign-in-join")) } }
        }
    };
    public_page(state, context, title, content)
}

/// Everything "my page" shows.
pub struct MyPageView<'a> {
    /// The member.
    pub member: &'a member::Model,
    /// The municipality's name.
    pub municipality: &'a str,
    /// Districts to choose from.
    pub districts: &'a [District],
    /// Languages to choose from.
    pub languages: &'a [Language],
    /// The profile form's values.
    pub input: ProfileInput,
    /// Problems with the profile form.
    pub errors: Option<&'a Invalid>,
    /// The pause form's value.
    pub pause_input: &'a str,
    /// Problems with the pause form.
    pub pause_errors: Option<&'a Invalid>,
    /// Surveys the member was invited to.
    pub invitations: &'a [InvitedSurvey],
    /// Whether consent is due for renewal (or the member was deactivated).
    pub consent_due: bool,
    /// A success message id.
    pub notice: Option<&'static str>,
}

/// The profile form's values from a stored member.
pub fn profile_input(member: &member::Model) -> ProfileInput {
    ProfileInput {
        mobile: member.mobile.clone().unwrap_or_default(),
        birth_year: member.birth_year.to_string(),
        gender: member.gender.clone(),
        district: member.district.clone(),
        education: member.education.clone().unwrap_or_default(),
        language: member.language.clone(),
    }
}

/// `GET /panel/me`.
pub fn my_page(state: &AppState, context: &RequestContext, view: &MyPageView<'_>) -> Markup {
    let language = context.language;
    let title = t(language, "panel-me-title");
    let member = view.member;
    let all_errors =
        Invalid([view.errors, view.pause_errors].into_iter().flatten().flat_map(|e| e.0.clone()).collect());
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t_with(language, "panel-me-intro", &[("email", member.email.clone())])) }
        @if let Some(key) = view.notice {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, key)) } }))
        }
        (error_summary(language, Some(&all_errors)))
        @if view.consent_due {
            section aria-labelledby="renew-heading" class="card-section" {
                h2 class="ds-heading" data-size="md" id="renew-heading" { (t(language, "panel-renew-title")) }
                p class="ds-paragraph" { (t(language, "panel-renew-intro")) }
                (consent_text(language, view.municipality))
                form method="post" action="/panel/me/consent" class="stack" {
                    (csrf_field(context))
                    (consent_checkbox(language, view.errors, false))
                    button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-renew-button")) }
                }
            }
        }
        section aria-labelledby="status-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="status-heading" { (t(language, "panel-me-status-heading")) }
            p class="ds-paragraph" { (t(language, &format!("panel-status-{}", member.status))) }
            @if let Some(until) = &member.paused_until {
                p class="ds-paragraph" { (t_with(language, "panel-me-paused-until", &[("date", until.clone())])) }
                form method="post" action="/panel/me/resume" {
                    (csrf_field(context))
                    button class="ds-button" data-variant="secondary" type="submit" { (t(language, "panel-me-resume")) }
                }
            }
            p class="ds-paragraph" data-size="sm" {
                (t_with(language, "panel-me-consent", &[
                    ("version", member.consent_version.clone()),
                    ("date", crate::services::panel::date_of(member.consent_at)),
                ]))
            }
        }
        section aria-labelledby="profile-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="profile-heading" { (t(language, "panel-me-profile-heading")) }
            form method="post" action="/panel/me/profile" class="stack" novalidate {
                (csrf_field(context))
                (profile_fields(language, view.districts, view.languages, &view.input, view.errors))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "save")) }
            }
        }
        section aria-labelledby="pause-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="pause-heading" { (t(language, "panel-pause-heading")) }
            form method="post" action="/panel/me/pause" class="stack" novalidate {
                (csrf_field(context))
                (pause_field(language, view.pause_input, view.pause_errors))
                button class="ds-button" data-variant="secondary" type="submit" { (t(language, "panel-pause-button")) }
            }
        }
        section aria-labelledby="invitations-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="invitations-heading" { (t(language, "panel-me-invitations-heading")) }
            @if view.invitations.is_empty() {
                p class="ds-paragraph" { (t(language, "panel-me-invitations-none")) }
            } @else {
                table class="ds-table" data-border {
                    caption { (t(language, "panel-me-invitations-caption")) }
                    thead { tr {
                        th scope="col" { (t(language, "panel-me-invitation-survey")) }
                        th scope="col" { (t(language, "panel-me-invitation-date")) }
                    } }
                    tbody {
                        @for invitation in view.invitations {
                            tr { td { (invitation.title) } td { (invitation.invited_on) } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="data-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="data-heading" { (t(language, "panel-me-data-heading")) }
            p class="ds-paragraph" { (t(language, "panel-me-data-intro")) }
            p class="ds-paragraph" { a class="ds-link" href="/panel/me/data.json" download { (t(language, "panel-me-data-link")) } }
        }
        section aria-labelledby="leave-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="leave-heading" { (t(language, "panel-leave-heading")) }
            p class="ds-paragraph" { (t(language, "panel-leave-intro")) }
            p class="ds-paragraph" { a class="ds-link" href="/panel/me/leave" { (t(language, "panel-leave-link")) } }
        }
        form method="post" action="/panel/sign-out" {
            (csrf_field(context))
            button class="ds-button" data-variant="tertiary" type="submit" { (t(language, "sign-out")) }
        }
    };
    public_page(state, context, title, content)
}

fn pause_field(language: Language, value: &str, errors: Option<&Invalid>) -> Markup {
    TextField {
        name: "until",
        label: t(language, "panel-pause-until"),
        value,
        input_type: "date",
        autocomplete: "off",
        hint: Some(t(language, "panel-pause-until-hint")),
        required: true,
    }
    .render(language, errors)
}

/// `GET /panel/me/leave`: the confirmation step.
pub fn leave(state: &AppState, context: &RequestContext) -> Markup {
    let language = context.language;
    let title = t(language, "panel-leave-title");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t(language, "panel-leave-explain")) }
            form method="post" action="/panel/me/leave" class="stack" {
                (csrf_field(context))
                button class="ds-button" data-variant="primary" data-color="danger" type="submit" { (t(language, "panel-leave-button")) }
            }
            p class="ds-paragraph" { a class="ds-link" href="/panel/me" { (t(language, "panel-leave-cancel")) } }
        }
    };
    public_page(state, context, title, content)
}

/// `GET /u/<token>`: pause or leave, reached from any email.
pub fn unsubscribe(
    state: &AppState,
    context: &RequestContext,
    token: &str,
    pause_input: &str,
    errors: Option<&Invalid>,
) -> Markup {
    let language = context.language;
    let title = t(language, "panel-unsubscribe-title");
    let action = format!("/u/{token}");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t(language, "panel-unsubscribe-intro")) }
            (error_summary(language, errors))
            section aria-labelledby="pause-heading" class="card-section" {
                h2 class="ds-heading" data-size="md" id="pause-heading" { (t(language, "panel-pause-heading")) }
                form method="post" action=(action) class="stack" novalidate {
                    input type="hidden" name="action" value="pause";
                    (pause_field(language, pause_input, errors))
                    button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-pause-button")) }
                }
            }
            section aria-labelledby="leave-heading" class="card-section" {
                h2 class="ds-heading" data-size="md" id="leave-heading" { (t(language, "panel-leave-heading")) }
                p class="ds-paragraph" { (t(language, "panel-leave-explain")) }
                form method="post" action=(action) class="stack" {
                    input type="hidden" name="action" value="leave";
                    button class="ds-button" data-variant="secondary" data-color="danger" type="submit" { (t(language, "panel-leave-button")) }
                }
            }
        }
    };
    public_page(state, context, title, content)
}

/// `GET /panel/renew/<token>`: renew consent.
pub fn renew(
    state: &AppState,
    context: &RequestContext,
    municipality: &str,
    token: &str,
    errors: Option<&Invalid>,
) -> Markup {
    let language = context.language;
    let title = t(language, "panel-renew-title");
    let content = html! {
        div class="narrow" {
            h1 class="ds-heading" data-size="lg" { (title) }
            p class="ds-paragraph" { (t(language, "panel-renew-intro")) }
            (error_summary(language, errors))
            (consent_text(language, municipality))
            form method="post" action={ "/panel/renew/" (token) } class="stack" novalidate {
                (csrf_field(context))
                (consent_checkbox(language, errors, false))
                button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-renew-button")) }
            }
        }
    };
    public_page(state, context, title, content)
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

fn group_label(language: Language, dimension: &str, key: &str, districts: &[District]) -> String {
    match dimension {
        "district" => districts.iter().find(|d| d.code == key).map_or_else(|| key.to_owned(), |d| d.name.clone()),
        "gender" => t(language, &format!("panel-gender-{key}")),
        "source" => t(language, &format!("panel-source-{key}")),
        _ => key.to_owned(),
    }
}

/// `GET /staff/panel`: counts against the population margins.
pub fn overview(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    overview: &Overview,
    districts: &[District],
) -> Markup {
    let language = context.language;
    let title = t(language, "panel-overview-title");
    let is_admin = user.role == crate::domain::Role::Admin;
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "panel-overview-intro")) }
        p class="ds-paragraph" {
            a class="ds-link" href="/staff/panel/counts.csv" download { (t(language, "panel-overview-csv")) }
            @if is_admin {
                " · " a class="ds-link" href="/staff/panel/members" { (t(language, "panel-members-title")) }
                " · " a class="ds-link" href="/staff/panel/import" { (t(language, "panel-import-title")) }
            }
        }
        table class="ds-table" data-border id="status-table" {
            caption { (t(language, "panel-overview-status-caption")) }
            thead { tr { th scope="col" { (t(language, "panel-overview-status")) } th scope="col" class="numeric" { (t(language, "panel-overview-members")) } } }
            tbody {
                @for (status, count) in &overview.by_status {
                    tr { th scope="row" { (t(language, &format!("panel-status-{status}"))) } td class="numeric" data-status=(status) { (count) } }
                }
                tr { th scope="row" { (t(language, "panel-overview-paused")) } td class="numeric" data-status="paused" { (overview.paused) } }
            }
        }
        @for breakdown in &overview.breakdowns {
            div class="table-scroll" tabindex="0" role="region" aria-labelledby={ "caption-" (breakdown.dimension) } {
                table class="ds-table" data-border id={ "breakdown-" (breakdown.dimension) } {
                    caption id={ "caption-" (breakdown.dimension) } { (t(language, &format!("panel-overview-by-{}", breakdown.dimension))) }
                    thead { tr {
                        th scope="col" { (t(language, "panel-overview-group")) }
                        th scope="col" class="numeric" { (t(language, "panel-overview-members")) }
                        th scope="col" class="numeric" { (t(language, "panel-overview-panel-share")) }
                        th scope="col" class="numeric" { (t(language, "panel-overview-population-share")) }
                        th scope="col" { (t(language, "panel-overview-representation")) }
                    } }
                    tbody {
                        @for group in &breakdown.groups {
                            @let (code, key) = match group.representation {
                                Representation::Under => ("under", "panel-overview-under"),
                                Representation::Over => ("over", "panel-overview-over"),
                                Representation::Even => ("even", "panel-overview-even"),
                                Representation::Unknown => ("unknown", "panel-overview-unknown"),
                            };
                            tr data-group=(group.key) data-representation=(code) {
                                th scope="row" { (group_label(language, breakdown.dimension, &group.key, districts)) }
                                td class="numeric" { (group.members) }
                                td class="numeric" { (percent(group.panel_share)) }
                                td class="numeric" { (group.population_share.map(percent).unwrap_or_else(|| "–".into())) }
                                td {
                                    @if matches!(group.representation, Representation::Under | Representation::Over) {
                                        strong { (t(language, key)) }
                                    } @else {
                                        (t(language, key))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    staff_page(state, context, user, title, content)
}

/// `GET /staff/panel/members`: one page of members, for admins.
pub fn members(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    members: &[member::Model],
    page: u64,
    pages: u64,
) -> Markup {
    let language = context.language;
    let title = t(language, "panel-members-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "panel-members-intro")) }
        (data_table("members-caption", None, html! { (t_with(language, "panel-members-caption", &[("page", (page + 1).to_string()), ("pages", pages.max(1).to_string())])) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "field-email")) }
                    th scope="col" { (t(language, "panel-field-birth-year")) }
                    th scope="col" { (t(language, "panel-field-gender")) }
                    th scope="col" { (t(language, "panel-field-district")) }
                    th scope="col" { (t(language, "panel-overview-status")) }
                    th scope="col" { (t(language, "panel-members-source")) }
                    th scope="col" { (t(language, "panel-members-joined")) }
                } }
                tbody {
                    @for member in members {
                        tr {
                            td { (member.email) }
                            td { (member.birth_year) }
                            td { (t(language, &format!("panel-gender-{}", member.gender))) }
                            td { (member.district) }
                            td { (t(language, &format!("panel-status-{}", member.status))) }
                            td { (t(language, &format!("panel-source-{}", member.source))) }
                            td { (crate::services::panel::date_of(member.created_at)) }
                        }
                    }
                }
        }))
        nav aria-label=(t(language, "panel-members-pages")) {
            @if page > 0 {
                a class="ds-link" href={ "/staff/panel/members?page=" (page) } rel="prev" { (t(language, "panel-members-previous")) }
                " "
            }
            @if page + 1 < pages {
                a class="ds-link" href={ "/staff/panel/members?page=" (page + 2) } rel="next" { (t(language, "panel-members-next")) }
            }
        }
    };
    staff_page(state, context, user, title, content)
}

/// The outcome of an import shown on the import page.
pub struct ImportResult<'a> {
    /// Members created.
    pub imported: usize,
    /// Problems by line.
    pub problems: &'a [FieldError],
}

/// `GET /staff/panel/import`: upload a CSV of members.
pub fn import(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    result: Option<&ImportResult<'_>>,
    missing_file: bool,
) -> Markup {
    let language = context.language;
    let title = t(language, "panel-import-title");
    // Nothing was imported because of problems: an error to fix in the file.
    let failed = result.is_some_and(|r| r.imported == 0 && !r.problems.is_empty());
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "panel-import-intro")) }
        @if missing_file {
            (error_summary(language, Some(&crate::views::components::single_error("file", "panel-import-error-no-file"))))
        }
        @if let Some(result) = result {
            @if result.imported > 0 {
                (alert("success", html! { p class="ds-paragraph" role="status" id="import-done" {
                    (t_with(language, "panel-import-done", &[("count", result.imported.to_string())]))
                } }))
            }
            @if failed {
                div class="ds-error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="import-problems-heading" {
                    h2 class="ds-heading" data-size="xs" id="import-problems-heading" { (t(language, "panel-import-failed-heading")) }
                    ul class="ds-list" {
                        @for problem in result.problems {
                            li { a class="ds-link" href={ "#" (field_id("file")) } { (import_problem_line(language, problem)) } }
                        }
                    }
                }
            } @else if !result.problems.is_empty() {
                (alert("warning", html! {
                    h2 class="ds-heading" data-size="xs" id="import-skipped-heading" { (t(language, "panel-import-skipped-heading")) }
                    ul class="ds-list" id="import-skipped" {
                        @for problem in result.problems { li { (import_problem_line(language, problem)) } }
                    }
                }))
            }
        }
        form method="post" action={ "/staff/panel/import?csrf=" (context.csrf_token) } enctype="multipart/form-data" class="stack" {
            div class="ds-field" {
                label class="ds-label" for=(field_id("file")) { (t(language, "panel-import-file")) }
                p class="ds-paragraph field-hint" data-size="sm" id="file-hint" { (t(language, "panel-import-file-hint")) }
                @if missing_file {
                    p class="ds-validation-message" data-color="danger" id="field-file-error" { (t(language, "panel-import-error-no-file")) }
                } @else if failed {
                    ul class="ds-list error-list" id="field-file-error" {
                        @for problem in result.map_or(&[][..], |r| r.problems) {
                            li class="ds-validation-message" data-color="danger" { (import_problem_line(language, problem)) }
                        }
                    }
                }
                input class="ds-input" type="file" name="file" id=(field_id("file")) accept=".csv,text/csv" required
                    aria-invalid=[(missing_file || failed).then_some("true")]
                    aria-describedby=(if missing_file || failed { "file-hint field-file-error" } else { "file-hint" });
            }
            div class="choice" {
                input class="ds-input" type="checkbox" name="skip_invalid" value="yes" id=(field_id("skip_invalid"));
                label class="ds-label" for=(field_id("skip_invalid")) { (t(language, "panel-import-skip-invalid")) }
            }
            button class="ds-button" data-variant="primary" type="submit" { (t(language, "panel-import-button")) }
        }
    };
    staff_page(state, context, user, title, content)
}

/// One import problem as text: "Line 3 (birth_year): …".
pub fn import_problem_line(language: Language, problem: &FieldError) -> String {
    let line = problem.field.trim_start_matches("line ");
    let column = problem.args.iter().find(|(name, _)| *name == "column").map(|(_, v)| v.as_str()).unwrap_or("");
    t_with(
        language,
        "panel-import-problem",
        &[("line", line.to_owned()), ("column", column.to_owned()), ("message", field_error(language, problem))],
    )
}
