//! One answer value of a response (one row per chosen option, statement or rank).

use sea_orm::entity::prelude::*;

/// One answer value of a response (one row per chosen option, statement or rank).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "response_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub response_id: String,
    pub survey_id: i32,
    pub question_key: String,
    pub item_key: Option<String>,
    pub option_key: Option<String>,
    pub number_value: Option<f64>,
    #[sea_orm(column_type = "Text")]
    pub text_value: Option<String>,
    pub dont_know: bool,
    pub moderation: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
