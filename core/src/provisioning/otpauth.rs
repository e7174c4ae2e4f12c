//! `otpauth://` links: the key URI format of Google Authenticator, as QR codes, exports and other
//! authenticators carry it.
//!
//! [`parse_otpauth`] turns a link into an [`OtpAuth`] plus [`OtpauthWarning`]s, or refuses it with
//! an [`OtpauthError`] whose message names the field and says what is wrong. [`OtpAuth::to_uri`]
//! writes a link back; whatever `parse_otpauth` accepts, `to_uri` writes a link that parses back to
//! the same fields. No message, warning or `Debug` output contains the secret.
//!
//! # What a link may hold, and the choices made
//!
//! - **Scheme and type** are read in any case. Types are `totp`, `hotp` and `steam` (Aegis and
//!   2FAS write `otpauth://steam/...`). A `totp` link becomes Steam when its issuer is `Steam`
//!   (ASCII case ignored; the issuer after the rules below, so `otpauth://totp/Steam:bob?...`
//!   counts) or when it has `encoder=steam` (KeePassXC). `encoder=steam` on a `hotp` link is
//!   refused: Steam codes are time-based. An `otpauth-migration://` link gets its own error.
//! - **Percent-decoding**: `%XX` escapes are decoded and `+` is read as a space, in the label and
//!   in every parameter, so `Air%20Canada` and `Air+Canada` are the same. A literal `+` must be
//!   written `%2B` (a raw `alice+tag@example.com` label reads as `alice tag@example.com`). A `%`
//!   not followed by two hex digits, or bytes that are not UTF-8 once decoded, are refused. A
//!   raw `#` is an ordinary character: otpauth links have no fragment, and cutting the link there
//!   could silently drop a parameter such as `digits`.
//! - **Label**: required and not empty. It is decoded first and then split at its first `:`
//!   (so `%3A` separates too), and spaces around both parts are trimmed (`Issuer: account`).
//!   When the `issuer` parameter is present and the label starts with it followed by `:`, that
//!   prefix is the issuer even if it contains a colon. Colons may appear in the account name
//!   after the issuer (`Issuer:a:b` is account `a:b`); a label starting with `:` has no issuer
//!   prefix (`:a:b` is account `a:b` with no issuer, which is how [`OtpAuth::to_uri`] writes
//!   such an account). The account name may be empty only when there is an issuer.
//! - **Issuer**: from the `issuer` parameter or the label prefix. When both are present and
//!   differ (ignoring case) the parameter wins, as in Google Authenticator, and an
//!   [`OtpauthWarning::IssuerMismatch`] is returned. An empty `issuer=` counts as absent.
//! - **Names**: the account name and the issuer may each be at most [`MAX_NAME_CHARS`]
//!   characters, and may not contain control characters (C0, DEL, C1) or invisible
//!   characters that change the direction of text (U+202A-U+202E, U+2066-U+2069, and the marks
//!   U+200E, U+200F, U+061C): they can make a name display as something it is not.
//!   Zero-width joiners are allowed (emoji and several scripts need them).
//! - **Secret**: required, base32 in any case, with or without `=` padding, spaces, `+` or
//!   `%20` (all ignored). At least [`MIN_SECRET_BITS`] bits; below [`RECOMMENDED_SECRET_BITS`]
//!   (RFC 4226 section 4) it is accepted with [`OtpauthWarning::ShortSecret`]; at most
//!   [`MAX_OTPAUTH_SECRET_BYTES`] bytes, the block size of HMAC-SHA-512: a longer key is hashed
//!   down before use, so more length adds nothing and suggests a mistake.
//! - **Parameters**: `algorithm` (SHA1, SHA256, SHA512 in the spellings
//!   [`Algorithm`]'s `FromStr` accepts; default SHA1), `digits` (6, 7 or 8; default 6),
//!   `period` (1 to [`MAX_PERIOD`] seconds; default 30) for `totp`, `counter` for `hotp`.
//!   A `hotp` link without `counter` starts at 0 as Google Authenticator does, with
//!   [`OtpauthWarning::CounterMissing`]. Parameters that do not apply to the type (`period` on
//!   `hotp`, as Ente writes, or `counter` on `totp`) are ignored unread. Steam codes always have
//!   5 characters, SHA1 and 30 s: `digits`, `algorithm` and `period` are ignored for them, with
//!   [`OtpauthWarning::IgnoredForSteam`] when they say something else. Parameter names are
//!   matched in any case. Unknown parameters (`image`, `color`, `codeDisplay`...) are ignored;
//!   a parameter Tessera reads that appears twice is refused, because which one the issuing
//!   site meant cannot be known.
//!
//! # What `to_uri` writes
//!
//! `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30`
//! with every parameter spelled out, as Aegis, 2FAS and Bitwarden write them (`counter=` instead
//! of `period=` for `hotp`). Steam is written as Aegis and 2FAS write it:
//! `otpauth://steam/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=5&period=30`.
//! The secret is unpadded upper-case base32; names are percent-encoded except for letters,
//! digits, `-._~@`.

