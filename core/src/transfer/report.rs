//! What reading an export gives: the [`ImportReport`] of entries to add, entries skipped and
//! warnings, and the [`ImportError`] of a file that cannot be read at all. The rules for which
//! is which are in the parent module's documentation.

use std::fmt;

use crate::identity::IdentityKind;

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
    /// A PSKC key container (RFC 6030), plain or encrypted with a pre-shared key or a password.
    Pskc,
    /// Google Authenticator export links (otpauth-migration://), one per line.
    GoogleMigration,
    /// Tessera's own encrypted backup (docs/backup-format.md); needs its password.
    TesseraBackup,
    /// An encrypted andOTP backup (`.json.aes`), either generation.
    AndOtpEncrypted,
    /// A password-protected Stratum (Authenticator Pro) backup, current or legacy.
    StratumEncrypted,
    /// A password-protected Bitwarden JSON export.
    BitwardenEncrypted,
    /// Authy's encrypted tokens (`authenticator_tokens`), opened with the backup password.
    AuthyEncrypted,
    /// A Steam Desktop Authenticator account file (`.maFile`), unencrypted.
    SteamMaFile,
    /// FreeOTP's or FreeOTP+'s token store (`tokens.xml` of the app's shared preferences),
    /// from a rooted phone: both apps keep the same store.
    FreeOtpXml,
    /// A FreeOTP 2 external backup (Java-serialised, password-encrypted).
    FreeOtpBackup,
    /// A zip of Steam Desktop Authenticator's `maFiles` folder, plain or encrypted.
    SteamMaFolder,
    /// The Battle.net app's authenticator preferences (`com.blizzard.messenger` or the old
    /// `com.blizzard.bma`), from a rooted phone.
    BattleNetXml,
    /// Duo Mobile's `accounts.json`, from a rooted phone.
    DuoJson,
    /// A TOTP Authenticator (Binary Boolean) encrypted backup; needs its password.
    TotpAuthenticatorEncrypted,
    /// TOTP Authenticator's `TOTP_Authenticator_Preferences.xml`, from a rooted phone.
    TotpAuthenticatorXml,
    /// An Authenticator Plus backup (`authplus.db`, SQLCipher); needs the master password.
    AuthenticatorPlusDb,
    /// Google Authenticator's SQLite database (`databases`), from a rooted phone.
    GoogleAuthenticatorDb,
    /// Microsoft Authenticator's SQLite database (`PhoneFactor`), from a rooted phone.
    MicrosoftAuthenticatorDb,
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
            ImportFormat::Pskc => "a PSKC file",
            ImportFormat::GoogleMigration => "Google Authenticator export links",
            ImportFormat::TesseraBackup => "a Tessera backup",
            ImportFormat::AndOtpEncrypted => "an encrypted andOTP backup",
            ImportFormat::StratumEncrypted => "an encrypted Stratum backup",
            ImportFormat::BitwardenEncrypted => "a password-protected Bitwarden export",
            ImportFormat::AuthyEncrypted => "Authy's encrypted tokens",
            ImportFormat::SteamMaFile => "a Steam Desktop Authenticator maFile",
            ImportFormat::FreeOtpXml => "a FreeOTP or FreeOTP+ token file",
            ImportFormat::FreeOtpBackup => "an encrypted FreeOTP backup",
            ImportFormat::SteamMaFolder => "a zip of Steam Desktop Authenticator's maFiles folder",
            ImportFormat::BattleNetXml => "a Battle.net authenticator file",
            ImportFormat::DuoJson => "a Duo Mobile accounts file",
            ImportFormat::TotpAuthenticatorEncrypted => "an encrypted TOTP Authenticator backup",
            ImportFormat::TotpAuthenticatorXml => "a TOTP Authenticator preferences file",
            ImportFormat::AuthenticatorPlusDb => "an Authenticator Plus backup",
            ImportFormat::GoogleAuthenticatorDb => "a Google Authenticator database",
            ImportFormat::MicrosoftAuthenticatorDb => "a Microsoft Authenticator database",
        }
    }

    /// Whether files of this format need a password.
    pub fn is_encrypted(self) -> bool {
        matches!(
            self,
            ImportFormat::AegisEncrypted
                | ImportFormat::TwoFasEncrypted
                | ImportFormat::TesseraBackup
                | ImportFormat::AndOtpEncrypted
                | ImportFormat::StratumEncrypted
                | ImportFormat::BitwardenEncrypted
                | ImportFormat::AuthyEncrypted
                | ImportFormat::FreeOtpBackup
                | ImportFormat::TotpAuthenticatorEncrypted
                | ImportFormat::AuthenticatorPlusDb
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
    /// Larger than [`super::MAX_IMPORT_BYTES`].
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
        error: super::google::link::MigrationError,
    },
    /// A format recognised but not supported by this version (Bitwarden exports encrypted
    /// with the account's key).
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
    /// A PSKC file encrypted with a pre-shared key was given something that is not an AES key
    /// in hexadecimal.
    #[error(
        "the file is encrypted with a pre-shared key: give the key as 32, 48 or 64 hexadecimal digits (AES-128, -192 or -256) where the password goes"
    )]
    PreSharedKeyNeeded,
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
