//! Sampling and sending invitations, soft launch, reminders.

use axum::Router;

use crate::web::state::AppState;

/// Routes of this part (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
