//! Authy's Android token stores, `com.authy.storage.tokens.authenticator.xml` (the accounts a
//! person added) and `com.authy.storage.tokens.authy.xml` (Authy's own accounts): a
//! SharedPreferences `<map>` whose `<string name="com.authy.storage.tokens.authenticator.key">`
//! (or `...tokens.authy.key`) holds a JSON list of tokens, entity-escaped. Each token has `decryptedSecret` (base32) and
//! `digits`; Authy has no algorithm (SHA1) and imported (`authenticator`) tokens use 30 s.
//! Authy's own tokens carry a hex `secretSeed` instead and use 10 s.
//!
//! While Authy's backups are on and the app has not yet decrypted them, an imported token
//! carries `encryptedSecret` (base64) and `salt` instead of `decryptedSecret`. It is opened
//! with the Authy backup password as Authy's other copies are ([`super::authy_encrypted`]):
//! PBKDF2-HMAC-SHA1 of the password and the salt's UTF-8 bytes, 1,000 iterations, 256 bits,
//! AES-256-CBC with a zero IV and PKCS#7 padding, base32 text inside. Such a file needs the
//! password; a token that does not open is skipped, and when none opens the password is wrong.
//!
//! The issuer is `originalIssuer`, else the part of `originalName` before `:`, else the part
//! of `name` before ` - `, else the account type. The name is `name` without that issuer and
//! its separator ("Deno: Mason" becomes "Mason").

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::Event;
use serde_json::Value;
use zeroize::Zeroizing;

use super::authy_encrypted::{Failure, Sealed, open_seed};
use super::cbc::IV_LEN;
use super::crypto::WipedJson;
use super::entry::{
    Collector, Kind, base32_secret, build_entry, entry_label, number, string, text, wrong_shape,
};
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::AuthyXml;
/// The `name` of the element that holds the tokens, in each of the two stores.
const TOKENS_KEYS: [&[u8]; 2] = [
    b"com.authy.storage.tokens.authenticator.key",
    b"com.authy.storage.tokens.authy.key",
];
/// The count Authy's Android app derives `encryptedSecret` keys with.
const ITERATIONS: u64 = 1_000;

pub(super) fn parse(
    bytes: &[u8],
    password: Option<&Password>,
) -> Result<ImportReport, ImportError> {
    let tokens = tokens_json(text(bytes)?)?;
    let Value::Array(tokens) = &*tokens else {
        return Err(wrong_shape(FORMAT, "its token list is not a JSON list"));
    };
    if password.is_none() && tokens.iter().any(is_sealed) {
        return Err(ImportError::PasswordNeeded {
            format: FORMAT.display_name(),
        });
    }
    let mut out = Collector::default();
    let (mut opened, mut closed) = (0usize, 0usize);
    for (index, token) in tokens.iter().enumerate() {
        let issuer = issuer(token);
        let name = name(token, issuer.as_deref());
        let label = entry_label(
            issuer.as_deref(),
            name.as_deref(),
            &format!("token {}", index + 1),
        );
        let result = match (is_sealed(token), password) {
            (true, Some(password)) => match unseal(token, password) {
                Ok(secret) => {
                    opened += 1;
                    entry(token, secret, 30, issuer.as_deref(), name.as_deref())
                }
                Err(Failure::DoesNotOpen) => {
                    closed += 1;
                    Err("its encryptedSecret does not open with this password (a wrong backup password, or a changed secret)".to_string())
                }
                Err(Failure::Other(reason)) => Err(reason),
            },
            _ => read(token, issuer.as_deref(), name.as_deref()),
        };
        out.push(|| label, result);
    }
    if opened == 0 && closed > 0 {
        return Err(ImportError::WrongPassword {
            field: "encryptedSecret",
        });
    }
    out.finish()
}

