//! Joining the panel, confirming, signing in to "my page", unsubscribing and
//! renewing consent. Every page works without JavaScript.

mod me;
mod membership;

use axum::Router;
use axum::routing::{get, post};

use crate::web::state::AppState;

/// Name of the member session cookie (holds a session token; HttpOnly).
pub const MEMBER_COOKIE: &str = "radslag_member";

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/panel/join", get(membership::show_join).post(membership::join))
        .route("/panel/confirm/{token}", get(membership::show_confirm).post(membership::confirm))
        .route("/panel/sign-in", get(membership::show_sign_in).post(membership::request_sign_in))
        .route("/panel/sign-in/{token}", get(membership::show_sign_in_link).post(membership::sign_in_with_link))
        .route("/panel/renew/{token}", get(membership::show_renew).post(membership::renew))
        .route("/u/{token}", get(membership::show_unsubscribe).post(membership::unsubscribe))
        .route("/panel/sign-out", post(me::sign_out))
        .route("/panel/me", get(me::show_me))
        .route("/panel/me/profile", post(me::save_profile))
        .route("/panel/me/pause", post(me::pause))
        .route("/panel/me/resume", post(me::resume))
        .route("/panel/me/consent", post(me::renew_consent))
        .route("/panel/me/data.json", get(me::download))
        .route("/panel/me/leave", get(me::show_leave).post(me::leave))
}
