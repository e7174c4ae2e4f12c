//! The PIN asked again on an unlocked token, before any action that reveals a secret or weakens
//! what protects the token: exports and backups, a new recovery key, the lockout threshold, a
//! PIN change. An unlocked phone left on a desk must not be enough for any of them.

use super::{Open, Session, SessionError};
use crate::vault::VaultError;

impl Session {
    /// Runs `action` on the unlocked token once `pin` has been checked again by the vault,
    /// exactly as [`Session::unlock`] checks it: the failure counter is written before the check
    /// and cleared after a right PIN, so a wrong PIN counts towards the lockout like any PIN try
    /// (and killing the app mid-check gives no free try). When that try locks the token out, the
    /// session is locked too, so it does not outlive the lockout.
    ///
    /// A locked session is refused before any PIN is checked. Callers check the action's own
    /// inputs first, so a mistake in them costs no PIN try.
    pub(super) fn with_pin_checked<T>(
        &self,
        pin: &str,
        action: impl FnOnce(&mut Open) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        self.with_open(|open| {
            drop(self.store.open_with_pin(pin, self.protector.clone())?);
            action(open)
        })
        .inspect_err(|error| {
            if matches!(error, SessionError::Vault(VaultError::Locked { .. })) {
                self.lock();
            }
        })
    }
}
