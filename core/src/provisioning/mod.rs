//! Turning what a person brings (URIs, links, typed data) into what the token provisions.

pub mod otpauth;

pub use otpauth::{
    OtpAuth, OtpKind, OtpauthError, OtpauthField, OtpauthWarning, ParsedOtpauth, parse_otpauth,
};

mod decode;

pub use decode::{LinkError, Provisioning, decode_uri};
