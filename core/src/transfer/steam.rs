//! Steam Desktop Authenticator's account files (`<steamid>.maFile`): the JSON Steam's mobile
//! authenticator API returns, with `shared_secret` (base64, the key Steam Guard codes are made
//! from) and `account_name`. The other secrets (`identity_secret` for trade confirmations,
//! `revocation_code`) are not codes and are not kept. Encrypted maFiles need the
//! `manifest.json` beside them: `steam_folder` reads them from a zip of the folder.

use serde_json::Value;

use super::entry::{Collector, Kind, build_entry, entry_label, string, wrong_shape};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::SteamMaFile;

/// Whether a JSON object is a maFile.
pub(super) fn is_mafile(value: &Value) -> bool {
    value.get("shared_secret").is_some()
        && (value.get("account_name").is_some() || value.get("identity_secret").is_some())
}

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    if !file.is_object() {
        return Err(wrong_shape(FORMAT, "it is not a JSON object"));
    }
    let account = string(file, "account_name");
    let mut out = Collector::default();
    out.push(
        || entry_label(Some("Steam"), account, "the account"),
        read(file, account),
    );
    out.finish()
}

pub(super) fn read(file: &Value, account: Option<&str>) -> Result<ImportedEntry, String> {
    let secret = string(file, "shared_secret").ok_or("it has no shared_secret")?;
    let secret = super::crypto::base64(Some(secret), "shared_secret")
        .map_err(|_| "its shared_secret is not base64".to_string())?;
    build_entry(
        account,
        Some("Steam"),
        SecretBytes::new(secret),
        Kind::Steam,
        Algorithm::Sha1,
        5,
    )
}
