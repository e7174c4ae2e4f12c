//! Reading an otpauth:// link. The rules, and why, are in the parent module's documentation.

use zeroize::Zeroizing;

use super::{
    MAX_NAME_CHARS, MAX_OTPAUTH_SECRET_BYTES, MAX_PERIOD, MIN_SECRET_BITS, OtpAuth, OtpKind,
    OtpauthError, OtpauthField, OtpauthWarning, ParsedOtpauth, RECOMMENDED_SECRET_BITS,
};
use crate::codes::Algorithm;
use crate::identity::{CharacterProblem, check_characters, is_direction_character};
use crate::secret::{SecretBytes, SecretError};

/// Reads an `otpauth://` link as QR codes and other authenticators write it.
///
/// Returns the identity and any warnings a person should see before adding it, or an error
/// whose message names the field and never contains the secret. Never panics.
pub fn parse_otpauth(uri: &str) -> Result<ParsedOtpauth, OtpauthError> {
    let uri = uri.trim();
    let (scheme, rest) = uri.split_once(':').ok_or(OtpauthError::NotOtpauth)?;
    if scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(OtpauthError::MigrationExport);
    }
    let rest = rest
        .strip_prefix("//")
        .filter(|_| scheme.eq_ignore_ascii_case("otpauth"))
        .ok_or(OtpauthError::NotOtpauth)?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_text, raw_label) = path.split_once('/').unwrap_or((path, ""));
    let declared = read_type(type_text)?;
    let params = Params::read(query)?;

    let mut warnings = Vec::new();
    let (account, issuer) = read_names(raw_label, params.issuer, &mut warnings)?;
    let secret = read_secret(params.secret)?;
    if secret.bits() < RECOMMENDED_SECRET_BITS {
        warnings.push(OtpauthWarning::ShortSecret {
            bits: secret.bits(),
        });
    }
    let steam_encoder = match params.encoder {
        Some(raw) => decode(raw, OtpauthField::Encoder)?.eq_ignore_ascii_case("steam"),
        None => false,
    };
    let steam_issuer = issuer
        .as_deref()
        .is_some_and(|issuer| issuer.eq_ignore_ascii_case("steam"));

    let kind = match declared {
        Declared::Hotp if steam_encoder => return Err(OtpauthError::SteamHotp),
        Declared::Hotp => {
            let counter = match params.counter {
                Some(raw) => read_number(raw, OtpauthField::Counter, 0..=u64::MAX)?,
                None => {
                    warnings.push(OtpauthWarning::CounterMissing);
                    0
                }
            };
            OtpKind::Hotp { counter }
        }
        Declared::Totp if steam_encoder || steam_issuer => OtpKind::Steam,
        Declared::Totp => {
            let period = match params.period {
                Some(raw) => read_number(raw, OtpauthField::Period, 1..=MAX_PERIOD)?,
                None => 30,
            };
            OtpKind::Totp { period }
        }
        Declared::Steam => OtpKind::Steam,
    };

    let (algorithm, digits) = if kind == OtpKind::Steam {
        note_ignored_for_steam(&params, &mut warnings);
        (Algorithm::Sha1, 5)
    } else {
        let algorithm = match params.algorithm {
            Some(raw) => read_algorithm(raw)?,
            None => Algorithm::Sha1,
        };
        let digits = match params.digits {
            Some(raw) => read_number(raw, OtpauthField::Digits, 6..=8)?,
            None => 6,
        };
        (algorithm, digits)
    };

    Ok(ParsedOtpauth {
        otp: OtpAuth {
            kind,
            account,
            issuer,
            secret,
            algorithm,
            digits,
        },
        warnings,
    })
}

/// The type written after `otpauth://`.
enum Declared {
    Totp,
    Hotp,
    Steam,
}

