//! The hash of a link sent in a reminder, pointing at its invitation.

use sea_orm::entity::prelude::*;

/// The hash of a link sent in a reminder, pointing at its invitation.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "reminder_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub invitation_id: i32,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
