//! Turning outbox rows into MIME messages and handing them to the relay (or
//! writing them as `.eml` files for the demo).

use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{Config, MailTransport, SmtpSecurity, SmtpSettings};
use crate::entities::outbox_email;

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
const AUTO_SUBMITTED: HeaderName = HeaderName::new_from_ascii_str("Auto-Submitted");

/// Where messages go: an SMTP relay (pooled connections) or a folder.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP relay.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder.
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (connection trouble, 4xx replies).
    Temporary(String),
    /// Will never work (5xx replies, invalid addresses).
    Permanent(String),
}

/// Why the mailer could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up email delivery: {0}")]
pub struct MailerError(String);

impl Mailer {
    /// Build the mailer the configuration describes.
    pub fn from_config(config: &Config) -> Result<Self, MailerError> {
        match &config.mail {
            MailTransport::Files { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| MailerError(format!("{}: {e}", dir.display())))?;
                Ok(Mailer::Files(AsyncFileTransport::new(dir)))
            }
            MailTransport::Smtp(settings) => Ok(Mailer::Smtp(smtp_transport(settings)?)),
        }
    }

    /// Hand one message over.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Mailer::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() { SendError::Permanent(e.to_string()) } else { SendError::Temporary(e.to_string()) }
            }),
            Mailer::Files(transport) => {
                transport.send(message).await.map(|_| ()).map_err(|e| SendError::Temporary(e.to_string()))
            }
        }
    }
}

fn smtp_transport(settings: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailerError> {
    let tls = |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| MailerError(e.to_string()));
    let security = match settings.security {
        SmtpSecurity::StartTls => Tls::Required(tls(&settings.host)?),
        SmtpSecurity::Tls => Tls::Wrapper(tls(&settings.host)?),
        SmtpSecurity::None => Tls::None,
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
        .port(settings.port)
        .tls(security)
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(PoolConfig::new().max_size(4).idle_timeout(Duration::from_secs(60)));
    if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
    }
    Ok(builder.build())
}

/// The MIME message for an outbox row: From, To, Subject, Date, the row's
/// stable Message-ID, text and HTML alternatives, and for emails to members
/// `List-Unsubscribe` with one-click `List-Unsubscribe-Post` (RFC 8058).
pub fn message(sender: &str, row: &outbox_email::Model) -> Result<Message, String> {
    let from: Mailbox = sender.parse().map_err(|_| "the configured sender is not an address".to_owned())?;
    let to: Mailbox = row.to_address.trim().parse().map_err(|_| "the recipient address is not valid".to_owned())?;
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .date_now()
        .message_id(Some(row.message_id.clone()))
        .multipart(MultiPart::alternative_plain_html(row.text_body.clone(), row.html_body.clone()))
        .map_err(|e| e.to_string())?;
    let headers = message.headers_mut();
    headers.insert_raw(HeaderValue::new(AUTO_SUBMITTED, "auto-generated".to_owned()));
    if let Some(url) = &row.list_unsubscribe {
        headers.insert_raw(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{url}>")));
        headers.insert_raw(HeaderValue::new(LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click".to_owned()));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> outbox_email::Model {
        outbox_email::Model {
            id: 1,
            municipality_id: None,
            kind: "invitation".into(),
            to_address: "kari@example.no".into(),
            subject: "Si din mening – Fjordvik".into(),
            text_body: "Hei\n".into(),
            html_body: "<p>Hei</p>".into(),
            message_id: "<abc@panel.example.no>".into(),
            list_unsubscribe: Some("https://panel.example.no/u/0123".into()),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: 0,
            last_error: None,
            created_at: 0,
            sent_at: None,
        }
    }

    #[test]
    fn messages_carry_the_headers_mail_providers_want() {
        let formatted = String::from_utf8(message("Panel <panel@example.no>", &row()).expect("message").formatted())
            .expect("utf-8");
        for expected in [
            "Message-ID: <abc@panel.example.no>",
            "List-Unsubscribe: <https://panel.example.no/u/0123>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Date: ",
            "multipart/alternative",
            "text/plain",
            "text/html",
        ] {
            assert!(formatted.contains(expected), "missing {expected} in\n{formatted}");
        }
        let mut staff_mail = row();
        staff_mail.list_unsubscribe = None;
        let formatted =
            String::from_utf8(message("panel@example.no", &staff_mail).expect("message").formatted()).expect("utf-8");
        assert!(!formatted.contains("List-Unsubscribe"));
    }

    #[tokio::test]
    async fn the_file_transport_writes_eml_files() {
        let dir = std::env::temp_dir().join(format!("radslag-eml-{}", crate::domain::SecretToken::generate().reveal()));
        std::fs::create_dir_all(&dir).expect("dir");
        let mailer = Mailer::Files(AsyncFileTransport::new(&dir));
        mailer.send(message("panel@example.no", &row()).expect("message")).await.expect("written");
        let files: Vec<_> = std::fs::read_dir(&dir).expect("read").filter_map(Result::ok).collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].path()).expect("eml");
        assert!(text.contains("List-Unsubscribe: <https://panel.example.no/u/0123>"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_addresses_are_reported_without_the_address() {
        let mut bad = row();
        bad.to_address = "not an address".into();
        let error = message("panel@example.no", &bad).expect_err("invalid");
        assert!(!error.contains("not an address"));
    }
}
