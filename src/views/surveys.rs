//! Staff pages for building and managing surveys: the list with "new survey"
//! and import forms, and the builder page with one small form per change.

use maud::{Markup, html};

use crate::domain::survey::edit::{FormValues, OPERATORS, QUESTION_TYPES, RULE_ROWS, form_id};
use crate::domain::survey::file::SurveyColumns;
use crate::domain::survey::{
    Choice, Condition, LadderStep, Question, QuestionKind, Section, SurveyDefinition, validate,
};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{Language, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{field_error, t, t_with};
use crate::services::staff::StaffUser;
use crate::services::surveys::{DATE_FORMAT, EditError, Survey, SurveyKind, SurveyStatus, columns_of};
use crate::services::tenant::Municipality;
use crate::views::components::{alert, csrf_field, data_table, field_id};
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// What the survey list shows besides the surveys.
pub struct ListView<'a> {
    /// Every survey of the municipality.
    pub surveys: &'a [Survey],
    /// Values of the "new survey" form.
    pub form: FormValues,
    /// Problems with the new survey or the imported file.
    pub errors: Option<&'a Invalid>,
}

/// What the builder page shows besides the stored survey.
#[derive(Debug, Default)]
pub struct EditView {
    /// Problems with the last change.
    pub errors: Option<Invalid>,
    /// The survey as the refused change would have made it.
    pub candidate: Option<(SurveyDefinition, SurveyColumns)>,
    /// The values of the form that failed, shown again as typed.
    pub failed_form: Option<FormValues>,
    /// The public link of an open survey just opened (shown once).
    pub public_link: Option<String>,
    /// Whether the last change was saved.
    pub saved: bool,
    /// Whether the draft was just sent for approval.
    pub requested: bool,
    /// Who sent the draft for approval, if someone did.
    pub requested_by: Option<String>,
}

impl EditView {
    /// The page after a refused change; database errors pass through.
    pub fn failed(error: EditError, form: FormValues) -> AppResult<EditView> {
        match error {
            EditError::NotFound => Err(AppError::NotFound),
            EditError::Db(error) => Err(error.into()),
            EditError::Invalid { invalid, candidate } => Ok(EditView {
                errors: Some(invalid),
                candidate: candidate.map(|c| *c),
                failed_form: Some(form),
                ..EditView::default()
            }),
        }
    }
}

fn staff_page(state: &AppState, context: &RequestContext, user: &StaffUser, title: String, content: Markup) -> Markup {
    render(state, &Page { context, title, area: Area::Staff, staff: Some(user) }, content)
}

fn status_name(language: Language, status: SurveyStatus) -> String {
    t(language, &format!("survey-status-{}", status.code()))
}

/// The survey list with the "new survey" and import forms.
pub fn list(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    municipality: &Municipality,
    view: &ListView<'_>,
) -> Markup {
    let language = context.language;
    let title = t(language, "surveys-title");
    let errors = view.errors;
    let form = &view.form;
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        (error_summary(language, errors))
        @if view.surveys.is_empty() {
            p class="ds-paragraph" { (t(language, "surveys-none")) }
        } @else {
            (data_table("surveys-caption", None, html! { (t(language, "surveys-caption")) }, html! {
                    thead { tr {
                        th scope="col" { (t(language, "survey-field-title")) }
                        th scope="col" { (t(language, "survey-kind")) }
                        th scope="col" { (t(language, "survey-status")) }
                        th scope="col" { (t(language, "survey-field-closes-on")) }
                        th scope="col" class="numeric" { (t(language, "survey-minutes")) }
                    } }
                    tbody {
                        @for survey in view.surveys {
                            tr {
                                th scope="row" {
                                    a class="ds-link" href={ "/staff/surveys/" (survey.id) } {
                                        (survey.definition.title.get(language, municipality.default_language))
                                    }
                                }
                                td { (t(language, &format!("survey-kind-{}", survey.kind.code()))) }
                                td {
                                    @if survey.status == SurveyStatus::Draft && survey.approval_requested_at.is_some() {
                                        (t(language, "survey-status-awaiting-approval"))
                                    } @else {
                                        (status_name(language, survey.status))
                                    }
                                }
                                td { (survey.closes_on.and_then(|d| d.format(DATE_FORMAT).ok()).unwrap_or_default()) }
                                td class="numeric" { (survey.definition.expected_minutes()) }
                            }
                        }
                    }
            }))
        }
        @if user.role.includes(Role::Editor) {
            section aria-labelledby="new-heading" class="card-section" {
                h2 class="ds-heading" data-size="md" id="new-heading" { (t(language, "surveys-new-heading")) }
                form method="post" action="/staff/surveys" class="stack" {
                    (csrf_field(context))
                    (input_field(language, "title", "title", &t(language, "survey-field-title"), form.get("title"), errors, false))
                    fieldset class="ds-fieldset" id=(field_id("languages")) {
                        legend class="ds-label" { (t(language, "survey-field-languages")) }
                        (messages(language, errors, "languages"))
                        @for option in &municipality.languages {
                            div class="ds-field" {
                                input class="ds-input" type="checkbox" name="languages" value=(option.code())
                                    id={ "new-language-" (option.code()) }
                                    checked[form.all("languages").contains(&option.code()) || (form.0.is_empty() && *option == municipality.default_language)];
                                label class="ds-label" for={ "new-language-" (option.code()) } lang=(option.code()) { (option.native_name()) }
                            }
                        }
                    }
                    fieldset class="ds-fieldset" id=(field_id("kind")) {
                        legend class="ds-label" { (t(language, "survey-kind")) }
                        (messages(language, errors, "kind"))
                        @for kind in ["panel", "open"] {
                            div class="ds-field" {
                                input class="ds-input" type="radio" name="kind" value=(kind) id={ "new-kind-" (kind) }
                                    checked[form.get("kind") == kind || (form.get("kind").is_empty() && kind == "panel")];
                                label class="ds-label" for={ "new-kind-" (kind) } { (t(language, &format!("survey-kind-{kind}"))) }
                            }
                        }
                    }
                    button class="ds-button" data-variant="primary" type="submit" { (t(language, "surveys-new-button")) }
                }
            }
            section aria-labelledby="import-heading" class="card-section" {
                h2 class="ds-heading" data-size="md" id="import-heading" { (t(language, "surveys-import-heading")) }
                form method="post" action={ "/staff/surveys/import?csrf=" (context.csrf_token) } enctype="multipart/form-data" class="stack" {
                    div class="ds-field" {
                        label class="ds-label" for=(field_id("file")) { (t(language, "surveys-import-file")) }
                        p class="ds-paragraph field-hint" data-size="sm" id="import-hint" { (t(language, "surveys-import-hint")) }
                        input class="ds-input" type="file" name="file" id=(field_id("file")) accept=".json,application/json" required aria-describedby="import-hint";
                    }
                    button class="ds-button" data-variant="secondary" type="submit" { (t(language, "surveys-import-button")) }
                }
            }
        }
    };
    staff_page(state, context, user, title, content)
}

