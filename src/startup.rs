//! Building and running the application; used by `main`, the demo and tests.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::services::tenant::TenantDirectory;
use crate::web::assets::Assets;
use crate::web::state::{App, AppState};

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connect to the database, apply migrations, bind the listener (port 0
    /// picks a free port) and build the router.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = crate::db::connect(&config).await.context("cannot open the database")?;
        crate::db::migrate(&db).await.context("cannot apply database migrations")?;
        Self::with_database(config, db).await
    }

    /// Like [`Application::build`], with an already connected and migrated database.
    pub async fn with_database(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        let listener =
            TcpListener::bind(config.listen).await.with_context(|| format!("cannot listen on {}", config.listen))?;
        Ok(Self::from_parts(config, db, listener))
    }

    /// Assemble from a connected, migrated database and a bound listener
    /// (tests bind first so the public address can name the port).
    pub fn from_parts(config: Config, db: DatabaseConnection, listener: TcpListener) -> Self {
        let state = AppState(Arc::new(App {
            tenants: TenantDirectory::new(config.default_municipality.clone()),
            assets: Assets::load(&config.static_dir),
            db,
            config,
        }));
        let router = crate::web::router(state.clone());
        Self { listener, router, state }
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (database handle, configuration).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until Ctrl-C or SIGTERM, then finish open requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let worker = self
            .state
            .config
            .run_worker
            .then(|| tokio::spawn(crate::worker::run(self.state.db.clone(), self.state.config.clone())));
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server failed")?;
        if let Some(worker) = worker {
            worker.abort();
        }
        Ok(())
    }
}

/// Resolves when the process is asked to stop.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}
