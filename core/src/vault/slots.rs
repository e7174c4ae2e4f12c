//! The three ways to reach the data key, each a slot that wraps it under its own key:
//!
//! - PIN slot: KEK = Argon2id(PIN as UTF-8, salt); optionally sealed again by the device key.
//! - Recovery slot: KEK = HKDF-SHA256(160-bit random recovery key, salt).
//! - Unlock slot: KEK = Argon2id(unlock code digits, salt); the unlock code is
//!   [`derive_unlock_code`]`(identity secret, reset code)`, which the issuer computes too.
//!
//! In every slot the data key is sealed with XChaCha20-Poly1305 under the KEK, a random nonce,
//! and associated data binding the slot's kind, flags, KDF parameters, salt and reset code.
//! Only the PIN slot ever involves the device key, so a lost device key never locks a person
//! out of the recovery and unlock paths.

use std::fmt;
use std::fmt::Write as _;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::VaultError;
use super::cipher::{self, KEY_LEN, SecretKey, Unauthentic};
use super::format::{MAX_DEVICE_BLOB, RESET_CODE_DIGITS, Slot, SlotKdf, SlotKind, WRAPPED_KEY_LEN};
use super::kdf::{self, KdfParams, SALT_LEN};
use super::protector::KeyProtector;
use crate::random::make_random_bytes;
use crate::secret::SecretBytes;

/// Digits in an unlock code: 10 derived digits and a Luhn check digit.
pub const UNLOCK_CODE_DIGITS: usize = 11;
/// Random bytes in a recovery key (160 bits).
pub const RECOVERY_KEY_BYTES: usize = 20;
/// Base32 characters in a recovery key.
pub const RECOVERY_KEY_CHARS: usize = 32;
/// Domain separation for unlock codes; changing it changes every unlock code.
const UNLOCK_CODE_LABEL: &[u8] = b"tessera-unlock-v1";
const UNLOCK_VALUE_DIGITS: usize = UNLOCK_CODE_DIGITS - 1;
const RECOVERY_GROUP: usize = 4;

/// A recovery key as shown to the person once: 32 base32 characters in groups of four,
/// `ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567`. Wiped on drop; `Debug` hides it.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    /// The grouped form to show and have written down.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_bytes(bytes: &[u8; RECOVERY_KEY_BYTES]) -> Result<Self, VaultError> {
        let mut plain = Zeroizing::new([0u8; RECOVERY_KEY_CHARS]);
        if data_encoding::BASE32_NOPAD.encode_len(bytes.len()) != RECOVERY_KEY_CHARS {
            return Err(VaultError::Internal {
                reason: "recovery key length mismatch",
            });
        }
        data_encoding::BASE32_NOPAD.encode_mut(bytes, &mut plain[..]);
        let mut grouped = Zeroizing::new(String::with_capacity(
            RECOVERY_KEY_CHARS + RECOVERY_KEY_CHARS / RECOVERY_GROUP,
        ));
        for (i, &c) in plain.iter().enumerate() {
            if i > 0 && i % RECOVERY_GROUP == 0 {
                grouped.push('-');
            }
            grouped.push(char::from(c));
        }
        Ok(Self(grouped))
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

