//! Reading `multipart/form-data` uploads (files and the fields beside them).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::Multipart;

use crate::error::AppError;

/// Every part of an uploaded form, by field name (the last one wins).
pub struct Upload {
    parts: HashMap<String, Bytes>,
}

impl Upload {
    /// Read the whole form. A broken or cut-off body is a 400, not "no file".
    pub async fn read(mut multipart: Multipart) -> Result<Self, AppError> {
        let mut parts = HashMap::new();
        while let Some(field) =
            multipart.next_field().await.map_err(|_| AppError::BadRequest("error-bad-request-body"))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let data = field.bytes().await.map_err(|_| AppError::BadRequest("error-bad-request-body"))?;
            parts.insert(name, data);
        }
        Ok(Self { parts })
    }

    /// A non-empty file (or field) by name.
    pub fn file(&self, name: &str) -> Option<&Bytes> {
        self.parts.get(name).filter(|data| !data.is_empty())
    }

    /// A field's text, if present and valid UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.parts.get(name).and_then(|data| std::str::from_utf8(data).ok())
    }
}
