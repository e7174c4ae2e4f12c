//! What can go wrong while reading IdentityGuard codes and activation links.
//!
//! One enum for the whole module. Every message names the field it is about and the problem in
//! words a person understands; none contains a secret (activation code, link password, key or
//! derived secret), so any message may be shown or logged.

use std::fmt;

use crate::field::InputField;

/// The value an [`IdentityGuardError`] is about, so a shell can show the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The 10-digit serial number.
    SerialNumber,
    /// The 16-digit activation code.
    ActivationCode,
    /// The 10-digit registration code the token shows.
    RegistrationCode,
    /// The optional policy document an activation link carries.
    Policy,
    /// The optional address (`regurl`) an activation link carries.
    Address,
    /// The optional OCRA suite (`ocra`) a Tessera issuer's activation link carries.
    OcraSuite,
}

impl Field {
    /// The field's name as messages write it ("serial number").
    pub fn as_str(self) -> &'static str {
        match self {
            Field::SerialNumber => "serial number",
            Field::ActivationCode => "activation code",
            Field::RegistrationCode => "registration code",
            Field::Policy => "policy",
            Field::Address => "address",
            Field::OcraSuite => "OCRA suite",
        }
    }
}

impl From<Field> for InputField {
    fn from(field: Field) -> Self {
        match field {
            Field::SerialNumber => InputField::SerialNumber,
            Field::ActivationCode => InputField::ActivationCode,
            Field::RegistrationCode => InputField::RegistrationCode,
            Field::Policy => InputField::Policy,
            Field::Address => InputField::Address,
            Field::OcraSuite => InputField::OcraSuite,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string of digits is not a valid serial number, activation code or registration code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeProblem {
    /// Nothing but dashes and spaces (or nothing at all).
    Empty,
    /// A character other than a digit, a dash or a space.
    NotDigits,
    /// The wrong number of digits.
    WrongLength {
        /// Digits this kind of code has.
        expected: usize,
        /// Digits found.
        found: usize,
    },
    /// The last digit is not the Luhn check digit of the others: a typo.
    BadCheckDigit,
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeProblem::Empty => f.write_str("it is empty"),
            CodeProblem::NotDigits => {
                f.write_str("it contains characters other than digits, dashes and spaces")
            }
            CodeProblem::WrongLength { expected, found } => {
                write!(f, "it has {found} digits, not {expected}")
            }
            CodeProblem::BadCheckDigit => f.write_str("its check digit does not match"),
        }
    }
}

/// Everything that can go wrong in [`crate::identityguard`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityGuardError {
    // --- codes a person typed -------------------------------------------------------------
    /// Nothing was typed.
    #[error("the {field} is empty")]
    Empty {
        /// The code concerned.
        field: Field,
    },
    /// A character other than a digit, a dash or a space.
    #[error("the {field} may contain only digits, dashes and spaces")]
    NotDigits {
        /// The code concerned.
        field: Field,
    },
    /// The wrong number of digits.
    #[error("the {field} must have {expected} digits, not {found}")]
    WrongLength {
        /// The code concerned.
        field: Field,
        /// Digits this kind of code has.
        expected: usize,
        /// Digits found.
        found: usize,
    },
    /// The Luhn check digit does not match the other digits.
    #[error("the {field} has a typo: its check digit does not match")]
    BadCheckDigit {
        /// The code concerned.
        field: Field,
    },
    /// The registration code fails Tessera's issuer rule for this serial number.
    #[error("the registration code does not belong to this serial number (check both for a typo)")]
    RegistrationMismatch,

