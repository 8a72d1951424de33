//! Results pages and charts: the staff results page, the public results and
//! feedback page, the moderation queue, the feedback form and the JSON-stat
//! margins upload.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::survey::{Question, QuestionKind, Text};
use crate::domain::validation::Invalid;
use crate::i18n::{field_error, t, t_with};
use crate::services::municipalities::District;
use crate::services::results::{
    Breakdown, Channel, Column, Feedback, MarginsImported, QuestionResult, QueuedText, RepresentationRow,
    SurveyResults, breakdown_questions,
};
use crate::services::staff::StaffUser;
use crate::services::surveys::{Survey, SurveyStatus};
use crate::views::charts::{self, Bar, StackedRow};
use crate::views::components::{alert, csrf_field, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// A number with the reader's decimal separator.
pub fn number(language: Language, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if language == Language::En { text } else { text.replace('.', ",") }
}

/// A share (0–1) as a whole percentage, e.g. "42 %".
pub fn percent(language: Language, share: f64) -> String {
    format!("{} %", number(language, share * 100.0, 0))
}

/// Margin of error in percentage points, e.g. "± 4,3".
fn plus_minus(language: Language, moe: f64) -> String {
    format!("± {}", number(language, moe * 100.0, 1))
}

/// Labels of the things results refer to by key.
pub struct Labels<'a> {
    /// Reader's language.
    pub language: Language,
    /// Language texts fall back to.
    pub fallback: Language,
    /// The survey.
    pub survey: &'a Survey,
    /// Districts of the municipality.
    pub districts: &'a [District],
}

impl<'a> Labels<'a> {
    /// Labels in the reader's language; texts missing in it fall back to the
    /// survey's first language (or the municipality's default).
    pub fn new(language: Language, survey: &'a Survey, default_language: Language, districts: &'a [District]) -> Self {
        let fallback = survey.definition.languages.first().copied().unwrap_or(default_language);
        Self { language, fallback, survey, districts }
    }

    fn text<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.language, self.fallback)
    }

    fn option(&self, question: &Question, key: &str) -> String {
        let options = match &question.kind {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options } => options,
            QuestionKind::Likert { scale } | QuestionKind::LikertMatrix { scale, .. } => scale,
            _ => return key.to_owned(),
        };
        match options.iter().find(|o| o.key == key) {
            Some(option) => self.text(&option.label).to_owned(),
            None if key == "other" => t(self.language, "results-other"),
            None => key.to_owned(),
        }
    }

    fn statement(&self, question: &Question, key: &str) -> String {
        match &question.kind {
            QuestionKind::LikertMatrix { statements, .. } => {
                statements.iter().find(|s| s.key == key).map_or(key.to_owned(), |s| self.text(&s.label).to_owned())
            }
            _ => key.to_owned(),
        }
    }

    /// The label of a breakdown group.
    pub fn group(&self, breakdown: &Breakdown, group: &Option<String>) -> String {
        let Some(code) = group else { return t(self.language, "results-group-unknown") };
        match breakdown {
            Breakdown::District => {
                self.districts.iter().find(|d| &d.code == code).map_or(code.clone(), |d| d.name.clone())
            }
            Breakdown::Gender => t(self.language, &format!("results-gender-{code}")),
            Breakdown::SourceGroup => t(self.language, &format!("results-source-{code}")),
            Breakdown::Channel => t(self.language, &format!("results-channel-{code}")),
            Breakdown::Question(key) => {
                self.survey.definition.question(key).map_or(code.clone(), |q| self.option(q, code))
            }
            Breakdown::AgeBand | Breakdown::None => code.replace('-', "–"),
        }
    }

    fn representation_group(&self, row: &RepresentationRow) -> String {
        let breakdown = match row.dimension {
            "district" => Breakdown::District,
            "gender" => Breakdown::Gender,
            "source_group" => Breakdown::SourceGroup,
            "channel" => Breakdown::Channel,
            _ => Breakdown::AgeBand,
        };
        self.group(&breakdown, &row.group)
    }
}

/// Query of the staff results page, echoed into links and the form.
pub struct StaffResultsQuery {
    /// Breakdown code.
    pub breakdown: String,
    /// Weighting margins code.
    pub weighting: String,
    /// Channel code (empty: all channels).
    pub channel: String,
}

