//! A panel member: the only table with residents' personal data.

use sea_orm::entity::prelude::*;

/// A panel member: the only table with residents' personal data.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub email: String,
    pub mobile: Option<String>,
    pub birth_year: i32,
    pub gender: String,
    pub district: String,
    pub education: Option<String>,
    pub language: String,
    pub source: String,
    pub campaign: Option<String>,
    pub status: String,
    pub paused_until: Option<String>,
    pub consent_version: String,
    pub consent_at: i64,
    pub confirmed_at: Option<i64>,
    pub email_invalid: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
