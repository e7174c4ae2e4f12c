//! `tessera import FILE [--format F] [--password -]`: identities from another authenticator's
//! export, plain or encrypted, or from a Tessera backup (recognised by its content). An
//! encrypted file's password is read through [`crate::secret`]: `--password -` from standard
//! input, else `TESSERA_IMPORT_PASSWORD`, else asked without echo. Into a folder with no token,
//! the import creates the token with a new PIN and shows its recovery key once.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tessera_core::session::{SessionError, TokenStatus};
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportReport, MAX_IMPORT_BYTES, Password, parse_import,
};
use zeroize::Zeroizing;

use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file.
    file: PathBuf,
    /// The file's format, when it cannot be recognised by its content.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// The password of an encrypted file (a Tessera backup; an Aegis, 2FAS, andOTP, Stratum,
    /// Bitwarden, Steam Desktop Authenticator, TOTP Authenticator or Authenticator Plus export;
    /// Authy's backup password for its tokens; a PSKC file's password, or for a PSKC file
    /// encrypted with a pre-shared key, the key in hex): `-` reads it from standard input. Left
    /// out, it is asked when the file needs it (TESSERA_IMPORT_PASSWORD without a terminal).
    /// Never the password itself: the process list and the shell history would keep it.
    #[arg(long)]
    password: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Aegis,
    #[value(name = "2fas")]
    TwoFas,
    #[value(name = "2fas-legacy")]
    TwoFasLegacy,
    Andotp,
    FreeotpPlus,
    BitwardenJson,
    BitwardenCsv,
    Ente,
    Proton,
    Stratum,
    Otpauth,
    Authy,
    Pskc,
    Google,
    AndotpEncrypted,
    AuthyEncrypted,
    Steam,
    Freeotp,
    FreeotpBackup,
    SteamFolder,
    BattleNet,
    Duo,
    TotpAuthenticator,
    TotpAuthenticatorXml,
    AuthenticatorPlus,
    GoogleDb,
    MicrosoftDb,
}

impl From<FormatArg> for ImportFormat {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Aegis => ImportFormat::AegisPlain,
            FormatArg::TwoFas => ImportFormat::TwoFasPlain,
            FormatArg::TwoFasLegacy => ImportFormat::TwoFasLegacyJson,
            FormatArg::Andotp => ImportFormat::AndOtp,
            FormatArg::FreeotpPlus => ImportFormat::FreeOtpPlus,
            FormatArg::BitwardenJson => ImportFormat::BitwardenJson,
            FormatArg::BitwardenCsv => ImportFormat::BitwardenCsv,
            FormatArg::Ente => ImportFormat::EnteText,
            FormatArg::Proton => ImportFormat::ProtonJson,
            FormatArg::Stratum => ImportFormat::StratumJson,
            FormatArg::Otpauth => ImportFormat::OtpauthList,
            FormatArg::Authy => ImportFormat::AuthyXml,
            FormatArg::Pskc => ImportFormat::Pskc,
            FormatArg::Google => ImportFormat::GoogleMigration,
            FormatArg::AndotpEncrypted => ImportFormat::AndOtpEncrypted,
            FormatArg::AuthyEncrypted => ImportFormat::AuthyEncrypted,
            FormatArg::Steam => ImportFormat::SteamMaFile,
            FormatArg::Freeotp => ImportFormat::FreeOtpXml,
            FormatArg::FreeotpBackup => ImportFormat::FreeOtpBackup,
            FormatArg::SteamFolder => ImportFormat::SteamMaFolder,
            FormatArg::BattleNet => ImportFormat::BattleNetXml,
            FormatArg::Duo => ImportFormat::DuoJson,
            FormatArg::TotpAuthenticator => ImportFormat::TotpAuthenticatorEncrypted,
            FormatArg::TotpAuthenticatorXml => ImportFormat::TotpAuthenticatorXml,
            FormatArg::AuthenticatorPlus => ImportFormat::AuthenticatorPlusDb,
            FormatArg::GoogleDb => ImportFormat::GoogleAuthenticatorDb,
            FormatArg::MicrosoftDb => ImportFormat::MicrosoftAuthenticatorDb,
        }
    }
}

/// `add` and `decode` take one link for one identity; an export link can hold many, so they
/// point here instead (in the CLI's own words: the core's message cannot name a command).
pub fn refuse_export_link(uri: &str) -> Result<(), Refusal> {
    let scheme = uri.trim().split_once("://").map(|(scheme, _)| scheme);
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("otpauth-migration")) {
        return Err(Refusal::new(
            "this is a Google Authenticator export link (otpauth-migration://), which can hold many accounts: save it in a file (one link per line, with the export's other links) and run `tessera import FILE`",
        ));
    }
    Ok(())
}

pub fn run(home: PathBuf, args: ImportArgs) -> Result<Zeroizing<String>, Refusal> {
    let bytes = crate::bounded_read::read_limited(&args.file, MAX_IMPORT_BYTES)
        .map_err(|e| e.refusal(&args.file, "an export"))?;
    let report = read(
        &bytes,
        args.format.map(Into::into),
        args.password
            .as_deref()
            .map(|given| crate::pin::import_password(Some(given), "Password: "))
            .transpose()?
            .map(Password::from),
    )?;
    let session = super::session(home);
    // Into an empty folder the import creates the token, with a new PIN as `add` asks it: a
    // backup restored onto a new computer, or another app's accounts moved over.
    let (outcome, recovery_key) =
        if session.status().map_err(super::explain)? == TokenStatus::NoToken {
            // Nothing to create a token with: say which entries were skipped and why before
            // asking for a new PIN that would not be used.
            if report.entries.is_empty() {
                return Err(super::explain(SessionError::NothingToRestore {
                    skipped: report.skipped,
                }));
            }
            let pin = crate::pin::new_once()?;
            let confirmation = crate::pin::confirm_new()?;
            let (outcome, key) = session.create_from_import(&pin, &confirmation, report)?;
            super::warn_after_new_pin(&session, &pin);
            (outcome, Some(key))
        } else {
            super::unlock(&session)?;
            (session.import(report)?, None)
        };
    let mut text = Zeroizing::new(String::new());
    for identity in &outcome.added {
        text.push_str(&format!("added: {}\n", identity.name));
    }
    for skipped in &outcome.skipped {
        text.push_str(&format!("skipped: {skipped}\n"));
    }
    for warning in &outcome.warnings {
        text.push_str(&format!("warning: {warning}\n"));
    }
    text.push_str(&format!(
        "{} added, {} skipped\n",
        outcome.added.len(),
        outcome.skipped.len()
    ));
    if let Some(key) = recovery_key {
        text.push_str(&super::recovery_key_line(key.as_str()));
    }
    Ok(text)
}

/// The file read with `password`, or, when it turns out encrypted and none was given, with
/// the password asked for then.
fn read(
    bytes: &[u8],
    format: Option<ImportFormat>,
    password: Option<Password>,
) -> Result<ImportReport, Refusal> {
    match (parse_import(bytes, format, password.as_ref()), password) {
        (Err(ImportError::PasswordNeeded { format: what }), None) => {
            let typed = crate::pin::import_password(None, &format!("Password of {what}: "))?;
            Ok(parse_import(bytes, format, Some(&Password::from(typed)))?)
        }
        (result, _) => Ok(result?),
    }
}
