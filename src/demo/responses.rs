//! Demo invitations and synthetic responses.

use sea_orm::DatabaseConnection;

use crate::services::tenant::Municipality;

/// Create what is missing (nothing yet).
pub async fn seed(_db: &DatabaseConnection, _base_url: &url::Url, _municipality: &Municipality) -> anyhow::Result<()> {
    Ok(())
}
