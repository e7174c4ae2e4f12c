//! What the issuer refuses or fails at, in words an administrator can be shown.
//!
//! One enum for the whole issuer. Every refusal names the value it is about and the problem; no
//! message contains a secret (identity secret, activation code, link password, passphrase or
//! store key). Serial numbers appear in messages: they are not secret, and an administrator
//! needs to know which identity a message is about. [`IssuerError::field`] tells a shell where
//! to show a message.

use crate::crypto::CryptoError;
use crate::field::InputField;
use crate::identityguard::{Field, IdentityGuardError};
use crate::random::RandomError;

/// The value an [`IssuerError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssuerField {
    /// The issuer passphrase.
    Passphrase,
    /// The identity's name.
    Name,
    /// Digits per code.
    Digits,
    /// The policy document.
    Policy,
    /// The self-service address.
    Address,
    /// The OCRA suite.
    OcraSuite,
    /// The verification window.
    Window,
    /// The serial number.
    SerialNumber,
    /// The registration code.
    RegistrationCode,
    /// A security code to verify.
    Code,
    /// An OCRA challenge.
    Challenge,
    /// An OCRA response.
    Response,
    /// A PIN reset code.
    ResetCode,
}

impl From<IssuerField> for InputField {
    fn from(field: IssuerField) -> Self {
        match field {
            IssuerField::Passphrase => InputField::Passphrase,
            IssuerField::Name => InputField::Name,
            IssuerField::Digits => InputField::Digits,
            IssuerField::Policy => InputField::Policy,
            IssuerField::Address => InputField::Address,
            IssuerField::OcraSuite => InputField::OcraSuite,
            IssuerField::Window => InputField::Window,
            IssuerField::SerialNumber => InputField::SerialNumber,
            IssuerField::RegistrationCode => InputField::RegistrationCode,
            IssuerField::Code => InputField::Code,
            IssuerField::Challenge => InputField::Challenge,
            IssuerField::Response => InputField::Response,
            IssuerField::ResetCode => InputField::ResetCode,
        }
    }
}

