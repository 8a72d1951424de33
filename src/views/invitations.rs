//! Staff pages for invitations: the sample form, the preview with the
//! sample's composition, the samples sent, and marking bounced addresses.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::sampling::{Exclusion, SampleInput, Stratifier};
use crate::domain::validation::Invalid;
use crate::i18n::{field_error, t, t_with};
use crate::services::invitations::{CompositionRow, InvitationStats, Preview, SampleSummary, Tally};
use crate::services::staff::StaffUser;
use crate::services::surveys::Survey;
use crate::views::components::{TextField, alert, csrf_field, data_table, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::views::staff::format_time;
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// Everything the invitations page of a survey shows.
pub struct InvitationsView<'a> {
    /// The survey.
    pub survey: &'a Survey,
    /// Whether it accepts invitations now.
    pub open: bool,
    /// The form's values.
    pub input: &'a SampleInput,
    /// Problems with the form.
    pub errors: Option<&'a Invalid>,
    /// A drawn sample waiting to be sent.
    pub preview: Option<&'a Preview>,
    /// Samples already sent.
    pub samples: &'a [SampleSummary],
    /// Delivery and answering figures, overall and per stratum.
    pub stats: &'a InvitationStats,
    /// A message after a change (message id and values).
    pub notice: Option<(&'static str, Vec<(&'static str, String)>)>,
}

fn percent(part: f64, whole: f64) -> String {
    if whole <= 0.0 { "–".to_owned() } else { format!("{:.1} %", 100.0 * part / whole) }
}

fn label_of(language: Language, by: Stratifier, row: &CompositionRow) -> String {
    match by {
        Stratifier::District => row.label.clone(),
        Stratifier::AgeBand => row.value.clone(),
        Stratifier::Gender => t(language, &format!("invitations-gender-{}", row.value)),
    }
}

fn composition_table(language: Language, by: Stratifier, rows: &[CompositionRow]) -> Markup {
    let sample_total: usize = rows.iter().map(|r| r.sample).sum();
    let eligible_total: usize = rows.iter().map(|r| r.eligible).sum();
    let population_total: i64 = rows.iter().map(|r| r.population).sum();
    let caption_id = format!("composition-{}-caption", by.code().replace('_', "-"));
    html! {
        (data_table(&caption_id, None, html! { (t(language, &format!("invitations-composition-{}", by.code().replace('_', "-")))) }, html! {
                thead { tr {
                    th scope="col" { (t(language, &format!("invitations-dimension-{}", by.code().replace('_', "-")))) }
                    th scope="col" class="numeric" { (t(language, "invitations-column-sample")) }
                    th scope="col" class="numeric" { (t(language, "invitations-column-eligible")) }
                    th scope="col" class="numeric" { (t(language, "invitations-column-population")) }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            th scope="row" { (label_of(language, by, row)) }
                            td class="numeric" { (row.sample) " (" (percent(row.sample as f64, sample_total as f64)) ")" }
                            td class="numeric" { (row.eligible) " (" (percent(row.eligible as f64, eligible_total as f64)) ")" }
                            td class="numeric" { (row.population) " (" (percent(row.population as f64, population_total as f64)) ")" }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (t(language, "total")) }
                    td class="numeric" { (sample_total) }
                    td class="numeric" { (eligible_total) }
                    td class="numeric" { (population_total) }
                } }
        }))
    }
}

