//! OCRA inputs as people and scripts type them: the PIN as text, a PIN hash and session
//! information as hex. Shells call this instead of decoding hex themselves.

use zeroize::Zeroizing;

use super::compute::{OcraError, OcraInput, OcraPin};

impl OcraInput {
    /// Builds an input from typed text. `pin` and `pin_hash_hex` are alternatives; giving both
    /// is refused so nothing is silently ignored.
    pub fn from_text(
        counter: Option<u64>,
        question: &str,
        pin: Option<&str>,
        pin_hash_hex: Option<&str>,
        session_hex: Option<&str>,
        unix_time: Option<u64>,
    ) -> Result<Self, OcraError> {
        let pin = match (pin, pin_hash_hex) {
            (Some(_), Some(_)) => return Err(OcraError::PinAndHash),
            (Some(pin), None) => Some(OcraPin::from_pin(pin)),
            (None, Some(hex)) => Some(OcraPin::Hash(decode_hex(hex, "PIN hash")?)),
            (None, None) => None,
        };
        let session = session_hex
            .map(|hex| decode_hex(hex, "session information").map(|b| b.to_vec()))
            .transpose()?;
        Ok(OcraInput {
            counter,
            question: question.trim().to_string(),
            pin,
            session,
            unix_time,
        })
    }
}

fn decode_hex(text: &str, field: &'static str) -> Result<Zeroizing<Vec<u8>>, OcraError> {
    let cleaned: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(cleaned.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| OcraError::BadHex { field })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_fields_are_decoded() {
        let input = OcraInput::from_text(
            Some(3),
            " 12345678 ",
            None,
            Some("7110EDA4 d09e"),
            Some("00ff"),
            Some(60),
        )
        .unwrap();
        assert_eq!(input.counter, Some(3));
        assert_eq!(input.question, "12345678");
        assert_eq!(input.session.as_deref(), Some(&[0x00, 0xff][..]));
        assert_eq!(input.unix_time, Some(60));
        match input.pin {
            Some(OcraPin::Hash(hash)) => {
                assert_eq!(hash.as_slice(), &[0x71, 0x10, 0xed, 0xa4, 0xd0, 0x9e])
            }
            other => panic!("expected a hash, got {other:?}"),
        }
    }

    #[test]
    fn bad_hex_names_its_field() {
        let error = OcraInput::from_text(None, "1", None, Some("xyz"), None, None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the PIN hash must be written in hex (pairs of 0-9 and a-f)"
        );
        let error = OcraInput::from_text(None, "1", None, None, Some("abc"), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the session information must be written in hex (pairs of 0-9 and a-f)"
        );
    }

    #[test]
    fn pin_and_pin_hash_together_are_refused() {
        let error =
            OcraInput::from_text(None, "1", Some("1234"), Some("00"), None, None).unwrap_err();
        assert_eq!(error, OcraError::PinAndHash);
        assert_eq!(error.to_string(), "give the PIN or its hash, not both");
    }
}
