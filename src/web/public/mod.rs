//! Routes for residents and the public.

mod answer;
mod compass;
pub mod compass_api;
mod home;
mod panel;
mod results;

use axum::Router;
use axum::routing::get;

use crate::web::state::AppState;

/// Public routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show_home))
        .merge(panel::routes())
        .merge(answer::routes())
        .merge(results::routes())
        .merge(compass::routes())
}