use std::fmt;

use crate::codes::Algorithm;
use crate::field::InputField;
use crate::secret::{SecretBytes, SecretError};

mod emit;
mod parse;

pub use parse::parse_otpauth;
pub(crate) use parse::split_names;

/// The fewest secret bits accepted: what Google Authenticator's own examples use (10 bytes).
pub const MIN_SECRET_BITS: usize = 80;

/// Secrets shorter than this (RFC 4226 section 4: "at least 128 bits") are accepted with
/// [`OtpauthWarning::ShortSecret`].
pub const RECOMMENDED_SECRET_BITS: usize = 128;

/// The longest secret an otpauth link may carry, in bytes: the HMAC-SHA-512 block size.
pub const MAX_OTPAUTH_SECRET_BYTES: usize = 128;

/// The longest account name, and the longest issuer, in characters (the identity name rule's).
pub use crate::identity::MAX_NAME_CHARS;

/// The longest TOTP period accepted, in seconds.
pub const MAX_PERIOD: u32 = 300;

/// Which kind of one-time password, with its moving factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp {
        /// Seconds each code lasts, 1 to [`MAX_PERIOD`].
        period: u32,
    },
    /// Counter-based (RFC 4226): a new code each time the counter moves.
    Hotp {
        /// The next counter value to use.
        counter: u64,
    },
    /// Steam Guard: TOTP with HMAC-SHA1, 30 s, written as 5 characters from Steam's alphabet.
    Steam,
}

/// An OTP identity as an otpauth:// link describes it. `Debug` never shows the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpAuth {
    /// TOTP, HOTP or Steam, with the period or counter.
    pub kind: OtpKind,
    /// The account name (often an e-mail address); empty only when there is an issuer.
    pub account: String,
    /// Who issued the secret (the service), if the link says.
    pub issuer: Option<String>,
    /// The shared secret.
    pub secret: SecretBytes,
    /// The HMAC hash; always SHA1 for Steam.
    pub algorithm: Algorithm,
    /// Code length: 6, 7 or 8; always 5 for Steam.
    pub digits: u8,
}

impl OtpAuth {
    /// The name the identity gets on the token: the account, or the issuer when the link names
    /// no account.
    pub fn identity_name(&self) -> String {
        if self.account.trim().is_empty() {
            self.issuer.clone().unwrap_or_default()
        } else {
            self.account.clone()
        }
    }
}

/// A link that was accepted, with what a person should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOtpauth {
    /// What the link provisions.
    pub otp: OtpAuth,
    /// Things that are allowed but worth telling the person, in the order found.
    pub warnings: Vec<OtpauthWarning>,
}

/// Something accepted in a link that a person should know about. `Display` is a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtpauthWarning {
    /// The secret has at least [`MIN_SECRET_BITS`] but fewer than [`RECOMMENDED_SECRET_BITS`] bits.
    ShortSecret {
        /// Length of the secret in bits.
        bits: usize,
    },
    /// The label's issuer prefix and the `issuer` parameter differ; the parameter was used.
    IssuerMismatch {
        /// The issuer written before the `:` in the label.
        label: String,
        /// The `issuer` parameter, which was used.
        parameter: String,
    },
    /// A `hotp` link had no `counter`; the counter starts at 0.
    CounterMissing,
    /// A Steam link set `digits`, `algorithm` or `period` to something Steam codes never use;
    /// the value was ignored.
    IgnoredForSteam {
        /// The parameter that was ignored.
        field: OtpauthField,
    },
}

