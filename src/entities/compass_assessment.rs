//! An official compass assessment; points per sub-question in `scores` (JSON).

use sea_orm::entity::prelude::*;

/// An official compass assessment; points per sub-question in `scores` (JSON).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "compass_assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub framework: String,
    pub assessed_on: String,
    pub assessor: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub scores: String,
    pub created_by: Option<i32>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
