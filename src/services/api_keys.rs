//! Staff API keys: created and revoked by a municipality's admins, used by
//! programs in place of a signed-in session.
//!
//! The secret (`rk_` and 32 hex digits, 128 bits from the operating system's
//! generator) is shown once when the key is made; only its SHA-256 is
//! stored. A key acts with its own role (never above its creator's) and only
//! at its own municipality. The day it was last used is kept, not the time.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::domain::token::{API_KEY_PREFIX, hash_token_text};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{Role, SecretToken};
use crate::entities::{api_key, staff_user};
use crate::services::audit::{self, Actor};
use crate::services::staff::StaffUser;
use crate::services::surveys::{self, DATE_FORMAT};
use crate::services::tenant::Municipality;

/// Longest key name accepted.
pub const MAX_NAME_CHARS: usize = 100;

/// The new-key form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewKeyInput {
    /// What the key is for, e.g. "Statistics export".
    #[serde(default)]
    pub name: String,
    /// `viewer`, `analyst`, `editor` or `admin`.
    #[serde(default)]
    pub role: String,
    /// Last day the key works, `YYYY-MM-DD`; empty for no expiry.
    #[serde(default)]
    pub expires_on: String,
}

/// A checked request for a new key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    name: String,
    role: Role,
    expires_on: Option<time::Date>,
}

impl NewKeyInput {
    /// Check the input for a key made by `creator` on `today`.
    pub fn parse(&self, creator: Role, today: time::Date) -> Result<NewKey, Invalid> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "api-keys-error-name"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new("name", "api-keys-error-name-long").with("max", MAX_NAME_CHARS));
        }
        let role = match self.role.trim().parse::<Role>() {
            Ok(role) if Role::MUNICIPAL.contains(&role) && creator.includes(role) => Some(role),
            _ => {
                errors.push(FieldError::new("role", "api-keys-error-role"));
                None
            }
        };
        let expires_on = match self.expires_on.trim() {
            "" => Some(None),
            text => match time::Date::parse(text, DATE_FORMAT) {
                Ok(date) if date >= today => Some(Some(date)),
                Ok(_) => {
                    errors.push(FieldError::new("expires_on", "api-keys-error-expiry-past"));
                    None
                }
                Err(_) => {
                    errors.push(FieldError::new("expires_on", "api-keys-error-expiry"));
                    None
                }
            },
        };
        Invalid::check(errors)?;
        match (role, expires_on) {
            (Some(role), Some(expires_on)) => Ok(NewKey { name: name.to_owned(), role, expires_on }),
            _ => Err(Invalid(vec![FieldError::new("role", "api-keys-error-role")])),
        }
    }
}

/// Why a key could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CreateKeyError {
    /// The operating system's random generator failed.
    #[error("random generator unavailable: {0}")]
    Random(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A key just made, with its secret (shown once, never stored).
pub struct CreatedKey {
    /// The stored row.
    pub key: api_key::Model,
    /// `rk_…`, to show once.
    pub secret: String,
}

/// Make a key for `creator`'s municipality; audited.
pub async fn create(
    db: &DatabaseConnection,
    municipality: &Municipality,
    request: &NewKey,
    creator: &StaffUser,
) -> Result<CreatedKey, CreateKeyError> {
    let token = SecretToken::from_os_rng().map_err(|e| CreateKeyError::Random(e.to_string()))?;
    let secret = format!("{API_KEY_PREFIX}{}", token.reveal());
    let txn = crate::db::begin_write(db).await?;
    let key = api_key::ActiveModel {
        municipality_id: Set(municipality.id),
        name: Set(request.name.clone()),
        role: Set(request.role.as_str().to_owned()),
        token_hash: Set(hash_token_text(&secret)),
        created_by: Set(Some(creator.id)),
        created_at: Set(super::now()),
        expires_on: Set(request.expires_on.and_then(|d| d.format(DATE_FORMAT).ok())),
        last_used_on: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(municipality.id),
        creator.actor(),
        "api_key.create",
        &format!("api_key:{}", key.id),
        json!({ "role": request.role.as_str(), "expires_on": key.expires_on }),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedKey { key, secret })
}

/// Revoke a key of this municipality; `false` if there is no such key or it
/// was revoked already. Audited.
pub async fn revoke(
    db: &DatabaseConnection,
    municipality: &Municipality,
    id: i32,
    actor: Actor,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let changed = municipality
        .update_many::<api_key::Entity>()
        .col_expr(api_key::Column::RevokedAt, Expr::value(super::now()))
        .col_expr(api_key::Column::RevokedBy, Expr::value(actor.user_id()))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(false);
    }
    audit::record(&txn, Some(municipality.id), actor, "api_key.revoke", &format!("api_key:{id}"), json!({})).await?;
    txn.commit().await?;
    Ok(true)
}

