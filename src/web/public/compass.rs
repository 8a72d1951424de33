//! The public compass transparency page.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::Markup;

use crate::error::{AppError, AppResult};
use crate::services::compass;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// `/kompass` and its JSON twin `/api/v1/compass`, open to everyone.
pub fn routes() -> Router<AppState> {
    Router::new().route("/kompass", get(show_compass)).route("/api/v1/compass", get(super::compass_api::get_compass))
}

/// `GET /kompass`: the official assessment beside the resident view, trends,
/// dialogue indicators and the surveys behind them.
pub async fn show_compass(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
) -> AppResult<Markup> {
    let overview = compass::overview(&state.db, &municipality).await?.ok_or(AppError::NotFound)?;
    Ok(crate::views::compass::public_page(&state, &context, &overview))
}
