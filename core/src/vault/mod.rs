//! The vault: one encrypted file per token that stores whatever bytes the session hands it
//! (identities and settings, serialized), and knows nothing about what they mean.
//!
//! What it promises:
//! - The payload is sealed with XChaCha20-Poly1305 under a random 256-bit data key; the header
//!   (magic, version, KDF parameters, salts, slots, nonce) is its associated data, byte for byte
//!   as stored. Each save uses a new random nonce. The format is in docs/vault-format.md.
//! - The data key is reachable through slots: the PIN (Argon2id), a recovery key shown once,
//!   and an unlock code the issuer computes from the PIN reset code. The PIN and unlock slots
//!   are sealed again by a device key through [`KeyProtector`] when there is one; the recovery
//!   slot never is, so it opens the vault on a new device.
//! - Every slot is an X25519 recipient whose public key is sealed under the data key, so a save
//!   can seal a new data key to every slot without their secrets. Whenever a way in is revoked
//!   (a PIN change, a replaced or removed recovery key, a new PIN after an unlock code or the
//!   recovery key, an unlock slot removed or replaced) the data key is rotated and both
//!   generations on disk are replaced: no file left opens with the revoked secret.
//! - Lockout: after `max_pin_attempts` wrong PINs in a row (5 unless set) no PIN is checked;
//!   the token shows its reset code and opens only with an unlock code or the recovery key,
//!   after which a new PIN must be set ([`RecoveredVault::set_pin`]) before anything is saved.
//!   Each failure is on disk *before* the guess is checked.
//! - Writes are crash safe and keep the previous generation; a damaged current file is
//!   answered with the previous one and an [`OpenedFrom::Previous`] notice.
//! - Version-1 files are read and upgraded by the first save.
//! - Secrets (data key, KEKs, PINs while derived, payload plaintext) live in zeroizing buffers;
//!   no message or `Debug` output shows one.
//!
//! - Several processes (or threads) may use one folder at once. Each operation that reads,
//!   checks and writes (counting a PIN or unlock-code try, checking it, resetting the count;
//!   creating; every save) holds the folder's exclusive lock from its first read to its last
//!   write, so no try goes uncounted and no two writes interleave; reads that must see a settled
//!   folder hold it shared. The lock is never held while waiting for a person: an open vault
//!   holds no lock between calls. Instead, a save first checks under the lock that `vault.bin`
//!   is still the file this handle read or last wrote; if another process saved meanwhile, it
//!   refuses ([`VaultError::ChangedElsewhere`]) rather than undo that save.
//!
//! [`VaultStore`] is the entry point.

mod error;
mod format;
mod lockout;
mod pin_rules;
mod protector;
mod recipient;
mod slots;
mod store;
mod unlocked;

use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroizing;

/// The Argon2id parameters of [`VaultOptions::kdf`]; the same type backups and the issuer use.
pub use crate::crypto::KdfParams;
pub use error::{PinRuleError, VaultError};
pub use format::MAX_PAYLOAD_BYTES;
pub use lockout::{DEFAULT_MAX_PIN_ATTEMPTS, MAX_UNLOCK_CODE_ATTEMPTS};
pub use pin_rules::{
    MAX_PIN_CHARS, MIN_PASSPHRASE_CHARS, MIN_PIN_DIGITS, check_pin_rules, pins_match,
    weak_without_device_key,
};
pub use protector::{KeyProtector, KeyProtectorError, SoftwareProtector};
pub use slots::{RECOVERY_KEY_CHARS, RecoveryKey, UNLOCK_CODE_DIGITS, derive_unlock_code};
pub use unlocked::{OpenVault, RecoveredVault, SetPinError};

use crate::crypto::cipher::{self, SecretKey};
use format::{Header, PIN_ATTEMPTS_RANGE, Slot, SlotKind, VaultFile};
use lockout::LockoutState;
use slots::Opened;
use store::{FaultPoint, Files, Seen, Writer};
use unlocked::{Keying, Recipients, Unlocked, Via};

/// Decodes a vault file's framing, header and slots without any key, as opening does before
/// a PIN is tried. For the fuzz target (fuzz/fuzz_targets/vault_file.rs); not a stable API.
#[doc(hidden)]
pub fn check_file_format(bytes: &[u8]) -> Result<(), VaultError> {
    format::decode_file(bytes.to_vec()).map(|_| ())
}

