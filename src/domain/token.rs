//! Secret tokens: session cookies, invitation links, sign-in links.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A 128-bit random secret, shown once (in a cookie or a link) and stored only
/// as its SHA-256 hash.
pub struct SecretToken([u8; 16]);

impl SecretToken {
    /// A new random token from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A new random token read straight from the operating system's
    /// generator, for long-lived secrets such as API keys.
    pub fn from_os_rng() -> Result<Self, rand::rand_core::OsError> {
        use rand::TryRngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.try_fill_bytes(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// The token as it appears in a cookie or a link (32 lower-case hex digits).
    pub fn reveal(&self) -> String {
        hex::encode(self.0)
    }

    /// The hash that is stored.
    pub fn hash(&self) -> String {
        hash_token_text(&self.reveal())
    }
}

/// What every staff API key starts with, so it is recognisable in a
/// configuration file or a leaked text.
pub const API_KEY_PREFIX: &str = "rk_";

/// The stored hash of a token as presented by a client. Any text can be
/// hashed; a wrong token simply matches no row.
pub fn hash_token_text(presented: &str) -> String {
    hex::encode(Sha256::digest(presented.trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_consistently() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a.reveal(), b.reveal());
        assert_eq!(a.reveal().len(), 32);
        assert_eq!(a.hash(), hash_token_text(&a.reveal()));
        assert_ne!(a.hash(), a.reveal());
    }

    #[test]
    fn os_tokens_are_random() {
        let a = SecretToken::from_os_rng().expect("os generator");
        let b = SecretToken::from_os_rng().expect("os generator");
        assert_ne!(a.reveal(), b.reveal());
        assert_eq!(a.reveal().len(), 32);
    }

    #[test]
    fn hash_matches_a_known_sha256() {
        // SHA-256 of the ASCII text "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(hash_token_text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