fn staff_page(state: &AppState, context: &RequestContext, user: &StaffUser, title: String, content: Markup) -> Markup {
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

fn public_page(state: &AppState, context: &RequestContext, title: String, content: Markup) -> Markup {
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}

/// `GET /staff/surveys/{id}/results`.
pub fn staff_results(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    results: &SurveyResults,
    labels: &Labels<'_>,
    query: &StaffResultsQuery,
) -> Markup {
    let language = context.language;
    let survey = &results.survey;
    let title =
        t_with(language, "results-staff-title", &[("survey", labels.text(&survey.definition.title).to_owned())]);
    let export = format!(
        "/staff/surveys/{}/results/export?breakdown={}&weight={}&channel={}",
        survey.id,
        url::form_urlencoded::byte_serialize(query.breakdown.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(query.weighting.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(query.channel.as_bytes()).collect::<String>()
    );
    let weighting = &query.weighting;
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" {
            (t(language, &format!("results-status-{}", survey.status.code())))
        }
        ul class="ds-list results-links" {
            li { a class="ds-link" href=(export) { (t(language, "results-export-csv")) } }
            li { a class="ds-link" href={ "/staff/surveys/" (survey.id) "/moderation" } { (t(language, "moderation-title")) } }
            @if matches!(survey.status, SurveyStatus::Closed | SurveyStatus::Published) {
                li { a class="ds-link" href={ "/staff/surveys/" (survey.id) "/feedback" } { (t(language, "feedback-title")) } }
            }
            @if survey.status == SurveyStatus::Published {
                li { a class="ds-link" href={ "/results/" (survey.id) } { (t(language, "results-public-link")) } }
            }
        }
        form method="get" action={ "/staff/surveys/" (survey.id) "/results" } class="stack results-filter" {
            div class="ds-field" {
                label class="ds-label" for="field-breakdown" { (t(language, "results-breakdown-label")) }
                select class="ds-input" id="field-breakdown" name="breakdown" {
                    (choice("", &query.breakdown, &t(language, "results-breakdown-none")))
                    (choice("district", &query.breakdown, &t(language, "results-breakdown-district")))
                    (choice("age_band", &query.breakdown, &t(language, "results-breakdown-age-band")))
                    (choice("gender", &query.breakdown, &t(language, "results-breakdown-gender")))
                    (choice("source_group", &query.breakdown, &t(language, "results-breakdown-source-group")))
                    (choice("channel", &query.breakdown, &t(language, "results-breakdown-channel")))
                    @for (key, text) in breakdown_questions(survey) {
                        (choice(&format!("question:{key}"), &query.breakdown, labels.text(&text)))
                    }
                }
            }
            (channel_field(&query.channel, language))
            fieldset class="ds-fieldset" {
                legend class="ds-label" { (t(language, "results-weighting-legend")) }
                @for (code, key) in [("age_band", "results-breakdown-age-band"), ("gender", "results-breakdown-gender"), ("district", "results-breakdown-district")] {
                    div class="ds-field checkbox-field" {
                        input type="checkbox" class="ds-input" id={ "weight-" (code) } name="weight_margin" value=(code)
                            checked[weighting.split(',').any(|w| w == code)];
                        label class="ds-label" for={ "weight-" (code) } { (t(language, key)) }
                    }
                }
            }
            button class="ds-button" type="submit" { (t(language, "results-show")) }
        }
        (who_answered(results, labels))
        (weighting_summary(results, language))
        h2 class="ds-heading" data-size="md" { (t(language, "results-what-they-said")) }
        @if results.channel_hidden {
            p class="ds-paragraph" { (t_with(language, "results-channel-hidden", &[("threshold", results.threshold.to_string())])) }
        } @else {
            @for (question_result, (_, question)) in results.questions.iter().zip(survey.definition.questions()) {
                (question_section(results, question_result, question, labels, true))
            }
        }
    };
    staff_page(state, context, user, title, content)
}

fn choice(value: &str, current: &str, label: &str) -> Markup {
    html! { option value=(value) selected[value == current] { (label) } }
}

/// The channel selector of both results forms.
fn channel_field(current: &str, language: Language) -> Markup {
    html! {
        div class="ds-field" {
            label class="ds-label" for="field-channel" { (t(language, "results-channel-label")) }
            select class="ds-input" id="field-channel" name="channel" {
                (choice("", current, &t(language, "results-channel-all")))
                @for channel in Channel::ALL {
                    (choice(channel.code(), current, &t(language, &format!("results-channel-{}", channel.code()))))
                }
            }
        }
    }
}

fn who_answered(results: &SurveyResults, labels: &Labels<'_>) -> Markup {
    let language = labels.language;
    html! {
        section aria-labelledby="who-answered" class="card-section" {
            h2 class="ds-heading" data-size="md" id="who-answered" { (t(language, "results-who-answered")) }
            dl class="results-facts" {
                dt { (t(language, "results-responses")) }
                dd {
                    @if results.channel_hidden { (t(language, "results-suppressed-short")) } @else { (results.responses) }
                    @if let Some(channel) = results.channel {
                        " (" (t(language, &format!("results-channel-{}", channel.code()))) ")"
                    }
                }
                @if let Some(rate) = results.response_rate() {
                    dt { (t(language, "results-response-rate")) }
                    dd { (percent(language, rate)) " (" (results.completed_invitations) " / " (results.invitations) ")" }
                }
                dt { (t(language, "results-threshold")) }
                dd { (t_with(language, "results-threshold-text", &[("threshold", results.threshold.to_string())])) }
            }
            (representation_table(results, labels))
        }
    }
}

fn representation_table(results: &SurveyResults, labels: &Labels<'_>) -> Markup {
    let language = labels.language;
    html! {
        div class="table-scroll" tabindex="0" role="region" aria-label=(t(language, "results-representation-caption")) { table class="ds-table results-table" data-size="sm" {
            caption { (t(language, "results-representation-caption")) }
            thead { tr {
                th scope="col" { (t(language, "results-group")) }
                th scope="col" class="numeric" { (t(language, "results-respondents")) }
                th scope="col" class="numeric" { (t(language, "results-share-respondents")) }
                th scope="col" class="numeric" { (t(language, "results-share-population")) }
            } }
            tbody {
                @for dimension in ["district", "age_band", "gender", "source_group", "channel"] {
                    tr { th scope="rowgroup" colspan="4" { (t(language, &format!("results-dimension-{}", dimension.replace('_', "-")))) } }
                    @for row in results.representation.iter().filter(|r| r.dimension == dimension) {
                        tr {
                            th scope="row" { (labels.representation_group(row)) }
                            td class="numeric" { (row.respondents.map_or_else(|| t(language, "results-suppressed-short"), |n| n.to_string())) }
                            td class="numeric" { (row.share.map_or_else(|| t(language, "results-suppressed-short"), |s| percent(language, s))) }
                            td class="numeric" { (row.population_share.map_or_else(|| "–".to_owned(), |s| percent(language, s))) }
                        }
                    }
                }
            }
        } }
        p class="ds-paragraph" data-size="sm" { (t_with(language, "results-suppressed-explained", &[("threshold", results.threshold.to_string())])) }
    }
}

fn weighting_summary(results: &SurveyResults, language: Language) -> Markup {
    html! {
        section aria-labelledby="weighting" class="card-section" {
            h2 class="ds-heading" data-size="md" id="weighting" { (t(language, "results-weighting-heading")) }
            @if results.open_unweighted {
                p class="ds-paragraph results-open-unweighted" {
                    @match results.open_responses() {
                        Some(count) => (t_with(language, "results-open-unweighted", &[("count", count.to_string())])),
                        None => (t(language, "results-open-unweighted-hidden")),
                    }
                }
            }
            @match &results.weighting {
                None if results.open_unweighted => {},
                None => p class="ds-paragraph" { (t(language, "results-unweighted-only")) },
                Some(w) => {
                    p class="ds-paragraph" { (t(language, "results-weighting-explained")) }
                    dl class="results-facts" {
                        dt { (t(language, "results-weighting-margins")) }
                        dd { (w.choice.code().split(',').map(|c| t(language, &format!("results-breakdown-{}", c.replace('_', "-")))).collect::<Vec<_>>().join(", ")) }
                        dt { (t(language, "results-iterations")) }
                        dd {
                            (t_with(language, "results-iterations-cap", &[("iterations", w.iterations.to_string()), ("max", w.max_iterations.to_string())]))
                            " – " (t(language, if w.converged { "results-converged" } else { "results-not-converged" }))
                        }
                        dt { (t(language, "results-max-deviation")) }
                        dd { (t_with(language, "results-deviation-text", &[("deviation", number(language, w.max_deviation * 100.0, 4)), ("tolerance", number(language, w.tolerance * 100.0, 4))])) }
                        dt { (t(language, "results-design-effect")) }
                        dd { (number(language, w.design_effect, 2)) }
                        dt { (t(language, "results-effective-n")) }
                        dd { (number(language, w.effective_n, 0)) }
                        dt { (t(language, "results-weight-range")) }
                        dd { (number(language, w.weight_range.0, 2)) " – " (number(language, w.weight_range.1, 2)) " (" (t_with(language, "results-trimmed", &[("count", w.trimmed_cells.to_string())])) ")" }
                    }
                }
            }
        }
    }
}

fn question_section(
    results: &SurveyResults,
    result: &QuestionResult,
    question: &Question,
    labels: &Labels<'_>,
    with_breakdown: bool,
) -> Markup {
    let language = labels.language;
    let heading_id = format!("q-{}", result.key);
    let is_text = matches!(question.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. });
    html! {
        section aria-labelledby=(heading_id) class="card-section results-question" {
            h3 class="ds-heading" data-size="sm" id=(heading_id) { (labels.text(&question.text)) }
            @if is_text {
                p class="ds-paragraph" { (t_with(language, "results-text-answers", &[("count", result.respondents.to_string())])) }
            } @else {
                @for item in &result.items {
                    @if let Some(statement) = &item.item {
                        h4 class="ds-heading" data-size="xs" { (labels.statement(question, statement)) }
                    }
                    @let all = &item.columns[0];
                    @if all.hidden {
                        p class="ds-paragraph" { (t_with(language, "results-too-few", &[("threshold", results.threshold.to_string())])) }
                    } @else {
                        (column_chart(result, item.item.as_deref(), all, question, labels))
                        (column_table(all, question, labels, results.weighting.is_some()))
                        @if with_breakdown && !results.groups.is_empty() {
                            (breakdown_table(results, &item.columns, question, labels))
                        }
                    }
                }
                @if matches!(question.kind, QuestionKind::LikertMatrix { .. }) && result.items.iter().any(|i| !i.columns[0].hidden) {
                    (matrix_chart(result, question, labels))
                }
            }
            @if !result.texts.is_empty() {
                h4 class="ds-heading" data-size="xs" { (t(language, "results-texts-heading")) }
                ul class="ds-list results-texts" {
                    @for text in &result.texts {
                        li {
                            (text.text)
                            @if text.redacted { " " em { "(" (t(language, "results-redacted")) ")" } }
                        }
                    }
                }
            }
        }
    }
}

