//! The OCRA suite (RFC 6287 section 6): the text both sides agree on, such as
//! `OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1`, that fixes the hash, the output length and which inputs
//! go into the computation.
//!
//! Parsing is strict and case-sensitive, because the suite's exact text is part of the message
//! the HMAC signs: a suite read leniently and written back differently would give codes the
//! server never accepts. So whatever parses displays back exactly as given (after trimming
//! surrounding whitespace). Parsing never panics, whatever the input.
//!
//! Accepted, following RFC 6287 sections 5.2 and 6.3:
//! - `OCRA-1` (the only version defined);
//! - `HOTP-SHA1-t`, `HOTP-SHA256-t`, `HOTP-SHA512-t` with t = 0 (no truncation) or 4 to 10;
//! - data input parts, at most once each and in this order: `C`; `QAxx`, `QNxx` or `QHxx`
//!   (mandatory, xx two digits from 04 to 64); `PSHA1`, `PSHA256`, `PSHA512`, or `P` alone for
//!   the RFC's default SHA1; `Snnn` (nnn three digits, 001 to 512; the RFC lists 064, 128, 256 and
//!   512 as typical and says any length may be agreed), or `S` alone for the default 064; `TnG`
//!   with 1-59 `S`econds, 1-59 `M`inutes or 1-48 `H`ours, or `T` alone for the default 1M.
//!
//! Not accepted: the RFC's table lists hours as 0-48, but a zero-length time step cannot count
//! time, so `T0H` is refused here rather than failing at computation. Lengths with a missing or
//! extra leading zero (`QH8`, `S64`, `T01M`) are refused too: the text signed must be the text
//! the server holds, and the canonical forms are the ones in use.

use std::fmt;
use std::str::FromStr;

use crate::codes::Algorithm;

/// The characters a challenge question is written with (RFC 6287 section 6.3, table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionFormat {
    /// `A`: ASCII letters and digits, signed as their ASCII bytes.
    Alphanumeric,
    /// `N`: decimal digits, signed as the number written in hex.
    Numeric,
    /// `H`: hex digits, signed as the bytes they spell.
    Hex,
}

impl QuestionFormat {
    /// The letter the suite uses: `A`, `N` or `H`.
    pub fn letter(self) -> char {
        match self {
            QuestionFormat::Alphanumeric => 'A',
            QuestionFormat::Numeric => 'N',
            QuestionFormat::Hex => 'H',
        }
    }

    /// What a question in this format may contain, in words.
    pub fn allowed_characters(self) -> &'static str {
        match self {
            QuestionFormat::Alphanumeric => "ASCII letters and digits only",
            QuestionFormat::Numeric => "digits 0-9 only",
            QuestionFormat::Hex => "hex digits 0-9 and A-F only",
        }
    }

    /// Whether `c` may appear in a question of this format.
    pub(crate) fn accepts(self, c: char) -> bool {
        match self {
            QuestionFormat::Alphanumeric => c.is_ascii_alphanumeric(),
            QuestionFormat::Numeric => c.is_ascii_digit(),
            QuestionFormat::Hex => c.is_ascii_hexdigit(),
        }
    }
}

/// The unit of an OCRA time step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
}

impl TimeUnit {
    fn seconds(self) -> u64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3600,
        }
    }
}

/// A parsed OCRA suite. Build it with [`str::parse`]; [`Display`](fmt::Display) gives back the
/// exact text, which is what the HMAC signs. Serializes as that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OcraSuite {
    text: String,
    algorithm: Algorithm,
    digits: u8,
    counter: bool,
    question_format: QuestionFormat,
    question_length: u8,
    pin_hash: Option<Algorithm>,
    session_length: Option<u16>,
    time_step: Option<(u8, TimeUnit)>,
}

impl OcraSuite {
    /// The HMAC hash of the crypto function (`HOTP-SHA256-8` → SHA256).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Digits in a response: 4 to 10, or 0 for no truncation (the response is then the whole
    /// HMAC in lower-case hex).
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// Whether the computation takes a counter (`C`).
    pub fn uses_counter(&self) -> bool {
        self.counter
    }

    /// The characters the challenge question is written with.
    pub fn question_format(&self) -> QuestionFormat {
        self.question_format
    }