impl fmt::Display for OtpauthWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OtpauthWarning::ShortSecret { bits } => write!(
                f,
                "the secret is only {bits} bits long; {RECOMMENDED_SECRET_BITS} or more are \
                 recommended, so codes for this account are easier to guess than they should be"
            ),
            OtpauthWarning::IssuerMismatch { label, parameter } => write!(
                f,
                "the link's label names the issuer \"{label}\" but its issuer parameter says \
                 \"{parameter}\"; \"{parameter}\" is used"
            ),
            OtpauthWarning::CounterMissing => f.write_str(
                "the link does not say where this counter-based account's counter is, so it starts at 0",
            ),
            OtpauthWarning::IgnoredForSteam { field } => write!(
                f,
                "the link's `{}` was ignored: Steam codes always have 5 characters and use SHA1 \
                 every 30 seconds",
                field.as_str()
            ),
        }
    }
}

/// A part of an otpauth link, named in errors and warnings so a shell can show the problem
/// beside the right field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpauthField {
    /// The link as a whole (its scheme).
    Link,
    /// The type after `otpauth://`: totp, hotp or steam.
    Type,
    /// The label: `Issuer:account` after the type.
    Label,
    /// The account name in the label.
    Account,
    /// The issuer, from the label prefix or the `issuer` parameter.
    Issuer,
    /// The `secret` parameter.
    Secret,
    /// The `algorithm` parameter.
    Algorithm,
    /// The `digits` parameter.
    Digits,
    /// The `period` parameter.
    Period,
    /// The `counter` parameter.
    Counter,
    /// The `encoder` parameter.
    Encoder,
}

impl From<OtpauthField> for InputField {
    /// The shells take an otpauth link whole (typed, pasted, scanned or opened), never its
    /// parts one by one, so a problem in any part is shown beside the link.
    fn from(field: OtpauthField) -> Self {
        match field {
            OtpauthField::Link
            | OtpauthField::Type
            | OtpauthField::Label
            | OtpauthField::Account
            | OtpauthField::Issuer
            | OtpauthField::Secret
            | OtpauthField::Algorithm
            | OtpauthField::Digits
            | OtpauthField::Period
            | OtpauthField::Counter
            | OtpauthField::Encoder => InputField::Link,
        }
    }
}

impl OtpauthField {
    /// A short stable name ("link", "type", "label", "account", "issuer", or the parameter name),
    /// for shells and test vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpauthField::Link => "link",
            OtpauthField::Type => "type",
            OtpauthField::Label => "label",
            OtpauthField::Account => "account",
            OtpauthField::Issuer => "issuer",
            OtpauthField::Secret => "secret",
            OtpauthField::Algorithm => "algorithm",
            OtpauthField::Digits => "digits",
            OtpauthField::Period => "period",
            OtpauthField::Counter => "counter",
            OtpauthField::Encoder => "encoder",
        }
    }

    /// How messages name the field: plain words for what a person sees, `name` for parameters.
    fn noun(self) -> &'static str {
        match self {
            OtpauthField::Link => "link",
            OtpauthField::Type => "type",
            OtpauthField::Label => "label",
            OtpauthField::Account => "account name",
            OtpauthField::Issuer => "issuer",
            OtpauthField::Secret => "secret",
            OtpauthField::Algorithm => "`algorithm`",
            OtpauthField::Digits => "`digits`",
            OtpauthField::Period => "`period`",
            OtpauthField::Counter => "`counter`",
            OtpauthField::Encoder => "`encoder`",
        }
    }

    /// What a valid value looks like, for [`OtpauthError::InvalidValue`].
    fn expectation(self) -> &'static str {
        match self {
            OtpauthField::Algorithm => "SHA1, SHA256 or SHA512",
            OtpauthField::Digits => "6, 7 or 8",
            OtpauthField::Period => "a whole number of seconds from 1 to 300",
            OtpauthField::Counter => "a whole number from 0 to 18446744073709551615",
            _ => "something else",
        }
    }
}

impl fmt::Display for OtpauthField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.noun())
    }
}

