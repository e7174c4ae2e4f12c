//! Moving identities between Tessera and other authenticators: importing their export files,
//! plain or encrypted, and Google Authenticator export links ([`google`]), and exporting
//! ([`export`]).
//!
//! [`parse_import`] reads a file into an [`ImportReport`]: the entries that can become
//! identities, and the entries that cannot, each with a reason a person understands, plus
//! warnings about entries that import but deserve a look. It only reads;
//! [`crate::session::Session::import`] adds the entries to the token in one save.
//!
//! Encrypted files (Aegis vaults, 2FAS backups) take a [`Password`]. Without one the error is
//! [`ImportError::PasswordNeeded`], so a shell can ask and call again; a password that does
//! not open the file is [`ImportError::WrongPassword`]; a file whose password is right but
//! whose content was changed or cut is [`ImportError::Damaged`], naming the field.
//!
//! What is an error and what is a skip:
//! - A problem with the **file** (not JSON, truncated, not a format we know, the wrong shape,
//!   a missing or wrong password, a not yet supported export) is an [`ImportError`] and
//!   nothing is imported.
//! - A problem with **one entry** (a bad secret, an entry type Tessera cannot represent such
//!   as Yandex or mOTP, digits out of range) puts that entry in [`ImportReport::skipped`] with
//!   the reason; the other entries still import. No entry is ever dropped silently.
//!
//! No message and no `Debug` output contains a secret: [`SecretBytes`] shows only its length,
//! and JSON errors are reported by position only (serde_json's own messages can quote values).

mod aegis;
mod aegis_encrypted;
mod andotp;
mod authy;
mod bitwarden;
mod crypto;
mod csv;
mod detect;
pub mod export;
mod freeotp_plus;
pub mod google;
mod otpauth_list;
mod password;
mod proton;
mod stratum;
mod twofas;
mod twofas_encrypted;

use std::fmt;

use serde_json::Value;

pub use crypto::{MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY_BYTES, MAX_SCRYPT_WORK};
pub use detect::detect_format;
pub use password::Password;

use crate::SecretBytes;
use crate::codes::{Algorithm, TotpParams};
use crate::identity::IdentityKind;
use crate::provisioning::otpauth::{
    MAX_OTPAUTH_SECRET_BYTES, MIN_SECRET_BITS, OtpAuth, OtpKind, ParsedOtpauth, parse_otpauth,
};

/// The largest file [`parse_import`] reads, in bytes; exports of thousands of accounts fit.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// The export formats Tessera reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// An unencrypted Aegis vault export (`.json`).
    AegisPlain,
    /// A password-encrypted Aegis vault export (`.json`).
    AegisEncrypted,
    /// A 2FAS backup with schema version 2 or later, unencrypted (`.2fas`).
    TwoFasPlain,
    /// A password-encrypted 2FAS backup (`.2fas` with `servicesEncrypted`).
    TwoFasEncrypted,
    /// An old 2FAS backup, schema version 1 (TOTP SHA1 6 digits 30 s only).
    TwoFasLegacyJson,
    /// An andOTP plain JSON backup.
    AndOtp,
    /// A FreeOTP+ JSON export.
    FreeOtpPlus,
    /// A Bitwarden unencrypted JSON export.
    BitwardenJson,
    /// A Bitwarden CSV export.
    BitwardenCsv,
    /// An Ente Auth plain-text export (otpauth:// links with Ente's `codeDisplay`).
    EnteText,
    /// A Proton Authenticator JSON export.
    ProtonJson,
    /// A Stratum (Authenticator Pro) plain JSON backup.
    StratumJson,
    /// Plain text with one otpauth:// link per line.
    OtpauthList,
    /// Authy's Android token store (`com.authy.storage.tokens.authenticator.xml`).
    AuthyXml,
    /// Google Authenticator export links (otpauth-migration://), one per line.
    GoogleMigration,
    /// Tessera's own encrypted backup (docs/backup-format.md); needs its password.
    TesseraBackup,
}

