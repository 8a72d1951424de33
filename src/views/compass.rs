//! The compass pages: the public transparency page (with an SVG radar chart),
//! the staff evidence page, and the assessment form.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::compass::{
    Area as FrameworkArea, AssessmentInput, AssessmentKind, Framework, Totals, format_points,
};
use crate::domain::survey::LadderStep;
use crate::domain::validation::Invalid;
use crate::entities::compass_framework;
use crate::i18n::{field_error, t, t_with};
use crate::services::compass::{AssessmentDetail, Overview, ResidentScore, StoredAssessment, YearIndicators};
use crate::services::staff::StaffUser;
use crate::views::components::{TextField, alert, csrf_field, data_table, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// A number with `decimals` places and the language's decimal mark.
pub fn number(language: Language, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match language {
        Language::En => text,
        _ => text.replace('.', ","),
    }
}

/// The problems with numbers in their values (`max`, `sum`) written with
/// the language's decimal mark.
fn localized(language: Language, invalid: Option<&Invalid>) -> Option<Invalid> {
    invalid.map(|invalid| {
        let mut copy = invalid.clone();
        if language != Language::En {
            for error in &mut copy.0 {
                for (name, value) in &mut error.args {
                    if matches!(*name, "max" | "sum") {
                        *value = value.replace('.', ",");
                    }
                }
            }
        }
        copy
    })
}

/// Points with the language's decimal mark (`6,1`).
fn points(language: Language, value: f64) -> String {
    let text = format_points(value);
    if language == Language::En { text } else { text.replace('.', ",") }
}

fn percent(language: Language, share: f64) -> String {
    format!("{} %", number(language, share * 100.0, 0))
}

/// The score as shown in tables: "62 ± 5", "too few answers" or "no answers".
fn resident_cell(language: Language, score: &ResidentScore) -> String {
    match (score.score, score.margin_of_error) {
        (Some(value), Some(margin)) => format!("{} ± {}", number(language, value, 0), number(language, margin, 0)),
        (Some(value), None) => number(language, value, 0),
        _ if score.respondents == 0 => t(language, "compass-no-answers"),
        _ => t(language, "compass-too-few"),
    }
}

/// Point on the radar for area `index` of `count` at `value` (0–100).
fn radar_point(index: usize, count: usize, value: f64) -> (f64, f64) {
    const CENTRE: f64 = 200.0;
    const RADIUS: f64 = 140.0;
    let angle = -std::f64::consts::FRAC_PI_2 + index as f64 * std::f64::consts::TAU / count.max(1) as f64;
    let r = RADIUS * value.clamp(0.0, 100.0) / 100.0;
    (CENTRE + r * angle.cos(), CENTRE + r * angle.sin())
}

fn points_attribute(points: &[(f64, f64)]) -> String {
    points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

/// An accessible radar chart: official assessment (solid line, circles) and
/// resident view (dashed line, squares), with title, description and legend.
pub fn radar_chart(
    language: Language,
    framework: &Framework,
    official: Option<&Totals>,
    resident: &[ResidentScore],
) -> Markup {
    let count = framework.areas.len();
    let official_values: Vec<Option<f64>> =
        framework.areas.iter().map(|a| official.and_then(|o| o.area_percent(a.number))).collect();
    let resident_values: Vec<Option<f64>> =
        framework.areas.iter().map(|a| resident.iter().find(|r| r.area == a.number).and_then(|r| r.score)).collect();
    let describe = |values: &[Option<f64>]| -> String {
        framework
            .areas
            .iter()
            .zip(values)
            .map(|(area, value)| {
                let shown = value.map_or_else(|| t(language, "compass-no-value"), |v| number(language, v, 0));
                format!("{} {}: {}", area.number, area.name_in(language), shown)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let description = t_with(
        language,
        "compass-radar-desc",
        &[("official", describe(&official_values)), ("resident", describe(&resident_values))],
    );
    let official_points: Vec<(f64, f64)> =
        official_values.iter().enumerate().map(|(i, v)| radar_point(i, count, v.unwrap_or(0.0))).collect();
    let resident_segments: Vec<((f64, f64), (f64, f64))> = (0..count)
        .filter_map(|i| {
            let next = (i + 1) % count;
            let a = resident_values[i]?;
            let b = resident_values[next]?;
            (count > 1).then(|| (radar_point(i, count, a), radar_point(next, count, b)))
        })
        .collect();
    html! {
        figure class="compass-radar" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img"
                aria-labelledby="radar-title radar-desc" {
                title id="radar-title" { (t(language, "compass-radar-title")) }
                desc id="radar-desc" { (description) }
                g fill="none" stroke="#767676" stroke-width="1" {
                    @for ring in [25.0, 50.0, 75.0, 100.0] {
                        polygon points=(points_attribute(&(0..count).map(|i| radar_point(i, count, ring)).collect::<Vec<_>>())) {}
                    }
                    @for i in 0..count {
                        @let (x, y) = radar_point(i, count, 100.0);
                        line x1="200" y1="200" x2=(format!("{x:.1}")) y2=(format!("{y:.1}")) {}
                    }
                }
                g font-size="14" fill="#1a1a1a" text-anchor="middle" {
                    @for (i, area) in framework.areas.iter().enumerate() {
                        @let (x, y) = radar_point(i, count, 114.0);
                        text x=(format!("{x:.1}")) y=(format!("{:.1}", y + 5.0)) { (area.number) }
                    }
                }
                @if official.is_some() {
                    polygon points=(points_attribute(&official_points)) fill="#0062ba" fill-opacity="0.12"
                        stroke="#0062ba" stroke-width="3" {}
                    @for (x, y) in &official_points {
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="5" fill="#0062ba" {}
                    }
                }
                @for ((x1, y1), (x2, y2)) in &resident_segments {
                    line x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}"))
                        stroke="#b5330f" stroke-width="3" stroke-dasharray="8 5" {}
                }
                @for (i, value) in resident_values.iter().enumerate() {
                    @if let Some(value) = value {
                        @let (x, y) = radar_point(i, count, *value);
                        rect x=(format!("{:.1}", x - 5.0)) y=(format!("{:.1}", y - 5.0)) width="10" height="10" fill="#b5330f" {}
                    }
                }
            }
            figcaption {
                ul class="compass-legend" {
                    li {
                        svg width="40" height="14" aria-hidden="true" focusable="false" {
                            line x1="0" y1="7" x2="40" y2="7" stroke="#0062ba" stroke-width="3" {}
                            circle cx="20" cy="7" r="5" fill="#0062ba" {}
                        }
                        " " (t(language, "compass-legend-official"))
                    }
                    li {
                        svg width="40" height="14" aria-hidden="true" focusable="false" {
                            line x1="0" y1="7" x2="40" y2="7" stroke="#b5330f" stroke-width="3" stroke-dasharray="8 5" {}
                            rect x="15" y="2" width="10" height="10" fill="#b5330f" {}
                        }
                        " " (t(language, "compass-legend-resident"))
                    }
                }
            }
        }
    }
}

fn kind_label(language: Language, kind: AssessmentKind) -> String {
    t(language, &format!("compass-kind-{}", kind.code()))
}

fn ladder_label(language: Language, step: Option<LadderStep>) -> String {
    match step {
        Some(step) => t(language, &format!("compass-ladder-{}", step.code())),
        None => t(language, "compass-ladder-none"),
    }
}

/// Whether the resident view is weighted, when there are answers at all.
fn weighting_note(language: Language, resident: &[ResidentScore]) -> Markup {
    let answered: Vec<&ResidentScore> = resident.iter().filter(|r| r.respondents > 0).collect();
    html! {
        @if !answered.is_empty() {
            @let key = if answered.iter().all(|r| r.weighted) { "compass-weighted" } else { "compass-unweighted" };
            p class="ds-paragraph" id="compass-weighting" { (t(language, key)) }
        }
    }
}

/// The table of areas: official points and resident score side by side.
fn areas_table(language: Language, overview: &Overview) -> Markup {
    let latest = overview.assessments.first();
    html! {
        (data_table("compass-areas-caption", Some("compass-areas"), html! { (t(language, "compass-areas-caption")) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "compass-area")) }
                    th scope="col" class="numeric" { (t(language, "compass-official")) }
                    th scope="col" class="numeric" { (t(language, "compass-official-percent")) }
                    th scope="col" class="numeric" { (t(language, "compass-resident")) }
                    th scope="col" class="numeric" { (t(language, "compass-respondents")) }
                    th scope="col" class="numeric" { (t(language, "compass-effective-n")) }
                } }
                tbody {
                    @for area in &overview.framework.areas {
                        @let resident = overview.resident.iter().find(|r| r.area == area.number);
                        tr {
                            th scope="row" { (area.number) ". " (area.name_in(language)) }
                            td class="numeric" {
                                @match latest.and_then(|a| a.totals.area(area.number)) {
                                    Some(value) => { (points(language, value)) " / " (points(language, area.max_points)) }
                                    None => { "–" }
                                }
                            }
                            td class="numeric" {
                                @match latest.and_then(|a| a.totals.area_percent(area.number)) {
                                    Some(value) => { (number(language, value, 0)) }
                                    None => { "–" }
                                }
                            }
                            td class="numeric" { (resident.map_or_else(|| t(language, "compass-no-answers"), |r| resident_cell(language, r))) }
                            td class="numeric" { (resident.map_or(0, |r| r.respondents)) }
                            td class="numeric" {
                                @match resident.filter(|r| r.respondents > 0) {
                                    Some(r) => { (number(language, r.effective_n, 0)) }
                                    None => { "–" }
                                }
                            }
                        }
                    }
                }
                @if let Some(latest) = latest {
                    tfoot { tr {
                        th scope="row" { (t(language, "total")) }
                        td class="numeric" { (points(language, latest.totals.overall)) " / " (points(language, latest.totals.overall_max)) }
                        td class="numeric" { (number(language, latest.totals.overall / latest.totals.overall_max.max(1.0) * 100.0, 0)) }
                        td {} td {} td {}
                    } }
                }
        }))
    }
}

