//! SeaORM entities: one module per table, nothing but the schema.
//! Rules and queries live in `services`; tenant scoping in `services::tenant`.

pub mod audit_event;
pub mod district;
pub mod municipality;
pub mod municipality_host;
pub mod population_margin;
pub mod rate_limit;
pub mod staff_session;
pub mod staff_user;
