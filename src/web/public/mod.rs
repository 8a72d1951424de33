//! Routes for residents and the public.

mod home;

use axum::Router;
use axum::routing::get;

use crate::web::state::AppState;

/// Public routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home::show_home))
}
