//! Restoring onto a new token: a backup or another app's export becomes the token's first
//! identities, so a person who lost a device keeps their identities.

use super::import::{identity, insert_all};
use super::{ImportOutcome, Session, SessionError, TokenData};
use crate::transfer::ImportReport;
use crate::vault::{RecoveryKey, VaultError, check_pin_rules, pins_match};

impl Session {
    /// Creates the token in this empty folder with every entry of `report` that can be kept
    /// and `pin` (which `confirmation` must repeat), binds the unlock slot, adds a recovery key
    /// and leaves the token unlocked. Entries repeating an earlier one, or with a name Tessera
    /// cannot keep, are skipped and reported as [`Session::import`] does. Refused, with nothing
    /// written, when a token is already here, when the PIN breaks a rule or the confirmation
    /// differs, or when no entry can be kept. The recovery key is shown once, like the Add
    /// Identity flow's.
    pub fn create_from_import(
        &self,
        pin: &str,
        confirmation: &str,
        report: ImportReport,
    ) -> Result<(ImportOutcome, RecoveryKey), SessionError> {
        if self.has_token()? {
            return Err(SessionError::TokenExists);
        }
        check_pin_rules(pin).map_err(VaultError::from)?;
        if !pins_match(pin, confirmation) {
            return Err(SessionError::PinMismatch);
        }
        let now = self.now_unix();
        let mut identities = Vec::with_capacity(report.entries.len());
        for entry in report.entries {
            identities.push(identity(entry, now)?);
        }
        // Sorted out on a scratch payload first: the token is only created with entries it
        // keeps, under the names they get.
        let mut scratch = TokenData::new();
        let (_, mut late_skips) = insert_all(&mut scratch, identities)?;
        let mut skipped = report.skipped;
        skipped.append(&mut late_skips);
        if scratch.identities.is_empty() {
            return Err(SessionError::NothingToRestore { skipped });
        }
        let (added, recovery_key) = self.create_token(pin, scratch.identities)?;
        Ok((
            ImportOutcome {
                format: report.format,
                added,
                skipped,
                warnings: report.warnings,
            },
            recovery_key,
        ))
    }
}
