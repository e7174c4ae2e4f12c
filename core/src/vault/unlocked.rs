//! What an unlocked vault can do.
//!
//! [`OpenVault`] came through the PIN (or was just created): it reads and saves the payload and
//! manages the slots. [`RecoveredVault`] came through an unlock code or the recovery key: it can
//! read the payload (the session needs the identity secret to rotate the unlock slot) but it
//! cannot save until [`RecoveredVault::set_pin`] has written a new PIN, which turns it into an
//! [`OpenVault`]. The type system, not a runtime flag, keeps a recovered token from carrying on
//! with the forgotten PIN.
//!
//! Every method that changes something writes the file before it returns, so what a method
//! reports (a new reset code, a recovery key to show) is already durable. Each write holds the
//! folder's exclusive lock and first checks that no other process saved since this handle last
//! read or wrote the file ([`VaultError::ChangedElsewhere`] otherwise).

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::cipher::{self, SecretKey};
use super::format::{self, Header, Slot};
use super::protector::KeyProtector;
use super::slots::{self, RecoveryKey};
use super::store::{Files, Seen, Writer};
use super::{OpenedFrom, VaultError, check_attempts, check_payload_len, check_pin_rules};
use crate::secret::SecretBytes;

/// How a [`RecoveredVault`] was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    UnlockCode,
    RecoveryKey,
}

/// The state both handles share: the data key, the decoded header, the plaintext payload.
pub(crate) struct Unlocked {
    files: Files,
    pub header: Header,
    data_key: SecretKey,
    payload: Zeroizing<Vec<u8>>,
    from: OpenedFrom,
    /// The current file is known good, so a save keeps it as the previous generation. False
    /// when it is damaged or absent: then `vault.prev` must not be overwritten with it.
    pub current_is_good: bool,
    /// What `vault.bin` held when this handle last read or wrote it.
    seen: Seen,
}

impl Unlocked {
    pub fn new(
        files: Files,
        header: Header,
        data_key: SecretKey,
        payload: Zeroizing<Vec<u8>>,
        from: OpenedFrom,
        seen: Seen,
    ) -> Self {
        Self {
            files,
            header,
            data_key,
            payload,
            from,
            current_is_good: from == OpenedFrom::Current,
            seen,
        }
    }

    /// Seals `payload` (or the current one) under `header` with a fresh nonce, writes it crash
    /// safely under the folder's lock, and only then adopts the new header and payload.
    pub fn write(
        &mut self,
        header: Header,
        payload: Option<Zeroizing<Vec<u8>>>,
    ) -> Result<(), VaultError> {
        let writer = self.files.write_lock()?;
        self.write_locked(&writer, header, payload)
    }

    /// [`write`](Self::write), then the unlock-code counter reset, under one lock: for changes
    /// that replace or remove the unlock slot.
    pub fn write_resetting_unlock_failures(
        &mut self,
        header: Header,
        payload: Option<Zeroizing<Vec<u8>>>,
    ) -> Result<(), VaultError> {
        let writer = self.files.write_lock()?;
        self.write_locked(&writer, header, payload)?;
        forget_unlock_failures(&writer, &self.header)
    }

    /// [`write`](Self::write) for a caller that already holds the lock.
    pub fn write_locked(
        &mut self,
        writer: &Writer,
        mut header: Header,
        payload: Option<Zeroizing<Vec<u8>>>,
    ) -> Result<(), VaultError> {
        writer.check_unchanged(self.seen)?;
        header.payload_nonce = cipher::make_nonce()?;
        let header_bytes = header.encode();
        let plaintext: &[u8] = payload.as_deref().unwrap_or(&self.payload);
        let sealed = cipher::seal(
            &self.data_key,
            &header.payload_nonce,
            &header_bytes,
            plaintext,
        )?;
        let file = format::assemble_file(&header_bytes, &sealed);
        writer.write_vault(&file, self.current_is_good)?;
        self.seen = Seen::of(Some(&file));
        self.header = header;
        if let Some(payload) = payload {
            self.payload = payload;
        }
        self.current_is_good = true;
        Ok(())
    }

    fn new_unlock_slot(&self, identity_secret: &SecretBytes) -> Result<(Slot, String), VaultError> {
        slots::make_unlock_slot(
            identity_secret,
            &self.header.pin.argon2_params()?,
            &self.data_key,
        )
    }
}

/// Resets the unlock-code counter; called after the unlock slot was replaced or removed.
fn forget_unlock_failures(writer: &Writer, header: &Header) -> Result<(), VaultError> {
    let mut state = super::read_lockout(writer, header)?;
    if state.unlock_failures != 0 {
        state.unlock_failures = 0;
        writer.write_state(&state.encode())?;
    }
    Ok(())
}

