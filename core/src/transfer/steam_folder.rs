//! A zip of Steam Desktop Authenticator's `maFiles` folder: `manifest.json` and one
//! `<steamid>.maFile` per account, plain or encrypted with SDA's encryption key, as SDA's
//! `Manifest.cs` and `FileEncryptor.cs` write them.
//!
//! `manifest.json` has `encrypted` and `entries[]` with `filename`, `encryption_salt` and
//! `encryption_iv` (base64). An encrypted maFile is base64 text of AES-256-CBC with PKCS#7
//! padding under PBKDF2-HMAC-SHA1 of the password and the entry's salt, 50,000 iterations, 256
//! bits, with the entry's IV; the plaintext is the maFile's JSON. Nothing authenticates it: an
//! entry that does not open is skipped, and when none opens the password is wrong. Without a
//! manifest, every `.maFile` in the zip is read as plain.
//!
//! The zip is read in memory; each member is read up to [`super::MAX_IMPORT_BYTES`], so a
//! member that inflates beyond it is refused instead of filling memory.

use std::io::{Cursor, Read};

use serde_json::Value;
use zeroize::Zeroizing;

use super::cbc::{IV_LEN, open_cbc};
use super::crypto::{WipedJson, base64, damaged, exact};
use super::entry::{Collector, string, wrong_shape};
use super::kdfs::pbkdf2_sha1;
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use super::steam;

const FORMAT: ImportFormat = ImportFormat::SteamMaFolder;
const ITERATIONS: u64 = 50_000;
const MANIFEST: &str = "manifest.json";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether `bytes` are a zip that names a maFile.
pub(super) fn is_mafile_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) && bytes.windows(7).any(|w| w == b".maFile")
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

pub(super) fn parse(
    bytes: &[u8],
    password: Option<&Password>,
) -> Result<ImportReport, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| wrong_shape(FORMAT, "it is not a readable zip archive (was it cut?)"))?;
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|_| wrong_shape(FORMAT, "a file name in the zip is not readable"))?;
    let manifest_name = names.iter().find(|n| base_name(n) == MANIFEST).cloned();
    let Some(manifest_name) = manifest_name else {
        let plain: Vec<&String> = names.iter().filter(|n| n.ends_with(".maFile")).collect();
        let mut out = Collector::default();
        for (index, name) in plain.iter().enumerate() {
            let result = member(&mut archive, name).and_then(|text| plain_entry(&text));
            push(&mut out, index, name, result);
        }
        return out.finish();
    };
    let manifest =
        member(&mut archive, &manifest_name).map_err(|problem| damaged(MANIFEST, problem))?;
    let manifest: Value =
        serde_json::from_slice(&manifest).map_err(|_| damaged(MANIFEST, "is not JSON"))?;
    let encrypted = manifest.get("encrypted").and_then(Value::as_bool) == Some(true);
    let entries = match manifest.get("entries") {
        Some(Value::Array(entries)) => entries,
        _ => return Err(damaged(MANIFEST, "has no `entries` list")),
    };
    let password = if encrypted {
        Some(password.ok_or(ImportError::PasswordNeeded {
            format: FORMAT.display_name(),
        })?)
    } else {
        None
    };
    let folder = manifest_name.strip_suffix(MANIFEST).unwrap_or("");
    let mut out = Collector::default();
    let (mut opened, mut closed) = (0usize, 0usize);
    for (index, entry) in entries.iter().enumerate() {
        let name = string(entry, "filename").unwrap_or("");
        let result = member(&mut archive, &format!("{folder}{name}")).and_then(|text| {
            match password {
                None => plain_entry(&text),
                Some(password) => match open_entry(&text, entry, password, index) {
                    Ok(Some(json)) => {
                        opened += 1;
                        read_json(&json)
                    }
                    Ok(None) => {
                        closed += 1;
                        Err("it does not open with this password (a wrong encryption key, or a changed file)".to_string())
                    }
                    Err(problem) => Err(problem),
                },
            }
        });
        push(&mut out, index, name, result);
    }
    if opened == 0 && closed > 0 {
        return Err(ImportError::WrongPassword {
            field: "the maFiles folder",
        });
    }
    out.finish()
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Keeps or skips the account read from `file`, named by its place and file name.
fn push(out: &mut Collector, index: usize, file: &str, result: Result<ImportedEntry, String>) {
    out.push(
        || format!("account {} ({})", index + 1, base_name(file)),
        result,
    );
}

/// The bytes of the member `name`, at most [`super::MAX_IMPORT_BYTES`].
fn member(archive: &mut Archive<'_>, name: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let file = archive
        .by_name(name)
        .map_err(|_| format!("{} is not in the zip", base_name(name)))?;
    let mut out = Zeroizing::new(Vec::new());
    file.take(super::MAX_IMPORT_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| format!("{} does not unpack (the zip is damaged)", base_name(name)))?;
    if out.len() > super::MAX_IMPORT_BYTES {
        return Err(format!(
            "{} unpacks to more than {} bytes",
            base_name(name),
            super::MAX_IMPORT_BYTES
        ));
    }
    Ok(out)
}

fn plain_entry(text: &[u8]) -> Result<ImportedEntry, String> {
    let json = serde_json::from_slice::<Value>(text)
        .map(WipedJson)
        .map_err(|_| {
            "it is not a maFile's JSON (is the folder encrypted without a manifest?)".to_string()
        })?;
    read_json(&json)
}

fn read_json(json: &Value) -> Result<ImportedEntry, String> {
    steam::read(json, string(json, "account_name"))
}

/// The maFile's JSON, `None` when it does not open with `password`.
fn open_entry(
    text: &[u8],
    entry: &Value,
    password: &Password,
    index: usize,
) -> Result<Option<WipedJson>, String> {
    let field = |name: &str| format!("{MANIFEST} entries[{index}].{name}");
    let as_words = |e: ImportError| e.to_string();
    let salt =
        base64(string(entry, "encryption_salt"), &field("encryption_salt")).map_err(as_words)?;
    let iv: [u8; IV_LEN] = exact(
        base64(string(entry, "encryption_iv"), &field("encryption_iv")).map_err(as_words)?,
        &field("encryption_iv"),
    )
    .map_err(as_words)?;
    let text = std::str::from_utf8(text).map_err(|_| "it is not base64 text".to_string())?;
    let sealed =
        base64(Some(text), "the maFile").map_err(|_| "it is not base64 text".to_string())?;
    let key =
        pbkdf2_sha1(password.as_bytes(), &salt, ITERATIONS, "iterations").map_err(as_words)?;
    let Ok(plaintext) = open_cbc(&key, &iv, &sealed) else {
        return Ok(None);
    };
    Ok(serde_json::from_slice::<Value>(&plaintext)
        .ok()
        .map(WipedJson))
}
