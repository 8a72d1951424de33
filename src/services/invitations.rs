//! Invitations: sampling members, personal links, reminders.
