//! A member's invitation to a survey, with the hash of the link's token and the answers in progress.

use sea_orm::entity::prelude::*;

/// A member's invitation to a survey, with the hash of the link's token and the answers in progress.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "invitation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub survey_id: i32,
    pub sample_id: Option<i32>,
    pub member_id: Option<i32>,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub stratum: Option<String>,
    pub wave: i32,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub reminders_sent: i32,
    pub last_reminder_at: Option<i64>,
    pub completed: bool,
    #[sea_orm(column_type = "Text")]
    pub draft: Option<String>,
    pub draft_page: i32,
    pub opened_at: Option<i64>,
    pub last_email_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
