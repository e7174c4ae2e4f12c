//! The vault file's bytes: a hand-rolled, length-checked binary layout, specified byte for byte
//! in docs/vault-format.md. This module only encodes and decodes; it never derives a key.
//!
//! ```text
//! file   = header || payload ciphertext+tag || SHA-256(header || ciphertext)
//! header = magic "TSRVAULT" | version u16 | header_len u32 | max_pin_attempts u8
//!          | payload_nonce [24] | slot_count u8 | slot...
//! slot   = kind u8 | flags u8 | kdf u8 | [memory u32 | passes u32 | lanes u32]
//!          | salt [16] | [reset code, 9 ASCII digits] | [ephemeral X25519 key [32]]
//!          | nonce [24] | wrapped_len u16 | wrapped | [recipient nonce [24] | sealed recipient [48]]
//! ```
//!
//! Version 2 added the X25519 recipient slot (flags bit 1, the bracketed fields at the ends).
//! Version 1 files are still read, and a version-2 file may carry a slot in the version-1 form
//! until it can be converted (see docs/vault-format.md); every file written is version 2.
//!
//! Decoding is strict and total: every length is checked before it is used, every field has one
//! valid encoding, trailing bytes are refused, and no input can make it panic or allocate more
//! than the file it was given. Key-derivation parameters are range-checked here, so nothing
//! downstream can be asked to reserve memory a hostile file names. Encoding a decoded version-2
//! header gives back the same bytes, so "the header bytes as stored" and "the header" are one
//! thing.

use sha2::{Digest, Sha256};

use super::VaultError;
use crate::crypto::KdfParams;
use crate::crypto::cipher::{KEY_LEN, NONCE_LEN, TAG_LEN};
use crate::crypto::kdf::SALT_LEN;

/// First eight bytes of every vault file, in every version.
pub(crate) const MAGIC: [u8; 8] = *b"TSRVAULT";
/// The format this code writes.
pub(crate) const FORMAT_VERSION: u16 = 2;
/// The first format, still read.
pub(crate) const FORMAT_VERSION_1: u16 = 1;
/// Trailing SHA-256 checksum length.
pub(crate) const CHECKSUM_LEN: usize = 32;
/// Largest payload (plaintext) a vault holds.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;
/// Largest header: three slots with the largest device-key blob fit well inside.
pub(crate) const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest file read; anything longer is refused as damaged without reading further.
pub(crate) const MAX_FILE_BYTES: usize =
    MAX_HEADER_BYTES + MAX_PAYLOAD_BYTES + TAG_LEN + CHECKSUM_LEN;
/// Largest device-key blob accepted in a PIN slot.
pub(crate) const MAX_DEVICE_BLOB: usize = 4096;
/// Wrapped data key without a device key: 32-byte key + 16-byte tag.
pub(crate) const WRAPPED_KEY_LEN: usize = KEY_LEN + TAG_LEN;
/// Digits in a PIN reset code.
pub(crate) const RESET_CODE_DIGITS: usize = 9;
/// Lowest and highest lockout threshold a header may carry.
pub(crate) const PIN_ATTEMPTS_RANGE: (u32, u32) = (1, 100);
/// Prefix of every slot's associated data (the construction is unchanged since version 1).
pub(crate) const SLOT_AAD_LABEL: &[u8] = b"tessera vault slot v1";
/// Prefix of the associated data of an X25519 slot's sealed recipient key.
pub(crate) const RECIPIENT_AAD_LABEL: &[u8] = b"tessera vault recipient v2";

const KDF_ARGON2ID: u8 = 1;
const KDF_HKDF_SHA256: u8 = 2;
const FLAG_DEVICE_KEY: u8 = 0x01;
const FLAG_X25519: u8 = 0x02;
/// An X25519 public key (the ephemeral share and the sealed recipient).
pub(crate) const X25519_KEY_LEN: usize = 32;
/// The recipient public key sealed under the data key: 32 bytes and a 16-byte tag.
pub(crate) const SEALED_RECIPIENT_LEN: usize = X25519_KEY_LEN + TAG_LEN;
/// Offset of `header_len` in the header.
const HEADER_LEN_OFFSET: usize = 10;

/// What a slot is for. The numbers are the on-disk `kind` byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SlotKind {
    Pin = 1,
    Recovery = 2,
    Unlock = 3,
}

/// How a slot's key-encryption key is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKdf {
    Argon2id(KdfParams),
    HkdfSha256,
}

