//! The session: the one stateful object a shell holds.
//!
//! It owns the vault folder, unlocks and locks the token, and answers every question a screen
//! asks (identities, codes, challenges, settings). While locked it holds no secret; unlocking
//! decrypts the payload into memory, locking drops it (zeroized). Every change is written to
//! the vault before the call returns, and a HOTP or OCRA counter is saved before its code is
//! returned. Calls are serialized by one mutex: a [`KeyProtector`] implementation must never
//! call back into the session.

mod backup;
mod clock;
mod error;
mod export;
mod identities;
mod import;
mod payload;
mod pin_check;
mod reactivate;
mod recovery;
mod restore;

pub use backup::BackupExport;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::SessionError;
use identities::same_account;
pub use import::ImportOutcome;
pub use payload::{
    DEFAULT_AUTO_LOCK_SECONDS, MAX_AUTO_LOCK_SECONDS, MAX_TIME_OFFSET_SECONDS, PAYLOAD_VERSION,
    Settings, TokenData,
};
pub(crate) use reactivate::Reactivated;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::identity::Identity;
use crate::vault::{KeyProtector, OpenVault, VaultOptions, VaultStatus, VaultStore};

/// What a shell should show before (or instead of) the identity list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStatus {
    /// Nothing set up yet: the Add Identity flow will ask for a PIN.
    NoToken,
    /// Ask for the PIN.
    NeedsPin {
        /// Wrong PINs still allowed before the token locks.
        attempts_left: u32,
    },
    /// Too many wrong PINs: show the reset code and take an unlock code or the recovery key.
    LockedOut {
        /// The PIN reset code to give the help desk, when unlock codes can still open the token.
        reset_code: Option<String>,
        /// Wrong unlock codes still allowed.
        unlock_attempts_left: u32,
        /// Whether a recovery key can open the token.
        recovery_key: bool,
    },
    /// Unlocked: show the identities.
    Unlocked,
}

/// Settings as a shell shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingsView {
    /// Seconds added to the device clock for time-based codes.
    pub time_offset_seconds: i64,
    /// Wrong PINs in a row that lock the token.
    pub lockout_threshold: u32,
    /// Whether a recovery key exists.
    pub has_recovery_key: bool,
    /// Whether the PIN slot is bound to a device key.
    pub device_bound: bool,
    /// Seconds in the background before the app locks the token (0: as soon as it leaves).
    pub auto_lock_seconds: u32,
    /// Whether unlock codes are allowed (the token then has an unlock slot when it holds an
    /// IdentityGuard identity).
    pub unlock_codes: bool,
}

/// An unlocked token: the open vault and its decrypted payload.
struct Open {
    vault: OpenVault,
    data: TokenData,
}

