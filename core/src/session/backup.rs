//! The token's identities as a backup carries them: an explicit export of secrets.

use super::{Session, SessionError};
use crate::backup::{BackupContents, BackupIdentity, BackupItem, BackupKey, check_backup_password};
use crate::crypto::KdfParams;

/// A backup made by [`Session::export_backup`]: the sealed file to write, and what it holds
/// (names and kinds, never a secret) to tell the person.
#[derive(Debug)]
pub struct BackupExport {
    /// The sealed file (docs/backup-format.md).
    pub file: Vec<u8>,
    /// The identities in it, in the token's order.
    pub items: Vec<BackupItem>,
}

impl Session {
    /// Every identity of the unlocked token in Tessera's encrypted backup, sealed under
    /// `password` (which `confirmation` must repeat) with `kdf`. The one sequence every shell
    /// uses: the password's rules and confirmation first (a refused password costs no PIN try),
    /// then the PIN checked again as for any export of secrets, then the key derivation (a
    /// wrong PIN costs none).
    pub fn export_backup(
        &self,
        pin: &str,
        password: &str,
        confirmation: &str,
        kdf: KdfParams,
    ) -> Result<BackupExport, SessionError> {
        check_backup_password(password, confirmation)?;
        let contents = self.backup_contents(pin)?;
        let key = BackupKey::for_new_backup(password, confirmation, kdf)?;
        Ok(BackupExport {
            file: key.seal(&contents)?,
            items: contents.items(),
        })
    }

    /// Every identity of the unlocked token, secrets, counters and IdentityGuard data included,
    /// stamped with the clock's time, for sealing with [`crate::backup::BackupKey::seal`]. Like
    /// [`Session::export`], this reveals secrets, so the PIN is checked again (a wrong one
    /// counts like any PIN try; when it locks the token out, the session is locked too).
    pub fn backup_contents(&self, pin: &str) -> Result<BackupContents, SessionError> {
        let created_at = self.now_unix();
        self.with_pin_checked(pin, |open| {
            Ok(BackupContents {
                created_at,
                identities: open
                    .data
                    .identities
                    .iter()
                    .map(|identity| BackupIdentity {
                        name: identity.name.clone(),
                        issuer: identity.issuer.clone(),
                        kind: identity.kind.clone(),
                    })
                    .collect(),
                skipped: Vec::new(),
            })
        })
    }
}
