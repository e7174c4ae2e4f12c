//! Computing an OCRA response (RFC 6287 section 5): the HMAC of the suite's DataInput, truncated
//! as the suite says.
//!
//! DataInput = suite text (ASCII) | 0x00 | C | Q | P | S | T, each field present only when the
//! suite names it, encoded as RFC 6287 Appendix A (the reference implementation) does:
//! - C: the counter, 8 bytes big-endian;
//! - Q: always 128 bytes, the question left-aligned and padded on the right with zeros. A numeric
//!   question is read as a decimal integer of any size and written in hex digits (so 99999999 is
//!   `5F5E0FF` and signs as the bytes `5f 5e 0f f0 00 …`); an alphanumeric one is its ASCII bytes;
//!   a hex one is the bytes its digits spell (an odd last digit is the high nibble of a byte);
//! - P: the PIN's hash with the suite's hash (20, 32 or 64 bytes);
//! - S: the session information, padded on the left with zero bytes to the suite's length;
//! - T: the number of whole time steps since the Unix epoch, 8 bytes big-endian.

use std::fmt;

use sha1::Digest;
use zeroize::Zeroizing;

use super::suite::{OcraSuite, OcraSuiteError, QuestionFormat};
use crate::codes::Algorithm;
use crate::codes::hotp::{hmac, truncate};
use crate::secret::SecretBytes;

/// The size of the Q field, in bytes (RFC 6287 section 5.1).
const QUESTION_BYTES: usize = 128;

/// The longest alphanumeric or numeric question accepted, in characters.
pub const MAX_QUESTION_CHARACTERS: usize = 128;

/// The longest hex question accepted, in hex digits (they fill the 128-byte field).
pub const MAX_HEX_QUESTION_DIGITS: usize = 2 * QUESTION_BYTES;

/// The PIN or password for a suite with a `P` part. Both forms are wiped from memory when
/// dropped, and `Debug` never shows them.
#[derive(Clone)]
pub enum OcraPin {
    /// The PIN as the user types it; it is hashed (its UTF-8 bytes) with the suite's P hash.
    Pin(Zeroizing<String>),
    /// The PIN already hashed with the suite's P hash, as some servers hand it over. Its length
    /// must match that hash: 20 bytes for SHA1, 32 for SHA256, 64 for SHA512.
    Hash(Zeroizing<Vec<u8>>),
}

impl OcraPin {
    /// A PIN as typed.
    pub fn from_pin(pin: &str) -> Self {
        OcraPin::Pin(Zeroizing::new(pin.to_owned()))
    }

    /// A PIN already hashed with the suite's P hash.
    pub fn from_hash(hash: Vec<u8>) -> Self {
        OcraPin::Hash(Zeroizing::new(hash))
    }
}

impl fmt::Debug for OcraPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OcraPin::Pin(_) => f.write_str("OcraPin::Pin(<redacted>)"),
            OcraPin::Hash(hash) => write!(f, "OcraPin::Hash(<{} bytes redacted>)", hash.len()),
        }
    }
}

/// The inputs of one OCRA computation. Give exactly the fields the suite names: a missing one
/// and an extra one are both errors, so a misconfigured suite is noticed rather than silently
/// giving a code the server will refuse.
#[derive(Debug, Clone, Default)]
pub struct OcraInput {
    /// The counter, for a suite with `C`.
    pub counter: Option<u64>,
    /// The challenge question; always needed. In mutual mode (RFC 6287 section 7.2) it is the
    /// other party's challenge followed by your own, written as one string.
    pub question: String,
    /// The PIN, for a suite with `P`.
    pub pin: Option<OcraPin>,
    /// Session information, for a suite with `S`: at most the suite's length in bytes; shorter
    /// values are padded on the left with zero bytes, as RFC 6287 Appendix A does.
    pub session: Option<Vec<u8>>,
    /// The time (Unix seconds, UTC), for a suite with `T`; it is counted in the suite's steps.
    pub unix_time: Option<u64>,
}