/// A key in the list, with its creator's name.
#[derive(Debug, Clone)]
pub struct KeyListing {
    /// The row.
    pub key: api_key::Model,
    /// Display name of the account that made it (gone if deleted).
    pub created_by: Option<String>,
}

/// Every key of the municipality, newest first (revoked ones too).
pub async fn list(db: &DatabaseConnection, municipality: &Municipality) -> Result<Vec<KeyListing>, DbErr> {
    let keys = municipality.find::<api_key::Entity>().order_by_desc(api_key::Column::Id).all(db).await?;
    let names: HashMap<i32, String> =
        municipality.find::<staff_user::Entity>().all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    Ok(keys
        .into_iter()
        .map(|key| KeyListing { created_by: key.created_by.and_then(|id| names.get(&id).cloned()), key })
        .collect())
}

/// A key that authenticated a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveKey {
    /// The key's id.
    pub id: i32,
    /// What it may do.
    pub role: Role,
    /// The account that made it.
    pub created_by: Option<i32>,
}

impl ActiveKey {
    /// The actor recorded for the key's writes.
    pub fn actor(&self) -> Actor {
        Actor::ApiKey { key_id: self.id, created_by: self.created_by }
    }
}

/// The key behind a presented secret, if it is valid at this municipality
/// today: known, not revoked, not expired. Notes the day of use.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    presented: &str,
) -> Result<Option<ActiveKey>, DbErr> {
    if !presented.starts_with(API_KEY_PREFIX) {
        return Ok(None);
    }
    let Some(key) = municipality
        .find::<api_key::Entity>()
        .filter(api_key::Column::TokenHash.eq(hash_token_text(presented)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let today = surveys::today().format(DATE_FORMAT).unwrap_or_default();
    // ISO dates compare as text.
    if key.expires_on.as_deref().is_some_and(|last| last < today.as_str()) {
        return Ok(None);
    }
    let Ok(role) = key.role.parse::<Role>() else { return Ok(None) };
    if key.last_used_on.as_deref() != Some(today.as_str()) {
        municipality
            .update_many::<api_key::Entity>()
            .col_expr(api_key::Column::LastUsedOn, Expr::value(today))
            .filter(api_key::Column::Id.eq(key.id))
            .exec(db)
            .await?;
    }
    Ok(Some(ActiveKey { id: key.id, role, created_by: key.created_by }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, role: &str, expires_on: &str) -> NewKeyInput {
        NewKeyInput { name: name.into(), role: role.into(), expires_on: expires_on.into() }
    }

    #[test]
    fn keys_need_a_name_a_municipal_role_and_a_future_expiry() {
        let today = time::macros::date!(2026 - 11 - 24);
        let ok = input(" Export ", "analyst", "2026-12-31").parse(Role::Admin, today).expect("valid");
        assert_eq!(
            ok,
            NewKey {
                name: "Export".into(),
                role: Role::Analyst,
                expires_on: Some(time::macros::date!(2026 - 12 - 31))
            }
        );
        assert!(input("Export", "viewer", "").parse(Role::Admin, today).is_ok());
        let fields = |i: NewKeyInput, creator| -> Vec<String> {
            i.parse(creator, today).expect_err("invalid").0.into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(input("", "viewer", ""), Role::Admin), ["name"]);
        assert_eq!(fields(input("x", "operator", ""), Role::Admin), ["role"]);
        assert_eq!(fields(input("x", "admin", ""), Role::Editor), ["role"]);
        assert_eq!(fields(input("x", "viewer", "2026-11-23"), Role::Admin), ["expires_on"]);
        assert_eq!(fields(input("x", "viewer", "tomorrow"), Role::Admin), ["expires_on"]);
    }
}
