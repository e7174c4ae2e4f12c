//! Getting back into a locked token (unlock code, recovery key) and keeping the unlock slot
//! bound to the right identity.
//!
//! The unlock slot is bound to the first IdentityGuard identity on the token: its issuer knows
//! the secret, so it is who can answer the PIN reset code with an unlock code. Adding or
//! removing identities moves the binding; a token with no such identity has no unlock slot.

use super::{Open, Session, SessionError, TokenData};
use crate::identity::IdentityKind;
use crate::vault::{RecoveredVault, RecoveryKey, VaultError, check_pin_rules};

impl Session {
    /// Opens a locked token with the unlock code the organisation gave for its reset code,
    /// sets `new_pin`, and leaves the token unlocked with a fresh reset code. The new PIN is
    /// checked before the unlock code is tried, so a rejected PIN never costs a try.
    pub fn unlock_with_code(&self, unlock_code: &str, new_pin: &str) -> Result<(), SessionError> {
        check_pin_rules(new_pin).map_err(VaultError::from)?;
        let recovered = self.store.open_with_unlock_code(unlock_code)?;
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

    /// Makes a new recovery key (replacing any earlier one). Show it once; it is not kept in
    /// readable form.
    pub fn add_recovery_key(&self) -> Result<RecoveryKey, SessionError> {
        self.with_open(|open| Ok(open.vault.add_recovery_key()?))
    }

    fn finish_recovery(
        &self,
        mut recovered: RecoveredVault,
        new_pin: &str,
    ) -> Result<(), SessionError> {
        let data = TokenData::decode(recovered.payload()).ok_or(SessionError::UnreadablePayload)?;
        if let Some(identity) = unlock_identity(&data)
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

    /// Binds the unlock slot to the first IdentityGuard identity, or removes it when there is
    /// none. Does nothing when the binding is already right.
    pub(super) fn sync_unlock_slot(&self, open: &mut Open) -> Result<(), SessionError> {
        let wanted = unlock_identity(&open.data)
            .map(|identity| (identity.id.clone(), identity.kind.secret().clone()));
        let bound_secret_is_current = open.vault.reset_code().is_some();
        match wanted {
            Some((id, _))
                if open.data.unlock_identity.as_deref() == Some(id.as_str())
                    && bound_secret_is_current =>
            {
                Ok(())
            }
            Some((id, secret)) => {
                open.vault.set_unlock_slot(&secret)?;
                super::commit(open, |data| {
                    data.unlock_identity = Some(id);
                    Ok(())
                })
            }
            None if open.vault.reset_code().is_some() || open.data.unlock_identity.is_some() => {
                open.vault.remove_unlock_slot()?;
                super::commit(open, |data| {
                    data.unlock_identity = None;
                    Ok(())
                })
            }
            None => Ok(()),
        }
    }
}

/// The identity the unlock slot should be bound to: the first IdentityGuard one.
pub(super) fn unlock_identity(data: &TokenData) -> Option<&crate::identity::Identity> {
    data.identities
        .iter()
        .find(|identity| matches!(identity.kind, IdentityKind::IdentityGuard(_)))
}
