//! Telling formats apart by their content: JSON keys, the CSV header, the text's lines.
//!
//! Encrypted exports are recognised as such (their import asks for a password); exports not
//! supported yet (Bitwarden's encrypted with the account key) are recognised too, so the error
//! can say what the file is instead of "unknown format". Old andOTP encrypted backups have
//! nothing to recognise them by and must be named.

use serde_json::Value;

use super::entry::json;
use super::report::{ImportError, ImportFormat};

/// The format of `bytes`, when it is one [`super::parse_import`] reads. `None` for anything
/// else, including formats recognised but not supported yet (the import error names those).
pub fn detect_format(bytes: &[u8]) -> Option<ImportFormat> {
    sniff_file(bytes).ok()
}

/// The format of the whole file `bytes`: as [`sniff`] finds it, else an Authenticator Plus
/// backup when it can be one (SQLCipher files have no mark of their own: random salt, then
/// ciphertext, in whole pages).
pub(super) fn sniff_file(bytes: &[u8]) -> Result<ImportFormat, ImportError> {
    match sniff(trim_start(bytes)) {
        // Its random salt can begin like JSON or with whitespace (trimmed away above).
        Err(ImportError::Unrecognised { .. } | ImportError::BadJson { .. })
            if super::sqlcipher::could_be(bytes) && std::str::from_utf8(bytes).is_err() =>
        {
            Ok(ImportFormat::AuthenticatorPlusDb)
        }
        other => other,
    }
}

/// `bytes` without a UTF-8 byte-order mark and leading whitespace.
pub(super) fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// The format of trimmed `bytes`, or why it cannot be imported.
pub(super) fn sniff(bytes: &[u8]) -> Result<ImportFormat, ImportError> {
    if crate::backup::looks_like_backup(bytes) {
        return Ok(ImportFormat::TesseraBackup);
    }
    if bytes.starts_with(super::sqlite::MAGIC) {
        return sniff_sqlite(bytes);
    }
    match bytes.first() {
        Some(b'{') | Some(b'[') => sniff_json(&json(bytes)?),
        Some(b'<') => {
            let holds = |name: &str| super::android_prefs::holds(bytes, name);
            if contains(bytes, b"com.authy") {
                Ok(ImportFormat::AuthyXml)
            } else if super::pskc::looks_like_pskc(bytes) {
                Ok(ImportFormat::Pskc)
            } else if contains(bytes, b"name=\"tokenOrder\"") {
                Ok(ImportFormat::FreeOtpXml)
            } else if holds(super::battle_net::SECRET_KEY) || holds(super::battle_net::OLD_KEY) {
                Ok(ImportFormat::BattleNetXml)
            } else if holds(super::totp_authenticator::PREF_KEY) {
                Ok(ImportFormat::TotpAuthenticatorXml)
            } else {
                Err(unrecognised(
                    "an XML file that is not an export Tessera knows",
                ))
            }
        }
        _ => sniff_text(bytes),
    }
}

fn sniff_json(value: &Value) -> Result<ImportFormat, ImportError> {
    match value {
        Value::Array(_) if super::authy_encrypted::is_authy_tokens(value) => {
            Ok(ImportFormat::AuthyEncrypted)
        }
        Value::Array(items) if super::duo::is_duo(items) => Ok(ImportFormat::DuoJson),
        Value::Array(items) => {
            let looks_andotp = items.iter().all(|item| {
                item.get("secret").is_some()
                    && (item.get("type").is_some() || item.get("label").is_some())
            });
            if looks_andotp {
                Ok(ImportFormat::AndOtp)
            } else {
                Err(unrecognised(
                    "a JSON list whose items are not andOTP entries",
                ))
            }
        }
        Value::Object(map) => {
            if map.contains_key("db") && map.contains_key("header") {
                if map.get("db").is_some_and(Value::is_string) {
                    return Ok(ImportFormat::AegisEncrypted);
                }
                return Ok(ImportFormat::AegisPlain);
            }
            if map.contains_key("services") || map.contains_key("schemaVersion") {
                if super::twofas_encrypted::is_encrypted(value) {
                    return Ok(ImportFormat::TwoFasEncrypted);
                }
                let schema = map
                    .get("schemaVersion")
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                return Ok(if schema >= 2 {
                    ImportFormat::TwoFasPlain
                } else {
                    ImportFormat::TwoFasLegacyJson
                });
            }
            if map.contains_key("tokens") && map.contains_key("tokenOrder") {
                return Ok(ImportFormat::FreeOtpPlus);
            }
            if super::bitwarden_encrypted::is_password_protected(value) {
                return Ok(ImportFormat::BitwardenEncrypted);
            }
            if map.contains_key("items") && map.contains_key("encrypted") {
                if map.get("encrypted").and_then(Value::as_bool) == Some(true) {
                    return Err(super::bitwarden::account_key_encrypted());
                }
                return Ok(ImportFormat::BitwardenJson);
            }
            if super::authy_encrypted::is_authy_tokens(value) {
                return Ok(ImportFormat::AuthyEncrypted);
            }
            if super::steam::is_mafile(value) {
                return Ok(ImportFormat::SteamMaFile);
            }
            if map.contains_key("Authenticators") {
                return Ok(ImportFormat::StratumJson);
            }
            if map.contains_key("entries") && map.contains_key("version") {
                return Ok(ImportFormat::ProtonJson);
            }
            Err(unrecognised(
                "a JSON file without the keys of Aegis, 2FAS, FreeOTP+, Bitwarden, Proton, Stratum, Authy or Steam exports",
            ))
        }
        _ => Err(unrecognised("JSON that is neither an object nor a list")),
    }
}

