//! The three codes an IdentityGuard activation uses: serial number, activation code and
//! registration code.
//!
//! Each is a fixed number of decimal digits ending in a Luhn check digit. Reading one ignores
//! dashes and spaces (also the Unicode dashes and spaces that copying from a web page brings) and
//! verifies the check digit before anything else can use the value, so a typo is reported with
//! the field's name instead of silently producing wrong codes.

use std::fmt;
use std::str::FromStr;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::{CodeProblem, Field, IdentityGuardError};
use super::luhn::{luhn_check_digit, luhn_is_valid};

/// Digits in a serial number.
pub(crate) const SERIAL_DIGITS: usize = 10;
/// Digits in an activation code.
pub(crate) const ACTIVATION_DIGITS: usize = 16;
/// Digits in a registration code.
pub(crate) const REGISTRATION_DIGITS: usize = 10;

/// Characters people put between groups of digits: spaces of any kind and dashes of any kind.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
        )
}

/// Keeps the digits of `text`, checking the count and the Luhn check digit.
///
/// The kept digits live in a zeroizing string so the activation code leaves no copy behind;
/// at most `expected` digits are ever stored, whatever the input's length.
fn clean_digits(text: &str, expected: usize) -> Result<Zeroizing<String>, CodeProblem> {
    let mut digits = Zeroizing::new(String::with_capacity(expected));
    let mut found = 0usize;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if found < expected {
                digits.push(c);
            }
            found += 1;
        } else if !is_separator(c) {
            return Err(CodeProblem::NotDigits);
        }
    }
    if found == 0 {
        return Err(CodeProblem::Empty);
    }
    if found != expected {
        return Err(CodeProblem::WrongLength { expected, found });
    }
    if !luhn_is_valid(&digits) {
        return Err(CodeProblem::BadCheckDigit);
    }
    Ok(digits)
}

/// Reads the leading `count` digits of `digits` (all ASCII digits) as an integer.
fn leading_value(digits: &str, count: usize) -> u64 {
    digits.bytes().take(count).fold(0u64, |value, byte| {
        value * 10 + u64::from(byte.wrapping_sub(b'0') % 10)
    })
}

/// Writes `digits` in groups of the given sizes joined by dashes.
fn write_grouped(f: &mut fmt::Formatter<'_>, digits: &str, groups: &[usize]) -> fmt::Result {
    let mut rest = digits;
    for (index, &size) in groups.iter().enumerate() {
        if index > 0 {
            f.write_str("-")?;
        }
        let (group, tail) = rest.split_at_checked(size).unwrap_or((rest, ""));
        f.write_str(group)?;
        rest = tail;
    }
    Ok(())
}

/// A token's 10-digit serial number, e.g. `48244-13456`. Not secret.
///
/// Parsing ignores dashes and spaces and verifies the Luhn check digit; `Display` shows the
/// 5-5 grouping people see on the issuer's page.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SerialNumber(String);

impl SerialNumber {
    /// The 10 digits without separators, e.g. `4824413456` (the PBKDF2 salt of the derivation).
    pub fn as_digits(&self) -> &str {
        &self.0
    }

    /// Reads a serial number carried by an activation link, reporting problems as link errors.
    pub(crate) fn parse_in_link(text: &str) -> Result<Self, IdentityGuardError> {
        Self::parse(text).map_err(|problem| IdentityGuardError::InvalidInLink {
            field: Field::SerialNumber,
            problem,
        })
    }

    fn parse(text: &str) -> Result<Self, CodeProblem> {
        clean_digits(text, SERIAL_DIGITS).map(|digits| Self(digits.as_str().to_owned()))
    }
}

impl FromStr for SerialNumber {
    type Err = IdentityGuardError;

    /// Reads `48244-13456`, `4824413456` or `48244 13456`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).map_err(|problem| IdentityGuardError::typed(Field::SerialNumber, problem))
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_grouped(f, &self.0, &[5, 5])
    }
}

