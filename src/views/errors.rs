//! Error pages.

use maud::Markup;
use maud::html;

use crate::error::ErrorPage;
use crate::i18n::t;
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// A page explaining an error in the reader's language.
pub fn error_page(state: &AppState, context: &RequestContext, page: ErrorPage) -> Markup {
    let language = context.language;
    let (title_key, body_key) = page.message_keys();
    let title = t(language, title_key);
    let area = if context.path.starts_with("/staff") { Area::Staff } else { Area::Public };
    let content = html! {
        h1 class="ds-heading" data-size="lg" { (title) }
        p class="ds-paragraph" { (t(language, body_key)) }
        @if page == ErrorPage::Internal && !context.request_id.is_empty() {
            p class="ds-paragraph" { (t(language, "error-reference")) ": " code { (context.request_id) } }
        }
        p class="ds-paragraph" {
            a class="ds-link" href=(if area == Area::Staff { "/staff" } else { "/" }) { (t(language, "error-go-home")) }
        }
    };
    render(state, &Page { context, title, area, staff: None }, content)
}
