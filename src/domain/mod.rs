//! Pure types and rules, free of I/O. Input is parsed into these once, at the
//! edge; code that holds one can rely on it being valid.

pub mod compass;
pub mod demographics;
pub mod email;
pub mod jsonstat;
pub mod language;
pub mod margins;
pub mod member;
pub mod moderation;
pub mod municipality;
pub mod password;
pub mod profile;
pub mod role;
pub mod sampling;
pub mod suppression;
pub mod survey;
pub mod token;
pub mod validation;
pub mod weighting;

pub use demographics::{AgeBand, Gender};
pub use email::Email;
pub use language::Language;
pub use municipality::{DistrictCode, Slug};
pub use password::NewPassword;
pub use role::Role;
pub use token::SecretToken;