/// The element a problem at a JSON path is shown at and linked to.
pub fn anchor(field: &str) -> String {
    const QUESTION_FIELDS: [&str; 13] = [
        "key",
        "text",
        "help",
        "options",
        "scale",
        "statements",
        "low_label",
        "high_label",
        "show_if",
        "compass_area",
        "min",
        "max",
        "max_length",
    ];
    const META_FIELDS: [&str; 12] = [
        "title",
        "purpose",
        "influence",
        "decided_by",
        "decision_when",
        "results_when",
        "closes_on",
        "ladder_step",
        "reminder_after_days",
        "max_reminders",
        "languages",
        "sections",
    ];
    let first = |rest: &str| rest.trim_start_matches('.').split(['.', '[']).next().unwrap_or_default().to_owned();
    let Some(rest) = field.strip_prefix("sections[") else {
        let name = first(field);
        return if META_FIELDS.contains(&name.as_str()) { name } else { "status".into() };
    };
    let Some((index, rest)) = rest.split_once(']') else { return "sections".into() };
    let section = format!("sections[{index}]");
    if let Some(rest) = rest.strip_prefix(".questions[") {
        let Some((q, rest)) = rest.split_once(']') else { return section };
        let question = format!("{section}.questions[{q}]");
        let name = first(rest);
        return if QUESTION_FIELDS.contains(&name.as_str()) { format!("{question}.{name}") } else { question };
    }
    let name = first(rest);
    if ["title", "intro", "show_if"].contains(&name.as_str()) { format!("{section}.{name}") } else { section }
}

/// Error summary whose links go to the element each problem is shown at.
fn error_summary(language: Language, errors: Option<&Invalid>) -> Markup {
    let Some(errors) = errors.filter(|e| !e.0.is_empty()) else { return html! {} };
    html! {
        div class="ds-error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-heading" {
            h2 class="ds-heading" data-size="xs" id="error-summary-heading" { (t(language, "error-summary-heading")) }
            ul class="ds-list" {
                @for error in &errors.0 {
                    li { a class="ds-link" href={ "#" (field_id(&anchor(&error.field))) } { (describe(language, error)) } }
                }
            }
        }
    }
}

fn describe(language: Language, error: &FieldError) -> String {
    if error.field.contains('[') || error.field.contains('.') {
        format!("{} ({})", field_error(language, error), error.field)
    } else {
        field_error(language, error)
    }
}

/// Messages for every problem shown at `path`.
fn messages(language: Language, errors: Option<&Invalid>, path: &str) -> Markup {
    html! {
        @for error in errors.iter().flat_map(|e| e.0.iter()).filter(|e| anchor(&e.field) == path) {
            p class="ds-validation-message" data-color="danger" id={ (field_id(path)) "-error" } { (describe(language, error)) }
        }
    }
}

fn has_error(errors: Option<&Invalid>, path: &str) -> bool {
    errors.is_some_and(|e| e.0.iter().any(|e| anchor(&e.field) == path))
}

