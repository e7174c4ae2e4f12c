//! What a link would add, read before anything is added: the confirmation a shell shows for a
//! link that arrived from outside the app ("Add ...?"), since opening a link must never add an
//! identity by itself.

use tessera_core::provisioning::{LinkError, Provisioning, decode_uri};

use crate::error::{TokenError, input};
use crate::field::InputField;

/// What a link provisions, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LinkPreview {
    /// The name the identity would get; none for an igmobileotp:// link, whose contents stay
    /// sealed until its password is given.
    pub name: Option<String>,
    /// Who issued it, when the link says.
    pub issuer: Option<String>,
    /// Whether the password that came with the link is asked for next.
    pub needs_password: bool,
    /// Things to tell the person about the identity (as Add Identity would).
    pub warnings: Vec<String>,
}

/// Reads `link` (otpauth:// or igmobileotp://) without adding it; a link Add Identity would
/// refuse is refused here with the same words (error field `Link`).
#[uniffi::export]
pub fn preview_link(link: String) -> Result<LinkPreview, TokenError> {
    match decode_uri(&link, None) {
        Ok(Provisioning::Otpauth(parsed)) => Ok(LinkPreview {
            name: Some(parsed.otp.identity_name()),
            issuer: parsed.otp.issuer.clone(),
            needs_password: false,
            warnings: parsed.warnings.iter().map(ToString::to_string).collect(),
        }),
        Ok(Provisioning::IdentityGuard(_)) | Err(LinkError::PasswordNeeded) => Ok(LinkPreview {
            name: None,
            issuer: None,
            needs_password: true,
            warnings: Vec::new(),
        }),
        Err(error) => Err(input(InputField::Link, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(link: &str) -> (InputField, String) {
        match preview_link(link.into()) {
            Err(TokenError::InvalidInput { field, message }) => (field, message),
            other => panic!("expected a refusal of {link}, got {other:?}"),
        }
    }

    #[test]
    fn an_otpauth_link_shows_the_name_and_issuer_it_would_get() {
        let preview = preview_link(
            "otpauth://totp/Tessera:fixture@example.com?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Tessera"
                .into(),
        )
        .unwrap();
        assert_eq!(
            preview,
            LinkPreview {
                name: Some("fixture@example.com".into()),
                issuer: Some("Tessera".into()),
                needs_password: false,
                warnings: vec![],
            }
        );
    }

    #[test]
    fn a_link_without_an_account_is_named_after_its_issuer() {
        // tests/vectors/otpauth.json: "empty account with an issuer".
        let preview =
            preview_link("otpauth://totp/Example:?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into())
                .unwrap();
        assert_eq!(preview.name.as_deref(), Some("Example"));
        assert_eq!(preview.issuer.as_deref(), Some("Example"));
    }

    #[test]
    fn a_short_secret_is_warned_about_as_add_identity_would() {
        let preview = preview_link("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ".into()).unwrap();
        assert_eq!(preview.warnings.len(), 1, "{preview:?}");
        assert!(preview.warnings[0].contains("bits"), "{preview:?}");
    }

    #[test]
    fn an_activation_link_stays_sealed_until_its_password() {
        let preview =
            preview_link("igmobileotp://?action=secactivate&enc=AA&v=1&mac=AA".into()).unwrap();
        assert_eq!(
            preview,
            LinkPreview {
                name: None,
                issuer: None,
                needs_password: true,
                warnings: vec![],
            }
        );
    }

    #[test]
    fn other_text_is_refused_beside_the_link_field() {
        assert_eq!(
            refusal("https://example.com"),
            (
                InputField::Link,
                "the link must start with otpauth:// or igmobileotp://".into()
            )
        );
        let (field, message) = refusal("otpauth://totp/alice");
        assert_eq!(field, InputField::Link);
        assert!(message.contains("secret"), "{message}");
    }
}
