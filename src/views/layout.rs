//! The page shell shared by every page.

use maud::{DOCTYPE, Markup, html};

use crate::i18n::t;
use crate::services::staff::StaffUser;
use crate::web::context::RequestContext;
use crate::web::state::AppState;

/// Which part of the service a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Pages for residents and the public.
    Public,
    /// Pages for municipal staff and host operators.
    Staff,
}

/// Everything the shell needs besides the page's own content.
pub struct Page<'a> {
    /// Request context (language, municipality, CSRF token).
    pub context: &'a RequestContext,
    /// The document title (the municipality name is appended).
    pub title: String,
    /// Public or staff.
    pub area: Area,
    /// The signed-in staff member, for the staff header.
    pub staff: Option<&'a StaffUser>,
}

/// Wrap `content` in the full HTML document.
pub fn render(state: &AppState, page: &Page<'_>, content: Markup) -> Markup {
    let context = page.context;
    let language = context.language;
    let site = context.municipality.as_ref().map_or_else(|| t(language, "app-name"), |m| m.name.clone());
    let home = match page.area {
        Area::Public => "/",
        Area::Staff => "/staff",
    };
    html! {
        (DOCTYPE)
        html lang=(language.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " – " (site) }
                link rel="stylesheet" href=(state.assets.css_path());
                link rel="icon" href="data:,";
            }
            body {
                a class="ds-skip-link" href="#main" { (t(language, "skip-to-content")) }
                header class="site-header" {
                    div class="site-header__inner" {
                        a class="site-header__home" href=(home) {
                            span class="site-header__name" { (site) }
                            @if page.area == Area::Staff {
                                span class="site-header__area" { (t(language, "staff-area")) }
                            }
                        }
                        (language_switcher(context))
                        @if let Some(user) = page.staff {
                            (staff_nav(context, user))
                        }
                    }
                }
                main id="main" class="page" tabindex="-1" {
                    (content)
                }
                footer class="site-footer" {
                    p class="ds-paragraph" data-size="sm" {
                        (t(language, "footer-made-with"))
                        @if page.area == Area::Public {
                            " · " a class="ds-link" href="/kompass" { (t(language, "nav-compass")) }
                            " · " a class="ds-link" href="/staff" { (t(language, "footer-staff-link")) }
                        }
                    }
                }
            }
        }
    }
}

fn language_switcher(context: &RequestContext) -> Markup {
    let languages = context.languages();
    if languages.len() < 2 {
        return html! {};
    }
    html! {
        nav class="language-switcher" aria-label=(t(context.language, "language-switcher-label")) {
            ul {
                @for language in languages {
                    li {
                        @if language == context.language {
                            a href={ (context.path) "?lang=" (language.code()) } lang=(language.code()) hreflang=(language.code()) aria-current="true" {
                                (language.native_name())
                            }
                        } @else {
                            a href={ (context.path) "?lang=" (language.code()) } lang=(language.code()) hreflang=(language.code()) {
                                (language.native_name())
                            }
                        }
                    }
                }
            }
        }
    }
}

fn staff_nav(context: &RequestContext, user: &StaffUser) -> Markup {
    let language = context.language;
    html! {
        nav class="staff-nav" aria-label=(t(language, "staff-nav-label")) {
            ul {
                @if user.role == crate::domain::Role::Operator {
                    li { a href="/staff/municipalities" { (t(language, "nav-municipalities")) } }
                } @else {
                    li { a href="/staff" { (t(language, "nav-dashboard")) } }
                    li { a href="/staff/surveys" { (t(language, "surveys-nav")) } }
                    li { a href="/staff/compass" { (t(language, "nav-compass")) } }
                    li { a href="/staff/panel" { (t(language, "nav-panel")) } }
                    @if user.role == crate::domain::Role::Admin {
                        li { a href="/staff/settings" { (t(language, "nav-settings")) } }
                        li { a href="/staff/audit" { (t(language, "nav-audit")) } }
                        li { a href="/staff/bounces" { (t(language, "nav-bounces")) } }
                        li { a href="/staff/api-keys" { (t(language, "nav-api-keys")) } }
                    }
                }
            }
            form method="post" action="/staff/sign-out" class="staff-nav__sign-out" {
                (crate::views::components::csrf_field(context))
                span class="staff-nav__user" { (user.display_name) }
                button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" { (t(language, "sign-out")) }
            }
        }
    }
}
