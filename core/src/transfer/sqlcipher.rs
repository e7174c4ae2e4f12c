//! SQLCipher 3 databases with its default settings, as Authenticator Plus writes `authplus.db`
//! (docs/formats/authenticator-plus.md): decrypted page by page into a plain SQLite image,
//! which [`super::sqlite`] reads. Nothing is written to disk; the image is wiped when dropped.
//!
//! The file's first 16 bytes are the salt. The key is PBKDF2-HMAC-SHA1 of the password, 64,000
//! iterations, 32 bytes; the pages' HMAC key is PBKDF2-HMAC-SHA1 of that key with the salt
//! XOR 0x3a, 2 iterations. Each 1,024-byte page ends in 48 reserved bytes: a 16-byte IV and a
//! 20-byte HMAC-SHA1 of the encrypted bytes, the IV and the page number (4 bytes, little
//! endian). The rest (after the salt, on page 1) is AES-256-CBC without padding. These are fixed
//! by the SQLCipher version, not read from the file, so a file cannot ask for more work.

use aes::Aes256;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use pbkdf2::pbkdf2_hmac;
use sha1::Sha1;
use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, damaged};
use super::password::Password;
use super::report::ImportError;
use super::sqlite::MAGIC;

/// SQLCipher 3's page size, key derivation iterations and reserved bytes per page.
const PAGE_SIZE: usize = 1024;
const KDF_ITERATIONS: u32 = 64_000;
const HMAC_KDF_ITERATIONS: u32 = 2;
const RESERVED: usize = 48;
const SALT_LEN: usize = 16;
const IV_LEN: usize = 16;
const HMAC_LEN: usize = 20;

/// Whether `bytes` can be a SQLCipher database of this kind: whole pages, not plain SQLite.
pub(super) fn could_be(bytes: &[u8]) -> bool {
    bytes.len() >= PAGE_SIZE && bytes.len().is_multiple_of(PAGE_SIZE) && !bytes.starts_with(MAGIC)
}

/// The plain SQLite image of the database `bytes`, opened with `password`.
pub(super) fn decrypt(
    bytes: &[u8],
    password: &Password,
) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if bytes.len() < PAGE_SIZE || !bytes.len().is_multiple_of(PAGE_SIZE) {
        return Err(damaged(
            "the database",
            format!(
                "is {} bytes long, not a whole number of {PAGE_SIZE}-byte pages: is it complete?",
                bytes.len()
            ),
        ));
    }
    let salt = &bytes[..SALT_LEN];
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2_hmac::<Sha1>(password.as_bytes(), salt, KDF_ITERATIONS, &mut key[..]);
    let hmac_salt: Vec<u8> = salt.iter().map(|b| b ^ 0x3a).collect();
    let mut hmac_key = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2_hmac::<Sha1>(&key[..], &hmac_salt, HMAC_KDF_ITERATIONS, &mut hmac_key[..]);

    let mut image = Zeroizing::new(Vec::with_capacity(bytes.len()));
    for (index, page) in bytes.chunks_exact(PAGE_SIZE).enumerate() {
        let number = index + 1;
        let start = if number == 1 { SALT_LEN } else { 0 };
        let end = PAGE_SIZE - RESERVED;
        let (ciphertext, iv) = (&page[start..end], &page[end..end + IV_LEN]);
        let tag = &page[end + IV_LEN..end + IV_LEN + HMAC_LEN];
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&hmac_key[..])
            .expect("invariant: HMAC takes a key of any length");
        mac.update(ciphertext);
        mac.update(iv);
        mac.update(&u32::try_from(number).unwrap_or(u32::MAX).to_le_bytes());
        if mac.verify_slice(tag).is_err() {
            return Err(if number == 1 {
                ImportError::WrongPassword {
                    field: "the database's first page",
                }
            } else {
                damaged(
                    format!("page {number} of the database"),
                    "does not match its authentication code although the password is right: the file was changed",
                )
            });
        }
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        cbc::Decryptor::<Aes256>::new_from_slices(&key[..], iv)
            .expect("invariant: a 32-byte key and a 16-byte IV")
            .decrypt_padded::<NoPadding>(&mut plain)
            .map_err(|_| {
                damaged(
                    format!("page {number} of the database"),
                    "is not whole AES blocks",
                )
            })?;
        if number == 1 {
            image.extend_from_slice(MAGIC);
        }
        image.extend_from_slice(&plain);
        image.extend_from_slice(&[0; RESERVED]);
    }
    Ok(image)
}