/// Everything the issuer can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    // --- the store and its passphrase ---------------------------------------------------------
    /// The passphrase does not open this store (or the store's header was changed).
    #[error("the issuer passphrase is wrong")]
    WrongPassphrase,
    /// No passphrase was given.
    #[error("the issuer passphrase is empty")]
    EmptyPassphrase,
    /// A new store's passphrase is too short to resist guessing from a copied folder.
    #[error("the issuer passphrase is too short: a new store needs at least {min} characters")]
    PassphraseTooShort {
        /// Fewest characters accepted.
        min: usize,
    },
    /// `store.json` cannot be read as a store header.
    #[error("the issuer store's header (store.json) is damaged: {problem}")]
    HeaderDamaged {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `store.json` was written by a newer Tessera.
    #[error(
        "the issuer store was written in format version {found}, which this version of Tessera cannot read; update it"
    )]
    UnsupportedVersion {
        /// The version found.
        found: u64,
    },
    /// Key-derivation parameters outside the accepted range, checked before any memory is
    /// reserved for them.
    #[error(
        "the issuer store's key-derivation {which} is {value}, outside the accepted range {min} to {max}"
    )]
    KdfOutOfRange {
        /// "memory (KiB)", "passes" or "lanes".
        which: &'static str,
        /// Value found.
        value: u32,
        /// Smallest accepted.
        min: u32,
        /// Largest accepted.
        max: u32,
    },
    /// Identity records exist but their header does not: without its salt no key opens them,
    /// so a new header (and key) is not made over them.
    #[error(
        "the issuer store has identity records but no store.json header; restore store.json from a backup (a new header could not open the records)"
    )]
    HeaderMissing,
    /// An identity's record fails its integrity check or cannot be read.
    #[error(
        "the record of the identity with serial number {serial} is damaged or was changed outside Tessera"
    )]
    RecordDamaged {
        /// The identity's serial number, grouped.
        serial: String,
    },
    /// A value sealed beside the records (`seal_value`) fails its integrity check.
    #[error(
        "a sealed {what} is damaged, was changed outside Tessera, or was sealed under another key"
    )]
    SealedValueDamaged {
        /// What the value is, e.g. "answer".
        what: &'static str,
    },
    /// Reading or writing a file failed.
    #[error("could not {action}: {detail}")]
    Storage {
        /// What was being done, e.g. "write an identity record".
        action: &'static str,
        /// What the operating system said (no path, no content).
        detail: String,
    },
    /// The computer could not spare the memory the key derivation needs.
    #[error("there is not enough free memory ({mib} MiB) to open the issuer store")]
    NotEnoughMemory {
        /// Memory needed, in MiB.
        mib: u32,
    },
    /// The operating system's random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A primitive refused inputs the issuer had already checked; a bug.
    #[error("internal error in the issuer: {reason}")]
    Internal {
        /// Which invariant broke.
        reason: &'static str,
    },

    // --- creating an identity -----------------------------------------------------------------
    /// The name is empty, too long or contains control characters.
    #[error("the name {problem}")]
    BadName {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The policy is not one JSON document.
    #[error("the policy is not valid JSON ({detail})")]
    PolicyNotJson {
        /// Where the JSON parser stopped (line and column; no content).
        detail: String,
    },
    /// The policy would make the link too large for a QR code.
    #[error("the policy is too long: {length} bytes, at most {max}")]
    PolicyTooLong {
        /// Bytes given.
        length: usize,
        /// Most accepted.
        max: usize,
    },
    /// The address has no host a token could name the identity after.
    #[error("the address has no host name (expected e.g. myid.example.edu/igst)")]
    AddressNoHost,
    /// The address would make the link too large for a QR code.
    #[error("the address is too long: {length} characters, at most {max}")]
    AddressTooLong {
        /// Characters given.
        length: usize,
        /// Most accepted.
        max: usize,
    },
    /// An OCRA suite the issuer and the token cannot run together.
    #[error("the OCRA suite {reason}")]
    OcraSuiteUnsupported {
        /// Why, naming the suite's part.
        reason: &'static str,
    },
    /// A verification window wider than allowed.
    #[error("the verification window must be 0 to {max} steps each way, not {found}")]
    WindowTooWide {
        /// The width asked for.
        found: u32,
        /// The widest allowed.
        max: u8,
    },
    /// A serial number, registration code or digits setting was refused (the message names
    /// which and why: "the registration code has a typo: its check digit does not match").
    #[error(transparent)]
    Code(#[from] IdentityGuardError),

    // --- identities ---------------------------------------------------------------------------
    /// No identity has this serial number.
    #[error("there is no identity with serial number {serial} in this store")]
    UnknownSerial {
        /// The serial number asked for, grouped.
        serial: String,
    },
    /// The identity has no registration yet, so it has no secret.
    #[error(
        "the identity {serial} is not registered yet: complete it with the registration code its token shows"
    )]
    NotRegistered {
        /// The identity's serial number, grouped.
        serial: String,
    },
    /// The identity was registered with a different registration code.
    #[error(
        "the identity {serial} is already registered with another registration code; create a new identity to activate another token"
    )]
    AlreadyRegistered {
        /// The identity's serial number, grouped.
        serial: String,
    },

    // --- codes, challenges, responses ---------------------------------------------------------
    /// A code with the wrong number of digits.
    #[error("the code must have {expected} digits, not {found}")]
    CodeLength {
        /// The identity's digits.
        expected: usize,
        /// Digits found (spaces and dashes ignored).
        found: usize,
    },
    /// A code with something other than digits, spaces and dashes.
    #[error("the code may contain only digits (spaces and dashes are ignored)")]
    CodeNotDigits,
    /// The code is right for a time step that was already accepted (or an earlier one).
    #[error("code refused: already used")]
    CodeAlreadyUsed,
    /// The code is not the code of any step in the window (wrong, or too early or late).
    #[error("code refused: not valid at this time")]
    CodeNotValidNow,
    /// The identity has no OCRA suite.
    #[error(
        "the identity {serial} does not answer challenges (it was created without an OCRA suite)"
    )]
    NoOcraSuite {
        /// The identity's serial number, grouped.
        serial: String,
    },
    /// A counter suite's counter has reached its largest value: another response would need
    /// it to wrap to 0, where the token's earlier responses would be valid again.
    #[error(
        "this identity's challenge counter has reached its largest value: give it new activation data"
    )]
    OcraCounterExhausted,
    /// The challenge is not one this issuer issued for the identity, or it was already answered.
    #[error(
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one"
    )]
    ChallengeUnknown,
    /// The challenge was issued but its lifetime is over.
    #[error("challenge refused: it has expired; issue a new one")]
    ChallengeExpired,
    /// A response of the wrong length or with the wrong characters.
    #[error("the response must be {expected}")]
    ResponseFormat {
        /// What the suite's responses look like, e.g. "6 digits".
        expected: String,
    },
    /// The response does not answer the challenge.
    #[error("response refused: it does not answer this challenge")]
    ResponseRefused,
    /// A PIN reset code that is not 9 digits.
    #[error("the PIN reset code must have 9 digits (spaces and dashes are ignored)")]
    ResetCodeFormat,
}

