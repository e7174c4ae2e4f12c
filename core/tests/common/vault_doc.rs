//! An independent reader of vault files, written from docs/vault-format.md with the primitives
//! only (sha2, hkdf, argon2, chacha20poly1305, x25519-dalek), never the vault module. It plays
//! the attacker who holds a copied file and a secret: it finds the data key a secret opens, and
//! tries that key on any file. Device-bound slots are out of its reach, as they are off the
//! device.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};

/// A secret a person (or an attacker) may hold.
#[derive(Debug, Clone, Copy)]
pub enum Secret<'a> {
    Pin(&'a str),
    Recovery(&'a str),
    Unlock(&'a str),
}

/// One slot as the document lays it out.
#[derive(Debug, Clone)]
pub struct Slot {
    pub kind: u8,
    pub flags: u8,
    pub kdf: u8,
    pub argon2: Option<(u32, u32, u32)>,
    pub salt: Vec<u8>,
    pub reset_code: Option<String>,
    pub ephemeral: Option<[u8; 32]>,
    pub nonce: Vec<u8>,
    pub wrapped: Vec<u8>,
    /// Kind through reset code: bound into the slot's associated data.
    pub descriptor: Vec<u8>,
}

/// A decoded file.
#[derive(Debug, Clone)]
pub struct File {
    pub version: u16,
    pub max_pin_attempts: u8,
    pub slots: Vec<Slot>,
    payload_nonce: Vec<u8>,
    header: Vec<u8>,
    sealed_payload: Vec<u8>,
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// Parses a file; `None` when its checksum or magic is wrong.
pub fn parse(file: &[u8]) -> Option<File> {
    let (content, checksum) = file.split_at(file.len().checked_sub(32)?);
    if Sha256::digest(content).as_slice() != checksum || &content[..8] != b"TSRVAULT" {
        return None;
    }
    let version = le16(content, 8);
    let header_len = le32(content, 10) as usize;
    let mut pos = 40;
    let mut slots = Vec::new();
    for _ in 0..content[39] {
        let start = pos;
        let (kind, flags, kdf) = (content[pos], content[pos + 1], content[pos + 2]);
        pos += 3;
        let argon2 = (kdf == 1).then(|| {
            let p = (
                le32(content, pos),
                le32(content, pos + 4),
                le32(content, pos + 8),
            );
            pos += 12;
            p
        });
        let salt = content[pos..pos + 16].to_vec();
        pos += 16;
        let reset_code = (kind == 3).then(|| {
            let code = String::from_utf8(content[pos..pos + 9].to_vec()).unwrap();
            pos += 9;
            code
        });
        let descriptor = content[start..pos].to_vec();
        let ephemeral = (flags & 2 != 0).then(|| {
            let share: [u8; 32] = content[pos..pos + 32].try_into().unwrap();
            pos += 32;
            share
        });
        let nonce = content[pos..pos + 24].to_vec();
        pos += 24;
        let n = le16(content, pos) as usize;
        pos += 2;
        let wrapped = content[pos..pos + n].to_vec();
        pos += n;
        if ephemeral.is_some() {
            pos += 24 + 48; // the recipient key sealed under the data key
        }
        slots.push(Slot {
            kind,
            flags,
            kdf,
            argon2,
            salt,
            reset_code,
            ephemeral,
            nonce,
            wrapped,
            descriptor,
        });
    }
    assert_eq!(pos, header_len, "header length");
    Some(File {
        version,
        max_pin_attempts: content[14],
        slots,
        payload_nonce: content[15..39].to_vec(),
        header: content[..header_len].to_vec(),
        sealed_payload: content[header_len..].to_vec(),
    })
}

fn open(key: &[u8], nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    XChaCha20Poly1305::new_from_slice(key)
        .unwrap()
        .decrypt(
            &XNonce::try_from(nonce).unwrap(),
            Payload { msg: sealed, aad },
        )
        .ok()
}

fn hkdf(ikm: &[u8], salt: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, &mut out)
        .unwrap();
    out
}

fn argon2id(secret: &[u8], slot: &Slot) -> [u8; 32] {
    let (m, t, p) = slot.argon2.unwrap();
    let params = argon2::Params::new(m, t, p, Some(32)).unwrap();
    let mut out = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(secret, &slot.salt, &mut out)
        .unwrap();
    out
}

/// The data key `secret` opens in `file`, if it opens its slot (and the slot is not sealed by
/// a device key).
pub fn data_key(file: &File, secret: Secret<'_>) -> Option<[u8; 32]> {
    let (kind, material) = match secret {
        Secret::Pin(pin) => (1, pin.as_bytes().to_vec()),
        Secret::Recovery(key) => {
            let text: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            let bytes = data_encoding::BASE32_NOPAD
                .decode(text.to_ascii_uppercase().as_bytes())
                .ok()?;
            (2, bytes)
        }
        Secret::Unlock(code) => (3, code.as_bytes().to_vec()),
    };
    let slot = file.slots.iter().find(|s| s.kind == kind)?;
    if slot.flags & 1 != 0 {
        return None;
    }
    // The slot secret: Argon2id output for the PIN and unlock slots, the key bytes otherwise.
    let secret = if slot.kdf == 1 {
        argon2id(&material, slot).to_vec()
    } else {
        material
    };
    let kek = match slot.ephemeral {
        None if slot.kdf == 2 => hkdf(&secret, &slot.salt, b"tessera vault recovery slot v1"),
        None => secret.clone().try_into().unwrap(),
        Some(ephemeral) => {
            let mut info = b"tessera vault x25519 identity v2".to_vec();
            info.push(slot.kind);
            let scalar = hkdf(&secret, &slot.salt, &info);
            let private = x25519_dalek::StaticSecret::from(scalar);
            let public = x25519_dalek::PublicKey::from(&private).to_bytes();
            let shared = private.diffie_hellman(&x25519_dalek::PublicKey::from(ephemeral));
            let mut salt = ephemeral.to_vec();
            salt.extend_from_slice(&public);
            hkdf(shared.as_bytes(), &salt, b"tessera vault x25519 wrap v2")
        }
    };
    let mut aad = b"tessera vault slot v1".to_vec();
    aad.extend_from_slice(&slot.descriptor);
    open(&kek, &slot.nonce, &aad, &slot.wrapped)?
        .try_into()
        .ok()
}

/// The payload of `file` under `data_key`, if that is its key.
pub fn decrypt_payload(file: &File, data_key: &[u8; 32]) -> Option<Vec<u8>> {
    open(
        data_key,
        &file.payload_nonce,
        &file.header,
        &file.sealed_payload,
    )
}

/// The payload `secret` opens in the file at `bytes`, if any.
pub fn open_with(bytes: &[u8], secret: Secret<'_>) -> Option<Vec<u8>> {
    let file = parse(bytes)?;
    decrypt_payload(&file, &data_key(&file, secret)?)
}
