//! The keys that open a PSKC file's encrypted values (RFC 6030 section 6): a pre-shared AES key
//! (section 6.1), or one PBKDF2 derives from a password (section 6.2, PKCS #5 v2.0). Each
//! `EncryptedValue` holds AES-CBC ciphertext with its IV prefixed; when the file has a
//! `MACMethod`, each also carries a `ValueMAC`, HMAC over that IV and ciphertext, keyed with the
//! `MACKey` (itself encrypted with the same key; section 6.1.1).
//!
//! PBKDF2's iteration count is bounded before any work. A key that does not open the MAC key is
//! a wrong password or key; a value whose MAC does not match once the MAC key has opened is a
//! changed file. Keys are asymmetric (section 6.3) only in files Tessera cannot open without the
//! private key, which is refused as such.

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use pbkdf2::pbkdf2_hmac;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use zeroize::Zeroizing;

use super::tree::Element;
use crate::transfer::crypto::{MAX_PBKDF2_ITERATIONS, base64, damaged};
use crate::transfer::password::Password;
use crate::transfer::report::ImportError;

/// AES's block, and so the length of the IV before each ciphertext.
const BLOCK: usize = 16;
/// The URI fragment (after `#`) of the PBKDF2 key derivation (PKCS #5 v2.0).
const PBKDF2: &str = "pbkdf2";

/// The key a PSKC file's encrypted values open with, and the MAC key that checks them.
pub(super) struct Keys {
    key: Zeroizing<Vec<u8>>,
    mac: Option<MacKey>,
}

struct MacKey {
    hash: MacHash,
    key: Zeroizing<Vec<u8>>,
}

#[derive(Clone, Copy)]
enum MacHash {
    Sha1,
    Sha256,
    Sha512,
}

/// How a PSKC file's `EncryptionKey` asks to be opened.
pub(super) enum Protection<'a> {
    /// No `EncryptionKey`: every value is plain.
    Plain,
    /// A key both sides hold, named by `ds:KeyName`.
    PreShared,
    /// PBKDF2 from a password, with the file's parameters.
    Password(&'a Element),
}

/// What `EncryptionKey` asks for, or why Tessera cannot open the file.
pub(super) fn protection(root: &Element) -> Result<Protection<'_>, ImportError> {
    let Some(encryption_key) = root.child("EncryptionKey") else {
        return Ok(Protection::Plain);
    };
    if let Some(derived) = encryption_key.child("DerivedKey") {
        return Ok(Protection::Password(derived));
    }
    if encryption_key.child("X509Data").is_some() || encryption_key.child("KeyValue").is_some() {
        return Err(ImportError::NotSupportedYet {
            what: "this PSKC file's keys are encrypted to a certificate (a public key, RFC 6030 section 6.3)",
            them: "PSKC files encrypted with a public key",
        });
    }
    Ok(Protection::PreShared)
}

/// The keys of an encrypted file from `secret`: a hex key for a pre-shared key, a password for
/// a derived one.
pub(super) fn open_keys(
    root: &Element,
    protection: &Protection<'_>,
    secret: &Password,
) -> Result<Keys, ImportError> {
    let key = match protection {
        Protection::Plain => Zeroizing::new(Vec::new()),
        Protection::PreShared => pre_shared_key(secret)?,
        Protection::Password(derived) => derive_key(derived, secret)?,
    };
    let mac = match root.child("MACMethod") {
        Some(method) => Some(mac_key(method, &key)?),
        None => None,
    };
    Ok(Keys { key, mac })
}

/// A pre-shared AES key is given where a password would be, as hexadecimal digits.
fn pre_shared_key(given: &Password) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let text: String = given
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let text = Zeroizing::new(text);
    let key = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| ImportError::PreSharedKeyNeeded)?;
    if ![16, 24, 32].contains(&key.len()) {
        return Err(ImportError::PreSharedKeyNeeded);
    }
    Ok(key)
}

