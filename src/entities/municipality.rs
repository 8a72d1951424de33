//! A municipality: the tenant every municipal row belongs to.

use sea_orm::entity::prelude::*;

/// A municipality's settings.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub default_language: String,
    /// Enabled languages, comma-separated codes (`nb,nn,en`).
    pub languages: String,
    /// Key of the compass framework in use (`ks-2016`, `skr-2020`).
    pub compass_framework: String,
    pub max_invitations_per_year: i32,
    pub min_days_between_invitations: i32,
    pub suppression_threshold: i32,
    pub consent_renewal_years: i32,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