fn input_field(
    language: Language,
    name: &str,
    path: &str,
    label: &str,
    value: &str,
    errors: Option<&Invalid>,
    number: bool,
) -> Markup {
    let id = field_id(path);
    let invalid = has_error(errors, path);
    html! {
        div class="ds-field" {
            label class="ds-label" for=(id) { (label) }
            (messages(language, errors, path))
            input class="ds-input" id=(id) name=(name) type="text" value=(value)
                inputmode=[number.then_some("decimal")]
                aria-invalid=[invalid.then_some("true")]
                aria-describedby=[invalid.then(|| format!("{id}-error"))];
        }
    }
}

/// Shared state while rendering the builder.
struct Builder<'a> {
    language: Language,
    languages: &'a [Language],
    errors: Option<&'a Invalid>,
    failed: Option<&'a FormValues>,
    context: &'a RequestContext,
    survey_id: i32,
    /// Texts may be edited.
    texts: bool,
    /// Structure may be edited.
    structure: bool,
}

impl Builder<'_> {
    /// The values a form shows: as typed if it just failed, else `stored`.
    fn values(&self, op: &str, target: &str, stored: impl FnOnce() -> FormValues) -> FormValues {
        match self.failed {
            Some(failed) if failed.form_id() == form_id(op, target) => failed.clone(),
            _ => stored(),
        }
    }

    fn form(&self, op: &str, target: &str, anchor: &str, content: Markup, button: &str, enabled: bool) -> Markup {
        html! {
            form method="post" action={ "/staff/surveys/" (self.survey_id) "/edit" } class="stack" {
                (csrf_field(self.context))
                input type="hidden" name="op" value=(op);
                input type="hidden" name="target" value=(target);
                input type="hidden" name="anchor" value=(field_id(anchor));
                @if enabled {
                    (content)
                    button class="ds-button" data-variant="secondary" type="submit" { (t(self.language, button)) }
                } @else {
                    fieldset class="plain" disabled {
                        legend class="ds-label" { (t(self.language, "survey-read-only")) }
                        (content)
                    }
                }
            }
        }
    }

    fn button(&self, op: &str, target: &str, extra: Option<(&str, &str)>, label: String) -> Markup {
        html! {
            form method="post" action={ "/staff/surveys/" (self.survey_id) "/edit" } class="inline-form" {
                (csrf_field(self.context))
                input type="hidden" name="op" value=(op);
                input type="hidden" name="target" value=(target);
                @if let Some((name, value)) = extra { input type="hidden" name=(name) value=(value); }
                button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" { (label) }
            }
        }
    }

    /// One input (or textarea) per survey language in a fieldset.
    fn texts(&self, values: &FormValues, name: &str, path: &str, label_key: &str, rows: u8) -> Markup {
        let invalid = has_error(self.errors, path);
        html! {
            fieldset class="ds-fieldset" id=(field_id(path)) {
                legend class="ds-label" { (t(self.language, label_key)) }
                (messages(self.language, self.errors, path))
                @for language in self.languages {
                    @let id = field_id(&format!("{path}.{}", language.code()));
                    @let field = format!("{name}.{}", language.code());
                    div class="ds-field" {
                        label class="ds-label" for=(id) { (language.native_name()) }
                        @if rows > 1 {
                            textarea class="ds-input" id=(id) name=(field) rows=(rows) lang=(language.code())
                                aria-invalid=[invalid.then_some("true")]
                                aria-describedby=[invalid.then(|| format!("{}-error", field_id(path)))] { (values.get(&field)) }
                        } @else {
                            input class="ds-input" id=(id) name=(field) type="text" value=(values.get(&field)) lang=(language.code())
                                aria-invalid=[invalid.then_some("true")]
                                aria-describedby=[invalid.then(|| format!("{}-error", field_id(path)))];
                        }
                    }
                }
            }
        }
    }

    fn checkbox(&self, values: &FormValues, name: &str, path: &str, label_key: &str) -> Markup {
        let id = field_id(&format!("{path}.{name}"));
        html! {
            div class="ds-field" {
                input class="ds-input" type="checkbox" name=(name) id=(id) checked[values.checked(name)];
                label class="ds-label" for=(id) { (t(self.language, label_key)) }
            }
        }
    }

    fn select(
        &self,
        values: &FormValues,
        name: &str,
        path: &str,
        label_key: &str,
        options: &[(String, String)],
    ) -> Markup {
        let id = field_id(path);
        html! {
            div class="ds-field" {
                label class="ds-label" for=(id) { (t(self.language, label_key)) }
                (messages(self.language, self.errors, path))
                select class="ds-input" name=(name) id=(id) {
                    @for (value, label) in options {
                        option value=(value) selected[values.get(name) == value] { (label) }
                    }
                }
            }
        }
    }

    fn ladder_options(&self) -> Vec<(String, String)> {
        std::iter::once((String::new(), t(self.language, "survey-none")))
            .chain(
                LadderStep::ALL
                    .iter()
                    .map(|s| (s.code().to_owned(), t(self.language, &format!("survey-ladder-{}", s.code())))),
            )
            .collect()
    }
}

fn set_text(values: &mut FormValues, name: &str, text: &crate::domain::survey::Text, languages: &[Language]) {
    for language in languages {
        values.push(format!("{name}.{}", language.code()), text.0.get(language).cloned().unwrap_or_default());
    }
}

