//! A staff API key of one municipality; the row holds the SHA-256 of the secret.

use sea_orm::entity::prelude::*;

/// An API key: name, role, who made it, when it expires and whether it was revoked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub name: String,
    pub role: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_by: Option<i32>,
    pub created_at: i64,
    pub expires_on: Option<String>,
    pub last_used_on: Option<String>,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
