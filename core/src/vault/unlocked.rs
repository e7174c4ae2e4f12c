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

use super::format::{self, Header, Slot, SlotKind};
use super::protector::KeyProtector;
use super::recipient::Recipient;
use super::slots::{self, RecoveryKey};
use super::store::{Files, Seen, Writer};
use super::{OpenedFrom, VaultError, check_attempts, check_payload_len, check_pin_rules};
use crate::crypto::cipher::{self, SecretKey};
use crate::secret::SecretBytes;

/// A new unlock slot always has a reset code; this says so if that ever broke.
const NO_RESET_CODE: VaultError = VaultError::Internal {
    reason: "a new unlock slot has no reset code",
};

/// How a [`RecoveredVault`] was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    UnlockCode,
    RecoveryKey,
}

/// The public keys of the slots the next write can seal a data key to, by kind. A slot in the
/// version-1 form has one here only once its secret was used (it is then converted).
#[derive(Debug, Clone, Default)]
pub(crate) struct Recipients {
    pub pin: Option<Recipient>,
    pub recovery: Option<Recipient>,
    pub unlock: Option<Recipient>,
}

impl Recipients {
    /// The public keys of `header`'s X25519 slots (unsealed with `data_key`), and `known` for a
    /// version-1 slot of kind `opened_kind`, the one whose secret was just used.
    pub fn of(
        header: &Header,
        data_key: &SecretKey,
        opened_kind: SlotKind,
        known: Option<Recipient>,
    ) -> Result<Self, VaultError> {
        let find = |slot: Option<&Slot>| -> Result<Option<Recipient>, VaultError> {
            match slot {
                Some(slot) if slot.stanza.is_some() => {
                    slots::slot_recipient(slot, data_key).map(Some)
                }
                Some(slot) if slot.kind == opened_kind => Ok(known),
                _ => Ok(None),
            }
        };
        Ok(Self {
            pin: find(Some(&header.pin))?,
            recovery: find(header.recovery.as_ref())?,
            unlock: find(header.unlock.as_ref())?,
        })
    }
}

/// Whether a write keeps the data key or replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keying {
    /// The same data key: nothing was revoked.
    Keep,
    /// A fresh data key, the payload sealed again, every slot sealed to it, and no generation
    /// under the old key left in the folder: a way in was revoked.
    Rotate,
}

/// The state both handles share: the data key, the decoded header, the plaintext payload.
pub(crate) struct Unlocked {
    files: Files,
    pub header: Header,
    recipients: Recipients,
    data_key: SecretKey,
    payload: Zeroizing<Vec<u8>>,
    from: OpenedFrom,
    /// The current file is known good, so a save keeps it as the previous generation. False
    /// when it is damaged or absent: then `vault.prev` must not be overwritten with it.
    pub current_is_good: bool,
    /// A rotation dropped a recovery slot in the version-1 form (it cannot be sealed to a new
    /// data key without its secret): a new recovery key should be made.
    pub recovery_key_dropped: bool,
    /// What `vault.bin` held when this handle last read or wrote it.
    seen: Seen,
}

impl Unlocked {
    pub fn new(
        files: Files,
        header: Header,
        recipients: Recipients,
        data_key: SecretKey,
        payload: Zeroizing<Vec<u8>>,
        from: OpenedFrom,
        seen: Seen,
    ) -> Self {
        Self {
            files,
            header,
            recipients,
            data_key,
            payload,
            from,
            current_is_good: from == OpenedFrom::Current,
            recovery_key_dropped: false,
            seen,
        }
    }

    /// Writes `header` (whose slots are sealed, or templates whose public key is in
    /// `recipients`) with `payload` (or the current one) under a fresh nonce, crash safely, and
    /// only then adopts the new state. With [`Keying::Rotate`] the data key is new, every slot is
    /// sealed to it (slots in the version-1 form cannot be and are dropped), and both
    /// generations in the folder are replaced. Slots in the version-1 form whose public key is
    /// known are converted on any write. The write holds the folder's lock.
    pub fn write(
        &mut self,
        header: Header,
        recipients: Recipients,
        payload: Option<Zeroizing<Vec<u8>>>,
        keying: Keying,
        protector: Option<&dyn KeyProtector>,
    ) -> Result<(), VaultError> {
        let writer = self.files.write_lock()?;
        self.write_locked(&writer, header, recipients, payload, keying, protector)
    }