fn set_choices(values: &mut FormValues, name: &str, choices: &[Choice], languages: &[Language]) {
    for language in languages {
        let lines: Vec<String> = choices.iter().map(|c| c.label.0.get(language).cloned().unwrap_or_default()).collect();
        values.push(format!("{name}.{}", language.code()), lines.join("\n"));
    }
}

fn meta_values(definition: &SurveyDefinition, columns: &SurveyColumns) -> FormValues {
    let mut values = FormValues::default();
    let languages = &definition.languages;
    for (name, text) in [
        ("title", &definition.title),
        ("purpose", &definition.purpose),
        ("influence", &definition.influence),
        ("decided_by", &definition.decided_by),
        ("decision_when", &definition.decision_when),
        ("results_when", &definition.results_when),
    ] {
        set_text(&mut values, name, text, languages);
    }
    for language in languages {
        values.push("languages", language.code());
    }
    values.push("closes_on", columns.closes_on.and_then(|d| d.format(DATE_FORMAT).ok()).unwrap_or_default());
    values.push("ladder_step", columns.ladder_step.map(|s| s.code()).unwrap_or_default());
    values.push("reminder_after_days", columns.reminder_after_days.to_string());
    values.push("max_reminders", columns.max_reminders.to_string());
    if columns.one_answer_per_browser {
        values.push("one_answer_per_browser", "1");
    }
    values
}

fn question_values(question: &Question, languages: &[Language]) -> FormValues {
    let mut values = FormValues::default();
    values.push("key", question.key.clone());
    set_text(&mut values, "text", &question.text, languages);
    set_text(&mut values, "help", &question.help, languages);
    if question.required {
        values.push("required", "on");
    }
    if question.dont_know {
        values.push("dont_know", "on");
    }
    values.push("compass_area", question.compass_area.map(|a| a.to_string()).unwrap_or_default());
    values.push("ladder_step", question.ladder_step.map(|s| s.code()).unwrap_or_default());
    let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    match &question.kind {
        QuestionKind::SingleChoice { options, ordered } => {
            set_choices(&mut values, "options", options, languages);
            if *ordered {
                values.push("ordered", "on");
            }
        }
        QuestionKind::MultipleChoice { options, other } => {
            set_choices(&mut values, "options", options, languages);
            if *other {
                values.push("other", "on");
            }
        }
        QuestionKind::Likert { scale } => set_choices(&mut values, "scale", scale, languages),
        QuestionKind::LikertMatrix { scale, statements } => {
            set_choices(&mut values, "scale", scale, languages);
            set_choices(&mut values, "statements", statements, languages);
        }
        QuestionKind::Rating { low_label, high_label } => {
            set_text(&mut values, "low_label", low_label, languages);
            set_text(&mut values, "high_label", high_label, languages);
        }
        QuestionKind::Number { min, max, integer } => {
            values.push("min", number(*min));
            values.push("max", number(*max));
            if *integer {
                values.push("integer", "on");
            }
        }
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            values.push("max_length", max_length.map(|n| n.to_string()).unwrap_or_default());
        }
        QuestionKind::Ranking { options } => set_choices(&mut values, "options", options, languages),
    }
    values
}

fn rule_values(condition: Option<&Condition>) -> FormValues {
    let mut values = FormValues::default();
    if let Some(condition) = condition {
        values.push("combine", if condition.combine == crate::domain::survey::Combine::Any { "any" } else { "all" });
        for (row, rule) in condition.rules.iter().enumerate() {
            values.push(format!("rule_question.{row}"), rule.question.clone());
            let op = OPERATORS.iter().find(|(op, _)| *op == rule.op).map_or("equals", |(_, code)| code);
            values.push(format!("rule_op.{row}"), op);
            values.push(format!("rule_values.{row}"), rule.values.join(","));
            values.push(format!("rule_number.{row}"), rule.number.map(|n| n.to_string()).unwrap_or_default());
        }
    }
    values
}