/// The 16-digit activation code an issuer hands out, e.g. `1745-7712-6942-8698`.
///
/// Treat it as a secret: together with the serial number and one code it gives away the token's
/// secret (see the module documentation). It is wiped from memory when dropped, `Debug` never
/// shows it, and comparison is constant-time. `Display` shows it (4-4-4-4) because the user
/// must be able to read it back; do not log it.
#[derive(Clone)]
pub struct ActivationCode(Zeroizing<String>);

impl ActivationCode {
    /// The 16 digits without separators. Keep the borrow short.
    pub fn as_digits(&self) -> &str {
        &self.0
    }

    /// The value the derivation uses: the 15 digits before the check digit as an integer
    /// (below 10^15, so it fits in 7 bytes).
    pub(crate) fn value(&self) -> u64 {
        leading_value(&self.0, ACTIVATION_DIGITS - 1)
    }

    /// Reads an activation code carried by an activation link, reporting problems as link errors.
    pub(crate) fn parse_in_link(text: &str) -> Result<Self, IdentityGuardError> {
        Self::parse(text).map_err(|problem| IdentityGuardError::InvalidInLink {
            field: Field::ActivationCode,
            problem,
        })
    }

    fn parse(text: &str) -> Result<Self, CodeProblem> {
        clean_digits(text, ACTIVATION_DIGITS).map(Self)
    }
}

impl FromStr for ActivationCode {
    type Err = IdentityGuardError;

    /// Reads `1745-7712-6942-8698`, with or without dashes and spaces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
            .map_err(|problem| IdentityGuardError::typed(Field::ActivationCode, problem))
    }
}

impl fmt::Display for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_grouped(f, &self.0, &[4, 4, 4, 4])
    }
}

impl fmt::Debug for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ActivationCode(<redacted>)")
    }
}

impl PartialEq for ActivationCode {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for ActivationCode {}

/// The 10-digit registration code a token shows after activation, e.g. `12211-49352`.
///
/// Its 9-digit value carries the token's 2 random bytes (the low 16 bits) under an issuer-defined
/// check (the high bits); the last digit is a Luhn check digit. Parsing checks only the Luhn
/// digit, so codes from any issuer are accepted; [`super::check_registration_code`] applies
/// Tessera's own rule.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RegistrationCode(String);

impl RegistrationCode {
    /// The 10 digits without separators.
    pub fn as_digits(&self) -> &str {
        &self.0
    }

    /// The 9 digits before the check digit as an integer (below 10^9, so it fits in a `u32`).
    pub(crate) fn value(&self) -> u32 {
        // Nine decimal digits are at most 999,999,999 < 2^32.
        leading_value(&self.0, REGISTRATION_DIGITS - 1) as u32
    }

    /// Builds the code for a 9-digit value by appending its Luhn check digit.
    ///
    /// Returns `None` when `value` has more than 9 digits.
    pub(crate) fn from_value(value: u32) -> Option<Self> {
        if value >= 1_000_000_000 {
            return None;
        }
        let mut digits = format!("{value:09}");
        let check = luhn_check_digit(&digits)?;
        digits.push(char::from(b'0' + check));
        Some(Self(digits))
    }

    fn parse(text: &str) -> Result<Self, CodeProblem> {
        clean_digits(text, REGISTRATION_DIGITS).map(|digits| Self(digits.as_str().to_owned()))
    }
}

impl FromStr for RegistrationCode {
    type Err = IdentityGuardError;

    /// Reads `12211-49352`, with or without dashes and spaces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
            .map_err(|problem| IdentityGuardError::typed(Field::RegistrationCode, problem))
    }
}

impl fmt::Display for RegistrationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_grouped(f, &self.0, &[5, 5])
    }
}