/// Reads a recovery key as people type it: any case; spaces, dashes, tabs and line breaks
/// anywhere are ignored.
pub(crate) fn parse_recovery_key(
    text: &str,
) -> Result<Zeroizing<[u8; RECOVERY_KEY_BYTES]>, VaultError> {
    let mut cleaned = Zeroizing::new([0u8; RECOVERY_KEY_CHARS]);
    let mut found = 0usize;
    for (index, c) in text.chars().enumerate() {
        match c {
            ' ' | '-' | '\t' | '\r' | '\n' => continue,
            'a'..='z' | 'A'..='Z' | '2'..='7' => {
                if let Some(slot) = cleaned.get_mut(found) {
                    *slot = c.to_ascii_uppercase() as u8;
                }
                found += 1;
            }
            _ => {
                return Err(VaultError::RecoveryKeyCharacter {
                    position: index + 1,
                });
            }
        }
    }
    if found != RECOVERY_KEY_CHARS {
        return Err(VaultError::RecoveryKeyLength {
            found,
            expected: RECOVERY_KEY_CHARS,
        });
    }
    let mut bytes = Zeroizing::new([0u8; RECOVERY_KEY_BYTES]);
    data_encoding::BASE32_NOPAD
        .decode_mut(&cleaned[..], &mut bytes[..])
        .map_err(|_| VaultError::RecoveryKeyLength {
            found,
            expected: RECOVERY_KEY_CHARS,
        })?;
    Ok(bytes)
}

/// The unlock code an issuer answers a PIN reset code with (and the token computes for
/// itself while it still holds the identity secret).
///
/// `HMAC-SHA256(key = identity secret, message = "tessera-unlock-v1" || reset code digits)`,
/// then RFC 4226-style dynamic truncation widened to 8 bytes: `offset = mac[31] & 0x0f`,
/// `value = (u64 big-endian of mac[offset..offset+8]) & 0x7fff_ffff_ffff_ffff`, 10 digits
/// `value mod 10^10` (zero-padded), followed by their Luhn check digit: 11 digits in all.
///
/// `reset_code` may contain spaces and dashes; otherwise it must be exactly 9 digits.
pub fn derive_unlock_code(
    identity_secret: &SecretBytes,
    reset_code: &str,
) -> Result<Zeroizing<String>, VaultError> {
    let reset_digits = normalise_reset_code(reset_code)?;
    if identity_secret.is_empty() {
        return Err(VaultError::EmptyIdentitySecret);
    }
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(identity_secret.as_bytes()).map_err(|_| {
            VaultError::Internal {
                reason: "HMAC refused a key",
            }
        })?;
    mac.update(UNLOCK_CODE_LABEL);
    mac.update(reset_digits.as_bytes());
    let digest = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
    let offset = usize::from(digest[31] & 0x0f);
    let mut window = [0u8; 8];
    window.copy_from_slice(&digest[offset..offset + 8]);
    let value = Zeroizing::new(
        (u64::from_be_bytes(window) & 0x7fff_ffff_ffff_ffff)
            % 10u64.pow(UNLOCK_VALUE_DIGITS as u32),
    );
    window.fill(0);
    let mut code = Zeroizing::new(String::with_capacity(UNLOCK_CODE_DIGITS));
    write!(code, "{:0width$}", *value, width = UNLOCK_VALUE_DIGITS).map_err(|_| {
        VaultError::Internal {
            reason: "formatting an unlock code failed",
        }
    })?;
    let check = luhn_check_digit(code.as_bytes());
    code.push(char::from(b'0' + check));
    Ok(code)
}

/// Reads an unlock code as typed: spaces and dashes ignored, then 11 digits whose last is the
/// Luhn check digit of the first ten. A wrong check digit is reported before any try is spent.
pub(crate) fn parse_unlock_code(text: &str) -> Result<Zeroizing<String>, VaultError> {
    let mut code = Zeroizing::new(String::with_capacity(UNLOCK_CODE_DIGITS));
    let mut found = 0usize;
    for (index, c) in text.chars().enumerate() {
        match c {
            ' ' | '-' | '\t' => continue,
            '0'..='9' => {
                if found < UNLOCK_CODE_DIGITS {
                    code.push(c);
                }
                found += 1;
            }
            _ => {
                return Err(VaultError::UnlockCodeCharacter {
                    position: index + 1,
                });
            }
        }
    }
    if found != UNLOCK_CODE_DIGITS {
        return Err(VaultError::UnlockCodeLength {
            found,
            expected: UNLOCK_CODE_DIGITS,
        });
    }
    let (value, check) = code.as_bytes().split_at(UNLOCK_VALUE_DIGITS);
    if luhn_check_digit(value) != check[0] - b'0' {
        return Err(VaultError::UnlockCodeTypo);
    }
    Ok(code)
}