    /// [`write`](Self::write) for a caller that already holds the lock. Refuses
    /// ([`VaultError::ChangedElsewhere`]) when another process saved since this handle last read
    /// or wrote `vault.bin`.
    pub fn write_locked(
        &mut self,
        writer: &Writer,
        header: Header,
        recipients: Recipients,
        payload: Option<Zeroizing<Vec<u8>>>,
        keying: Keying,
        protector: Option<&dyn KeyProtector>,
    ) -> Result<(), VaultError> {
        writer.check_unchanged(self.seen)?;
        let data_key = match keying {
            Keying::Keep => self.data_key.clone(),
            Keying::Rotate => cipher::make_key()?,
        };
        let finish = |slot: &Slot, recipient: Option<&Recipient>| {
            finish_slot(slot, recipient, &data_key, keying, protector)
        };
        let pin = finish(&header.pin, recipients.pin.as_ref())?.ok_or(VaultError::Internal {
            reason: "the PIN slot is in the version-1 form and cannot be converted: unlock with the PIN again",
        })?;
        let recovery = match &header.recovery {
            Some(slot) => finish(slot, recipients.recovery.as_ref())?,
            None => None,
        };
        let unlock = match &header.unlock {
            Some(slot) => finish(slot, recipients.unlock.as_ref())?,
            None => None,
        };
        let recovery_key_dropped = header.recovery.is_some() && recovery.is_none();
        let header = Header {
            payload_nonce: cipher::make_nonce()?,
            pin,
            recovery,
            unlock,
            ..header
        };
        let header_bytes = header.encode();
        let plaintext: &[u8] = payload.as_deref().unwrap_or(&self.payload);
        let sealed = cipher::seal(&data_key, &header.payload_nonce, &header_bytes, plaintext)?;
        let file = format::assemble_file(&header_bytes, &sealed);
        match keying {
            Keying::Keep => writer.write_vault(&file, self.current_is_good)?,
            Keying::Rotate => writer.write_vault_rotated(&file)?,
        }
        self.seen = Seen::of(Some(&file));
        self.recipients = Recipients {
            pin: recipients.pin,
            recovery: recipients.recovery.filter(|_| header.recovery.is_some()),
            unlock: recipients.unlock.filter(|_| header.unlock.is_some()),
        };
        self.header = header;
        self.data_key = data_key;
        if let Some(payload) = payload {
            self.payload = payload;
        }
        self.current_is_good = true;
        self.recovery_key_dropped |= recovery_key_dropped;
        Ok(())
    }

    fn unlock_template(
        &self,
        identity_secret: &SecretBytes,
    ) -> Result<(Slot, Recipient, String), VaultError> {
        slots::unlock_template(identity_secret, &self.header.pin.argon2_params()?)
    }

