//! Shared secrets as the token holds them.
//!
//! A [`SecretBytes`] is wiped from memory when dropped, never prints its content through
//! `Debug`, and compares in constant time. Text forms of a secret (base32, hex) are returned in
//! zeroizing strings so a caller that only displays or exports them does not leave copies behind.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The longest secret accepted from any input, in bytes. HMAC keys longer than the hash block
/// are hashed first, so nothing is gained past this; it bounds what a hostile input can allocate.
pub const MAX_SECRET_BYTES: usize = 1024;

/// Bytes of a shared secret. Wiped on drop; `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

/// Why text could not be read as a secret. Messages never include the secret or any part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Nothing was given.
    #[error("the secret is empty")]
    Empty,
    /// A character that base32 does not use.
    #[error("the secret is not valid base32: character {position} is not one of A-Z and 2-7")]
    BadBase32Character {
        /// 1-based position of the offending character, counting only characters kept.
        position: usize,
    },
    /// Base32 whose length cannot come from whole bytes.
    #[error(
        "the secret is not valid base32: its length does not make whole bytes (a character is missing or extra)"
    )]
    BadBase32Length,
    /// The last character carries bits that do not belong to any byte.
    #[error(
        "the secret is not valid base32: its last character does not fit (a character is mistyped, missing or extra)"
    )]
    BadBase32Ending,
    /// A character that hex does not use.
    #[error("the secret is not valid hex: character {position} is not one of 0-9 and a-f")]
    BadHexCharacter {
        /// 1-based position of the offending character.
        position: usize,
    },
    /// Hex with an odd number of digits.
    #[error("the secret is not valid hex: it has an odd number of digits")]
    OddHexLength,
    /// Longer than [`MAX_SECRET_BYTES`].
    #[error("the secret is too long: {bytes} bytes, at most {max} are accepted")]
    TooLong {
        /// Length found.
        bytes: usize,
        /// Largest accepted length.
        max: usize,
    },
}

impl SecretBytes {
    /// Takes ownership of raw secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The raw bytes; keep the borrow short.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the secret has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in bits, for strength warnings.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// Reads a secret as people and other apps write it: base32, or hex when prefixed `hex:`.
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        match text.trim().strip_prefix("hex:") {
            Some(hex) => Self::from_hex(hex),
            None => Self::from_base32(text),
        }
    }

    /// Reads base32 leniently: any case, with or without `=` padding, spaces, dashes or
    /// newlines between groups, as authenticators print and people type it.
    pub fn from_base32(text: &str) -> Result<Self, SecretError> {
        let mut cleaned = Zeroizing::new(String::with_capacity(text.len()));
        for c in text.chars() {
            match c {
                ' ' | '\t' | '\r' | '\n' | '-' | '=' => {}
                c => cleaned.push(c.to_ascii_uppercase()),
            }
        }
        if cleaned.is_empty() {
            return Err(SecretError::Empty);
        }
        if let Some(index) = cleaned
            .chars()
            .position(|c| !matches!(c, 'A'..='Z' | '2'..='7'))
        {
            return Err(SecretError::BadBase32Character {
                position: index + 1,
            });
        }
        check_length(cleaned.len() * 5 / 8)?;
        let bytes = data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|e| match e.kind {
                data_encoding::DecodeKind::Trailing => SecretError::BadBase32Ending,
                _ => SecretError::BadBase32Length,
            })?;
        Ok(Self::new(bytes))
    }

    /// Reads hex digits in any case; spaces and colons between bytes are ignored.
    pub fn from_hex(text: &str) -> Result<Self, SecretError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !matches!(c, ' ' | ':' | '\t' | '\n' | '\r'))
                .collect(),
        );
        if cleaned.is_empty() {
            return Err(SecretError::Empty);
        }
        if let Some(index) = cleaned.chars().position(|c| !c.is_ascii_hexdigit()) {
            return Err(SecretError::BadHexCharacter {
                position: index + 1,
            });
        }
        if cleaned.len() % 2 == 1 {
            return Err(SecretError::OddHexLength);
        }
        check_length(cleaned.len() / 2)?;
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(cleaned.as_bytes())
            .map_err(|_| SecretError::OddHexLength)?;
        Ok(Self::new(bytes))
    }

    /// Unpadded upper-case base32, the form otpauth:// URIs carry.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::HEXLOWER.encode(&self.0))
    }

    /// Constant-time comparison (length is not hidden).
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        self.0.as_slice().ct_eq(other).into()
    }
}

