//! Shared application state.

use std::ops::Deref;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::services::tenant::TenantDirectory;
use crate::web::assets::Assets;

/// Everything handlers share: the database, configuration, caches.
pub struct App {
    /// Connection pool.
    pub db: DatabaseConnection,
    /// Deployment configuration.
    pub config: Config,
    /// Host name → municipality.
    pub tenants: TenantDirectory,
    /// Stylesheet and other static files.
    pub assets: Assets,
}

/// Cheap-to-clone handle on [`App`].
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}
