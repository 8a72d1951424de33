//! The survey as residents answer it.
