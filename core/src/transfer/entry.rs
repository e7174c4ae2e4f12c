//! What every format's reader shares: the file's JSON and text, the fields of an entry, the
//! checks an entry passes before it becomes an [`ImportedEntry`], and the [`Collector`] that
//! keeps each entry or skips it with its reason.

use serde_json::Value;

use super::report::{
    ImportError, ImportFormat, ImportReport, ImportWarning, ImportedEntry, SkippedEntry,
};
use crate::SecretBytes;
use crate::codes::{Algorithm, TotpParams};
use crate::identity::IdentityKind;
use crate::provisioning::otpauth::{
    MAX_OTPAUTH_SECRET_BYTES, MIN_SECRET_BITS, OtpAuth, OtpKind, ParsedOtpauth, parse_otpauth,
};

/// The file as JSON, or where it stops being JSON.
pub(super) fn json(bytes: &[u8]) -> Result<Value, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| ImportError::BadJson {
        line: e.line(),
        column: e.column(),
        truncated: e.is_eof(),
    })
}

pub(super) fn text(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)
}

pub(super) fn wrong_shape(format: ImportFormat, problem: impl Into<String>) -> ImportError {
    ImportError::WrongShape {
        format: format.display_name(),
        problem: problem.into(),
    }
}

/// The array at `key` of the object `value`, or a wrong-shape error naming it.
pub(super) fn array_at<'a>(
    value: &'a Value,
    key: &str,
    format: ImportFormat,
) -> Result<&'a Vec<Value>, ImportError> {
    match value.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(wrong_shape(format, format!("`{key}` is not a list"))),
        None => Err(wrong_shape(format, format!("it has no `{key}` list"))),
    }
}

/// An entry read from a file, with the warnings a person should see about it.
pub(super) struct ReadEntry {
    pub(super) entry: ImportedEntry,
    pub(super) warnings: Vec<String>,
}

impl From<ImportedEntry> for ReadEntry {
    fn from(entry: ImportedEntry) -> Self {
        ReadEntry {
            entry,
            warnings: Vec::new(),
        }
    }
}

/// Collects entries, skips and warnings while a format's module walks its file.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) report: ImportReport,
}

impl Collector {
    /// Keeps `result` as an entry (with its warnings, labelled `label`), or skips it as
    /// `label` with the reason.
    pub(super) fn push<E: Into<ReadEntry>>(
        &mut self,
        label: impl FnOnce() -> String,
        result: Result<E, String>,
    ) {
        match result.map(Into::into) {
            Ok(ReadEntry { entry, warnings }) => {
                if !warnings.is_empty() {
                    let name = label();
                    self.report
                        .warnings
                        .extend(warnings.into_iter().map(|message| ImportWarning {
                            name: name.clone(),
                            message,
                        }));
                }
                self.report.entries.push(entry);
            }
            Err(reason) => self.report.skipped.push(SkippedEntry {
                name: label(),
                reason,
            }),
        }
    }

    /// Reads each of `items` with `read`, which gives the item's label (for skips and warnings)
    /// and what reading it gave, or `None` for an item that holds no OTP entry.
    pub(super) fn read_each<T, E: Into<ReadEntry>>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut read: impl FnMut(usize, T) -> Option<(String, Result<E, String>)>,
    ) {
        for (index, item) in items.into_iter().enumerate() {
            if let Some((label, result)) = read(index, item) {
                self.push(|| label, result);
            }
        }
    }

    pub(super) fn finish(self) -> Result<ImportReport, ImportError> {
        Ok(self.report)
    }
}

/// Reads a list of JSON entries with `read`, naming each in skips and warnings by its
/// `issuer_key` and `name_key` fields and its position ("`noun` 3").
pub(super) fn read_json_entries(
    items: &[Value],
    noun: &str,
    issuer_key: &str,
    name_key: &str,
    read: impl Fn(&Value) -> Result<ImportedEntry, String>,
) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    out.read_each(items, |index, entry| {
        let label = entry_label(
            string(entry, issuer_key),
            string(entry, name_key),
            &format!("{noun} {}", index + 1),
        );
        Some((label, read(entry)))
    });
    out.finish()
}

