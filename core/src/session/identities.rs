//! Identity operations of the session: list, find, codes, challenges, rename, remove, add.

use super::{Open, Session, SessionError, TokenData, commit, find_index};
use crate::identity::{
    CodeView, Identity, IdentityKind, IdentitySummary, MAX_NAME_CHARS, check_name,
};
use crate::random::make_random_bytes;
use crate::vault::RecoveryKey;

impl Session {
    /// Every identity, in the order added, without secrets.
    pub fn identities(&self) -> Result<Vec<IdentitySummary>, SessionError> {
        self.with_open(|open| Ok(open.data.identities.iter().map(Identity::summary).collect()))
    }

    /// The identity `query` names: its id, or its name or issuer ignoring case.
    pub fn find(&self, query: &str) -> Result<IdentitySummary, SessionError> {
        self.with_open(|open| {
            let index = resolve(&open.data, query)?;
            Ok(open.data.identities[index].summary())
        })
    }

    /// The identity's code now (device clock plus the time offset). For a counter-based
    /// identity the counter is advanced and saved before the code is returned.
    pub fn code(&self, id: &str) -> Result<CodeView, SessionError> {
        self.with_open(|open| {
            let now = self.now(&open.data);
            code_at(open, id, now)
        })
    }

    /// The identity's code at `unix_time` (the time offset is not applied).
    pub fn code_at(&self, id: &str, unix_time: u64) -> Result<CodeView, SessionError> {
        self.with_open(|open| code_at(open, id, unix_time))
    }

    /// The response to an OCRA challenge. For suites with a counter, the counter is advanced
    /// and saved first. `ocra_pin` is the organisation's PIN for suites with P.
    pub fn challenge(
        &self,
        id: &str,
        question: &str,
        ocra_pin: Option<&str>,
    ) -> Result<String, SessionError> {
        self.with_open(|open| {
            let now = self.now(&open.data);
            let index = find_index(&open.data, id)?;
            let response = open.data.identities[index].respond_at(question, ocra_pin, now)?;
            let uses_counter = open.data.identities[index]
                .kind
                .ocra()
                .is_some_and(|o| o.suite.uses_counter());
            if uses_counter {
                commit(open, |data| {
                    let identity = &mut data.identities[index];
                    let name = &identity.name;
                    if let Some(ocra) = identity.kind.ocra_mut() {
                        ocra.counter = next_counter(ocra.counter, name)?;
                    }
                    Ok(())
                })?;
            }
            Ok(response)
        })
    }

    /// Renames an identity.
    pub fn rename(&self, id: &str, new_name: &str) -> Result<IdentitySummary, SessionError> {
        let name = check_name(new_name)?;
        self.with_open(|open| {
            commit(open, |data| {
                let index = find_index(data, id)?;
                if let Some(other) = data
                    .identities
                    .iter()
                    .find(|e| e.id != id && same_name(&e.name, &name))
                {
                    return Err(SessionError::NameTaken {
                        name: other.name.clone(),
                    });
                }
                data.identities[index].name = name;
                Ok(data.identities[index].summary())
            })
        })
    }

    /// Removes an identity for good. When the unlock slot was bound to it, the slot moves to
    /// the next IdentityGuard identity or is removed.
    pub fn remove(&self, id: &str) -> Result<(), SessionError> {
        self.with_open(|open| {
            commit(open, |data| {
                let index = find_index(data, id)?;
                data.identities.remove(index);
                Ok(())
            })?;
            self.sync_unlock_slot(open)
        })
    }

    /// Switches an IdentityGuard identity to the other derivation variant (with or without the
    /// policy), for when the organisation rejects its codes.
    pub fn switch_policy_variant(&self, id: &str) -> Result<IdentitySummary, SessionError> {
        self.with_open(|open| {
            let summary = commit(open, |data| {
                let index = find_index(data, id)?;
                let identity = &mut data.identities[index];
                let IdentityKind::IdentityGuard(ig) = &mut identity.kind else {
                    return Err(SessionError::NoOtherVariant);
                };
                let alternate = ig
                    .alternate_secret
                    .take()
                    .ok_or(SessionError::NoOtherVariant)?;
                ig.alternate_secret = Some(std::mem::replace(&mut ig.secret, alternate));
                ig.policy_included = !ig.policy_included;
                let summary = identity.summary();
                // The issuer computes unlock codes from the secret it holds, which is now the
                // other variant: bind the unlock slot again.
                if data.unlock_identity.as_deref() == Some(id) {
                    data.unlock_identity = None;
                }
                Ok(summary)
            })?;
            self.sync_unlock_slot(open)?;
            Ok(summary)
        })
    }

    /// Whether a token exists in this folder.
    pub(crate) fn has_token(&self) -> Result<bool, SessionError> {
        Ok(!matches!(self.status()?, super::TokenStatus::NoToken))
    }

    /// Adds an identity to the unlocked token.
    pub(crate) fn add_identity(&self, identity: Identity) -> Result<IdentitySummary, SessionError> {
        self.with_open(|open| {
            let summary = commit(open, |data| insert(data, identity))?;
            self.sync_unlock_slot(open)?;
            Ok(summary)
        })
    }

