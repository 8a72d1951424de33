//! Emails about panel membership: confirm, sign in, already a member,
//! welcome after import, consent renewal, goodbye. Text and HTML say the
//! same; texts live in `locales/*/panel.ftl`.

use maud::html;

use super::layout::{button, email_html, paragraphs};
use crate::domain::Language;
use crate::i18n::{t, t_with};
use crate::services::outbox::OutgoingEmail;

/// Which membership email to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelEmail {
    /// Confirm a new membership (double opt-in).
    Confirm,
    /// Someone joined again with an address that is already a member.
    AlreadyMember,
    /// A sign-in link for "my page".
    SignIn,
    /// Staff added the address from a list; confirm to join.
    Imported,
    /// Consent is due for renewal.
    Renew,
    /// The membership was deleted.
    Goodbye,
}

impl PanelEmail {
    fn key(self) -> &'static str {
        match self {
            PanelEmail::Confirm => "confirm",
            PanelEmail::AlreadyMember => "already-member",
            PanelEmail::SignIn => "sign-in",
            PanelEmail::Imported => "imported",
            PanelEmail::Renew => "renew",
            PanelEmail::Goodbye => "goodbye",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            PanelEmail::Confirm | PanelEmail::Imported => "confirm",
            PanelEmail::AlreadyMember | PanelEmail::SignIn => "sign_in",
            PanelEmail::Renew => "consent_renewal",
            PanelEmail::Goodbye => "goodbye",
        }
    }
}

/// Write a membership email to `to` in `language` from `municipality_name`,
/// with `link` as its button (every kind but goodbye has one).
pub fn compose(
    which: PanelEmail,
    language: Language,
    municipality_name: &str,
    to: &str,
    link: Option<&str>,
) -> OutgoingEmail {
    let key = which.key();
    let args = [("municipality", municipality_name.to_owned())];
    let subject = t_with(language, &format!("panel-email-{key}-subject"), &args);
    let body = t_with(language, &format!("panel-email-{key}-body"), &args);
    let footer = t_with(language, "panel-email-footer", &args);
    let button_label = t(language, &format!("panel-email-{key}-button"));
    let link_note = t(language, "panel-email-link-note");
    let mut text = body.clone();
    if let Some(link) = link {
        text.push_str(&format!("\n\n{button_label}:\n{link}\n\n{link_note}"));
    }
    text.push_str(&format!("\n\n-- \n{footer}\n"));
    let content = html! {
        (paragraphs(&body))
        @if let Some(link) = link {
            (button(link, &button_label))
            p style="margin:0 0 1rem;font-size:14px;word-break:break-all" { (link) }
            p style="margin:0 0 1rem;font-size:14px" { (link_note) }
        }
    };
    let html = email_html(language, &subject, content, Some(html! { p style="margin:0" { (footer) } }));
    OutgoingEmail { kind: which.kind(), to: to.to_owned(), subject, text, html, list_unsubscribe: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html_carry_the_link() {
        let email = compose(
            PanelEmail::Confirm,
            Language::En,
            "Alpha kommune",
            "kari@example.no",
            Some("https://x.test/panel/confirm/abc"),
        );
        assert!(email.text.contains("https://x.test/panel/confirm/abc"));
        assert!(email.text.starts_with("Hello!\n\nSomeone"), "{}", email.text);
        assert!(email.html.contains("https://x.test/panel/confirm/abc"));
        assert!(email.subject.contains("Alpha kommune"), "{}", email.subject);
        assert_eq!(email.kind, "confirm");
    }

    #[test]
    fn goodbye_has_no_link() {
        let email = compose(PanelEmail::Goodbye, Language::Nb, "Alpha kommune", "kari@example.no", None);
        assert!(!email.text.contains("http"));
    }
}
