//! The frame shared by every HTML email: simple, readable, no images, no
//! tracking, the same words as the text part.

use maud::{DOCTYPE, Markup, html};

use crate::domain::Language;

/// Wrap an email's content. `footer` holds the unsubscribe text, if any.
pub fn email_html(language: Language, title: &str, content: Markup, footer: Option<Markup>) -> String {
    html! {
        (DOCTYPE)
        html lang=(language.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5" {
                div style="max-width:36rem;margin:0 auto;padding:1.5rem 1rem" {
                    (content)
                    @if let Some(footer) = footer {
                        hr style="border:none;border-top:1px solid #cccccc;margin:2rem 0 1rem";
                        div style="font-size:14px;color:#4d4d4d" { (footer) }
                    }
                }
            }
        }
    }
    .into_string()
}

/// A link styled as a button (with the URL also readable as text nearby).
pub fn button(href: &str, label: &str) -> Markup {
    html! {
        p style="margin:1.5rem 0" {
            a href=(href) style="display:inline-block;background:#0062ba;color:#ffffff;padding:0.75rem 1.25rem;border-radius:4px;text-decoration:none;font-weight:600" { (label) }
        }
    }
}

/// Paragraphs from plain text (blank lines separate paragraphs).
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p style="margin:0 0 1rem" {
                @for (i, line) in paragraph.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}
