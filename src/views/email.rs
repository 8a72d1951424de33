//! HTML parts of emails.