fn sample_form(context: &RequestContext, survey_id: i32, input: &SampleInput, errors: Option<&Invalid>) -> Markup {
    let language = context.language;
    let method_error = errors.and_then(|e| e.for_field("method"));
    let strata_error = errors.and_then(|e| e.for_field("strata"));
    html! {
        form method="post" action={ "/staff/surveys/" (survey_id) "/invitations/preview" } class="stack" {
            (csrf_field(context))
            fieldset class="ds-fieldset" aria-describedby=[method_error.map(|_| "method-error")] {
                legend class="ds-label" { (t(language, "invitations-method")) }
                @if let Some(error) = method_error {
                    p class="ds-validation-message" data-color="danger" id="method-error" { (field_error(language, error)) }
                }
                @for (index, method) in ["all", "simple", "stratified"].into_iter().enumerate() {
                    @let id = if index == 0 { field_id("method") } else { format!("method-{method}") };
                    div class="ds-field" {
                        input class="ds-input" type="radio" name="method" value=(method) id=(id)
                            checked[input.method == method || (input.method.is_empty() && method == "simple")]
                            aria-invalid=[method_error.map(|_| "true")];
                        label class="ds-label" for=(id) { (t(language, &format!("invitations-method-{method}"))) }
                    }
                }
            }
            (TextField { name: "size", label: t(language, "invitations-size"), value: &input.size, input_type: "number",
                autocomplete: "off", hint: Some(t(language, "invitations-size-hint")), required: false }.render(language, errors))
            fieldset class="ds-fieldset" aria-describedby=[strata_error.map(|_| "strata-error")] {
                legend class="ds-label" { (t(language, "invitations-strata")) }
                @if let Some(error) = strata_error {
                    p class="ds-validation-message" data-color="danger" id="strata-error" { (field_error(language, error)) }
                }
                @for (index, by) in Stratifier::ALL.into_iter().enumerate() {
                    @let id = if index == 0 { field_id("strata") } else { format!("strata-{}", by.code()) };
                    div class="ds-field" {
                        input class="ds-input" type="checkbox" name="strata" value=(by.code()) id=(id)
                            checked[input.strata.iter().any(|s| s.split(',').any(|p| p.trim() == by.code()))]
                            aria-invalid=[strata_error.map(|_| "true")];
                        label class="ds-label" for=(id) {
                            (t(language, &format!("invitations-dimension-{}", by.code().replace('_', "-"))))
                        }
                    }
                }
            }
            (TextField { name: "seed", label: t(language, "invitations-seed"), value: &input.seed, input_type: "text",
                autocomplete: "off", hint: Some(t(language, "invitations-seed-hint")), required: false }.render(language, errors))
            (TextField { name: "soft_launch", label: t(language, "invitations-soft-launch"), value: &input.soft_launch,
                input_type: "text", autocomplete: "off", hint: Some(t(language, "invitations-soft-launch-hint")),
                required: false }.render(language, errors))
            (TextField { name: "release_after", label: t(language, "invitations-release-after"), value: &input.release_after,
                input_type: "text", autocomplete: "off", hint: Some(t(language, "invitations-release-after-hint")),
                required: false }.render(language, errors))
            button class="ds-button" data-variant="secondary" type="submit" { (t(language, "invitations-preview-button")) }
        }
    }
}

fn preview_section(context: &RequestContext, survey_id: i32, preview: &Preview) -> Markup {
    let language = context.language;
    let request = &preview.request;
    let (size, strata) = match &request.method {
        crate::domain::sampling::Method::All => (String::new(), String::new()),
        crate::domain::sampling::Method::Simple { size } => (size.to_string(), String::new()),
        crate::domain::sampling::Method::Stratified { size, .. } => (size.to_string(), request.method.strata_text()),
    };
    let counts = [
        ("drawn", preview.drawn.len().to_string()),
        ("eligible", preview.eligible.to_string()),
        ("first", preview.first_wave().to_string()),
        ("seed", request.seed.to_string()),
    ];
    html! {
        section aria-labelledby="preview-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="preview-heading" { (t(language, "invitations-preview-heading")) }
            p class="ds-paragraph" id="preview-summary" { (t_with(language, "invitations-preview-summary", &counts)) }
            @if preview.first_wave() < preview.drawn.len() {
                p class="ds-paragraph" { (t_with(language, "invitations-preview-soft-launch", &counts)) }
            }
            @if !preview.excluded.is_empty() {
                h3 class="ds-heading" data-size="xs" { (t(language, "invitations-excluded-heading")) }
                ul class="ds-list" {
                    @for reason in Exclusion::ALL {
                        @if let Some(count) = preview.excluded.get(&reason) {
                            li { (t(language, &format!("invitations-excluded-{}", reason.code()))) ": " (count) }
                        }
                    }
                }
            }
            @for (by, rows) in &preview.composition {
                (composition_table(language, *by, rows))
            }
            form method="post" action={ "/staff/surveys/" (survey_id) "/invitations/send" } class="stack" {
                (csrf_field(context))
                input type="hidden" name="method" value=(request.method.code());
                input type="hidden" name="size" value=(size);
                input type="hidden" name="strata" value=(strata);
                input type="hidden" name="seed" value=(request.seed);
                input type="hidden" name="soft_launch" value=(request.soft_launch_percent.map(|p| p.to_string()).unwrap_or_default());
                input type="hidden" name="release_after" value=(request.release_after_hours);
                button class="ds-button" data-variant="primary" type="submit" {
                    (t_with(language, "invitations-send-button", &[("count", preview.drawn.len().to_string())]))
                }
            }
        }
    }
}

