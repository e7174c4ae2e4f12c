//! One `KeyPackage` of a PSKC file (RFC 6030 section 4) as a [`PskcKey`], or the reason it
//! cannot be one. HOTP (`urn:ietf:params:xml:ns:keyprov:pskc:hotp`, RFC 6030 section 10) and
//! TOTP and OCRA (the `...:totp` and `...#OCRA-1` profiles of the PSKC algorithm registry) are
//! read; other algorithms, such as the RFC's PIN keys, are skipped with their name.
//!
//! - Codes: `AlgorithmParameters/ResponseFormat` `Length` (6 when absent) with `Encoding`
//!   `DECIMAL`; the hash from `AlgorithmParameters/Suite` (`HMAC-SHA1`, `HMAC-SHA256`,
//!   `HMAC-SHA512`; SHA1 when absent), or for OCRA the OCRA suite itself.
//! - `Data`: `Secret` (base64 `PlainValue`, or `EncryptedValue`), `Counter` (a decimal
//!   `PlainValue`, or an `EncryptedValue` holding the big-endian number), `TimeInterval` (the
//!   TOTP period, 30 when absent).
//! - Who it is for: `Key/UserId`, else `DeviceInfo/UserId`; the token's `DeviceInfo/SerialNo`;
//!   the issuer `Key/Issuer`, else `DeviceInfo/Manufacturer`.

use zeroize::Zeroizing;

use super::PskcKey;
use super::encryption::Keys;
use super::tree::Element;
use crate::SecretBytes;
use crate::codes::{Algorithm, OcraSuite};
use crate::identity::{IdentityKind, OcraChallenge};
use crate::transfer::crypto::{base64, damaged};
use crate::transfer::entry::{Kind, build_entry, check_secret};
use crate::transfer::report::ImportError;

/// What reading a package gives: the key and warnings about it, or why it is skipped.
pub(super) type Read = Result<(PskcKey, Vec<String>), String>;

pub(super) fn read(
    package: &Element,
    keys: Option<&Keys>,
    field: &str,
) -> Result<Read, ImportError> {
    let Some(key) = package.child("Key") else {
        return Ok(Err("it holds no Key".to_string()));
    };
    let field = format!("{field}.Key");
    let algorithm = key.attribute("Algorithm").unwrap_or_default();
    let profile = profile(algorithm);
    let Some(profile) = profile else {
        return Ok(Err(if algorithm.is_empty() {
            "its Key names no Algorithm".to_string()
        } else {
            format!(
                "its algorithm \"{algorithm}\" is not one Tessera supports (HOTP, TOTP and OCRA are)"
            )
        }));
    };
    let data = key.child("Data");
    let Some(secret) = data.and_then(|d| d.child("Secret")) else {
        return Ok(Err(match key.text_at(&["KeyReference"]) {
            Some(reference) => format!(
                "it holds no secret: the secret is derived from the key \"{reference}\" (KeyReference) that only its issuer holds"
            ),
            None => "it has no secret (Data/Secret)".to_string(),
        }));
    };
    let secret_field = format!("{field}.Data.Secret");
    let secret = match value(secret, keys, &secret_field)? {
        Ok(bytes) => SecretBytes::new(bytes.to_vec()),
        Err(reason) => return Ok(Err(reason)),
    };
    let counter = match data.and_then(|d| d.child("Counter")) {
        None => 0,
        Some(counter) => match number(counter, keys, &format!("{field}.Data.Counter"))? {
            Ok(counter) => counter,
            Err(reason) => return Ok(Err(reason)),
        },
    };
    let period = match data.and_then(|d| d.child("TimeInterval")) {
        None => 30,
        Some(interval) => match number(interval, keys, &format!("{field}.Data.TimeInterval"))? {
            Ok(period) => period,
            Err(reason) => return Ok(Err(reason)),
        },
    };
    Ok(kind(key, profile, secret, counter, period).map(|kind| {
        let device = package.child("DeviceInfo");
        let owned = |text: Option<&str>| text.map(str::to_string);
        let found = PskcKey {
            serial: owned(device.and_then(|d| d.text_at(&["SerialNo"]))),
            user: owned(
                key.text_at(&["UserId"])
                    .or_else(|| device.and_then(|d| d.text_at(&["UserId"]))),
            ),
            issuer: owned(
                key.text_at(&["Issuer"])
                    .or_else(|| device.and_then(|d| d.text_at(&["Manufacturer"]))),
            ),
            id: owned(key.attribute("Id").map(str::trim).filter(|s| !s.is_empty())),
            kind,
        };
        (found, warnings(key))
    }))
}

#[derive(Clone, Copy)]
enum Profile {
    Hotp,
    Totp,
    Ocra,
}

fn profile(algorithm: &str) -> Option<Profile> {
    let name = algorithm
        .trim()
        .rsplit([':', '#'])
        .next()?
        .to_ascii_lowercase();
    match name.as_str() {
        "hotp" => Some(Profile::Hotp),
        "totp" => Some(Profile::Totp),
        _ if name.starts_with("ocra") => Some(Profile::Ocra),
        _ => None,
    }
}