/// The change from `previous` to `latest` with its sign (`+5,5`, `−2`, `0`).
fn change(language: Language, latest: Option<f64>, previous: Option<f64>) -> String {
    match (latest, previous) {
        (Some(latest), Some(previous)) => {
            let difference = latest - previous;
            let text = points(language, difference.abs());
            if difference > 0.005 {
                format!("+{text}")
            } else if difference < -0.005 {
                format!("−{text}")
            } else {
                "0".to_owned()
            }
        }
        _ => "–".to_owned(),
    }
}

/// Assessment history: one column per assessment, oldest first, and the
/// change between the latest two.
fn history_table(language: Language, framework: &Framework, assessments: &[StoredAssessment]) -> Markup {
    if assessments.is_empty() {
        return html! { p class="ds-paragraph" { (t(language, "compass-no-assessments")) } };
    }
    let oldest_first: Vec<&StoredAssessment> = assessments.iter().rev().collect();
    let previous = assessments.get(1);
    html! {
        (data_table("compass-history-caption", Some("compass-history"), html! { (t(language, "compass-history-caption")) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "compass-area")) }
                    @for assessment in &oldest_first {
                        th scope="col" class="numeric" { (assessment.assessed_on) br; span class="muted" { (kind_label(language, assessment.kind)) } }
                    }
                    @if previous.is_some() {
                        th scope="col" class="numeric" { (t(language, "compass-change")) }
                    }
                } }
                tbody {
                    @for area in &framework.areas {
                        tr {
                            th scope="row" { (area.number) ". " (area.name_in(language)) }
                            @for assessment in &oldest_first {
                                td class="numeric" { (assessment.totals.area(area.number).map_or_else(|| "–".to_owned(), |v| points(language, v))) }
                            }
                            @if let Some(previous) = previous {
                                td class="numeric" {
                                    (change(language, assessments[0].totals.area(area.number), previous.totals.area(area.number)))
                                }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (t(language, "total")) }
                    @for assessment in &oldest_first {
                        td class="numeric" { (points(language, assessment.totals.overall)) }
                    }
                    @if let Some(previous) = previous {
                        td class="numeric" { (change(language, Some(assessments[0].totals.overall), Some(previous.totals.overall))) }
                    }
                } }
        }))
    }
}

