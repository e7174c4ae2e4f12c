//! Moving identities in and out through the shells: what `TokenSession::import_file`,
//! `TokenSession::export` and [`verify_backup`] take and return.
//!
//! Import reports, skips and backup listings carry names, issuers and kinds only. The export
//! result is the one record that carries secrets (links, QR images, backup bytes): it is what
//! an explicit export call returns, and nothing else builds one.

use tessera_core::backup::SealedBackup;
use tessera_core::session::ImportOutcome;
use tessera_core::transfer::{
    self, ImportFormat as CoreImportFormat, ImportReport, ImportWarning as CoreImportWarning,
    Password, SkippedEntry as CoreSkippedEntry,
};
use zeroize::Zeroizing;

use crate::error::TokenError;
use crate::records::{IdentityInfo, IdentityKind};

/// The formats `import_file` reads. Passing none lets the core recognise the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ImportFormat {
    /// An unencrypted Aegis vault export.
    AegisPlain,
    /// A password-encrypted Aegis vault export.
    AegisEncrypted,
    /// A 2FAS backup (schema 2 or later), unencrypted.
    TwoFasPlain,
    /// A password-encrypted 2FAS backup.
    TwoFasEncrypted,
    /// An old 2FAS backup (schema 1).
    TwoFasLegacyJson,
    /// An andOTP plain JSON backup.
    AndOtp,
    /// A FreeOTP+ JSON export.
    FreeOtpPlus,
    /// A Bitwarden unencrypted JSON export.
    BitwardenJson,
    /// A Bitwarden CSV export.
    BitwardenCsv,
    /// An Ente Auth plain-text export.
    EnteText,
    /// A Proton Authenticator JSON export.
    ProtonJson,
    /// A Stratum (Authenticator Pro) plain JSON backup.
    StratumJson,
    /// Plain text with one otpauth:// link per line.
    OtpauthList,
    /// Authy's Android token file.
    AuthyXml,
    /// Google Authenticator export links (otpauth-migration://), one per line.
    GoogleMigration,
    /// Tessera's own encrypted backup.
    TesseraBackup,
}

/// An entry of a file, or an identity of the token, that was not imported or exported.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SkippedEntry {
    /// The entry as the person knows it ("Deno: Mason"), or its place in the file ("entry 4").
    pub name: String,
    /// Why, in words to show (never the secret).
    pub reason: String,
}

/// Something to tell the person about an entry that was imported.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportWarning {
    /// The entry, named as in [`SkippedEntry::name`].
    pub name: String,
    /// What to tell.
    pub message: String,
}

/// What `import_file` did: every entry of the file is either added or skipped with a reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// The format the file was read as.
    pub format: Option<ImportFormat>,
    /// The identities added, in file order, with the names they got.
    pub added: Vec<IdentityInfo>,
    /// The entries not added (unsupported, already on the token, repeated...), with reasons.
    pub skipped: Vec<SkippedEntry>,
    /// Warnings about added entries.
    pub warnings: Vec<ImportWarning>,
}

/// What `create_from_import` did: the import's summary and the new token's recovery key.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreSummary {
    /// What was added and skipped, as `import_file` reports it.
    pub import: ImportSummary,
    /// The new token's recovery key. Show it once (as the Add Identity flow's Done step does)
    /// and do not keep it: it opens the token without the PIN.
    pub recovery_key: String,
}

impl std::fmt::Debug for RestoreSummary {
    /// Without the recovery key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestoreSummary")
            .field("import", &self.import)
            .finish_non_exhaustive()
    }
}

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExportFormat {
    /// One otpauth:// link per identity.
    Otpauth,
    /// Google Authenticator export links, with a QR code image for each.
    Google,
    /// Tessera's encrypted backup file: every identity, under a backup password.
    Tessera,
}

/// An export. It holds the token's secrets: show or save it, then drop it (JVM and Swift
/// copies cannot be wiped).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportResult {
    /// The format written.
    pub format: ExportFormat,
    /// otpauth:// links (one per identity) or Google export links (several accounts each);
    /// empty for a backup.
    pub links: Vec<String>,
    /// For Google exports: one PNG image per link, in the same order, for another phone's
    /// camera. Empty otherwise.
    pub qr_codes: Vec<Vec<u8>>,
    /// For a Tessera backup: the file to save. None otherwise.
    pub backup: Option<Vec<u8>>,
    /// The identities written, as "Issuer: name" or the name, in token order.
    pub exported: Vec<String>,
    /// The identities the format cannot carry, each with the reason.
    pub skipped: Vec<SkippedEntry>,
}

