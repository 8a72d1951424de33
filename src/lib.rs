//! Rådslag: a municipality's citizen panel — surveys, invitations, weighted
//! results, feedback and the compass — as one web service.
//!
//! The crate is laid out by job: `domain` holds pure types and rules,
//! `entities` the database tables, `services` the use cases that touch the
//! database, `web` the HTTP routes, `views` the HTML, `cli` the commands.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod email;
pub mod entities;
pub mod error;
pub mod i18n;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod views;
pub mod web;
pub mod worker;