/// Choices made when a vault is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaultOptions {
    /// Argon2id cost for the PIN slot (and for unlock slots added later).
    pub kdf: KdfParams,
    /// Wrong PINs in a row that lock the token, 1 to 100.
    pub max_pin_attempts: u32,
}

impl Default for VaultOptions {
    fn default() -> Self {
        Self {
            kdf: KdfParams::RECOMMENDED,
            max_pin_attempts: DEFAULT_MAX_PIN_ATTEMPTS,
        }
    }
}

/// What the token should show before anything is unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultStatus {
    /// No vault in the folder: offer to set one up.
    NoVault,
    /// Ask for the PIN.
    Ready {
        /// Wrong PINs still allowed before the token locks.
        attempts_left: u32,
    },
    /// Too many wrong PINs: show the unlock screen; no PIN is accepted.
    Locked {
        /// The PIN reset code to read to the help desk, when unlock codes can still open the
        /// token (there is an unlock slot and it has tries left).
        reset_code: Option<String>,
        /// Wrong unlock codes still allowed (0 when there is no unlock slot).
        unlock_attempts_left: u32,
        /// Whether the recovery key can open the token.
        recovery_key: bool,
    },
}

/// Which generation of the vault file was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenedFrom {
    /// The current file, as expected.
    Current,
    /// The previous generation, because the current file could not be used. Changes made in
    /// the last save before the problem may be missing; tell the person.
    Previous {
        /// Why the current file was not used.
        reason: FallbackReason,
    },
}

/// Why the previous generation was opened instead of the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackReason {
    /// The current file was absent (a save was interrupted between its two renames).
    CurrentMissing,
    /// The current file is truncated or has damaged bytes.
    CurrentDamaged,
    /// The current file is well formed, but its payload failed authentication.
    CurrentTampered,
}

impl OpenedFrom {
    /// A sentence to show when the previous generation was opened, `None` otherwise.
    pub fn notice(&self) -> Option<&'static str> {
        match self {
            OpenedFrom::Current => None,
            OpenedFrom::Previous {
                reason: FallbackReason::CurrentMissing,
            } => Some(
                "the last save did not finish, so the previous copy of your data was opened; the most recent change may be missing",
            ),
            OpenedFrom::Previous { .. } => Some(
                "the vault file was damaged, so the previous copy of your data was opened; the most recent change may be missing",
            ),
        }
    }
}

/// A vault folder. Cheap to make; touches no file until asked.
#[derive(Debug, Clone)]
pub struct VaultStore {
    files: Files,
}

/// A decoded generation and where it came from.
struct Loaded {
    file: VaultFile,
    from: OpenedFrom,
    /// What `vault.bin` held.
    seen: Seen,
}

