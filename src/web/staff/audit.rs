//! The audit log, for admins.

use axum::extract::State;
use maud::Markup;

use crate::error::AppResult;
use crate::services::audit;
use crate::web::auth::{Admin, Staff};
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// `GET /staff/audit`: the newest 500 entries.
pub async fn show_audit(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    admin: Staff<Admin>,
) -> AppResult<Markup> {
    let events = audit::recent(&state.db, &municipality, 500).await?;
    Ok(crate::views::staff::audit(&state, &context, &admin.user, &events))
}