fn column_chart(
    result: &QuestionResult,
    item: Option<&str>,
    column: &Column,
    question: &Question,
    labels: &Labels<'_>,
) -> Markup {
    let language = labels.language;
    let id = format!("chart-{}{}", result.key, item.map(|i| format!("-{i}")).unwrap_or_default());
    let title = labels.text(&question.text).to_owned();
    let description = t_with(language, "results-chart-desc", &[("n", column.n.to_string())]);
    match &question.kind {
        QuestionKind::Ranking { .. } | QuestionKind::Number { .. } | QuestionKind::LikertMatrix { .. } => html! {},
        kind if kind.is_scale() && !matches!(kind, QuestionKind::Rating { .. }) => {
            let row = StackedRow {
                label: t(language, "results-all"),
                segments: column.options.iter().map(|o| o.weighted_share.unwrap_or(o.share)).collect(),
            };
            let legend: Vec<String> = column.options.iter().map(|o| labels.option(question, &o.key)).collect();
            charts::stacked_chart(&id, &title, &description, &[row], &legend)
        }
        _ => {
            let bars: Vec<Bar> = column
                .options
                .iter()
                .map(|o| {
                    let share = o.weighted_share.unwrap_or(o.share);
                    Bar { label: labels.option(question, &o.key), value: share, text: percent(language, share) }
                })
                .collect();
            charts::bar_chart(&id, &title, &description, &bars)
        }
    }
}

