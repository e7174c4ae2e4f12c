//! The Luhn (mod 10) check digit that ends every IdentityGuard code.
//!
//! It catches every single-digit typo and most swaps of neighbouring digits, which is why each
//! code is checked with it before anything else happens.

/// The Luhn check digit to append to `digits` (ASCII `0`-`9`); `None` if any character is not
/// an ASCII digit. The empty string has check digit 0.
///
/// Counting from the rightmost digit, every other digit starting with that one is doubled
/// (subtracting 9 when the double exceeds 9); the check digit brings the sum to a multiple of 10.
pub fn luhn_check_digit(digits: &str) -> Option<u8> {
    let mut sum: u32 = 0;
    for (index, byte) in digits.bytes().rev().enumerate() {
        if !byte.is_ascii_digit() {
            return None;
        }
        let mut value = u32::from(byte - b'0');
        if index % 2 == 0 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    // `sum % 10` is below 10, so the result is a single digit.
    Some(((10 - sum % 10) % 10) as u8)
}

/// True when the last digit of `digits` is the Luhn check digit of the others.
pub(crate) fn luhn_is_valid(digits: &str) -> bool {
    let Some((&last, before)) = digits.as_bytes().split_last() else {
        return false;
    };
    if !last.is_ascii_digit() {
        return false;
    }
    // `last` is ASCII, so the bytes before it end on a character boundary.
    match digits.get(..before.len()) {
        Some(payload) => luhn_check_digit(payload) == Some(last - b'0'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples_carry_their_check_digit() {
        // The three examples of ../shared/spec/identityguard.md, "The three codes".
        assert_eq!(luhn_check_digit("482441345"), Some(6));
        assert_eq!(luhn_check_digit("174577126942869"), Some(8));
        assert_eq!(luhn_check_digit("122114935"), Some(2));
        assert!(luhn_is_valid("4824413456"));
        assert!(luhn_is_valid("1745771269428698"));
        assert!(luhn_is_valid("1221149352"));
    }

    #[test]
    fn well_known_luhn_numbers() {
        // The classic example from ISO/IEC 7812-1 Annex B and Wikipedia: 7992739871 -> 3.
        assert_eq!(luhn_check_digit("7992739871"), Some(3));
        assert!(luhn_is_valid("79927398713"));
        assert_eq!(luhn_check_digit(""), Some(0));
        assert_eq!(luhn_check_digit("0"), Some(0));
    }

    #[test]
    fn every_single_digit_typo_is_caught() {
        let good = "1745771269428698";
        for position in 0..good.len() {
            for replacement in b'0'..=b'9' {
                let mut bytes = good.as_bytes().to_vec();
                if bytes[position] == replacement {
                    continue;
                }
                bytes[position] = replacement;
                let typo = String::from_utf8(bytes).unwrap();
                assert!(!luhn_is_valid(&typo), "{typo}");
            }
        }
    }

    #[test]
    fn non_digits_have_no_check_digit() {
        assert_eq!(luhn_check_digit("12a4"), None);
        assert_eq!(luhn_check_digit("١٢"), None); // Arabic-Indic digits are not ASCII
        assert!(!luhn_is_valid(""));
        assert!(!luhn_is_valid("5x"));
        assert!(!luhn_is_valid("é"));
    }
}
