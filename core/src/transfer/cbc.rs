//! AES-256-CBC with PKCS#7 padding, as older exports use it (Stratum's legacy backups, Authy,
//! Steam Desktop Authenticator, Bitwarden), and the HMAC-SHA256 check Bitwarden puts on it.
//! CBC alone authenticates nothing: a wrong key or a changed byte is noticed only by bad
//! padding (or by the plaintext not parsing), so callers say "wrong password or damaged".

use aes::Aes256;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, Unauthentic};

/// Length of an AES block and of a CBC IV, in bytes.
pub(super) const IV_LEN: usize = 16;

/// The plaintext of `ciphertext`, unpadded, wiped when dropped; [`Unauthentic`] when the
/// length is not whole blocks or the padding is wrong.
pub(super) fn open_cbc(
    key: &[u8; KEY_LEN],
    iv: &[u8; IV_LEN],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unauthentic> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(IV_LEN) {
        return Err(Unauthentic);
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let length = cbc::Decryptor::<Aes256>::new(key.into(), iv.into())
        .decrypt_padded::<Pkcs7>(&mut buffer)
        .map_err(|_| Unauthentic)?
        .len();
    buffer.truncate(length);
    Ok(buffer)
}

/// Whether `tag` is HMAC-SHA256 of `parts` (concatenated) under `key`, compared in constant
/// time.
pub(super) fn hmac_sha256_matches(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        return false;
    };
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap()
    }

    /// NIST SP 800-38A F.2.6 (CBC-AES256.Decrypt), the first block, with PKCS#7 padding of a
    /// whole block appended: the padding block was encrypted with Python's `cryptography`.
    #[test]
    fn aes_cbc_matches_sp_800_38a_and_checks_padding() {
        let key: [u8; KEY_LEN] =
            hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
                .try_into()
                .unwrap();
        let iv: [u8; IV_LEN] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let mut sealed = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd6");
        sealed.extend(hex("485a5c81519cf378fa36d42b8547edc0"));
        assert_eq!(
            open_cbc(&key, &iv, &sealed).unwrap().as_slice(),
            hex("6bc1bee22e409f96e93d7e117393172a")
        );
        assert_eq!(open_cbc(&key, &iv, &sealed[..16]), Err(Unauthentic));
        assert_eq!(open_cbc(&key, &iv, &sealed[..20]), Err(Unauthentic));
        assert_eq!(open_cbc(&key, &iv, &[]), Err(Unauthentic));
    }

    /// RFC 4231 test case 2.
    #[test]
    fn hmac_matches_rfc_4231() {
        let tag = hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert!(hmac_sha256_matches(
            b"Jefe",
            &[b"what do ya want ", b"for nothing?"],
            &tag
        ));
        assert!(!hmac_sha256_matches(b"Jefe", &[b"what do ya want"], &tag));
    }
}
