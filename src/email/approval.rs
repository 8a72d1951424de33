//! The email to admins when a draft survey is sent for approval.

use maud::html;

use crate::domain::Language;
use crate::email::feedback::RenderedEmail;
use crate::email::layout::{button, email_html};
use crate::i18n::{t, t_with};

/// What goes into one approval request.
pub struct ApprovalRequestEmail<'a> {
    /// The municipality's language (staff accounts have none of their own).
    pub language: Language,
    /// Municipality name.
    pub municipality: &'a str,
    /// Survey title.
    pub survey_title: &'a str,
    /// Who asked.
    pub requested_by: &'a str,
    /// The survey's staff page.
    pub survey_url: &'a str,
}

impl ApprovalRequestEmail<'_> {
    /// Subject and both bodies.
    pub fn render(&self) -> RenderedEmail {
        let language = self.language;
        let args = [
            ("survey", self.survey_title.to_owned()),
            ("municipality", self.municipality.to_owned()),
            ("name", self.requested_by.to_owned()),
        ];
        let subject = t_with(language, "approval-email-subject", &args);
        let intro = t_with(language, "approval-email-intro", &args);
        let rule = t(language, "approval-email-rule");
        let link_label = t(language, "approval-email-link");
        let text = format!("{intro}\n\n{rule}\n\n{link_label}:\n{}\n", self.survey_url);
        let content = html! {
            p style="margin:0 0 1rem" { (intro) }
            p style="margin:0 0 1rem" { (rule) }
            (button(self.survey_url, &link_label))
            p style="margin:0 0 1rem;font-size:14px" { (self.survey_url) }
        };
        RenderedEmail { html: email_html(language, &subject, content, None), subject, text }
    }
}
