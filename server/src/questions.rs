//! Challenge questions: the list a user picks from, and answers made comparable. An answer is
//! normalised (Unicode NFKC, lower case, runs of spaces made one, no spaces at the ends) so
//! "  Paris " and "paris" are the same answer, then hashed with Argon2id like a password.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// How many questions each user sets.
pub const QUESTIONS_PER_USER: usize = 3;
/// Most characters in an answer, after normalisation.
pub const MAX_ANSWER_CHARS: usize = 256;
/// How long a question asked can be answered, in seconds.
pub const CHALLENGE_SECONDS: u64 = 300;

/// The questions offered when the configuration gives none.
pub const DEFAULT_QUESTIONS: &[&str] = &[
    "What was the name of your first pet?",
    "In which city were your parents married?",
    "What was the name of your first school?",
    "What is the first name of your oldest cousin?",
    "What was the make of your first car?",
    "In which town did you spend your childhood holidays?",
    "What was your childhood nickname?",
    "What is the name of the street you grew up on?",
];

/// The normalised answer, or why it cannot be one.
pub fn normalise(answer: &str) -> Result<Zeroizing<String>, String> {
    let composed: Zeroizing<String> = Zeroizing::new(answer.nfkc().collect());
    let lower = Zeroizing::new(composed.to_lowercase());
    let words: Vec<&str> = lower.split_whitespace().collect();
    let normalised = Zeroizing::new(words.join(" "));
    if normalised.is_empty() {
        return Err("is empty".into());
    }
    let length = normalised.chars().count();
    if length > MAX_ANSWER_CHARS {
        return Err(format!(
            "has {length} characters, at most {MAX_ANSWER_CHARS}"
        ));
    }
    if normalised.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_differing_in_case_spaces_or_unicode_form_are_one_answer() {
        let paris = normalise("paris").unwrap();
        assert_eq!(normalise("  Paris ").unwrap(), paris);
        assert_eq!(normalise("PARIS").unwrap(), paris);
        assert_eq!(
            normalise("ｐａｒｉｓ").unwrap(),
            paris,
            "full-width letters"
        );
        assert_eq!(
            normalise("Saint \t Étienne").unwrap(),
            normalise("saint e\u{301}tienne").unwrap(),
            "composed and decomposed accents"
        );
        assert_ne!(normalise("paris").unwrap(), normalise("pari s").unwrap());
    }

    #[test]
    fn empty_and_huge_answers_are_refused() {
        assert_eq!(normalise("   ").unwrap_err(), "is empty");
        assert!(
            normalise(&"x".repeat(257))
                .unwrap_err()
                .contains("at most 256")
        );
    }
}