fn samples_section(context: &RequestContext, survey_id: i32, samples: &[SampleSummary]) -> Markup {
    let language = context.language;
    html! {
        section aria-labelledby="samples-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="samples-heading" { (t(language, "invitations-samples-heading")) }
            @if samples.is_empty() {
                p class="ds-paragraph" { (t(language, "invitations-samples-none")) }
            } @else {
                (data_table("samples-caption", None, html! { (t(language, "invitations-samples-caption")) }, html! {
                        thead { tr {
                            th scope="col" { (t(language, "invitations-column-when")) }
                            th scope="col" { (t(language, "invitations-method")) }
                            th scope="col" class="numeric" { (t(language, "invitations-column-invited")) }
                            th scope="col" class="numeric" { (t(language, "invitations-column-sent")) }
                            th scope="col" class="numeric" { (t(language, "invitations-column-completed")) }
                            th scope="col" class="numeric" { (t(language, "invitations-column-reminders")) }
                            th scope="col" { (t(language, "invitations-column-soft-launch")) }
                        } }
                        tbody {
                            @for summary in samples {
                                tr {
                                    th scope="row" { (format_time(summary.sample.created_at)) }
                                    td {
                                        (t(language, &format!("invitations-method-{}", summary.sample.method)))
                                        @if !summary.sample.strata.is_empty() { " (" (summary.sample.strata) ")" }
                                        br; small { (t(language, "invitations-seed")) ": " (summary.sample.seed) }
                                    }
                                    td class="numeric" { (summary.invited) }
                                    td class="numeric" { (summary.sent) }
                                    td class="numeric" { (summary.completed) }
                                    td class="numeric" { (summary.reminders) }
                                    td { (release_cell(context, survey_id, summary)) }
                                }
                            }
                        }
                }))
            }
        }
    }
}

