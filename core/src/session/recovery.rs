//! Getting back into a locked token (unlock code, recovery key) and keeping the unlock slot
//! bound to the right identity.
//!
//! The unlock slot is bound to the first IdentityGuard identity on the token: its issuer knows
//! the secret, so it is who can answer the PIN reset code with an unlock code. Adding or
//! removing identities moves the binding; a token with no such identity, or whose person turned
//! unlock codes off, has no unlock slot. Like the PIN slot, the unlock slot is sealed by the
//! device key when there is one.

use super::{Open, Session, SessionError, TokenData};
use crate::identity::IdentityKind;
use crate::vault::{RecoveredVault, RecoveryKey, VaultError, check_pin_rules};

impl Session {
    /// Opens a locked token with the unlock code the organisation gave for its reset code,
    /// sets `new_pin`, and leaves the token unlocked with a fresh reset code. The new PIN is
    /// checked before the unlock code is tried, so a rejected PIN never costs a try.
    pub fn unlock_with_code(&self, unlock_code: &str, new_pin: &str) -> Result<(), SessionError> {
        check_pin_rules(new_pin).map_err(VaultError::from)?;
        let recovered = self
            .store
            .open_with_unlock_code(unlock_code, self.protector.clone())?;
        self.finish_recovery(recovered, new_pin)
    }

    /// Opens the token with its recovery key (shown once when it was made), sets `new_pin`, and
    /// leaves the token unlocked.
    pub fn unlock_with_recovery_key(
        &self,
        recovery_key: &str,
        new_pin: &str,
    ) -> Result<(), SessionError> {
        check_pin_rules(new_pin).map_err(VaultError::from)?;
        let recovered = self.store.open_with_recovery_key(recovery_key)?;
        self.finish_recovery(recovered, new_pin)
    }

    /// Makes a new recovery key (replacing any earlier one, which then no longer opens the
    /// token: the data key is rotated). Show it once; it is not kept in readable form. A
    /// recovery key opens the token without the PIN, so the PIN is checked again first (a wrong
    /// one counts like any PIN try; when it locks the token out, the session is locked too).
    pub fn add_recovery_key(&self, pin: &str) -> Result<RecoveryKey, SessionError> {
        self.with_pin_checked(pin, |open| Ok(open.vault.add_recovery_key()?))
    }

    fn finish_recovery(
        &self,
        mut recovered: RecoveredVault,
        new_pin: &str,
    ) -> Result<(), SessionError> {
        let data = TokenData::decode(recovered.payload()).ok_or(SessionError::UnreadablePayload)?;
        if let Some(identity) = unlock_identity(&data).filter(|_| data.settings.unlock_codes)
            && let IdentityKind::IdentityGuard(ig) = &identity.kind
        {
            recovered.set_unlock_slot(&ig.secret)?;
        }
        let vault = recovered
            .set_pin(new_pin, self.protector.clone())
            .map_err(|e| e.error)?;
        let mut guard = self.guard();
        let open = guard.insert(Open { vault, data });
        let bound = unlock_identity(&open.data).map(|identity| identity.id.clone());
        if open.data.unlock_identity != bound {
            super::commit(open, |data| {
                data.unlock_identity = bound;
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Turns unlock codes on or off. `pin` is checked again first (and counted like any PIN
    /// try; a try that locks the token locks the session too). Off removes the unlock slot in
    /// the same write as the setting, rotating the data key: unlock codes the organisation can
    /// compute no longer open this token or the files it now keeps, and a locked token shows no
    /// reset code. On binds it again to the first IdentityGuard identity, when there is one.
    pub fn set_unlock_codes(&self, pin: &str, enabled: bool) -> Result<(), SessionError> {
        self.with_pin_checked(pin, |open| {
            let mut next = open.data.clone();
            next.settings.unlock_codes = enabled;
            self.save_binding_unlock_slot(open, next)
        })
    }

    /// Binds the unlock slot to the first IdentityGuard identity, or removes it when there is
    /// none or unlock codes are off; an unlock slot in the version-1 form is made again. Does
    /// nothing when the binding is already right.
    pub(super) fn sync_unlock_slot(&self, open: &mut Open) -> Result<(), SessionError> {
        let next = open.data.clone();
        self.save_binding_unlock_slot(open, next)
    }

    /// Saves `next` with the unlock slot it calls for, in one write: either both are on disk
    /// or neither is.
    fn save_binding_unlock_slot(
        &self,
        open: &mut Open,
        mut next: TokenData,
    ) -> Result<(), SessionError> {
        let wanted = unlock_identity(&next)
            .filter(|_| next.settings.unlock_codes)
            .map(|identity| (identity.id.clone(), identity.kind.secret().clone()));
        let has_slot = open.vault.reset_code().is_some();
        let slot_is_current = has_slot && !open.vault.unlock_slot_needs_renewal();
        let bind = match wanted {
            Some((id, _))
                if next.unlock_identity.as_deref() == Some(id.as_str()) && slot_is_current =>
            {
                None
            }
            Some((id, secret)) => {
                next.unlock_identity = Some(id);
                Some(Some(secret))
            }
            None => {
                next.unlock_identity = None;
                has_slot.then_some(None)
            }
        };
        if bind.is_none() && next == open.data {
            return Ok(());
        }
        let bytes = next.encode().map_err(|_| SessionError::UnreadablePayload)?;
        match bind {
            Some(Some(secret)) => drop(open.vault.save_with_unlock_slot(&bytes, &secret)?),
            Some(None) => open.vault.save_without_unlock_slot(&bytes)?,
            None => open.vault.save(&bytes)?,
        }
        open.data = next;
        Ok(())
    }
}

/// The identity the unlock slot should be bound to: the first IdentityGuard one.
pub(super) fn unlock_identity(data: &TokenData) -> Option<&crate::identity::Identity> {
    data.identities
        .iter()
        .find(|identity| matches!(identity.kind, IdentityKind::IdentityGuard(_)))
}
