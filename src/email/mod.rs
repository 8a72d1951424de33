//! Email: message templates (text and HTML), transports (SMTP, files) and the
//! outbox worker that sends queued rows.

pub mod approval;
pub mod delivery;
pub mod feedback;
pub mod invitation;
pub mod layout;
pub mod panel;
pub mod transport;