impl std::fmt::Debug for ExportResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportResult")
            .field("format", &self.format)
            .field("links", &self.links.len())
            .field("qr_codes", &self.qr_codes.len())
            .field("backup", &self.backup.as_ref().map(Vec::len))
            .field("exported", &self.exported)
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// One identity a backup holds, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupEntry {
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKind,
}

/// What a backup holds, proven by opening it with its password.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupSummary {
    /// When the backup was made (Unix time of the device that made it).
    pub created_at: u64,
    /// Its identities, in the token's order.
    pub identities: Vec<BackupEntry>,
    /// Identities this version cannot restore, each with the reason.
    pub skipped: Vec<SkippedEntry>,
}

/// Opens a Tessera backup with its password and lists what it holds (names, kinds, issuers;
/// no secret), without touching any token. Runs the backup's key derivation (Argon2id, about
/// half a second on a phone): call it off the main thread. A wrong password is refused with
/// field `Password`, a damaged or foreign file with field `File`.
#[uniffi::export]
pub fn verify_backup(contents: Vec<u8>, password: String) -> Result<BackupSummary, TokenError> {
    let password = Zeroizing::new(password);
    let sealed = SealedBackup::parse(&contents)?;
    let opened = sealed.open_with(&sealed.derive_key(&password)?)?;
    Ok(BackupSummary {
        created_at: opened.created_at,
        identities: opened
            .items()
            .into_iter()
            .map(|item| BackupEntry {
                name: item.name,
                issuer: item.issuer,
                kind: item.kind.into(),
            })
            .collect(),
        skipped: skipped(opened.skipped),
    })
}

/// The entries of an export file or a Tessera backup, before anything is added; the password
/// is wiped when dropped.
pub(crate) fn read_import(
    contents: &[u8],
    format: Option<ImportFormat>,
    password: Option<String>,
) -> Result<ImportReport, TokenError> {
    let password = password.map(Password::new);
    Ok(transfer::parse_import(
        contents,
        format.map(Into::into),
        password.as_ref(),
    )?)
}

pub(crate) fn summary(format: Option<CoreImportFormat>, outcome: ImportOutcome) -> ImportSummary {
    ImportSummary {
        format: format.map(Into::into),
        added: outcome.added.into_iter().map(Into::into).collect(),
        skipped: skipped(outcome.skipped),
        warnings: outcome.warnings.into_iter().map(Into::into).collect(),
    }
}

pub(crate) fn skipped(entries: Vec<CoreSkippedEntry>) -> Vec<SkippedEntry> {
    entries
        .into_iter()
        .map(|entry| SkippedEntry {
            name: entry.name,
            reason: entry.reason,
        })
        .collect()
}

impl From<CoreImportWarning> for ImportWarning {
    fn from(warning: CoreImportWarning) -> Self {
        Self {
            name: warning.name,
            message: warning.message,
        }
    }
}

/// One table for both directions, so a format added to one side cannot be forgotten on the other.
macro_rules! same_formats {
    ($($name:ident),* $(,)?) => {
        impl From<ImportFormat> for CoreImportFormat {
            fn from(format: ImportFormat) -> Self {
                match format {
                    $(ImportFormat::$name => CoreImportFormat::$name,)*
                }
            }
        }

        impl From<CoreImportFormat> for ImportFormat {
            fn from(format: CoreImportFormat) -> Self {
                match format {
                    $(CoreImportFormat::$name => ImportFormat::$name,)*
                }
            }
        }
    };
}

same_formats!(
    AegisPlain,
    AegisEncrypted,
    TwoFasPlain,
    TwoFasEncrypted,
    TwoFasLegacyJson,
    AndOtp,
    FreeOtpPlus,
    BitwardenJson,
    BitwardenCsv,
    EnteText,
    ProtonJson,
    StratumJson,
    OtpauthList,
    AuthyXml,
    GoogleMigration,
    TesseraBackup,
);