    /// The `xx` of `Qxx`: the longest question the client supports, 4 to 64. Not enforced as a
    /// maximum by [`ocra`](super::ocra), because mutual mode concatenates two questions.
    pub fn question_length(&self) -> u8 {
        self.question_length
    }

    /// Whether the computation takes a PIN (`P`).
    pub fn uses_pin(&self) -> bool {
        self.pin_hash.is_some()
    }

    /// The hash the PIN is signed as (`PSHA256` → SHA256), if the suite takes a PIN.
    pub fn pin_hash(&self) -> Option<Algorithm> {
        self.pin_hash
    }

    /// Bytes of session information the computation takes (`S064` → 64), if any.
    pub fn session_length(&self) -> Option<u16> {
        self.session_length
    }

    /// Seconds in one time step (`T1M` → 60, `T48H` → 172800), if the computation takes the time.
    pub fn time_step_seconds(&self) -> Option<u64> {
        self.time_step
            .map(|(count, unit)| u64::from(count) * unit.seconds())
    }

    /// The suite's text as ASCII bytes, the start of the signed message.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }
}

impl fmt::Display for OcraSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for OcraSuite {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for OcraSuite {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a text is not an OCRA suite. Each message names the part that is wrong and what it
/// should look like; parts are quoted as given (cut at 40 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcraSuiteError {
    /// Nothing but whitespace.
    #[error("the OCRA suite is empty")]
    Empty,
    /// Not three colon-separated parts.
    #[error(
        "an OCRA suite has three parts separated by colons, like OCRA-1:HOTP-SHA1-6:QN08, but this one has {parts}"
    )]
    WrongShape {
        /// How many parts were found.
        parts: usize,
    },
    /// The first part is not `OCRA-1`.
    #[error(
        "the OCRA suite must start with OCRA-1 (the only version RFC 6287 defines), not '{found}'"
    )]
    BadVersion {
        /// The first part as given.
        found: String,
    },
    /// The second part is not `HOTP-<hash>-<digits>`.
    #[error(
        "the OCRA suite's crypto function '{found}' must be HOTP-SHA1, HOTP-SHA256 or HOTP-SHA512 followed by a hyphen and the number of digits, like HOTP-SHA1-6"
    )]
    BadCryptoFunction {
        /// The second part as given.
        found: String,
    },
    /// The number of digits is not 0 or 4 to 10.
    #[error("the OCRA suite's number of digits '{found}' must be 0 (no truncation) or 4 to 10")]
    BadDigits {
        /// The digits part as given.
        found: String,
    },
    /// The third part is empty or has no `Q` part.
    #[error("the OCRA suite's data input has no question part; it needs one such as QN08")]
    MissingQuestion,
    /// Two hyphens in a row, or a hyphen at either end of the data input.
    #[error(
        "the OCRA suite's data input has an empty part (two hyphens in a row, or a hyphen at the start or end)"
    )]
    EmptyDataInputPart,
    /// A data input part that starts with a letter other than C, Q, P, S or T.
    #[error("the OCRA suite's data input part '{found}' is not one of C, Q, P, S or T")]
    UnknownDataInput {
        /// The part as given.
        found: String,
    },
    /// Data input parts repeated or out of order.
    #[error(
        "the OCRA suite's data input part '{found}' comes after '{previous}'; the parts must appear at most once each, in the order C, Q, P, S, T"
    )]
    DataInputOrder {
        /// The part out of place.
        found: String,
        /// The part before it.
        previous: String,
    },
    /// A part starting with C that is not just `C`.
    #[error("the OCRA suite's counter part '{found}' must be just C")]
    BadCounter {
        /// The part as given.
        found: String,
    },
    /// A malformed question part.
    #[error(
        "the OCRA suite's question part '{found}' must be QA, QN or QH followed by a length from 04 to 64"
    )]
    BadQuestion {
        /// The part as given.
        found: String,
    },
    /// A malformed PIN part.
    #[error(
        "the OCRA suite's PIN part '{found}' must be PSHA1, PSHA256 or PSHA512 (P alone means PSHA1)"
    )]
    BadPin {
        /// The part as given.
        found: String,
    },
    /// A malformed session part.
    #[error(
        "the OCRA suite's session part '{found}' must be S followed by a length in bytes from 001 to 512, such as S064 (S alone means S064)"
    )]
    BadSession {
        /// The part as given.
        found: String,
    },
    /// A malformed or out-of-range time-step part.
    #[error(
        "the OCRA suite's time-step part '{found}' must be T followed by 1 to 59 seconds (S), 1 to 59 minutes (M) or 1 to 48 hours (H), such as T30S or T1M (T alone means T1M)"
    )]
    BadTimeStep {
        /// The part as given.
        found: String,
    },
}