/// Serial numbers and registration codes are stored as their digits and checked again when
/// read, so a damaged payload cannot smuggle in a code that fails its check digit.
macro_rules! serde_as_digits {
    ($type:ty) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_digits())
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_as_digits!(SerialNumber);
serde_as_digits!(RegistrationCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples_read_and_show_in_groups() {
        let serial: SerialNumber = "48244-13456".parse().unwrap();
        assert_eq!(serial.as_digits(), "4824413456");
        assert_eq!(serial.to_string(), "48244-13456");

        let activation: ActivationCode = "1745 7712 6942 8698".parse().unwrap();
        assert_eq!(activation.as_digits(), "1745771269428698");
        assert_eq!(activation.to_string(), "1745-7712-6942-8698");
        assert_eq!(activation.value(), 174_577_126_942_869);

        let registration: RegistrationCode = "1221149352".parse().unwrap();
        assert_eq!(registration.to_string(), "12211-49352");
        assert_eq!(registration.value(), 122_114_935);
    }

    #[test]
    fn separators_people_paste_are_ignored() {
        for text in [
            " 48244-13456 ",
            "48244\u{2013}13456",
            "48244\u{00A0}13456",
            "4 8 2 4 4 1 3 4 5 6",
            "48244\t13456\n",
        ] {
            assert_eq!(
                text.parse::<SerialNumber>().unwrap().as_digits(),
                "4824413456",
                "{text:?}"
            );
        }
    }

    #[test]
    fn problems_are_named_in_order() {
        assert_eq!(
            "48244-1345"
                .parse::<SerialNumber>()
                .unwrap_err()
                .to_string(),
            "the serial number must have 10 digits, not 9"
        );
        assert_eq!(
            "1745-7712-6942-8699"
                .parse::<ActivationCode>()
                .unwrap_err()
                .to_string(),
            "the activation code has a typo: its check digit does not match"
        );
        assert_eq!(
            "12211-4935O"
                .parse::<RegistrationCode>()
                .unwrap_err()
                .to_string(),
            "the registration code may contain only digits, dashes and spaces"
        );
        assert_eq!(
            " - ".parse::<SerialNumber>().unwrap_err().to_string(),
            "the serial number is empty"
        );
        // Full-width and other non-ASCII digits are refused rather than guessed at.
        assert!(matches!(
            "４８２４４１３４５６".parse::<SerialNumber>(),
            Err(IdentityGuardError::NotDigits {
                field: Field::SerialNumber
            })
        ));
        // A huge input is counted, not stored.
        let long = "1".repeat(100_000);
        assert_eq!(
            long.parse::<ActivationCode>().unwrap_err(),
            IdentityGuardError::WrongLength {
                field: Field::ActivationCode,
                expected: 16,
                found: 100_000
            }
        );
    }

    #[test]
    fn activation_code_debug_is_redacted_and_equality_works() {
        let a: ActivationCode = "1745-7712-6942-8698".parse().unwrap();
        let b: ActivationCode = "1745771269428698".parse().unwrap();
        assert_eq!(format!("{a:?}"), "ActivationCode(<redacted>)");
        assert_eq!(a, b);
    }

    #[test]
    fn registration_code_from_value_appends_luhn() {
        assert_eq!(
            RegistrationCode::from_value(122_114_935)
                .unwrap()
                .as_digits(),
            "1221149352"
        );
        assert_eq!(
            RegistrationCode::from_value(7).unwrap().as_digits(),
            "0000000075"
        );
        assert_eq!(RegistrationCode::from_value(1_000_000_000), None);
    }

    #[test]
    fn codes_are_stored_as_digits_and_checked_when_read() {
        let serial: SerialNumber = "48244-13456".parse().unwrap();
        assert_eq!(serde_json::to_string(&serial).unwrap(), "\"4824413456\"");
        let back: SerialNumber = serde_json::from_str("\"4824413456\"").unwrap();
        assert_eq!(back, serial);
        let error = serde_json::from_str::<SerialNumber>("\"4824413457\"").unwrap_err();
        assert!(error.to_string().contains("check digit"), "{error}");
        let registration: RegistrationCode = serde_json::from_str("\"1221149352\"").unwrap();
        assert_eq!(registration.to_string(), "12211-49352");
    }
}
