//! Challenge questions: the list a user picks from, and answers made comparable. An answer is
//! normalised (Unicode NFKC, lower case, runs of spaces made one, no spaces at the ends) so
//! "  Paris " and "paris" are the same answer, then hashed with Argon2id like a password.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// How many questions each user sets.
pub const QUESTIONS_PER_USER: usize = 3;
/// Most characters in an answer, after normalisation.
pub const MAX_ANSWER_CHARS: usize = 256;
/// How long a question asked can be answered, in seconds, unless configured otherwise.
pub const CHALLENGE_SECONDS: u64 = 300;
/// The longest a question asked may stay answerable, in seconds.
pub const MAX_CHALLENGE_SECONDS: u64 = 3600;
/// Most questions a configuration may offer.
pub const MAX_OFFERED: usize = 100;

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

/// The questions offered when the configuration gives none, as text.
pub fn default_offered() -> Vec<String> {
    DEFAULT_QUESTIONS.iter().map(|&q| q.to_owned()).collect()
}

/// Why `offered` (the configuration's `questions`) cannot be the list users pick from, if it
/// cannot: too few to pick [`QUESTIONS_PER_USER`] or too many, a question empty, too long or
/// with a control character, or the same question twice once normalised like answers.
pub fn offered_problem(offered: &[String]) -> Option<String> {
    if !(QUESTIONS_PER_USER..=MAX_OFFERED).contains(&offered.len()) {
        return Some(format!(
            "questions must list {QUESTIONS_PER_USER} to {MAX_OFFERED} questions (each user picks {QUESTIONS_PER_USER}), not {}",
            offered.len()
        ));
    }
    let mut seen: Vec<Zeroizing<String>> = Vec::with_capacity(offered.len());
    for (i, question) in offered.iter().enumerate() {
        let normalised = match normalise(question) {
            Ok(normalised) => normalised,
            Err(problem) => return Some(format!("questions[{i}] {problem}")),
        };
        if let Some(first) = seen.iter().position(|q| *q == normalised) {
            return Some(format!(
                "questions[{i}] is the same question as questions[{first}]"
            ));
        }
        seen.push(normalised);
    }
    None
}

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
    fn an_offered_list_needs_enough_distinct_short_questions() {
        let list = |items: &[&str]| items.iter().map(|&q| q.to_owned()).collect::<Vec<_>>();
        assert_eq!(offered_problem(&default_offered()), None);
        assert_eq!(offered_problem(&list(&["a?", "b?", "c?"])), None);
        assert_eq!(
            offered_problem(&list(&["a?", "b?"])).unwrap(),
            "questions must list 3 to 100 questions (each user picks 3), not 2"
        );
        assert!(
            offered_problem(&vec!["q".to_owned(); 101])
                .unwrap()
                .ends_with("not 101")
        );
        assert_eq!(
            offered_problem(&list(&["a?", "  ", "c?"])).unwrap(),
            "questions[1] is empty"
        );
        assert_eq!(
            offered_problem(&list(&["a?", "b?", &"x".repeat(257)])).unwrap(),
            "questions[2] has 257 characters, at most 256"
        );
        assert_eq!(
            offered_problem(&list(&["a?", "b\u{7}?", "c?"])).unwrap(),
            "questions[1] contains a control character"
        );
        assert_eq!(
            offered_problem(&list(&["Your first pet?", "b?", " your  FIRST pet? "])).unwrap(),
            "questions[2] is the same question as questions[0]"
        );
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