fn read_type(text: &str) -> Result<Declared, OtpauthError> {
    if text.is_empty() {
        Err(OtpauthError::MissingType)
    } else if text.eq_ignore_ascii_case("totp") {
        Ok(Declared::Totp)
    } else if text.eq_ignore_ascii_case("hotp") {
        Ok(Declared::Hotp)
    } else if text.eq_ignore_ascii_case("steam") {
        Ok(Declared::Steam)
    } else {
        Err(OtpauthError::UnsupportedType { found: shown(text) })
    }
}

/// The parameters Tessera reads, still percent-encoded, borrowed from the link.
#[derive(Default)]
struct Params<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    encoder: Option<&'a str>,
}

impl<'a> Params<'a> {
    /// Splits the query at `&`; refuses a parameter Tessera reads that appears twice and skips
    /// names it does not know.
    fn read(query: &'a str) -> Result<Self, OtpauthError> {
        let mut params = Params::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if let Some((slot, field)) = params.slot(name) {
                if slot.is_some() {
                    return Err(OtpauthError::DuplicateParameter { field });
                }
                *slot = Some(value);
            }
        }
        Ok(params)
    }

    fn slot(&mut self, name: &str) -> Option<(&mut Option<&'a str>, OtpauthField)> {
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        Some(if is("secret") {
            (&mut self.secret, OtpauthField::Secret)
        } else if is("issuer") {
            (&mut self.issuer, OtpauthField::Issuer)
        } else if is("algorithm") {
            (&mut self.algorithm, OtpauthField::Algorithm)
        } else if is("digits") {
            (&mut self.digits, OtpauthField::Digits)
        } else if is("period") {
            (&mut self.period, OtpauthField::Period)
        } else if is("counter") {
            (&mut self.counter, OtpauthField::Counter)
        } else if is("encoder") {
            (&mut self.encoder, OtpauthField::Encoder)
        } else {
            return None;
        })
    }
}

/// Account name and issuer from the label and the `issuer` parameter.
fn read_names(
    raw_label: &str,
    raw_issuer: Option<&str>,
    warnings: &mut Vec<OtpauthWarning>,
) -> Result<(String, Option<String>), OtpauthError> {
    let decoded_label = decode(raw_label, OtpauthField::Label)?;
    if trim_spaces(&decoded_label).is_empty() {
        return Err(OtpauthError::MissingLabel);
    }
    let decoded_issuer = match raw_issuer {
        Some(raw) => Some(decode(raw, OtpauthField::Issuer)?),
        None => None,
    };
    split_names(&decoded_label, decoded_issuer.as_deref(), warnings)
}

/// Account name and issuer from a decoded label and issuer, by the rules of the parent
/// module's documentation (also how Google Authenticator exports, whose name field is the
/// label it was given, are read). The label may be empty when there is an issuer.
pub(crate) fn split_names(
    label: &str,
    issuer: Option<&str>,
    warnings: &mut Vec<OtpauthWarning>,
) -> Result<(String, Option<String>), OtpauthError> {
    let label = trim_spaces(label);
    let parameter = match issuer {
        Some(decoded) => {
            let issuer = trim_spaces(decoded);
            check_label_part(issuer, OtpauthField::Issuer)?;
            Some(issuer.to_owned()).filter(|issuer| !issuer.is_empty())
        }
        None => None,
    };

    let (label_issuer, account) = split_label(label, parameter.as_deref());
    if let Some(label_issuer) = label_issuer {
        check_label_part(label_issuer, OtpauthField::Issuer)?;
    }
    check_label_part(account, OtpauthField::Account)?;

    let issuer = match (label_issuer, parameter) {
        (Some(label_issuer), Some(parameter)) => {
            if label_issuer.to_lowercase() != parameter.to_lowercase() {
                warnings.push(OtpauthWarning::IssuerMismatch {
                    label: label_issuer.to_owned(),
                    parameter: parameter.clone(),
                });
            }
            Some(parameter)
        }
        (label_issuer, parameter) => parameter.or_else(|| label_issuer.map(str::to_owned)),
    };
    if account.is_empty() && issuer.is_none() {
        return Err(OtpauthError::MissingLabel);
    }
    Ok((account.to_owned(), issuer))
}

