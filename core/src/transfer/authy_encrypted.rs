//! Authy's encrypted tokens, as Authy's API gives them to its apps and as the open export tools
//! for Authy save them: `{"authenticator_tokens": [...]}` (or the bare list), each token with
//! `encrypted_seed` (base64), `salt` (text), `unique_iv` (hex, absent or null in older tokens),
//! `key_derivation_iterations` (absent or null: 1,000), `digits`, `name`, `original_name`,
//! `issuer` and `account_type`.
//!
//! Each seed is opened with the Authy backup password: PBKDF2-HMAC-SHA1 of the password and the
//! salt's UTF-8 bytes, 256 bits, then AES-256-CBC with PKCS#7 padding and the token's IV (16
//! zero bytes when it has none). The plaintext is the base32 secret. Nothing authenticates a
//! seed: a token that does not open is skipped with its reason, and when none opens the
//! password is wrong. Authy has no algorithm or period: SHA1 and 30 s.

use serde_json::Value;
use zeroize::Zeroizing;

use super::authy::{account_type, name, non_empty};
use super::cbc::{IV_LEN, open_cbc};
use super::crypto::Unauthentic;
use super::entry::{Collector, Kind, build_entry, entry_label, number, string, wrong_shape};
use super::kdfs::pbkdf2_sha1;
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::AuthyEncrypted;
/// The count of tokens saved before Authy wrote `key_derivation_iterations`.
const DEFAULT_ITERATIONS: u64 = 1_000;

/// Whether `value` is a list of Authy's encrypted tokens, or an object holding one.
pub(super) fn is_authy_tokens(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("authenticator_tokens"),
        Value::Array(items) => {
            !items.is_empty() && items.iter().all(|t| t.get("encrypted_seed").is_some())
        }
        _ => false,
    }
}

/// Why a token did not open.
pub(super) enum Failure {
    /// The padding is wrong: the password, or a changed seed.
    DoesNotOpen,
    /// Anything else, in words.
    Other(String),
}

pub(super) fn parse(file: &Value, password: &Password) -> Result<ImportReport, ImportError> {
    let tokens = match file {
        Value::Array(items) => items,
        _ => match file.get("authenticator_tokens") {
            Some(Value::Array(items)) => items,
            _ => return Err(wrong_shape(FORMAT, "`authenticator_tokens` is not a list")),
        },
    };
    let mut out = Collector::default();
    let mut opened = 0usize;
    let mut closed = 0usize;
    for (index, token) in tokens.iter().enumerate() {
        let issuer = issuer(token);
        let name = name(token, issuer.as_deref());
        let label = entry_label(
            issuer.as_deref(),
            name.as_deref(),
            &format!("token {}", index + 1),
        );
        let result = match seed(token, password) {
            Ok(secret) => {
                opened += 1;
                read(token, secret, issuer.as_deref(), name.as_deref())
            }
            Err(Failure::DoesNotOpen) => {
                closed += 1;
                Err("its seed does not open with this password (a wrong backup password, or a changed seed)".to_string())
            }
            Err(Failure::Other(reason)) => Err(reason),
        };
        out.push(|| label, result);
    }
    if opened == 0 && closed > 0 {
        return Err(ImportError::WrongPassword {
            field: "authenticator_tokens[].encrypted_seed",
        });
    }
    out.finish()
}

/// The decrypted seed of `token`, as the secret its base32 text stands for.
fn seed(token: &Value, password: &Password) -> Result<SecretBytes, Failure> {
    let other = |reason: &str| Failure::Other(reason.to_string());
    let encrypted =
        string(token, "encrypted_seed").ok_or_else(|| other("it has no encrypted_seed"))?;
    let salt = string(token, "salt").ok_or_else(|| other("it has no salt"))?;
    let iv = match token.get("unique_iv") {
        None | Some(Value::Null) => [0u8; IV_LEN],
        Some(Value::String(hex)) => data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.trim().as_bytes())
            .ok()
            .and_then(|iv| <[u8; IV_LEN]>::try_from(iv).ok())
            .ok_or_else(|| other("its unique_iv is not 16 bytes of hexadecimal"))?,
        Some(_) => return Err(other("its unique_iv is not text")),
    };
    let iterations = number(
        token.get("key_derivation_iterations"),
        "key_derivation_iterations",
        DEFAULT_ITERATIONS,
    )
    .map_err(Failure::Other)?;
    open_seed(
        Sealed {
            text: encrypted,
            field: "encrypted_seed",
            salt,
            iv,
            iterations,
            iterations_field: "key_derivation_iterations",
        },
        password,
    )
}

/// One encrypted Authy secret and what opens it.
pub(super) struct Sealed<'a> {
    /// The base64 ciphertext.
    pub(super) text: &'a str,
    /// The ciphertext's field, for messages.
    pub(super) field: &'a str,
    /// The salt, used as its UTF-8 bytes.
    pub(super) salt: &'a str,
    pub(super) iv: [u8; IV_LEN],
    pub(super) iterations: u64,
    /// Where the iteration count comes from, for the bound's message.
    pub(super) iterations_field: &'a str,
}

/// Opens a secret the way every Authy app seals it: PBKDF2-HMAC-SHA1 of the backup password
/// and the salt, 256 bits, then AES-256-CBC with PKCS#7 padding; the plaintext is base32 text.
pub(super) fn open_seed(sealed: Sealed<'_>, password: &Password) -> Result<SecretBytes, Failure> {
    let ciphertext = super::crypto::base64(Some(sealed.text), sealed.field)
        .map_err(|_| Failure::Other(format!("its {} is not base64", sealed.field)))?;
    let key = pbkdf2_sha1(
        password.as_bytes(),
        sealed.salt.as_bytes(),
        sealed.iterations,
        sealed.iterations_field,
    )
    .map_err(|e| Failure::Other(e.to_string()))?;
    let plaintext =
        open_cbc(&key, &sealed.iv, &ciphertext).map_err(|Unauthentic| Failure::DoesNotOpen)?;
    let text =
        Zeroizing::new(String::from_utf8(plaintext.to_vec()).map_err(|_| Failure::DoesNotOpen)?);
    SecretBytes::from_base32(&text).map_err(|_| Failure::DoesNotOpen)
}

fn read(
    token: &Value,
    secret: SecretBytes,
    issuer: Option<&str>,
    name: Option<&str>,
) -> Result<ImportedEntry, String> {
    build_entry(
        name,
        issuer,
        secret,
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        number(token.get("digits"), "digits", 6)?,
    )
}

/// `issuer`, else the part of `original_name` before `:`, else the account type.
fn issuer(token: &Value) -> Option<String> {
    if let Some(issuer) = non_empty(string(token, "issuer")) {
        return Some(issuer.to_string());
    }
    if let Some((issuer, _)) = string(token, "original_name").and_then(|n| n.split_once(':'))
        && let Some(issuer) = non_empty(Some(issuer))
    {
        return Some(issuer.to_string());
    }
    account_type(string(token, "account_type"))
}
