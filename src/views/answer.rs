//! The survey as residents answer it: one section per page, plain HTML
//! forms, every control labelled, errors listed at the top and at the field.
//!
//! Likert matrices are rendered as one group of radio buttons per statement
//! (not a grid), and ranking as a numbered choice per option, so both work
//! with a keyboard, a screen reader and a 320 px screen without JavaScript.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::survey::answer::{DONT_KNOW, FormValues, field_name, part_name};
use crate::domain::survey::{Answer, Answers, Choice, Question, QuestionKind, Text};
use crate::domain::validation::Invalid;
use crate::i18n::{field_error, t, t_with};
use crate::services::surveys::{DATE_FORMAT, Survey};
use crate::views::components::{csrf_field, error_summary, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// Who is filling in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A resident through a personal or public link, or staff trying the
    /// survey in the preview (the same markup, posting to the preview).
    Respondent,
    /// Staff typing in a paper questionnaire (every section on one page).
    Paper,
}

/// Everything one page of the survey shows.
pub struct SurveyPage<'a> {
    /// The survey.
    pub survey: &'a Survey,
    /// Indexes of the sections shown (one, except in paper entry).
    pub sections: Vec<usize>,
    /// Position of that section among the visible ones (1-based).
    pub position: usize,
    /// Number of visible sections.
    pub total: usize,
    /// Answers saved so far.
    pub answers: &'a Answers,
    /// What was just posted (kept when it had errors).
    pub posted: Option<&'a FormValues>,
    /// Problems with what was posted.
    pub errors: Option<&'a Invalid>,
    /// Where the form posts to.
    pub action: String,
    /// Respondent, preview or paper entry.
    pub mode: Mode,
    /// Extra fields at the top of the form (the respondent's attributes in paper entry).
    pub extra: Option<Markup>,
    /// A message shown above the form (message id).
    pub notice: Option<&'static str>,
}

/// The language the survey's texts are shown in.
pub fn text_language(survey: &Survey, wanted: Language) -> Language {
    let languages = &survey.definition.languages;
    if languages.contains(&wanted) { wanted } else { languages.first().copied().unwrap_or(wanted) }
}

/// A page of the survey.
pub fn survey_page(state: &AppState, context: &RequestContext, page: &SurveyPage<'_>) -> Markup {
    let ui = context.language;
    let language = text_language(page.survey, ui);
    let definition = &page.survey.definition;
    let fallback = definition.languages.first().copied().unwrap_or(language);
    let text = |t: &Text| t.get(language, fallback).to_owned();
    let title = text(&definition.title);
    let is_last = page.position >= page.total;
    let first_section = page.sections.first().copied().unwrap_or(0);
    let content = html! {
        div lang=(language.code()) class="survey" {
            @if let Some(notice) = page.notice {
                div class="ds-alert" data-color=(if page.mode == Mode::Paper { "success" } else { "info" }) role="status" {
                    p class="ds-paragraph" { (t(ui, notice)) }
                }
            }
            h1 class="ds-heading" data-size="lg" { (title) }
            @if page.mode != Mode::Paper {
                p class="ds-paragraph progress" { (t_with(ui, "answer-progress", &[("page", page.position.to_string()), ("pages", page.total.to_string())])) }
            }
            @if page.position == 1 && page.mode != Mode::Paper {
                (introduction(ui, page.survey, language, fallback))
            }
            (error_summary(ui, page.errors))
            form method="post" action=(page.action) class="stack survey-form" novalidate {
                (csrf_field(context))
                input type="hidden" name="section" value=(first_section);
                @if let Some(extra) = &page.extra { (extra) }
                @for index in &page.sections {
                    @let section = &definition.sections[*index];
                    section class="survey-section" aria-labelledby={ "section-" (index) } {
                        h2 class="ds-heading" data-size="md" id={ "section-" (index) } { (text(&section.title)) }
                        @if !section.intro.is_empty() {
                            p class="ds-paragraph" { (text(&section.intro)) }
                        }
                        @for question in &section.questions {
                            @if page.mode == Mode::Paper || question.show_if.as_ref().is_none_or(|c| c.holds(page.answers)) {
                                (render_question(ui, language, fallback, question, page))
                            }
                        }
                    }
                }
                (buttons(ui, page, is_last))
            }
        }
    };
    // The title is read first when the page loads: say at once that something needs fixing.
    let title = match page.errors {
        Some(errors) if !errors.0.is_empty() => t_with(ui, "answer-error-title", &[("title", title)]),
        _ => title,
    };
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}

