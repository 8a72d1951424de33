//! The staff preview around the resident page: the page in a phone-width or
//! full-width frame, and an overview of every page and question with its
//! skip rule in plain words.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::survey::{Combine, Condition, Op, Rule, SurveyDefinition, Text};
use crate::i18n::{t, t_with};
use crate::services::staff::StaffUser;
use crate::services::surveys::Survey;
use crate::views::answer::text_language;
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// What the preview page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewView {
    /// The resident page in a frame as wide as a phone (360 px).
    Phone,
    /// The resident page in a frame as wide as the staff page.
    FullWidth,
    /// Every page and question, with the skip rules in words.
    AllPages,
}

/// Width of the phone frame in CSS pixels.
pub const PHONE_WIDTH: u32 = 360;

/// The preview page: the resident page in a frame (`frame_src`), phone or
/// full width.
pub fn preview_page(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    survey: &Survey,
    view: PreviewView,
    frame_src: &str,
) -> Markup {
    let ui = context.language;
    let (title, switch) = heading(ui, survey, view);
    let width = if view == PreviewView::Phone { "phone" } else { "full" };
    let content = html! {
        (title_block(ui, &title, survey.id, switch))
        div class="preview-stage" {
            iframe class="preview-frame" data-width=(width) src=(frame_src) title=(t(ui, "preview-frame-title")) {}
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// Every page and question of the survey, including those behind skip
/// rules, each with its rule in the staff member's language.
pub fn all_pages(state: &AppState, context: &RequestContext, user: &StaffUser, survey: &Survey) -> Markup {
    let ui = context.language;
    let language = text_language(survey, ui);
    let definition = &survey.definition;
    let fallback = definition.languages.first().copied().unwrap_or(language);
    let text = |t: &Text| t.get(language, fallback).to_owned();
    let (title, switch) = heading(ui, survey, PreviewView::AllPages);
    let pages = definition.sections.len();
    let content = html! {
        (title_block(ui, &title, survey.id, switch))
        p class="ds-paragraph" { (t(ui, "preview-all-intro")) }
        @for (index, section) in definition.sections.iter().enumerate() {
            section class="preview-overview" aria-labelledby={ "page-" (index) } {
                h2 class="ds-heading" data-size="sm" id={ "page-" (index) } {
                    (t_with(ui, "preview-page-heading", &[("page", (index + 1).to_string()), ("pages", pages.to_string())]))
                    ": " span lang=(language.code()) { (text(&section.title)) }
                }
                @if let Some(condition) = &section.show_if {
                    p class="ds-paragraph preview-rule" { (rule_text(ui, definition, language, fallback, condition)) }
                }
                ol class="ds-list preview-questions" {
                    @for question in &section.questions {
                        li {
                            span lang=(language.code()) { (text(&question.text)) }
                            @if question.required { span class="required" { " " (t(ui, "answer-required")) } }
                            " "
                            span class="field-hint" { "(" (t(ui, &format!("survey-type-{}", question.kind.name()))) ")" }
                            @if let Some(condition) = &question.show_if {
                                p class="ds-paragraph preview-rule" data-size="sm" { (rule_text(ui, definition, language, fallback, condition)) }
                            }
                        }
                    }
                }
            }
        }
    };
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

/// The page title and the switch between the three views.
fn heading(ui: Language, survey: &Survey, view: PreviewView) -> (String, Markup) {
    let language = text_language(survey, ui);
    let fallback = survey.definition.languages.first().copied().unwrap_or(language);
    let name = survey.definition.title.get(language, fallback).to_owned();
    let title = t_with(ui, "preview-title", &[("survey", name)]);
    let base = format!("/staff/surveys/{}/preview", survey.id);
    let views = [
        (PreviewView::Phone, base.clone(), "preview-view-phone"),
        (PreviewView::FullWidth, format!("{base}?view=full"), "preview-view-full"),
        (PreviewView::AllPages, format!("{base}/all"), "preview-view-all"),
    ];
    let switch = html! {
        nav class="preview-switch" aria-label=(t(ui, "preview-views-label")) {
            ul {
                @for (this, href, label) in &views {
                    li {
                        a class="ds-link" href=(href) aria-current=[(*this == view).then_some("page")] { (t(ui, label)) }
                    }
                }
            }
        }
    };
    (title, switch)
}

fn title_block(ui: Language, title: &str, survey_id: i32, switch: Markup) -> Markup {
    html! {
        p class="ds-paragraph" { a class="ds-link" href={ "/staff/surveys/" (survey_id) } { (t(ui, "preview-back")) } }
        h1 class="ds-heading" data-size="lg" { (title) }
        div class="ds-alert" data-color="info" { p class="ds-paragraph" { (t(ui, "answer-preview-note")) } }
        (switch)
    }
}

/// A skip rule in words: "Shown only if “How do you travel?” is “Bus”".
pub fn rule_text(
    ui: Language,
    definition: &SurveyDefinition,
    language: Language,
    fallback: Language,
    condition: &Condition,
) -> String {
    let joiner = match condition.combine {
        Combine::All => t(ui, "preview-rule-and"),
        Combine::Any => t(ui, "preview-rule-or"),
    };
    let rules: Vec<String> =
        condition.rules.iter().map(|rule| rule_part(ui, definition, language, fallback, rule)).collect();
    t_with(ui, "preview-rule-shown-if", &[("rules", rules.join(&format!(" {joiner} ")))])
}

fn rule_part(
    ui: Language,
    definition: &SurveyDefinition,
    language: Language,
    fallback: Language,
    rule: &Rule,
) -> String {
    let quoted = |text: String| t_with(ui, "preview-quoted", &[("text", text)]);
    let question = definition.question(&rule.question);
    let name = quoted(question.map_or_else(|| rule.question.clone(), |q| q.text.get(language, fallback).to_owned()));
    let label = |value: &String| -> String {
        if value == "dont_know" {
            return quoted(t(ui, "answer-dont-know"));
        }
        let choice = question.and_then(|q| q.kind.choices().iter().find(|c| &c.key == value));
        quoted(choice.map_or_else(|| value.clone(), |c| c.label.get(language, fallback).to_owned()))
    };
    let values = rule.values.iter().map(label).collect::<Vec<_>>().join(", ");
    let first = rule.values.first().map(label).unwrap_or_default();
    let number = rule.number.map(format_number).unwrap_or_default();
    let (message, args) = match rule.op {
        Op::Equals => ("preview-rule-equals", vec![("value", first)]),
        Op::OneOf if rule.values.len() == 1 => ("preview-rule-equals", vec![("value", first)]),
        Op::OneOf => ("preview-rule-one-of", vec![("values", values)]),
        Op::Not if rule.values.len() == 1 => ("preview-rule-not", vec![("value", first)]),
        Op::Not => ("preview-rule-none-of", vec![("values", values)]),
        Op::Gt => ("preview-rule-gt", vec![("number", number)]),
        Op::Gte => ("preview-rule-gte", vec![("number", number)]),
        Op::Lt => ("preview-rule-lt", vec![("number", number)]),
        Op::Lte => ("preview-rule-lte", vec![("number", number)]),
        Op::Answered => ("preview-rule-answered", Vec::new()),
    };
    let mut args = args;
    args.push(("question", name));
    t_with(ui, message, &args)
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() }
}