/// A small line chart of the overall total (% of maximum) per assessment,
/// oldest first; the history table beside it holds the same numbers.
fn trend_chart(language: Language, assessments: &[StoredAssessment]) -> Markup {
    if assessments.len() < 2 {
        return html! {};
    }
    let oldest_first: Vec<&StoredAssessment> = assessments.iter().rev().collect();
    let share = |a: &StoredAssessment| a.totals.overall / a.totals.overall_max.max(1.0) * 100.0;
    let step = 300.0 / (oldest_first.len() - 1) as f64;
    let points: Vec<(f64, f64)> =
        oldest_first.iter().enumerate().map(|(i, a)| (50.0 + i as f64 * step, 170.0 - share(a) * 1.5)).collect();
    let description = oldest_first
        .iter()
        .map(|a| format!("{}: {} %", a.assessed_on, number(language, share(a), 0)))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        figure class="compass-trend" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200" role="img"
                aria-labelledby="trend-title trend-desc" {
                title id="trend-title" { (t(language, "compass-trend-title")) }
                desc id="trend-desc" { (description) }
                g stroke="#767676" stroke-width="1" {
                    line x1="50" y1="170" x2="350" y2="170" {}
                    line x1="50" y1="20" x2="50" y2="170" {}
                }
                g font-size="12" fill="#1a1a1a" {
                    text x="44" y="174" text-anchor="end" { "0" }
                    text x="44" y="99" text-anchor="end" { "50" }
                    text x="44" y="24" text-anchor="end" { "100" }
                    @for ((x, _), assessment) in points.iter().zip(&oldest_first) {
                        text x=(format!("{x:.1}")) y="188" text-anchor="middle" { (assessment.assessed_on.get(..4).unwrap_or_default()) }
                    }
                }
                polyline points=(points_attribute(&points)) fill="none" stroke="#0062ba" stroke-width="3" {}
                @for (x, y) in &points {
                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="5" fill="#0062ba" {}
                }
            }
        }
    }
}

