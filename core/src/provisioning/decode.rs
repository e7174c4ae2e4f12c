//! One entry point for any link a person scans, pastes or opens: it tells otpauth:// from
//! igmobileotp:// and hands the text to the right parser.

use crate::identityguard::{self, ActivationLink, IdentityGuardError};
use crate::provisioning::otpauth::{self, OtpauthError, ParsedOtpauth};

/// What a link provisions.
#[derive(Debug)]
pub enum Provisioning {
    /// A standard OTP identity, with any warnings about it.
    Otpauth(ParsedOtpauth),
    /// IdentityGuard activation data; the registration step comes next.
    IdentityGuard(ActivationLink),
}

/// Why a link could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The text is not a link Tessera knows.
    #[error("the link must start with otpauth:// or igmobileotp://")]
    UnknownScheme,
    /// An igmobileotp:// link arrived without the password sent with it.
    #[error("this activation link needs the password that came with it")]
    PasswordNeeded,
    /// The otpauth:// link was refused.
    #[error(transparent)]
    Otpauth(#[from] OtpauthError),
    /// The igmobileotp:// link was refused.
    #[error(transparent)]
    IdentityGuard(#[from] IdentityGuardError),
}

/// Reads an otpauth:// or igmobileotp:// link; `password` is needed only for the latter.
pub fn decode_uri(uri: &str, password: Option<&str>) -> Result<Provisioning, LinkError> {
    let uri = uri.trim();
    let scheme = uri
        .split_once("://")
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        // Google Authenticator exports go to the otpauth parser, whose refusal points to importing.
        Some("otpauth" | "otpauth-migration") => {
            Ok(Provisioning::Otpauth(otpauth::parse_otpauth(uri)?))
        }
        Some("igmobileotp") => {
            let password = password.ok_or(LinkError::PasswordNeeded)?;
            Ok(Provisioning::IdentityGuard(
                identityguard::open_activation_link(uri, password)?,
            ))
        }
        _ => Err(LinkError::UnknownScheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_links_go_to_the_otpauth_parser() {
        let uri = " OTPAUTH://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ ";
        match decode_uri(uri, None).unwrap() {
            Provisioning::Otpauth(parsed) => assert_eq!(parsed.otp.account, "alice"),
            other => panic!("expected otpauth, got {other:?}"),
        }
    }

    #[test]
    fn activation_links_need_their_password() {
        let error =
            decode_uri("igmobileotp://?action=secactivate&enc=AA&v=1&mac=AA", None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "this activation link needs the password that came with it"
        );
        let error = decode_uri(
            "igmobileotp://?action=secactivate&enc=AA&v=1&mac=AA",
            Some("12345678"),
        )
        .unwrap_err();
        assert!(matches!(error, LinkError::IdentityGuard(_)), "{error:?}");
    }

    #[test]
    fn google_exports_are_sent_to_import() {
        let error =
            decode_uri("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8", None).unwrap_err();
        assert!(
            matches!(error, LinkError::Otpauth(OtpauthError::MigrationExport)),
            "{error:?}"
        );
    }

    #[test]
    fn other_links_are_refused() {
        for uri in ["", "https://example.com", "otpauth", "igmobileotp:x"] {
            let error = decode_uri(uri, None).unwrap_err();
            assert_eq!(
                error.to_string(),
                "the link must start with otpauth:// or igmobileotp://",
                "{uri}"
            );
        }
    }
}