impl VaultStore {
    /// The vault in `dir` (created on [`create`](Self::create) if absent).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            files: Files::new(dir.into()),
        }
    }

    /// What to show before unlocking. Reads files; never derives a key or counts a try.
    pub fn status(&self) -> Result<VaultStatus, VaultError> {
        let _lock = match self.files.read_lock() {
            Ok(lock) => lock,
            Err(VaultError::NoVault) => return Ok(VaultStatus::NoVault),
            Err(e) => return Err(e),
        };
        let loaded = match self.load() {
            Ok(loaded) => loaded,
            Err(VaultError::NoVault) => return Ok(VaultStatus::NoVault),
            Err(e) => return Err(e),
        };
        let header = &loaded.file.header;
        let state = self.read_state(header)?;
        let max = u32::from(header.max_pin_attempts);
        if state.pin_failures < max {
            return Ok(VaultStatus::Ready {
                attempts_left: state.pin_attempts_left(max),
            });
        }
        let unlock_attempts_left = if header.unlock.is_some() {
            state.unlock_attempts_left()
        } else {
            0
        };
        Ok(VaultStatus::Locked {
            reset_code: usable_reset_code(header, &state),
            unlock_attempts_left,
            recovery_key: header.recovery.is_some(),
        })
    }

    /// Creates a vault protected by `pin` and returns it open. Refuses to replace an existing
    /// vault. With a `protector`, the PIN slot is also sealed by the device key.
    pub fn create(
        &self,
        pin: &str,
        options: &VaultOptions,
        protector: Option<Arc<dyn KeyProtector>>,
        payload: &[u8],
    ) -> Result<OpenVault, VaultError> {
        check_pin_rules(pin)?;
        let max_pin_attempts = check_attempts(options.max_pin_attempts)?;
        check_payload_len(payload.len())?;
        self.files.ensure_dir()?;
        let writer = self.files.write_lock()?;
        if writer.vault_exists()? {
            return Err(VaultError::AlreadyExists);
        }
        let data_key = cipher::make_key()?;
        let (pin_slot, pin_recipient) = slots::pin_template(pin, &options.kdf)?;
        let header = Header {
            max_pin_attempts,
            payload_nonce: [0; cipher::NONCE_LEN],
            pin: pin_slot,
            recovery: None,
            unlock: None,
        };
        let recipients = Recipients {
            pin: Some(pin_recipient),
            ..Recipients::default()
        };
        // The counters first: a crash before the vault is written leaves no vault, and a vault
        // never exists without its counters.
        writer.write_state(&LockoutState::default().encode())?;
        let mut unlocked = Unlocked::new(
            self.files.clone(),
            header.clone(),
            recipients.clone(),
            data_key,
            Zeroizing::new(Vec::new()),
            OpenedFrom::Current,
            Seen::of(None),
        );
        unlocked.current_is_good = false;
        unlocked.write_locked(
            &writer,
            header,
            recipients,
            Some(Zeroizing::new(payload.to_vec())),
            Keying::Keep,
            protector.as_deref(),
        )?;
        Ok(OpenVault::new(unlocked, protector))
    }

    /// Opens the vault with the PIN. Refuses without checking when the token is locked. A wrong
    /// PIN is counted on disk before it is checked; a right one resets the count. The folder's
    /// lock is held throughout, so parallel callers are counted one after the other.
    ///
    /// `protector` must be the device key the vault was created with, if it was; it is kept
    /// and used again when the PIN changes.
    pub fn open_with_pin(
        &self,
        pin: &str,
        protector: Option<Arc<dyn KeyProtector>>,
    ) -> Result<OpenVault, VaultError> {
        let writer = self.lock_existing()?;
        let loaded = self.load()?;
        let header = &loaded.file.header;
        let max = u32::from(header.max_pin_attempts);
        let mut state = self.read_state(header)?;
        if state.pin_failures >= max {
            return Err(VaultError::Locked {
                reset_code: usable_reset_code(header, &state),
            });
        }
        // The device key first: its absence must not cost a PIN try.
        let inner = slots::slot_inner(&header.pin, protector.as_deref())?;
        state.pin_failures = state.pin_failures.saturating_add(1);
        writer.write_state(&state.encode())?;
        store::fault(FaultPoint::AfterCountingAttempt)?;
        let opened = match slots::open_pin_slot(&header.pin, pin, &inner)? {
            Ok(opened) => opened,
            Err(_) if state.pin_failures >= max => {
                return Err(VaultError::Locked {
                    reset_code: usable_reset_code(header, &state),
                });
            }
            Err(_) => {
                return Err(VaultError::WrongPin {
                    attempts_left: state.pin_attempts_left(max),
                });
            }
        };
        state.pin_failures = 0;
        writer.write_state(&state.encode())?;
        let reopen = |previous: &VaultFile| -> Result<Opened, VaultError> {
            let inner = slots::slot_inner(&previous.header.pin, protector.as_deref())?;
            slots::open_pin_slot(&previous.header.pin, pin, &inner)?
                .map_err(|_| VaultError::Tampered)
        };
        let unlocked = self.finish_open(loaded, opened, SlotKind::Pin, reopen)?;
        Ok(OpenVault::new(unlocked, protector))
    }

    /// Opens a locked (or unlocked) token with the unlock code the issuer gave for its reset
    /// code. Format and check-digit mistakes are reported before any try is spent; each wrong
    /// code counts, and after [`MAX_UNLOCK_CODE_ATTEMPTS`] codes are refused. The result must
    /// get a new PIN ([`RecoveredVault::set_pin`]); the used unlock slot is then replaced or
    /// removed.
    ///
    /// `protector` must be the device key the unlock slot was sealed with, if it was: like the
    /// PIN, an unlock code opens a device-bound vault only on its device (the recovery key is
    /// the way in elsewhere). Its absence is reported before a try is counted.
    pub fn open_with_unlock_code(
        &self,
        unlock_code: &str,
        protector: Option<Arc<dyn KeyProtector>>,
    ) -> Result<RecoveredVault, VaultError> {
        let code = slots::parse_unlock_code(unlock_code)?;
        let writer = self.lock_existing()?;
        let loaded = self.load()?;
        let header = &loaded.file.header;
        let slot = header.unlock.as_ref().ok_or(VaultError::NoUnlockSlot)?;
        let mut state = self.read_state(header)?;
        if state.unlock_failures >= MAX_UNLOCK_CODE_ATTEMPTS {
            return Err(VaultError::UnlockCodesExhausted);
        }
        let inner = slots::slot_inner(slot, protector.as_deref())?;
        state.unlock_failures = state.unlock_failures.saturating_add(1);
        writer.write_state(&state.encode())?;
        store::fault(FaultPoint::AfterCountingAttempt)?;
        let opened = match slots::open_unlock_slot(slot, &code, &inner)? {
            Ok(opened) => opened,
            Err(_) if state.unlock_failures >= MAX_UNLOCK_CODE_ATTEMPTS => {
                return Err(VaultError::UnlockCodesExhausted);
            }
            Err(_) => {
                return Err(VaultError::WrongUnlockCode {
                    attempts_left: state.unlock_attempts_left(),
                });
            }
        };
        state.unlock_failures = 0;
        writer.write_state(&state.encode())?;
        let reopen = |previous: &VaultFile| -> Result<Opened, VaultError> {
            let slot = previous
                .header
                .unlock
                .as_ref()
                .ok_or(VaultError::Tampered)?;
            let inner = slots::slot_inner(slot, protector.as_deref())?;
            slots::open_unlock_slot(slot, &code, &inner)?.map_err(|_| VaultError::Tampered)
        };
        let unlocked = self.finish_open(loaded, opened, SlotKind::Unlock, reopen)?;
        Ok(RecoveredVault::new(unlocked, Via::UnlockCode))
    }

    /// Opens the token with its recovery key, locked or not (for a forgotten PIN or a lost
    /// device key). Typed leniently: any case, spaces and dashes ignored. Not counted: the key
    /// has 160 random bits. The result must get a new PIN ([`RecoveredVault::set_pin`]).
    pub fn open_with_recovery_key(&self, recovery_key: &str) -> Result<RecoveredVault, VaultError> {
        let key_bytes = slots::parse_recovery_key(recovery_key)?;
        let _lock = self.files.read_lock()?;
        let loaded = self.load()?;
        let slot = loaded
            .file
            .header
            .recovery
            .as_ref()
            .ok_or(VaultError::NoRecoveryKey)?;
        let opened = slots::open_recovery_slot(slot, &key_bytes)?
            .map_err(|_| VaultError::WrongRecoveryKey)?;
        let reopen = |previous: &VaultFile| -> Result<Opened, VaultError> {
            let slot = previous
                .header
                .recovery
                .as_ref()
                .ok_or(VaultError::Tampered)?;
            slots::open_recovery_slot(slot, &key_bytes)?.map_err(|_| VaultError::Tampered)
        };
        let unlocked = self.finish_open(loaded, opened, SlotKind::Recovery, reopen)?;
        Ok(RecoveredVault::new(unlocked, Via::RecoveryKey))
    }

    /// The folder's exclusive lock, for opening an existing vault ([`VaultError::NoVault`], and
    /// no lock file made, when there is none).
    fn lock_existing(&self) -> Result<Writer, VaultError> {
        if !self.files.vault_exists()? {
            return Err(VaultError::NoVault);
        }
        self.files.write_lock()
    }

    /// The current generation if it decodes, else the previous one with the reason.
    fn load(&self) -> Result<Loaded, VaultError> {
        let current = self.files.read_current()?;
        let seen = Seen::of(current.as_deref());
        let current_error = match current {
            Some(bytes) => match format::decode_file(bytes) {
                Ok(file) => {
                    return Ok(Loaded {
                        file,
                        from: OpenedFrom::Current,
                        seen,
                    });
                }
                Err(e) => Some(e),
            },
            None => None,
        };
        let previous = self.files.read_previous()?.map(format::decode_file);
        match (current_error, previous) {
            (None, None) => Err(VaultError::NoVault),
            (None, Some(Ok(file))) => Ok(Loaded {
                file,
                from: OpenedFrom::Previous {
                    reason: FallbackReason::CurrentMissing,
                },
                seen,
            }),
            (Some(_), Some(Ok(file))) => Ok(Loaded {
                file,
                from: OpenedFrom::Previous {
                    reason: FallbackReason::CurrentDamaged,
                },
                seen,
            }),
            (None, Some(Err(e))) | (Some(e), _) => Err(e),
        }
    }

    /// Decrypts the payload with the data key; when the current file fails authentication,
    /// opens the previous generation instead (first with the same data key, then through its
    /// own slot via `reopen`, without counting a try: the secret was already proven right).
    /// `kind` is the slot the secret opened: its public key converts it if it is in the
    /// version-1 form.
    fn finish_open(
        &self,
        loaded: Loaded,
        opened: Opened,
        kind: SlotKind,
        reopen: impl FnOnce(&VaultFile) -> Result<Opened, VaultError>,
    ) -> Result<Unlocked, VaultError> {
        if let Ok(payload) = decrypt_payload(&loaded.file, &opened.data_key) {
            let header = loaded.file.header;
            let recipients =
                Recipients::of(&header, &opened.data_key, kind, Some(opened.recipient))?;
            return Ok(Unlocked::new(
                self.files.clone(),
                header,
                recipients,
                opened.data_key,
                payload,
                loaded.from,
                loaded.seen,
            ));
        }
        if loaded.from != OpenedFrom::Current {
            return Err(VaultError::Tampered);
        }
        let Some(Ok(previous)) = self.files.read_previous()?.map(format::decode_file) else {
            return Err(VaultError::Tampered);
        };
        let (opened, payload) = match decrypt_payload(&previous, &opened.data_key) {
            // The public key found is that of the current file's slot: it holds for the
            // previous file's slot only if that slot is the same one.
            Ok(payload) => {
                let same_slot =
                    slot_of(&previous.header, kind) == slot_of(&loaded.file.header, kind);
                let known = same_slot.then_some(opened.recipient);
                ((opened.data_key, known), payload)
            }
            Err(_) => {
                let opened = reopen(&previous)?;
                let payload = decrypt_payload(&previous, &opened.data_key)?;
                ((opened.data_key, Some(opened.recipient)), payload)
            }
        };
        let (data_key, known) = opened;
        let recipients = Recipients::of(&previous.header, &data_key, kind, known)?;
        let from = OpenedFrom::Previous {
            reason: FallbackReason::CurrentTampered,
        };
        Ok(Unlocked::new(
            self.files.clone(),
            previous.header,
            recipients,
            data_key,
            payload,
            from,
            loaded.seen,
        ))
    }

    fn read_state(&self, header: &Header) -> Result<LockoutState, VaultError> {
        read_lockout(&self.files, header)
    }
}