/// A vault opened with its PIN (or just created). Dropping it wipes the data key and payload.
pub struct OpenVault {
    inner: Unlocked,
    protector: Option<Arc<dyn KeyProtector>>,
}

impl OpenVault {
    pub(crate) fn new(inner: Unlocked, protector: Option<Arc<dyn KeyProtector>>) -> Self {
        Self { inner, protector }
    }

    /// The payload as last saved.
    pub fn payload(&self) -> &[u8] {
        &self.inner.payload
    }

    /// Which generation was opened; show [`OpenedFrom::notice`] when it is not the current one.
    pub fn opened_from(&self) -> OpenedFrom {
        self.inner.from
    }

    /// Replaces the payload: sealed with a new nonce, written crash safely, the file it
    /// replaces kept as the previous generation.
    pub fn save(&mut self, payload: &[u8]) -> Result<(), VaultError> {
        check_payload_len(payload.len())?;
        let header = self.inner.header.clone();
        self.inner
            .write(header, Some(Zeroizing::new(payload.to_vec())))
    }

    /// Sets a new PIN (checked against [`check_pin_rules`]) with the vault's KDF parameters,
    /// sealed by the device key this vault was opened with, if any. Asking for the old PIN
    /// first is the caller's decision.
    pub fn change_pin(&mut self, new_pin: &str) -> Result<(), VaultError> {
        check_pin_rules(new_pin)?;
        let params = self.inner.header.pin.argon2_params()?;
        let mut header = self.inner.header.clone();
        header.pin = slots::make_pin_slot(
            new_pin,
            &params,
            &self.inner.data_key,
            self.protector.as_deref(),
        )?;
        self.inner.write(header, None)
    }

    /// Adds (or replaces) the unlock slot for an identity whose issuer computes unlock codes.
    /// Returns the new PIN reset code (9 digits; shown on the lock screen, not secret). The
    /// unlock code is derived, used once to seal the data key, and forgotten.
    pub fn set_unlock_slot(&mut self, identity_secret: &SecretBytes) -> Result<String, VaultError> {
        let (slot, reset_code) = self.inner.new_unlock_slot(identity_secret)?;
        let mut header = self.inner.header.clone();
        header.unlock = Some(slot);
        self.inner.write_resetting_unlock_failures(header, None)?;
        Ok(reset_code)
    }

    /// Saves `payload` and replaces the unlock slot in one write, for a change that gives the
    /// bound identity a new secret: either both are on disk or neither is. Returns the new PIN
    /// reset code.
    pub fn save_with_unlock_slot(
        &mut self,
        payload: &[u8],
        identity_secret: &SecretBytes,
    ) -> Result<String, VaultError> {
        check_payload_len(payload.len())?;
        let (slot, reset_code) = self.inner.new_unlock_slot(identity_secret)?;
        let mut header = self.inner.header.clone();
        header.unlock = Some(slot);
        self.inner
            .write_resetting_unlock_failures(header, Some(Zeroizing::new(payload.to_vec())))?;
        Ok(reset_code)
    }

    /// Removes the unlock slot, if any.
    pub fn remove_unlock_slot(&mut self) -> Result<(), VaultError> {
        let mut header = self.inner.header.clone();
        header.unlock = None;
        self.inner.write_resetting_unlock_failures(header, None)
    }

    /// Adds (or replaces) the recovery key and returns it: show it once, have it written
    /// down, and drop it. It is on disk before it is returned.
    pub fn add_recovery_key(&mut self) -> Result<RecoveryKey, VaultError> {
        let (slot, key) = slots::make_recovery_slot(&self.inner.data_key)?;
        let mut header = self.inner.header.clone();
        header.recovery = Some(slot);
        self.inner.write(header, None)?;
        Ok(key)
    }

    /// Removes the recovery slot, if any.
    pub fn remove_recovery_key(&mut self) -> Result<(), VaultError> {
        let mut header = self.inner.header.clone();
        header.recovery = None;
        self.inner.write(header, None)
    }

    /// Changes how many wrong PINs in a row lock the token (1 to 100), e.g. from a policy.
    pub fn set_max_pin_attempts(&mut self, attempts: u32) -> Result<(), VaultError> {
        let mut header = self.inner.header.clone();
        header.max_pin_attempts = check_attempts(attempts)?;
        self.inner.write(header, None)
    }

    /// Wrong PINs in a row that lock the token.
    pub fn max_pin_attempts(&self) -> u32 {
        u32::from(self.inner.header.max_pin_attempts)
    }

    /// The current PIN reset code, when there is an unlock slot.
    pub fn reset_code(&self) -> Option<&str> {
        self.inner
            .header
            .unlock
            .as_ref()
            .and_then(|slot| slot.reset_code.as_deref())
    }

    /// Whether a recovery key can open the vault.
    pub fn has_recovery_key(&self) -> bool {
        self.inner.header.recovery.is_some()
    }