/// Splits a decoded label into its issuer prefix and account name. When the label starts with
/// the `issuer` parameter followed by `:`, that prefix is the issuer even if it has colons;
/// otherwise the first `:` separates. An empty prefix (`:account`) means no issuer.
fn split_label<'l>(label: &'l str, parameter: Option<&str>) -> (Option<&'l str>, &'l str) {
    let after_parameter = parameter.and_then(|parameter| {
        let rest = label.strip_prefix(parameter)?;
        let account = rest.trim_start_matches(' ').strip_prefix(':')?;
        Some((label.get(..parameter.len())?, account))
    });
    let (prefix, account) = match after_parameter {
        Some((prefix, account)) => (Some(prefix), account),
        None => match label.split_once(':') {
            Some((prefix, account)) => (Some(prefix), account),
            None => (None, label),
        },
    };
    (
        prefix.map(trim_spaces).filter(|prefix| !prefix.is_empty()),
        trim_spaces(account),
    )
}

fn trim_spaces(text: &str) -> &str {
    text.trim_matches(' ')
}

fn check_label_part(text: &str, field: OtpauthField) -> Result<(), OtpauthError> {
    check_characters(text).map_err(|problem| match problem {
        CharacterProblem::TooLong { chars } => OtpauthError::TooLong {
            field,
            chars,
            max: MAX_NAME_CHARS,
        },
        CharacterProblem::Control => OtpauthError::ControlCharacter { field },
        CharacterProblem::Direction => OtpauthError::DirectionCharacter { field },
    })
}

fn read_secret(raw: Option<&str>) -> Result<SecretBytes, OtpauthError> {
    let raw = raw.ok_or(OtpauthError::MissingSecret)?;
    // Room for the whole value up front: the buffer never reallocates, so no unwiped copy of
    // the secret is left behind.
    let mut decoded = Zeroizing::new(Vec::with_capacity(raw.len()));
    decode_into(raw, OtpauthField::Secret, &mut decoded)?;
    let text = std::str::from_utf8(&decoded).map_err(|_| OtpauthError::InvalidUtf8 {
        field: OtpauthField::Secret,
    })?;
    let too_long = |bytes| SecretError::TooLong {
        bytes,
        max: MAX_OTPAUTH_SECRET_BYTES,
    };
    let secret = SecretBytes::from_base32(text).map_err(|error| match error {
        SecretError::TooLong { bytes, .. } => too_long(bytes),
        other => other,
    })?;
    if secret.len() > MAX_OTPAUTH_SECRET_BYTES {
        return Err(too_long(secret.len()).into());
    }
    if secret.bits() < MIN_SECRET_BITS {
        return Err(OtpauthError::SecretTooShort {
            bits: secret.bits(),
        });
    }
    Ok(secret)
}

fn read_algorithm(raw: &str) -> Result<Algorithm, OtpauthError> {
    let field = OtpauthField::Algorithm;
    let text = decode(raw, field)?;
    if text.is_empty() {
        return Err(OtpauthError::EmptyParameter { field });
    }
    text.parse().map_err(|_| OtpauthError::InvalidValue {
        field,
        found: shown(&text),
    })
}

