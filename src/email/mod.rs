//! Email: message templates (text and HTML), transports (SMTP, files) and the
//! outbox worker that sends queued rows.

pub mod layout;
pub mod panel;