fn buttons(ui: Language, page: &SurveyPage<'_>, is_last: bool) -> Markup {
    match page.mode {
        Mode::Paper => html! {
            div class="survey-buttons" {
                button class="ds-button" data-variant="primary" type="submit" name="action" value="submit" { (t(ui, "answer-paper-save")) }
            }
        },
        Mode::Respondent => html! {
            div class="survey-buttons" {
                @if is_last {
                    button class="ds-button" data-variant="primary" type="submit" name="action" value="submit" { (t(ui, "answer-submit")) }
                } @else {
                    button class="ds-button" data-variant="primary" type="submit" name="action" value="next" { (t(ui, "answer-next")) }
                }
                @if page.position > 1 {
                    button class="ds-button" data-variant="secondary" type="submit" name="action" value="back" formnovalidate { (t(ui, "answer-back")) }
                }
            }
            p class="ds-paragraph field-hint" data-size="sm" { (t(ui, "answer-saved-hint")) }
        },
    }
}

fn introduction(ui: Language, survey: &Survey, language: Language, fallback: Language) -> Markup {
    let d = &survey.definition;
    let text = |t: &Text| t.get(language, fallback).to_owned();
    let closes = survey.closes_on.and_then(|d| d.format(DATE_FORMAT).ok());
    html! {
        section class="survey-intro" aria-labelledby="intro-heading" {
            h2 class="ds-heading" data-size="sm" id="intro-heading" { (t(ui, "answer-about")) }
            @if !d.purpose.is_empty() { p class="ds-paragraph" { (text(&d.purpose)) } }
            dl class="survey-facts" {
                @if !d.influence.is_empty() { dt { (t(ui, "answer-influence")) } dd { (text(&d.influence)) } }
                @if !d.decided_by.is_empty() { dt { (t(ui, "answer-decided-by")) } dd { (text(&d.decided_by)) } }
                @if !d.decision_when.is_empty() { dt { (t(ui, "answer-decision-when")) } dd { (text(&d.decision_when)) } }
                dt { (t(ui, "answer-time")) } dd { (t_with(ui, "answer-minutes", &[("minutes", d.expected_minutes().to_string())])) }
                @if let Some(closes) = closes { dt { (t(ui, "answer-closes")) } dd { (closes) } }
            }
            p class="ds-paragraph field-hint" data-size="sm" { (t(ui, "answer-anonymous")) }
        }
    }
}

/// The posted or saved value of a form field, for pre-filling.
fn value_of(page: &SurveyPage<'_>, question: &Question, part: Option<&str>) -> Option<String> {
    let name = part.map_or_else(|| field_name(&question.key), |p| part_name(&question.key, p));
    if let Some(posted) = page.posted {
        return posted.get(&name).and_then(|v| v.first()).cloned();
    }
    match (page.answers.get(&question.key)?, part) {
        (Answer::DontKnow, None) => Some(DONT_KNOW.to_owned()),
        (Answer::Choice(key), None) => Some(key.clone()),
        (Answer::Number(n), None) => Some(format_number(*n)),
        (Answer::Text(text), None) => Some(text.clone()),
        (Answer::Matrix(rows), Some(statement)) => rows.get(statement).cloned(),
        (Answer::Choices { other, .. }, Some("other")) => other.clone(),
        (Answer::Ranking(order), Some(option)) => order.iter().position(|o| o == option).map(|p| (p + 1).to_string()),
        (Answer::DontKnow, Some(DONT_KNOW)) => Some("1".into()),
        _ => None,
    }
}

fn is_checked(page: &SurveyPage<'_>, question: &Question, key: &str) -> bool {
    let name = field_name(&question.key);
    if let Some(posted) = page.posted {
        return posted.get(&name).is_some_and(|v| v.iter().any(|x| x == key));
    }
    match page.answers.get(&question.key) {
        Some(Answer::Choices { selected, .. }) => selected.iter().any(|s| s == key),
        Some(Answer::Choice(choice)) => choice == key,
        Some(Answer::DontKnow) => key == DONT_KNOW,
        Some(Answer::Number(n)) => key.parse::<f64>().is_ok_and(|k| (k - n).abs() < f64::EPSILON),
        _ => false,
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() }
}