impl IssuerError {
    /// The value this error is about, when it is about one (so a shell can show the message
    /// beside it); `None` for problems with the store as a whole.
    pub fn field(&self) -> Option<IssuerField> {
        use IssuerError as E;
        Some(match self {
            E::WrongPassphrase | E::EmptyPassphrase | E::PassphraseTooShort { .. } => {
                IssuerField::Passphrase
            }
            E::BadName { .. } => IssuerField::Name,
            E::PolicyNotJson { .. } | E::PolicyTooLong { .. } => IssuerField::Policy,
            E::AddressNoHost | E::AddressTooLong { .. } => IssuerField::Address,
            E::OcraSuiteUnsupported { .. } => IssuerField::OcraSuite,
            E::WindowTooWide { .. } => IssuerField::Window,
            E::Code(inner) => match inner.field() {
                Some(Field::RegistrationCode) => IssuerField::RegistrationCode,
                Some(Field::SerialNumber) => IssuerField::SerialNumber,
                Some(Field::Policy) => IssuerField::Policy,
                Some(Field::Address) => IssuerField::Address,
                Some(Field::OcraSuite) => IssuerField::OcraSuite,
                Some(Field::ActivationCode) | None => match inner {
                    IdentityGuardError::BadDigits { .. } => IssuerField::Digits,
                    _ => return None,
                },
            },
            E::UnknownSerial { .. }
            | E::NotRegistered { .. }
            | E::AlreadyRegistered { .. }
            | E::NoOcraSuite { .. }
            | E::OcraCounterExhausted => IssuerField::SerialNumber,
            E::CodeLength { .. } | E::CodeNotDigits | E::CodeAlreadyUsed | E::CodeNotValidNow => {
                IssuerField::Code
            }
            E::ChallengeUnknown | E::ChallengeExpired => IssuerField::Challenge,
            E::ResponseFormat { .. } | E::ResponseRefused => IssuerField::Response,
            E::ResetCodeFormat => IssuerField::ResetCode,
            E::HeaderDamaged { .. }
            | E::UnsupportedVersion { .. }
            | E::KdfOutOfRange { .. }
            | E::HeaderMissing
            | E::RecordDamaged { .. }
            | E::SealedValueDamaged { .. }
            | E::Storage { .. }
            | E::NotEnoughMemory { .. }
            | E::Random(_)
            | E::Internal { .. } => return None,
        })
    }

    pub(crate) fn storage(action: &'static str, error: &std::io::Error) -> Self {
        IssuerError::Storage {
            action,
            detail: error.kind().to_string(),
        }
    }
}

impl From<CryptoError> for IssuerError {
    /// The primitives' refusals, said of the issuer store.
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::KdfParamsOutOfRange {
                which,
                value,
                min,
                max,
            } => IssuerError::KdfOutOfRange {
                which,
                value,
                min,
                max,
            },
            CryptoError::NotEnoughMemory { mib } => IssuerError::NotEnoughMemory { mib },
            CryptoError::Random(inner) => IssuerError::Random(inner),
            CryptoError::Internal { reason } => IssuerError::Internal { reason },
        }
    }
}