/// PBKDF2 of the password with the parameters of `DerivedKey` (RFC 6030 section 6.2), bounded
/// before it runs.
fn derive_key(derived: &Element, password: &Password) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    const FIELD: &str = "EncryptionKey.DerivedKey.KeyDerivationMethod";
    let method = derived
        .child("KeyDerivationMethod")
        .ok_or_else(|| damaged("EncryptionKey.DerivedKey", "has no KeyDerivationMethod"))?;
    let algorithm = method.attribute("Algorithm").unwrap_or_default();
    if fragment(algorithm) != PBKDF2 {
        return Err(damaged(
            format!("{FIELD}.Algorithm"),
            format!("names \"{algorithm}\": Tessera derives keys with PBKDF2 only"),
        ));
    }
    let params = method
        .child("PBKDF2-params")
        .ok_or_else(|| damaged(FIELD, "has no PBKDF2-params"))?;
    let field = |name: &str| format!("{FIELD}.PBKDF2-params.{name}");
    let iterations = params
        .text_at(&["IterationCount"])
        .ok_or_else(|| damaged(field("IterationCount"), "is missing"))?;
    let iterations: u64 = iterations
        .parse()
        .map_err(|_| damaged(field("IterationCount"), "is not a whole number"))?;
    if iterations == 0 {
        return Err(damaged(field("IterationCount"), "must be at least 1"));
    }
    if iterations > u64::from(MAX_PBKDF2_ITERATIONS) {
        return Err(ImportError::KdfTooCostly {
            what: format!("PBKDF2 iterations ({})", field("IterationCount")),
            value: iterations,
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        });
    }
    let length = match params.text_at(&["KeyLength"]) {
        None => 16,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| [16, 24, 32].contains(n))
            .ok_or_else(|| {
                damaged(
                    field("KeyLength"),
                    "must be 16, 24 or 32 (bytes of an AES key)",
                )
            })?,
    };
    let salt = base64(
        params.text_at(&["Salt", "Specified"]),
        &field("Salt.Specified"),
    )?;
    let prf = params
        .child("PRF")
        .and_then(|prf| prf.attribute("Algorithm"))
        .map(fragment)
        .unwrap_or("hmac-sha1");
    // The count fits: it is at most MAX_PBKDF2_ITERATIONS, a u32.
    let rounds = iterations as u32;
    let mut key = Zeroizing::new(vec![0u8; length]);
    match prf {
        "hmac-sha1" | "" => pbkdf2_hmac::<Sha1>(password.as_bytes(), &salt, rounds, &mut key),
        "hmac-sha256" => pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, rounds, &mut key),
        "hmac-sha512" => pbkdf2_hmac::<Sha512>(password.as_bytes(), &salt, rounds, &mut key),
        other => {
            return Err(damaged(
                field("PRF"),
                format!("names \"{other}\": Tessera knows hmac-sha1, hmac-sha256 and hmac-sha512"),
            ));
        }
    }
    Ok(key)
}

/// The MAC key of `MACMethod`, opened with `key`; without a `MACKey` the encryption key itself.
fn mac_key(method: &Element, key: &[u8]) -> Result<MacKey, ImportError> {
    let algorithm = method.attribute("Algorithm").unwrap_or_default();
    let hash = match fragment(algorithm) {
        "hmac-sha1" => MacHash::Sha1,
        "hmac-sha256" => MacHash::Sha256,
        "hmac-sha512" => MacHash::Sha512,
        _ => {
            return Err(damaged(
                "MACMethod.Algorithm",
                format!(
                    "names \"{algorithm}\": Tessera checks hmac-sha1, hmac-sha256 and hmac-sha512"
                ),
            ));
        }
    };
    let key = match method.child("MACKey") {
        None => Zeroizing::new(key.to_vec()),
        Some(wrapped) => {
            let sealed = cipher_value(wrapped, "MACMethod.MACKey")?;
            check_method(wrapped, key.len(), "MACMethod.MACKey")
                .map_err(|problem| damaged("MACMethod.MACKey.EncryptionMethod", problem))?;
            decrypt(key, &sealed).ok_or(ImportError::WrongPassword {
                field: "MACMethod.MACKey",
            })?
        }
    };
    Ok(MacKey { hash, key })
}