/// The error about the question as a whole. Errors about a part (a matrix
/// statement, the "other" text) are shown and announced at that part, so
/// they are not repeated for the whole group.
fn question_error<'a>(
    page: &'a SurveyPage<'_>,
    question: &Question,
) -> Option<&'a crate::domain::validation::FieldError> {
    page.errors?.for_field(&field_name(&question.key))
}

fn render_question(
    ui: Language,
    language: Language,
    fallback: Language,
    question: &Question,
    page: &SurveyPage<'_>,
) -> Markup {
    let name = field_name(&question.key);
    let id = field_id(&name);
    let label = question.text.get(language, fallback);
    let help = question.help.get(language, fallback);
    let help_id = format!("{id}-help");
    let error = question_error(page, question);
    let error_id = format!("{id}-error");
    let described = [(!help.is_empty()).then(|| help_id.clone()), error.map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let required_mark = html! {
        @if question.required { span class="required" { " " (t(ui, "answer-required")) } }
    };
    let header = html! {
        @if !help.is_empty() { p class="ds-paragraph field-hint" data-size="sm" id=(help_id) { (help) } }
        @if let Some(error) = error { p class="ds-validation-message" data-color="danger" id=(error_id) { (field_error(ui, error)) } }
    };
    let label_of = |choice: &Choice| choice.label.get(language, fallback).to_owned();
    let invalid = error.map(|_| "true");
    match &question.kind {
        QuestionKind::SingleChoice { options, .. } | QuestionKind::Likert { scale: options } => html! {
            fieldset class="ds-fieldset question" aria-describedby=[described.as_deref()] {
                legend class="ds-label" { (label) (required_mark) }
                (header)
                div class="choices" {
                    @for (i, option) in options.iter().enumerate() {
                        (radio(&name, &id, i, &option.key, &label_of(option), is_checked(page, question, &option.key), invalid))
                    }
                    @if question.dont_know {
                        (radio(&name, &id, options.len(), DONT_KNOW, &t(ui, "answer-dont-know"), is_checked(page, question, DONT_KNOW), invalid))
                    }
                }
            }
        },
        QuestionKind::Rating { low_label, high_label } => html! {
            fieldset class="ds-fieldset question rating" aria-describedby=[described.as_deref()] {
                legend class="ds-label" { (label) (required_mark) }
                (header)
                @if !low_label.is_empty() || !high_label.is_empty() {
                    p class="ds-paragraph field-hint" data-size="sm" {
                        "0 = " (low_label.get(language, fallback)) ", 10 = " (high_label.get(language, fallback))
                    }
                }
                div class="choices choices--inline" {
                    @for score in 0..=10u8 {
                        (radio(&name, &id, usize::from(score), &score.to_string(), &score.to_string(), is_checked(page, question, &score.to_string()), invalid))
                    }
                }
                @if question.dont_know {
                    div class="choices" {
                        (radio(&name, &id, 11, DONT_KNOW, &t(ui, "answer-dont-know"), is_checked(page, question, DONT_KNOW), invalid))
                    }
                }
            }
        },
        QuestionKind::MultipleChoice { options, other } => {
            let other_name = part_name(&question.key, "other");
            let other_id = field_id(&other_name);
            let other_error = page.errors.and_then(|e| e.for_field(&other_name));
            let other_error_id = format!("{other_id}-error");
            html! {
                fieldset class="ds-fieldset question" aria-describedby=[described.as_deref()] {
                    legend class="ds-label" { (label) (required_mark) }
                    p class="ds-paragraph field-hint" data-size="sm" { (t(ui, "answer-choose-any")) }
                    (header)
                    div class="choices" {
                        @for (i, option) in options.iter().enumerate() {
                            (checkbox(&name, &id, i, &option.key, &label_of(option), is_checked(page, question, &option.key), invalid))
                        }
                        @if *other {
                            (checkbox(&name, &id, options.len(), "other", &t(ui, "answer-other"), is_checked(page, question, "other"), invalid))
                            div class="ds-field other-text" {
                                label class="ds-label" for=(other_id) { (t(ui, "answer-other-specify")) }
                                @if let Some(other_error) = other_error {
                                    p class="ds-validation-message" data-color="danger" id=(other_error_id) { (field_error(ui, other_error)) }
                                }
                                input class="ds-input" type="text" id=(other_id) name=(other_name) value=[value_of(page, question, Some("other"))]
                                    aria-invalid=[other_error.map(|_| "true")] aria-describedby=[other_error.map(|_| other_error_id.as_str())] autocomplete="off";
                            }
                        }
                        @if question.dont_know {
                            (checkbox(&part_name(&question.key, DONT_KNOW), &field_id(&part_name(&question.key, DONT_KNOW)), 0, "1", &t(ui, "answer-dont-know"), value_of(page, question, Some(DONT_KNOW)).is_some(), invalid))
                        }
                    }
                }
            }
        }
        QuestionKind::LikertMatrix { scale, statements } => html! {
            fieldset class="ds-fieldset question matrix" aria-describedby=[described.as_deref()] {
                legend class="ds-label" { (label) (required_mark) }
                (header)
                @for statement in statements {
                    @let row_name = part_name(&question.key, &statement.key);
                    @let row_id = field_id(&row_name);
                    @let row_value = value_of(page, question, Some(&statement.key));
                    @let row_error = page.errors.and_then(|e| e.for_field(&row_name));
                    fieldset class="ds-fieldset matrix-row" aria-describedby=[row_error.map(|_| format!("{row_id}-error"))] {
                        legend class="ds-label matrix-statement" { (label_of(statement)) }
                        @if let Some(row_error) = row_error {
                            p class="ds-validation-message" data-color="danger" id={ (row_id) "-error" } { (field_error(ui, row_error)) }
                        }
                        div class="choices choices--scale" {
                            @for (i, point) in scale.iter().enumerate() {
                                (radio(&row_name, &row_id, i, &point.key, &label_of(point), row_value.as_deref() == Some(point.key.as_str()), row_error.map(|_| "true")))
                            }
                            @if question.dont_know {
                                (radio(&row_name, &row_id, scale.len(), DONT_KNOW, &t(ui, "answer-dont-know"), row_value.as_deref() == Some(DONT_KNOW), row_error.map(|_| "true")))
                            }
                        }
                    }
                }
            }
        },
        QuestionKind::Number { min, max, integer } => {
            let range_id = format!("{id}-range");
            let has_range = min.is_some() || max.is_some();
            let described = [has_range.then(|| range_id.clone()), described.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let described = (!described.is_empty()).then_some(described);
            html! {
                div class="ds-field question" {
                    label class="ds-label" for=(id) { (label) (required_mark) }
                    @if has_range {
                        p class="ds-paragraph field-hint" data-size="sm" id=(range_id) {
                            (t_with(ui, "answer-number-hint", &[("min", min.map_or("–".into(), format_number)), ("max", max.map_or("–".into(), format_number))]))
                        }
                    }
                    (header)
                    input class="ds-input input-number" type="text" id=(id) name=(name)
                        inputmode=(if *integer { "numeric" } else { "decimal" })
                        value=[value_of(page, question, None).filter(|v| v != DONT_KNOW)]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] autocomplete="off";
                    @if question.dont_know {
                        (checkbox(&part_name(&question.key, DONT_KNOW), &field_id(&part_name(&question.key, DONT_KNOW)), 0, "1", &t(ui, "answer-dont-know"), value_of(page, question, None).as_deref() == Some(DONT_KNOW) || value_of(page, question, Some(DONT_KNOW)).is_some(), None))
                    }
                }
            }
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            let max = question.kind.max_text_length();
            let value = value_of(page, question, None).filter(|v| v != DONT_KNOW).unwrap_or_default();
            html! {
                div class="ds-field question" {
                    label class="ds-label" for=(id) { (label) (required_mark) }
                    (header)
                    p class="ds-paragraph field-hint" data-size="sm" id={ (id) "-limit" } { (t_with(ui, "answer-text-hint", &[("max", max.to_string())])) }
                    @if matches!(question.kind, QuestionKind::LongText { .. }) {
                        textarea class="ds-input" id=(id) name=(name) rows="5" aria-invalid=[invalid]
                            aria-describedby={ (described.clone().unwrap_or_default()) " " (id) "-limit" } { (value) }
                    } @else {
                        input class="ds-input" type="text" id=(id) name=(name) value=(value) aria-invalid=[invalid]
                            aria-describedby={ (described.clone().unwrap_or_default()) " " (id) "-limit" } autocomplete="off";
                    }
                }
            }
        }
        QuestionKind::Ranking { options } => html! {
            fieldset class="ds-fieldset question ranking" aria-describedby=[described.as_deref()] {
                legend class="ds-label" { (label) (required_mark) }
                p class="ds-paragraph field-hint" data-size="sm" { (t_with(ui, "answer-ranking-hint", &[("count", options.len().to_string())])) }
                (header)
                @for (i, option) in options.iter().enumerate() {
                    @let part = part_name(&question.key, &option.key);
                    @let select_id = if i == 0 { id.clone() } else { field_id(&part) };
                    @let current = value_of(page, question, Some(&option.key));
                    div class="ds-field ranking-item" {
                        label class="ds-label" for=(select_id) { (label_of(option)) }
                        select class="ds-input ranking-select" id=(select_id) name=(part) aria-invalid=[invalid] {
                            option value="" selected[current.is_none()] { (t(ui, "answer-ranking-none")) }
                            @for position in 1..=options.len() {
                                option value=(position) selected[current.as_deref() == Some(position.to_string().as_str())] {
                                    (t_with(ui, "answer-ranking-position", &[("position", position.to_string())]))
                                }
                            }
                        }
                    }
                }
            }
        },
    }
}

fn radio(name: &str, id: &str, index: usize, value: &str, label: &str, checked: bool, invalid: Option<&str>) -> Markup {
    let input_id = if index == 0 { id.to_owned() } else { format!("{id}-{index}") };
    html! {
        div class="choice" {
            input type="radio" class="ds-input" id=(input_id) name=(name) value=(value) checked[checked] aria-invalid=[invalid];
            label class="ds-label" for=(input_id) { (label) }
        }
    }
}

fn checkbox(
    name: &str,
    id: &str,
    index: usize,
    value: &str,
    label: &str,
    checked: bool,
    invalid: Option<&str>,
) -> Markup {
    let input_id = if index == 0 { id.to_owned() } else { format!("{id}-{index}") };
    html! {
        div class="choice" {
            input type="checkbox" class="ds-input" id=(input_id) name=(name) value=(value) checked[checked] aria-invalid=[invalid];
            label class="ds-label" for=(input_id) { (label) }
        }
    }
}

/// The page after submitting (and for links already used).
pub fn thank_you(state: &AppState, context: &RequestContext, survey: &Survey) -> Markup {
    thank_you_page(state, context, survey, false)
}

/// The thank-you page at the end of the staff preview, marked as a preview
/// (nothing was stored).
pub fn preview_thank_you(state: &AppState, context: &RequestContext, survey: &Survey) -> Markup {
    thank_you_page(state, context, survey, true)
}

fn thank_you_page(state: &AppState, context: &RequestContext, survey: &Survey, preview: bool) -> Markup {
    let ui = context.language;
    let language = text_language(survey, ui);
    let fallback = survey.definition.languages.first().copied().unwrap_or(language);
    let title = t(ui, "answer-thanks-title");
    let results_when = survey.definition.results_when.get(language, fallback).to_owned();
    let content = html! {
        @if preview {
            div class="ds-alert" data-color="info" role="status" { p class="ds-paragraph" { (t(ui, "preview-thanks-note")) } }
        }
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" lang=(language.code()) { (t_with(ui, "answer-thanks-body", &[("survey", survey.definition.title.get(language, fallback).to_owned())])) }
        @if !results_when.is_empty() {
            p class="ds-paragraph" { (t(ui, "answer-thanks-results-when")) " " span lang=(language.code()) { (results_when) } }
        } @else {
            p class="ds-paragraph" { (t(ui, "answer-thanks-results-later")) }
        }
        p class="ds-paragraph" {
            a class="ds-link" href={ "/results/" (survey.id) } { (t(ui, "answer-thanks-results-link")) }
        }
    };
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}

/// The one neutral page for wrong, unknown and expired links.
pub fn inactive_link(state: &AppState, context: &RequestContext) -> Markup {
    let ui = context.language;
    let title = t(ui, "answer-inactive-title");
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(ui, "answer-inactive-body")) }
        p class="ds-paragraph" { a class="ds-link" href="/" { (t(ui, "error-go-home")) } }
    };
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}
