//! The staff start page.

use axum::extract::State;
use maud::Markup;

use crate::error::AppResult;
use crate::services::{municipalities, staff};
use crate::views::staff::DashboardFigures;
use crate::web::auth::{Staff, Viewer};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// `GET /staff`.
pub async fn show_dashboard(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    signed_in: Staff<Viewer>,
) -> AppResult<Markup> {
    let figures = DashboardFigures {
        districts: municipalities::districts(&state.db, &municipality).await?.len(),
        population: municipalities::margins(&state.db, &municipality).await?.iter().map(|m| m.population).sum(),
        staff: staff::list_staff(&state.db, &municipality).await?.len(),
    };
    Ok(crate::views::staff::dashboard(&state, &context, &signed_in.user, &municipality, &figures))
}