/// Why an otpauth link was refused. Messages name the field and never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpauthError {
    /// The text does not start with `otpauth://`.
    #[error("this is not an otpauth link: it must start with otpauth://")]
    NotOtpauth,
    /// A Google Authenticator export, which holds several accounts in another format.
    #[error(
        "this is a Google Authenticator export (otpauth-migration://), not a single otpauth link; import it as an export"
    )]
    MigrationExport,
    /// Nothing between `otpauth://` and the label.
    #[error(
        "the otpauth link has no type: it must start with otpauth://totp/, otpauth://hotp/ or otpauth://steam/"
    )]
    MissingType,
    /// A type other than totp, hotp or steam.
    #[error("the otpauth link's type must be totp, hotp or steam, not {found}")]
    UnsupportedType {
        /// The type found (shortened, with invisible characters replaced).
        found: String,
    },
    /// No label, or one that names neither an account nor an issuer.
    #[error("the otpauth link names no account: its label is empty")]
    MissingLabel,
    /// A `%` not followed by two hex digits.
    #[error("the otpauth link's {field} has a `%` that is not followed by two hex digits")]
    BadPercentEncoding {
        /// Where the broken escape is.
        field: OtpauthField,
    },
    /// Bytes that are not UTF-8 once `%` escapes are decoded.
    #[error("the otpauth link's {field} is not valid UTF-8 text once its %-escapes are decoded")]
    InvalidUtf8 {
        /// Which part.
        field: OtpauthField,
    },
    /// A control character (C0, DEL or C1).
    #[error("the {field} contains an invisible control character")]
    ControlCharacter {
        /// [`OtpauthField::Account`] or [`OtpauthField::Issuer`].
        field: OtpauthField,
    },
    /// An invisible character that changes text direction.
    #[error(
        "the {field} contains an invisible character that changes the direction of text, which can disguise it"
    )]
    DirectionCharacter {
        /// [`OtpauthField::Account`] or [`OtpauthField::Issuer`].
        field: OtpauthField,
    },
    /// An account name or issuer longer than [`MAX_NAME_CHARS`].
    #[error("the {field} is too long: {chars} characters, at most {max} are accepted")]
    TooLong {
        /// [`OtpauthField::Account`] or [`OtpauthField::Issuer`].
        field: OtpauthField,
        /// Length found, in characters.
        chars: usize,
        /// Longest accepted.
        max: usize,
    },
    /// No `secret` parameter.
    #[error("the otpauth link has no secret")]
    MissingSecret,
    /// A parameter Tessera reads appears more than once.
    #[error("the otpauth link has `{}` twice", .field.as_str())]
    DuplicateParameter {
        /// The repeated parameter.
        field: OtpauthField,
    },
    /// A parameter given with no value (`digits=`).
    #[error("the otpauth link's {field} is empty")]
    EmptyParameter {
        /// The empty parameter.
        field: OtpauthField,
    },
    /// A value out of range or not understood.
    #[error("the otpauth link's {field} must be {}, not {found}", .field.expectation())]
    InvalidValue {
        /// [`OtpauthField::Algorithm`], [`OtpauthField::Digits`], [`OtpauthField::Period`] or
        /// [`OtpauthField::Counter`].
        field: OtpauthField,
        /// The value found (shortened, with invisible characters replaced).
        found: String,
    },
    /// `encoder=steam` on a counter-based link.
    #[error(
        "the otpauth link asks for Steam codes (`encoder=steam`) but is counter-based (hotp); Steam codes are time-based"
    )]
    SteamHotp,
    /// A secret shorter than [`MIN_SECRET_BITS`].
    #[error("the secret is too short: {bits} bits, at least {MIN_SECRET_BITS} are needed")]
    SecretTooShort {
        /// Length found, in bits.
        bits: usize,
    },
    /// The secret is not base32, is empty, or is too long.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

impl OtpauthError {
    /// The part of the link the problem is in, for showing the message beside it.
    pub fn field(&self) -> OtpauthField {
        match self {
            OtpauthError::NotOtpauth | OtpauthError::MigrationExport => OtpauthField::Link,
            OtpauthError::MissingType | OtpauthError::UnsupportedType { .. } => OtpauthField::Type,
            OtpauthError::MissingLabel => OtpauthField::Label,
            OtpauthError::BadPercentEncoding { field }
            | OtpauthError::InvalidUtf8 { field }
            | OtpauthError::ControlCharacter { field }
            | OtpauthError::DirectionCharacter { field }
            | OtpauthError::TooLong { field, .. }
            | OtpauthError::DuplicateParameter { field }
            | OtpauthError::EmptyParameter { field }
            | OtpauthError::InvalidValue { field, .. } => *field,
            OtpauthError::SteamHotp => OtpauthField::Encoder,
            OtpauthError::MissingSecret
            | OtpauthError::SecretTooShort { .. }
            | OtpauthError::Secret(_) => OtpauthField::Secret,
        }
    }
}