/// Why an OCRA response could not be computed. Messages never include the secret, the PIN or
/// its hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcraError {
    /// The suite text could not be read (for callers that parse and compute in one step).
    #[error(transparent)]
    Suite(#[from] OcraSuiteError),
    /// The secret has no bytes.
    #[error("the secret is empty")]
    EmptySecret,
    /// The suite has `C` but no counter was given.
    #[error("the suite needs a counter (C) but none was given")]
    MissingCounter,
    /// A counter was given to a suite without `C`.
    #[error("a counter was given, but the suite does not use one (it has no C)")]
    UnexpectedCounter,
    /// The question is empty.
    #[error("the challenge question is empty, but every OCRA suite needs one (Q)")]
    EmptyQuestion,
    /// The question does not fit in the 128-byte field.
    #[error("the challenge question is {length} characters long; at most {max} fit for the suite's Q{letter} format", letter = .format.letter())]
    QuestionTooLong {
        /// Characters given.
        length: usize,
        /// Most accepted for this format.
        max: usize,
        /// The suite's question format.
        format: QuestionFormat,
    },
    /// A character the suite's question format does not allow.
    #[error(
        "character {position} of the challenge question is not allowed: the suite's Q{letter} format takes {allowed}",
        letter = .format.letter(),
        allowed = .format.allowed_characters()
    )]
    BadQuestionCharacter {
        /// 1-based position of the first offending character.
        position: usize,
        /// The suite's question format.
        format: QuestionFormat,
    },
    /// The suite has `P` but no PIN was given.
    #[error("the suite needs a PIN (P) but none was given")]
    MissingPin,
    /// A PIN was given to a suite without `P`.
    #[error("a PIN was given, but the suite does not use one (it has no P)")]
    UnexpectedPin,
    /// The PIN is empty.
    #[error("the PIN is empty")]
    EmptyPin,
    /// A PIN hash whose length does not match the suite's P hash.
    #[error("the PIN hash must be {expected} bytes long for the suite's P{algorithm}, not {found}")]
    BadPinHashLength {
        /// The suite's P hash.
        algorithm: Algorithm,
        /// Bytes that hash produces.
        expected: usize,
        /// Bytes given.
        found: usize,
    },
    /// The suite has `S` but no session information was given.
    #[error("the suite needs session information (S) but none was given")]
    MissingSession,
    /// Session information was given to a suite without `S`.
    #[error("session information was given, but the suite does not use it (it has no S)")]
    UnexpectedSession,
    /// More session bytes than the suite's `Snnn` allows.
    #[error("the session information is {length} bytes long; the suite allows at most {max}")]
    SessionTooLong {
        /// Bytes given.
        length: usize,
        /// The suite's session length.
        max: usize,
    },
    /// The suite has `T` but no time was given.
    #[error("the suite needs the time (T) but none was given")]
    MissingTime,
    /// A time was given to a suite without `T`.
    #[error("a time was given, but the suite does not use it (it has no T)")]
    UnexpectedTime,
    /// Both the PIN and its hash were given.
    #[error("give the PIN or its hash, not both")]
    PinAndHash,
    /// A hex field (`field` names it) could not be read.
    #[error("the {field} must be written in hex (pairs of 0-9 and a-f)")]
    BadHex {
        /// "PIN hash" or "session information".
        field: &'static str,
    },
}

/// The OCRA response for `input` under `suite`: the suite's number of decimal digits,
/// zero-padded, or for a suite with 0 digits (no truncation) the whole HMAC in lower-case hex.
pub fn ocra(
    suite: &OcraSuite,
    secret: &SecretBytes,
    input: &OcraInput,
) -> Result<String, OcraError> {
    if secret.is_empty() {
        return Err(OcraError::EmptySecret);
    }
    let message = data_input(suite, input)?;
    let mac = hmac(suite.algorithm(), secret.as_bytes(), &message);
    Ok(truncate(&mac, suite.digits()))
}

