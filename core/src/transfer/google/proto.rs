//! The messages of a Google Authenticator export, declared by hand for `prost`'s derive (the
//! field numbers and enum values are Google's, as Aegis's `google_auth.proto` records them).
//!
//! Enum fields stay plain `i32`: a value this version does not know must reach the importer,
//! which reports the account as unsupported instead of dropping it. Secrets are wiped when a
//! message is dropped.

use zeroize::Zeroize;

/// `MigrationPayload`: one QR code of an export.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct MigrationPayload {
    /// The accounts on this QR code.
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    /// The export format's version; Google writes 1.
    #[prost(int32, tag = "2")]
    pub version: i32,
    /// How many QR codes the export has (0 or 1: just this one).
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    /// This QR code's position in the export, from 0.
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    /// The same random number on every QR code of one export.
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// `OtpParameters`: one account.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct OtpParameters {
    /// The raw secret bytes.
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    /// The otpauth label Google was given, often `Issuer:account`.
    #[prost(string, tag = "2")]
    pub name: String,
    /// The issuer, or empty.
    #[prost(string, tag = "3")]
    pub issuer: String,
    /// [`ALGORITHM_UNSPECIFIED`], [`ALGORITHM_SHA1`]...
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    /// [`DIGITS_UNSPECIFIED`], [`DIGITS_SIX`] or [`DIGITS_EIGHT`].
    #[prost(int32, tag = "5")]
    pub digits: i32,
    /// [`TYPE_UNSPECIFIED`], [`TYPE_HOTP`] or [`TYPE_TOTP`].
    #[prost(int32, tag = "6")]
    pub r#type: i32,
    /// The HOTP counter.
    #[prost(int64, tag = "7")]
    pub counter: i64,
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

pub(crate) const ALGORITHM_UNSPECIFIED: i32 = 0;
pub(crate) const ALGORITHM_SHA1: i32 = 1;
pub(crate) const ALGORITHM_SHA256: i32 = 2;
pub(crate) const ALGORITHM_SHA512: i32 = 3;
pub(crate) const ALGORITHM_MD5: i32 = 4;

pub(crate) const DIGITS_UNSPECIFIED: i32 = 0;
pub(crate) const DIGITS_SIX: i32 = 1;
pub(crate) const DIGITS_EIGHT: i32 = 2;

pub(crate) const TYPE_UNSPECIFIED: i32 = 0;
pub(crate) const TYPE_HOTP: i32 = 1;
pub(crate) const TYPE_TOTP: i32 = 2;