/// The builder page of one survey.
pub fn edit(
    state: &AppState,
    context: &RequestContext,
    user: &StaffUser,
    municipality: &Municipality,
    survey: &Survey,
    view: EditView,
) -> Markup {
    let language = context.language;
    let stored_columns = columns_of(survey);
    let (definition, columns) = view.candidate.clone().unwrap_or((survey.definition.clone(), stored_columns));
    let editor = user.role.includes(Role::Editor);
    let builder = Builder {
        language,
        languages: &definition.languages,
        errors: view.errors.as_ref(),
        failed: view.failed_form.as_ref(),
        context,
        survey_id: survey.id,
        texts: editor && matches!(survey.status, SurveyStatus::Draft | SurveyStatus::Open),
        structure: editor && survey.status == SurveyStatus::Draft,
    };
    let title_text = definition.title.get(language, municipality.default_language).to_owned();
    let title = t_with(language, "survey-edit-title", &[("title", title_text.clone())]);
    let missing = validate::missing_translations(&definition);
    let content = html! {
        p class="ds-paragraph" { a class="ds-link" href="/staff/surveys" { (t(language, "surveys-back")) } }
        h1 class="ds-heading" data-size="lg" { (title_text) }
        @if view.saved {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, "survey-saved")) } }))
        }
        @if view.requested {
            (alert("success", html! { p class="ds-paragraph" role="status" { (t(language, "survey-approval-requested")) } }))
        }
        @if let Some(link) = &view.public_link {
            (alert("info", html! {
                p class="ds-paragraph" { (t(language, "survey-public-link-once")) }
                p class="ds-paragraph" { code id="public-link" { (link) } }
            }))
        }
        (survey_tools(language, user, survey))
        (error_summary(language, view.errors.as_ref()))
        (lifecycle(&builder, user, survey, &definition, &missing, view.requested_by.as_deref()))
        (meta_form(&builder, municipality, survey.kind, &definition, &columns))
        @for (s, section) in definition.sections.iter().enumerate() {
            (section_block(&builder, &definition, s, section))
        }
        @if builder.structure {
            section class="card-section" id=(field_id("sections")) aria-labelledby="add-section-heading" {
                h2 class="ds-heading" data-size="md" id="add-section-heading" { (t(language, "survey-add-section")) }
                (messages(language, builder.errors, "sections"))
                @let values = builder.values("section_add", "", FormValues::default);
                (builder.form("section_add", "", "sections", html! {
                    (builder.texts(&values, "title", "new_section.title", "survey-field-section-title", 1))
                    (new_question_fields(&builder, &values, "new_section"))
                }, "survey-add-section", true))
            }
        }
    };
    staff_page(state, context, user, title, content)
}

fn lifecycle(
    builder: &Builder<'_>,
    user: &StaffUser,
    survey: &Survey,
    definition: &SurveyDefinition,
    missing: &[(String, Language)],
    requested_by: Option<&str>,
) -> Markup {
    let language = builder.language;
    let requested_on = survey
        .approval_requested_at
        .and_then(|at| time::OffsetDateTime::from_unix_timestamp(at).ok())
        .and_then(|at| at.date().format(DATE_FORMAT).ok());
    let step = match survey.status {
        SurveyStatus::Draft => Some(("approve", "survey-approve-button")),
        SurveyStatus::Approved => Some(("open", "survey-open-button")),
        SurveyStatus::Open => Some(("close", "survey-close-button")),
        _ => None,
    };
    html! {
        section class="card-section" id=(field_id("status")) aria-labelledby="status-heading" {
            h2 class="ds-heading" data-size="md" id="status-heading" { (t(language, "survey-status")) }
            (messages(language, builder.errors, "status"))
            dl class="figures" {
                div { dt { (t(language, "survey-status")) } dd id="survey-status" { (status_name(language, survey.status)) } }
                div { dt { (t(language, "survey-kind")) } dd { (t(language, &format!("survey-kind-{}", survey.kind.code()))) } }
                div { dt { (t(language, "survey-minutes")) } dd id="survey-minutes" { (definition.expected_minutes()) } }
                div { dt { (t(language, "survey-questions")) } dd { (definition.questions().count()) } }
                @if let (SurveyStatus::Draft, Some(date)) = (survey.status, &requested_on) {
                    div {
                        dt { (t(language, "survey-approval-requested-label")) }
                        dd id="approval-requested" {
                            (t_with(language, "survey-approval-requested-by", &[
                                ("date", date.clone()),
                                ("name", requested_by.unwrap_or("–").to_owned()),
                            ]))
                        }
                    }
                }
            }
            @if !missing.is_empty() {
                h3 class="ds-heading" data-size="xs" id="missing-heading" { (t(language, "survey-missing-translations")) }
                ul class="ds-list" aria-labelledby="missing-heading" id="missing-translations" {
                    @for (path, missing_language) in missing {
                        li { a class="ds-link" href={ "#" (field_id(&anchor(path))) } { code { (path) } } " – " (missing_language.native_name()) }
                    }
                }
            }
            div class="button-row" {
                a class="ds-link" href={ "/staff/surveys/" (survey.id) "/export" } download { (t(language, "survey-export")) }
                @if user.role.includes(Role::Editor) {
                    form method="post" action={ "/staff/surveys/" (survey.id) "/duplicate" } class="inline-form" {
                        (csrf_field(builder.context))
                        button class="ds-button" data-variant="secondary" type="submit" { (t(language, "survey-duplicate")) }
                    }
                }
                @if survey.status == SurveyStatus::Draft && requested_on.is_none() && user.role.includes(Role::Editor) {
                    form method="post" action={ "/staff/surveys/" (survey.id) "/request-approval" } class="inline-form" {
                        (csrf_field(builder.context))
                        button class="ds-button" data-variant="secondary" type="submit" { (t(language, "survey-request-approval")) }
                    }
                }
                @if let (true, Some((step, label))) = (user.role == Role::Admin, step) {
                    form method="post" action={ "/staff/surveys/" (survey.id) "/status/" (step) } class="inline-form" {
                        (csrf_field(builder.context))
                        button class="ds-button" data-variant="primary" type="submit" { (t(language, label)) }
                    }
                }
            }
        }
    }
}

