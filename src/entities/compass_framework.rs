//! A compass framework imported by a municipality (JSON definition).

use sea_orm::entity::prelude::*;

/// A compass framework imported by a municipality (JSON definition).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "compass_framework")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub key: String,
    pub version: String,
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    pub created_by: Option<i32>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