/// The Luhn check digit for ASCII digits: from the right, double every other digit starting
/// with the rightmost, sum the digits of the results, and take what brings the sum to a
/// multiple of ten.
fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn normalise_reset_code(text: &str) -> Result<String, VaultError> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() != RESET_CODE_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VaultError::ResetCodeFormat);
    }
    Ok(digits)
}

/// Nine uniformly random decimal digits (rejection sampling: no digit is likelier).
pub(crate) fn make_reset_code() -> Result<String, VaultError> {
    const RANGE: u32 = 1_000_000_000;
    const LIMIT: u32 = RANGE * 4; // largest multiple of 10^9 that fits in u32
    loop {
        let draw = u32::from_le_bytes(make_random_bytes::<4>()?);
        if draw < LIMIT {
            return Ok(format!("{:09}", draw % RANGE));
        }
    }
}

fn wrap_into(slot: &mut Slot, kek: &SecretKey, data_key: &SecretKey) -> Result<(), VaultError> {
    slot.nonce = cipher::make_nonce()?;
    slot.wrapped = cipher::seal(kek, &slot.nonce, &slot.aad(), &data_key[..])?;
    Ok(())
}

fn unwrap_with(slot: &Slot, kek: &SecretKey, sealed: &[u8]) -> Result<SecretKey, Unauthentic> {
    if sealed.len() != WRAPPED_KEY_LEN {
        return Err(Unauthentic);
    }
    let plain = cipher::open(kek, &slot.nonce, &slot.aad(), sealed)?;
    let mut key = SecretKey::new([0u8; KEY_LEN]);
    key.copy_from_slice(&plain);
    Ok(key)
}

fn empty_slot(kind: SlotKind, kdf: SlotKdf) -> Result<Slot, VaultError> {
    Ok(Slot {
        kind,
        device_key: false,
        kdf,
        salt: make_random_bytes::<SALT_LEN>()?,
        reset_code: None,
        nonce: [0; cipher::NONCE_LEN],
        wrapped: Vec::new(),
    })
}

/// A new PIN slot. With a protector, the wrapped key is sealed again by the device key.
pub(crate) fn make_pin_slot(
    pin: &str,
    params: &KdfParams,
    data_key: &SecretKey,
    protector: Option<&dyn KeyProtector>,
) -> Result<Slot, VaultError> {
    let mut slot = empty_slot(SlotKind::Pin, SlotKdf::Argon2id(*params))?;
    slot.device_key = protector.is_some();
    let kek = kdf::derive_argon2id_kek(pin.as_bytes(), &slot.salt, params)?;
    wrap_into(&mut slot, &kek, data_key)?;
    if let Some(protector) = protector {
        let blob = protector.wrap(&slot.wrapped)?;
        if blob.is_empty() || blob.len() > MAX_DEVICE_BLOB {
            return Err(VaultError::KeyUnavailable {
                reason: format!(
                    "the device key returned {} bytes, expected 1 to {MAX_DEVICE_BLOB}",
                    blob.len()
                ),
            });
        }
        slot.wrapped = blob;
    }
    Ok(slot)
}

/// The PIN slot's inner wrapped key: removes the device-key layer when there is one. Runs
/// before any PIN is checked, so a missing device key never costs a PIN try.
pub(crate) fn pin_slot_inner(
    slot: &Slot,
    protector: Option<&dyn KeyProtector>,
) -> Result<Vec<u8>, VaultError> {
    if !slot.device_key {
        return Ok(slot.wrapped.clone());
    }
    let protector = protector.ok_or_else(|| VaultError::KeyUnavailable {
        reason: "this vault is sealed with a device key, and none was supplied".to_string(),
    })?;
    let inner = protector.unwrap(&slot.wrapped)?;
    if inner.len() != WRAPPED_KEY_LEN {
        return Err(VaultError::KeyUnavailable {
            reason: "the device key returned data of the wrong size".to_string(),
        });
    }
    Ok(inner)
}