fn meta_form(
    builder: &Builder<'_>,
    municipality: &Municipality,
    kind: SurveyKind,
    definition: &SurveyDefinition,
    columns: &SurveyColumns,
) -> Markup {
    let language = builder.language;
    let values = builder.values("meta", "", || meta_values(definition, columns));
    let once = values.all("one_answer_per_browser").contains(&"1");
    let content = html! {
        @for (name, key, rows) in [
            ("title", "survey-field-title", 1),
            ("purpose", "survey-field-purpose", 3),
            ("influence", "survey-field-influence", 3),
            ("decided_by", "survey-field-decided-by", 1),
            ("decision_when", "survey-field-decision-when", 1),
            ("results_when", "survey-field-results-when", 1),
        ] {
            (builder.texts(&values, name, name, key, rows))
        }
        fieldset class="ds-fieldset" id=(field_id("languages")) {
            legend class="ds-label" { (t(language, "survey-field-languages")) }
            (messages(language, builder.errors, "languages"))
            input type="hidden" name="languages_present" value="1";
            @for option in &municipality.languages {
                div class="ds-field" {
                    input class="ds-input" type="checkbox" name="languages" value=(option.code())
                        id={ "meta-language-" (option.code()) } checked[values.all("languages").contains(&option.code())];
                    label class="ds-label" for={ "meta-language-" (option.code()) } lang=(option.code()) { (option.native_name()) }
                }
            }
        }
        (input_field(language, "closes_on", "closes_on", &t(language, "survey-field-closes-on"), values.get("closes_on"), builder.errors, false))
        (builder.select(&values, "ladder_step", "ladder_step", "survey-field-ladder-step", &builder.ladder_options()))
        (input_field(language, "reminder_after_days", "reminder_after_days", &t(language, "survey-field-reminder-days"), values.get("reminder_after_days"), builder.errors, true))
        (input_field(language, "max_reminders", "max_reminders", &t(language, "survey-field-max-reminders"), values.get("max_reminders"), builder.errors, true))
        @if kind == SurveyKind::Open {
            input type="hidden" name="one_answer_per_browser_present" value="1";
            div class="ds-field" {
                input class="ds-input" type="checkbox" name="one_answer_per_browser" value="1"
                    id="meta-one-answer-per-browser" aria-describedby="meta-one-answer-per-browser-hint" checked[once];
                label class="ds-label" for="meta-one-answer-per-browser" { (t(language, "survey-field-one-answer-per-browser")) }
                p class="ds-paragraph field-hint" data-size="sm" id="meta-one-answer-per-browser-hint" {
                    (t(language, "survey-field-one-answer-per-browser-hint"))
                }
            }
        }
    };
    html! {
        section class="card-section" aria-labelledby="meta-heading" {
            h2 class="ds-heading" data-size="md" id="meta-heading" { (t(language, "survey-meta-heading")) }
            p class="ds-paragraph field-hint" data-size="sm" { (t(language, "survey-meta-hint")) }
            (builder.form("meta", "", "meta-heading", content, "save", builder.texts))
        }
    }
}

fn type_options(language: Language) -> Vec<(String, String)> {
    QUESTION_TYPES.iter().map(|k| ((*k).to_owned(), t(language, &format!("survey-type-{k}")))).collect()
}

/// Type, text and options of a question being added.
fn new_question_fields(builder: &Builder<'_>, values: &FormValues, path: &str) -> Markup {
    html! {
        (builder.select(values, "type", &format!("{path}.type"), "survey-field-type", &type_options(builder.language)))
        (builder.texts(values, "text", &format!("{path}.text"), "survey-field-question-text", 2))
        (builder.texts(values, "options", &format!("{path}.options"), "survey-field-new-options", 4))
    }
}

fn section_block(builder: &Builder<'_>, definition: &SurveyDefinition, s: usize, section: &Section) -> Markup {
    let language = builder.language;
    let path = format!("sections[{s}]");
    let target = s.to_string();
    let values = builder.values("section_update", &target, || {
        let mut values = FormValues::default();
        set_text(&mut values, "title", &section.title, builder.languages);
        set_text(&mut values, "intro", &section.intro, builder.languages);
        values
    });
    let rule = builder.values("section_rule", &target, || rule_values(section.show_if.as_ref()));
    let earlier: Vec<&Question> = definition.sections[..s].iter().flat_map(|x| x.questions.iter()).collect();
    let add = builder.values("question_add", &target, FormValues::default);
    html! {
        section class="card-section survey-section" id=(field_id(&path)) aria-labelledby={ (field_id(&path)) "-heading" } {
            h2 class="ds-heading" data-size="md" id={ (field_id(&path)) "-heading" } {
                (t_with(language, "survey-section-heading", &[("number", (s + 1).to_string()), ("title", section.title.get(language, builder.languages.first().copied().unwrap_or(language)).to_owned())]))
            }
            (messages(language, builder.errors, &path))
            @if builder.structure {
                div class="button-row" {
                    (builder.button("section_move", &target, Some(("direction", "up")), t(language, "survey-move-up")))
                    (builder.button("section_move", &target, Some(("direction", "down")), t(language, "survey-move-down")))
                    (builder.button("section_delete", &target, None, t(language, "survey-delete-section")))
                }
            }
            (builder.form("section_update", &target, &path, html! {
                (builder.texts(&values, "title", &format!("{path}.title"), "survey-field-section-title", 1))
                (builder.texts(&values, "intro", &format!("{path}.intro"), "survey-field-intro", 2))
            }, "save", builder.texts))
            (rule_form(builder, "section_rule", &target, &format!("{path}.show_if"), &rule, &earlier))
            @for (q, question) in section.questions.iter().enumerate() {
                (question_block(builder, definition, s, q, question))
            }
            @if builder.structure {
                h3 class="ds-heading" data-size="sm" { (t(language, "survey-add-question")) }
                (builder.form("question_add", &target, &path, new_question_fields(builder, &add, &format!("{path}.new")), "survey-add-question", true))
            }
        }
    }
}

