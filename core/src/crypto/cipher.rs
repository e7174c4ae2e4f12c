//! The one authenticated cipher Tessera's own files use (the vault, backups, the issuer store):
//! XChaCha20-Poly1305 with 32-byte keys, 24-byte random nonces and 16-byte tags appended to the
//! ciphertext.
//!
//! Everything else calls [`seal`] and [`open`]; nothing else touches the cipher.
//! Plaintexts are encrypted in a buffer sized up front, so no reallocation leaves a plaintext
//! copy behind; decrypted bytes come back in a zeroizing buffer.

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use super::CryptoError;
use crate::random::make_random_bytes;

/// Key length in bytes (data keys, key-encryption keys).
pub(crate) const KEY_LEN: usize = 32;
/// Nonce length in bytes.
pub(crate) const NONCE_LEN: usize = 24;
/// Tag length in bytes.
pub(crate) const TAG_LEN: usize = 16;

/// A 256-bit key wiped on drop.
pub(crate) type SecretKey = Zeroizing<[u8; KEY_LEN]>;

/// The ciphertext or its associated data was not produced with this key: wrong key, or
/// changed bytes. Deliberately carries nothing; callers decide what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unauthentic;

/// A fresh random key.
pub(crate) fn make_key() -> Result<SecretKey, CryptoError> {
    Ok(Zeroizing::new(make_random_bytes::<KEY_LEN>()?))
}

/// A fresh random nonce; 192 bits make collisions negligible without any counter.
pub(crate) fn make_nonce() -> Result<[u8; NONCE_LEN], CryptoError> {
    Ok(make_random_bytes::<NONCE_LEN>()?)
}

fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

/// Encrypts `plaintext`; returns ciphertext followed by the tag.
pub(crate) fn seal(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut buffer = Vec::with_capacity(plaintext.len() + TAG_LEN);
    buffer.extend_from_slice(plaintext);
    cipher(key)
        .encrypt_in_place(&XNonce::from(*nonce), aad, &mut buffer)
        .map_err(|_| CryptoError::Internal {
            reason: "the cipher refused to encrypt",
        })?;
    Ok(buffer)
}

/// Decrypts ciphertext-and-tag; the plaintext is wiped when dropped.
pub(crate) fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unauthentic> {
    if sealed.len() < TAG_LEN {
        return Err(Unauthentic);
    }
    let mut buffer = Zeroizing::new(sealed.to_vec());
    cipher(key)
        .decrypt_in_place(&XNonce::from(*nonce), aad, &mut *buffer)
        .map_err(|_| Unauthentic)?;
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// draft-irtf-cfrg-xchacha-03 appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector).
    #[test]
    fn matches_the_xchacha20poly1305_draft_vector() {
        let hex = |s: &str| data_encoding::HEXLOWER.decode(s.as_bytes()).unwrap();
        let plaintext = hex(concat!(
            "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a2049",
            "66204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675",
            "747572652c2073756e73637265656e20776f756c642062652069742e"
        ));
        let aad = hex("50515253c0c1c2c3c4c5c6c7");
        let key: [u8; 32] = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
            .try_into()
            .unwrap();
        let nonce: [u8; 24] = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
            .try_into()
            .unwrap();
        let expected = concat!(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a8",
            "2f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369",
            "488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e",
            "c0875924c1c7987947deafd8780acf49"
        );
        let sealed = seal(&key, &nonce, &aad, &plaintext).unwrap();
        assert_eq!(data_encoding::HEXLOWER.encode(&sealed), expected);
        assert_eq!(
            &open(&key, &nonce, &aad, &sealed).unwrap()[..],
            &plaintext[..]
        );
    }

    #[test]
    fn any_change_is_refused() {
        let key = make_key().unwrap();
        let nonce = make_nonce().unwrap();
        let sealed = seal(&key, &nonce, b"aad", b"payload").unwrap();
        assert_eq!(
            open(&key, &nonce, b"aad", &sealed).unwrap().as_slice(),
            b"payload"
        );
        assert_eq!(open(&key, &nonce, b"aaD", &sealed), Err(Unauthentic));
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert_eq!(open(&key, &nonce, b"aad", &flipped), Err(Unauthentic));
        assert_eq!(open(&key, &nonce, b"aad", &sealed[..10]), Err(Unauthentic));
        let other = make_key().unwrap();
        assert_eq!(open(&other, &nonce, b"aad", &sealed), Err(Unauthentic));
    }
}
