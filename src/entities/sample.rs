//! A recorded draw of members for a survey, reproducible from its seed.

use sea_orm::entity::prelude::*;

/// A recorded draw of members for a survey, reproducible from its seed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "sample")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub survey_id: i32,
    pub method: String,
    pub strata: String,
    pub seed: i64,
    pub requested: i32,
    pub drawn: i32,
    pub created_by: Option<i32>,
    pub created_at: i64,
    pub release_at: Option<i64>,
    pub release_held: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