fn rule_form(
    builder: &Builder<'_>,
    op: &str,
    target: &str,
    path: &str,
    values: &FormValues,
    earlier: &[&Question],
) -> Markup {
    let language = builder.language;
    let first = builder.languages.first().copied().unwrap_or(language);
    let questions: Vec<(String, String)> = std::iter::once((String::new(), t(language, "survey-none")))
        .chain(earlier.iter().map(|q| (q.key.clone(), format!("{} – {}", q.key, q.text.get(language, first)))))
        .collect();
    let operators: Vec<(String, String)> =
        OPERATORS.iter().map(|(_, code)| ((*code).to_owned(), t(language, &format!("survey-op-{code}")))).collect();
    let combine =
        [("all".to_owned(), t(language, "survey-match-all")), ("any".to_owned(), t(language, "survey-match-any"))];
    let content = html! {
        fieldset class="ds-fieldset" id=(field_id(path)) {
            legend class="ds-label" { (t(language, "survey-rule-heading")) }
            p class="ds-paragraph field-hint" data-size="sm" { (t(language, "survey-rule-hint")) }
            (messages(language, builder.errors, path))
            (builder.select(values, "combine", &format!("{path}.combine"), "survey-rule-combine", &combine))
            @for row in 0..RULE_ROWS {
                div class="rule-row" {
                    (builder.select(values, &format!("rule_question.{row}"), &format!("{path}.question.{row}"), "survey-rule-question", &questions))
                    (builder.select(values, &format!("rule_op.{row}"), &format!("{path}.op.{row}"), "survey-rule-op", &operators))
                    (input_field(language, &format!("rule_values.{row}"), &format!("{path}.values.{row}"), &t(language, "survey-rule-values"), values.get(&format!("rule_values.{row}")), None, false))
                    (input_field(language, &format!("rule_number.{row}"), &format!("{path}.number.{row}"), &t(language, "survey-rule-number"), values.get(&format!("rule_number.{row}")), None, true))
                }
            }
        }
    };
    builder.form(op, target, path, content, "survey-rule-save", builder.structure && !earlier.is_empty())
}