    // --- activation links -------------------------------------------------------------------
    /// Longer than any activation link can be.
    #[error("the link is too long to be an activation link ({length} characters)")]
    LinkTooLong {
        /// Characters received.
        length: usize,
    },
    /// Not an `igmobileotp://` URI.
    #[error("this is not an IdentityGuard activation link (it should start with igmobileotp://?)")]
    NotActivationLink,
    /// The link asks for something other than activation.
    #[error("the link asks for the action \"{action}\"; Tessera only understands secactivate")]
    UnknownAction {
        /// The action named by the link (shortened, printable characters only).
        action: String,
    },
    /// A format version other than 1.
    #[error("the link uses format version \"{version}\"; Tessera only understands version 1")]
    UnsupportedVersion {
        /// The version named by the link (shortened, printable characters only).
        version: String,
    },
    /// A parameter the format requires is absent.
    #[error("the link is missing its {name} parameter (was it cut short?)")]
    MissingParameter {
        /// The parameter's name: `action`, `enc`, `v` or `mac`.
        name: &'static str,
    },
    /// A parameter appears twice, so it is not clear which one counts.
    #[error("the link has its {name} parameter more than once")]
    DuplicateParameter {
        /// The parameter's name.
        name: &'static str,
    },
    /// Something follows `mac`; the MAC can only protect what comes before it.
    #[error("the link's mac parameter must come last")]
    MacNotLast,
    /// A value that should be base64 is not.
    #[error("the link's {name} parameter is not valid base64 (was the link changed or cut?)")]
    BadBase64 {
        /// The parameter's name: `enc` or `mac`.
        name: &'static str,
    },
    /// `enc` cannot hold an 8-byte salt and one encrypted block.
    #[error("the link's encrypted part is too short: {found} bytes, at least 24 are needed")]
    EncTooShort {
        /// Bytes found after base64 decoding.
        found: usize,
    },
    /// `mac` has the wrong length.
    #[error("the link's mac must be 12 bytes, not {found} (was the link changed or cut?)")]
    BadMacLength {
        /// Bytes found after base64 decoding.
        found: usize,
    },
    /// No link password was given.
    #[error("the link password is empty: type the password that came with the link")]
    EmptyPassword,
    /// The MAC does not match: the password is wrong or the link was altered.
    #[error("the link password is wrong (or the link was changed)")]
    WrongPassword,
    /// The MAC matched but the content does not decrypt: the issuer made a broken link.
    #[error("the link is damaged: its encrypted part does not decrypt")]
    Damaged,
    /// The decrypted content is not a JSON object.
    #[error("the link is damaged: its content is not the expected JSON")]
    NotJson,
    /// The decrypted content lacks a required value.
    #[error("the link does not contain the {field}")]
    MissingInLink {
        /// The missing value.
        field: Field,
    },
    /// A value in the link has the wrong JSON type.
    #[error("the {field} in the link is not text")]
    NotTextInLink {
        /// The value concerned.
        field: Field,
    },
    /// A code carried by the link is not valid.
    #[error("the {field} in the link is not valid: {problem}")]
    InvalidInLink {
        /// The code concerned.
        field: Field,
        /// What is wrong with it.
        problem: CodeProblem,
    },

    // --- code parameters ----------------------------------------------------------------------
    /// Deployments show 6 or 8 digits, nothing else.
    #[error("an IdentityGuard security code has 6 or 8 digits, not {found}")]
    BadDigits {
        /// The number asked for.
        found: u8,
    },
}

impl IdentityGuardError {
    /// The field this error is about, when it is about one value.
    pub fn field(&self) -> Option<Field> {
        match self {
            IdentityGuardError::Empty { field }
            | IdentityGuardError::NotDigits { field }
            | IdentityGuardError::WrongLength { field, .. }
            | IdentityGuardError::BadCheckDigit { field }
            | IdentityGuardError::MissingInLink { field }
            | IdentityGuardError::NotTextInLink { field }
            | IdentityGuardError::InvalidInLink { field, .. } => Some(*field),
            IdentityGuardError::RegistrationMismatch => Some(Field::RegistrationCode),
            _ => None,
        }
    }

    /// The error for a code a person typed.
    pub(crate) fn typed(field: Field, problem: CodeProblem) -> Self {
        match problem {
            CodeProblem::Empty => IdentityGuardError::Empty { field },
            CodeProblem::NotDigits => IdentityGuardError::NotDigits { field },
            CodeProblem::WrongLength { expected, found } => IdentityGuardError::WrongLength {
                field,
                expected,
                found,
            },
            CodeProblem::BadCheckDigit => IdentityGuardError::BadCheckDigit { field },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_problem() {
        let cases = [
            (
                IdentityGuardError::WrongLength {
                    field: Field::SerialNumber,
                    expected: 10,
                    found: 9,
                },
                "the serial number must have 10 digits, not 9",
            ),
            (
                IdentityGuardError::BadCheckDigit {
                    field: Field::ActivationCode,
                },
                "the activation code has a typo: its check digit does not match",
            ),
            (
                IdentityGuardError::NotDigits {
                    field: Field::RegistrationCode,
                },
                "the registration code may contain only digits, dashes and spaces",
            ),
            (
                IdentityGuardError::InvalidInLink {
                    field: Field::SerialNumber,
                    problem: CodeProblem::BadCheckDigit,
                },
                "the serial number in the link is not valid: its check digit does not match",
            ),
            (
                IdentityGuardError::InvalidInLink {
                    field: Field::ActivationCode,
                    problem: CodeProblem::WrongLength {
                        expected: 16,
                        found: 15,
                    },
                },
                "the activation code in the link is not valid: it has 15 digits, not 16",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn field_is_reported_for_shells() {
        assert_eq!(
            IdentityGuardError::typed(Field::SerialNumber, CodeProblem::Empty).field(),
            Some(Field::SerialNumber)
        );
        assert_eq!(IdentityGuardError::WrongPassword.field(), None);
    }
}