/// Text quoted in an error: as given, but cut at 40 characters so a hostile input cannot make
/// the message huge.
fn quote(text: &str) -> String {
    const LIMIT: usize = 40;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

impl FromStr for OcraSuite {
    type Err = OcraSuiteError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(OcraSuiteError::Empty);
        }
        let parts: Vec<&str> = text.split(':').collect();
        let [version, crypto_function, data_input] = parts.as_slice() else {
            return Err(OcraSuiteError::WrongShape { parts: parts.len() });
        };
        if *version != "OCRA-1" {
            return Err(OcraSuiteError::BadVersion {
                found: quote(version),
            });
        }
        let (algorithm, digits) = parse_crypto_function(crypto_function)?;
        let data = parse_data_input(data_input)?;
        Ok(OcraSuite {
            text: text.to_owned(),
            algorithm,
            digits,
            counter: data.counter,
            question_format: data.question_format,
            question_length: data.question_length,
            pin_hash: data.pin_hash,
            session_length: data.session_length,
            time_step: data.time_step,
        })
    }
}

fn parse_crypto_function(text: &str) -> Result<(Algorithm, u8), OcraSuiteError> {
    let bad = || OcraSuiteError::BadCryptoFunction { found: quote(text) };
    let pieces: Vec<&str> = text.split('-').collect();
    let [hotp, hash, digits] = pieces.as_slice() else {
        return Err(bad());
    };
    if *hotp != "HOTP" {
        return Err(bad());
    }
    let algorithm = hash_name(hash).ok_or_else(bad)?;
    let digits = match small_number(digits, 2) {
        Some(0) => 0,
        Some(n @ 4..=10) => n as u8,
        _ => {
            return Err(OcraSuiteError::BadDigits {
                found: quote(digits),
            });
        }
    };
    Ok((algorithm, digits))
}

/// The hash names OCRA uses, spelled exactly.
fn hash_name(text: &str) -> Option<Algorithm> {
    match text {
        "SHA1" => Some(Algorithm::Sha1),
        "SHA256" => Some(Algorithm::Sha256),
        "SHA512" => Some(Algorithm::Sha512),
        _ => None,
    }
}

/// A decimal number of 1 to `max_len` ASCII digits with no leading zero (except "0" itself).
fn small_number(text: &str, max_len: usize) -> Option<u16> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// A decimal number of exactly `len` ASCII digits (leading zeros required).
fn fixed_width_number(text: &str, len: usize) -> Option<u16> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

struct DataInput {
    counter: bool,
    question_format: QuestionFormat,
    question_length: u8,
    pin_hash: Option<Algorithm>,
    session_length: Option<u16>,
    time_step: Option<(u8, TimeUnit)>,
}

fn parse_data_input(text: &str) -> Result<DataInput, OcraSuiteError> {
    if text.is_empty() {
        return Err(OcraSuiteError::MissingQuestion);
    }
    let mut counter = false;
    let mut question = None;
    let mut pin_hash = None;
    let mut session_length = None;
    let mut time_step = None;
    let mut previous: Option<(u8, &str)> = None;
    for part in text.split('-') {
        let Some(first) = part.chars().next() else {
            return Err(OcraSuiteError::EmptyDataInputPart);
        };
        // The RFC's order: C | Q | P | S | T.
        let rank = match first {
            'C' => 0,
            'Q' => 1,
            'P' => 2,
            'S' => 3,
            'T' => 4,
            _ => return Err(OcraSuiteError::UnknownDataInput { found: quote(part) }),
        };
        if let Some((previous_rank, previous_part)) = previous
            && rank <= previous_rank
        {
            return Err(OcraSuiteError::DataInputOrder {
                found: quote(part),
                previous: quote(previous_part),
            });
        }
        previous = Some((rank, part));
        // `first` is ASCII, so the rest starts at byte 1.
        let rest = &part[1..];
        match first {
            'C' if rest.is_empty() => counter = true,
            'C' => return Err(OcraSuiteError::BadCounter { found: quote(part) }),
            'Q' => question = Some(parse_question(part, rest)?),
            'P' if rest.is_empty() => pin_hash = Some(Algorithm::Sha1),
            'P' => {
                let hash =
                    hash_name(rest).ok_or_else(|| OcraSuiteError::BadPin { found: quote(part) })?;
                pin_hash = Some(hash);
            }
            'S' if rest.is_empty() => session_length = Some(64),
            'S' => match fixed_width_number(rest, 3) {
                Some(length @ 1..=512) => session_length = Some(length),
                _ => return Err(OcraSuiteError::BadSession { found: quote(part) }),
            },
            _ => time_step = Some(parse_time_step(part, rest)?),
        }
    }
    let Some((question_format, question_length)) = question else {
        return Err(OcraSuiteError::MissingQuestion);
    };
    Ok(DataInput {
        counter,
        question_format,
        question_length,
        pin_hash,
        session_length,
        time_step,
    })
}