fn check_length(bytes: usize) -> Result<(), SecretError> {
    if bytes > MAX_SECRET_BYTES {
        return Err(SecretError::TooLong {
            bytes,
            max: MAX_SECRET_BYTES,
        });
    }
    Ok(())
}

/// Stored as lower-case hex inside the encrypted payload. Reading borrows the text where the
/// deserializer allows, so no unzeroized copy of the hex is made on the way in.
impl serde::Serialize for SecretBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for SecretBytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HexVisitor;
        impl serde::de::Visitor<'_> for HexVisitor {
            type Value = SecretBytes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a secret in hex")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SecretBytes, E> {
                SecretBytes::from_hex(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(HexVisitor)
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<{} bytes redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_is_read_in_any_case_with_padding_and_spaces() {
        let expected = b"12345678901234567890";
        for text in [
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====",
        ] {
            assert_eq!(
                SecretBytes::from_base32(text).unwrap().as_bytes(),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            SecretBytes::from_base32("MZXW6===").unwrap().as_bytes(),
            b"foo"
        );
    }

    #[test]
    fn hex_is_read_with_prefix() {
        let s = SecretBytes::parse("hex:3132 3334").unwrap();
        assert_eq!(s.as_bytes(), b"1234");
        assert_eq!(s.to_hex().as_str(), "31323334");
    }

    #[test]
    fn bad_secrets_are_refused_with_a_reason() {
        assert_eq!(SecretBytes::parse("  "), Err(SecretError::Empty));
        assert_eq!(SecretBytes::parse("hex:"), Err(SecretError::Empty));
        assert_eq!(
            SecretBytes::parse("GEZ1"),
            Err(SecretError::BadBase32Character { position: 4 })
        );
        assert_eq!(SecretBytes::parse("G"), Err(SecretError::BadBase32Length));
        assert_eq!(
            SecretBytes::parse("GEZD"),
            Err(SecretError::BadBase32Ending)
        );
        assert_eq!(
            SecretBytes::parse("hex:abc"),
            Err(SecretError::OddHexLength)
        );
        assert_eq!(
            SecretBytes::parse("hex:zz"),
            Err(SecretError::BadHexCharacter { position: 1 })
        );
        let long = "A".repeat(2000);
        assert!(matches!(
            SecretBytes::parse(&long),
            Err(SecretError::TooLong { .. })
        ));
        assert_eq!(
            SecretError::BadBase32Character { position: 4 }.to_string(),
            "the secret is not valid base32: character 4 is not one of A-Z and 2-7"
        );
    }

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = SecretBytes::new(b"supersecret".to_vec());
        let shown = format!("{s:?}");
        assert_eq!(shown, "SecretBytes(<11 bytes redacted>)");
    }

    #[test]
    fn serde_round_trips_as_hex() {
        let s = SecretBytes::new(vec![0xde, 0xad, 0x01]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"dead01\"");
        assert_eq!(serde_json::from_str::<SecretBytes>(&json).unwrap(), s);
        let error = serde_json::from_str::<SecretBytes>("\"xyz\"").unwrap_err();
        assert!(error.to_string().contains("not valid hex"), "{error}");
    }

    #[test]
    fn comparison_is_by_content() {
        let s = SecretBytes::new(vec![1, 2, 3]);
        assert!(s.ct_eq(&[1, 2, 3]));
        assert!(!s.ct_eq(&[1, 2, 4]));
        assert!(!s.ct_eq(&[1, 2]));
    }
}