/// Opens the PIN slot given its inner wrapped key. `Unauthentic` means a wrong PIN.
pub(crate) fn open_pin_slot(
    slot: &Slot,
    pin: &str,
    inner: &[u8],
) -> Result<Result<SecretKey, Unauthentic>, VaultError> {
    let kek = kdf::derive_argon2id_kek(pin.as_bytes(), &slot.salt, &slot.argon2_params()?)?;
    Ok(unwrap_with(slot, &kek, inner))
}

/// A new unlock slot for an identity; returns it with its reset code.
pub(crate) fn make_unlock_slot(
    identity_secret: &SecretBytes,
    params: &KdfParams,
    data_key: &SecretKey,
) -> Result<(Slot, String), VaultError> {
    let reset_code = make_reset_code()?;
    let unlock_code = derive_unlock_code(identity_secret, &reset_code)?;
    let mut slot = empty_slot(SlotKind::Unlock, SlotKdf::Argon2id(*params))?;
    slot.reset_code = Some(reset_code.clone());
    let kek = kdf::derive_argon2id_kek(unlock_code.as_bytes(), &slot.salt, params)?;
    drop(unlock_code);
    wrap_into(&mut slot, &kek, data_key)?;
    Ok((slot, reset_code))
}

/// Opens the unlock slot with a parsed unlock code. `Unauthentic` means a wrong code.
pub(crate) fn open_unlock_slot(
    slot: &Slot,
    unlock_code: &str,
) -> Result<Result<SecretKey, Unauthentic>, VaultError> {
    let kek = kdf::derive_argon2id_kek(unlock_code.as_bytes(), &slot.salt, &slot.argon2_params()?)?;
    Ok(unwrap_with(slot, &kek, &slot.wrapped))
}

/// A new recovery slot; returns it with the key to show once.
pub(crate) fn make_recovery_slot(data_key: &SecretKey) -> Result<(Slot, RecoveryKey), VaultError> {
    let key_bytes = Zeroizing::new(make_random_bytes::<RECOVERY_KEY_BYTES>()?);
    let mut slot = empty_slot(SlotKind::Recovery, SlotKdf::HkdfSha256)?;
    let kek = kdf::derive_recovery_kek(&key_bytes[..], &slot.salt)?;
    wrap_into(&mut slot, &kek, data_key)?;
    Ok((slot, RecoveryKey::from_bytes(&key_bytes)?))
}

