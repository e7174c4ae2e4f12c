//! The token's identities as a backup carries them: an explicit export of secrets.

use super::{Session, SessionError};
use crate::backup::{BackupContents, BackupIdentity};

impl Session {
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