/// How an entry names the person's account, for skip messages: "Issuer: name", either one,
/// or its position.
pub(super) fn entry_label(issuer: Option<&str>, name: Option<&str>, position: &str) -> String {
    let issuer = issuer.map(str::trim).filter(|s| !s.is_empty());
    let name = name.map(str::trim).filter(|s| !s.is_empty());
    match (issuer, name) {
        (Some(i), Some(n)) => format!("{position} (\"{i}: {n}\")"),
        (Some(one), None) | (None, Some(one)) => format!("{position} (\"{one}\")"),
        (None, None) => position.to_string(),
    }
}

/// The kind of OTP an entry asks for, before its values are checked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Totp { period: u64 },
    Hotp { counter: u64 },
    Steam,
}

/// A checked entry from loose fields: secret length, digits and period as Tessera accepts
/// them; an empty name falls back to the issuer.
pub(super) fn build_entry(
    name: Option<&str>,
    issuer: Option<&str>,
    secret: SecretBytes,
    kind: Kind,
    algorithm: Algorithm,
    digits: u64,
) -> Result<ImportedEntry, String> {
    check_secret(&secret)?;
    let issuer = issuer
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let name = match name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => name.to_string(),
        None => issuer
            .clone()
            .ok_or_else(|| "it has neither a name nor an issuer".to_string())?,
    };
    let digits_u8 = u8::try_from(digits).unwrap_or(u8::MAX);
    let kind = match kind {
        Kind::Totp { period } => {
            let period = u32::try_from(period).unwrap_or(u32::MAX);
            let params =
                TotpParams::new(algorithm, digits_u8, period).map_err(|e| e.to_string())?;
            IdentityKind::Totp { secret, params }
        }
        Kind::Hotp { counter } => {
            // The same digits rule as TOTP (RFC 4226 section 5.3).
            TotpParams::new(algorithm, digits_u8, 30).map_err(|e| e.to_string())?;
            IdentityKind::Hotp {
                secret,
                algorithm,
                digits: digits_u8,
                counter,
            }
        }
        Kind::Steam => IdentityKind::Steam { secret },
    };
    Ok(ImportedEntry { name, issuer, kind })
}

pub(super) fn check_secret(secret: &SecretBytes) -> Result<(), String> {
    if secret.is_empty() {
        return Err("the secret is empty".to_string());
    }
    if secret.bits() < MIN_SECRET_BITS {
        return Err(format!(
            "the secret is too short: {} bits, at least {MIN_SECRET_BITS} are needed",
            secret.bits()
        ));
    }
    if secret.len() > MAX_OTPAUTH_SECRET_BYTES {
        return Err(format!(
            "the secret is too long: {} bytes, at most {MAX_OTPAUTH_SECRET_BYTES} are accepted",
            secret.len()
        ));
    }
    Ok(())
}

/// A base32 secret field.
pub(super) fn base32_secret(value: Option<&Value>) -> Result<SecretBytes, String> {
    let text = value
        .and_then(Value::as_str)
        .ok_or_else(|| "it has no secret".to_string())?;
    SecretBytes::from_base32(text).map_err(|e| e.to_string())
}

/// The kind the type name `name` asks for, compared without case and quoted as given when it
/// is not supported; its period or counter is read from `fields`. Steam only where `steam`.
pub(super) fn kind_named(name: &str, fields: &Value, steam: bool) -> Result<Kind, String> {
    match name.to_ascii_uppercase().as_str() {
        "TOTP" => Ok(Kind::Totp {
            period: number(fields.get("period"), "period", 30)?,
        }),
        "HOTP" => Ok(Kind::Hotp {
            counter: number(fields.get("counter"), "counter", 0)?,
        }),
        "STEAM" if steam => Ok(Kind::Steam),
        _ => Err(format!(
            "its type \"{name}\" is not one Tessera supports ({} are)",
            if steam {
                "TOTP, HOTP and Steam"
            } else {
                "TOTP and HOTP"
            }
        )),
    }
}