impl ImportFormat {
    /// The format's name as a person knows it.
    pub fn display_name(self) -> &'static str {
        match self {
            ImportFormat::AegisPlain => "an Aegis export",
            ImportFormat::AegisEncrypted => "an encrypted Aegis export",
            ImportFormat::TwoFasPlain => "a 2FAS backup",
            ImportFormat::TwoFasEncrypted => "an encrypted 2FAS backup",
            ImportFormat::TwoFasLegacyJson => "an old 2FAS backup",
            ImportFormat::AndOtp => "an andOTP backup",
            ImportFormat::FreeOtpPlus => "a FreeOTP+ export",
            ImportFormat::BitwardenJson => "a Bitwarden JSON export",
            ImportFormat::BitwardenCsv => "a Bitwarden CSV export",
            ImportFormat::EnteText => "an Ente Auth export",
            ImportFormat::ProtonJson => "a Proton Authenticator export",
            ImportFormat::StratumJson => "a Stratum backup",
            ImportFormat::OtpauthList => "a list of otpauth links",
            ImportFormat::AuthyXml => "an Authy token file",
            ImportFormat::GoogleMigration => "Google Authenticator export links",
            ImportFormat::TesseraBackup => "a Tessera backup",
        }
    }

    /// Whether files of this format need a password.
    pub fn is_encrypted(self) -> bool {
        matches!(
            self,
            ImportFormat::AegisEncrypted
                | ImportFormat::TwoFasEncrypted
                | ImportFormat::TesseraBackup
        )
    }
}

/// The data of one new identity; the session gives it an id and the time it was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    /// What the person calls it (the account name, or the issuer when there is none).
    pub name: String,
    /// Who issued it, when known.
    pub issuer: Option<String>,
    /// How its codes are made, with its secret, algorithm, digits and period or counter.
    pub kind: IdentityKind,
}

/// An entry of the file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    /// The entry as the person knows it ("Deno: Mason"), or its position ("entry 4", "line 2")
    /// when it has no name.
    pub name: String,
    /// Why it was skipped, as a sentence without the secret.
    pub reason: String,
}

impl fmt::Display for SkippedEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}

/// Something a person should know about an entry that imports (the otpauth parser's warnings,
/// for formats that store otpauth links).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// The entry, named as in [`SkippedEntry::name`].
    pub name: String,
    /// The warning, as a sentence without the secret.
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// What a file holds: entries to add and entries that cannot be added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The format the file was read as.
    pub format: Option<ImportFormat>,
    /// Entries that can become identities, in file order.
    pub entries: Vec<ImportedEntry>,
    /// Entries that cannot, in file order, each with its reason.
    pub skipped: Vec<SkippedEntry>,
    /// Warnings about entries in [`ImportReport::entries`], in file order.
    pub warnings: Vec<ImportWarning>,
}

