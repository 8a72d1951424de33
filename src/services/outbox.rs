//! The email outbox: every email is a row written in the same transaction as
//! the change that caused it; the worker sends the rows.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::domain::SecretToken;
use crate::entities::outbox_email;
use crate::services::tenant::Municipality;

/// An email ready to be queued.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// What it is (`confirm`, `invitation`, `reminder`, `feedback` …), for statistics.
    pub kind: &'static str,
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// One-click unsubscribe URL (RFC 8058), if the email goes to a member.
    pub list_unsubscribe: Option<String>,
}

/// Queue an email. Call inside the transaction of the change that causes it.
/// The `Message-ID` is fixed here, so a resend after a crash keeps it.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    municipality: Option<&Municipality>,
    base_url: &url::Url,
    email: OutgoingEmail,
) -> Result<i32, DbErr> {
    let now = super::now();
    let domain = base_url.host_str().unwrap_or("localhost");
    let row = outbox_email::ActiveModel {
        municipality_id: Set(municipality.map(|m| m.id)),
        kind: Set(email.kind.to_owned()),
        to_address: Set(email.to),
        subject: Set(email.subject),
        text_body: Set(email.text),
        html_body: Set(email.html),
        message_id: Set(format!("<{}@{domain}>", SecretToken::generate().reveal())),
        list_unsubscribe: Set(email.list_unsubscribe),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}
