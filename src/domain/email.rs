//! Email addresses.

use std::fmt;

/// An email address in a normalised form: trimmed and lower-case. Mail
/// systems treat the local part case-insensitively in practice, and people
/// type their address in varying case; one member must be one address.
///
/// Checked with the same rules as the `validator` crate's `email` rule, plus a
/// length limit of 254 characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a text is not an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct InvalidEmail;

impl Email {
    /// Parse and normalise an address.
    pub fn parse(text: &str) -> Result<Self, InvalidEmail> {
        use validator::ValidateEmail;
        let trimmed = text.trim();
        if trimmed.len() > 254 || !trimmed.validate_email() {
            return Err(InvalidEmail);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Addresses are personal data: debug output shows only the domain.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.rsplit_once('@').map_or("", |(_, d)| d);
        write!(f, "Email(…@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let email = Email::parse("  Kari.Nordmann@Example.NO ").expect("valid");
        assert_eq!(email.as_str(), "kari.nordmann@example.no");
    }

    #[test]
    fn rejects_garbage() {
        for text in ["", "kari", "kari@", "@example.no", "kari nordmann@example.no"] {
            assert_eq!(Email::parse(text), Err(InvalidEmail), "{text}");
        }
    }

    #[test]
    fn debug_hides_the_local_part() {
        let email = Email::parse("kari@example.no").expect("valid");
        assert_eq!(format!("{email:?}"), "Email(…@example.no)");
    }
}