/// Why a file could not be read at all. Nothing is imported from a file that gives one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file has no content.
    #[error("the file is empty")]
    Empty,
    /// Larger than [`MAX_IMPORT_BYTES`].
    #[error("the file is too large to be an export: {bytes} bytes, at most {max} are read")]
    TooLarge {
        /// Size of the file.
        bytes: usize,
        /// Largest size read.
        max: usize,
    },
    /// JSON that does not parse; only the position is given (the parser's own words can quote
    /// the file's content, secrets included).
    #[error("the file is not valid JSON at line {line}, column {column}{}", if *.truncated { " (it ends too early: is it complete?)" } else { "" })]
    BadJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The file ends in the middle of the JSON.
        truncated: bool,
    },
    /// A text format that is not UTF-8.
    #[error("the file is not text (it is not valid UTF-8)")]
    NotText,
    /// Nothing in the file looks like an export Tessera reads.
    #[error("the file is not a format Tessera can import ({reason})")]
    Unrecognised {
        /// What was looked for.
        reason: String,
    },
    /// The file is the format asked for (or detected), but its structure is not that format's.
    #[error("the file does not look like {format}: {problem}")]
    WrongShape {
        /// The expected format, as a person knows it.
        format: &'static str,
        /// What is missing or of the wrong kind.
        problem: String,
    },
    /// A Google Authenticator export link that cannot be decoded: that QR code must be
    /// scanned again.
    #[error("line {line}: {error}")]
    MigrationLink {
        /// 1-based line of the link.
        line: usize,
        /// What is wrong with it.
        error: google::MigrationError,
    },
    /// A format recognised but not supported by this version (encrypted Bitwarden and Stratum
    /// exports).
    #[error("{what}; importing {them} is not supported yet")]
    NotSupportedYet {
        /// What the file is ("this Aegis export is encrypted").
        what: &'static str,
        /// What cannot be imported ("encrypted Bitwarden exports").
        them: &'static str,
    },
    /// The file is encrypted and no password was given: ask for one and read it again.
    #[error("the file is {format}: a password is needed to import it")]
    PasswordNeeded {
        /// The format, as a person knows it ("an encrypted Aegis export").
        format: &'static str,
    },
    /// The password does not open the file: it is not the file's password, or the part it
    /// opens was changed.
    #[error("the password is wrong, or the file is damaged ({field} does not open with it)")]
    WrongPassword {
        /// The part the password should open, as a path into the file.
        field: &'static str,
    },
    /// The file is cut or changed: a field is missing, badly encoded, of the wrong length, or
    /// fails its authentication although the password is right.
    #[error("the file is damaged: {field} {problem}")]
    Damaged {
        /// The field, as a path into the file (`header.params.nonce`).
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The file's key derivation parameters ask for more memory or time than Tessera gives
    /// an import (a hostile or broken file); nothing was computed.
    #[error(
        "the file asks for more key derivation work than Tessera does: {what} would be {value}, at most {max}"
    )]
    KdfTooCostly {
        /// The quantity over its bound and where it comes from.
        what: String,
        /// Its value.
        value: u64,
        /// Its bound.
        max: u64,
    },
    /// A Tessera backup that does not open: damaged, cut, altered, of a newer version, or the
    /// wrong password (the backup's own words, naming the part at fault).
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
}

/// Reads `bytes` as `format`, or as the format [`detect_format`] finds when `format` is `None`.
/// `password` opens encrypted files and is ignored for plain ones. An Aegis or 2FAS file is
/// read as encrypted or plain by its content, whichever of the two was named.
pub fn parse_import(
    bytes: &[u8],
    format: Option<ImportFormat>,
    password: Option<&Password>,
) -> Result<ImportReport, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    let trimmed = detect::trim_start(bytes);
    if trimmed.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let format = match format {
        Some(format) => format,
        None => detect::sniff(trimmed)?,
    };
    let needs = |format: ImportFormat| {
        password.ok_or(ImportError::PasswordNeeded {
            format: format.display_name(),
        })
    };
    let mut report = match format {
        ImportFormat::AegisPlain | ImportFormat::AegisEncrypted => {
            let file = json(trimmed)?;
            if file.get("db").is_some_and(Value::is_string) {
                let format = ImportFormat::AegisEncrypted;
                aegis_encrypted::parse(&file, needs(format)?).map(|r| with_format(r, format))
            } else {
                aegis::parse(&file).map(|r| with_format(r, ImportFormat::AegisPlain))
            }
        }
        ImportFormat::TwoFasPlain | ImportFormat::TwoFasEncrypted => {
            let file = json(trimmed)?;
            if twofas_encrypted::is_encrypted(&file) {
                let format = ImportFormat::TwoFasEncrypted;
                twofas_encrypted::parse(&file, needs(format)?).map(|r| with_format(r, format))
            } else {
                let format = ImportFormat::TwoFasPlain;
                twofas::parse(&file, format).map(|r| with_format(r, format))
            }
        }
        ImportFormat::TwoFasLegacyJson => twofas::parse(&json(trimmed)?, format),
        ImportFormat::AndOtp => andotp::parse(&json(trimmed)?),
        ImportFormat::FreeOtpPlus => freeotp_plus::parse(&json(trimmed)?),
        ImportFormat::BitwardenJson => bitwarden::parse_json(&json(trimmed)?),
        ImportFormat::BitwardenCsv => bitwarden::parse_csv(text(trimmed)?),
        ImportFormat::EnteText | ImportFormat::OtpauthList => {
            otpauth_list::parse(text(trimmed)?, format)
        }
        ImportFormat::GoogleMigration => google::parse(text(trimmed)?),
        ImportFormat::ProtonJson => proton::parse(&json(trimmed)?),
        ImportFormat::StratumJson => stratum::parse(&json(trimmed)?),
        ImportFormat::AuthyXml => authy::parse(trimmed),
        ImportFormat::TesseraBackup => crate::backup::open_backup(trimmed, needs(format)?.as_str())
            .map(crate::backup::BackupContents::into_import_report)
            .map_err(ImportError::from),
    }?;
    report.format.get_or_insert(format);
    Ok(report)
}

