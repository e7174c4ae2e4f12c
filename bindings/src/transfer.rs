//! Moving identities in and out through the shells: what `TokenSession::import_file`,
//! `TokenSession::export` and [`verify_backup`] take and return.
//!
//! Import reports, skips and backup listings carry names, issuers and kinds only. The export
//! result is the one record that carries secrets (links, QR images, backup bytes): it is what
//! an explicit export call returns, and nothing else builds one.

pub use tessera_core::backup::BackupItem;
use tessera_core::backup::SealedBackup;
pub use tessera_core::session::ImportOutcome;
use tessera_core::transfer::{self, ImportReport, Password};
pub use tessera_core::transfer::{ImportFormat, ImportWarning, SkippedEntry};
use zeroize::Zeroizing;

use crate::error::TokenError;
use crate::records::{IdentityKindLabel, IdentitySummary};

// The core's records, exported as they are (see `records` for why they are written out again).

/// The formats `import_file` reads. Passing none lets the core recognise the file.
#[uniffi::remote(Enum)]
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
    /// A PSKC key container (RFC 6030); an encrypted one takes its pre-shared key (hex) or
    /// password as the password.
    Pskc,
    /// Google Authenticator export links (otpauth-migration://), one per line.
    GoogleMigration,
    /// Tessera's own encrypted backup.
    TesseraBackup,
    /// An encrypted andOTP backup, either generation (an old one must be named: nothing in it
    /// says what it is).
    AndOtpEncrypted,
    /// A password-protected Stratum (Authenticator Pro) backup, current or legacy.
    StratumEncrypted,
    /// A password-protected Bitwarden JSON export.
    BitwardenEncrypted,
    /// Authy's encrypted tokens, opened with the Authy backup password.
    AuthyEncrypted,
    /// A Steam Desktop Authenticator account file (`.maFile`), unencrypted.
    SteamMaFile,
    /// FreeOTP's or FreeOTP+'s token store (`tokens.xml`).
    FreeOtpXml,
    /// A FreeOTP 2 external backup (password-encrypted).
    FreeOtpBackup,
    /// A zip of Steam Desktop Authenticator's `maFiles` folder (encrypted ones need the SDA
    /// encryption key as the password).
    SteamMaFolder,
    /// The Battle.net app's authenticator preferences, from a rooted phone.
    BattleNetXml,
    /// Duo Mobile's accounts.json, from a rooted phone.
    DuoJson,
    /// A TOTP Authenticator encrypted backup.
    TotpAuthenticatorEncrypted,
    /// TOTP Authenticator's preferences file, from a rooted phone.
    TotpAuthenticatorXml,
    /// An Authenticator Plus backup (authplus.db).
    AuthenticatorPlusDb,
    /// Google Authenticator's SQLite database, from a rooted phone.
    GoogleAuthenticatorDb,
    /// Microsoft Authenticator's SQLite database, from a rooted phone.
    MicrosoftAuthenticatorDb,
}

/// An entry of a file, or an identity of the token, that was not imported or exported.
#[uniffi::remote(Record)]
pub struct SkippedEntry {
    /// The entry as the person knows it ("Deno: Mason"), or its place in the file ("entry 4").
    pub name: String,
    /// Why, in words to show (never the secret).
    pub reason: String,
}

/// Something to tell the person about an entry that was imported.
#[uniffi::remote(Record)]
pub struct ImportWarning {
    /// The entry, named as in [`SkippedEntry::name`].
    pub name: String,
    /// What to tell.
    pub message: String,
}

/// What `import_file` did: every entry of the file is either added or skipped with a reason.
#[uniffi::remote(Record)]
pub struct ImportOutcome {
    /// The format the file was read as.
    pub format: Option<ImportFormat>,
    /// The identities added, in file order, with the names they got.
    pub added: Vec<IdentitySummary>,
    /// The entries not added (unsupported, already on the token, repeated...), with reasons.
    pub skipped: Vec<SkippedEntry>,
    /// Warnings about added entries.
    pub warnings: Vec<ImportWarning>,
}

/// One identity a backup holds, without its secret.
#[uniffi::remote(Record)]
pub struct BackupItem {
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKindLabel,
}

// The records below are the bindings' own: each puts together what the core returns in pieces
// or in buffers that are wiped (which cannot cross as they are).

/// What `create_from_import` did: the import's outcome and the new token's recovery key. The
/// core returns the two apart, the key in a buffer wiped on drop; this is the one place the key
/// is copied out, to be shown once.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreSummary {
    /// What was added and skipped, as `import_file` reports it.
    pub import: ImportOutcome,
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

/// The formats `export` writes: the core's link formats (`LinkFormat`) and Tessera's own
/// backup, which the core writes by a call of its own (`Session::export_backup`).
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
/// copies cannot be wiped). The core keeps links and files in buffers wiped on drop, which
/// cannot cross the FFI; this record is what the explicit export call copies them into.
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

/// What a backup holds, proven by opening it with its password. The core's opened backup
/// (`BackupContents`) holds every secret; this is its listing without them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupSummary {
    /// When the backup was made (Unix time of the device that made it).
    pub created_at: u64,
    /// Its identities, in the token's order.
    pub identities: Vec<BackupItem>,
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
        identities: opened.items(),
        skipped: opened.skipped,
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
    Ok(transfer::parse_import(contents, format, password.as_ref())?)
}
