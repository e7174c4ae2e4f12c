//! User passwords: Argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane), kept as
//! PHC strings (algorithm, parameters and salt travel with the hash, so a later cost change
//! leaves old hashes verifiable).

use argon2::password_hash::PasswordHasher;
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::StartError;

/// Fewest characters a password may have (OWASP ASVS 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Most characters a password may have: long passphrases welcome, megabytes not.
pub const MAX_PASSWORD_CHARS: usize = 1024;

fn hasher() -> Result<Argon2<'static>, StartError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| StartError::Input {
        field: "password",
        message: e.to_string(),
    })?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Checks a new password's length.
pub fn check(password: &str) -> Result<(), StartError> {
    let length = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) {
        return Err(StartError::Input {
            field: "password",
            message: format!(
                "must have {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters, not {length}"
            ),
        });
    }
    Ok(())
}

/// The PHC string of `password`'s Argon2id hash with a fresh salt.
pub fn hash(password: &Zeroizing<String>) -> Result<String, StartError> {
    check(password)?;
    hash_secret(password.as_bytes())
}

/// The PHC string of any secret's Argon2id hash (passwords, normalised answers) with a fresh
/// salt.
pub fn hash_secret(secret: &[u8]) -> Result<String, StartError> {
    let hash = hasher()?
        .hash_password(secret)
        .map_err(|e| StartError::Input {
            field: "password",
            message: e.to_string(),
        })?;
    Ok(hash.to_string())
}

/// True when `secret` is the one hashed into `phc`. The cost is read from the PHC string, so
/// hashes made with older parameters still verify; a malformed hash verifies nothing.
pub fn matches(secret: &[u8], phc: &str) -> bool {
    argon2::PasswordHash::new(phc).is_ok_and(|parsed| {
        argon2::PasswordVerifier::verify_password(&Argon2::default(), secret, &parsed).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use argon2::PasswordVerifier;

    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_owasp_cost_and_verify() {
        let password = Zeroizing::new("correct horse".to_owned());
        let phc = hash(&password).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        let verifier = Argon2::default();
        assert!(
            verifier
                .verify_password(b"correct horse", phc.as_str())
                .is_ok()
        );
        assert!(
            verifier
                .verify_password(b"correct horsf", phc.as_str())
                .is_err()
        );
        assert_ne!(phc, hash(&password).unwrap(), "a fresh salt each time");
        assert!(matches(b"correct horse", &phc));
        assert!(!matches(b"correct horsf", &phc));
        assert!(!matches(b"correct horse", "not a hash"));
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        for password in ["short", &"x".repeat(1025)] {
            let error = hash(&Zeroizing::new(password.to_owned())).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with("password: must have 8 to 1024"),
                "{error}"
            );
        }
    }
}
