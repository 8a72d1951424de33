//! Panel membership: joining, confirming, profiles, pausing, leaving.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::domain::SecretToken;
use crate::entities::member_link;
use crate::services::tenant::Municipality;

/// Purposes of member links.
pub mod link_purpose {
    /// Confirm a new membership (double opt-in).
    pub const CONFIRM: &str = "confirm";
    /// Sign in to "my page".
    pub const SIGN_IN: &str = "sign_in";
    /// Unsubscribe from an email (pause or leave).
    pub const UNSUBSCRIBE: &str = "unsubscribe";
}

/// Create a member link and return its URL (`base/path/<token>`); only the
/// token's hash is stored.
pub async fn create_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    base_url: &url::Url,
    member_id: i32,
    purpose: &str,
    valid_seconds: i64,
) -> Result<String, DbErr> {
    let token = SecretToken::generate();
    member_link::ActiveModel {
        municipality_id: Set(municipality.id),
        member_id: Set(member_id),
        purpose: Set(purpose.to_owned()),
        token_hash: Set(token.hash()),
        expires_at: Set(super::now() + valid_seconds),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let path = match purpose {
        link_purpose::CONFIRM => "panel/confirm",
        link_purpose::SIGN_IN => "panel/sign-in",
        _ => "u",
    };
    Ok(format!("{}{path}/{}", base_url.as_str(), token.reveal()))
}

/// The one-click unsubscribe URL for emails to a member (valid one year):
/// `GET` shows a page to pause or leave, `POST` (RFC 8058) pauses at once.
pub async fn unsubscribe_url<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    base_url: &url::Url,
    member_id: i32,
) -> Result<String, DbErr> {
    create_link(db, municipality, base_url, member_id, link_purpose::UNSUBSCRIBE, 365 * 24 * 3600).await
}