/// The token in one folder, as one shell sees it.
pub struct Session {
    store: VaultStore,
    clock: Arc<dyn Clock>,
    protector: Option<Arc<dyn KeyProtector>>,
    options: VaultOptions,
    open: Mutex<Option<Open>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("unlocked", &self.is_unlocked())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session over the vault in `dir`. `protector` is the device key (none where the
    /// platform has no keystore); `options` apply when a new token is created.
    pub fn new(
        dir: impl Into<PathBuf>,
        clock: Arc<dyn Clock>,
        protector: Option<Arc<dyn KeyProtector>>,
        options: VaultOptions,
    ) -> Self {
        Self {
            store: VaultStore::new(dir),
            clock,
            protector,
            options,
            open: Mutex::new(None),
        }
    }

    /// What to show now. Never counts a PIN try.
    pub fn status(&self) -> Result<TokenStatus, SessionError> {
        if self.is_unlocked() {
            return Ok(TokenStatus::Unlocked);
        }
        Ok(match self.store.status()? {
            VaultStatus::NoVault => TokenStatus::NoToken,
            VaultStatus::Ready { attempts_left } => TokenStatus::NeedsPin { attempts_left },
            VaultStatus::Locked {
                reset_code,
                unlock_attempts_left,
                recovery_key,
            } => TokenStatus::LockedOut {
                reset_code,
                unlock_attempts_left,
                recovery_key,
            },
        })
    }

    /// Unlocks with the PIN. Returns a notice to show when the previous copy of the vault had
    /// to be opened because the current one was damaged.
    ///
    /// With a device key, a vault not yet sealed by it is sealed now
    /// ([`OpenVault::bind_device_key`]); when the key fails, the session stays locked, the
    /// vault on disk is unchanged and the error says why.
    ///
    /// The PIN is always checked, even when the session is already unlocked, so a shell can use
    /// this to confirm the person before a sensitive action; a wrong PIN then also locks the
    /// session.
    pub fn unlock(&self, pin: &str) -> Result<Option<String>, SessionError> {
        let mut open = self.guard();
        let vault = match self.store.open_with_pin(pin, self.protector.clone()) {
            Ok(vault) => vault,
            Err(error) => {
                *open = None;
                return Err(error.into());
            }
        };
        let notice = vault.opened_from().notice().map(str::to_string);
        let data = TokenData::decode(vault.payload()).ok_or(SessionError::UnreadablePayload)?;
        let renew = vault.unlock_slot_needs_renewal();
        let unlocked = open.insert(Open { vault, data });
        // An unlock slot in the version-1 form is not sealed by the device key and cannot
        // follow a rotation: make it again from the identity secret now that it is at hand.
        if renew && let Err(error) = self.sync_unlock_slot(unlocked) {
            *open = None;
            return Err(error);
        }
        // A vault made before this device had a key for it is sealed by the key now, so a copy
        // of the file taken from here on is useless without the device.
        if let Err(error) = unlocked.vault.bind_device_key() {
            *open = None;
            return Err(error.into());
        }
        Ok(notice)
    }

    /// Locks: forgets the decrypted payload and the data key.
    pub fn lock(&self) {
        *self.guard() = None;
    }

    /// Whether the token is unlocked in this session.
    pub fn is_unlocked(&self) -> bool {
        self.guard().is_some()
    }

    /// The settings.
    pub fn settings(&self) -> Result<SettingsView, SessionError> {
        self.with_open(|open| {
            Ok(SettingsView {
                time_offset_seconds: open.data.settings.time_offset_seconds,
                lockout_threshold: open.vault.max_pin_attempts(),
                has_recovery_key: open.vault.has_recovery_key(),
                device_bound: open.vault.is_device_bound(),
                auto_lock_seconds: open.data.settings.auto_lock_seconds,
                unlock_codes: open.data.settings.unlock_codes,
            })
        })
    }

    /// Corrects the clock for time-based codes by `seconds` (at most a day either way).
    pub fn set_time_offset(&self, seconds: i64) -> Result<(), SessionError> {
        // Not `seconds.abs()`: it overflows for i64::MIN (a panic in debug builds, and in release
        // a negative value that slipped through the check).
        if !(-MAX_TIME_OFFSET_SECONDS..=MAX_TIME_OFFSET_SECONDS).contains(&seconds) {
            return Err(SessionError::TimeOffsetOutOfRange {
                found: seconds,
                max: MAX_TIME_OFFSET_SECONDS,
            });
        }
        self.with_open(|open| {
            commit(open, |data| {
                data.settings.time_offset_seconds = seconds;
                Ok(())
            })
        })
    }

    /// How long the app may stay in the background before it locks the token: 0 (lock as
    /// soon as it leaves the foreground) to [`MAX_AUTO_LOCK_SECONDS`]. The shells do the
    /// locking; the token keeps the person's choice.
    pub fn set_auto_lock_seconds(&self, seconds: u32) -> Result<(), SessionError> {
        if seconds > MAX_AUTO_LOCK_SECONDS {
            return Err(SessionError::AutoLockOutOfRange {
                found: seconds,
                max: MAX_AUTO_LOCK_SECONDS,
            });
        }
        self.with_open(|open| {
            commit(open, |data| {
                data.settings.auto_lock_seconds = seconds;
                Ok(())
            })
        })
    }

    /// How many wrong PINs in a row lock the token (1 to 100). Raising it weakens the lockout,
    /// so the PIN is checked again first (a wrong one counts like any PIN try; when it locks the
    /// token out, the session is locked too); a number out of range is refused before that.
    pub fn set_lockout_threshold(&self, attempts: u32, pin: &str) -> Result<(), SessionError> {
        crate::vault::check_attempts(attempts)?;
        self.with_pin_checked(pin, |open| Ok(open.vault.set_max_pin_attempts(attempts)?))
    }

    /// Changes the PIN; the current PIN is checked again (and counted like any PIN try).
    ///
    /// A wrong current PIN counts towards the lockout like any PIN try; when it locks the token
    /// out, the session is locked too, so it does not outlive the lockout.
    pub fn change_pin(&self, current_pin: &str, new_pin: &str) -> Result<(), SessionError> {
        crate::vault::check_pin_rules(new_pin).map_err(SessionError::NewPinRule)?;
        self.with_pin_checked(current_pin, |open| Ok(open.vault.change_pin(new_pin)?))
    }

    /// Changes the PIN when `confirmation` repeats `new_pin`, so no shell compares PINs itself.
    /// The new PIN's rules and the confirmation are checked before the current PIN, so neither
    /// mistake costs a PIN try.
    pub fn change_pin_confirmed(
        &self,
        current_pin: &str,
        new_pin: &str,
        confirmation: &str,
    ) -> Result<(), SessionError> {
        crate::vault::check_pin_rules(new_pin).map_err(SessionError::NewPinRule)?;
        if !crate::vault::pins_match(new_pin, confirmation) {
            return Err(SessionError::PinMismatch);
        }
        self.change_pin(current_pin, new_pin)
    }

    /// The clock's time, without the person's correction (for recording when things happen).
    pub(crate) fn now_unix(&self) -> u64 {
        self.clock.now()
    }

    /// The time used for codes: the clock plus the person's correction.
    fn now(&self, data: &TokenData) -> u64 {
        self.clock
            .now()
            .saturating_add_signed(data.settings.time_offset_seconds)
    }

    fn guard(&self) -> MutexGuard<'_, Option<Open>> {
        // A panic while the lock was held cannot leave the payload half-changed (changes are
        // made on a copy and swapped in after saving), so a poisoned lock is safe to reuse.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn with_open<T>(
        &self,
        f: impl FnOnce(&mut Open) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        let mut guard = self.guard();
        match guard.as_mut() {
            Some(open) => f(open),
            None if self.store.status()? == VaultStatus::NoVault => Err(SessionError::NoToken),
            None => Err(SessionError::NotUnlocked),
        }
    }
}

/// Applies `change` to a copy of the payload, saves the copy, and only then keeps it: a failed
/// save leaves memory and disk as they were.
fn commit<T>(
    open: &mut Open,
    change: impl FnOnce(&mut TokenData) -> Result<T, SessionError>,
) -> Result<T, SessionError> {
    let mut next = open.data.clone();
    let result = change(&mut next)?;
    let bytes = next.encode().map_err(|_| SessionError::UnreadablePayload)?;
    open.vault.save(&bytes)?;
    open.data = next;
    Ok(result)
}

fn find_index(data: &TokenData, id: &str) -> Result<usize, SessionError> {
    data.identities
        .iter()
        .position(|identity: &Identity| identity.id == id)
        .ok_or_else(|| SessionError::UnknownIdentity {
            query: id.to_string(),
        })
}