    /// Whether the PIN slot is sealed by a device key.
    pub fn is_device_bound(&self) -> bool {
        self.inner.header.pin.device_key
    }
}

impl fmt::Debug for OpenVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenVault")
            .field("opened_from", &self.inner.from)
            .field("payload_bytes", &self.inner.payload.len())
            .field("device_bound", &self.is_device_bound())
            .field("recovery_key", &self.has_recovery_key())
            .field("unlock_slot", &self.inner.header.unlock.is_some())
            .finish_non_exhaustive()
    }
}

/// A vault opened with an unlock code or the recovery key. It reads but cannot save: set a new
/// PIN with [`set_pin`](Self::set_pin) to get an [`OpenVault`].
pub struct RecoveredVault {
    inner: Unlocked,
    via: Via,
    new_unlock: Option<Slot>,
}

impl RecoveredVault {
    pub(crate) fn new(inner: Unlocked, via: Via) -> Self {
        Self {
            inner,
            via,
            new_unlock: None,
        }
    }

    /// The payload as last saved (the session reads the identity secret from it to rotate the
    /// unlock slot).
    pub fn payload(&self) -> &[u8] {
        &self.inner.payload
    }

    /// Which generation was opened; show [`OpenedFrom::notice`] when it is not the current one.
    pub fn opened_from(&self) -> OpenedFrom {
        self.inner.from
    }

    /// True when opened with an unlock code: that code is now known outside the token, so
    /// [`set_pin`](Self::set_pin) removes its slot; call
    /// [`set_unlock_slot`](Self::set_unlock_slot) first to replace it in the same write.
    pub fn opened_with_unlock_code(&self) -> bool {
        self.via == Via::UnlockCode
    }

    /// Prepares a new unlock slot (new reset code) to be written by [`set_pin`](Self::set_pin).
    /// Returns the new reset code.
    pub fn set_unlock_slot(&mut self, identity_secret: &SecretBytes) -> Result<String, VaultError> {
        let (slot, reset_code) = self.inner.new_unlock_slot(identity_secret)?;
        self.new_unlock = Some(slot);
        Ok(reset_code)
    }

    /// Sets the new PIN and writes the vault: the PIN slot is replaced (sealed by `protector`
    /// when given), the unlock slot is replaced by the one prepared with
    /// [`set_unlock_slot`](Self::set_unlock_slot) or, after an unlock code, removed; the PIN
    /// lockout is cleared. On failure the recovered vault comes back in the error, so the person
    /// does not have to unlock again.
    pub fn set_pin(
        mut self,
        new_pin: &str,
        protector: Option<Arc<dyn KeyProtector>>,
    ) -> Result<OpenVault, SetPinError> {
        match self.try_set_pin(new_pin, protector.as_deref()) {
            Ok(()) => Ok(OpenVault::new(self.inner, protector)),
            Err(error) => Err(SetPinError {
                error,
                vault: Box::new(self),
            }),
        }
    }

    fn try_set_pin(
        &mut self,
        new_pin: &str,
        protector: Option<&dyn KeyProtector>,
    ) -> Result<(), VaultError> {
        check_pin_rules(new_pin)?;
        let params = self.inner.header.pin.argon2_params()?;
        let mut header = self.inner.header.clone();
        header.pin = slots::make_pin_slot(new_pin, &params, &self.inner.data_key, protector)?;
        let replace_unlock = self.via == Via::UnlockCode || self.new_unlock.is_some();
        if replace_unlock {
            header.unlock = self.new_unlock.clone();
        }
        // The lockout is cleared before the write: the person has just proven an unlock code or
        // the recovery key. Cleared after, a crash in between would leave a new PIN on a still
        // locked token whose used unlock slot is already gone.
        let writer = self.inner.files.write_lock()?;
        let mut state = super::read_lockout(&writer, &self.inner.header)?;
        state.pin_failures = 0;
        writer.write_state(&state.encode())?;
        self.inner.write_locked(&writer, header, None)?;
        if replace_unlock {
            forget_unlock_failures(&writer, &self.inner.header)?;
        }
        self.new_unlock = None;
        Ok(())
    }
}

impl fmt::Debug for RecoveredVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveredVault")
            .field("via", &self.via)
            .field("opened_from", &self.inner.from)
            .field("payload_bytes", &self.inner.payload.len())
            .finish_non_exhaustive()
    }
}

/// [`RecoveredVault::set_pin`] failed; the vault is handed back so the person can try again.
pub struct SetPinError {
    /// What went wrong (a PIN rule, storage, the device key).
    pub error: VaultError,
    /// The still-recovered vault.
    pub vault: Box<RecoveredVault>,
}

impl fmt::Debug for SetPinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetPinError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for SetPinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for SetPinError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}