/// An algorithm name field; `None` gives SHA1.
pub(super) fn algorithm(value: Option<&Value>) -> Result<Algorithm, String> {
    match value {
        None | Some(Value::Null) => Ok(Algorithm::Sha1),
        Some(Value::String(name)) => name
            .parse()
            .map_err(|_| format!("the algorithm must be SHA1, SHA256 or SHA512, not \"{name}\"")),
        Some(_) => Err("the algorithm is not text".to_string()),
    }
}

/// A whole-number field, or `default` when absent.
pub(super) fn number(value: Option<&Value>, field: &str, default: u64) -> Result<u64, String> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| format!("the {field} is not a whole number")),
    }
}

pub(super) fn string<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// An entry from an otpauth:// link, named as Add Identity names it, with the parser's
/// warnings.
pub(super) fn entry_from_otpauth(link: &str) -> Result<ReadEntry, String> {
    let ParsedOtpauth { otp, warnings } = parse_otpauth(link.trim()).map_err(|e| e.to_string())?;
    Ok(ReadEntry {
        entry: entry_from_otp(otp)?,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

fn entry_from_otp(otp: OtpAuth) -> Result<ImportedEntry, String> {
    let kind = match otp.kind {
        OtpKind::Totp { period } => Kind::Totp {
            period: u64::from(period),
        },
        OtpKind::Hotp { counter } => Kind::Hotp { counter },
        OtpKind::Steam => Kind::Steam,
    };
    build_entry(
        Some(&otp.account),
        otp.issuer.as_deref(),
        otp.secret,
        kind,
        otp.algorithm,
        u64::from(otp.digits),
    )
}

/// The label of an otpauth link for skip messages, without the secret: the path only.
pub(super) fn otpauth_label(link: &str, position: &str) -> String {
    let path = link
        .trim()
        .split('?')
        .next()
        .and_then(|head| head.split_once("://"))
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, label)| label);
    let decoded = path.map(|label| {
        percent_encoding::percent_decode_str(label)
            .decode_utf8_lossy()
            .into_owned()
    });
    match decoded.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(label) => format!(
            "{position} (\"{}\")",
            label.chars().take(80).collect::<String>()
        ),
        None => position.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> SecretBytes {
        SecretBytes::new(vec![7; 16])
    }

    #[test]
    fn a_missing_name_falls_back_to_the_issuer() {
        let entry = build_entry(
            Some("  "),
            Some(" Deno "),
            secret(),
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
        )
        .unwrap();
        assert_eq!(
            (entry.name.as_str(), entry.issuer.as_deref()),
            ("Deno", Some("Deno"))
        );
    }

    #[test]
    fn steam_ignores_digits_and_algorithm_but_totp_checks_them() {
        let steam = build_entry(
            Some("a"),
            None,
            secret(),
            Kind::Steam,
            Algorithm::Sha512,
            99,
        );
        assert!(matches!(steam.unwrap().kind, IdentityKind::Steam { .. }));
        let totp = build_entry(
            Some("a"),
            None,
            secret(),
            Kind::Totp { period: 301 },
            Algorithm::Sha1,
            6,
        );
        assert_eq!(
            totp.unwrap_err(),
            "the period must be between 1 and 300 seconds, not 301"
        );
        let huge = build_entry(
            Some("a"),
            None,
            secret(),
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            u64::MAX,
        );
        assert_eq!(
            huge.unwrap_err(),
            "the number of digits must be 6, 7 or 8, not 255"
        );
    }

    #[test]
    fn skip_labels_show_the_link_label_not_the_secret() {
        let link = "otpauth://totp/Deno:Mason%20M?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ";
        assert_eq!(otpauth_label(link, "line 1"), "line 1 (\"Deno:Mason M\")");
        assert_eq!(otpauth_label("otpauth://totp?secret=X", "line 2"), "line 2");
    }
}