/// A decimal number in `range`; only ASCII digits are accepted (no sign, no spaces).
fn read_number<T>(
    raw: &str,
    field: OtpauthField,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, OtpauthError>
where
    T: std::str::FromStr + PartialOrd,
{
    let text = decode(raw, field)?;
    if text.is_empty() {
        return Err(OtpauthError::EmptyParameter { field });
    }
    Some(&text)
        .filter(|text| text.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|text| text.parse::<T>().ok())
        .filter(|number| range.contains(number))
        .ok_or_else(|| OtpauthError::InvalidValue {
            field,
            found: shown(&text),
        })
}

/// Steam codes are always 5 characters, SHA1, 30 s: other values are ignored, with a warning
/// when they say something else.
fn note_ignored_for_steam(params: &Params<'_>, warnings: &mut Vec<OtpauthWarning>) {
    let mut note = |raw: Option<&str>, field: OtpauthField, fits: fn(&str) -> bool| {
        if raw.is_some_and(|raw| !decode(raw, field).is_ok_and(|text| fits(&text))) {
            warnings.push(OtpauthWarning::IgnoredForSteam { field });
        }
    };
    note(params.digits, OtpauthField::Digits, |text| text == "5");
    note(params.algorithm, OtpauthField::Algorithm, |text| {
        text.parse::<Algorithm>() == Ok(Algorithm::Sha1)
    });
    note(params.period, OtpauthField::Period, |text| text == "30");
}

/// Decodes `%XX` escapes and `+` (a space) into text.
fn decode(raw: &str, field: OtpauthField) -> Result<String, OtpauthError> {
    let mut bytes = Vec::with_capacity(raw.len());
    decode_into(raw, field, &mut bytes)?;
    String::from_utf8(bytes).map_err(|_| OtpauthError::InvalidUtf8 { field })
}

/// Decodes `%XX` escapes and `+` (a space), appending to `out`; the result is never longer
/// than `raw`.
fn decode_into(raw: &str, field: OtpauthField, out: &mut Vec<u8>) -> Result<(), OtpauthError> {
    let mut bytes = raw.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.next().and_then(hex_value);
                let low = bytes.next().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => out.push(high << 4 | low),
                    _ => return Err(OtpauthError::BadPercentEncoding { field }),
                }
            }
            other => out.push(other),
        }
    }
    Ok(())
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// A value as an error message may quote it: at most 24 characters, invisible characters
/// replaced. Never used for the secret.
fn shown(value: &str) -> String {
    const MAX_SHOWN: usize = 24;
    let mut out: String = value
        .chars()
        .take(MAX_SHOWN)
        .map(|c| {
            if c.is_control() || is_direction_character(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if value.chars().nth(MAX_SHOWN).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890", 160 bits

    fn with(rest: &str) -> String {
        format!("otpauth://totp/Example:alice@example.com?secret={SECRET}{rest}")
    }

    fn error(uri: &str) -> String {
        match parse_otpauth(uri) {
            Ok(parsed) => panic!("accepted {uri}: {parsed:?}"),
            Err(error) => error.to_string(),
        }
    }

    fn parsed(uri: &str) -> ParsedOtpauth {
        parse_otpauth(uri).unwrap_or_else(|error| panic!("refused {uri}: {error}"))
    }

    #[test]
    fn defaults_are_sha1_six_digits_thirty_seconds() {
        let p = parsed(&with(""));
        assert_eq!(p.otp.kind, OtpKind::Totp { period: 30 });
        assert_eq!((p.otp.algorithm, p.otp.digits), (Algorithm::Sha1, 6));
        assert_eq!(p.otp.account, "alice@example.com");
        assert_eq!(p.otp.issuer.as_deref(), Some("Example"));
        assert_eq!(p.otp.secret.as_bytes(), b"12345678901234567890");
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn scheme_and_type_errors() {
        assert_eq!(
            error("https://example.com"),
            "this is not an otpauth link: it must start with otpauth://"
        );
        assert_eq!(
            error("otpauth:totp/a?secret=x"),
            "this is not an otpauth link: it must start with otpauth://"
        );
        assert_eq!(
            error(""),
            "this is not an otpauth link: it must start with otpauth://"
        );
        assert_eq!(
            error("otpauth-migration://offline?data=CgA%3D"),
            "this is a Google Authenticator export (otpauth-migration://), not a single otpauth link; import it as an export"
        );
        assert_eq!(
            error(&format!("otpauth:///a?secret={SECRET}")),
            "the otpauth link has no type: it must start with otpauth://totp/, otpauth://hotp/ or otpauth://steam/"
        );
        assert_eq!(
            error(&format!("otpauth://yaotp/a?secret={SECRET}")),
            "the otpauth link's type must be totp, hotp or steam, not yaotp"
        );
        assert_eq!(
            error(&format!(
                "otpauth://{}\u{202E}/a?secret={SECRET}",
                "x".repeat(30)
            )),
            format!(
                "the otpauth link's type must be totp, hotp or steam, not {}…",
                "x".repeat(24)
            )
        );
    }

    #[test]
    fn label_errors() {
        let empty = "the otpauth link names no account: its label is empty";
        assert_eq!(error(&format!("otpauth://totp?secret={SECRET}")), empty);
        assert_eq!(
            error(&format!("otpauth://totp/?secret={SECRET}&issuer=Example")),
            empty
        );
        assert_eq!(error(&format!("otpauth://totp/%20?secret={SECRET}")), empty);
        assert_eq!(error(&format!("otpauth://totp/:?secret={SECRET}")), empty);
        assert_eq!(
            error(&format!("otpauth://totp/a%zzb?secret={SECRET}")),
            "the otpauth link's label has a `%` that is not followed by two hex digits"
        );
        assert_eq!(
            error(&format!("otpauth://totp/a%4?secret={SECRET}")),
            "the otpauth link's label has a `%` that is not followed by two hex digits"
        );
        assert_eq!(
            error(&format!("otpauth://totp/a%FF?secret={SECRET}")),
            "the otpauth link's label is not valid UTF-8 text once its %-escapes are decoded"
        );
        assert_eq!(
            error(&format!("otpauth://totp/Example:al%09ice?secret={SECRET}")),
            "the account name contains an invisible control character"
        );
        assert_eq!(
            error(&format!(
                "otpauth://totp/Ex%C2%85ample:alice?secret={SECRET}"
            )),
            "the issuer contains an invisible control character"
        );
        assert_eq!(
            error(&format!("otpauth://totp/Example:alice%7F?secret={SECRET}")),
            "the account name contains an invisible control character"
        );
        let direction = "contains an invisible character that changes the direction of text, which can disguise it";
        for mark in ["%E2%80%AE", "%E2%81%A6", "%E2%80%8F", "%D8%9C"] {
            assert_eq!(
                error(&format!(
                    "otpauth://totp/Example:{mark}moc.elgoog?secret={SECRET}"
                )),
                format!("the account name {direction}")
            );
        }
        assert_eq!(
            error(&with("&issuer=Ex%E2%80%AEample")),
            format!("the issuer {direction}")
        );
        let long = "a".repeat(257);
        assert_eq!(
            error(&format!("otpauth://totp/Example:{long}?secret={SECRET}")),
            "the account name is too long: 257 characters, at most 256 are accepted"
        );
        assert_eq!(
            error(&with(&format!("&issuer={long}"))),
            "the issuer is too long: 257 characters, at most 256 are accepted"
        );
        let exactly = "é".repeat(256);
        assert_eq!(
            parsed(&format!(
                "otpauth://totp/{exactly}:{exactly}?secret={SECRET}"
            ))
            .otp
            .account,
            exactly
        );
    }

    #[test]
    fn secret_errors() {
        assert_eq!(
            error("otpauth://totp/Example:alice"),
            "the otpauth link has no secret"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?issuer=Example"),
            "the otpauth link has no secret"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret="),
            "the secret is empty"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=+%20"),
            "the secret is empty"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PX1"),
            "the secret is not valid base32: character 16 is not one of A-Z and 2-7"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXPA"),
            "the secret is not valid base32: its length does not make whole bytes (a character is missing or extra)"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3P"),
            "the secret is not valid base32: its length does not make whole bytes (a character is missing or extra)"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3%"),
            "the otpauth link's secret has a `%` that is not followed by two hex digits"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3%FF"),
            "the otpauth link's secret is not valid UTF-8 text once its %-escapes are decoded"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK2"),
            "the secret is too short: 64 bits, at least 80 are needed"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PI="),
            "the secret is too short: 72 bits, at least 80 are needed"
        );
        assert_eq!(
            error("otpauth://totp/Example:alice?secret=JBSWY3DPEE======"),
            "the secret is too short: 48 bits, at least 80 are needed"
        );
        let bytes_129 = "A".repeat(129 * 8 / 5 + 1); // 207 characters: 129 whole bytes
        assert_eq!(
            error(&format!("otpauth://totp/Example:alice?secret={bytes_129}")),
            "the secret is too long: 129 bytes, at most 128 are accepted"
        );
        assert_eq!(
            error(&format!(
                "otpauth://totp/Example:alice?secret={}",
                "A".repeat(4000)
            )),
            "the secret is too long: 2500 bytes, at most 128 are accepted"
        );
        let bytes_128 = "A".repeat(128 * 8 / 5 + 1); // 205 characters: 128 whole bytes
        assert_eq!(
            parsed(&format!("otpauth://totp/Example:alice?secret={bytes_128}"))
                .otp
                .secret
                .len(),
            128
        );
    }

    #[test]
    fn errors_never_show_the_secret() {
        for uri in [
            "otpauth://totp/Example:alice?secret=ZZZZZZZZZZZZZZZ1",
            "otpauth://totp/Example:alice?secret=ZZZZZZZZ",
            "otpauth://totp/Example:alice?secret=ZZZZZZZZZZZZZZZZ%zz",
            "otpauth://yaotp/Example:alice?secret=ZZZZZZZZZZZZZZZZ",
        ] {
            let error = parse_otpauth(uri).unwrap_err();
            assert!(!error.to_string().contains("ZZZZ"), "{error}");
            assert!(!format!("{error:?}").contains("ZZZZ"), "{error:?}");
        }
        let parsed = parsed(&with(""));
        assert!(!format!("{parsed:?}").contains("GEZD"));
        assert!(!format!("{parsed:?}").contains("12345"));
    }

    #[test]
    fn parameter_errors() {
        assert_eq!(
            error(&with("&digits=9")),
            "the otpauth link's `digits` must be 6, 7 or 8, not 9"
        );
        assert_eq!(
            error(&with("&digits=5")),
            "the otpauth link's `digits` must be 6, 7 or 8, not 5"
        );
        assert_eq!(
            error(&with("&digits=%2B6")),
            "the otpauth link's `digits` must be 6, 7 or 8, not +6"
        );
        assert_eq!(
            error(&with("&digits=six")),
            "the otpauth link's `digits` must be 6, 7 or 8, not six"
        );
        assert_eq!(
            error(&with("&digits=99999999999")),
            "the otpauth link's `digits` must be 6, 7 or 8, not 99999999999"
        );
        assert_eq!(
            error(&with("&digits=")),
            "the otpauth link's `digits` is empty"
        );
        assert_eq!(
            error(&with("&digits")),
            "the otpauth link's `digits` is empty"
        );
        assert_eq!(
            error(&with("&period=0")),
            "the otpauth link's `period` must be a whole number of seconds from 1 to 300, not 0"
        );
        assert_eq!(
            error(&with("&period=301")),
            "the otpauth link's `period` must be a whole number of seconds from 1 to 300, not 301"
        );
        assert_eq!(
            error(&with("&period=-30")),
            "the otpauth link's `period` must be a whole number of seconds from 1 to 300, not -30"
        );
        assert_eq!(
            error(&with("&period=%3")),
            "the otpauth link's `period` has a `%` that is not followed by two hex digits"
        );
        assert_eq!(
            error(&with("&algorithm=MD5")),
            "the otpauth link's `algorithm` must be SHA1, SHA256 or SHA512, not MD5"
        );
        assert_eq!(
            error(&with("&algorithm=")),
            "the otpauth link's `algorithm` is empty"
        );
        assert_eq!(
            error(&with("&period=30&period=60")),
            "the otpauth link has `period` twice"
        );
        assert_eq!(
            error(&with("&Secret=JBSWY3DPEHPK3PXP")),
            "the otpauth link has `secret` twice"
        );
        assert_eq!(
            error(&with("&issuer=A&issuer=A")),
            "the otpauth link has `issuer` twice"
        );
        assert_eq!(
            error(&with("&digits=%0A6")),
            "the otpauth link's `digits` must be 6, 7 or 8, not \u{FFFD}6"
        );
        let hotp = format!("otpauth://hotp/Example:alice?secret={SECRET}");
        assert_eq!(
            error(&format!("{hotp}&counter=18446744073709551616")),
            "the otpauth link's `counter` must be a whole number from 0 to 18446744073709551615, not 18446744073709551616"
        );
        assert_eq!(
            error(&format!("{hotp}&counter=")),
            "the otpauth link's `counter` is empty"
        );
        assert_eq!(
            error(&format!("{hotp}&encoder=steam")),
            "the otpauth link asks for Steam codes (`encoder=steam`) but is counter-based (hotp); Steam codes are time-based"
        );
        assert_eq!(
            error(&with("&encoder=%ZZ")),
            "the otpauth link's `encoder` has a `%` that is not followed by two hex digits"
        );
    }

    #[test]
    fn errors_name_their_field() {
        assert_eq!(
            parse_otpauth(&with("&digits=9")).unwrap_err().field(),
            OtpauthField::Digits
        );
        assert_eq!(
            parse_otpauth("otpauth://totp/a?secret=A")
                .unwrap_err()
                .field(),
            OtpauthField::Secret
        );
        assert_eq!(
            parse_otpauth("otpauth://totp/%01?secret=A")
                .unwrap_err()
                .field(),
            OtpauthField::Account
        );
        assert_eq!(
            parse_otpauth("mailto:x").unwrap_err().field(),
            OtpauthField::Link
        );
        assert_eq!(OtpauthField::Digits.as_str(), "digits");
    }

    #[test]
    fn unknown_and_irrelevant_parameters_are_ignored() {
        let p = parsed(&with(
            "&image=https%3A%2F%2Fx&color=%zz&image=again&&flag&counter=%zz",
        ));
        assert_eq!(p.otp.kind, OtpKind::Totp { period: 30 });
        let p = parsed(&format!(
            "otpauth://hotp/WWE:Mason?period=abc&secret={SECRET}&counter=7"
        ));
        assert_eq!(p.otp.kind, OtpKind::Hotp { counter: 7 });
        assert!(p.warnings.is_empty());
        let p = parsed(&with("&encoder=base32"));
        assert_eq!(p.otp.kind, OtpKind::Totp { period: 30 });
    }

    #[test]
    fn names_and_issuers() {
        let names = |uri: &str| {
            let p = parsed(uri);
            (p.otp.issuer, p.otp.account, p.warnings)
        };
        let some = |s: &str| Some(s.to_owned());
        let s = SECRET;
        assert_eq!(
            names(&format!("otpauth://totp/alice?secret={s}")),
            (None, "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!(
                "otpauth://totp/Big%20Corp%3A%20%20alice?secret={s}"
            )),
            (some("Big Corp"), "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/Big+Corp+:+alice+?secret={s}")),
            (some("Big Corp"), "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/alice?secret={s}&issuer=Param")),
            (some("Param"), "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/Example:?secret={s}")),
            (some("Example"), String::new(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/a:b:c?secret={s}")),
            (some("a"), "b:c".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/:b:c?secret={s}")),
            (None, "b:c".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/A:B:c?secret={s}&issuer=A%3AB")),
            (some("A:B"), "c".into(), vec![])
        );
        assert_eq!(
            names(&format!(
                "otpauth://totp/example:alice?secret={s}&issuer=Example"
            )),
            (some("Example"), "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/Example:alice?secret={s}&issuer=")),
            (some("Example"), "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/a#b:c?secret={s}")),
            (some("a#b"), "c".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/Old:alice?secret={s}&issuer=New")),
            (
                some("New"),
                "alice".into(),
                vec![OtpauthWarning::IssuerMismatch {
                    label: "Old".into(),
                    parameter: "New".into()
                }]
            )
        );
        assert_eq!(
            names(&format!("OTPAUTH://TOTP/caf%C3%A9?SECRET={s}")),
            (None, "café".into(), vec![])
        );
        assert_eq!(
            names(&format!("  otpauth://totp/alice?secret={s}\n")),
            (None, "alice".into(), vec![])
        );
        assert_eq!(
            names(&format!("otpauth://totp/alice%2Btag@x?secret={s}")).1,
            "alice+tag@x"
        );
        assert_eq!(
            names(&format!("otpauth://totp/alice+tag@x?secret={s}")).1,
            "alice tag@x"
        );
    }

    #[test]
    fn steam_forms() {
        let steam = |uri: &str| parsed(uri);
        for uri in [
            format!("otpauth://steam/Steam:gaben?secret={SECRET}"),
            format!("otpauth://totp/gaben?secret={SECRET}&issuer=steam"),
            format!("otpauth://totp/Steam:gaben?secret={SECRET}"),
            format!("otpauth://totp/Valve:gaben?secret={SECRET}&encoder=Steam"),
            format!("otpauth://steam/gaben?secret={SECRET}&digits=5&period=30&algorithm=sha1"),
        ] {
            let p = steam(&uri);
            assert_eq!(
                (p.otp.kind, p.otp.digits, p.otp.algorithm),
                (OtpKind::Steam, 5, Algorithm::Sha1),
                "{uri}"
            );
            assert!(p.warnings.is_empty(), "{uri}: {:?}", p.warnings);
        }
        let p = steam(&format!(
            "otpauth://totp/Steam:gaben?secret={SECRET}&digits=6&algorithm=SHA256&period=60"
        ));
        assert_eq!(p.otp.kind, OtpKind::Steam);
        assert_eq!(
            p.warnings,
            [
                OtpauthField::Digits,
                OtpauthField::Algorithm,
                OtpauthField::Period
            ]
            .map(|field| OtpauthWarning::IgnoredForSteam { field })
        );
        assert_eq!(
            p.warnings[0].to_string(),
            "the link's `digits` was ignored: Steam codes always have 5 characters and use SHA1 every 30 seconds"
        );
        let p = parsed(&format!(
            "otpauth://totp/Valve:gaben?secret={SECRET}&issuer=Valve&digits=6"
        ));
        assert_eq!(p.otp.kind, OtpKind::Totp { period: 30 });
        let p = parsed(&format!(
            "otpauth://hotp/Steam:gaben?secret={SECRET}&counter=1"
        ));
        assert_eq!(p.otp.kind, OtpKind::Hotp { counter: 1 });
    }

    #[test]
    fn warnings() {
        let p = parsed(
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        );
        assert_eq!(p.warnings, [OtpauthWarning::ShortSecret { bits: 80 }]);
        assert_eq!(
            p.warnings[0].to_string(),
            "the secret is only 80 bits long; 128 or more are recommended, so codes for this account are easier to guess than they should be"
        );
        let p = parsed(&format!("otpauth://hotp/Example:alice?secret={SECRET}"));
        assert_eq!(p.otp.kind, OtpKind::Hotp { counter: 0 });
        assert_eq!(p.warnings, [OtpauthWarning::CounterMissing]);
        assert_eq!(
            p.warnings[0].to_string(),
            "the link does not say where this counter-based account's counter is, so it starts at 0"
        );
        let w = OtpauthWarning::IssuerMismatch {
            label: "Old".into(),
            parameter: "New".into(),
        };
        assert_eq!(
            w.to_string(),
            "the link's label names the issuer \"Old\" but its issuer parameter says \"New\"; \"New\" is used"
        );
        let p = parsed("otpauth://totp/a?secret=AAAAAAAAAAAAAAAAAAAAAAAAAA"); // 16 bytes
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn shown_values_are_short_and_visible() {
        assert_eq!(shown("9"), "9");
        assert_eq!(shown("a\u{0}b\u{202E}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(shown(&"x".repeat(25)), format!("{}…", "x".repeat(24)));
        assert_eq!(shown(&"x".repeat(24)), "x".repeat(24));
    }
}