/// A stratum code such as `district=nord;gender=female` in words.
fn stratum_label(language: Language, stratum: Option<&str>) -> String {
    let Some(stratum) = stratum else { return t(language, "invitations-progress-unstratified") };
    stratum
        .split(';')
        .map(|part| match part.split_once('=') {
            Some(("gender", value)) => t(language, &format!("invitations-gender-{value}")),
            Some((_, value)) => value.to_owned(),
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn tally_cells(tally: &Tally) -> Markup {
    html! {
        td class="numeric" { (tally.invited) }
        td class="numeric" { (tally.sent) }
        td class="numeric" { (tally.delivered) }
        td class="numeric" { (tally.failed) }
        td class="numeric" { (tally.pending) }
        td class="numeric" { (tally.opened) }
        td class="numeric" { (tally.started) }
        td class="numeric" { (tally.completed) }
        td class="numeric" { (tally.response_rate().map_or_else(|| "–".to_owned(), |r| percent(r, 1.0))) }
    }
}

/// Invited, sent, failed, waiting, opened, started and answered, overall and
/// per stratum: how the survey is doing right now.
fn progress_section(language: Language, stats: &InvitationStats) -> Markup {
    let stratified = stats.strata.keys().any(Option::is_some);
    html! {
        section aria-labelledby="progress-heading" class="card-section" {
            h2 class="ds-heading" data-size="md" id="progress-heading" { (t(language, "invitations-progress-heading")) }
            p class="ds-paragraph" data-size="sm" { (t(language, "invitations-progress-hint")) }
            (data_table("progress-caption", Some("progress"), html! { (t(language, "invitations-progress-caption")) }, html! {
                    thead { tr {
                        th scope="col" { (t(language, "invitations-progress-group")) }
                        th scope="col" class="numeric" { (t(language, "invitations-column-invited")) }
                        th scope="col" class="numeric" { (t(language, "invitations-column-sent")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-delivered")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-failed")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-pending")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-opened")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-started")) }
                        th scope="col" class="numeric" { (t(language, "invitations-column-completed")) }
                        th scope="col" class="numeric" { (t(language, "invitations-progress-rate")) }
                    } }
                    tbody {
                        @if stratified {
                            @for (stratum, tally) in &stats.strata {
                                tr {
                                    th scope="row" { (stratum_label(language, stratum.as_deref())) }
                                    (tally_cells(tally))
                                }
                            }
                        }
                        tr {
                            th scope="row" { (t(language, "total")) }
                            (tally_cells(&stats.overall))
                        }
                    }
            }))
        }
    }
}

fn release_cell(context: &RequestContext, survey_id: i32, summary: &SampleSummary) -> Markup {
    let language = context.language;
    let base = format!("/staff/surveys/{survey_id}/invitations/samples/{}", summary.sample.id);
    if summary.waiting() == 0 {
        return html! { "–" };
    }
    html! {
        p class="ds-paragraph" data-size="sm" {
            (t_with(language, "invitations-waiting", &[("count", summary.waiting().to_string())]))
            @if summary.sample.release_held {
                " " (t(language, "invitations-held"))
            } @else if let Some(at) = summary.sample.release_at {
                " " (t_with(language, "invitations-release-at", &[("time", format_time(at))]))
            }
        }
        form method="post" action={ (base) "/release" } {
            (csrf_field(context))
            button class="ds-button" data-variant="primary" data-size="sm" type="submit" { (t(language, "invitations-release-button")) }
        }
        form method="post" action={ (base) (if summary.sample.release_held { "/unhold" } else { "/hold" }) } {
            (csrf_field(context))
            button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" {
                (t(language, if summary.sample.release_held { "invitations-unhold-button" } else { "invitations-hold-button" }))
            }
        }
    }
}

/// The invitations page of a survey.
pub fn page(state: &AppState, context: &RequestContext, user: &StaffUser, view: &InvitationsView<'_>) -> Markup {
    let language = context.language;
    let survey_title = view.survey.definition.title.get(language, language).to_owned();
    let title = t_with(language, "invitations-title", &[("survey", survey_title)]);
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        @if let Some((key, args)) = &view.notice {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t_with(language, key, args)) } }))
        }
        @if !view.open {
            (alert("warning", html! { p class="ds-paragraph" { (t(language, "invitations-error-not-open")) } }))
        }
        (error_summary(language, view.errors))
        p class="ds-paragraph" { (t(language, "invitations-intro")) }
        @if view.stats.overall.invited > 0 {
            (progress_section(language, view.stats))
        }
        (sample_form(context, view.survey.id, view.input, view.errors))
        @if let Some(preview) = view.preview {
            (preview_section(context, view.survey.id, preview))
        }
        (samples_section(context, view.survey.id, view.samples))
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// The page where admins mark bouncing addresses.
pub fn bounces(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    email: &str,
    errors: Option<&Invalid>,
    marked: bool,
) -> Markup {
    let language = context.language;
    let title = t(language, "bounces-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        @if marked {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, "bounces-marked")) } }))
        }
        (error_summary(language, errors))
        p class="ds-paragraph" { (t(language, "bounces-intro")) }
        form method="post" action="/staff/bounces" class="stack" {
            (csrf_field(context))
            (TextField { name: "email", label: t(language, "bounces-email"), value: email, input_type: "email",
                autocomplete: "off", hint: None, required: true }.render(language, errors))
            button class="ds-button" data-variant="primary" type="submit" { (t(language, "bounces-button")) }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}
