//! What a backup holds once decrypted, and its encoding: JSON (UTF-8) inside the AEAD.
//!
//! ```text
//! {"created_at": <unix seconds>, "identities": [{"name": ..., "issuer": ... | null, "kind": {...}}, ...]}
//! ```
//!
//! `kind` is the identity's kind exactly as the vault payload stores it (docs/backup-format.md
//! lists every field). Identities are read one by one: one that this version cannot read (a kind
//! added by a newer Tessera, a value out of range, a name that cannot be shown) is reported as
//! skipped with the reason, and the others still restore. Unknown fields are ignored, so later
//! versions can add optional ones without a new format version.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::BackupError;
use crate::codes::TotpParams;
use crate::identity::{IdentityKind, IdentityKindLabel, check_name};
use crate::identityguard::code_params;
use crate::transfer::{ImportFormat, ImportReport, ImportedEntry, SkippedEntry};

/// One identity as a backup carries it: everything needed to restore it, secret included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupIdentity {
    /// What the person calls it.
    pub name: String,
    /// Who issued it, when known.
    pub issuer: Option<String>,
    /// How its codes are made, with its secret, counters, serial and registration data.
    pub kind: IdentityKind,
}

/// The decrypted content of a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupContents {
    /// When the backup was made (Unix time, the device clock).
    pub created_at: u64,
    /// The identities, in the token's order.
    pub identities: Vec<BackupIdentity>,
    /// Identities of the file this version cannot restore, each with the reason (empty for a
    /// backup made by this version).
    pub skipped: Vec<SkippedEntry>,
}

/// What `tessera backup verify` shows of one identity: no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupItem {
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKindLabel,
}

#[derive(Serialize)]
struct PayloadOut<'a> {
    created_at: u64,
    identities: &'a [BackupIdentity],
}

/// Identities are kept as slices of the decrypted buffer until each is read, so a secret's hex
/// is never copied into a buffer that is not wiped.
#[derive(Deserialize)]
struct PayloadIn<'a> {
    created_at: u64,
    #[serde(borrow)]
    identities: Vec<&'a RawValue>,
}

/// What can be read of an identity that could not be read whole, to name it when skipping it.
#[derive(Deserialize)]
struct Label<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    issuer: Option<Cow<'a, str>>,
    kind: Option<KindTag<'a>>,
}

#[derive(Deserialize)]
struct KindTag<'a> {
    #[serde(rename = "type", borrow)]
    tag: Option<Cow<'a, str>>,
}

/// The kinds this version reads, as `kind.type` names them.
const KNOWN_KINDS: [&str; 5] = ["totp", "hotp", "steam", "ocra", "identity_guard"];

impl BackupContents {
    /// Serialized for sealing; the buffer is wiped when dropped.
    pub(super) fn encode(&self) -> Result<Zeroizing<Vec<u8>>, BackupError> {
        // Sized up front so the serializer does not leave reallocated, unwiped copies behind.
        let mut buffer = Zeroizing::new(Vec::with_capacity(256 + self.identities.len() * 768));
        serde_json::to_writer(
            &mut *buffer,
            &PayloadOut {
                created_at: self.created_at,
                identities: &self.identities,
            },
        )
        .map_err(|_| BackupError::Internal {
            reason: "an identity could not be serialized",
        })?;
        Ok(buffer)
    }

    /// Reads a decrypted payload. The payload as a whole must be a backup payload; a single
    /// identity that cannot be restored is skipped with its reason.
    pub fn from_payload(bytes: &[u8]) -> Result<Self, BackupError> {
        let payload: PayloadIn<'_> =
            serde_json::from_slice(bytes).map_err(|e| BackupError::BadPayload {
                // Position only: serde_json's own words can quote the content.
                problem: format!(
                    "it is not a backup payload (JSON error at line {}, column {})",
                    e.line(),
                    e.column()
                ),
            })?;
        let mut identities = Vec::with_capacity(payload.identities.len());
        let mut skipped = Vec::new();
        for (index, raw) in payload.identities.iter().enumerate() {
            match read_identity(raw.get()) {
                Ok(identity) => identities.push(identity),
                Err(reason) => skipped.push(SkippedEntry {
                    name: skip_label(raw.get(), index + 1),
                    reason,
                }),
            }
        }
        Ok(Self {
            created_at: payload.created_at,
            identities,
            skipped,
        })
    }

    /// What the backup holds, without secrets.
    pub fn items(&self) -> Vec<BackupItem> {
        self.identities
            .iter()
            .map(|identity| BackupItem {
                name: identity.name.clone(),
                issuer: identity.issuer.clone(),
                kind: identity.kind.label(),
            })
            .collect()
    }

    /// The identities as import entries, for [`crate::session::Session::import`].
    pub fn into_import_report(self) -> ImportReport {
        ImportReport {
            format: Some(ImportFormat::TesseraBackup),
            entries: self
                .identities
                .into_iter()
                .map(|identity| ImportedEntry {
                    name: identity.name,
                    issuer: identity.issuer,
                    kind: identity.kind,
                })
                .collect(),
            skipped: self.skipped,
            warnings: Vec::new(),
        }
    }
}

fn read_identity(text: &str) -> Result<BackupIdentity, String> {
    let identity: BackupIdentity = serde_json::from_str(text).map_err(|_| {
        let label: Option<Label<'_>> = serde_json::from_str(text).ok();
        match label.and_then(|l| l.kind).and_then(|k| k.tag) {
            Some(tag) if !KNOWN_KINDS.contains(&tag.as_ref()) => format!(
                "its kind \"{}\" is not one this version of Tessera knows: update Tessera to restore it",
                shorten(&tag)
            ),
            Some(tag) => format!("its {tag} data is not valid"),
            None => "it is not an identity (it has no name or no kind)".to_string(),
        }
    })?;
    check_name(&identity.name).map_err(|problem| format!("the name {}", problem.describe()))?;
    if let Some(issuer) = &identity.issuer {
        check_name(issuer).map_err(|problem| format!("the issuer {}", problem.describe()))?;
    }
    check_kind(&identity.kind)?;
    Ok(identity)
}

/// What serde does not check already (TOTP parameters, OCRA suites, serials, registration codes
/// and secrets are checked as they are read).
fn check_kind(kind: &IdentityKind) -> Result<(), String> {
    match kind {
        IdentityKind::Hotp {
            algorithm, digits, ..
        } => TotpParams::new(*algorithm, *digits, 30)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        IdentityKind::IdentityGuard(ig) => code_params(ig.digits)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        IdentityKind::Totp { .. } | IdentityKind::Steam { .. } | IdentityKind::Ocra { .. } => {
            Ok(())
        }
    }
}

/// "identity 3 (\"Issuer: name\")", or its position alone when even its name is unreadable.
fn skip_label(text: &str, position: usize) -> String {
    let label: Option<Label<'_>> = serde_json::from_str(text).ok();
    let name = label.as_ref().and_then(|l| l.name.as_deref());
    let issuer = label.as_ref().and_then(|l| l.issuer.as_deref());
    let printable = |s: &str| !s.trim().is_empty() && !s.chars().any(char::is_control);
    match (
        issuer.filter(|s| printable(s)),
        name.filter(|s| printable(s)),
    ) {
        (Some(i), Some(n)) => format!("identity {position} (\"{}: {}\")", shorten(i), shorten(n)),
        (None, Some(one)) | (Some(one), None) => {
            format!("identity {position} (\"{}\")", shorten(one))
        }
        (None, None) => format!("identity {position}"),
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}
