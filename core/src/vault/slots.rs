//! The three ways to reach the data key, each a slot that wraps it for its own secret:
//!
//! - PIN slot: secret = Argon2id(PIN as UTF-8, salt); sealed again by the device key if any.
//! - Recovery slot: secret = the 160-bit random recovery key.
//! - Unlock slot: secret = Argon2id(unlock code digits, salt), sealed again by the device key
//!   if any; the unlock code is [`derive_unlock_code`]`(identity secret, reset code)`, which the
//!   issuer computes too.
//!
//! Slots are written as X25519 recipients (see [`super::recipient`]): the secret derives a
//! private key, and the data key is sealed to its public key, so a new data key can be sealed
//! to every slot without any secret. Slots still in the version-1 form (KEK derived from the
//! secret directly: Argon2id output, or HKDF-SHA256 of the recovery key) are opened as before
//! and converted once their secret is known.
//!
//! In every slot the data key is sealed with XChaCha20-Poly1305 under the KEK, a random nonce,
//! and associated data binding the slot's kind, flags, KDF parameters, salt and reset code.
//! The recovery slot never involves the device key, so a lost device key never locks a person
//! out for good.

use std::fmt;
use std::fmt::Write as _;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::VaultError;
use super::format::{
    MAX_DEVICE_BLOB, RESET_CODE_DIGITS, SEALED_RECIPIENT_LEN, Slot, SlotKdf, SlotKind, Stanza,
    WRAPPED_KEY_LEN,
};
use super::protector::KeyProtector;
use super::recipient::{self, Identity, Recipient};
use crate::crypto::KdfParams;
use crate::crypto::cipher::{self, KEY_LEN, SecretKey, Unauthentic};
use crate::crypto::kdf::{self, SALT_LEN};
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
/// HKDF `info` for a version-1 recovery slot's key-encryption key.
const RECOVERY_HKDF_INFO: &[u8] = b"tessera vault recovery slot v1";

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

