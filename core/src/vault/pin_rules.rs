//! What makes an acceptable PIN or passphrase, checked when one is set (never when one is
//! typed to unlock: the rules may change, a PIN set earlier must keep working).
//!
//! - A PIN is only ASCII digits: at least 4; when shorter than 6, not one repeated digit
//!   (0000) and not a straight run up or down (1234, 9876).
//! - Anything else is a passphrase: at least 8 characters (Unicode scalar values).
//! - Both: at most 128 characters, no control characters.
//!
//! The PIN is used exactly as given, as UTF-8 bytes, with no Unicode normalisation and no
//! trimming: the same keyboard produces the same bytes, and normalising would silently change
//! what an existing vault expects.

use super::PinRuleError;

/// Fewest digits in an all-digit PIN.
pub const MIN_PIN_DIGITS: usize = 4;
/// Fewest characters in a passphrase (anything that is not only digits).
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// Most characters in a PIN or passphrase.
pub const MAX_PIN_CHARS: usize = 128;
/// All-digit PINs at least this long are not checked for repeats and runs.
const PATTERN_CHECK_BELOW: usize = 6;

/// Checks a new PIN or passphrase against the rules above.
pub fn check_pin_rules(pin: &str) -> Result<(), PinRuleError> {
    let chars = pin.chars().count();
    if chars > MAX_PIN_CHARS {
        return Err(PinRuleError::TooLong { max: MAX_PIN_CHARS });
    }
    if pin.chars().any(char::is_control) {
        return Err(PinRuleError::ControlCharacter);
    }
    let digits = pin.as_bytes();
    if digits.iter().all(u8::is_ascii_digit) {
        if chars < MIN_PIN_DIGITS {
            return Err(PinRuleError::TooShort {
                min: MIN_PIN_DIGITS,
            });
        }
        if chars < PATTERN_CHECK_BELOW {
            if digits.windows(2).all(|w| w[0] == w[1]) {
                return Err(PinRuleError::AllSameDigit);
            }
            let ascending = digits.windows(2).all(|w| w[1] == w[0].wrapping_add(1));
            let descending = digits.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
            if ascending || descending {
                return Err(PinRuleError::Sequence);
            }
        }
        return Ok(());
    }
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(PinRuleError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

/// Whether `pin` is weak protection for a vault file that no device key seals (the desktop):
/// a PIN of digits only has at most 10^n values, and whoever copies the file can try each of
/// them offline at the cost of one Argon2id, with no lockout. Such a file needs a passphrase
/// (anything of [`MIN_PASSPHRASE_CHARS`] or more characters that is not only digits); shells
/// without a device key warn when a PIN like this is set.
pub fn weak_without_device_key(pin: &str) -> bool {
    !pin.is_empty() && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a PIN typed a second time is the same as the first, compared in constant time.
/// Compared as typed, like the PIN itself: no trimming, no normalisation.
pub fn pins_match(pin: &str, again: &str) -> bool {
    subtle::ConstantTimeEq::ct_eq(pin.as_bytes(), again.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_matches_only_the_same_characters() {
        assert!(pins_match("4739", "4739"));
        assert!(pins_match("pässwörd", "pässwörd"));
        for other in ["4738", "47390", "473", "", " 4739", "4739 "] {
            assert!(!pins_match("4739", other), "{other:?}");
        }
    }

    #[test]
    fn only_pins_of_digits_are_weak_without_a_device_key() {
        for pin in ["4739", "482913", "98765432101234567890"] {
            assert!(weak_without_device_key(pin), "{pin}");
        }
        for pin in ["correct horse", "1234abcd", "4739 4739", "pässwörd"] {
            assert!(!weak_without_device_key(pin), "{pin}");
        }
    }

    #[test]
    fn good_pins_and_passphrases_pass() {
        for pin in [
            "4739",
            "0852",
            "1235",
            "123456",
            "000000",
            "987654321",
            "correct horse",
            "pässwörd",
            "1234abcd",
        ] {
            assert_eq!(check_pin_rules(pin), Ok(()), "{pin}");
        }
    }

    #[test]
    fn weak_or_malformed_pins_are_refused_with_the_reason() {
        let cases = [
            ("", PinRuleError::TooShort { min: 4 }),
            ("123", PinRuleError::TooShort { min: 4 }),
            ("0000", PinRuleError::AllSameDigit),
            ("77777", PinRuleError::AllSameDigit),
            ("1234", PinRuleError::Sequence),
            ("0123", PinRuleError::Sequence),
            ("9876", PinRuleError::Sequence),
            ("56789", PinRuleError::Sequence),
            ("abc", PinRuleError::PassphraseTooShort { min: 8 }),
            ("12 34", PinRuleError::PassphraseTooShort { min: 8 }),
            ("pass\nword", PinRuleError::ControlCharacter),
        ];
        for (pin, expected) in cases {
            assert_eq!(check_pin_rules(pin), Err(expected), "{pin:?}");
        }
        assert_eq!(
            check_pin_rules(&"x".repeat(129)),
            Err(PinRuleError::TooLong { max: 128 })
        );
        assert_eq!(check_pin_rules(&"é".repeat(128)), Ok(()));
        assert_eq!(
            PinRuleError::Sequence.to_string(),
            "a PIN of consecutive digits (like 1234 or 9876) is too easy to guess; choose another"
        );
    }
}