/// The JSON text of the tokens element, unescaped, parsed.
fn tokens_json(xml: &str) -> Result<WipedJson, ImportError> {
    let mut reader = Reader::from_str(xml);
    let bad_xml = |reader: &Reader<&[u8]>| {
        wrong_shape(
            FORMAT,
            format!(
                "its XML is not well formed (near byte {})",
                reader.error_position()
            ),
        )
    };
    loop {
        match reader.read_event() {
            Err(_) => return Err(bad_xml(&reader)),
            Ok(Event::Eof) => {
                return Err(wrong_shape(
                    FORMAT,
                    "it has no `<string name=\"com.authy.storage.tokens.authenticator.key\">` (or `com.authy.storage.tokens.authy.key`)",
                ));
            }
            Ok(Event::Start(start)) if start.local_name().as_ref() == b"string" => {
                let named = start
                    .try_get_attribute("name")
                    .ok()
                    .flatten()
                    .is_some_and(|a| TOKENS_KEYS.contains(&a.value.as_ref()));
                if !named {
                    continue;
                }
                let end = start.to_end().into_owned();
                let raw = reader.read_text(end.name()).map_err(|_| bad_xml(&reader))?;
                let raw = Zeroizing::new(raw.decode().map_err(|_| bad_xml(&reader))?.into_owned());
                let json = Zeroizing::new(
                    unescape(&raw)
                        .map_err(|_| {
                            wrong_shape(FORMAT, "its token list has an unknown `&...;` escape")
                        })?
                        .into_owned(),
                );
                return serde_json::from_str(&json).map(WipedJson).map_err(|e| {
                    wrong_shape(
                        FORMAT,
                        format!("its token list is not valid JSON at column {}", e.column()),
                    )
                });
            }
            Ok(_) => {}
        }
    }
}

pub(super) fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn issuer(token: &Value) -> Option<String> {
    if let Some(issuer) = non_empty(string(token, "originalIssuer")) {
        return Some(issuer.to_string());
    }
    if let Some((issuer, _)) = string(token, "originalName").and_then(|n| n.split_once(':')) {
        return non_empty(Some(issuer)).map(str::to_string);
    }
    if let Some((issuer, _)) = string(token, "name").and_then(|n| n.split_once(" - ")) {
        return non_empty(Some(issuer)).map(str::to_string);
    }
    account_type(string(token, "accountType"))
}

/// Authy's account type ("google", "facebook") as an issuer: trimmed, first letter capital.
pub(super) fn account_type(kind: Option<&str>) -> Option<String> {
    non_empty(kind).map(|kind| {
        let mut chars = kind.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

/// `name` without a leading "issuer:" or "issuer - ".
pub(super) fn name(token: &Value, issuer: Option<&str>) -> Option<String> {
    let name = non_empty(string(token, "name"))?;
    let rest = issuer
        .and_then(|issuer| name.strip_prefix(issuer))
        .and_then(|rest| {
            rest.trim_start()
                .strip_prefix(':')
                .or_else(|| rest.strip_prefix(" - "))
        })
        .unwrap_or(name);
    non_empty(Some(rest)).map(str::to_string)
}

/// Whether `token`'s only secret is its `encryptedSecret`.
fn is_sealed(token: &Value) -> bool {
    token.get("encryptedSecret").is_some()
        && token.get("decryptedSecret").is_none()
        && token.get("secretSeed").is_none()
}

fn unseal(token: &Value, password: &Password) -> Result<SecretBytes, Failure> {
    let other = |reason: &str| Failure::Other(reason.to_string());
    let sealed = Sealed {
        text: string(token, "encryptedSecret")
            .ok_or_else(|| other("its encryptedSecret is not text"))?,
        field: "encryptedSecret",
        salt: string(token, "salt").ok_or_else(|| other("it has no salt"))?,
        iv: [0u8; IV_LEN],
        iterations: ITERATIONS,
        iterations_field: "iterations",
    };
    open_seed(sealed, password)
}

fn read(token: &Value, issuer: Option<&str>, name: Option<&str>) -> Result<ImportedEntry, String> {
    let (secret, period) = match (token.get("decryptedSecret"), string(token, "secretSeed")) {
        (Some(secret), _) => (base32_secret(Some(secret))?, 30),
        (None, Some(seed)) => (SecretBytes::from_hex(seed).map_err(|e| e.to_string())?, 10),
        (None, None) => return Err("it has no secret".to_string()),
    };
    entry(token, secret, period, issuer, name)
}

fn entry(
    token: &Value,
    secret: SecretBytes,
    period: u64,
    issuer: Option<&str>,
    name: Option<&str>,
) -> Result<ImportedEntry, String> {
    build_entry(
        name,
        issuer,
        secret,
        Kind::Totp { period },
        Algorithm::Sha1,
        number(token.get("digits"), "digits", 6)?,
    )
}
