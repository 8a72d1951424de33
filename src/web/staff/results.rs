//! Results, moderation of free text, and feedback for staff.

use axum::Router;

use crate::web::state::AppState;

/// Routes of this part (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
