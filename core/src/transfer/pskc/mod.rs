//! PSKC, the Portable Symmetric Key Container of RFC 6030: the XML in which organisations
//! receive token secrets from vendors and move them between servers. [`read_pskc`] gives each
//! `KeyPackage` with who it is for (user, serial), as the server imports them; the token's
//! import takes the same keys as identities.
//!
//! Plain files need nothing. Files encrypted with a pre-shared key (RFC 6030 section 6.1) take
//! the key, as hexadecimal digits, where a password would go; files encrypted with a key derived
//! from a password (section 6.2, PBKDF2) take the password. Files encrypted to a certificate
//! (section 6.3) are refused: opening them needs the private key of whoever they were sent to.
//! Digital signatures (section 7) are not checked; they do not stop the keys importing.
//!
//! [`write_pskc`] writes such files, for the server's export.

mod encryption;
mod key_package;
mod tree;
mod write;

use super::entry::{Collector, ReadEntry, entry_label, text, wrong_shape};
use super::password::Password;
use super::report::{
    ImportError, ImportFormat, ImportReport, ImportWarning, ImportedEntry, SkippedEntry,
};
use crate::identity::IdentityKind;
use encryption::Protection;
pub use write::{EXPORT_PBKDF2_ITERATIONS, PskcProtection, PskcWriteError, write_pskc};

const FORMAT: ImportFormat = ImportFormat::Pskc;

/// The XML namespace of PSKC documents, which is how they are recognised.
pub const PSKC_NAMESPACE: &str = "urn:ietf:params:xml:ns:keyprov:pskc";

/// One key of a PSKC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PskcKey {
    /// The serial number of the token it belongs to (`DeviceInfo/SerialNo`).
    pub serial: Option<String>,
    /// The user it is for (`Key/UserId`, else `DeviceInfo/UserId`).
    pub user: Option<String>,
    /// Who issued it (`Key/Issuer`, else `DeviceInfo/Manufacturer`).
    pub issuer: Option<String>,
    /// The key's `Id` in the file.
    pub id: Option<String>,
    /// How its codes are made: HOTP, TOTP or OCRA, with the secret.
    pub kind: IdentityKind,
}

impl PskcKey {
    /// How a person knows it: the user, else the serial number, else the key's id.
    pub fn name(&self) -> Option<&str> {
        self.user
            .as_deref()
            .or(self.serial.as_deref())
            .or(self.id.as_deref())
    }
}

/// What a PSKC file holds: its keys, the packages that cannot be keys with their reasons, and
/// warnings about keys that import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PskcFile {
    /// The keys, in file order, each with its label ("key package 2 (\"Issuer: 987654321\")").
    pub keys: Vec<(String, PskcKey)>,
    /// Packages that cannot be keys, in file order.
    pub skipped: Vec<SkippedEntry>,
    /// Warnings about keys in [`PskcFile::keys`].
    pub warnings: Vec<ImportWarning>,
}

/// Reads a PSKC file. `secret` is the pre-shared key in hex or the password, for encrypted
/// files; without it an encrypted file is [`ImportError::PasswordNeeded`].
pub fn read_pskc(bytes: &[u8], secret: Option<&Password>) -> Result<PskcFile, ImportError> {
    let root = tree::parse(text(bytes)?)?;
    if root.name() != "KeyContainer" {
        return Err(wrong_shape(
            FORMAT,
            format!("its root element is `{}`, not `KeyContainer`", root.name()),
        ));
    }
    let protection = encryption::protection(&root)?;
    let keys = match protection {
        Protection::Plain => None,
        _ => {
            let secret = secret.ok_or(ImportError::PasswordNeeded {
                format: match protection {
                    Protection::PreShared => "a PSKC file encrypted with a pre-shared key",
                    _ => "a password-protected PSKC file",
                },
            })?;
            Some(encryption::open_keys(&root, &protection, secret)?)
        }
    };
    let mut file = PskcFile::default();
    for (index, package) in root.children("KeyPackage").enumerate() {
        let position = format!("key package {}", index + 1);
        let field = format!("KeyPackage[{}]", index + 1);
        match key_package::read(package, keys.as_ref(), &field)? {
            Ok((key, warnings)) => {
                let label = entry_label(key.issuer.as_deref(), key.name(), &position);
                file.warnings
                    .extend(warnings.into_iter().map(|message| ImportWarning {
                        name: label.clone(),
                        message,
                    }));
                file.keys.push((label, key));
            }
            Err(reason) => {
                let device = package.child("DeviceInfo");
                let key = package.child("Key");
                let issuer = key.and_then(|k| k.text_at(&["Issuer"]));
                let serial = device.and_then(|d| d.text_at(&["SerialNo"]));
                file.skipped.push(SkippedEntry {
                    name: entry_label(issuer, serial, &position),
                    reason,
                });
            }
        }
    }
    if file.keys.is_empty() && file.skipped.is_empty() {
        return Err(wrong_shape(FORMAT, "it has no KeyPackage"));
    }
    Ok(file)
}

/// The file's keys as identities for the token, named by their user, serial or id.
pub(super) fn parse(bytes: &[u8], secret: Option<&Password>) -> Result<ImportReport, ImportError> {
    let file = read_pskc(bytes, secret)?;
    let mut out = Collector::default();
    for (label, key) in file.keys {
        let entry = match key
            .name()
            .map(str::to_string)
            .or_else(|| key.issuer.clone())
        {
            Some(name) => Ok(ReadEntry::from(ImportedEntry {
                name,
                issuer: key.issuer,
                kind: key.kind,
            })),
            None => Err(
                "it has neither a user, a serial number, an id nor an issuer to name it"
                    .to_string(),
            ),
        };
        out.push(|| label, entry);
    }
    out.report.skipped.extend(file.skipped);
    out.report.warnings.extend(file.warnings);
    out.finish()
}

/// Whether trimmed `bytes` look like a PSKC document: XML in the PSKC namespace.
pub(super) fn looks_like_pskc(bytes: &[u8]) -> bool {
    bytes.starts_with(b"<")
        && bytes
            .windows(PSKC_NAMESPACE.len())
            .any(|w| w == PSKC_NAMESPACE.as_bytes())
}
