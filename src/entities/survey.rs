//! A survey: lifecycle and metadata in columns, questions in the JSON definition.

use sea_orm::entity::prelude::*;

/// A survey: lifecycle and metadata in columns, questions in the JSON definition.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "survey")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub status: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    pub closes_on: Option<String>,
    pub compass_areas: String,
    pub ladder_step: Option<String>,
    pub public_token_hash: Option<String>,
    pub reminder_after_days: i32,
    pub max_reminders: i32,
    pub one_answer_per_browser: bool,
    pub created_by: Option<i32>,
    pub approved_by: Option<i32>,
    pub approval_requested_at: Option<i64>,
    pub approval_requested_by: Option<i32>,
    pub created_at: i64,
    pub updated_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub published_at: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub feedback: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