/// The complete message OCRA signs for `input` under `suite` (RFC 6287 section 5.1). Exposed
/// for tests that compare it with published encodings; not a stable API.
#[doc(hidden)]
pub fn data_input(suite: &OcraSuite, input: &OcraInput) -> Result<Zeroizing<Vec<u8>>, OcraError> {
    // Check everything before building anything.
    let counter = match (suite.uses_counter(), input.counter) {
        (true, Some(counter)) => Some(counter),
        (true, None) => return Err(OcraError::MissingCounter),
        (false, Some(_)) => return Err(OcraError::UnexpectedCounter),
        (false, None) => None,
    };
    let question = question_field(suite.question_format(), &input.question)?;
    let pin_hash = match (suite.pin_hash(), &input.pin) {
        (Some(algorithm), Some(pin)) => Some(hash_pin(algorithm, pin)?),
        (Some(_), None) => return Err(OcraError::MissingPin),
        (None, Some(_)) => return Err(OcraError::UnexpectedPin),
        (None, None) => None,
    };
    let session = match (suite.session_length(), &input.session) {
        (Some(length), Some(session)) => {
            let length = usize::from(length);
            if session.len() > length {
                return Err(OcraError::SessionTooLong {
                    length: session.len(),
                    max: length,
                });
            }
            Some((length, session))
        }
        (Some(_), None) => return Err(OcraError::MissingSession),
        (None, Some(_)) => return Err(OcraError::UnexpectedSession),
        (None, None) => None,
    };
    let time_steps = match (suite.time_step_seconds(), input.unix_time) {
        // The parser only accepts steps of at least one second; max(1) keeps this total anyway.
        (Some(step), Some(time)) => Some(time / step.max(1)),
        (Some(_), None) => return Err(OcraError::MissingTime),
        (None, Some(_)) => return Err(OcraError::UnexpectedTime),
        (None, None) => None,
    };

    let suite_text = suite.as_bytes();
    // Room for the largest P and S, so the buffer never reallocates (leaving an unwiped copy).
    let capacity = suite_text.len() + 1 + 8 + QUESTION_BYTES + 64 + 512 + 8;
    let mut message = Zeroizing::new(Vec::with_capacity(capacity));
    message.extend_from_slice(suite_text);
    message.push(0x00);
    if let Some(counter) = counter {
        message.extend_from_slice(&counter.to_be_bytes());
    }
    message.extend_from_slice(&question);
    if let Some(hash) = &pin_hash {
        message.extend_from_slice(hash);
    }
    if let Some((length, session)) = session {
        let padded = message.len() + (length - session.len());
        message.resize(padded, 0);
        message.extend_from_slice(session);
    }
    if let Some(steps) = time_steps {
        message.extend_from_slice(&steps.to_be_bytes());
    }
    Ok(message)
}

/// The 128-byte Q field for a question in `format`.
///
/// The suite's `xx` (the longest question the client supports) is deliberately not enforced:
/// in mutual mode (RFC 6287 section 7.2, vectors in Appendix C.2) the question is the server's
/// and the client's challenges concatenated, so a `QA08` suite signs 16-character questions.
/// The hard limit is what fits the field: 128 characters for A and N, 256 hex digits for H.
fn question_field(
    format: QuestionFormat,
    question: &str,
) -> Result<[u8; QUESTION_BYTES], OcraError> {
    if question.is_empty() {
        return Err(OcraError::EmptyQuestion);
    }
    if let Some(index) = question.chars().position(|c| !format.accepts(c)) {
        return Err(OcraError::BadQuestionCharacter {
            position: index + 1,
            format,
        });
    }
    // Only ASCII from here on, so bytes and characters are the same.
    let max = match format {
        QuestionFormat::Hex => MAX_HEX_QUESTION_DIGITS,
        QuestionFormat::Alphanumeric | QuestionFormat::Numeric => MAX_QUESTION_CHARACTERS,
    };
    let too_long = || OcraError::QuestionTooLong {
        length: question.len(),
        max,
        format,
    };
    if question.len() > max {
        return Err(too_long());
    }
    let mut field = [0u8; QUESTION_BYTES];
    match format {
        QuestionFormat::Alphanumeric => {
            field[..question.len()].copy_from_slice(question.as_bytes())
        }
        QuestionFormat::Numeric => {
            let nibbles = decimal_to_nibbles(question.as_bytes());
            // 128 decimal digits need at most 107 hex digits, so this cannot trigger.
            if nibbles.len() > 2 * QUESTION_BYTES {
                return Err(too_long());
            }
            pack_nibbles(&mut field, nibbles);
        }
        QuestionFormat::Hex => pack_nibbles(&mut field, question.bytes().map(hex_value)),
    }
    Ok(field)
}

