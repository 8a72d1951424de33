//! The invitation and reminder emails: the survey's title and purpose, how
//! long it takes, when it closes, what the answers can change, the personal
//! link and the unsubscribe link, in the member's language.

use maud::html;

use super::layout::{button, email_html, paragraphs};
use crate::domain::Language;
use crate::i18n::{t, t_with};
use crate::services::outbox::OutgoingEmail;
use crate::services::surveys::{DATE_FORMAT, Survey};

/// Which of the two emails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The first email.
    Invitation,
    /// A reminder to someone who has not answered.
    Reminder,
}

impl Kind {
    /// The outbox `kind`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::Reminder => "reminder",
        }
    }
}

/// What goes into one email.
pub struct InvitationEmail<'a> {
    /// Invitation or reminder.
    pub kind: Kind,
    /// The member's language.
    pub language: Language,
    /// The municipality's default language (fallback for survey texts).
    pub fallback: Language,
    /// The municipality's name.
    pub municipality: &'a str,
    /// The survey.
    pub survey: &'a Survey,
    /// Recipient.
    pub to: &'a str,
    /// The personal survey link.
    pub link: &'a str,
    /// The member's unsubscribe link.
    pub unsubscribe: &'a str,
}

impl InvitationEmail<'_> {
    /// The email as queued: subject, text and HTML with the same words.
    pub fn render(&self) -> OutgoingEmail {
        let language = self.language;
        let definition = &self.survey.definition;
        let text_of = |text: &crate::domain::survey::Text| text.get(language, self.fallback).trim().to_owned();
        let title = text_of(&definition.title);
        let purpose = text_of(&definition.purpose);
        let influence = text_of(&definition.influence);
        let municipality = || ("municipality", self.municipality.to_owned());
        let (subject_key, intro_key) = match self.kind {
            Kind::Invitation => ("invitation-email-subject", "invitation-email-intro"),
            Kind::Reminder => ("reminder-email-subject", "reminder-email-intro"),
        };
        let subject = t_with(language, subject_key, &[("title", title.clone()), municipality()]);
        let intro = t_with(language, intro_key, &[municipality()]);
        let minutes =
            t_with(language, "invitation-email-minutes", &[("minutes", definition.expected_minutes().to_string())]);
        let closes = self
            .survey
            .closes_on
            .and_then(|d| d.format(DATE_FORMAT).ok())
            .map(|date| t_with(language, "invitation-email-closes", &[("date", date)]));
        let influence_line = (!influence.is_empty())
            .then(|| t_with(language, "invitation-email-influence", &[("influence", influence)]));
        let action = t(language, "invitation-email-button");
        let private = t(language, "invitation-email-private");
        let why = t_with(language, "invitation-email-why", &[municipality()]);
        let unsubscribe = t(language, "invitation-email-unsubscribe");

        let mut text = format!("{}\n\n{intro}\n\n{title}\n", t(language, "invitation-email-greeting"));
        if !purpose.is_empty() {
            text.push_str(&format!("\n{purpose}\n"));
        }
        if let Some(line) = &influence_line {
            text.push_str(&format!("\n{line}\n"));
        }
        text.push_str(&format!("\n{minutes}"));
        if let Some(line) = &closes {
            text.push_str(&format!(" {line}"));
        }
        text.push_str(&format!(
            "\n\n{action}:\n{}\n\n{private}\n\n-- \n{why}\n{unsubscribe}:\n{}\n",
            self.link, self.unsubscribe
        ));

        let content = html! {
            p style="margin:0 0 1rem" { (t(language, "invitation-email-greeting")) }
            p style="margin:0 0 1rem" { (intro) }
            h1 style="font-size:22px;line-height:1.3;margin:0 0 1rem" { (title) }
            (paragraphs(&purpose))
            @if let Some(line) = &influence_line { p style="margin:0 0 1rem" { (line) } }
            p style="margin:0 0 1rem" {
                (minutes)
                @if let Some(line) = &closes { " " (line) }
            }
            (button(self.link, &action))
            p style="margin:0 0 1rem;font-size:14px" { (self.link) }
            p style="margin:0 0 1rem" { (private) }
        };
        let footer = html! {
            p style="margin:0 0 0.5rem" { (why) }
            p style="margin:0" { a href=(self.unsubscribe) style="color:#0062ba" { (unsubscribe) } }
        };
        OutgoingEmail {
            kind: self.kind.code(),
            to: self.to.to_owned(),
            subject: subject.clone(),
            text,
            html: email_html(language, &subject, content, Some(footer)),
            list_unsubscribe: Some(self.unsubscribe.to_owned()),
        }
    }
}