fn matrix_chart(result: &QuestionResult, question: &Question, labels: &Labels<'_>) -> Markup {
    let language = labels.language;
    let QuestionKind::LikertMatrix { scale, .. } = &question.kind else { return html! {} };
    let rows: Vec<StackedRow> = result
        .items
        .iter()
        .filter(|i| !i.columns[0].hidden)
        .map(|item| StackedRow {
            label: item.item.as_deref().map(|s| labels.statement(question, s)).unwrap_or_default(),
            segments: item.columns[0].options.iter().map(|o| o.weighted_share.unwrap_or(o.share)).collect(),
        })
        .collect();
    let legend: Vec<String> = scale.iter().map(|s| labels.text(&s.label).to_owned()).collect();
    let description = t(language, "results-matrix-desc");
    charts::stacked_chart(&format!("chart-{}", result.key), labels.text(&question.text), &description, &rows, &legend)
}

fn column_table(column: &Column, question: &Question, labels: &Labels<'_>, weighted: bool) -> Markup {
    let language = labels.language;
    let is_ranking = matches!(question.kind, QuestionKind::Ranking { .. });
    let is_number = matches!(question.kind, QuestionKind::Number { .. });
    let suppressed = t(language, "results-suppressed-short");
    html! {
        @if !is_number {
            div class="table-scroll" tabindex="0" role="region" aria-label=(labels.text(&question.text)) { table class="ds-table results-table" data-size="sm" {
                caption { (labels.text(&question.text)) " – " (t_with(language, "results-n", &[("n", column.n.to_string())])) }
                thead { tr {
                    th scope="col" { (t(language, "results-answer")) }
                    @if is_ranking {
                        th scope="col" class="numeric" { (t(language, "results-mean-rank")) }
                        th scope="col" class="numeric" { (t(language, "results-borda")) }
                    } @else {
                        th scope="col" class="numeric" { (t(language, "results-count")) }
                        th scope="col" class="numeric" { (t(language, "results-unweighted")) }
                        @if weighted {
                            th scope="col" class="numeric" { (t(language, "results-weighted")) }
                            th scope="col" class="numeric" { (t(language, "results-margin-of-error")) }
                        }
                    }
                } }
                tbody {
                    @for option in &column.options {
                        tr {
                            th scope="row" { (labels.option(question, &option.key)) }
                            @if is_ranking {
                                td class="numeric" { (option.mean_rank.map_or_else(|| suppressed.clone(), |r| number(language, r, 2))) }
                                td class="numeric" { (option.borda.map_or_else(|| suppressed.clone(), |b| number(language, b, 0))) }
                            } @else {
                                td class="numeric" { (option.count) }
                                td class="numeric" { (percent(language, option.share)) }
                                @if weighted {
                                    td class="numeric" { (option.weighted_share.map_or_else(|| suppressed.clone(), |s| percent(language, s))) }
                                    td class="numeric" { (option.margin_of_error.map_or_else(|| suppressed.clone(), |m| plus_minus(language, m))) }
                                }
                            }
                        }
                    }
                }
            } }
        }
        p class="ds-paragraph results-n" data-size="sm" {
            (t_with(language, "results-n", &[("n", column.n.to_string())]))
            @if column.dont_know > 0 { " · " (t_with(language, "results-dont-know", &[("count", column.dont_know.to_string())])) }
            @if let (Some(deff), Some(neff)) = (column.design_effect, column.effective_n) {
                " · " (t_with(language, "results-deff-neff", &[("deff", number(language, deff, 2)), ("neff", number(language, neff, 0))]))
            }
        }
        @if let Some(scale) = column.scale {
            p class="ds-paragraph results-scale" data-size="sm" {
                (t(language, "results-mean")) ": " (number(language, scale.mean, 2))
                @if let Some(w) = scale.weighted_mean {
                    " (" (t(language, "results-weighted")) ": " (number(language, w, 2))
                    @if let Some(m) = scale.weighted_mean_margin { " " (format!("± {}", number(language, m, 2))) }
                    ")"
                }
                " · " (t(language, "results-median")) ": " (number(language, scale.median, 1))
                @if let Some(nps) = scale.nps {
                    " · " abbr title=(t(language, "results-nps-long")) { "NPS" } ": " (number(language, nps, 0))
                    @if let Some(w) = scale.weighted_nps {
                        " (" (t(language, "results-weighted")) ": " (number(language, w, 0))
                        @if let Some(m) = scale.weighted_nps_margin { " " (format!("± {}", number(language, m, 0))) }
                        ")"
                    }
                }
            }
        }
    }
}