/// One wrapped copy of the data key. Nothing here is secret: `wrapped` is ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub kind: SlotKind,
    /// PIN and (X25519) unlock slots: `wrapped` is the device key's blob around the 48-byte
    /// wrapped key.
    pub device_key: bool,
    pub kdf: SlotKdf,
    pub salt: [u8; SALT_LEN],
    /// Unlock slot only: the 9-digit PIN reset code, public by design.
    pub reset_code: Option<String>,
    /// The X25519 recipient stanza (version 2); `None` for a slot in the version-1 form, whose
    /// key-encryption key is derived from the secret directly.
    pub stanza: Option<Stanza>,
    pub nonce: [u8; NONCE_LEN],
    pub wrapped: Vec<u8>,
}

/// What an X25519 slot adds: the sender's ephemeral share, and the slot's own public key
/// sealed under the data key, so that whoever holds the data key can seal a new one to the
/// slot without its secret, and nobody without it can test guesses against the public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stanza {
    pub ephemeral: [u8; X25519_KEY_LEN],
    pub recipient_nonce: [u8; NONCE_LEN],
    pub sealed_recipient: [u8; SEALED_RECIPIENT_LEN],
}

/// The decoded header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub max_pin_attempts: u8,
    pub payload_nonce: [u8; NONCE_LEN],
    pub pin: Slot,
    pub recovery: Option<Slot>,
    pub unlock: Option<Slot>,
}

/// A decoded file: the header plus the bytes exactly as stored.
#[derive(Debug, Clone)]
pub(crate) struct VaultFile {
    pub header: Header,
    header_len: usize,
    bytes: Vec<u8>,
}

impl VaultFile {
    /// The header bytes as stored: the payload's associated data.
    pub fn header_bytes(&self) -> &[u8] {
        &self.bytes[..self.header_len]
    }

    /// Payload ciphertext followed by its tag.
    pub fn sealed_payload(&self) -> &[u8] {
        &self.bytes[self.header_len..self.bytes.len() - CHECKSUM_LEN]
    }
}

impl Slot {
    /// The slot's bytes from `kind` through the reset code: everything that says how to derive
    /// and check its key. These bytes are bound into the slot's associated data.
    fn encode_descriptor(&self, out: &mut Vec<u8>) {
        out.push(self.kind as u8);
        let mut flags = 0;
        if self.device_key {
            flags |= FLAG_DEVICE_KEY;
        }
        if self.stanza.is_some() {
            flags |= FLAG_X25519;
        }
        out.push(flags);
        match self.kdf {
            SlotKdf::Argon2id(params) => {
                out.push(KDF_ARGON2ID);
                out.extend_from_slice(&params.memory_kib().to_le_bytes());
                out.extend_from_slice(&params.passes().to_le_bytes());
                out.extend_from_slice(&params.lanes().to_le_bytes());
            }
            SlotKdf::HkdfSha256 => out.push(KDF_HKDF_SHA256),
        }
        out.extend_from_slice(&self.salt);
        if let Some(code) = &self.reset_code {
            out.extend_from_slice(code.as_bytes());
        }
    }

    /// Associated data for wrapping the data key in this slot:
    /// `"tessera vault slot v1" || descriptor`.
    pub fn aad(&self) -> Vec<u8> {
        let mut aad = SLOT_AAD_LABEL.to_vec();
        self.encode_descriptor(&mut aad);
        aad
    }

    /// Associated data for sealing this slot's recipient public key under the data key:
    /// `"tessera vault recipient v2" || descriptor`.
    pub fn recipient_aad(&self) -> Vec<u8> {
        let mut aad = RECIPIENT_AAD_LABEL.to_vec();
        self.encode_descriptor(&mut aad);
        aad
    }

    fn encode(&self, out: &mut Vec<u8>) {
        self.encode_descriptor(out);
        if let Some(stanza) = &self.stanza {
            out.extend_from_slice(&stanza.ephemeral);
        }
        out.extend_from_slice(&self.nonce);
        let len = u16::try_from(self.wrapped.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&self.wrapped[..usize::from(len)]);
        if let Some(stanza) = &self.stanza {
            out.extend_from_slice(&stanza.recipient_nonce);
            out.extend_from_slice(&stanza.sealed_recipient);
        }
    }

    /// Argon2id parameters of a PIN or unlock slot.
    pub fn argon2_params(&self) -> Result<KdfParams, VaultError> {
        match self.kdf {
            SlotKdf::Argon2id(params) => Ok(params),
            SlotKdf::HkdfSha256 => Err(VaultError::Internal {
                reason: "a typed-secret slot has no Argon2 parameters",
            }),
        }
    }
}

