//! An anonymous response: a random id, the day, and coarse attributes only.

use sea_orm::entity::prelude::*;

/// An anonymous response: a random id, the day, and coarse attributes only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub municipality_id: i32,
    pub survey_id: i32,
    pub submitted_on: String,
    pub channel: String,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub district: Option<String>,
    pub source_group: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