/// The dialogue indicators per year.
pub fn indicators_table(language: Language, indicators: &[YearIndicators]) -> Markup {
    if indicators.is_empty() {
        return html! { p class="ds-paragraph" { (t(language, "compass-no-indicators")) } };
    }
    let optional_percent = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| percent(language, v));
    html! {
        (data_table("compass-indicators-caption", Some("compass-indicators"), html! { (t(language, "compass-indicators-caption")) }, html! {
                thead { tr {
                    th scope="col" { (t(language, "compass-year")) }
                    th scope="col" class="numeric" { (t(language, "compass-surveys-opened")) }
                    th scope="col" class="numeric" { (t(language, "compass-response-rate")) }
                    th scope="col" class="numeric" { (t(language, "compass-dissimilarity")) }
                    th scope="col" class="numeric" { (t(language, "compass-share-feedback")) }
                    th scope="col" class="numeric" { (t(language, "compass-median-days")) }
                    th scope="col" { (t(language, "compass-ladder")) }
                } }
                tbody {
                    @for year in indicators {
                        tr {
                            th scope="row" { (year.year) }
                            td class="numeric" { (year.surveys_opened) }
                            td class="numeric" { (optional_percent(year.response_rate)) }
                            td class="numeric" { (year.dissimilarity.map_or_else(|| "–".to_owned(), |v| number(language, v, 2))) }
                            td class="numeric" {
                                (optional_percent(year.share_with_feedback))
                                @if year.surveys_closed > 0 { " (" (year.surveys_closed) ")" }
                            }
                            td class="numeric" { (year.median_days_to_feedback.map_or_else(|| "–".to_owned(), |v| number(language, v, 0))) }
                            td {
                                @for (index, (step, count)) in year.ladder.iter().enumerate() {
                                    @if index > 0 { ", " }
                                    (ladder_label(language, *step)) ": " (count)
                                }
                            }
                        }
                    }
                }
        }))
        p class="ds-paragraph" data-size="sm" { (t(language, "compass-indicators-explained")) }
    }
}

/// The public transparency page `/kompass`.
pub fn public_page(state: &AppState, context: &RequestContext, overview: &Overview) -> Markup {
    let language = context.language;
    let title = t(language, "compass-title");
    let latest = overview.assessments.first();
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, "compass-intro")) }
        p class="ds-paragraph" { (t_with(language, "compass-framework-used", &[("framework", overview.framework.name_in(language).to_owned())])) }
        section aria-labelledby="compass-areas-heading" {
            h2 class="ds-heading" data-size="md" id="compass-areas-heading" { (t(language, "compass-areas-heading")) }
            @match latest {
                Some(latest) => p class="ds-paragraph" {
                    (t_with(language, "compass-latest", &[
                        ("date", latest.assessed_on.clone()),
                        ("assessor", latest.assessor.clone()),
                        ("kind", kind_label(language, latest.kind)),
                    ]))
                },
                None => p class="ds-paragraph" { (t(language, "compass-no-assessments")) },
            }
            p class="ds-paragraph" { (t(language, "compass-resident-explained")) }
            (weighting_note(language, &overview.resident))
            div class="compass-side-by-side" {
                (radar_chart(language, &overview.framework, latest.map(|a| &a.totals), &overview.resident))
                (areas_table(language, overview))
            }
            @if let Some(latest) = latest {
                (public_sub_questions(language, &overview.framework, latest, overview.assessments.get(1)))
            }
        }
        section aria-labelledby="compass-history-heading" {
            h2 class="ds-heading" data-size="md" id="compass-history-heading" { (t(language, "compass-history-heading")) }
            (history_table(language, &overview.framework, &overview.assessments))
            (trend_chart(language, &overview.assessments))
        }
        section aria-labelledby="compass-indicators-heading" {
            h2 class="ds-heading" data-size="md" id="compass-indicators-heading" { (t(language, "compass-indicators-heading")) }
            p class="ds-paragraph" { (t(language, "compass-indicators-intro")) }
            (indicators_table(language, &overview.indicators))
        }
        section aria-labelledby="compass-sources-heading" {
            h2 class="ds-heading" data-size="md" id="compass-sources-heading" { (t(language, "compass-sources-heading")) }
            @let fed: Vec<&ResidentScore> = overview.resident.iter().filter(|r| !r.surveys.is_empty()).collect();
            @if fed.is_empty() {
                p class="ds-paragraph" { (t(language, "compass-no-sources")) }
            }
            @for score in fed {
                @if let Some(area) = overview.framework.area(score.area) {
                    h3 class="ds-heading" data-size="sm" { (area.number) ". " (area.name_in(language)) }
                    ul class="ds-list" {
                        @for survey in &score.surveys {
                            li {
                                @let name = survey.title.get(language, Language::Nb);
                                @if survey.published {
                                    a class="ds-link" href={ "/results/" (survey.id) } { (name) }
                                } @else {
                                    (name)
                                }
                                " (" (t_with(language, "compass-answers-count", &[("count", survey.answers.to_string())])) ")"
                            }
                        }
                    }
                }
            }
        }
    };
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}