/// Writes hex digit values into `field` from its start, two to a byte, high nibble first; an
/// odd last digit fills the high half of its byte. Digits past the field are dropped (callers
/// check lengths first).
fn pack_nibbles(field: &mut [u8; QUESTION_BYTES], nibbles: impl IntoIterator<Item = u8>) {
    for (index, nibble) in nibbles.into_iter().enumerate().take(2 * QUESTION_BYTES) {
        let shift = if index % 2 == 0 { 4 } else { 0 };
        field[index / 2] |= nibble << shift;
    }
}

/// The value of an ASCII hex digit (callers have checked it is one).
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// The hex digits (as values 0-15, most significant first, no leading zeros, "0" for zero) of a
/// decimal number of any length, given as ASCII digits the caller has checked.
fn decimal_to_nibbles(decimal: &[u8]) -> Vec<u8> {
    // Little-endian base-2^32 limbs: multiply by ten and add each digit.
    let mut limbs: Vec<u32> = vec![0];
    for &digit in decimal {
        let mut carry = u64::from(digit.saturating_sub(b'0'));
        for limb in &mut limbs {
            let value = u64::from(*limb) * 10 + carry;
            *limb = value as u32; // the low 32 bits
            carry = value >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let mut nibbles: Vec<u8> = limbs
        .iter()
        .rev()
        .flat_map(|limb| {
            (0..8)
                .rev()
                .map(move |index| ((limb >> (4 * index)) & 0xf) as u8)
        })
        .collect();
    let leading_zeros = nibbles
        .iter()
        .take_while(|&&n| n == 0)
        .count()
        .min(nibbles.len() - 1);
    nibbles.drain(..leading_zeros);
    nibbles
}

/// The P field: the PIN hashed with the suite's hash, or a given hash of the right length.
fn hash_pin(algorithm: Algorithm, pin: &OcraPin) -> Result<Zeroizing<Vec<u8>>, OcraError> {
    let expected = match algorithm {
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
        Algorithm::Sha512 => 64,
    };
    match pin {
        OcraPin::Pin(text) => {
            if text.is_empty() {
                return Err(OcraError::EmptyPin);
            }
            let bytes = text.as_bytes();
            Ok(Zeroizing::new(match algorithm {
                Algorithm::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
                Algorithm::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
                Algorithm::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
            }))
        }
        OcraPin::Hash(hash) if hash.len() == expected => Ok(hash.clone()),
        OcraPin::Hash(hash) => Err(OcraError::BadPinHashLength {
            algorithm,
            expected,
            found: hash.len(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite(text: &str) -> OcraSuite {
        text.parse().unwrap()
    }

    fn key20() -> SecretBytes {
        SecretBytes::new(b"12345678901234567890".to_vec())
    }

    fn question(text: &str) -> OcraInput {
        OcraInput {
            question: text.to_owned(),
            ..OcraInput::default()
        }
    }

    fn hex(bytes: &[u8]) -> String {
        data_encoding::HEXLOWER.encode(bytes)
    }

    #[test]
    fn first_rfc6287_value() {
        // RFC 6287 Appendix C.1 (all 70 vectors are in tests/rfc_vectors.rs).
        let code = ocra(
            &suite("OCRA-1:HOTP-SHA1-6:QN08"),
            &key20(),
            &question("00000000"),
        )
        .unwrap();
        assert_eq!(code, "237653");
    }

    #[test]
    fn numeric_questions_are_written_in_hex() {
        let field = question_field(QuestionFormat::Numeric, "99999999").unwrap();
        assert_eq!(hex(&field[..5]), "5f5e0ff000");
        assert!(field[5..].iter().all(|&b| b == 0));
        assert_eq!(
            question_field(QuestionFormat::Numeric, "0000").unwrap(),
            [0u8; 128]
        );
        // Past u64: 10^64 = 0x184F03E93FF9F4DAA797ED6E38ED64BF6A1F010000000000000000.
        let big = format!("1{}", "0".repeat(64));
        let nibbles: String = decimal_to_nibbles(big.as_bytes())
            .iter()
            .map(|n| char::from_digit(u32::from(*n), 16).unwrap())
            .collect();
        assert_eq!(
            nibbles,
            "184f03e93ff9f4daa797ed6e38ed64bf6a1f010000000000000000"
        );
        // u64::MAX + 1.
        let nibbles = decimal_to_nibbles(b"18446744073709551616");
        assert_eq!(nibbles, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // The longest numeric question fits.
        assert!(question_field(QuestionFormat::Numeric, &"9".repeat(128)).is_ok());
    }

    #[test]
    fn hex_and_alphanumeric_questions() {
        let field = question_field(QuestionFormat::Hex, "aBc").unwrap();
        assert_eq!(hex(&field[..3]), "abc000");
        let field = question_field(QuestionFormat::Hex, &"f".repeat(256)).unwrap();
        assert!(field.iter().all(|&b| b == 0xff));
        let field = question_field(QuestionFormat::Alphanumeric, "SIG10000").unwrap();
        assert_eq!(&field[..8], b"SIG10000");
        assert!(field[8..].iter().all(|&b| b == 0));
    }

    #[test]
    fn question_errors_name_the_problem() {
        assert_eq!(
            question_field(QuestionFormat::Numeric, ""),
            Err(OcraError::EmptyQuestion)
        );
        assert_eq!(
            OcraError::EmptyQuestion.to_string(),
            "the challenge question is empty, but every OCRA suite needs one (Q)"
        );
        let error = question_field(QuestionFormat::Numeric, "12a4").unwrap_err();
        assert_eq!(
            error,
            OcraError::BadQuestionCharacter {
                position: 3,
                format: QuestionFormat::Numeric
            }
        );
        assert_eq!(
            error.to_string(),
            "character 3 of the challenge question is not allowed: the suite's QN format takes digits 0-9 only"
        );
        assert_eq!(
            question_field(QuestionFormat::Alphanumeric, "SIG 1")
                .unwrap_err()
                .to_string(),
            "character 4 of the challenge question is not allowed: the suite's QA format takes ASCII letters and digits only"
        );
        assert_eq!(
            question_field(QuestionFormat::Hex, "0g")
                .unwrap_err()
                .to_string(),
            "character 2 of the challenge question is not allowed: the suite's QH format takes hex digits 0-9 and A-F only"
        );
        assert!(matches!(
            question_field(QuestionFormat::Alphanumeric, "é"),
            Err(OcraError::BadQuestionCharacter { position: 1, .. })
        ));
        let error = question_field(QuestionFormat::Alphanumeric, &"A".repeat(129)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the challenge question is 129 characters long; at most 128 fit for the suite's QA format"
        );
        assert!(matches!(
            question_field(QuestionFormat::Numeric, &"1".repeat(129)),
            Err(OcraError::QuestionTooLong {
                length: 129,
                max: 128,
                ..
            })
        ));
        assert!(matches!(
            question_field(QuestionFormat::Hex, &"1".repeat(257)),
            Err(OcraError::QuestionTooLong {
                length: 257,
                max: 256,
                ..
            })
        ));
    }

    #[test]
    fn mutual_mode_questions_may_exceed_the_suite_length() {
        let code = ocra(
            &suite("OCRA-1:HOTP-SHA256-8:QA08"),
            &key20(),
            &question("CLI22220SRV11110"),
        );
        assert!(code.is_ok());
    }

    /// A change to a complete input, the error it causes and that error's message.
    type Case = (fn(&mut OcraInput), OcraError, &'static str);

    #[test]
    fn missing_and_unexpected_inputs_are_named() {
        let plain = suite("OCRA-1:HOTP-SHA1-6:QN08");
        let full = suite("OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S064-T1M");
        let complete = OcraInput {
            counter: Some(1),
            question: "1234".into(),
            pin: Some(OcraPin::from_pin("1234")),
            session: Some(vec![1, 2, 3]),
            unix_time: Some(60),
        };
        assert!(ocra(&full, &key20(), &complete).is_ok());

        let cases: [Case; 4] = [
            (
                |i| i.counter = None,
                OcraError::MissingCounter,
                "the suite needs a counter (C) but none was given",
            ),
            (
                |i| i.pin = None,
                OcraError::MissingPin,
                "the suite needs a PIN (P) but none was given",
            ),
            (
                |i| i.session = None,
                OcraError::MissingSession,
                "the suite needs session information (S) but none was given",
            ),
            (
                |i| i.unix_time = None,
                OcraError::MissingTime,
                "the suite needs the time (T) but none was given",
            ),
        ];
        for (change, error, text) in cases {
            let mut input = complete.clone();
            change(&mut input);
            assert_eq!(ocra(&full, &key20(), &input), Err(error.clone()));
            assert_eq!(error.to_string(), text);
        }

        let cases: [Case; 4] = [
            (
                |i| i.counter = Some(0),
                OcraError::UnexpectedCounter,
                "a counter was given, but the suite does not use one (it has no C)",
            ),
            (
                |i| i.pin = Some(OcraPin::from_pin("1")),
                OcraError::UnexpectedPin,
                "a PIN was given, but the suite does not use one (it has no P)",
            ),
            (
                |i| i.session = Some(Vec::new()),
                OcraError::UnexpectedSession,
                "session information was given, but the suite does not use it (it has no S)",
            ),
            (
                |i| i.unix_time = Some(0),
                OcraError::UnexpectedTime,
                "a time was given, but the suite does not use it (it has no T)",
            ),
        ];
        for (change, error, text) in cases {
            let mut input = question("1234");
            change(&mut input);
            assert_eq!(ocra(&plain, &key20(), &input), Err(error.clone()));
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn empty_secret_is_refused() {
        let error = ocra(
            &suite("OCRA-1:HOTP-SHA1-6:QN08"),
            &SecretBytes::new(Vec::new()),
            &question("1"),
        );
        assert_eq!(error, Err(OcraError::EmptySecret));
    }

    #[test]
    fn pins_and_pin_hashes() {
        let sha1_1234 = "7110eda4d09e062aa5e4a390b0a572ac0d2c0220";
        assert_eq!(
            hex(&hash_pin(Algorithm::Sha1, &OcraPin::from_pin("1234")).unwrap()),
            sha1_1234
        );
        assert_eq!(
            hash_pin(Algorithm::Sha256, &OcraPin::from_pin("1234"))
                .unwrap()
                .len(),
            32
        );
        assert_eq!(
            hash_pin(Algorithm::Sha512, &OcraPin::from_pin("1234"))
                .unwrap()
                .len(),
            64
        );
        let given = data_encoding::HEXLOWER
            .decode(sha1_1234.as_bytes())
            .unwrap();
        assert_eq!(
            hex(&hash_pin(Algorithm::Sha1, &OcraPin::from_hash(given.clone())).unwrap()),
            sha1_1234
        );

        let error = hash_pin(Algorithm::Sha256, &OcraPin::from_hash(given)).unwrap_err();
        assert_eq!(
            error,
            OcraError::BadPinHashLength {
                algorithm: Algorithm::Sha256,
                expected: 32,
                found: 20
            }
        );
        assert_eq!(
            error.to_string(),
            "the PIN hash must be 32 bytes long for the suite's PSHA256, not 20"
        );
        let error = hash_pin(Algorithm::Sha1, &OcraPin::from_pin("")).unwrap_err();
        assert_eq!(error, OcraError::EmptyPin);
        assert_eq!(error.to_string(), "the PIN is empty");
    }

    #[test]
    fn pins_never_show_in_debug() {
        let shown = format!("{:?}", OcraPin::from_pin("987654"));
        assert_eq!(shown, "OcraPin::Pin(<redacted>)");
        let input = OcraInput {
            pin: Some(OcraPin::from_hash(vec![0xab; 20])),
            ..question("1")
        };
        let shown = format!("{input:?}");
        assert!(
            shown.contains("OcraPin::Hash(<20 bytes redacted>)"),
            "{shown}"
        );
        assert!(
            !shown.contains("171") && !shown.to_lowercase().contains("ab, ab"),
            "{shown}"
        );
    }

    #[test]
    fn session_is_padded_on_the_left_to_the_suite_length() {
        let suite = suite("OCRA-1:HOTP-SHA1-6:QN08-S004");
        let input = OcraInput {
            session: Some(vec![0xaa, 0xbb]),
            ..question("1")
        };
        let message = data_input(&suite, &input).unwrap();
        let suite_len = "OCRA-1:HOTP-SHA1-6:QN08-S004".len();
        assert_eq!(message.len(), suite_len + 1 + 128 + 4);
        assert_eq!(hex(&message[suite_len + 1 + 128..]), "0000aabb");

        let input = OcraInput {
            session: Some(vec![1; 5]),
            ..question("1")
        };
        let error = data_input(&suite, &input).unwrap_err();
        assert_eq!(error, OcraError::SessionTooLong { length: 5, max: 4 });
        assert_eq!(
            error.to_string(),
            "the session information is 5 bytes long; the suite allows at most 4"
        );

        // A bare S means 64 bytes; an empty session is all zeros.
        let suite = self::suite("OCRA-1:HOTP-SHA1-6:QN08-S");
        let message = data_input(
            &suite,
            &OcraInput {
                session: Some(Vec::new()),
                ..question("1")
            },
        )
        .unwrap();
        assert_eq!(
            message.len(),
            "OCRA-1:HOTP-SHA1-6:QN08-S".len() + 1 + 128 + 64
        );
    }

    #[test]
    fn fields_go_in_rfc_order() {
        let text = "OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S001-T30S";
        let input = OcraInput {
            counter: Some(0x0102030405060708),
            question: "15".into(),
            pin: Some(OcraPin::from_pin("1234")),
            session: Some(vec![0x5e]),
            unix_time: Some(95),
        };
        let message = data_input(&suite(text), &input).unwrap();
        let mut expected = text.as_bytes().to_vec();
        expected.push(0);
        expected.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut q = [0u8; 128];
        q[0] = 0xf0;
        expected.extend_from_slice(&q);
        expected.extend_from_slice(
            &data_encoding::HEXLOWER
                .decode(b"7110eda4d09e062aa5e4a390b0a572ac0d2c0220")
                .unwrap(),
        );
        expected.push(0x5e);
        expected.extend_from_slice(&3u64.to_be_bytes());
        assert_eq!(hex(&message), hex(&expected));
    }

    #[test]
    fn untruncated_and_long_responses() {
        let input = question("12345678");
        let full = ocra(&suite("OCRA-1:HOTP-SHA512-0:QN08"), &key20(), &input).unwrap();
        assert_eq!(full.len(), 128);
        assert!(
            full.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        let message = data_input(&suite("OCRA-1:HOTP-SHA512-0:QN08"), &input).unwrap();
        assert_eq!(
            full,
            hex(&hmac(Algorithm::Sha512, key20().as_bytes(), &message))
        );
        assert_eq!(
            ocra(&suite("OCRA-1:HOTP-SHA1-10:QN08"), &key20(), &input)
                .unwrap()
                .len(),
            10
        );
        assert_eq!(
            ocra(&suite("OCRA-1:HOTP-SHA1-4:QN08"), &key20(), &input)
                .unwrap()
                .len(),
            4
        );
    }

    #[test]
    fn time_is_counted_in_the_suite_steps() {
        let input = |time| OcraInput {
            unix_time: Some(time),
            ..question("1")
        };
        let suite = suite("OCRA-1:HOTP-SHA1-6:QN08-T2H");
        let tail = |time| {
            let message = data_input(&suite, &input(time)).unwrap();
            message[message.len() - 8..].to_vec()
        };
        assert_eq!(tail(7199), 0u64.to_be_bytes());
        assert_eq!(tail(7200), 1u64.to_be_bytes());
        assert_eq!(tail(u64::MAX), (u64::MAX / 7200).to_be_bytes());
    }
}
