//! The feedback email: results and "what we will do" are published.

use maud::html;

use crate::domain::Language;
use crate::email::layout::{button, email_html, paragraphs};
use crate::i18n::{t, t_with};

/// What goes into one feedback email.
pub struct FeedbackEmail<'a> {
    /// The member's language.
    pub language: Language,
    /// Municipality name.
    pub municipality: &'a str,
    /// Survey title in the member's language.
    pub survey_title: &'a str,
    /// "What we will do" in the member's language.
    pub will_do: &'a str,
    /// The public results page.
    pub results_url: &'a str,
    /// One-click unsubscribe link.
    pub unsubscribe_url: &'a str,
}

/// Subject and both bodies.
pub struct RenderedEmail {
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
}

impl FeedbackEmail<'_> {
    /// Render in the member's language.
    pub fn render(&self) -> RenderedEmail {
        let language = self.language;
        let args = |extra: &[(&'static str, String)]| {
            let mut args =
                vec![("survey", self.survey_title.to_owned()), ("municipality", self.municipality.to_owned())];
            args.extend_from_slice(extra);
            args
        };
        let subject = t_with(language, "feedback-email-subject", &args(&[]));
        let intro = t_with(language, "feedback-email-intro", &args(&[]));
        let will_do_heading = t(language, "feedback-will-do");
        let link_label = t(language, "feedback-email-link");
        let footer = t(language, "feedback-email-footer");
        let unsubscribe = t(language, "feedback-email-unsubscribe");
        let text = format!(
            "{intro}\n\n{will_do_heading}:\n{}\n\n{link_label}:\n{}\n\n-- \n{footer}\n{unsubscribe}: {}\n",
            self.will_do, self.results_url, self.unsubscribe_url
        );
        let content = html! {
            p style="margin:0 0 1rem" { (intro) }
            h2 style="font-size:18px;margin:1.5rem 0 0.5rem" { (will_do_heading) }
            (paragraphs(self.will_do))
            (button(self.results_url, &link_label))
            p style="margin:0 0 1rem;font-size:14px" { (self.results_url) }
        };
        let footer_markup = html! {
            p style="margin:0 0 0.5rem" { (footer) }
            p style="margin:0" { a href=(self.unsubscribe_url) style="color:#4d4d4d" { (unsubscribe) } }
        };
        RenderedEmail { html: email_html(language, &subject, content, Some(footer_markup)), subject, text }
    }
}
