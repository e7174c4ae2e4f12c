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
//! No message and no `Debug` output contains a secret: [`crate::SecretBytes`] shows only its length,
//! and JSON errors are reported by position only (serde_json's own messages can quote values).

mod aegis;
mod aegis_encrypted;
mod andotp;
mod andotp_encrypted;
mod android_prefs;
mod authenticator_plus;
mod authy;
mod authy_encrypted;
mod battle_net;
mod bitwarden;
mod bitwarden_encrypted;
mod cbc;
mod crypto;
mod csv;
mod detect;
mod duo;
mod entry;
pub mod export;
mod freeotp_backup;
mod freeotp_plus;
mod freeotp_prefs;
pub mod google;
mod google_db;
mod java_serial;
mod kdfs;
mod microsoft_db;
mod otpauth_list;
mod password;
mod proton;
pub mod pskc;
mod report;
mod sqlcipher;
mod sqlite;
mod steam;
mod steam_folder;
mod stratum;
mod stratum_encrypted;
mod totp_authenticator;
mod twofas;
mod twofas_encrypted;

use serde_json::Value;

pub use crypto::{MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY_BYTES, MAX_SCRYPT_WORK};
pub use detect::detect_format;
pub use password::Password;
pub use report::{
    ImportError, ImportFormat, ImportReport, ImportWarning, ImportedEntry, SkippedEntry,
};

use entry::{json, text};

/// The largest file [`parse_import`] reads, in bytes; exports of thousands of accounts fit.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

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
        None => detect::sniff_file(bytes)?,
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
        ImportFormat::BitwardenJson | ImportFormat::BitwardenEncrypted => {
            let file = json(trimmed)?;
            if bitwarden_encrypted::is_password_protected(&file) {
                let format = ImportFormat::BitwardenEncrypted;
                bitwarden_encrypted::parse(&file, needs(format)?).map(|r| with_format(r, format))
            } else {
                bitwarden::parse_json(&file).map(|r| with_format(r, ImportFormat::BitwardenJson))
            }
        }
        ImportFormat::StratumJson | ImportFormat::StratumEncrypted => {
            let sealed = if detect::is_encrypted_stratum(trimmed) {
                Some(trimmed)
            } else if stratum_encrypted::is_headerless(bytes) {
                Some(bytes)
            } else {
                None
            };
            if let Some(sealed) = sealed {
                let format = ImportFormat::StratumEncrypted;
                stratum_encrypted::parse(sealed, needs(format)?).map(|r| with_format(r, format))
            } else {
                stratum::parse(&json(trimmed)?).map(|r| with_format(r, ImportFormat::StratumJson))
            }
        }
        ImportFormat::AndOtpEncrypted => andotp_encrypted::parse(bytes, needs(format)?),
        ImportFormat::AuthyEncrypted => authy_encrypted::parse(&json(trimmed)?, needs(format)?),
        ImportFormat::SteamMaFile => steam::parse(&json(trimmed)?),
        ImportFormat::FreeOtpXml => freeotp_prefs::parse(trimmed),
        ImportFormat::FreeOtpBackup => freeotp_backup::parse(bytes, needs(format)?),
        ImportFormat::SteamMaFolder => steam_folder::parse(bytes, password),
        ImportFormat::BitwardenCsv => bitwarden::parse_csv(text(trimmed)?),
        ImportFormat::EnteText | ImportFormat::OtpauthList => {
            otpauth_list::parse(text(trimmed)?, format)
        }
        ImportFormat::GoogleMigration => google::parse(text(trimmed)?),
        ImportFormat::ProtonJson => proton::parse(&json(trimmed)?),
        ImportFormat::AuthyXml => authy::parse(trimmed, password),
        ImportFormat::Pskc => pskc::parse(trimmed, password),
        ImportFormat::TesseraBackup => crate::backup::open_backup(trimmed, needs(format)?.as_str())
            .map(crate::backup::BackupContents::into_import_report)
            .map_err(ImportError::from),
        ImportFormat::BattleNetXml => battle_net::parse(trimmed),
        ImportFormat::DuoJson => duo::parse(&json(trimmed)?),
        ImportFormat::TotpAuthenticatorEncrypted => {
            totp_authenticator::parse_encrypted(text(trimmed)?, needs(format)?)
        }
        ImportFormat::TotpAuthenticatorXml => totp_authenticator::parse_prefs(trimmed),
        ImportFormat::AuthenticatorPlusDb => authenticator_plus::parse(bytes, needs(format)?),
        ImportFormat::GoogleAuthenticatorDb => google_db::parse(bytes),
        ImportFormat::MicrosoftAuthenticatorDb => microsoft_db::parse(bytes),
    }?;
    report.format.get_or_insert(format);
    Ok(report)
}

fn with_format(mut report: ImportReport, format: ImportFormat) -> ImportReport {
    report.format = Some(format);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_files_are_refused_before_reading() {
        let big = vec![b' '; MAX_IMPORT_BYTES + 1];
        assert!(matches!(
            parse_import(&big, None, None),
            Err(ImportError::TooLarge { .. })
        ));
    }
}
