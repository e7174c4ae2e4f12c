//! Sealing a small secret value that a store keeps beside its identity records (the server's
//! challenge answers' hashes) under the same [`RecordKey`], so a copy of the database without
//! the key holds nothing that could be guessed against offline.
//!
//! A sealed value is one line of text, `tessera-sealed-v1:` then the 24-byte nonce and the
//! XChaCha20-Poly1305 ciphertext with its tag, in hex, joined by `:`. The seal's associated data
//! is the caller's context (what the value belongs to, e.g. a user and a position), so a value
//! copied to another row, or changed in any byte, is refused rather than opened.

use zeroize::Zeroizing;

use super::IssuerError;
use super::sealing::RecordKey;
use super::store_files::decode_hex_array;
use crate::crypto::cipher::{self, NONCE_LEN};

/// What every sealed value starts with; names the format's version.
const PREFIX: &str = "tessera-sealed-v1:";
/// Sealed values are short secrets; anything far larger is refused without being decoded.
const MAX_SEALED_VALUE_CHARS: usize = 16 * 1024;

/// Seals `value` under `key`, bound to `context`.
pub fn seal_value(key: &RecordKey, context: &[u8], value: &[u8]) -> Result<String, IssuerError> {
    let nonce = cipher::make_nonce()?;
    let sealed = cipher::seal(key.as_bytes(), &nonce, &aad(context), value)?;
    Ok(format!(
        "{PREFIX}{}:{}",
        data_encoding::HEXLOWER.encode(&nonce),
        data_encoding::HEXLOWER.encode(&sealed)
    ))
}

/// Opens a value sealed by [`seal_value`] under `key` with this `context`; refused as
/// [`IssuerError::SealedValueDamaged`] (naming `what`) otherwise.
pub fn open_value(
    key: &RecordKey,
    context: &[u8],
    sealed: &str,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, IssuerError> {
    open(key, context, sealed).ok_or(IssuerError::SealedValueDamaged { what })
}

fn open(key: &RecordKey, context: &[u8], sealed: &str) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() > MAX_SEALED_VALUE_CHARS {
        return None;
    }
    let (nonce, ciphertext) = sealed.strip_prefix(PREFIX)?.split_once(':')?;
    let nonce: [u8; NONCE_LEN] = decode_hex_array(nonce)?;
    let ciphertext = data_encoding::HEXLOWER_PERMISSIVE
        .decode(ciphertext.as_bytes())
        .ok()?;
    cipher::open(key.as_bytes(), &nonce, &aad(context), &ciphertext).ok()
}

/// The seal's associated data: the format's version, then the caller's context.
fn aad(context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + context.len());
    aad.extend_from_slice(b"tessera sealed value v1\0");
    aad.extend_from_slice(context);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

    #[test]
    fn a_value_opens_with_its_key_and_context_only() {
        let key = RecordKey::make().unwrap();
        let sealed = seal_value(&key, b"alice\x000", SECRET).unwrap();
        assert!(sealed.starts_with("tessera-sealed-v1:"), "{sealed}");
        assert!(!sealed.contains("argon2"), "{sealed}");
        let opened = open_value(&key, b"alice\x000", &sealed, "answer").unwrap();
        assert_eq!(opened.as_slice(), SECRET);
        assert_ne!(
            seal_value(&key, b"alice\x000", SECRET).unwrap(),
            sealed,
            "a fresh nonce each time"
        );

        let other_key = RecordKey::make().unwrap();
        for (key, context) in [(&other_key, &b"alice\x000"[..]), (&key, b"alice\x001")] {
            let error = open_value(key, context, &sealed, "answer").unwrap_err();
            assert!(
                matches!(error, IssuerError::SealedValueDamaged { what: "answer" }),
                "{error:?}"
            );
        }
    }

    #[test]
    fn changed_or_malformed_values_are_refused() {
        let key = RecordKey::make().unwrap();
        let sealed = seal_value(&key, b"c", SECRET).unwrap();
        let last = sealed.len() - 1;
        let flipped = if sealed.ends_with('0') { "1" } else { "0" };
        let changed = format!("{}{flipped}", &sealed[..last]);
        let plain = String::from_utf8(SECRET.to_vec()).unwrap();
        for bad in [
            changed.as_str(),
            "",
            "tessera-sealed-v1:",
            "tessera-sealed-v1:00:00",
            plain.as_str(),
            &sealed.replace("v1", "v2"),
            &"a".repeat(MAX_SEALED_VALUE_CHARS + 1),
        ] {
            assert!(open_value(&key, b"c", bad, "answer").is_err(), "{bad:?}");
        }
        let message = open_value(&key, b"c", "x", "answer")
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "a sealed answer is damaged, was changed outside Tessera, or was sealed under another key"
        );
    }
}