/// Whether `bytes` start with the header of a password-protected Stratum backup.
pub(super) fn is_encrypted_stratum(bytes: &[u8]) -> bool {
    bytes.starts_with(super::stratum_encrypted::MAGIC)
        || bytes.starts_with(super::stratum_encrypted::LEGACY_MAGIC)
}

fn sniff_text(bytes: &[u8]) -> Result<ImportFormat, ImportError> {
    if is_encrypted_stratum(bytes) {
        return Ok(ImportFormat::StratumEncrypted);
    }
    if super::steam_folder::is_mafile_zip(bytes) {
        return Ok(ImportFormat::SteamMaFolder);
    }
    if super::java_serial::is_java_serialized(bytes) {
        return Ok(ImportFormat::FreeOtpBackup);
    }
    if super::andotp_encrypted::looks_new_generation(bytes) {
        return Ok(ImportFormat::AndOtpEncrypted);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        unrecognised(
            "a binary file, perhaps an encrypted backup, that is not JSON or text; an old \
             encrypted andOTP backup must be named as one, since nothing in it says what it is",
        )
    })?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    if first.starts_with("folder,") && first.contains("login_totp") {
        return Ok(ImportFormat::BitwardenCsv);
    }
    let all: Vec<&str> = std::iter::once(first).chain(lines).collect();
    let lower = |l: &str| l.get(..20).unwrap_or(l).to_ascii_lowercase();
    if all
        .iter()
        .any(|l| lower(l).starts_with("otpauth-migration:"))
    {
        return Ok(ImportFormat::GoogleMigration);
    }
    if all.iter().any(|l| lower(l).starts_with("otpauth://")) {
        if all.iter().any(|l| l.contains("codeDisplay=")) {
            return Ok(ImportFormat::EnteText);
        }
        return Ok(ImportFormat::OtpauthList);
    }
    if super::totp_authenticator::looks_encrypted(text) {
        return Ok(ImportFormat::TotpAuthenticatorEncrypted);
    }
    Err(unrecognised(
        "text with no otpauth:// links and no Bitwarden CSV header",
    ))
}

/// A SQLite database is Google's or Microsoft's by its `accounts` table.
fn sniff_sqlite(bytes: &[u8]) -> Result<ImportFormat, ImportError> {
    let table = super::sqlite::Database::open(bytes)?.table("accounts")?;
    match table {
        Some(table) if super::microsoft_db::is_microsoft(&table) => {
            Ok(ImportFormat::MicrosoftAuthenticatorDb)
        }
        Some(table) if super::google_db::is_google(&table) => {
            Ok(ImportFormat::GoogleAuthenticatorDb)
        }
        _ => Err(unrecognised(
            "a SQLite database without the `accounts` table of Google or Microsoft Authenticator",
        )),
    }
}