impl Keys {
    /// The plaintext of the `EncryptedValue` inside `value` (a `Secret` or `Counter`), checked
    /// against the `ValueMAC` beside it. `field` names `value` in errors. An encryption method
    /// Tessera does not read is the entry's problem (`Ok(Err(reason))`); a value that does not
    /// open or whose MAC is wrong is the file's.
    pub(super) fn open(
        &self,
        value: &Element,
        field: &str,
    ) -> Result<Result<Zeroizing<Vec<u8>>, String>, ImportError> {
        let encrypted = value
            .child("EncryptedValue")
            .ok_or_else(|| damaged(field, "has neither a PlainValue nor an EncryptedValue"))?;
        if self.key.is_empty() {
            return Ok(Err(
                "its secret is encrypted, but the file names no key (EncryptionKey)".to_string(),
            ));
        }
        if let Err(problem) = check_method(encrypted, self.key.len(), field) {
            return Ok(Err(problem));
        }
        let sealed = cipher_value(encrypted, &format!("{field}.EncryptedValue"))?;
        if let Some(mac) = &self.mac {
            let expected = base64(value.text_at(&["ValueMAC"]), &format!("{field}.ValueMAC"))?;
            if !mac.verify(&sealed, &expected) {
                return Err(damaged(
                    format!("{field}.ValueMAC"),
                    "does not match the encrypted value: the file was changed",
                ));
            }
        }
        match decrypt(&self.key, &sealed) {
            Some(plain) => Ok(Ok(plain)),
            None if self.mac.is_some() => Err(damaged(
                format!("{field}.EncryptedValue"),
                "does not decrypt although its MAC is right: the file was made wrongly",
            )),
            None => Err(ImportError::WrongPassword {
                field: "an EncryptedValue",
            }),
        }
    }
}

impl MacKey {
    fn verify(&self, message: &[u8], expected: &[u8]) -> bool {
        fn check<M: Mac + KeyInit>(key: &[u8], message: &[u8], expected: &[u8]) -> bool {
            let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
                return false;
            };
            mac.update(message);
            mac.verify_slice(expected).is_ok()
        }
        match self.hash {
            MacHash::Sha1 => check::<Hmac<Sha1>>(&self.key, message, expected),
            MacHash::Sha256 => check::<Hmac<Sha256>>(&self.key, message, expected),
            MacHash::Sha512 => check::<Hmac<Sha512>>(&self.key, message, expected),
        }
    }
}

/// The IV and ciphertext in `CipherData.CipherValue`.
fn cipher_value(encrypted: &Element, field: &str) -> Result<Vec<u8>, ImportError> {
    let sealed = base64(
        encrypted.text_at(&["CipherData", "CipherValue"]),
        &format!("{field}.CipherData.CipherValue"),
    )?;
    if sealed.len() < 2 * BLOCK || sealed.len() % BLOCK != 0 {
        return Err(damaged(
            format!("{field}.CipherData.CipherValue"),
            format!(
                "is {} bytes long: an IV and whole AES blocks are needed (was the file cut?)",
                sealed.len()
            ),
        ));
    }
    Ok(sealed)
}

/// Whether `EncryptionMethod` names the AES-CBC that fits a key of `key_len` bytes.
fn check_method(encrypted: &Element, key_len: usize, field: &str) -> Result<(), String> {
    let algorithm = encrypted
        .child("EncryptionMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .ok_or_else(|| format!("{field} names no EncryptionMethod"))?;
    let needs = match fragment(algorithm) {
        "aes128-cbc" => 16,
        "aes192-cbc" => 24,
        "aes256-cbc" => 32,
        _ => {
            return Err(format!(
                "it is encrypted with \"{algorithm}\": Tessera reads AES-CBC (aes128-cbc, aes192-cbc, aes256-cbc)"
            ));
        }
    };
    if needs != key_len {
        return Err(format!(
            "it is encrypted with \"{algorithm}\", which needs a {needs}-byte key, but the key is {key_len} bytes"
        ));
    }
    Ok(())
}

/// AES-CBC with PKCS #7 padding; `sealed` is the IV followed by the ciphertext. `None` when
/// the padding is wrong: the key is not the one it was encrypted with.
fn decrypt(key: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (iv, ciphertext) = sealed.split_at(BLOCK);
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let length = match key.len() {
        16 => cbc::Decryptor::<Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(&mut buffer)
            .ok()?
            .len(),
        24 => cbc::Decryptor::<Aes192>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(&mut buffer)
            .ok()?
            .len(),
        32 => cbc::Decryptor::<Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(&mut buffer)
            .ok()?
            .len(),
        _ => return None,
    };
    buffer.truncate(length);
    Some(buffer)
}

/// The part of an algorithm URI after its last `#` (or the URI when it has none), which is how
/// XML Encryption and PSKC name algorithms.
pub(super) fn fragment(uri: &str) -> &str {
    uri.trim().rsplit('#').next().unwrap_or_default()
}
