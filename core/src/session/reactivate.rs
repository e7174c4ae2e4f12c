//! Replacing an IdentityGuard identity's activation with new activation data, for when the
//! organisation issued new data for the same person (a new phone, a reset serial).
//!
//! The identity keeps its id, name, issuer, added date and place in the list, so screens and
//! the unlock binding that refer to it by id stay valid; everything that came from the old
//! activation (serial, registration code, secrets, OCRA counter) is replaced. When the unlock
//! slot is bound to it, the slot is sealed again under the new secret in the same write as the
//! payload, since the organisation now computes unlock codes from the new secret.

use super::recovery::unlock_identity;
use super::{Session, SessionError, TokenData, find_index, same_account};
use crate::codes::OcraSuite;
use crate::identity::{Identity, IdentityGuardIdentity, IdentityKind, IdentitySummary};

/// What a reactivation keeps from the identity when the new activation data leaves it open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reactivated {
    /// The identity's name, kept.
    pub name: String,
    /// Its self-service address.
    pub address: Option<String>,
    /// Digits per code.
    pub digits: u8,
    /// Its OCRA suite, when it answers challenges.
    pub ocra: Option<OcraSuite>,
}

impl Session {
    /// What the identity `id` keeps through a reactivation; refuses identities that are not
    /// IdentityGuard ones (they have no activation to replace).
    pub(crate) fn reactivation_base(&self, id: &str) -> Result<Reactivated, SessionError> {
        self.with_open(|open| {
            let identity = &open.data.identities[find_index(&open.data, id)?];
            let ig = identityguard(identity)?;
            Ok(Reactivated {
                name: identity.name.clone(),
                address: ig.address.clone(),
                digits: ig.digits,
                ocra: ig.ocra.as_ref().map(|ocra| ocra.suite.clone()),
            })
        })
    }

    /// Refuses `replacement` for identity `id` when another identity has its serial number.
    pub(crate) fn check_reactivation(
        &self,
        id: &str,
        replacement: &Identity,
    ) -> Result<(), SessionError> {
        self.with_open(|open| check(&open.data, id, replacement).map(|_| ()))
    }

    /// Gives identity `id` the activation of `replacement` (an IdentityGuard identity made
    /// from new activation data), in one save; the unlock slot follows when it is bound to
    /// this identity.
    pub(crate) fn replace_activation(
        &self,
        id: &str,
        replacement: Identity,
    ) -> Result<IdentitySummary, SessionError> {
        self.with_open(|open| {
            let mut next = open.data.clone();
            let index = check(&next, id, &replacement)?;
            let IdentityKind::IdentityGuard(ig) = replacement.kind else {
                return Err(SessionError::NotIdentityGuard {
                    name: replacement.name,
                });
            };
            next.identities[index].kind = IdentityKind::IdentityGuard(ig);
            let summary = next.identities[index].summary();
            let rebind = unlock_identity(&next)
                .filter(|identity| identity.id == id)
                .map(|identity| identity.kind.secret().clone());
            if rebind.is_some() {
                next.unlock_identity = Some(id.to_string());
            }
            let bytes = next.encode().map_err(|_| SessionError::UnreadablePayload)?;
            match rebind {
                Some(secret) => {
                    open.vault.save_with_unlock_slot(&bytes, &secret)?;
                }
                None => open.vault.save(&bytes)?,
            }
            open.data = next;
            Ok(summary)
        })
    }
}

/// The index of identity `id` when `replacement` may replace its activation.
fn check(data: &TokenData, id: &str, replacement: &Identity) -> Result<usize, SessionError> {
    let index = find_index(data, id)?;
    identityguard(&data.identities[index])?;
    if let Some(other) = data
        .identities
        .iter()
        .find(|other| other.id != id && same_account(other, replacement))
    {
        return Err(SessionError::Duplicate {
            existing: other.name.clone(),
        });
    }
    Ok(index)
}

fn identityguard(identity: &Identity) -> Result<&IdentityGuardIdentity, SessionError> {
    match &identity.kind {
        IdentityKind::IdentityGuard(ig) => Ok(ig),
        _ => Err(SessionError::NotIdentityGuard {
            name: identity.name.clone(),
        }),
    }
}