fn unrecognised(reason: &str) -> ImportError {
    ImportError::Unrecognised {
        reason: format!("it is {reason}"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_name_the_format() {
        for (text, format) in [
            (
                r#"{"header":{},"db":{"entries":[]}}"#,
                ImportFormat::AegisPlain,
            ),
            (
                r#"{"schemaVersion":4,"services":[]}"#,
                ImportFormat::TwoFasPlain,
            ),
            (r#"{"services":[]}"#, ImportFormat::TwoFasLegacyJson),
            (
                r#"{"schemaVersion":4,"services":[],"servicesEncrypted":""}"#,
                ImportFormat::TwoFasPlain,
            ),
            (r#"[{"secret":"A","type":"TOTP"}]"#, ImportFormat::AndOtp),
            (
                r#"{"tokenOrder":[],"tokens":[]}"#,
                ImportFormat::FreeOtpPlus,
            ),
            (
                r#"{"encrypted":false,"items":[]}"#,
                ImportFormat::BitwardenJson,
            ),
            (r#"{"Authenticators":[]}"#, ImportFormat::StratumJson),
            (r#"{"version":1,"entries":[]}"#, ImportFormat::ProtonJson),
        ] {
            assert_eq!(detect_format(text.as_bytes()), Some(format), "{text}");
        }
    }

    #[test]
    fn a_tessera_backup_is_named_by_its_magic() {
        assert_eq!(
            detect_format(b"TSRBACKP\x01\x00\x01rest of the header"),
            Some(ImportFormat::TesseraBackup)
        );
        // Only the whole magic: a text file starting with part of it is not a backup.
        assert_eq!(detect_format(b"TSRBACK"), None);
    }

    #[test]
    fn text_lines_name_the_format() {
        let bom_list = "\u{feff}\n  OTPAUTH://totp/a?secret=AAAA\n";
        assert_eq!(
            detect_format(bom_list.as_bytes()),
            Some(ImportFormat::OtpauthList)
        );
        let ente = "otpauth://totp/a?secret=AAAA&codeDisplay=%7B%7D";
        assert_eq!(detect_format(ente.as_bytes()), Some(ImportFormat::EnteText));
        let csv = "folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\r\n";
        assert_eq!(
            detect_format(csv.as_bytes()),
            Some(ImportFormat::BitwardenCsv)
        );
        assert_eq!(detect_format(b"name,secret\nx,y"), None);
    }

    #[test]
    fn encrypted_files_and_authy_are_recognised() {
        for (text, format) in [
            (
                r#"{"header":{"slots":[]},"db":"AAAA"}"#,
                ImportFormat::AegisEncrypted,
            ),
            (
                r#"{"schemaVersion":4,"services":[],"servicesEncrypted":"a:b:c"}"#,
                ImportFormat::TwoFasEncrypted,
            ),
            (
                "<?xml version='1.0'?><map><string name=\"com.authy.storage.tokens.authenticator.key\">[]</string></map>",
                ImportFormat::AuthyXml,
            ),
        ] {
            assert_eq!(detect_format(text.as_bytes()), Some(format), "{text}");
        }
    }

    #[test]
    fn account_key_bitwarden_exports_are_recognised_as_not_supported_yet() {
        let text = r#"{"encrypted":true,"items":[]}"#;
        match sniff(trim_start(text.as_bytes())) {
            Err(ImportError::NotSupportedYet { what, .. }) => assert_eq!(
                what,
                "this Bitwarden export is encrypted with the Bitwarden account's key"
            ),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn the_formats_of_issue_19_part_a_are_recognised() {
        let mut andotp = 150_000u32.to_be_bytes().to_vec();
        andotp.extend([0xA5; 12 + 12 + 16 + 1]);
        let mut andotp_costly = 3_000_000u32.to_be_bytes().to_vec();
        andotp_costly.extend([0xA5; 12 + 12 + 16 + 1]);
        for (bytes, format) in [
            (
                &b"AUTHENTICATORPRO\x00\x01"[..],
                Some(ImportFormat::StratumEncrypted),
            ),
            (
                b"AuthenticatorPro\xff\x01",
                Some(ImportFormat::StratumEncrypted),
            ),
            (&andotp, Some(ImportFormat::AndOtpEncrypted)),
            (&andotp_costly, None),
            (b"\xac\xed\x00\x05\x73", Some(ImportFormat::FreeOtpBackup)),
            (
                br#"{"encrypted":true,"passwordProtected":true,"salt":"s"}"#,
                Some(ImportFormat::BitwardenEncrypted),
            ),
            (
                br#"{"authenticator_tokens":[]}"#,
                Some(ImportFormat::AuthyEncrypted),
            ),
            (
                br#"[{"encrypted_seed":"AA==","salt":"s"}]"#,
                Some(ImportFormat::AuthyEncrypted),
            ),
            (
                br#"{"shared_secret":"AA==","account_name":"a"}"#,
                Some(ImportFormat::SteamMaFile),
            ),
            (
                br#"<?xml version='1.0'?><map><string name="tokenOrder">[]</string></map>"#,
                Some(ImportFormat::FreeOtpXml),
            ),
        ] {
            assert_eq!(
                detect_format(bytes),
                format,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