/// The lockout record; missing or damaged reads as one try left.
pub(crate) fn read_lockout(files: &Files, header: &Header) -> Result<LockoutState, VaultError> {
    let damaged = LockoutState::after_damage(u32::from(header.max_pin_attempts));
    Ok(files
        .read_state()?
        .and_then(|bytes| LockoutState::decode(&bytes))
        .unwrap_or(damaged))
}

fn decrypt_payload(
    file: &VaultFile,
    data_key: &SecretKey,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    cipher::open(
        data_key,
        &file.header.payload_nonce,
        file.header_bytes(),
        file.sealed_payload(),
    )
    .map_err(|_| VaultError::Tampered)
}

fn slot_of(header: &Header, kind: SlotKind) -> Option<&Slot> {
    match kind {
        SlotKind::Pin => Some(&header.pin),
        SlotKind::Recovery => header.recovery.as_ref(),
        SlotKind::Unlock => header.unlock.as_ref(),
    }
}

fn usable_reset_code(header: &Header, state: &LockoutState) -> Option<String> {
    header
        .unlock
        .as_ref()
        .filter(|_| state.unlock_failures < MAX_UNLOCK_CODE_ATTEMPTS)
        .and_then(|slot| slot.reset_code.clone())
}

pub(crate) fn check_attempts(value: u32) -> Result<u8, VaultError> {
    let (min, max) = PIN_ATTEMPTS_RANGE;
    if !(min..=max).contains(&value) {
        return Err(VaultError::AttemptsOutOfRange { value, min, max });
    }
    u8::try_from(value).map_err(|_| VaultError::AttemptsOutOfRange { value, min, max })
}

pub(crate) fn check_payload_len(bytes: usize) -> Result<(), VaultError> {
    if bytes > MAX_PAYLOAD_BYTES {
        return Err(VaultError::PayloadTooLarge {
            bytes,
            max: MAX_PAYLOAD_BYTES,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