fn with_format(mut report: ImportReport, format: ImportFormat) -> ImportReport {
    report.format = Some(format);
    report
}

/// The file as JSON, or where it stops being JSON.
pub(crate) fn json(bytes: &[u8]) -> Result<Value, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| ImportError::BadJson {
        line: e.line(),
        column: e.column(),
        truncated: e.is_eof(),
    })
}

fn text(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)
}

fn wrong_shape(format: ImportFormat, problem: impl Into<String>) -> ImportError {
    ImportError::WrongShape {
        format: format.display_name(),
        problem: problem.into(),
    }
}

/// The array at `key` of the object `value`, or a wrong-shape error naming it.
fn array_at<'a>(
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

// --- building entries ------------------------------------------------------------------------

/// An entry read from a file, with the warnings a person should see about it.
struct ReadEntry {
    entry: ImportedEntry,
    warnings: Vec<String>,
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
struct Collector {
    report: ImportReport,
}

impl Collector {
    /// Keeps `result` as an entry (with its warnings, labelled `label`), or skips it as
    /// `label` with the reason.
    fn push<E: Into<ReadEntry>>(
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

    fn finish(self) -> Result<ImportReport, ImportError> {
        Ok(self.report)
    }
}

/// How an entry names the person's account, for skip messages: "Issuer: name", either one,
/// or its position.
fn entry_label(issuer: Option<&str>, name: Option<&str>, position: &str) -> String {
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
enum Kind {
    Totp { period: u64 },
    Hotp { counter: u64 },
    Steam,
}

/// A checked entry from loose fields: secret length, digits and period as Tessera accepts
/// them; an empty name falls back to the issuer.
fn build_entry(
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

fn check_secret(secret: &SecretBytes) -> Result<(), String> {
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
fn base32_secret(value: Option<&Value>) -> Result<SecretBytes, String> {
    let text = value
        .and_then(Value::as_str)
        .ok_or_else(|| "it has no secret".to_string())?;
    SecretBytes::from_base32(text).map_err(|e| e.to_string())
}

/// An algorithm name field; `None` gives SHA1.
fn algorithm(value: Option<&Value>) -> Result<Algorithm, String> {
    match value {
        None | Some(Value::Null) => Ok(Algorithm::Sha1),
        Some(Value::String(name)) => name
            .parse()
            .map_err(|_| format!("the algorithm must be SHA1, SHA256 or SHA512, not \"{name}\"")),
        Some(_) => Err("the algorithm is not text".to_string()),
    }
}

/// A whole-number field, or `default` when absent.
fn number(value: Option<&Value>, field: &str, default: u64) -> Result<u64, String> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| format!("the {field} is not a whole number")),
    }
}

fn string<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// An entry from an otpauth:// link, named as Add Identity names it, with the parser's
/// warnings.
fn entry_from_otpauth(link: &str) -> Result<ReadEntry, String> {
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
fn otpauth_label(link: &str, position: &str) -> String {
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

    #[test]
    fn too_large_files_are_refused_before_reading() {
        let big = vec![b' '; MAX_IMPORT_BYTES + 1];
        assert!(matches!(
            parse_import(&big, None, None),
            Err(ImportError::TooLarge { .. })
        ));
    }
}
