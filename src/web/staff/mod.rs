//! Routes for municipal staff and host operators.

mod api_keys;
mod audit;
mod compass;
mod dashboard;
mod invitations;
mod municipalities;
mod panel;
mod results;
mod settings;
mod sign_in;
mod surveys;

use axum::Router;
use axum::routing::{get, post};

use crate::web::state::AppState;

/// Staff routes, all under `/staff`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(dashboard::show_dashboard))
        .route("/staff/sign-in", get(sign_in::show_sign_in).post(sign_in::sign_in))
        .route("/staff/sign-out", post(sign_in::sign_out))
        .route("/staff/settings", get(settings::show_settings).post(settings::save_settings))
        .route("/staff/settings/districts", post(settings::save_districts))
        .route("/staff/settings/margins", post(settings::upload_margins))
        .route("/staff/audit", get(audit::show_audit))
        .route("/staff/municipalities", get(municipalities::list_municipalities).post(municipalities::add_municipality))
        .merge(api_keys::routes())
        .merge(surveys::routes())
        .merge(panel::routes())
        .merge(invitations::routes())
        .merge(results::routes())
        .merge(compass::routes())
}
