//! API keys: what an application shows to use the API, each limited to some scopes.
//!
//! A key reads `tsk_<id>_<secret>`: 8 random bytes of public id (the row to look up) and 32
//! random bytes of secret, both hex. The database keeps the SHA-256 of the secret only: a key
//! with 256 random bits cannot be guessed from its hash, so the slow hash passwords need is not
//! needed, and checking a key costs no noticeable time per request. The comparison runs in
//! constant time. The whole key is shown once, when it is made.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::StartError;

const PREFIX: &str = "tsk_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Create tokens for users and complete their registrations.
    Enrol,
    /// Verify security codes.
    Verify,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 2] = [Scope::Enrol, Scope::Verify];

    /// The scope's name in commands and the database.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Enrol => "enrol",
            Scope::Verify => "verify",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Scope::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown scope {text:?}; the scopes are {}",
                    names.join(", ")
                )
            })
    }
}

/// The scopes stored for a key, separated by spaces.
pub fn scopes_to_column(scopes: &[Scope]) -> String {
    let names: Vec<_> = scopes.iter().map(|s| s.name()).collect();
    names.join(" ")
}

/// The scopes of a stored key; unknown names (from a newer server) grant nothing.
pub fn scopes_from_column(column: &str) -> Vec<Scope> {
    column
        .split(' ')
        .filter_map(|name| name.parse().ok())
        .collect()
}

/// A new key: its id, the hash to store and the whole key to show once.
pub struct NewKey {
    /// The public id.
    pub id: String,
    /// Hex SHA-256 of the secret part.
    pub secret_hash: String,
    /// `tsk_<id>_<secret>`.
    pub shown: Zeroizing<String>,
}

/// Makes a new random key.
pub fn make() -> Result<NewKey, StartError> {
    let random = |e: tessera_core::random::RandomError| StartError::MasterKey(e.to_string());
    let id: [u8; ID_BYTES] = tessera_core::random::make_random_bytes().map_err(random)?;
    let secret: Zeroizing<[u8; SECRET_BYTES]> =
        Zeroizing::new(tessera_core::random::make_random_bytes().map_err(random)?);
    let id = data_encoding::HEXLOWER.encode(&id);
    let secret_text = Zeroizing::new(data_encoding::HEXLOWER.encode(secret.as_slice()));
    Ok(NewKey {
        secret_hash: hash_secret(&secret_text),
        shown: Zeroizing::new(format!("{PREFIX}{id}_{}", secret_text.as_str())),
        id,
    })
}

/// A presented key split into its id and secret, when it has a key's shape.
pub fn split(presented: &str) -> Option<(&str, &str)> {
    let rest = presented.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let hex = |text: &str, bytes: usize| {
        text.len() == 2 * bytes && text.bytes().all(|b| b.is_ascii_hexdigit())
    };
    (hex(id, ID_BYTES) && hex(secret, SECRET_BYTES)).then_some((id, secret))
}

/// Hex SHA-256 of a key's secret part.
pub fn hash_secret(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(secret.to_ascii_lowercase().as_bytes()))
}

/// True when `secret` hashes to `stored`, compared in constant time.
pub fn matches(secret: &str, stored: &str) -> bool {
    bool::from(hash_secret(secret).as_bytes().ct_eq(stored.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_key_splits_and_matches_its_hash_only() {
        let key = make().unwrap();
        let (id, secret) = split(&key.shown).unwrap();
        assert_eq!(id, key.id);
        assert!(matches(secret, &key.secret_hash));
        let other = make().unwrap();
        let (_, other_secret) = split(&other.shown).unwrap();
        assert!(!matches(other_secret, &key.secret_hash));
    }

    #[test]
    fn malformed_keys_do_not_split() {
        for bad in [
            "",
            "tsk_",
            "tsk_00_11",
            "Bearer x",
            &format!("tsk_{}_{}", "g".repeat(16), "0".repeat(64)),
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
    }

    #[test]
    fn scopes_round_trip_and_unknown_names_grant_nothing() {
        let column = scopes_to_column(&[Scope::Enrol, Scope::Verify]);
        assert_eq!(column, "enrol verify");
        assert_eq!(
            scopes_from_column(&column),
            vec![Scope::Enrol, Scope::Verify]
        );
        assert_eq!(scopes_from_column("admin verify"), vec![Scope::Verify]);
        assert!(
            "admin"
                .parse::<Scope>()
                .unwrap_err()
                .contains("enrol, verify")
        );
    }
}