/// Opens the recovery slot with parsed key bytes. `Unauthentic` means a wrong key.
pub(crate) fn open_recovery_slot(
    slot: &Slot,
    key_bytes: &[u8; RECOVERY_KEY_BYTES],
) -> Result<Result<SecretKey, Unauthentic>, VaultError> {
    let kek = kdf::derive_recovery_kek(key_bytes, &slot.salt)?;
    Ok(unwrap_with(slot, &kek, &slot.wrapped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_matches_known_numbers() {
        // The classic example from ISO/IEC 7812-1 annex B: 7992739871 has check digit 3.
        assert_eq!(luhn_check_digit(b"7992739871"), 3);
        assert_eq!(luhn_check_digit(b"0000000000"), 0);
        // A single-digit change anywhere always changes the check digit.
        let base = *b"1234567890";
        for i in 0..base.len() {
            for d in b'0'..=b'9' {
                if d == base[i] {
                    continue;
                }
                let mut changed = base;
                changed[i] = d;
                assert_ne!(
                    luhn_check_digit(&changed),
                    luhn_check_digit(&base),
                    "position {i} digit {d}"
                );
            }
        }
    }

    #[test]
    fn unlock_code_is_fixed_for_a_secret_and_reset_code() {
        let secret = SecretBytes::new(b"12345678901234567890".to_vec());
        let code = derive_unlock_code(&secret, "123456789").unwrap();
        assert_eq!(code.len(), UNLOCK_CODE_DIGITS);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        // Pinned so a change of construction cannot go unnoticed (issuers compute the same).
        assert_eq!(code.as_str(), UNLOCK_CODE_VECTOR);
        assert_eq!(
            derive_unlock_code(&secret, "123 456-789").unwrap().as_str(),
            code.as_str()
        );
        assert_ne!(
            derive_unlock_code(&secret, "123456780").unwrap().as_str(),
            code.as_str()
        );
        let other = SecretBytes::new(b"12345678901234567891".to_vec());
        assert_ne!(
            derive_unlock_code(&other, "123456789").unwrap().as_str(),
            code.as_str()
        );
        assert!(matches!(
            derive_unlock_code(&secret, "12345678"),
            Err(VaultError::ResetCodeFormat)
        ));
        assert!(matches!(
            derive_unlock_code(&secret, "12345678a"),
            Err(VaultError::ResetCodeFormat)
        ));
        assert!(matches!(
            derive_unlock_code(&SecretBytes::new(Vec::new()), "123456789"),
            Err(VaultError::EmptyIdentitySecret)
        ));
    }

    /// derive_unlock_code("12345678901234567890" as ASCII bytes, "123456789"), computed
    /// from the documented construction with Python's hmac module (see docs/vault-format.md).
    const UNLOCK_CODE_VECTOR: &str = "95008797094";

    #[test]
    fn typed_unlock_codes_are_read_leniently_and_typos_caught() {
        let secret = SecretBytes::new(vec![9; 20]);
        let code = derive_unlock_code(&secret, "000000001").unwrap();
        let spaced = format!("{} {}-{}", &code[..4], &code[4..8], &code[8..]);
        assert_eq!(parse_unlock_code(&spaced).unwrap().as_str(), code.as_str());
        let mut typo = code.as_bytes().to_vec();
        typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
        assert!(matches!(
            parse_unlock_code(std::str::from_utf8(&typo).unwrap()),
            Err(VaultError::UnlockCodeTypo)
        ));
        assert!(matches!(
            parse_unlock_code("1234"),
            Err(VaultError::UnlockCodeLength {
                found: 4,
                expected: 11
            })
        ));
        assert!(matches!(
            parse_unlock_code(&"1".repeat(40)),
            Err(VaultError::UnlockCodeLength {
                found: 40,
                expected: 11
            })
        ));
        assert!(matches!(
            parse_unlock_code("12x"),
            Err(VaultError::UnlockCodeCharacter { position: 3 })
        ));
    }

    #[test]
    fn reset_codes_are_nine_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| make_reset_code().unwrap()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 9 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 45);
    }

    #[test]
    fn recovery_keys_are_grouped_and_read_back_leniently() {
        let bytes = [0x5Au8; RECOVERY_KEY_BYTES];
        let key = RecoveryKey::from_bytes(&bytes).unwrap();
        let shown = key.as_str();
        assert_eq!(shown.len(), 39);
        assert_eq!(shown.split('-').count(), 8);
        assert!(shown.split('-').all(|g| g.len() == 4));
        assert_eq!(*parse_recovery_key(shown).unwrap(), bytes);
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(*parse_recovery_key(&typed).unwrap(), bytes);
        assert_eq!(*parse_recovery_key(&shown.replace('-', "")).unwrap(), bytes);
        assert!(matches!(
            parse_recovery_key(&shown[..30]),
            Err(VaultError::RecoveryKeyLength { expected: 32, .. })
        ));
        assert!(matches!(
            parse_recovery_key("ABCD-EFG0"),
            Err(VaultError::RecoveryKeyCharacter { position: 9 })
        ));
        assert_eq!(format!("{key:?}"), "RecoveryKey(<redacted>)");
    }
}