impl Header {
    /// The canonical header bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.pin.wrapped.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // header_len, patched below
        out.push(self.max_pin_attempts);
        out.extend_from_slice(&self.payload_nonce);
        let slots = self.slots();
        out.push(slots.len() as u8);
        for slot in slots {
            slot.encode(&mut out);
        }
        let len = u32::try_from(out.len()).unwrap_or(u32::MAX);
        out[HEADER_LEN_OFFSET..HEADER_LEN_OFFSET + 4].copy_from_slice(&len.to_le_bytes());
        out
    }

    /// Slots in their on-disk order: PIN, recovery, unlock.
    fn slots(&self) -> Vec<&Slot> {
        std::iter::once(&self.pin)
            .chain(self.recovery.as_ref())
            .chain(self.unlock.as_ref())
            .collect()
    }
}

/// The whole file from encoded header bytes and the sealed payload.
pub(crate) fn assemble_file(header_bytes: &[u8], sealed_payload: &[u8]) -> Vec<u8> {
    let mut file = Vec::with_capacity(header_bytes.len() + sealed_payload.len() + CHECKSUM_LEN);
    file.extend_from_slice(header_bytes);
    file.extend_from_slice(sealed_payload);
    let checksum = Sha256::digest(&file);
    file.extend_from_slice(&checksum);
    file
}

/// Decodes a whole file. Errors: [`VaultError::Corrupted`] for any damage,
/// [`VaultError::UnsupportedVersion`], [`VaultError::KdfParamsOutOfRange`].
pub(crate) fn decode_file(bytes: Vec<u8>) -> Result<VaultFile, VaultError> {
    if bytes.len() > MAX_FILE_BYTES || bytes.len() < MAGIC.len() + 2 + CHECKSUM_LEN {
        return Err(VaultError::Corrupted);
    }
    let (content, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if Sha256::digest(content).as_slice() != checksum {
        return Err(VaultError::Corrupted);
    }
    let (header, header_len) = decode_header(content)?;
    if content.len() - header_len < TAG_LEN {
        return Err(VaultError::Corrupted);
    }
    Ok(VaultFile {
        header,
        header_len,
        bytes,
    })
}

/// Decodes the header at the start of `content` (file without its checksum); returns it with
/// its length.
pub(crate) fn decode_header(content: &[u8]) -> Result<(Header, usize), VaultError> {
    let mut r = Reader::new(content);
    if r.array::<8>()? != MAGIC {
        return Err(VaultError::Corrupted);
    }
    let version = r.u16()?;
    if version != FORMAT_VERSION && version != FORMAT_VERSION_1 {
        return Err(VaultError::UnsupportedVersion { found: version });
    }
    let header_len = r.u32()? as usize;
    if header_len > content.len() || header_len > MAX_HEADER_BYTES {
        return Err(VaultError::Corrupted);
    }
    let mut r = Reader {
        bytes: &content[..header_len],
        pos: r.pos,
    };
    let max_pin_attempts = r.u8()?;
    if !(PIN_ATTEMPTS_RANGE.0..=PIN_ATTEMPTS_RANGE.1).contains(&u32::from(max_pin_attempts)) {
        return Err(VaultError::Corrupted);
    }
    let payload_nonce = r.array::<NONCE_LEN>()?;
    let slot_count = r.u8()?;
    if !(1..=3).contains(&slot_count) {
        return Err(VaultError::Corrupted);
    }
    let pin = decode_slot(&mut r, version)?;
    if pin.kind != SlotKind::Pin {
        return Err(VaultError::Corrupted);
    }
    let (mut recovery, mut unlock) = (None, None);
    let mut last_kind = SlotKind::Pin;
    for _ in 1..slot_count {
        let slot = decode_slot(&mut r, version)?;
        if slot.kind <= last_kind {
            return Err(VaultError::Corrupted);
        }
        last_kind = slot.kind;
        match slot.kind {
            SlotKind::Recovery => recovery = Some(slot),
            SlotKind::Unlock => unlock = Some(slot),
            SlotKind::Pin => return Err(VaultError::Corrupted),
        }
    }
    if r.pos != header_len {
        return Err(VaultError::Corrupted);
    }
    Ok((
        Header {
            max_pin_attempts,
            payload_nonce,
            pin,
            recovery,
            unlock,
        },
        header_len,
    ))
}

fn decode_slot(r: &mut Reader<'_>, version: u16) -> Result<Slot, VaultError> {
    let kind = match r.u8()? {
        1 => SlotKind::Pin,
        2 => SlotKind::Recovery,
        3 => SlotKind::Unlock,
        _ => return Err(VaultError::Corrupted),
    };
    let flags = r.u8()?;
    if flags & !(FLAG_DEVICE_KEY | FLAG_X25519) != 0 {
        return Err(VaultError::Corrupted);
    }
    let x25519 = flags & FLAG_X25519 != 0;
    let device_key = flags & FLAG_DEVICE_KEY != 0;
    if x25519 && version == FORMAT_VERSION_1 {
        return Err(VaultError::Corrupted);
    }
    // The device key seals the PIN slot in every version, and the unlock slot only in the
    // X25519 form (version 1 never sealed it).
    let device_key_allowed = match kind {
        SlotKind::Pin => true,
        SlotKind::Unlock => x25519,
        SlotKind::Recovery => false,
    };
    if device_key && !device_key_allowed {
        return Err(VaultError::Corrupted);
    }
    let kdf = match (r.u8()?, kind) {
        (KDF_ARGON2ID, SlotKind::Pin | SlotKind::Unlock) => {
            let (memory, passes, lanes) = (r.u32()?, r.u32()?, r.u32()?);
            SlotKdf::Argon2id(KdfParams::new(memory, passes, lanes)?)
        }
        (KDF_HKDF_SHA256, SlotKind::Recovery) => SlotKdf::HkdfSha256,
        _ => return Err(VaultError::Corrupted),
    };
    let salt = r.array::<SALT_LEN>()?;
    let reset_code = if kind == SlotKind::Unlock {
        let digits = r.take(RESET_CODE_DIGITS)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(VaultError::Corrupted);
        }
        Some(digits.iter().map(|&d| char::from(d)).collect())
    } else {
        None
    };
    let ephemeral = if x25519 {
        Some(r.array::<X25519_KEY_LEN>()?)
    } else {
        None
    };
    let nonce = r.array::<NONCE_LEN>()?;
    let wrapped_len = usize::from(r.u16()?);
    let valid_len = if device_key {
        (1..=MAX_DEVICE_BLOB).contains(&wrapped_len)
    } else {
        wrapped_len == WRAPPED_KEY_LEN
    };
    if !valid_len {
        return Err(VaultError::Corrupted);
    }
    let wrapped = r.take(wrapped_len)?.to_vec();
    let stanza = match ephemeral {
        Some(ephemeral) => Some(Stanza {
            ephemeral,
            recipient_nonce: r.array()?,
            sealed_recipient: r.array()?,
        }),
        None => None,
    };
    Ok(Slot {
        kind,
        device_key,
        kdf,
        salt,
        reset_code,
        stanza,
        nonce,
        wrapped,
    })
}

