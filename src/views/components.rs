//! Small reusable pieces of HTML: form fields, error summaries, alerts.

use maud::{Markup, html};

use crate::domain::Language;
use crate::domain::validation::{FieldError, Invalid};
use crate::i18n::{field_error, t};
use crate::web::context::RequestContext;

/// The hidden CSRF field every POST form carries.
pub fn csrf_field(context: &RequestContext) -> Markup {
    html! { input type="hidden" name="csrf" value=(context.csrf_token); }
}

/// The id an input gets from its field name.
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.replace(['_', '.', '[', ']'], "-"))
}

/// A text input with label, optional hint and inline error.
pub struct TextField<'a> {
    /// Form field name.
    pub name: &'a str,
    /// Visible label.
    pub label: String,
    /// Current value.
    pub value: &'a str,
    /// `type` attribute (text, email, password, number …).
    pub input_type: &'a str,
    /// `autocomplete` attribute.
    pub autocomplete: &'a str,
    /// Optional help text under the label.
    pub hint: Option<String>,
    /// Whether the field is required.
    pub required: bool,
}

impl TextField<'_> {
    /// Render with the first error for this field, if any.
    pub fn render(&self, language: Language, errors: Option<&Invalid>) -> Markup {
        let id = field_id(self.name);
        let error = errors.and_then(|e| e.for_field(self.name));
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = [self.hint.as_ref().map(|_| hint_id.clone()), error.map(|_| error_id.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        html! {
            div class="ds-field" {
                label class="ds-label" for=(id) {
                    (self.label)
                    @if !self.required { " " span class="optional" { (t(language, "field-optional")) } }
                }
                @if let Some(hint) = &self.hint {
                    p class="ds-paragraph field-hint" data-size="sm" id=(hint_id) { (hint) }
                }
                @if let Some(error) = error {
                    p class="ds-validation-message" data-color="danger" id=(error_id) { (field_error(language, error)) }
                }
                input class="ds-input" id=(id) name=(self.name) type=(self.input_type) value=(self.value)
                    autocomplete=(self.autocomplete) required[self.required]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
            }
        }
    }
}

/// A summary of every problem at the top of a form, linking to each field.
pub fn error_summary(language: Language, errors: Option<&Invalid>) -> Markup {
    let items: Vec<(String, String)> = errors
        .map(|e| e.0.iter().map(|error| (field_id(&error.field), field_error(language, error))).collect())
        .unwrap_or_default();
    error_summary_items(language, &items)
}

/// An error summary from `(id of the field, message)` pairs, for forms whose
/// problems do not map one-to-one onto field names.
pub fn error_summary_items(language: Language, items: &[(String, String)]) -> Markup {
    if items.is_empty() {
        return html! {};
    }
    html! {
        div class="ds-error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-heading" {
            h2 class="ds-heading" data-size="xs" id="error-summary-heading" { (t(language, "error-summary-heading")) }
            ul class="ds-list" {
                @for (id, message) in items {
                    li { a class="ds-link" href={ "#" (id) } { (message) } }
                }
            }
        }
    }
}

/// A coloured message box (`success`, `info`, `warning`, `danger`).
pub fn alert(color: &str, content: Markup) -> Markup {
    html! {
        div class="ds-alert" data-color=(color) role=[(color == "danger" || color == "warning").then_some("alert")] {
            (content)
        }
    }
}

/// Turn a single problem into an [`Invalid`] for the helpers above.
pub fn single_error(field: &str, message: &'static str) -> Invalid {
    Invalid(vec![FieldError::new(field, message)])
}

/// A data table that scrolls sideways on its own when it is wider than the
/// screen (so the page never does), as a keyboard-focusable region named by
/// its caption. `content` is the table's `thead`/`tbody`/`tfoot`.
pub fn data_table(caption_id: &str, table_id: Option<&str>, caption: Markup, content: Markup) -> Markup {
    html! {
        div class="table-scroll" tabindex="0" role="region" aria-labelledby=(caption_id) {
            table class="ds-table" data-border id=[table_id] {
                caption id=(caption_id) { (caption) }
                (content)
            }
        }
    }
}