    /// Refuses `identity` when the unlocked token already has it (same serial or secret), as
    /// adding it would.
    pub(crate) fn check_not_on_token(&self, identity: &Identity) -> Result<(), SessionError> {
        self.with_open(|open| {
            match open
                .data
                .identities
                .iter()
                .find(|e| same_account(e, identity))
            {
                Some(existing) => Err(SessionError::Duplicate {
                    existing: existing.name.clone(),
                }),
                None => Ok(()),
            }
        })
    }

    /// Creates the token with its first identities and `pin`, all in one save, and leaves it
    /// unlocked. Every token gets a recovery key when it is created: without one, a token whose
    /// organisation cannot compute unlock codes (any otpauth-only token, any vendor deployment)
    /// would be lost for good after too many wrong PINs.
    pub(crate) fn create_token(
        &self,
        pin: &str,
        identities: Vec<Identity>,
    ) -> Result<(Vec<IdentitySummary>, RecoveryKey), SessionError> {
        let mut guard = self.guard();
        let mut data = TokenData::new();
        let mut summaries = Vec::with_capacity(identities.len());
        for identity in identities {
            summaries.push(insert(&mut data, identity)?);
        }
        let bytes = data.encode().map_err(|_| SessionError::UnreadablePayload)?;
        let vault = self
            .store
            .create(pin, &self.options, self.protector.clone(), &bytes)?;
        let open = guard.insert(super::Open { vault, data });
        self.sync_unlock_slot(open)?;
        let recovery_key = open.vault.add_recovery_key()?;
        Ok((summaries, recovery_key))
    }

    /// A fresh identity id.
    pub(crate) fn make_identity_id() -> Result<String, SessionError> {
        let bytes: [u8; 8] = make_random_bytes()?;
        Ok(data_encoding::HEXLOWER.encode(&bytes))
    }
}

fn code_at(open: &mut Open, id: &str, unix_time: u64) -> Result<CodeView, SessionError> {
    let index = find_index(&open.data, id)?;
    let view = open.data.identities[index].code_at(unix_time)?;
    if matches!(open.data.identities[index].kind, IdentityKind::Hotp { .. }) {
        commit(open, |data| {
            let identity = &mut data.identities[index];
            if let IdentityKind::Hotp { counter, .. } = &mut identity.kind {
                *counter = next_counter(*counter, &identity.name)?;
            }
            Ok(())
        })?;
    }
    Ok(view)
}

/// The counter after `counter`. A code is shown only once the counter past it is saved, so the
/// code of the largest counter is never shown: stepping past it would wrap to 0 and show old
/// codes again.
fn next_counter(counter: u64, name: &str) -> Result<u64, SessionError> {
    counter
        .checked_add(1)
        .ok_or_else(|| SessionError::CounterExhausted {
            name: name.to_string(),
        })
}

/// Index of the one identity `query` names.
fn resolve(data: &TokenData, query: &str) -> Result<usize, SessionError> {
    if let Some(index) = data.identities.iter().position(|i| i.id == query) {
        return Ok(index);
    }
    let matches: Vec<usize> = data
        .identities
        .iter()
        .enumerate()
        .filter(|(_, i)| i.matches(query))
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [index] => Ok(*index),
        [] => Err(SessionError::UnknownIdentity {
            query: query.to_string(),
        }),
        _ => {
            // A name that matches exactly wins over issuers that happen to be equal.
            let query_lower = query.trim().to_lowercase();
            let by_name: Vec<usize> = matches
                .iter()
                .copied()
                .filter(|&i| data.identities[i].name.to_lowercase() == query_lower)
                .collect();
            match by_name.as_slice() {
                [index] => Ok(*index),
                _ => Err(SessionError::AmbiguousIdentity {
                    query: query.to_string(),
                    count: matches.len(),
                }),
            }
        }
    }
}

/// Adds `identity` after checking it is not there already; a taken name gets " (2)", " (3)"...
pub(super) fn insert(
    data: &mut TokenData,
    mut identity: Identity,
) -> Result<IdentitySummary, SessionError> {
    identity.name = check_name(&identity.name)?;
    if let Some(existing) = data.identities.iter().find(|e| same_account(e, &identity)) {
        return Err(SessionError::Duplicate {
            existing: existing.name.clone(),
        });
    }
    let base = identity.name.clone();
    let mut suffix = 2;
    while data
        .identities
        .iter()
        .any(|e| same_name(&e.name, &identity.name))
    {
        let tail = format!(" ({suffix})");
        // Shortened so the suffix keeps the name within the limit.
        let kept: String = base
            .chars()
            .take(MAX_NAME_CHARS - tail.chars().count())
            .collect();
        identity.name = format!("{}{tail}", kept.trim_end());
        suffix += 1;
    }
    let summary = identity.summary();
    data.identities.push(identity);
    Ok(summary)
}

/// Names are compared as `find` compares them (Unicode lower case), not ASCII only: "ÄRZTE"
/// and "ärzte" would otherwise both be kept and neither could be found by name.
fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Two identities are the same account when they share a serial number or a secret.
pub(super) fn same_account(a: &Identity, b: &Identity) -> bool {
    match (&a.kind, &b.kind) {
        (IdentityKind::IdentityGuard(x), IdentityKind::IdentityGuard(y)) => x.serial == y.serial,
        (x, y) => x.secret().ct_eq(y.secret().as_bytes()),
    }
}
