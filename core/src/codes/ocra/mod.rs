//! OCRA, the OATH challenge-response algorithm of RFC 6287: a response computed from a
//! challenge question and, as the suite says, a counter, a PIN, session information and the
//! time. Used for challenge-response logins, mutual authentication and transaction signing.
//!
//! [`OcraSuite`] reads and checks the suite text; [`ocra`] computes a response from an
//! [`OcraInput`] that must supply exactly the inputs the suite names.

mod compute;
mod suite;
mod text;

#[doc(hidden)]
pub use compute::data_input;
pub use compute::{
    MAX_HEX_QUESTION_DIGITS, MAX_QUESTION_CHARACTERS, OcraError, OcraInput, OcraPin, ocra,
};
pub use suite::{OcraSuite, OcraSuiteError, QuestionFormat};
