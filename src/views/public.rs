//! Pages for residents and the public.

use maud::{Markup, html};

use crate::i18n::{t, t_with};
use crate::services::tenant::Municipality;
use crate::views::layout::{Area, Page, render};
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// The municipality's front page of the panel.
pub fn home(state: &AppState, context: &RequestContext, municipality: &Municipality) -> Markup {
    let language = context.language;
    let title = t_with(language, "home-title", &[("municipality", municipality.name.clone())]);
    let content = html! {
        h1 class="ds-heading" data-size="xl" { (title) }
        p class="ds-paragraph lead" data-size="lg" { (t(language, "home-lead")) }
        p class="ds-paragraph" {
            a class="ds-button" data-variant="primary" href="/panel/join" { (t(language, "panel-home-join")) }
            " "
            a class="ds-link" href="/panel/sign-in" { (t(language, "panel-home-sign-in")) }
        }
        section aria-labelledby="how-heading" {
            h2 class="ds-heading" data-size="md" id="how-heading" { (t(language, "home-how-heading")) }
            ol class="ds-list steps" {
                li { (t(language, "home-how-1")) }
                li { (t(language, "home-how-2")) }
                li { (t(language, "home-how-3")) }
            }
        }
        section aria-labelledby="privacy-heading" {
            h2 class="ds-heading" data-size="md" id="privacy-heading" { (t(language, "home-privacy-heading")) }
            p class="ds-paragraph" { (t(language, "home-privacy")) }
        }
    };
    render(state, &Page { context, title, area: Area::Public, staff: None }, content)
}
