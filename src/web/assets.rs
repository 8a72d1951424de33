//! The stylesheet: Designsystemet's CSS and theme (installed with npm into
//! `static/node_modules`) followed by our own `static/css/radslag.css`, joined
//! once at start-up and served under a content-hashed name so browsers can
//! cache it for a year.

use std::path::Path;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::web::state::AppState;

/// Designsystemet files, relative to `static/`.
const VENDOR_FILES: [&str; 2] = [
    "node_modules/@digdir/designsystemet-css/dist/src/index.css",
    "node_modules/@digdir/designsystemet-theme/src/themes/designsystemet.css",
];

/// Our own stylesheet, compiled in so the service always has one.
const OWN_CSS: &str = include_str!("../../static/css/radslag.css");

/// The joined stylesheet and its public path.
pub struct Assets {
    css: Bytes,
    css_name: String,
    /// Whether Designsystemet was found.
    pub has_design_system: bool,
}

impl Assets {
    /// Read the stylesheets from `static_dir`. Missing Designsystemet files
    /// are reported once; the service still runs on its own CSS.
    pub fn load(static_dir: &Path) -> Self {
        let mut css = String::new();
        let mut has_design_system = true;
        for file in VENDOR_FILES {
            match std::fs::read_to_string(static_dir.join(file)) {
                Ok(text) => {
                    css.push_str(&text);
                    css.push('\n');
                }
                Err(_) => has_design_system = false,
            }
        }
        if !has_design_system {
            tracing::warn!(
                "Designsystemet stylesheet not found under {}; run `npm ci --prefix static`",
                static_dir.display()
            );
        }
        css.push_str(OWN_CSS);
        let digest = hex::encode(Sha256::digest(css.as_bytes()));
        Self { css: Bytes::from(css), css_name: format!("app-{}.css", &digest[..12]), has_design_system }
    }

    /// The path to link the stylesheet from pages.
    pub fn css_path(&self) -> String {
        format!("/static/{}", self.css_name)
    }
}

/// `GET /static/{name}`: the stylesheet.
pub async fn serve_static(State(state): State<AppState>, UrlPath(name): UrlPath<String>) -> Result<Response, AppError> {
    if name != state.assets.css_name {
        return Err(AppError::NotFound);
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        state.assets.css.clone(),
    )
        .into_response())
}