    /// Whether replacing or removing the unlock slot revokes a way in (and so rotates the data
    /// key): true for any unlock slot except one in the version-1 form being replaced, which
    /// is the conversion of the same way in (same identity secret) to the new form.
    fn unlock_keying(&self, replacing: bool) -> Keying {
        match &self.header.unlock {
            Some(slot) if slot.stanza.is_none() && replacing => Keying::Keep,
            Some(_) => Keying::Rotate,
            None => Keying::Keep,
        }
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

/// The slot to write for `slot`: kept as it is when it is sealed to the data key being kept,
/// sealed (again) to `recipient` when it is new, converted, or the key rotates; a slot in the
/// version-1 form without a known public key is carried when the key is kept and dropped (`None`)
/// when it rotates.
fn finish_slot(
    slot: &Slot,
    recipient: Option<&Recipient>,
    data_key: &SecretKey,
    keying: Keying,
    protector: Option<&dyn KeyProtector>,
) -> Result<Option<Slot>, VaultError> {
    match (recipient, keying) {
        (_, Keying::Keep) if slot.stanza.is_some() => Ok(Some(slot.clone())),
        (Some(recipient), _) => {
            if keying == Keying::Keep && slot.device_key && protector.is_none() {
                return Err(VaultError::KeyUnavailable {
                    reason: "this vault is sealed with a device key, and none was supplied"
                        .to_string(),
                });
            }
            slots::seal_slot(slot, recipient, data_key, protector).map(Some)
        }
        (None, Keying::Keep) => Ok(Some(slot.clone())),
        (None, Keying::Rotate) => Ok(None),
    }
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
    /// replaces kept as the previous generation. The data key stays.
    pub fn save(&mut self, payload: &[u8]) -> Result<(), VaultError> {
        check_payload_len(payload.len())?;
        self.write(
            self.inner.header.clone(),
            self.inner.recipients.clone(),
            Some(Zeroizing::new(payload.to_vec())),
            Keying::Keep,
        )
    }

    /// Sets a new PIN (checked against [`check_pin_rules`]) with the vault's KDF parameters,
    /// sealed by the device key this vault was opened with, if any. The old PIN is revoked, so
    /// the data key is rotated. Asking for the old PIN first is the caller's decision.
    pub fn change_pin(&mut self, new_pin: &str) -> Result<(), VaultError> {
        check_pin_rules(new_pin)?;
        let params = self.inner.header.pin.argon2_params()?;
        let (template, recipient) = slots::pin_template(new_pin, &params)?;
        let mut header = self.inner.header.clone();
        header.pin = template;
        let mut recipients = self.inner.recipients.clone();
        recipients.pin = Some(recipient);
        self.write(header, recipients, None, Keying::Rotate)
    }

    /// Seals the PIN slot, and the unlock slot when there is one, by the device key this vault
    /// was opened with: the upgrade of a vault made before it had one. The way in by the PIN
    /// alone is revoked, so the data key is rotated and both generations on disk are replaced
    /// (the previous one would still open with the PIN alone). The recovery slot is never
    /// sealed by the device key.
    ///
    /// Returns whether it sealed anything: nothing without a device key, when the vault is
    /// already bound, or while a slot is in the version-1 form (a rotation would drop it; the
    /// session renews the unlock slot first, and a version-1 recovery slot keeps the vault as
    /// it is until a new recovery key is made). A failing device key leaves the disk untouched.
    pub fn bind_device_key(&mut self) -> Result<bool, VaultError> {
        let header = &self.inner.header;
        let version_1_slot = [header.recovery.as_ref(), header.unlock.as_ref()]
            .into_iter()
            .flatten()
            .any(|slot| slot.stanza.is_none());
        if self.protector.is_none() || self.is_device_bound() || version_1_slot {
            return Ok(false);
        }
        self.write(
            self.inner.header.clone(),
            self.inner.recipients.clone(),
            None,
            Keying::Rotate,
        )?;
        Ok(true)
    }

    /// Adds (or replaces) the unlock slot for an identity whose issuer computes unlock codes,
    /// sealed by the device key when this vault has one. Returns the new PIN reset code (9
    /// digits; shown on the lock screen, not secret). The unlock code is derived, used once to
    /// seal the data key, and forgotten. Replacing a slot revokes the old one: the data key is
    /// rotated.
    pub fn set_unlock_slot(&mut self, identity_secret: &SecretBytes) -> Result<String, VaultError> {
        self.write_unlock(None, Some(identity_secret))?
            .ok_or(NO_RESET_CODE)
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
        self.write_unlock(Some(payload), Some(identity_secret))?
            .ok_or(NO_RESET_CODE)
    }

    /// Saves `payload` and removes the unlock slot in one write (rotating the data key when
    /// there was one).
    pub fn save_without_unlock_slot(&mut self, payload: &[u8]) -> Result<(), VaultError> {
        check_payload_len(payload.len())?;
        self.write_unlock(Some(payload), None).map(drop)
    }

    /// Removes the unlock slot, if any, rotating the data key: its unlock codes are revoked.
    pub fn remove_unlock_slot(&mut self) -> Result<(), VaultError> {
        self.write_unlock(None, None).map(drop)
    }

    fn write_unlock(
        &mut self,
        payload: Option<&[u8]>,
        identity_secret: Option<&SecretBytes>,
    ) -> Result<Option<String>, VaultError> {
        let mut header = self.inner.header.clone();
        let mut recipients = self.inner.recipients.clone();
        let keying = self.inner.unlock_keying(identity_secret.is_some());
        let reset_code = match identity_secret {
            Some(secret) => {
                let (template, recipient, reset_code) = self.inner.unlock_template(secret)?;
                header.unlock = Some(template);
                recipients.unlock = Some(recipient);
                Some(reset_code)
            }
            None => {
                header.unlock = None;
                recipients.unlock = None;
                None
            }
        };
        let payload = payload.map(|bytes| Zeroizing::new(bytes.to_vec()));
        // The counter of wrong unlock codes belongs to the slot replaced or removed: reset under
        // the same lock as the write.
        let protector = self.protector.clone();
        let writer = self.inner.files.write_lock()?;
        self.inner.write_locked(
            &writer,
            header,
            recipients,
            payload,
            keying,
            protector.as_deref(),
        )?;
        forget_unlock_failures(&writer, &self.inner.header)?;
        Ok(reset_code)
    }

    /// Adds (or replaces) the recovery key and returns it: show it once, have it written
    /// down, and drop it. It is on disk before it is returned. Replacing a key revokes the old
    /// one: the data key is rotated.
    pub fn add_recovery_key(&mut self) -> Result<RecoveryKey, VaultError> {
        let (template, recipient, key) = slots::recovery_template()?;
        let keying = if self.inner.header.recovery.is_some() {
            Keying::Rotate
        } else {
            Keying::Keep
        };
        let mut header = self.inner.header.clone();
        header.recovery = Some(template);
        let mut recipients = self.inner.recipients.clone();
        recipients.recovery = Some(recipient);
        self.write(header, recipients, None, keying)?;
        self.inner.recovery_key_dropped = false;
        Ok(key)
    }

    /// Removes the recovery slot, if any, rotating the data key.
    pub fn remove_recovery_key(&mut self) -> Result<(), VaultError> {
        if self.inner.header.recovery.is_none() {
            return Ok(());
        }
        let mut header = self.inner.header.clone();
        header.recovery = None;
        let mut recipients = self.inner.recipients.clone();
        recipients.recovery = None;
        self.write(header, recipients, None, Keying::Rotate)
    }

    /// Changes how many wrong PINs in a row lock the token (1 to 100), e.g. from a policy.
    pub fn set_max_pin_attempts(&mut self, attempts: u32) -> Result<(), VaultError> {
        let mut header = self.inner.header.clone();
        header.max_pin_attempts = check_attempts(attempts)?;
        self.write(header, self.inner.recipients.clone(), None, Keying::Keep)
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

    /// Whether the unlock slot is still in the version-1 form (not sealed by the device key,
    /// and dropped by the next rotation): the session makes it again from the identity secret.
    pub fn unlock_slot_needs_renewal(&self) -> bool {
        self.inner
            .header
            .unlock
            .as_ref()
            .is_some_and(|slot| slot.stanza.is_none())
    }

    /// True once a rotation had to drop a recovery slot in the version-1 form (its key cannot
    /// be sealed to a new data key without the key itself), until a new recovery key is made.
    pub fn recovery_key_dropped(&self) -> bool {
        self.inner.recovery_key_dropped
    }

    fn write(
        &mut self,
        header: Header,
        recipients: Recipients,
        payload: Option<Zeroizing<Vec<u8>>>,
        keying: Keying,
    ) -> Result<(), VaultError> {
        let protector = self.protector.clone();
        self.inner
            .write(header, recipients, payload, keying, protector.as_deref())
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
    new_unlock: Option<(Slot, Recipient)>,
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

    /// Prepares a new unlock slot (new reset code) to be written by [`set_pin`](Self::set_pin),
    /// sealed by the device key `set_pin` is given. Returns the new reset code.
    pub fn set_unlock_slot(&mut self, identity_secret: &SecretBytes) -> Result<String, VaultError> {
        let (template, recipient, reset_code) = self.inner.unlock_template(identity_secret)?;
        self.new_unlock = Some((template, recipient));
        Ok(reset_code)
    }

    /// Sets the new PIN and writes the vault under a new data key (the forgotten PIN, and an
    /// unlock code that was used, are revoked): the PIN slot is replaced (sealed by `protector`
    /// when given, as is the unlock slot), the unlock slot is replaced by the one prepared with
    /// [`set_unlock_slot`](Self::set_unlock_slot) or, after an unlock code, removed; the
    /// recovery slot is sealed to the new key; the PIN lockout is cleared. On failure the
    /// recovered vault comes back in the error, so the person does not have to unlock again.
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
        let (template, recipient) = slots::pin_template(new_pin, &params)?;
        let mut header = self.inner.header.clone();
        header.pin = template;
        let mut recipients = self.inner.recipients.clone();
        recipients.pin = Some(recipient);
        let replace_unlock = self.via == Via::UnlockCode || self.new_unlock.is_some();
        if replace_unlock {
            let (slot, recipient) = self.new_unlock.clone().unzip();
            header.unlock = slot;
            recipients.unlock = recipient;
        }
        // The lockout is cleared before the write: the person has just proven an unlock code or
        // the recovery key. Cleared after, a crash in between would leave a new PIN on a still
        // locked token whose used unlock slot is already gone.
        let writer = self.inner.files.write_lock()?;
        let mut state = super::read_lockout(&writer, &self.inner.header)?;
        state.pin_failures = 0;
        writer.write_state(&state.encode())?;
        self.inner
            .write_locked(&writer, header, recipients, None, Keying::Rotate, protector)?;
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
