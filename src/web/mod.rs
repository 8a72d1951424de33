//! HTTP: routers by audience, extractors and middleware.

pub mod api;
pub mod assets;
pub mod auth;
pub mod context;
pub mod cookies;
pub mod health;
pub mod middleware;
pub mod public;
pub mod staff;
pub mod state;
pub mod upload;

use axum::Router;
use axum::routing::get;

use crate::error::AppError;
use state::AppState;

/// The whole application's routes, with every layer applied.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(public::routes())
        .merge(staff::routes())
        .merge(api::routes())
        .route("/static/{name}", get(assets::serve_static))
        .fallback(|| async { AppError::NotFound });
    let pages = middleware::apply(pages, state.clone());
    let all = Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz)).merge(pages);
    middleware::wrap(all).with_state(state)
}
