//! Staff authentication and role checks as extractors.
//!
//! A handler that takes `Staff<Editor>` runs only for a signed-in account
//! whose role includes editor; others get the sign-in page or a 403.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::domain::Role;
use crate::error::AppError;
use crate::services::staff::{self, StaffUser};
use crate::web::context::RequestContext;
use crate::web::cookies;
use crate::web::state::AppState;

/// A role a handler requires.
pub trait RoleRequirement: Send + Sync {
    /// The least powerful role allowed.
    const ROLE: Role;
}

macro_rules! requirement {
    ($($(#[$doc:meta])* $name:ident => $role:expr;)*) => {
        $($(#[$doc])* pub struct $name;
        impl RoleRequirement for $name {
            const ROLE: Role = $role;
        })*
    };
}

requirement! {
    /// Any municipal role.
    Viewer => Role::Viewer;
    /// Analysts, editors and admins.
    Analyst => Role::Analyst;
    /// Editors and admins.
    Editor => Role::Editor;
    /// Admins only.
    Admin => Role::Admin;
    /// Host operators only.
    Operator => Role::Operator;
}

/// A signed-in staff member whose role includes `R`.
pub struct Staff<R: RoleRequirement> {
    /// The account.
    pub user: StaffUser,
    /// The session cookie (to end the session on sign-out).
    pub session_cookie: String,
    _requirement: PhantomData<R>,
}

impl<R: RoleRequirement> FromRequestParts<AppState> for Staff<R> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let context = RequestContext::from_request_parts(parts, state).await?;
        let sign_in = || AppError::SignInRequired {
            next: parts.uri.path_and_query().map_or("/staff".into(), |p| p.as_str().to_owned()),
        };
        let Some(cookie) = cookies::get(&parts.headers, cookies::SESSION).map(str::to_owned) else {
            return Err(sign_in());
        };
        let Some(user) = staff::session_user(&state.db, &cookie, context.municipality.as_deref()).await? else {
            return Err(sign_in());
        };
        if !user.role.includes(R::ROLE) {
            return Err(AppError::Forbidden);
        }
        Ok(Self { user, session_cookie: cookie, _requirement: PhantomData })
    }
}

/// A signed-in staff member of any role, operators included, or nobody.
pub struct MaybeStaff(pub Option<StaffUser>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let context = RequestContext::from_request_parts(parts, state).await?;
        let Some(cookie) = cookies::get(&parts.headers, cookies::SESSION) else {
            return Ok(Self(None));
        };
        Ok(Self(staff::session_user(&state.db, cookie, context.municipality.as_deref()).await?))
    }
}