fn question_block(
    builder: &Builder<'_>,
    definition: &SurveyDefinition,
    s: usize,
    q: usize,
    question: &Question,
) -> Markup {
    let language = builder.language;
    let path = format!("sections[{s}].questions[{q}]");
    let key = question.key.as_str();
    let values = builder.values("question_update", key, || question_values(question, builder.languages));
    let rule = builder.values("question_rule", key, || rule_values(question.show_if.as_ref()));
    let earlier: Vec<&Question> = definition.questions().map(|(_, x)| x).take_while(|x| x.key != key).collect();
    let areas: Vec<(String, String)> = std::iter::once((String::new(), t(language, "survey-none")))
        .chain((1..=8).map(|a| (a.to_string(), t_with(language, "survey-compass-area", &[("number", a.to_string())]))))
        .collect();
    let content = html! {
        (input_field(language, "key", &format!("{path}.key"), &t(language, "survey-field-key"), values.get("key"), builder.errors, false))
        (builder.texts(&values, "text", &format!("{path}.text"), "survey-field-question-text", 2))
        (builder.texts(&values, "help", &format!("{path}.help"), "survey-field-help", 2))
        @match &question.kind {
            QuestionKind::SingleChoice { .. } => {
                (builder.texts(&values, "options", &format!("{path}.options"), "survey-field-options", 5))
                (builder.checkbox(&values, "ordered", &path, "survey-field-ordered"))
            }
            QuestionKind::MultipleChoice { .. } => {
                (builder.texts(&values, "options", &format!("{path}.options"), "survey-field-options", 5))
                (builder.checkbox(&values, "other", &path, "survey-field-other"))
            }
            QuestionKind::Ranking { .. } => {
                (builder.texts(&values, "options", &format!("{path}.options"), "survey-field-options", 5))
            }
            QuestionKind::Likert { .. } => {
                (builder.texts(&values, "scale", &format!("{path}.scale"), "survey-field-scale", 5))
            }
            QuestionKind::LikertMatrix { .. } => {
                (builder.texts(&values, "scale", &format!("{path}.scale"), "survey-field-scale", 5))
                (builder.texts(&values, "statements", &format!("{path}.statements"), "survey-field-statements", 5))
            }
            QuestionKind::Rating { .. } => {
                (builder.texts(&values, "low_label", &format!("{path}.low_label"), "survey-field-low-label", 1))
                (builder.texts(&values, "high_label", &format!("{path}.high_label"), "survey-field-high-label", 1))
            }
            QuestionKind::Number { .. } => {
                (input_field(language, "min", &format!("{path}.min"), &t(language, "survey-field-min"), values.get("min"), builder.errors, true))
                (input_field(language, "max", &format!("{path}.max"), &t(language, "survey-field-max"), values.get("max"), builder.errors, true))
                (builder.checkbox(&values, "integer", &path, "survey-field-integer"))
            }
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                (input_field(language, "max_length", &format!("{path}.max_length"), &t(language, "survey-field-max-length"), values.get("max_length"), builder.errors, true))
            }
        }
        (builder.checkbox(&values, "required", &path, "survey-field-required"))
        (builder.checkbox(&values, "dont_know", &path, "survey-field-dont-know"))
        (builder.select(&values, "compass_area", &format!("{path}.compass_area"), "survey-field-compass-area", &areas))
        (builder.select(&values, "ladder_step", &format!("{path}.ladder_step"), "survey-field-ladder-step", &builder.ladder_options()))
    };
    html! {
        article class="survey-question" id=(field_id(&path)) aria-labelledby={ (field_id(&path)) "-heading" } {
            h3 class="ds-heading" data-size="sm" id={ (field_id(&path)) "-heading" } {
                (t_with(language, "survey-question-heading", &[("number", (q + 1).to_string()), ("type", t(language, &format!("survey-type-{}", question.kind.name()))), ("key", key.to_owned())]))
            }
            (messages(language, builder.errors, &path))
            @if builder.structure {
                div class="button-row" {
                    (builder.button("question_move", key, Some(("direction", "up")), t(language, "survey-move-up")))
                    (builder.button("question_move", key, Some(("direction", "down")), t(language, "survey-move-down")))
                    (builder.button("question_delete", key, None, t(language, "survey-delete-question")))
                }
            }
            (builder.form("question_update", key, &path, content, "save", builder.texts))
            (rule_form(builder, "question_rule", key, &format!("{path}.show_if"), &rule, &earlier))
        }
    }
}

/// Links to everything else staff do with a survey, by role and state.
fn survey_tools(language: Language, user: &StaffUser, survey: &Survey) -> Markup {
    let id = survey.id;
    let running = matches!(survey.status, SurveyStatus::Open | SurveyStatus::Closed | SurveyStatus::Published);
    html! {
        nav class="survey-tools" aria-label=(t(language, "survey-tools-label")) {
            ul class="ds-list" {
                li { a class="ds-link" href={ "/staff/surveys/" (id) "/preview" } { (t(language, "survey-tools-preview")) } }
                @if survey.status == SurveyStatus::Open && survey.kind == SurveyKind::Panel && user.role.includes(Role::Editor) {
                    li { a class="ds-link" href={ "/staff/surveys/" (id) "/invitations" } { (t(language, "survey-tools-invitations")) } }
                }
                @if matches!(survey.status, SurveyStatus::Open | SurveyStatus::Closed) && user.role.includes(Role::Editor) {
                    li { a class="ds-link" href={ "/staff/surveys/" (id) "/paper" } { (t(language, "survey-tools-paper")) } }
                }
                @if running && user.role.includes(Role::Analyst) {
                    li { a class="ds-link" href={ "/staff/surveys/" (id) "/results" } { (t(language, "survey-tools-results")) } }
                }
                @if running && user.role.includes(Role::Editor) {
                    li { a class="ds-link" href={ "/staff/surveys/" (id) "/moderation" } { (t(language, "survey-tools-moderation")) } }
                }
                @if matches!(survey.status, SurveyStatus::Closed | SurveyStatus::Published) && user.role.includes(Role::Editor) {
                    li { a class="ds-link" href={ "/staff/surveys/" (id) "/feedback" } { (t(language, "survey-tools-feedback")) } }
                }
                @if survey.status == SurveyStatus::Published {
                    li { a class="ds-link" href={ "/results/" (id) } { (t(language, "survey-tools-public")) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::anchor;

    #[test]
    fn problems_are_anchored_at_their_form_element() {
        assert_eq!(anchor("sections[1].questions[2].options[3].label"), "sections[1].questions[2].options");
        assert_eq!(anchor("sections[1].questions[2].show_if.rules[0].values"), "sections[1].questions[2].show_if");
        assert_eq!(anchor("sections[1].questions[2].type"), "sections[1].questions[2]");
        assert_eq!(anchor("sections[0].title"), "sections[0].title");
        assert_eq!(anchor("sections[0].key"), "sections[0]");
        assert_eq!(anchor("purpose"), "purpose");
        assert_eq!(anchor("compass_area"), "status");
    }
}
