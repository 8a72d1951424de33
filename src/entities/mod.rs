//! SeaORM entities: one module per table, nothing but the schema.
//! Rules and queries live in `services`; tenant scoping in `services::tenant`.

pub mod api_key;
pub mod audit_event;
pub mod compass_assessment;
pub mod compass_framework;
pub mod district;
pub mod invitation;
pub mod member;
pub mod member_link;
pub mod municipality;
pub mod municipality_host;
pub mod outbox_email;
pub mod population_margin;
pub mod rate_limit;
pub mod reminder_link;
pub mod response;
pub mod response_answer;
pub mod sample;
pub mod staff_session;
pub mod staff_user;
pub mod survey;