fn breakdown_table(results: &SurveyResults, columns: &[Column], question: &Question, labels: &Labels<'_>) -> Markup {
    let language = labels.language;
    let groups = &columns[1..];
    let suppressed = t(language, "results-suppressed-short");
    let is_number = matches!(question.kind, QuestionKind::Number { .. });
    html! {
        div class="table-scroll" tabindex="0" role="region" aria-label=(t(language, "results-breakdown-caption")) {
            table class="ds-table results-table results-breakdown" data-size="sm" {
                caption { (t(language, "results-breakdown-caption")) }
                thead { tr {
                    th scope="col" { (t(language, "results-answer")) }
                    @for group in groups {
                        th scope="col" class="numeric" { (labels.group(&results.breakdown, &group.group)) }
                    }
                } }
                tbody {
                    tr {
                        th scope="row" { "n" }
                        @for group in groups {
                            td class="numeric" { @if group.hidden { (suppressed) } @else { (group.n) } }
                        }
                    }
                    @if !is_number {
                        @for (index, option) in columns[0].options.iter().enumerate() {
                            tr {
                                th scope="row" { (labels.option(question, &option.key)) }
                                @for group in groups {
                                    td class="numeric" {
                                        @match group.options.get(index).filter(|_| !group.hidden) {
                                            None => (suppressed),
                                            Some(o) => {
                                                (percent(language, o.share))
                                                @if let Some(w) = o.weighted_share {
                                                    br;
                                                    span class="weighted" {
                                                        (t(language, "results-weighted-short")) " " (percent(language, w))
                                                        @if let Some(m) = o.margin_of_error { " " (plus_minus(language, m)) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if columns[0].scale.is_some() {
                        tr {
                            th scope="row" { (t(language, "results-mean")) }
                            @for group in groups {
                                td class="numeric" {
                                    @match group.scale.filter(|_| !group.hidden) {
                                        None => (suppressed),
                                        Some(s) => {
                                            (number(language, s.mean, 2))
                                            @if let Some(w) = s.weighted_mean {
                                                br;
                                                span class="weighted" {
                                                    (t(language, "results-weighted-short")) " " (number(language, w, 2))
                                                    @if let Some(m) = s.weighted_mean_margin { " ± " (number(language, m, 2)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /results/{id}`: what was asked, who answered, what they said, and
/// what the municipality will do.
pub fn public_results(
    state: &AppState,
    context: &RequestContext,
    results: &SurveyResults,
    feedback: &Feedback,
    labels: &Labels<'_>,
) -> Markup {
    let language = context.language;
    let survey = &results.survey;
    let title = labels.text(&survey.definition.title).to_owned();
    let feedback_part = |field: &str, key: &str| {
        let text = feedback.field(field).get(language, labels.fallback);
        html! {
            @if !text.trim().is_empty() {
                h3 class="ds-heading" data-size="sm" { (t(language, key)) }
                @for paragraph in text.split("\n\n") { p class="ds-paragraph" { (paragraph) } }
            }
        }
    };
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" data-size="lg" { (t(language, "results-public-intro")) }
        section aria-labelledby="feedback" class="card-section" {
            h2 class="ds-heading" data-size="md" id="feedback" { (t(language, "feedback-heading")) }
            (feedback_part("heard", "feedback-heard"))
            (feedback_part("will_do", "feedback-will-do"))
            (feedback_part("did", "feedback-did"))
        }
        section aria-labelledby="what-asked" class="card-section" {
            h2 class="ds-heading" data-size="md" id="what-asked" { (t(language, "results-what-asked")) }
            @let purpose = labels.text(&survey.definition.purpose);
            @if !purpose.is_empty() { p class="ds-paragraph" { (purpose) } }
            (how_results_are_used(survey, labels))
            ol class="ds-list" {
                @for (_, question) in survey.definition.questions() { li { (labels.text(&question.text)) } }
            }
        }
        (who_answered(results, labels))
        (weighting_summary(results, language))
        section aria-labelledby="what-said" {
            h2 class="ds-heading" data-size="md" id="what-said" { (t(language, "results-what-they-said")) }
            (public_breakdown_form(results, language))
            @if results.channel_hidden {
                p class="ds-paragraph" { (t_with(language, "results-channel-hidden", &[("threshold", results.threshold.to_string())])) }
            } @else if results.too_few() {
                p class="ds-paragraph" { (t_with(language, "results-too-few", &[("threshold", results.threshold.to_string())])) }
            } @else {
                @for (question_result, (_, question)) in results.questions.iter().zip(survey.definition.questions()) {
                    (question_section(results, question_result, question, labels, true))
                }
            }
        }
    };
    public_page(state, context, title, content)
}

/// What the answers can change, who decides and when, as the survey declared it.
fn how_results_are_used(survey: &Survey, labels: &Labels<'_>) -> Markup {
    let language = labels.language;
    let definition = &survey.definition;
    let facts = [
        ("answer-influence", &definition.influence),
        ("answer-decided-by", &definition.decided_by),
        ("answer-decision-when", &definition.decision_when),
    ];
    html! {
        @if facts.iter().any(|(_, text)| !labels.text(text).trim().is_empty()) {
            h3 class="ds-heading" data-size="sm" { (t(language, "results-how-used")) }
            dl class="results-facts" {
                @for (key, text) in facts {
                    @let text = labels.text(text);
                    @if !text.trim().is_empty() { dt { (t(language, key)) } dd { (text) } }
                }
            }
        }
    }
}

/// The breakdown and channel selectors of the public page: a plain GET form.
fn public_breakdown_form(results: &SurveyResults, language: Language) -> Markup {
    let current = results.breakdown.code();
    html! {
        form method="get" action={ "/results/" (results.survey.id) } class="stack results-filter" {
            div class="ds-field" {
                label class="ds-label" for="field-breakdown" { (t(language, "results-breakdown-label")) }
                p class="ds-paragraph field-hint" data-size="sm" id="breakdown-hint" {
                    (t_with(language, "results-suppressed-explained", &[("threshold", results.threshold.to_string())]))
                }
                select class="ds-input" id="field-breakdown" name="breakdown" aria-describedby="breakdown-hint" {
                    (choice("", &current, &t(language, "results-breakdown-none")))
                    @for breakdown in Breakdown::PUBLIC {
                        @let code = breakdown.code();
                        (choice(&code, &current, &t(language, &format!("results-breakdown-{}", code.replace('_', "-")))))
                    }
                }
            }
            (channel_field(results.channel.map_or("", Channel::code), language))
            button class="ds-button" type="submit" { (t(language, "results-show")) }
        }
    }
}

/// `GET /staff/surveys/{id}/moderation`.
pub fn moderation(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    survey: &Survey,
    queue: &[QueuedText],
    errors: Option<(i32, &Invalid)>,
) -> Markup {
    let language = context.language;
    let fallback = survey.definition.languages.first().copied().unwrap_or(language);
    let title = t(language, "moderation-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) ": " (survey.definition.title.get(language, fallback)) }
        p class="ds-paragraph" { (t(language, "moderation-intro")) }
        @if let Some((_, invalid)) = errors { (error_summary(language, Some(invalid))) }
        @if queue.is_empty() { p class="ds-paragraph" { (t(language, "moderation-empty")) } }
        @for item in queue {
            @let question = survey.definition.question(&item.question_key);
            @let failed = errors.filter(|(id, _)| *id == item.id).map(|(_, e)| e);
            @let text_id = if failed.is_some() { field_id("text") } else { format!("text-{}", item.id) };
            section class="card-section moderation-item" aria-labelledby={ "answer-" (item.id) } {
                h2 class="ds-heading" data-size="xs" id={ "answer-" (item.id) } {
                    (question.map_or(item.question_key.clone(), |q| q.text.get(language, fallback).to_owned()))
                    @if item.is_other { " (" (t(language, "results-other")) ")" }
                }
                p class="ds-paragraph" { strong { (t(language, "moderation-state")) ": " } (t(language, &format!("moderation-state-{}", item.state))) }
                @if !item.flags.is_empty() {
                    (alert("warning", html! { p class="ds-paragraph" { (t(language, "moderation-flagged")) ": " (item.flags.iter().map(|f| t(language, f.message())).collect::<Vec<_>>().join(", ")) } }))
                }
                blockquote class="moderation-text" { (item.text) }
                form method="post" action={ "/staff/surveys/" (survey.id) "/moderation/" (item.id) } class="stack" {
                    (csrf_field(context))
                    div class="ds-field" {
                        label class="ds-label" for=(text_id) { (t(language, "moderation-redacted-text")) }
                        @if let Some(error) = failed.and_then(|e| e.0.first()) {
                            p class="ds-validation-message" data-color="danger" id={ (text_id) "-error" } { (field_error(language, error)) }
                        }
                        textarea class="ds-input" id=(text_id) name="text" rows="3"
                            aria-describedby=[failed.map(|_| format!("{text_id}-error"))]
                            aria-invalid=[failed.map(|_| "true")] { (item.text) }
                    }
                    div class="button-row" {
                        button class="ds-button" type="submit" name="action" value="approve" { (t(language, "moderation-approve")) }
                        button class="ds-button" data-variant="secondary" type="submit" name="action" value="redact" { (t(language, "moderation-redact")) }
                        button class="ds-button" data-variant="tertiary" type="submit" name="action" value="hide" { (t(language, "moderation-hide")) }
                    }
                }
            }
        }
    };
    staff_page(state, context, user, title, content)
}

/// The feedback form's state.
pub struct FeedbackView<'a> {
    /// The survey.
    pub survey: &'a Survey,
    /// Texts to show in the fields.
    pub feedback: &'a Feedback,
    /// Problems to show.
    pub errors: Option<&'a Invalid>,
    /// A message after saving or publishing.
    pub notice: Option<&'static str>,
    /// Whether the reader may publish.
    pub can_publish: bool,
}

/// `GET /staff/surveys/{id}/feedback`.
pub fn feedback_form(state: &AppState, context: &RequestContext, user: &StaffUser, view: &FeedbackView<'_>) -> Markup {
    let language = context.language;
    let survey = view.survey;
    let fallback = survey.definition.languages.first().copied().unwrap_or(language);
    let title = t(language, "feedback-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) ": " (survey.definition.title.get(language, fallback)) }
        @if let Some(notice) = view.notice { (alert("success", html! { p class="ds-paragraph" { (t(language, notice)) } })) }
        (error_summary(language, view.errors))
        p class="ds-paragraph" { (t(language, "feedback-intro")) }
        form method="post" action={ "/staff/surveys/" (survey.id) "/feedback" } class="stack" {
            (csrf_field(context))
            @for field in Feedback::FIELDS {
                fieldset class="ds-fieldset" {
                    legend class="ds-heading" data-size="xs" { (t(language, &format!("feedback-{}", field.replace('_', "-")))) }
                    @for lang in &survey.definition.languages {
                        @let name = format!("{field}_{}", lang.code());
                        @let id = field_id(&name);
                        @let error = view.errors.and_then(|e| e.for_field(&name));
                        div class="ds-field" {
                            label class="ds-label" for=(id) lang=(lang.code()) { (lang.native_name()) }
                            @if let Some(error) = error {
                                p class="ds-validation-message" data-color="danger" id={ (id) "-error" } { (field_error(language, error)) }
                            }
                            textarea class="ds-input" id=(id) name=(name) rows="5" lang=(lang.code())
                                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-error"))] {
                                (view.feedback.field(field).0.get(lang).map(String::as_str).unwrap_or(""))
                            }
                        }
                    }
                }
            }
            button class="ds-button" type="submit" { (t(language, "feedback-save")) }
        }
        @if view.can_publish && survey.status == SurveyStatus::Closed {
            section class="card-section" aria-labelledby="publish-heading" {
                h2 class="ds-heading" data-size="md" id="publish-heading" { (t(language, "feedback-publish-heading")) }
                p class="ds-paragraph" { (t(language, "feedback-publish-intro")) }
                form method="post" action={ "/staff/surveys/" (survey.id) "/publish" } {
                    (csrf_field(context))
                    button class="ds-button" type="submit" { (t(language, "feedback-publish")) }
                }
            }
        }
        @if survey.status == SurveyStatus::Published {
            p class="ds-paragraph" { a class="ds-link" href={ "/results/" (survey.id) } { (t(language, "results-public-link")) } }
        }
    };
    staff_page(state, context, user, title, content)
}

/// `GET /staff/results/margins`: upload population margins as JSON-stat.
pub fn margins_upload(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    mapping: &str,
    errors: Option<&Invalid>,
    imported: Option<&MarginsImported>,
) -> Markup {
    let language = context.language;
    let title = t(language, "margins-jsonstat-title");
    let file_error = errors.and_then(|e| e.for_field("margins"));
    let mapping_error = errors.and_then(|e| e.for_field("mapping"));
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        @if let Some(done) = imported {
            (alert("success", html! {
                p class="ds-paragraph" { (t_with(language, "margins-jsonstat-done", &[("cells", done.cells.to_string())])) }
                @if !done.skipped_regions.is_empty() {
                    p class="ds-paragraph" { (t_with(language, "margins-jsonstat-skipped", &[("regions", done.skipped_regions.join(", "))])) }
                }
            }))
        }
        (error_summary(language, errors))
        p class="ds-paragraph" { (t(language, "margins-jsonstat-intro")) }
        form method="post" action={ "/staff/results/margins?csrf=" (context.csrf_token) } enctype="multipart/form-data" class="stack" {
            div class="ds-field" {
                label class="ds-label" for=(field_id("margins")) { (t(language, "margins-jsonstat-file")) }
                @if let Some(error) = file_error {
                    p class="ds-validation-message" data-color="danger" id="margins-error" { (field_error(language, error)) }
                }
                input class="ds-input" type="file" name="margins" id=(field_id("margins")) accept=".json,application/json" required
                    aria-invalid=[file_error.map(|_| "true")] aria-describedby=[file_error.map(|_| "margins-error")];
            }
            div class="ds-field" {
                label class="ds-label" for=(field_id("mapping")) { (t(language, "margins-jsonstat-mapping")) " " span class="optional" { (t(language, "field-optional")) } }
                p class="ds-paragraph field-hint" data-size="sm" id="mapping-hint" { (t(language, "margins-jsonstat-mapping-hint")) }
                @if let Some(error) = mapping_error {
                    p class="ds-validation-message" data-color="danger" id="mapping-error" { (field_error(language, error)) }
                }
                textarea class="ds-input" name="mapping" id=(field_id("mapping")) rows="6"
                    aria-invalid=[mapping_error.map(|_| "true")]
                    aria-describedby=(if mapping_error.is_some() { "mapping-hint mapping-error" } else { "mapping-hint" }) { (mapping) }
            }
            button class="ds-button" type="submit" { (t(language, "margins-jsonstat-upload")) }
        }
    };
    staff_page(state, context, user, title, content)
}
