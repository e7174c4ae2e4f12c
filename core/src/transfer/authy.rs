//! Authy's Android token store, `com.authy.storage.tokens.authenticator.xml`: a
//! SharedPreferences `<map>` whose `<string name="com.authy.storage.tokens.authenticator.key">`
//! holds a JSON list of tokens, entity-escaped. Each token has `decryptedSecret` (base32) and
//! `digits`; Authy has no algorithm (SHA1) and imported (`authenticator`) tokens use 30 s.
//! Authy's own tokens carry a hex `secretSeed` instead and use 10 s.
//!
//! The issuer is `originalIssuer`, else the part of `originalName` before `:`, else the part
//! of `name` before ` - `, else the account type. The name is `name` without that issuer and
//! its separator ("Deno: Mason" becomes "Mason").

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::Event;
use serde_json::Value;
use zeroize::Zeroizing;

use super::crypto::WipedJson;
use super::entry::{
    Collector, Kind, base32_secret, build_entry, entry_label, number, string, text, wrong_shape,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::AuthyXml;
/// The `name` of the element that holds the tokens.
const TOKENS_KEY: &[u8] = b"com.authy.storage.tokens.authenticator.key";

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let tokens = tokens_json(text(bytes)?)?;
    let Value::Array(tokens) = &*tokens else {
        return Err(wrong_shape(FORMAT, "its token list is not a JSON list"));
    };
    let mut out = Collector::default();
    out.read_each(tokens, |index, token| {
        let issuer = issuer(token);
        let name = name(token, issuer.as_deref());
        let label = entry_label(
            issuer.as_deref(),
            name.as_deref(),
            &format!("token {}", index + 1),
        );
        Some((label, read(token, issuer.as_deref(), name.as_deref())))
    });
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
                    "it has no `<string name=\"com.authy.storage.tokens.authenticator.key\">`",
                ));
            }
            Ok(Event::Start(start)) if start.local_name().as_ref() == b"string" => {
                let named = start
                    .try_get_attribute("name")
                    .ok()
                    .flatten()
                    .is_some_and(|a| a.value.as_ref() == TOKENS_KEY);
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

fn read(token: &Value, issuer: Option<&str>, name: Option<&str>) -> Result<ImportedEntry, String> {
    let (secret, period) = match (token.get("decryptedSecret"), string(token, "secretSeed")) {
        (Some(secret), _) => (base32_secret(Some(secret))?, 30),
        (None, Some(seed)) => (SecretBytes::from_hex(seed).map_err(|e| e.to_string())?, 10),
        (None, None) => return Err("it has no secret".to_string()),
    };
    build_entry(
        name,
        issuer,
        secret,
        Kind::Totp { period },
        Algorithm::Sha1,
        number(token.get("digits"), "digits", 6)?,
    )
}
