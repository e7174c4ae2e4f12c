//! The one rule for the names a person sees (an identity's name and issuer, wherever they come
//! from: typed, scanned, imported or restored) and the one way an identity is labelled.
//!
//! A name may not hold control characters or the invisible characters that change the
//! direction of text: either can make a name display as something it is not. Each caller words
//! a refusal for its own field and error type; what is refused is decided here only.

/// The longest name or issuer kept, in characters.
pub const MAX_NAME_CHARS: usize = 256;

/// Why the characters of a name or issuer are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharacterProblem {
    /// More than [`MAX_NAME_CHARS`] characters.
    TooLong {
        /// Length found, in characters.
        chars: usize,
    },
    /// A control character (C0, DEL, C1: Unicode general category Cc).
    Control,
    /// An invisible character that changes the direction of text.
    Direction,
}

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameProblem {
    /// Nothing but white space.
    Empty,
    /// Its characters.
    Characters(CharacterProblem),
}

impl From<CharacterProblem> for NameProblem {
    fn from(problem: CharacterProblem) -> Self {
        NameProblem::Characters(problem)
    }
}

impl NameProblem {
    /// The problem as the end of a sentence about the name ("the name is empty").
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NameProblem::Empty => "is empty",
            NameProblem::Characters(CharacterProblem::TooLong { .. }) => {
                "is longer than 256 characters"
            }
            NameProblem::Characters(CharacterProblem::Control | CharacterProblem::Direction) => {
                "contains invisible control characters"
            }
        }
    }
}

/// A name as the token keeps it: trimmed, not empty, and of characters [`check_characters`]
/// accepts.
pub(crate) fn check_name(name: &str) -> Result<String, NameProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    check_characters(name)?;
    Ok(name.to_string())
}

/// The characters of a name or issuer, which may be empty (an otpauth label's account, when
/// the link names the issuer): at most [`MAX_NAME_CHARS`], no control character and no
/// character that changes the direction of text.
pub(crate) fn check_characters(text: &str) -> Result<(), CharacterProblem> {
    let chars = text.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(CharacterProblem::TooLong { chars });
    }
    if text.chars().any(char::is_control) {
        return Err(CharacterProblem::Control);
    }
    if text.chars().any(is_direction_character) {
        return Err(CharacterProblem::Direction);
    }
    Ok(())
}

/// Invisible characters that reorder or re-direct the text around them (embeddings,
/// overrides, isolates and the directional marks).
pub(crate) fn is_direction_character(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How an identity is named to a person: "Issuer: name", or the name alone when there is no
/// issuer or the issuer is the name.
pub fn display_label(issuer: Option<&str>, name: &str) -> String {
    match issuer {
        Some(issuer) if issuer != name => format!("{issuer}: {name}"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directional_marks_are_refused_like_the_other_direction_characters() {
        // U+061C (Arabic letter mark), U+200E and U+200F (left-to-right and right-to-left
        // marks): the session's old rule let these through while otpauth links refused them.
        for mark in ['\u{061C}', '\u{200E}', '\u{200F}', '\u{202E}', '\u{2066}'] {
            let name = format!("Example{mark}elgoog");
            assert_eq!(
                check_characters(&name),
                Err(CharacterProblem::Direction),
                "{mark:?}"
            );
            assert_eq!(
                check_name(&name).map_err(NameProblem::describe),
                Err("contains invisible control characters"),
                "{mark:?}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  Deno  ").as_deref(), Ok("Deno"));
        assert_eq!(check_name(" \t "), Err(NameProblem::Empty));
        assert_eq!(check_characters(""), Ok(()));
        let long = "é".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check_name(&long),
            Err(NameProblem::Characters(CharacterProblem::TooLong {
                chars: MAX_NAME_CHARS + 1
            }))
        );
        assert_eq!(
            NameProblem::Characters(CharacterProblem::TooLong { chars: 0 }).describe(),
            format!("is longer than {MAX_NAME_CHARS} characters")
        );
        assert!(check_characters(&"é".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn the_label_names_the_issuer_once() {
        assert_eq!(display_label(Some("Deno"), "Mason"), "Deno: Mason");
        assert_eq!(display_label(Some("Deno"), "Deno"), "Deno");
        assert_eq!(display_label(None, "Mason"), "Mason");
    }
}