fn wrap_with(
    slot: &Slot,
    kek: &SecretKey,
    data_key: &SecretKey,
) -> Result<([u8; cipher::NONCE_LEN], Vec<u8>), VaultError> {
    let nonce = cipher::make_nonce()?;
    let inner = cipher::seal(kek, &nonce, &slot.aad(), &data_key[..])?;
    Ok((nonce, inner))
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

/// A slot with its descriptor filled in and nothing sealed yet: [`seal_slot`] completes it.
fn template(kind: SlotKind, kdf: SlotKdf) -> Result<Slot, VaultError> {
    Ok(Slot {
        kind,
        device_key: false,
        kdf,
        salt: make_random_bytes::<SALT_LEN>()?,
        reset_code: None,
        stanza: None,
        nonce: [0; cipher::NONCE_LEN],
        wrapped: Vec::new(),
    })
}

/// Seals `data_key` into an X25519 slot with the descriptor of `template` (kind, KDF, salt,
/// reset code) for `recipient`, the public key that slot's secret derives. The PIN and unlock
/// slots are sealed again by the device key when there is one; the recovery slot never is, so
/// it opens on a new device. Needs no secret: this is how a rotation re-seals every slot.
pub(crate) fn seal_slot(
    template: &Slot,
    recipient: &Recipient,
    data_key: &SecretKey,
    protector: Option<&dyn KeyProtector>,
) -> Result<Slot, VaultError> {
    let protector = protector.filter(|_| template.kind != SlotKind::Recovery);
    let (ephemeral, kek) = recipient::seal_kek(recipient)?;
    let mut slot = Slot {
        device_key: protector.is_some(),
        stanza: Some(Stanza {
            ephemeral,
            recipient_nonce: [0; cipher::NONCE_LEN],
            sealed_recipient: [0; SEALED_RECIPIENT_LEN],
        }),
        nonce: [0; cipher::NONCE_LEN],
        wrapped: Vec::new(),
        ..template.clone()
    };
    let recipient_nonce = cipher::make_nonce()?;
    let sealed = cipher::seal(data_key, &recipient_nonce, &slot.recipient_aad(), recipient)?;
    let sealed_recipient =
        <[u8; SEALED_RECIPIENT_LEN]>::try_from(sealed.as_slice()).map_err(|_| {
            VaultError::Internal {
                reason: "a sealed public key has the wrong length",
            }
        })?;
    slot.stanza = Some(Stanza {
        ephemeral,
        recipient_nonce,
        sealed_recipient,
    });
    let (nonce, inner) = wrap_with(&slot, &kek, data_key)?;
    slot.nonce = nonce;
    slot.wrapped = match protector {
        Some(protector) => device_wrap(protector, &inner)?,
        None => inner,
    };
    Ok(slot)
}

/// The public key of an X25519 slot, unsealed with the data key it was sealed with.
pub(crate) fn slot_recipient(slot: &Slot, data_key: &SecretKey) -> Result<Recipient, VaultError> {
    let stanza = slot.stanza.as_ref().ok_or(VaultError::Internal {
        reason: "a version-1 slot has no public key",
    })?;
    let plain = cipher::open(
        data_key,
        &stanza.recipient_nonce,
        &slot.recipient_aad(),
        &stanza.sealed_recipient,
    )
    .map_err(|_| VaultError::Tampered)?;
    <Recipient>::try_from(plain.as_slice()).map_err(|_| VaultError::Tampered)
}

fn device_wrap(protector: &dyn KeyProtector, inner: &[u8]) -> Result<Vec<u8>, VaultError> {
    let blob = protector.wrap(inner)?;
    if blob.is_empty() || blob.len() > MAX_DEVICE_BLOB {
        return Err(VaultError::KeyUnavailable {
            reason: format!(
                "the device key returned {} bytes, expected 1 to {MAX_DEVICE_BLOB}",
                blob.len()
            ),
        });
    }
    Ok(blob)
}

/// A slot's inner wrapped key: removes the device-key layer when there is one. Runs before any
/// PIN or unlock code is checked, so a missing device key never costs a try.
pub(crate) fn slot_inner(
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

/// What a slot gave up: the data key, and the slot's public key (for an X25519 slot, the one
/// it is sealed to; for a version-1 slot, the one it converts to with the same salt).
pub(crate) struct Opened {
    pub data_key: SecretKey,
    pub recipient: Recipient,
}

/// Opens a slot given its secret material (the Argon2id output for the PIN and unlock slots,
/// the key bytes for the recovery slot) and its inner wrapped key. `Unauthentic`: wrong secret.
fn open_with_secret(
    slot: &Slot,
    secret: &[u8],
    inner: &[u8],
) -> Result<Result<Opened, Unauthentic>, VaultError> {
    let identity = Identity::derive(slot.kind, secret, &slot.salt)?;
    let kek =
        match &slot.stanza {
            Some(stanza) => match identity.unwrap_kek(&stanza.ephemeral)? {
                Some(kek) => kek,
                None => return Ok(Err(Unauthentic)),
            },
            None if slot.kind == SlotKind::Recovery => {
                kdf::derive_hkdf_sha256_key(secret, &slot.salt, RECOVERY_HKDF_INFO)?
            }
            None => SecretKey::new(<[u8; KEY_LEN]>::try_from(secret).map_err(|_| {
                VaultError::Internal {
                    reason: "an Argon2id output has the wrong length",
                }
            })?),
        };
    Ok(unwrap_with(slot, &kek, inner).map(|data_key| Opened {
        data_key,
        recipient: identity.recipient(),
    }))
}

/// A new PIN slot's descriptor (fresh salt) and public key; the write seals it.
pub(crate) fn pin_template(pin: &str, params: &KdfParams) -> Result<(Slot, Recipient), VaultError> {
    let template = template(SlotKind::Pin, SlotKdf::Argon2id(*params))?;
    let stretched = kdf::derive_argon2id_kek(pin.as_bytes(), &template.salt, params)?;
    let recipient = Identity::derive(SlotKind::Pin, &stretched[..], &template.salt)?.recipient();
    Ok((template, recipient))
}

/// Opens the PIN slot given its inner wrapped key. `Unauthentic` means a wrong PIN.
pub(crate) fn open_pin_slot(
    slot: &Slot,
    pin: &str,
    inner: &[u8],
) -> Result<Result<Opened, Unauthentic>, VaultError> {
    let stretched = kdf::derive_argon2id_kek(pin.as_bytes(), &slot.salt, &slot.argon2_params()?)?;
    open_with_secret(slot, &stretched[..], inner)
}

/// A new unlock slot's descriptor for an identity, with its public key and reset code; the
/// write seals it (and the device key seals it again when there is one).
pub(crate) fn unlock_template(
    identity_secret: &SecretBytes,
    params: &KdfParams,
) -> Result<(Slot, Recipient, String), VaultError> {
    let reset_code = make_reset_code()?;
    let unlock_code = derive_unlock_code(identity_secret, &reset_code)?;
    let mut template = template(SlotKind::Unlock, SlotKdf::Argon2id(*params))?;
    template.reset_code = Some(reset_code.clone());
    let stretched = kdf::derive_argon2id_kek(unlock_code.as_bytes(), &template.salt, params)?;
    drop(unlock_code);
    let recipient = Identity::derive(SlotKind::Unlock, &stretched[..], &template.salt)?.recipient();
    Ok((template, recipient, reset_code))
}

/// Opens the unlock slot with a parsed unlock code and its inner wrapped key. `Unauthentic`
/// means a wrong code.
pub(crate) fn open_unlock_slot(
    slot: &Slot,
    unlock_code: &str,
    inner: &[u8],
) -> Result<Result<Opened, Unauthentic>, VaultError> {
    let stretched =
        kdf::derive_argon2id_kek(unlock_code.as_bytes(), &slot.salt, &slot.argon2_params()?)?;
    open_with_secret(slot, &stretched[..], inner)
}

/// A new recovery slot's descriptor, with its public key and the key to show once; the write
/// seals it.
pub(crate) fn recovery_template() -> Result<(Slot, Recipient, RecoveryKey), VaultError> {
    let key_bytes = Zeroizing::new(make_random_bytes::<RECOVERY_KEY_BYTES>()?);
    let template = template(SlotKind::Recovery, SlotKdf::HkdfSha256)?;
    let recipient =
        Identity::derive(SlotKind::Recovery, &key_bytes[..], &template.salt)?.recipient();
    Ok((template, recipient, RecoveryKey::from_bytes(&key_bytes)?))
}

/// Opens the recovery slot with parsed key bytes. `Unauthentic` means a wrong key.
pub(crate) fn open_recovery_slot(
    slot: &Slot,
    key_bytes: &[u8; RECOVERY_KEY_BYTES],
) -> Result<Result<Opened, Unauthentic>, VaultError> {
    open_with_secret(slot, key_bytes, &slot.wrapped)
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