/// What the staff compass page shows.
pub struct StaffView<'a> {
    /// Framework, assessments, resident view, indicators.
    pub overview: &'a Overview,
    /// Evidence of the last 12 months per area.
    pub evidence: &'a [ResidentScore],
    /// Imported frameworks.
    pub imported: &'a [compass_framework::Model],
    /// Problems with an uploaded framework file.
    pub import_errors: Option<&'a Invalid>,
    /// A success message id.
    pub notice: Option<&'static str>,
}

/// How thin the evidence for an area is, in words.
fn evidence_note(language: Language, evidence: &ResidentScore, minimum: i64) -> String {
    match evidence.surveys.len() {
        0 => t(language, "compass-evidence-none"),
        surveys if surveys == 1 || evidence.respondents < minimum => t_with(
            language,
            "compass-evidence-thin",
            &[("surveys", surveys.to_string()), ("answers", evidence.answers.to_string())],
        ),
        surveys => t_with(
            language,
            "compass-evidence-ok",
            &[("surveys", surveys.to_string()), ("answers", evidence.answers.to_string())],
        ),
    }
}

/// The staff page `/staff/compass`.
pub fn staff_page(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    view: &StaffView<'_>,
    minimum: i64,
) -> Markup {
    let language = context.language;
    let title = t(language, "compass-staff-title");
    let admin = user.role == crate::domain::Role::Admin;
    let framework = &view.overview.framework;
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        @if let Some(key) = view.notice {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, key)) } }))
        }
        p class="ds-paragraph" {
            (t_with(language, "compass-framework-used", &[("framework", framework.name_in(language).to_owned())])) " "
            a class="ds-link" href="/kompass" { (t(language, "compass-public-link")) }
        }
        section aria-labelledby="evidence-heading" {
            h2 class="ds-heading" data-size="md" id="evidence-heading" { (t(language, "compass-evidence-heading")) }
            table class="ds-table" data-border {
                caption { (t(language, "compass-evidence-caption")) }
                thead { tr {
                    th scope="col" { (t(language, "compass-area")) }
                    th scope="col" class="numeric" { (t(language, "compass-surveys")) }
                    th scope="col" class="numeric" { (t(language, "compass-answers")) }
                    th scope="col" class="numeric" { (t(language, "compass-respondents")) }
                    th scope="col" { (t(language, "compass-evidence-assessment")) }
                } }
                tbody {
                    @for area in &framework.areas {
                        @if let Some(evidence) = view.evidence.iter().find(|e| e.area == area.number) {
                            tr {
                                th scope="row" { (area.number) ". " (area.name_in(language)) }
                                td class="numeric" { (evidence.surveys.len()) }
                                td class="numeric" { (evidence.answers) }
                                td class="numeric" { (evidence.respondents) }
                                td { (evidence_note(language, evidence, minimum)) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="assessments-heading" {
            h2 class="ds-heading" data-size="md" id="assessments-heading" { (t(language, "compass-assessments-heading")) }
            @if admin {
                p class="ds-paragraph" { a class="ds-link" href="/staff/compass/assessments/new" { (t(language, "compass-new-assessment")) } }
            }
            @if view.overview.assessments.is_empty() {
                p class="ds-paragraph" { (t(language, "compass-no-assessments")) }
            } @else {
                table class="ds-table" data-border id="assessments" {
                    caption { (t(language, "compass-assessments-caption")) }
                    thead { tr {
                        th scope="col" { (t(language, "compass-date")) }
                        th scope="col" { (t(language, "compass-assessor")) }
                        th scope="col" { (t(language, "compass-kind")) }
                        th scope="col" class="numeric" { (t(language, "total")) }
                    } }
                    tbody {
                        @for assessment in &view.overview.assessments {
                            tr {
                                th scope="row" {
                                    a class="ds-link" href={ "/staff/compass/assessments/" (assessment.id) } { (assessment.assessed_on) }
                                }
                                td { (assessment.assessor) }
                                td { (kind_label(language, assessment.kind)) }
                                td class="numeric" { (points(language, assessment.totals.overall)) " / " (points(language, assessment.totals.overall_max)) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="indicators-heading" {
            h2 class="ds-heading" data-size="md" id="indicators-heading" { (t(language, "compass-indicators-heading")) }
            (indicators_table(language, &view.overview.indicators))
        }
        section aria-labelledby="frameworks-heading" {
            h2 class="ds-heading" data-size="md" id="frameworks-heading" { (t(language, "compass-frameworks-heading")) }
            @if view.imported.is_empty() {
                p class="ds-paragraph" { (t(language, "compass-no-imported")) }
            } @else {
                ul class="ds-list" id="imported-frameworks" {
                    @for row in view.imported {
                        li { code { (row.key) } " " (row.version) }
                    }
                }
            }
            @if admin {
                p class="ds-paragraph" { a class="ds-link" href="/staff/settings" { (t(language, "compass-choose-framework")) } }
                (import_form(context, view.import_errors))
            }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

fn import_form(context: &RequestContext, errors: Option<&Invalid>) -> Markup {
    let language = context.language;
    let localized_errors = localized(language, errors);
    let errors = localized_errors.as_ref();
    let messages: Vec<String> = errors
        .iter()
        .flat_map(|e| &e.0)
        .map(|error| {
            t_with(
                language,
                "compass-error-at-path",
                &[("path", error.field.clone()), ("problem", field_error(language, error))],
            )
        })
        .collect();
    let id = field_id("framework_file");
    html! {
        @if !messages.is_empty() {
            (crate::views::components::error_summary_items(language, &messages.iter().map(|m| (id.clone(), m.clone())).collect::<Vec<_>>()))
        }
        form method="post" action={ "/staff/compass/frameworks?csrf=" (context.csrf_token) } enctype="multipart/form-data" class="stack" {
            div class="ds-field" {
                label class="ds-label" for=(id) { (t(language, "compass-import-file")) }
                p class="ds-paragraph field-hint" data-size="sm" id="framework-file-hint" { (t(language, "compass-import-hint")) }
                @for (index, message) in messages.iter().enumerate() {
                    p class="ds-validation-message" data-color="danger" id={ "framework-file-error-" (index) } { (message) }
                }
                input class="ds-input" type="file" name="framework_file" id=(id) accept=".json,application/json" required
                    aria-invalid=[(!messages.is_empty()).then_some("true")]
                    aria-describedby=(std::iter::once("framework-file-hint".to_owned()).chain((0..messages.len()).map(|i| format!("framework-file-error-{i}"))).collect::<Vec<_>>().join(" "));
            }
            button class="ds-button" data-variant="secondary" type="submit" { (t(language, "compass-import-button")) }
        }
    }
}

/// The form to record an assessment.
pub fn assessment_form(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    framework: &Framework,
    input: &AssessmentInput,
    errors: Option<&Invalid>,
    editing: Option<&StoredAssessment>,
) -> Markup {
    let language = context.language;
    let title = match editing {
        Some(assessment) => t_with(language, "compass-edit-title", &[("date", assessment.assessed_on.clone())]),
        None => t(language, "compass-new-assessment"),
    };
    let action = match editing {
        Some(assessment) => format!("/staff/compass/assessments/{}/edit", assessment.id),
        None => "/staff/compass/assessments/new".to_owned(),
    };
    let save = if editing.is_some() { "compass-save-correction" } else { "compass-save-assessment" };
    let localized_errors = localized(language, errors);
    let errors = localized_errors.as_ref();
    let kind_error = errors.and_then(|e| e.for_field("kind"));
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t_with(language, "compass-framework-used", &[("framework", framework.name_in(language).to_owned())])) }
        @if editing.is_some() {
            p class="ds-paragraph" { (t(language, "compass-edit-intro")) }
        }
        p class="ds-paragraph" { (t(language, "compass-form-intro")) }
        (error_summary(language, errors))
        form method="post" action=(action) class="stack" {
            (csrf_field(context))
            (TextField { name: "assessed_on", label: t(language, "compass-date"), value: &input.assessed_on, input_type: "date",
                autocomplete: "off", hint: Some(t(language, "compass-date-hint")), required: true }.render(language, errors))
            (TextField { name: "assessor", label: t(language, "compass-assessor"), value: &input.assessor, input_type: "text",
                autocomplete: "off", hint: None, required: true }.render(language, errors))
            fieldset class="ds-fieldset" aria-describedby=[kind_error.map(|_| "kind-error")] {
                legend class="ds-label" { (t(language, "compass-kind")) }
                @if let Some(error) = kind_error {
                    p class="ds-validation-message" data-color="danger" id="kind-error" { (field_error(language, error)) }
                }
                @for (index, kind) in [AssessmentKind::External, AssessmentKind::SelfAssessment].into_iter().enumerate() {
                    @let id = if index == 0 { field_id("kind") } else { format!("kind-{}", kind.code()) };
                    div class="ds-field" {
                        input class="ds-input" type="radio" name="kind" value=(kind.code()) id=(id)
                            checked[input.kind == kind.code()] aria-invalid=[kind_error.map(|_| "true")];
                        label class="ds-label" for=(id) { (kind_label(language, kind)) }
                    }
                }
            }
            @for area in &framework.areas {
                fieldset class="ds-fieldset card-section" {
                    legend class="ds-heading" data-size="sm" {
                        (area.number) ". " (area.name_in(language)) " (" (t_with(language, "compass-max", &[("max", points(language, area.max_points))])) ")"
                    }
                    @for sub in &area.sub_questions {
                        @let key = sub.key(area);
                        @let points_name = AssessmentInput::points_field(&key);
                        @let comment_name = AssessmentInput::comment_field(&key);
                        (TextField {
                            name: &points_name,
                            label: format!("{key} {}", sub.text.get(language, Language::En)),
                            value: input.points.get(&key).map_or("", String::as_str),
                            input_type: "text",
                            autocomplete: "off",
                            hint: Some(t_with(language, "compass-points-hint", &[("max", points(language, sub.max_points))])),
                            required: true,
                        }.render(language, errors))
                        (TextField {
                            name: &comment_name,
                            label: t_with(language, "compass-comment-label", &[("question", key.clone())]),
                            value: input.comments.get(&key).map_or("", String::as_str),
                            input_type: "text",
                            autocomplete: "off",
                            hint: None,
                            required: false,
                        }.render(language, errors))
                    }
                }
            }
            button class="ds-button" data-variant="primary" type="submit" { (t(language, save)) }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// Points of a sub-question or area as `6,1 / 22,5`, or `–` when absent.
fn points_of(language: Language, value: Option<f64>, max: f64) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{} / {}", points(language, v), points(language, max)))
}

/// One area's sub-questions in an assessment: points of the maximum, the
/// change since `previous` (a column only when there is one), the comment,
/// and the area total. `id_prefix` keeps the caption ids unique on the page.
fn sub_question_table(
    language: Language,
    area: &FrameworkArea,
    assessment: &StoredAssessment,
    previous: Option<&StoredAssessment>,
    id_prefix: &str,
) -> Markup {
    let caption_id = format!("{id_prefix}-area-{}-caption", area.number);
    let sub_points = |a: &StoredAssessment, key: &str| a.scores.get(key).map(|s| s.points);
    html! {
        div class="table-scroll" tabindex="0" role="region" aria-labelledby=(caption_id) {
            table class="ds-table" data-border id={ (id_prefix) "-area-" (area.number) "-table" } {
                caption id=(caption_id) {
                    (t_with(language, "compass-sub-caption", &[("area", format!("{}. {}", area.number, area.name_in(language)))]))
                }
                thead { tr {
                    th scope="col" { (t(language, "compass-sub-question")) }
                    th scope="col" class="numeric" { (t(language, "compass-points")) }
                    @if let Some(previous) = previous {
                        th scope="col" class="numeric" {
                            (t_with(language, "compass-change-since", &[("date", previous.assessed_on.clone())]))
                        }
                    }
                    th scope="col" { (t(language, "compass-comment")) }
                } }
                tbody {
                    @for sub in &area.sub_questions {
                        @let key = sub.key(area);
                        @let score = assessment.scores.get(&key);
                        tr data-key=(key) {
                            th scope="row" { (key) " " (sub.text.get(language, Language::En)) }
                            td class="numeric compass-points" { (points_of(language, score.map(|s| s.points), sub.max_points)) }
                            @if let Some(previous) = previous {
                                td class="numeric" { (change(language, sub_points(assessment, &key), sub_points(previous, &key))) }
                            }
                            td {
                                @match score.and_then(|s| s.comment.as_deref()) {
                                    Some(comment) => { (comment) }
                                    None => { span class="muted" { (t(language, "compass-no-comment")) } }
                                }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (t(language, "compass-area-total")) }
                    td class="numeric compass-points" { (points_of(language, assessment.totals.area(area.number), area.max_points)) }
                    @if let Some(previous) = previous {
                        td class="numeric" {
                            (change(language, assessment.totals.area(area.number), previous.totals.area(area.number)))
                        }
                    }
                    td {}
                } }
            }
        }
    }
}

/// On `/kompass`: the latest assessment's points and comments per
/// sub-question, one `<details>` per area (no script needed).
fn public_sub_questions(
    language: Language,
    framework: &Framework,
    latest: &StoredAssessment,
    previous: Option<&StoredAssessment>,
) -> Markup {
    html! {
        h3 class="ds-heading" data-size="sm" id="compass-sub-heading" { (t(language, "compass-public-sub-heading")) }
        p class="ds-paragraph" { (t(language, "compass-public-sub-intro")) }
        @for area in &framework.areas {
            details class="compass-sub-details" id={ "compass-sub-" (area.number) } {
                summary {
                    (area.number) ". " (area.name_in(language)) ": "
                    (points_of(language, latest.totals.area(area.number), area.max_points))
                }
                (sub_question_table(language, area, latest, previous, "compass-sub"))
            }
        }
    }
}

/// The staff page of one assessment, `/staff/compass/assessments/{id}`.
pub fn assessment_page(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    detail: &AssessmentDetail,
    notice: Option<&'static str>,
) -> Markup {
    let language = context.language;
    let assessment = &detail.assessment;
    let previous = detail.previous.as_ref();
    let framework = &detail.framework;
    let title = t_with(language, "compass-assessment-title", &[("date", assessment.assessed_on.clone())]);
    let admin = user.role == crate::domain::Role::Admin;
    let totals = &assessment.totals;
    let content = html! {
        p class="ds-paragraph" { a class="ds-link" href="/staff/compass" { (t(language, "compass-back")) } }
        h1 class="ds-heading" data-size="lg" { (title) }
        @if let Some(key) = notice {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, key)) } }))
        }
        dl class="compass-facts" id="assessment-facts" {
            dt { (t(language, "compass-date")) } dd { (assessment.assessed_on) }
            dt { (t(language, "compass-kind")) } dd { (kind_label(language, assessment.kind)) }
            dt { (t(language, "compass-assessor")) } dd { (assessment.assessor) }
            dt { (t(language, "total")) } dd id="assessment-total" { (points_of(language, Some(totals.overall), totals.overall_max)) }
        }
        p class="ds-paragraph" {
            (t_with(language, "compass-framework-used", &[("framework", framework.name_in(language).to_owned())]))
        }
        p class="ds-paragraph" {
            @match previous {
                Some(previous) => {
                    (t_with(language, "compass-compared-with", &[
                        ("date", previous.assessed_on.clone()),
                        ("kind", kind_label(language, previous.kind)),
                    ]))
                }
                None => { (t(language, "compass-no-previous")) }
            }
        }
        @if admin {
            p class="ds-paragraph" {
                a class="ds-link" href={ "/staff/compass/assessments/" (assessment.id) "/edit" } { (t(language, "compass-edit-assessment")) }
            }
        }
        section aria-labelledby="assessment-areas-heading" {
            h2 class="ds-heading" data-size="md" id="assessment-areas-heading" { (t(language, "compass-areas-heading")) }
            (data_table("assessment-areas-caption", Some("assessment-areas"), html! { (t(language, "compass-assessment-areas-caption")) }, html! {
                    thead { tr {
                        th scope="col" { (t(language, "compass-area")) }
                        th scope="col" class="numeric" { (t(language, "compass-points")) }
                        th scope="col" class="numeric" { (t(language, "compass-official-percent")) }
                        @if let Some(previous) = previous {
                            th scope="col" class="numeric" {
                                (t_with(language, "compass-change-since", &[("date", previous.assessed_on.clone())]))
                            }
                        }
                    } }
                    tbody {
                        @for area in &framework.areas {
                            tr {
                                th scope="row" { a class="ds-link" href={ "#assessment-area-" (area.number) } { (area.number) ". " (area.name_in(language)) } }
                                td class="numeric compass-points" { (points_of(language, totals.area(area.number), area.max_points)) }
                                td class="numeric" { (totals.area_percent(area.number).map_or_else(|| "–".to_owned(), |v| number(language, v, 0))) }
                                @if let Some(previous) = previous {
                                    td class="numeric" { (change(language, totals.area(area.number), previous.totals.area(area.number))) }
                                }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" { (t(language, "total")) }
                        td class="numeric compass-points" { (points_of(language, Some(totals.overall), totals.overall_max)) }
                        td class="numeric" { (number(language, totals.overall / totals.overall_max.max(1.0) * 100.0, 0)) }
                        @if let Some(previous) = previous {
                            td class="numeric" { (change(language, Some(totals.overall), Some(previous.totals.overall))) }
                        }
                    } }
            }))
        }
        @for area in &framework.areas {
            section aria-labelledby={ "assessment-area-" (area.number) "-heading" } id={ "assessment-area-" (area.number) } {
                h2 class="ds-heading" data-size="sm" id={ "assessment-area-" (area.number) "-heading" } {
                    (area.number) ". " (area.name_in(language))
                }
                (sub_question_table(language, area, assessment, previous, "assessment"))
            }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}
