//! Adding the entries of an import to the token, all in one save.

use super::identities::insert;
use super::{Session, SessionError, TokenData, commit};
use crate::identity::{Identity, IdentitySummary, display_label};
use crate::transfer::{ImportFormat, ImportReport, ImportWarning, ImportedEntry, SkippedEntry};

/// What an import added and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The format the file was read as.
    pub format: Option<ImportFormat>,
    /// The identities added, in file order, with their final names.
    pub added: Vec<IdentitySummary>,
    /// The entries not added: those the file reader skipped, then those already on the token,
    /// repeated in the file or with a name Tessera cannot keep.
    pub skipped: Vec<SkippedEntry>,
    /// The file reader's warnings about the entries it read (a short secret, an issuer that
    /// the link names twice differently...).
    pub warnings: Vec<ImportWarning>,
}

impl Session {
    /// Adds every entry of `report` to the unlocked token in one save, or none when the save
    /// fails. An entry whose secret is already on the token, or repeats an earlier entry of
    /// the same file, is skipped and reported; a name already taken gets " (2)", " (3)"...
    /// When nothing is left to add, nothing is saved.
    pub fn import(&self, report: ImportReport) -> Result<ImportOutcome, SessionError> {
        let now = self.now_unix();
        let mut skipped = report.skipped;
        let mut warnings = report.warnings;
        self.with_open(|open| {
            let mut identities = Vec::with_capacity(report.entries.len());
            for entry in report.entries {
                identities.push(identity(entry, now)?);
            }
            let mut late_skips = Vec::new();
            let added = if identities.is_empty() {
                Vec::new()
            } else {
                let added = commit(open, |data| {
                    let (added, skips) = insert_all(data, identities)?;
                    late_skips = skips;
                    Ok(added)
                })?;
                if !added.is_empty() {
                    self.sync_unlock_slot(open)?;
                }
                added
            };
            skipped.append(&mut late_skips);
            Ok(ImportOutcome {
                format: report.format,
                added,
                skipped: std::mem::take(&mut skipped),
                warnings: std::mem::take(&mut warnings),
            })
        })
    }
}

/// Adds `identities` to `data` in order. An identity already there, repeating an earlier one
/// or with a name Tessera cannot keep is left out and returned as skipped, with the reason.
pub(super) fn insert_all(
    data: &mut TokenData,
    identities: Vec<Identity>,
) -> Result<(Vec<IdentitySummary>, Vec<SkippedEntry>), SessionError> {
    let existing = data.identities.len();
    let mut added = Vec::new();
    let mut skipped = Vec::new();
    for identity in identities {
        let label = label(&identity);
        match insert(data, identity) {
            Ok(summary) => added.push(summary),
            Err(SessionError::Duplicate { existing: name }) => {
                let earlier_in_file = data.identities[existing..].iter().any(|i| i.name == name);
                let reason = if earlier_in_file {
                    format!("it repeats \"{name}\", earlier in this file")
                } else {
                    format!("already on the token as \"{name}\"")
                };
                skipped.push(SkippedEntry {
                    name: label,
                    reason,
                });
            }
            Err(error @ SessionError::BadName { .. }) => {
                skipped.push(SkippedEntry {
                    name: label,
                    reason: error.to_string(),
                });
            }
            Err(other) => return Err(other),
        }
    }
    Ok((added, skipped))
}

pub(super) fn identity(entry: ImportedEntry, now: u64) -> Result<Identity, SessionError> {
    Ok(Identity {
        id: Session::make_identity_id()?,
        name: entry.name,
        issuer: entry.issuer,
        kind: entry.kind,
        added_at: now,
    })
}

/// How a skipped identity is named in the outcome: its label, quoted.
fn label(identity: &Identity) -> String {
    format!(
        "\"{}\"",
        display_label(identity.issuer.as_deref(), &identity.name)
    )
}
