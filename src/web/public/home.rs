//! The municipality's front page.

use axum::extract::State;
use maud::Markup;

use crate::views;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// `GET /`.
pub async fn show_home(State(state): State<AppState>, context: RequestContext, Tenant(municipality): Tenant) -> Markup {
    views::public::home(&state, &context, &municipality)
}
