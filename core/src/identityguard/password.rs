//! Activation-link passwords: the ones an issuer makes, and the forms a typed password is tried
//! in when a link is opened.
//!
//! A link's MAC lets anyone who holds the link test passwords offline at the cost of one
//! PBKDF2-HMAC-SHA256 run of 1000 iterations each, so the password's entropy is all that keeps
//! the link's activation code from whoever sees the link (docs/issuer.md gives the numbers).
//! The issuer therefore makes [`LinkPasswordKind::Strong`] passwords by default: 16 characters of
//! Crockford's base32 (80 bits), handed out as `XXXX-XXXX-XXXX-XXXX`. Eight digits remain an
//! option for deployments whose tokens accept nothing else.
//!
//! The link is sealed with the password's plain form (the 16 characters, or the 8 digits). A
//! typed password is tried as typed (whitespace removed, which is how the vendor's links and
//! every earlier Tessera link are sealed) and, when that fails, in its base32 form: dashes
//! dropped, letters in capitals, and `O`, `I`, `L` read as `0`, `1`, `1`, as Crockford's
//! decoding does. Each form must still match the link's MAC.

use zeroize::Zeroizing;

use crate::random::{RandomError, make_random_text};

/// Crockford's base32 alphabet: digits and capitals without `I`, `L`, `O` and `U`, so no two
/// characters are easily mistaken for each other when read or typed.
pub const LINK_PASSWORD_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a strong link password: 16 × 5 = 80 bits.
pub const STRONG_PASSWORD_CHARS: usize = 16;
/// Characters per group when a strong password is shown.
const GROUP_CHARS: usize = 4;
/// Digits in a [`LinkPasswordKind::Digits8`] password.
const DIGITS8_CHARS: usize = 8;

/// Which password an issuer seals a new activation link with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkPasswordKind {
    /// 16 characters of [`LINK_PASSWORD_ALPHABET`] (80 bits), shown in four groups of four.
    /// Finding it from the link alone takes about 2^79 PBKDF2 runs on average.
    #[default]
    Strong,
    /// 8 digits (about 27 bits), for deployments whose tokens only accept digits. Anyone who
    /// holds the link finds it offline within hours on one computer.
    Digits8,
}

/// A new link password: what the link is sealed with and what the person is given.
pub struct LinkPassword {
    /// The form the link is sealed with: the characters alone.
    pub sealed_with: Zeroizing<String>,
    /// The form handed out: grouped `XXXX-XXXX-XXXX-XXXX` for a strong password, the 8 digits
    /// as they are otherwise.
    pub shown: Zeroizing<String>,
}

/// A fresh link password of `kind`, each character uniform over its alphabet.
pub fn make_activation_password(kind: LinkPasswordKind) -> Result<LinkPassword, RandomError> {
    match kind {
        LinkPasswordKind::Strong => {
            let sealed_with = make_random_text(STRONG_PASSWORD_CHARS, LINK_PASSWORD_ALPHABET)?;
            let mut shown = Zeroizing::new(String::with_capacity(STRONG_PASSWORD_CHARS + 3));
            for (index, c) in sealed_with.chars().enumerate() {
                if index > 0 && index % GROUP_CHARS == 0 {
                    shown.push('-');
                }
                shown.push(c);
            }
            Ok(LinkPassword { sealed_with, shown })
        }
        LinkPasswordKind::Digits8 => {
            let digits = make_random_text(DIGITS8_CHARS, "0123456789")?;
            Ok(LinkPassword {
                shown: digits.clone(),
                sealed_with: digits,
            })
        }
    }
}

/// The forms a typed password is tried in, in order: as typed without whitespace, then its
/// base32 form when it reads as one and differs. Empty when nothing but whitespace was typed.
pub(super) fn password_candidates(typed: &str) -> Vec<Zeroizing<String>> {
    let as_typed: Zeroizing<String> =
        Zeroizing::new(typed.chars().filter(|c| !c.is_whitespace()).collect());
    if as_typed.is_empty() {
        return Vec::new();
    }
    let base32 = base32_form(&as_typed);
    let mut candidates = vec![as_typed];
    if let Some(base32) = base32.filter(|form| *form != candidates[0]) {
        candidates.push(base32);
    }
    candidates
}

/// `text` in Crockford's base32 form (dashes dropped, capitals, `O` as `0`, `I` and `L` as
/// `1`), or `None` when a character is outside the alphabet.
fn base32_form(text: &str) -> Option<Zeroizing<String>> {
    let mut form = Zeroizing::new(String::with_capacity(text.len()));
    for c in text.chars().filter(|&c| c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !LINK_PASSWORD_ALPHABET.contains(c) {
            return None;
        }
        form.push(c);
    }
    (!form.is_empty()).then_some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(candidates: Vec<Zeroizing<String>>) -> Vec<String> {
        candidates.iter().map(|c| c.as_str().to_string()).collect()
    }

    #[test]
    fn strong_passwords_are_sixteen_alphabet_characters_in_groups_of_four() {
        let mut counts = [0u32; 32];
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let password = make_activation_password(LinkPasswordKind::Strong).unwrap();
            assert_eq!(password.sealed_with.len(), 16);
            assert_eq!(password.shown.len(), 19);
            let groups: Vec<&str> = password.shown.split('-').collect();
            assert_eq!(groups.len(), 4, "{}", password.shown.as_str());
            assert!(groups.iter().all(|g| g.len() == 4));
            assert_eq!(groups.concat(), password.sealed_with.as_str());
            for c in password.sealed_with.chars() {
                let index = LINK_PASSWORD_ALPHABET.find(c).expect("in the alphabet");
                counts[index] += 1;
            }
            assert!(seen.insert(password.sealed_with.as_str().to_string()));
        }
        // 3200 characters, 100 expected each; a fair source stays far inside this band.
        assert!(counts.iter().all(|&c| (40..180).contains(&c)), "{counts:?}");
        for excluded in ['I', 'L', 'O', 'U'] {
            assert!(!LINK_PASSWORD_ALPHABET.contains(excluded));
        }
        assert_eq!(LINK_PASSWORD_ALPHABET.len(), 32);
    }

    #[test]
    fn digits8_passwords_are_eight_uniform_digits() {
        let mut counts = [0u32; 10];
        for _ in 0..500 {
            let password = make_activation_password(LinkPasswordKind::Digits8).unwrap();
            assert_eq!(password.shown, password.sealed_with);
            assert_eq!(password.sealed_with.len(), 8);
            for byte in password.sealed_with.bytes() {
                assert!(byte.is_ascii_digit());
                counts[usize::from(byte - b'0')] += 1;
            }
        }
        // 4000 digits, 400 expected each.
        assert!(
            counts.iter().all(|&c| (250..550).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn a_typed_password_is_tried_as_typed_then_in_its_base32_form() {
        assert_eq!(
            texts(password_candidates(" 7k3m-q9tx io0l ")),
            ["7k3m-q9txio0l", "7K3MQ9TX1001"]
        );
        // Already in base32 form, or digits: one try.
        assert_eq!(texts(password_candidates("1234 5678")), ["12345678"]);
        assert_eq!(texts(password_candidates("ABCD")), ["ABCD"]);
        // Not base32 (U, punctuation, other scripts): as typed only.
        assert_eq!(texts(password_candidates("hunter2!")), ["hunter2!"]);
        assert_eq!(texts(password_candidates("ubuntu")), ["ubuntu"]);
        assert_eq!(texts(password_candidates("--")), ["--"]);
        assert!(password_candidates(" \t ").is_empty());
    }
}
