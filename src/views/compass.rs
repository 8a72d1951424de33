//! The compass pages.
