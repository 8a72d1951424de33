//! The audit log of staff writes.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect, Set};
use serde_json::Value;

use crate::entities::audit_event;
use crate::services::tenant::Municipality;

/// Who did something.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    /// A signed-in staff account.
    Staff {
        /// The account's id.
        user_id: i32,
    },
    /// A program using a staff API key; `created_by` is the account that
    /// made the key, who answers for what the key does.
    ApiKey {
        /// The key's id.
        key_id: i32,
        /// The account that created the key, if it still exists.
        created_by: Option<i32>,
    },
    /// Someone at the command line of the server.
    CommandLine,
    /// The service itself (scheduled work).
    System,
}

impl Actor {
    fn label(self) -> String {
        match self {
            Actor::Staff { user_id } => format!("staff:{user_id}"),
            Actor::ApiKey { key_id, .. } => format!("api_key:{key_id}"),
            Actor::CommandLine => "cli".into(),
            Actor::System => "system".into(),
        }
    }

    /// The staff account answering for this actor, if any.
    pub fn user_id(self) -> Option<i32> {
        match self {
            Actor::Staff { user_id } => Some(user_id),
            Actor::ApiKey { created_by, .. } => created_by,
            _ => None,
        }
    }
}

/// Write one audit row. Call it inside the transaction that makes the change,
/// so the change and its record stand or fall together. `details` must not
/// hold personal data.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    municipality_id: Option<i32>,
    actor: Actor,
    action: &str,
    subject: &str,
    details: Value,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        municipality_id: Set(municipality_id),
        actor_user_id: Set(actor.user_id()),
        actor: Set(actor.label()),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        details: Set(details.to_string()),
        at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest audit rows of a municipality.
pub async fn recent<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    municipality
        .find::<audit_event::Entity>()
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest audit rows about host operation (not tied to a municipality).
pub async fn recent_for_host<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<audit_event::Model>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    audit_event::Entity::find()
        .filter(audit_event::Column::MunicipalityId.is_null())
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
