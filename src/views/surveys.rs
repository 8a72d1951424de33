//! Staff pages for building and managing surveys.
