//! Writing an otpauth:// link, in the form Aegis, 2FAS and Bitwarden write (see the parent
//! module's documentation).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use super::{OtpAuth, OtpKind};
use crate::codes::Algorithm;

/// Everything but letters, digits and `-._~@` is escaped in names: `:` (the label separator),
/// `&`, `=`, `+`, `#`, `%`, `?`, `/`, spaces (as `%20`) and every non-ASCII byte.
const NAME: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

impl OtpAuth {
    /// The otpauth:// link for this identity:
    /// `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30`,
    /// with `counter=` instead of `period=` for HOTP, and for Steam
    /// `otpauth://steam/Issuer:account?...&algorithm=SHA1&digits=5&period=30` as Aegis and 2FAS
    /// write it. Without an issuer the label is the account alone (prefixed with `:` if the
    /// account has a colon, so the colon is not read as a separator).
    ///
    /// Every identity [`parse_otpauth`](super::parse_otpauth) returns is written so that it parses
    /// back to the same fields. A TOTP identity whose issuer is `Steam` reads back as Steam,
    /// because that is what such links mean; `parse_otpauth` never returns one.
    ///
    /// The link contains the secret: it is returned in a string wiped on drop.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let (type_name, algorithm, digits, moving_factor) = match self.kind {
            OtpKind::Totp { period } => (
                "totp",
                self.algorithm,
                self.digits,
                ("period", u64::from(period)),
            ),
            OtpKind::Hotp { counter } => {
                ("hotp", self.algorithm, self.digits, ("counter", counter))
            }
            OtpKind::Steam => ("steam", Algorithm::Sha1, 5, ("period", 30)),
        };
        let issuer = self
            .issuer
            .as_deref()
            .filter(|issuer| !issuer.is_empty())
            .map(encode);
        let account = encode(&self.account);
        let label = match &issuer {
            Some(issuer) => format!("{issuer}:{account}"),
            None if self.account.contains(':') => format!(":{account}"),
            None => account,
        };
        let issuer_parameter = issuer
            .map(|issuer| format!("&issuer={issuer}"))
            .unwrap_or_default();
        let (factor_name, factor) = moving_factor;
        let settings = format!("&algorithm={algorithm}&digits={digits}&{factor_name}={factor}");

        let secret = self.secret.to_base32();
        let parts = [
            "otpauth://",
            type_name,
            "/",
            &label,
            "?secret=",
            secret.as_str(),
            &issuer_parameter,
            &settings,
        ];
        // Sized up front so the buffer holding the secret never reallocates (which would leave an
        // unwiped copy behind).
        let mut uri = Zeroizing::new(String::with_capacity(
            parts.iter().map(|part| part.len()).sum(),
        ));
        for part in parts {
            uri.push_str(part);
        }
        uri
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NAME).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretBytes;

    fn identity(kind: OtpKind, issuer: Option<&str>, account: &str) -> OtpAuth {
        OtpAuth {
            kind,
            account: account.to_owned(),
            issuer: issuer.map(str::to_owned),
            secret: SecretBytes::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha256,
            digits: 8,
        }
    }

    #[test]
    fn totp_hotp_and_steam_are_written_like_aegis() {
        let totp = identity(
            OtpKind::Totp { period: 60 },
            Some("Big Corp"),
            "alice@example.com",
        );
        assert_eq!(
            totp.to_uri().as_str(),
            "otpauth://totp/Big%20Corp:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Big%20Corp&algorithm=SHA256&digits=8&period=60"
        );
        let hotp = identity(OtpKind::Hotp { counter: 10300 }, None, "bob");
        assert_eq!(
            hotp.to_uri().as_str(),
            "otpauth://hotp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&counter=10300"
        );
        let steam = identity(OtpKind::Steam, Some("Boeing"), "Sophia");
        assert_eq!(
            steam.to_uri().as_str(),
            "otpauth://steam/Boeing:Sophia?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Boeing&algorithm=SHA1&digits=5&period=30"
        );
    }

    #[test]
    fn names_are_escaped() {
        let odd = identity(OtpKind::Totp { period: 30 }, Some("R&D: 100%"), "a+b#c?d/é");
        assert_eq!(
            odd.to_uri().split('?').next(),
            Some("otpauth://totp/R%26D%3A%20100%25:a%2Bb%23c%3Fd%2F%C3%A9")
        );
        let colon = identity(OtpKind::Totp { period: 30 }, None, "a:b");
        assert!(colon.to_uri().starts_with("otpauth://totp/:a%3Ab?"));
        let empty_issuer = identity(OtpKind::Totp { period: 30 }, Some(""), "a");
        assert!(
            empty_issuer
                .to_uri()
                .starts_with("otpauth://totp/a?secret=")
        );
        assert!(!empty_issuer.to_uri().contains("issuer"));
    }

    #[test]
    fn written_links_parse_back() {
        for otp in [
            identity(OtpKind::Totp { period: 60 }, Some("R&D: 100%"), "a+b#c?d/é"),
            identity(OtpKind::Totp { period: 1 }, None, ":a:b:"),
            identity(OtpKind::Hotp { counter: u64::MAX }, Some("A:B"), "c"),
            identity(OtpKind::Hotp { counter: 0 }, Some("Issuer"), ""),
        ] {
            let parsed = super::super::parse_otpauth(&otp.to_uri()).unwrap();
            assert_eq!(parsed.otp, otp);
            assert!(parsed.warnings.is_empty());
        }
    }
}