fn parse_question(part: &str, rest: &str) -> Result<(QuestionFormat, u8), OcraSuiteError> {
    let bad = || OcraSuiteError::BadQuestion { found: quote(part) };
    let mut chars = rest.chars();
    let format = match chars.next() {
        Some('A') => QuestionFormat::Alphanumeric,
        Some('N') => QuestionFormat::Numeric,
        Some('H') => QuestionFormat::Hex,
        _ => return Err(bad()),
    };
    match fixed_width_number(chars.as_str(), 2) {
        Some(length @ 4..=64) => Ok((format, length as u8)),
        _ => Err(bad()),
    }
}

fn parse_time_step(part: &str, rest: &str) -> Result<(u8, TimeUnit), OcraSuiteError> {
    if rest.is_empty() {
        return Ok((1, TimeUnit::Minutes));
    }
    let bad = || OcraSuiteError::BadTimeStep { found: quote(part) };
    let mut chars = rest.chars();
    let unit = match chars.next_back() {
        Some('S') => TimeUnit::Seconds,
        Some('M') => TimeUnit::Minutes,
        Some('H') => TimeUnit::Hours,
        _ => return Err(bad()),
    };
    let count = small_number(chars.as_str(), 2).ok_or_else(bad)?;
    let in_range = match unit {
        TimeUnit::Seconds | TimeUnit::Minutes => (1..=59).contains(&count),
        TimeUnit::Hours => (1..=48).contains(&count),
    };
    if !in_range {
        return Err(bad());
    }
    Ok((count as u8, unit))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn parse(text: &str) -> Result<OcraSuite, OcraSuiteError> {
        text.parse()
    }

    #[test]
    fn every_rfc_suite_parses() {
        let suite = parse("OCRA-1:HOTP-SHA1-6:QN08").unwrap();
        assert_eq!(suite.algorithm(), Algorithm::Sha1);
        assert_eq!(suite.digits(), 6);
        assert!(!suite.uses_counter());
        assert_eq!(suite.question_format(), QuestionFormat::Numeric);
        assert_eq!(suite.question_length(), 8);
        assert!(!suite.uses_pin());
        assert_eq!(suite.session_length(), None);
        assert_eq!(suite.time_step_seconds(), None);

        let suite = parse("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1").unwrap();
        assert_eq!(suite.algorithm(), Algorithm::Sha256);
        assert_eq!(suite.digits(), 8);
        assert!(suite.uses_counter());
        assert_eq!(suite.pin_hash(), Some(Algorithm::Sha1));

        let suite = parse("OCRA-1:HOTP-SHA512-8:QA10-T1M").unwrap();
        assert_eq!(suite.question_format(), QuestionFormat::Alphanumeric);
        assert_eq!(suite.question_length(), 10);
        assert_eq!(suite.time_step_seconds(), Some(60));

        for text in [
            "OCRA-1:HOTP-SHA256-8:QN08-PSHA1",
            "OCRA-1:HOTP-SHA512-8:C-QN08",
            "OCRA-1:HOTP-SHA512-8:QN08-T1M",
            "OCRA-1:HOTP-SHA256-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08-PSHA1",
            // Section 6.4's examples (QH8 there is written QH08 here; see the module docs).
            "OCRA-1:HOTP-SHA512-8:C-QN08-PSHA1",
            "OCRA-1:HOTP-SHA256-6:QA10-T1M",
            "OCRA-1:HOTP-SHA1-4:QH08-S512",
        ] {
            assert_eq!(parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn every_part_at_once() {
        let suite = parse("OCRA-1:HOTP-SHA512-10:C-QH64-PSHA512-S128-T48H").unwrap();
        assert_eq!(suite.digits(), 10);
        assert_eq!(suite.question_format(), QuestionFormat::Hex);
        assert_eq!(suite.question_length(), 64);
        assert_eq!(suite.pin_hash(), Some(Algorithm::Sha512));
        assert_eq!(suite.session_length(), Some(128));
        assert_eq!(suite.time_step_seconds(), Some(48 * 3600));
        let suite = parse("OCRA-1:HOTP-SHA1-0:QA04-S001-T59S").unwrap();
        assert_eq!(suite.digits(), 0);
        assert_eq!(suite.session_length(), Some(1));
        assert_eq!(suite.time_step_seconds(), Some(59));
        assert_eq!(
            parse("OCRA-1:HOTP-SHA1-6:QN08-T59M")
                .unwrap()
                .time_step_seconds(),
            Some(59 * 60)
        );
        assert_eq!(
            parse("OCRA-1:HOTP-SHA1-6:QN08-T1H")
                .unwrap()
                .time_step_seconds(),
            Some(3600)
        );
    }

    #[test]
    fn defaults_written_as_a_bare_letter() {
        let suite = parse("OCRA-1:HOTP-SHA1-6:QN08-P-S-T").unwrap();
        assert_eq!(suite.pin_hash(), Some(Algorithm::Sha1));
        assert_eq!(suite.session_length(), Some(64));
        assert_eq!(suite.time_step_seconds(), Some(60));
        // The text signed is the text given.
        assert_eq!(suite.to_string(), "OCRA-1:HOTP-SHA1-6:QN08-P-S-T");
    }

    #[test]
    fn surrounding_whitespace_is_dropped() {
        assert_eq!(
            parse("  OCRA-1:HOTP-SHA1-6:QN08\n").unwrap().to_string(),
            "OCRA-1:HOTP-SHA1-6:QN08"
        );
    }

    #[test]
    fn serializes_as_its_text() {
        let suite = parse("OCRA-1:HOTP-SHA1-6:QN08").unwrap();
        assert_eq!(
            serde_json::to_string(&suite).unwrap(),
            r#""OCRA-1:HOTP-SHA1-6:QN08""#
        );
        assert_eq!(
            serde_json::from_str::<OcraSuite>(r#""OCRA-1:HOTP-SHA1-6:QN08""#).unwrap(),
            suite
        );
        let error = serde_json::from_str::<OcraSuite>(r#""OCRA-1:HOTP-SHA1-6:QX08""#).unwrap_err();
        assert!(error.to_string().contains("question part 'QX08'"));
    }

    fn message(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn each_wrong_part_is_named() {
        assert_eq!(message("   "), "the OCRA suite is empty");
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6"),
            "an OCRA suite has three parts separated by colons, like OCRA-1:HOTP-SHA1-6:QN08, but this one has 2"
        );
        assert_eq!(
            parse("a:b:c:d"),
            Err(OcraSuiteError::WrongShape { parts: 4 })
        );
        assert_eq!(
            message("OCRA-2:HOTP-SHA1-6:QN08"),
            "the OCRA suite must start with OCRA-1 (the only version RFC 6287 defines), not 'OCRA-2'"
        );
        assert_eq!(
            message("OCRA-1:HOTP-MD5-6:QN08"),
            "the OCRA suite's crypto function 'HOTP-MD5-6' must be HOTP-SHA1, HOTP-SHA256 or HOTP-SHA512 followed by a hyphen and the number of digits, like HOTP-SHA1-6"
        );
        for bad in [
            "HOTP-SHA1",
            "TOTP-SHA1-6",
            "HOTP-sha1-6",
            "HOTP-SHA1-6-1",
            "HOTP-SHA-1-6",
        ] {
            let text = format!("OCRA-1:{bad}:QN08");
            assert_eq!(
                parse(&text),
                Err(OcraSuiteError::BadCryptoFunction { found: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-3:QN08"),
            "the OCRA suite's number of digits '3' must be 0 (no truncation) or 4 to 10"
        );
        for bad in ["", "1", "11", "06", "00", "+6", "x", "100"] {
            let text = format!("OCRA-1:HOTP-SHA1-{bad}:QN08");
            assert_eq!(
                parse(&text),
                Err(OcraSuiteError::BadDigits { found: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:"),
            "the OCRA suite's data input has no question part; it needs one such as QN08"
        );
        assert_eq!(
            parse("OCRA-1:HOTP-SHA1-6:C-T1M"),
            Err(OcraSuiteError::MissingQuestion)
        );
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:C--QN08"),
            "the OCRA suite's data input has an empty part (two hyphens in a row, or a hyphen at the start or end)"
        );
        assert_eq!(
            parse("OCRA-1:HOTP-SHA1-6:QN08-"),
            Err(OcraSuiteError::EmptyDataInputPart)
        );
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QN08-X1"),
            "the OCRA suite's data input part 'X1' is not one of C, Q, P, S or T"
        );
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QN08-C"),
            "the OCRA suite's data input part 'C' comes after 'QN08'; the parts must appear at most once each, in the order C, Q, P, S, T"
        );
        assert!(matches!(
            parse("OCRA-1:HOTP-SHA1-6:QN08-QN08"),
            Err(OcraSuiteError::DataInputOrder { .. })
        ));
        assert!(matches!(
            parse("OCRA-1:HOTP-SHA1-6:QN08-T1M-S064"),
            Err(OcraSuiteError::DataInputOrder { .. })
        ));
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:C1-QN08"),
            "the OCRA suite's counter part 'C1' must be just C"
        );
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QX08"),
            "the OCRA suite's question part 'QX08' must be QA, QN or QH followed by a length from 04 to 64"
        );
        for bad in ["Q", "QN", "QN8", "QN03", "QN65", "QN008", "Qn08", "QNx8"] {
            let text = format!("OCRA-1:HOTP-SHA1-6:{bad}");
            assert_eq!(
                parse(&text),
                Err(OcraSuiteError::BadQuestion { found: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QN08-PMD5"),
            "the OCRA suite's PIN part 'PMD5' must be PSHA1, PSHA256 or PSHA512 (P alone means PSHA1)"
        );
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QN08-S64"),
            "the OCRA suite's session part 'S64' must be S followed by a length in bytes from 001 to 512, such as S064 (S alone means S064)"
        );
        for bad in ["S000", "S513", "S1024", "Sabc"] {
            let text = format!("OCRA-1:HOTP-SHA1-6:QN08-{bad}");
            assert_eq!(
                parse(&text),
                Err(OcraSuiteError::BadSession { found: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            message("OCRA-1:HOTP-SHA1-6:QN08-T0H"),
            "the OCRA suite's time-step part 'T0H' must be T followed by 1 to 59 seconds (S), 1 to 59 minutes (M) or 1 to 48 hours (H), such as T30S or T1M (T alone means T1M)"
        );
        for bad in [
            "T0S", "T60S", "T0M", "T60M", "T49H", "T1D", "T01M", "TM", "T1", "T100H", "T1m",
        ] {
            let text = format!("OCRA-1:HOTP-SHA1-6:QN08-{bad}");
            assert_eq!(
                parse(&text),
                Err(OcraSuiteError::BadTimeStep { found: bad.into() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn long_or_odd_text_is_quoted_briefly_and_safely() {
        let long = format!("OCRA-1:HOTP-SHA1-6:QN08-{}", "X".repeat(1000));
        let shown = message(&long);
        assert!(shown.len() < 150, "{shown}");
        assert!(shown.contains(&format!("'{}…'", "X".repeat(40))));
        // Multi-byte characters where ASCII is expected: an error, never a panic.
        for text in [
            "OCRA-1:HOTP-SHA1-6:Qé08",
            "OCRA-1:HOTP-SHA1-6:QN08-Té",
            "OCRA-1:HOTP-SHA1-6:QN08-éS",
            "é:é:é",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    /// A valid suite's text together with the values it should parse to.
    #[derive(Debug, Clone)]
    struct Expected {
        text: String,
        algorithm: Algorithm,
        digits: u8,
        counter: bool,
        format: QuestionFormat,
        length: u8,
        pin: Option<Algorithm>,
        session: Option<u16>,
        step: Option<u64>,
    }

    fn algorithm() -> impl Strategy<Value = (Algorithm, &'static str)> {
        prop_oneof![
            Just((Algorithm::Sha1, "SHA1")),
            Just((Algorithm::Sha256, "SHA256")),
            Just((Algorithm::Sha512, "SHA512")),
        ]
    }

    fn valid_suite() -> impl Strategy<Value = Expected> {
        let digits = prop_oneof![Just(0u8), 4u8..=10];
        let format = prop_oneof![
            Just(QuestionFormat::Alphanumeric),
            Just(QuestionFormat::Numeric),
            Just(QuestionFormat::Hex)
        ];
        // (text, hash) with a bare "P" meaning SHA1.
        let pin = proptest::option::of(prop_oneof![
            Just(("P".to_owned(), Algorithm::Sha1)),
            algorithm().prop_map(|(a, name)| (format!("P{name}"), a)),
        ]);
        let session = proptest::option::of(prop_oneof![
            Just(("S".to_owned(), 64u16)),
            (1u16..=512).prop_map(|n| (format!("S{n:03}"), n)),
        ]);
        let step = proptest::option::of(prop_oneof![
            Just(("T".to_owned(), 60u64)),
            (1u64..=59).prop_map(|n| (format!("T{n}S"), n)),
            (1u64..=59).prop_map(|n| (format!("T{n}M"), n * 60)),
            (1u64..=48).prop_map(|n| (format!("T{n}H"), n * 3600)),
        ]);
        (
            algorithm(),
            digits,
            any::<bool>(),
            format,
            4u8..=64,
            pin,
            session,
            step,
        )
            .prop_map(
                |((algorithm, name), digits, counter, format, length, pin, session, step)| {
                    let mut data = Vec::new();
                    if counter {
                        data.push("C".to_owned());
                    }
                    data.push(format!("Q{}{length:02}", format.letter()));
                    data.extend(pin.as_ref().map(|(text, _)| text.clone()));
                    data.extend(session.as_ref().map(|(text, _)| text.clone()));
                    data.extend(step.as_ref().map(|(text, _)| text.clone()));
                    Expected {
                        text: format!("OCRA-1:HOTP-{name}-{digits}:{}", data.join("-")),
                        algorithm,
                        digits,
                        counter,
                        format,
                        length,
                        pin: pin.map(|(_, a)| a),
                        session: session.map(|(_, n)| n),
                        step: step.map(|(_, s)| s),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn valid_suites_round_trip(expected in valid_suite()) {
            let suite = parse(&expected.text).map_err(|e| TestCaseError::fail(format!("{}: {e}", expected.text)))?;
            prop_assert_eq!(suite.to_string(), expected.text.clone());
            prop_assert_eq!(suite.algorithm(), expected.algorithm);
            prop_assert_eq!(suite.digits(), expected.digits);
            prop_assert_eq!(suite.uses_counter(), expected.counter);
            prop_assert_eq!(suite.question_format(), expected.format);
            prop_assert_eq!(suite.question_length(), expected.length);
            prop_assert_eq!(suite.pin_hash(), expected.pin);
            prop_assert_eq!(suite.uses_pin(), expected.pin.is_some());
            prop_assert_eq!(suite.session_length(), expected.session);
            prop_assert_eq!(suite.time_step_seconds(), expected.step);
            // And once more through its own text.
            prop_assert_eq!(parse(&suite.to_string()), Ok(suite));
        }

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            if let Ok(suite) = parse(&text) {
                prop_assert_eq!(suite.to_string(), text.trim());
            }
        }

        #[test]
        fn near_valid_text_never_panics_and_what_parses_displays_as_given(
            text in "OCRA-[0-9]:HOTP-SHA(1|256|512|)-[0-9]{0,3}:(C-)?Q[ANHX]?[0-9]{0,3}(-P(SHA1|SHA256|SHA512|é)?)?(-S[0-9]{0,4})?(-T[0-9]{0,3}[SMHDé]?)?-?"
        ) {
            if let Ok(suite) = parse(&text) {
                prop_assert_eq!(suite.to_string(), text);
            }
        }
    }
}