/// The identity the key makes, checked as every import's entries are.
fn kind(
    key: &Element,
    profile: Profile,
    secret: SecretBytes,
    counter: u64,
    period: u64,
) -> Result<IdentityKind, String> {
    let parameters = key.child("AlgorithmParameters");
    let suite = parameters.and_then(|p| p.text_at(&["Suite"]));
    if let Profile::Ocra = profile {
        let suite =
            suite.ok_or("it is an OCRA key without its suite (AlgorithmParameters/Suite)")?;
        let suite: OcraSuite = suite
            .parse()
            .map_err(|e| format!("its OCRA suite is not valid: {e}"))?;
        check_secret(&secret)?;
        return Ok(IdentityKind::Ocra {
            secret,
            ocra: OcraChallenge { suite, counter },
        });
    }
    let format = parameters.and_then(|p| p.child("ResponseFormat"));
    if let Some(encoding) = format.and_then(|f| f.attribute("Encoding")) {
        if !encoding.trim().eq_ignore_ascii_case("DECIMAL") {
            return Err(format!(
                "its codes are written as {encoding} (ResponseFormat Encoding): Tessera makes decimal codes"
            ));
        }
    }
    let digits = match format.and_then(|f| f.attribute("Length")) {
        None => 6,
        Some(length) => length
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("its code length \"{length}\" is not a whole number"))?,
    };
    let algorithm = match suite {
        None => Algorithm::Sha1,
        Some(suite) => {
            let name = suite.trim().to_ascii_uppercase();
            name.strip_prefix("HMAC-")
                .unwrap_or(&name)
                .replace('-', "")
                .parse()
                .map_err(|_| {
                    format!("its hash \"{suite}\" (AlgorithmParameters/Suite) is not HMAC-SHA1, HMAC-SHA256 or HMAC-SHA512")
                })?
        }
    };
    let kind = match profile {
        Profile::Totp => Kind::Totp { period },
        _ => Kind::Hotp { counter },
    };
    // The name is the caller's; "-" only satisfies the check that one exists.
    build_entry(Some("-"), None, secret, kind, algorithm, digits).map(|entry| entry.kind)
}

/// What the file asks that Tessera does not do, for the person to know.
fn warnings(key: &Element) -> Vec<String> {
    let mut warnings = Vec::new();
    let policy = key.child("Policy");
    if let Some(expiry) = policy.and_then(|p| p.text_at(&["ExpiryDate"])) {
        warnings.push(format!(
            "the file says this key expires on {expiry} (Policy/ExpiryDate); Tessera keeps making codes after that date"
        ));
    }
    if policy.and_then(|p| p.child("PINPolicy")).is_some() {
        warnings.push(
            "the file asks for a PIN with each code (Policy/PINPolicy); Tessera's own PIN protects the token instead"
                .to_string(),
        );
    }
    warnings
}

/// The bytes of a `Secret`: its base64 `PlainValue` or its opened `EncryptedValue`.
fn value(
    element: &Element,
    keys: Option<&Keys>,
    field: &str,
) -> Result<Result<Zeroizing<Vec<u8>>, String>, ImportError> {
    if let Some(plain) = element.child("PlainValue") {
        return base64(Some(plain.text()), &format!("{field}.PlainValue"))
            .map(|bytes| Ok(Zeroizing::new(bytes)));
    }
    match keys {
        Some(keys) => keys.open(element, field),
        None if element.child("EncryptedValue").is_some() => Ok(Err(
            "its secret is encrypted, but the file names no key (EncryptionKey)".to_string(),
        )),
        None => Err(damaged(
            field,
            "has neither a PlainValue nor an EncryptedValue",
        )),
    }
}

/// A `Counter` or `TimeInterval`: a decimal `PlainValue`, or the big-endian number an
/// `EncryptedValue` holds.
fn number(
    element: &Element,
    keys: Option<&Keys>,
    field: &str,
) -> Result<Result<u64, String>, ImportError> {
    if let Some(plain) = element.child("PlainValue") {
        return plain
            .text()
            .parse()
            .map(Ok)
            .map_err(|_| damaged(format!("{field}.PlainValue"), "is not a whole number"));
    }
    let bytes = match value(element, keys, field)? {
        Ok(bytes) => bytes,
        Err(reason) => return Ok(Err(reason)),
    };
    if bytes.len() > 8 {
        return Err(damaged(
            field,
            format!(
                "decrypts to {} bytes, more than a 64-bit number",
                bytes.len()
            ),
        ));
    }
    Ok(Ok(bytes.iter().fold(0, |n, b| (n << 8) | u64::from(*b))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_uris_are_read_by_their_last_part() {
        assert!(matches!(
            profile("urn:ietf:params:xml:ns:keyprov:pskc:hotp"),
            Some(Profile::Hotp)
        ));
        assert!(matches!(
            profile("urn:ietf:params:xml:ns:keyprov:pskc:totp"),
            Some(Profile::Totp)
        ));
        assert!(matches!(
            profile("urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1"),
            Some(Profile::Ocra)
        ));
        assert!(profile("urn:ietf:params:xml:ns:keyprov:pskc:pin").is_none());
    }
}
