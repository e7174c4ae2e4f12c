//! Unit tests of the issuer, one file per concern. Expected codes are computed from the token's
//! side: the link is opened as a token opens it, the registration code made as a token makes it
//! (`make_registration_code`), the secret derived with `derive_secret` and the codes computed
//! with `codes::totp` / `codes::ocra`; published vectors (the IdentityGuard spec, RFC 6238,
//! RFC 6287, the vault's unlock-code example) pin the issuer's own computations.
//!
//! Every refusal is checked twice: its message, and that no byte of any file in the store
//! changed ([`refused`]).

mod activation;
mod ocra;
mod operations;
mod store;
mod unlock;
mod verify;

use std::collections::BTreeMap;
use std::path::Path;

use tempfile::TempDir;

use super::*;
use crate::SecretBytes;
use crate::codes::{TotpParams, totp};
use crate::identityguard::{
    RegistrationCode, code_params, derive_secret, make_registration_code, open_activation_link,
};

pub(super) const PASSPHRASE: &str = "correct horse battery staple";

/// A test store with the cheapest key derivation the bounds allow.
pub(super) fn options() -> IssuerOptions {
    IssuerOptions {
        kdf: KdfParams::MINIMUM,
        window: DEFAULT_WINDOW_STEPS,
    }
}

pub(super) fn new_store() -> (TempDir, Issuer) {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::open_with(dir.path().join("store"), PASSPHRASE, &options()).unwrap();
    (dir, issuer)
}

/// Every file of the store folder and its bytes.
pub(super) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let entry = entry.unwrap();
            files.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// Runs `action`, which must be refused with `message`, and checks that no file changed.
#[track_caller]
pub(super) fn refused<T: std::fmt::Debug>(
    issuer: &Issuer,
    message: &str,
    action: impl FnOnce(&Issuer) -> Result<T, IssuerError>,
) -> IssuerError {
    let before = snapshot(issuer.dir());
    let error = action(issuer).expect_err("the action must be refused");
    assert_eq!(error.to_string(), message);
    assert_eq!(
        snapshot(issuer.dir()),
        before,
        "a refusal changed the store ({message})"
    );
    error
}

/// The token's side of an identity, computed only from what the person receives.
pub(super) struct Token {
    pub serial: String,
    pub registration: RegistrationCode,
    pub secret: SecretBytes,
    pub params: TotpParams,
}

impl Token {
    /// Opens the link with its password, makes a registration code and derives the secret, as
    /// a Tessera token does (with the policy when the link carries one).
    pub fn activate(created: &IssuedIdentity, digits: u8) -> Self {
        let link = open_activation_link(&created.link, &created.password).unwrap();
        assert_eq!(link.serial, created.serial);
        assert_eq!(link.activation, created.activation_code);
        let registration = make_registration_code(&link.serial).unwrap();
        let secret = derive_secret(
            &link.serial,
            &link.activation,
            &registration,
            link.policy.as_deref(),
        );
        Self {
            serial: link.serial.to_string(),
            registration,
            secret,
            params: code_params(digits).unwrap(),
        }
    }

    pub fn code_at(&self, unix_time: u64) -> String {
        totp(&self.secret, &self.params, unix_time).unwrap()
    }

    pub fn registration(&self) -> String {
        self.registration.to_string()
    }
}

/// A created and completed identity with its token.
pub(super) fn registered(issuer: &Issuer, new: &NewIdentity) -> Token {
    let created = issuer.create(new).unwrap();
    let token = Token::activate(&created, new.digits);
    issuer
        .complete(&token.serial, &token.registration())
        .unwrap();
    token
}

/// A moment well inside a step, so neighbouring steps are unambiguous.
pub(super) const NOW: u64 = 1_700_000_010;