/// A bounds-checked cursor; every read past the end is [`VaultError::Corrupted`].
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], VaultError> {
        let end = self.pos.checked_add(n).ok_or(VaultError::Corrupted)?;
        let slice = self.bytes.get(self.pos..end).ok_or(VaultError::Corrupted)?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], VaultError> {
        let slice = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, VaultError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, VaultError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, VaultError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stanza(fill: u8) -> Option<Stanza> {
        Some(Stanza {
            ephemeral: [fill; X25519_KEY_LEN],
            recipient_nonce: [fill + 1; NONCE_LEN],
            sealed_recipient: [fill + 2; SEALED_RECIPIENT_LEN],
        })
    }

    /// A version-2 header with three X25519 slots, the PIN and unlock slots device bound.
    fn sample_header() -> Header {
        let params = KdfParams::MINIMUM;
        Header {
            max_pin_attempts: 5,
            payload_nonce: [1; NONCE_LEN],
            pin: Slot {
                kind: SlotKind::Pin,
                device_key: true,
                kdf: SlotKdf::Argon2id(params),
                salt: [2; SALT_LEN],
                reset_code: None,
                stanza: stanza(11),
                nonce: [3; NONCE_LEN],
                wrapped: vec![4; 88],
            },
            recovery: Some(Slot {
                kind: SlotKind::Recovery,
                device_key: false,
                kdf: SlotKdf::HkdfSha256,
                salt: [5; SALT_LEN],
                reset_code: None,
                stanza: stanza(21),
                nonce: [6; NONCE_LEN],
                wrapped: vec![7; WRAPPED_KEY_LEN],
            }),
            unlock: Some(Slot {
                kind: SlotKind::Unlock,
                device_key: true,
                kdf: SlotKdf::Argon2id(params),
                salt: [8; SALT_LEN],
                reset_code: Some("012345678".into()),
                stanza: stanza(31),
                nonce: [9; NONCE_LEN],
                wrapped: vec![10; 60],
            }),
        }
    }

    /// The same slots in the version-1 form (no device key on the unlock slot, which version
    /// 1 never had), and the bytes of that header as a version-1 file has them.
    fn sample_header_v1() -> (Header, Vec<u8>) {
        let mut header = sample_header();
        for slot in [
            Some(&mut header.pin),
            header.recovery.as_mut(),
            header.unlock.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            slot.stanza = None;
        }
        let unlock = header.unlock.as_mut().unwrap();
        unlock.device_key = false;
        unlock.wrapped = vec![10; WRAPPED_KEY_LEN];
        let mut bytes = header.encode();
        bytes[8] = 1;
        (header, bytes)
    }

    fn sample_file() -> Vec<u8> {
        assemble_file(&sample_header().encode(), &[0xAA; 40])
    }

    #[test]
    fn encode_then_decode_gives_the_same_header_and_bytes() {
        let header = sample_header();
        let file = decode_file(sample_file()).unwrap();
        assert_eq!(file.header, header);
        assert_eq!(file.header_bytes(), header.encode().as_slice());
        assert_eq!(file.sealed_payload(), &[0xAA; 40]);
        let minimal = Header {
            recovery: None,
            unlock: None,
            ..header
        };
        let decoded = decode_file(assemble_file(&minimal.encode(), &[0; 16])).unwrap();
        assert_eq!(decoded.header, minimal);
    }

    #[test]
    fn version_1_files_are_read_and_their_slots_kept_in_version_2() {
        let (header, bytes) = sample_header_v1();
        let file = decode_file(assemble_file(&bytes, &[0; 16])).unwrap();
        assert_eq!(file.header, header);
        assert_eq!(file.header_bytes(), bytes.as_slice());
        // Carried into a version-2 file unchanged, apart from the version.
        let v2 = header.encode();
        assert_eq!(&v2[8..10], &[2, 0]);
        assert_eq!(&v2[10..], &bytes[10..]);
        assert_eq!(
            decode_file(assemble_file(&v2, &[0; 16])).unwrap().header,
            header
        );
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let bytes = sample_header().encode();
        assert_eq!(&bytes[..8], b"TSRVAULT");
        assert_eq!(&bytes[8..10], &[2, 0]);
        assert_eq!(
            u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize,
            bytes.len()
        );
        assert_eq!(bytes[14], 5);
        assert_eq!(&bytes[15..39], &[1; 24]);
        assert_eq!(bytes[39], 3);
        // PIN slot: kind, flags (device key | X25519), kdf, memory, passes, lanes, salt, then
        // the ephemeral share.
        assert_eq!(&bytes[40..43], &[1, 3, 1]);
        assert_eq!(&bytes[43..55], &[0, 0x20, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&bytes[55..71], &[2; 16]);
        assert_eq!(&bytes[71..103], &[11; 32]);
        assert_eq!(&bytes[103..127], &[3; 24]);
        assert_eq!(&bytes[127..129], &[88, 0]);
        // After the 88-byte blob: recipient nonce and sealed recipient.
        assert_eq!(&bytes[217..241], &[12; 24]);
        assert_eq!(&bytes[241..289], &[13; 48]);
        // 289: recovery slot, 3 + 16 + 32 + 24 + 2 + 48 + 24 + 48 = 197 bytes.
        assert_eq!(&bytes[289..292], &[2, 2, 2]);
        // 486: unlock slot, reset code after its salt, then the ephemeral share.
        assert_eq!(
            &bytes[486..501],
            &[3, 3, 1, 0, 0x20, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
        );
        assert_eq!(&bytes[517..526], b"012345678");
        assert_eq!(&bytes[526..558], &[31; 32]);
        assert_eq!(
            bytes.len(),
            486 + 3 + 12 + 16 + 9 + 32 + 24 + 2 + 60 + 24 + 48
        );
    }

    #[test]
    fn out_of_range_kdf_params_are_named_before_anything_is_derived() {
        let mut header = sample_header();
        header.pin.kdf = SlotKdf::Argon2id(KdfParams::MINIMUM);
        let mut bytes = header.encode();
        bytes[43..47].copy_from_slice(&(1024 * 1024u32).to_le_bytes()); // 1 GiB
        let file = assemble_file(&bytes, &[0; 16]);
        assert!(matches!(
            decode_file(file),
            Err(VaultError::KdfParamsOutOfRange {
                which: "memory (KiB)",
                value: 1_048_576,
                ..
            })
        ));
        bytes[43..47].copy_from_slice(&4096u32.to_le_bytes());
        assert!(matches!(
            decode_file(assemble_file(&bytes, &[0; 16])),
            Err(VaultError::KdfParamsOutOfRange {
                which: "memory (KiB)",
                value: 4096,
                ..
            })
        ));
    }

    #[test]
    fn other_versions_are_named() {
        let mut bytes = sample_header().encode();
        bytes[8] = 3;
        assert!(matches!(
            decode_file(assemble_file(&bytes, &[0; 16])),
            Err(VaultError::UnsupportedVersion { found: 3 })
        ));
    }

    #[test]
    fn every_single_byte_change_is_caught_by_the_checksum() {
        let file = sample_file();
        for i in 0..file.len() {
            let mut damaged = file.clone();
            damaged[i] ^= 0x01;
            assert!(
                matches!(decode_file(damaged), Err(VaultError::Corrupted)),
                "byte {i}"
            );
        }
        for len in 0..file.len() {
            assert!(
                decode_file(file[..len].to_vec()).is_err(),
                "truncated to {len}"
            );
        }
    }

    #[test]
    fn structural_rules_are_enforced_even_with_a_valid_checksum() {
        let good = sample_header().encode();
        type Damage = fn(&mut Vec<u8>);
        let cases: Vec<(&str, Damage)> = vec![
            ("magic", |b| b[0] = b'X'),
            ("attempts 0", |b| b[14] = 0),
            ("attempts 101", |b| b[14] = 101),
            ("no slots", |b| b[39] = 0),
            ("four slots", |b| b[39] = 4),
            ("first slot not PIN", |b| b[40] = 2),
            ("unknown flag", |b| b[41] = 7),
            ("PIN with HKDF", |b| b[42] = 2),
            ("recovery with device key", |b| b[290] = 3),
            ("reset code not digits", |b| b[517] = b'a'),
            ("header_len too long", |b| b[10] = b[10].wrapping_add(1)),
            ("header_len too short", |b| b[10] = b[10].wrapping_sub(1)),
            ("wrapped_len wrong", |b| b[364] = 47),
            ("X25519 slots in a version-1 file", |b| b[8] = 1),
        ];
        for (name, damage) in cases {
            let mut bytes = good.clone();
            damage(&mut bytes);
            let result = decode_file(assemble_file(&bytes, &[0; 16]));
            assert!(
                matches!(result, Err(VaultError::Corrupted)),
                "{name}: {result:?}"
            );
        }
        // Payload shorter than a tag.
        assert!(matches!(
            decode_file(assemble_file(&good, &[0; 15])),
            Err(VaultError::Corrupted)
        ));
        // Version 1 never sealed the unlock slot by a device key.
        let (_, mut v1) = sample_header_v1();
        let unlock_flags = v1.len() - (3 + 12 + 16 + 9 + 24 + 2 + 48) + 1;
        assert_eq!(v1[unlock_flags - 1], 3);
        v1[unlock_flags] = 1;
        assert!(matches!(
            decode_file(assemble_file(&v1, &[0; 16])),
            Err(VaultError::Corrupted)
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = decode_file(bytes.clone());
            // With a valid checksum the parser itself runs on the arbitrary bytes.
            let with_checksum = assemble_file(&bytes, &[]);
            let _ = decode_file(with_checksum);
            let _ = decode_header(&bytes);
        }

        #[test]
        fn mutated_headers_never_panic_and_valid_ones_round_trip(
            edits in proptest::collection::vec((0usize..720, any::<u8>()), 1..8),
            cut in 0usize..720,
        ) {
            let mut bytes = sample_header().encode();
            for (at, value) in edits {
                if let Some(b) = bytes.get_mut(at) {
                    *b = value;
                }
            }
            let file = assemble_file(&bytes, &[0; 16]);
            if let Ok(decoded) = decode_file(file) {
                prop_assert_eq!(decoded.header.encode(), decoded.header_bytes().to_vec());
            }
            let _ = decode_header(&bytes[..cut.min(bytes.len())]);
        }
    }
}
