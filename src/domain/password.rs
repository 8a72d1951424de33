//! Staff passwords.

use secrecy::{ExposeSecret, SecretString};

/// A password chosen for a staff account: 12–200 characters. Kept secret in
/// memory and never printed.
pub struct NewPassword(SecretString);

/// Why a chosen password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than 12 characters.
    #[error("the password must have at least 12 characters")]
    TooShort,
    /// More than 200 characters.
    #[error("the password must have at most 200 characters")]
    TooLong,
}

impl NewPassword {
    /// Smallest accepted length, in characters.
    pub const MIN_CHARS: usize = 12;

    /// Check a chosen password.
    pub fn parse(text: &str) -> Result<Self, PasswordProblem> {
        let count = text.chars().count();
        if count < Self::MIN_CHARS {
            Err(PasswordProblem::TooShort)
        } else if count > 200 {
            Err(PasswordProblem::TooLong)
        } else {
            Ok(Self(SecretString::from(text.to_owned())))
        }
    }

    /// The password's bytes, for hashing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules() {
        assert_eq!(NewPassword::parse("short").err(), Some(PasswordProblem::TooShort));
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert_eq!(NewPassword::parse(&"x".repeat(201)).err(), Some(PasswordProblem::TooLong));
    }
}
