//! `igmobileotp://` activation links: opening them (token side) and sealing them (issuer side).
//!
//! Format (../shared/spec/identityguard.md, "The activation QR code / link"):
//! `igmobileotp://?action=secactivate&enc=<base64>&v=1&mac=<base64>`, values percent-encoded.
//! `enc` is an 8-byte salt followed by AES-128-CBC/PKCS#7 ciphertext; the keys come from
//! PBKDF2-HMAC-SHA256(password, salt, 1000 iterations, 64 bytes) (AES key, HMAC key, IV);
//! `mac` is the first 12 bytes of HMAC-SHA256 over the URI text between `?` and the `&` that
//! starts `mac=`, exactly as received. The plaintext is JSON with `sn`, `ac` and optional
//! `policy` and `regurl`; Tessera's issuer may add `ocra` (an OCRA suite's text) for identities
//! that answer challenges, which other readers ignore as an unknown key.
//!
//! Opening checks the MAC in constant time before decrypting anything, so a wrong password is
//! reported as such and never yields garbage. All key material and the decrypted content live in
//! zeroizing buffers.

use std::fmt;

use aes::Aes128;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::address::name_from_address;
use super::error::{Field, IdentityGuardError};
use super::numbers::{ActivationCode, SerialNumber};
use super::password::password_candidates;

/// The URI scheme of activation links.
const SCHEME: &str = "igmobileotp";
/// The only action Tessera understands.
const ACTION: &str = "secactivate";
/// The only format version Tessera understands.
const VERSION: &str = "1";
/// Far beyond what a QR code holds; bounds the work a hostile input can cause.
pub(crate) const MAX_LINK_CHARS: usize = 64 * 1024;
/// Bytes of salt at the start of `enc`.
const SALT_BYTES: usize = 8;
/// AES block size.
const BLOCK_BYTES: usize = 16;
/// Bytes of the truncated HMAC in `mac`.
const MAC_BYTES: usize = 12;
/// PBKDF2 iterations for the link's key material.
const KEY_ITERATIONS: u32 = 1000;

/// Characters percent-encoded in link values: everything but RFC 3986 unreserved characters
/// (the same set as Python's `urllib.parse.quote(value, safe="")`).
const VALUE_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

type Aes128CbcEnc = cbc::Encryptor<Aes128>;
type Aes128CbcDec = cbc::Decryptor<Aes128>;
type HmacSha256 = Hmac<Sha256>;

/// What an activation link carries once opened.
///
/// `Debug` never shows the activation code.
#[derive(Clone, PartialEq, Eq)]
pub struct ActivationLink {
    /// The token's serial number (`sn`).
    pub serial: SerialNumber,
    /// The activation code (`ac`); secret.
    pub activation: ActivationCode,
    /// The policy document (`policy`), exactly as received: it may feed the secret derivation.
    pub policy: Option<String>,
    /// The self-service address (`regurl`), e.g. `myid.example.edu/igst`.
    pub address: Option<String>,
    /// The OCRA suite (`ocra`), exactly as received, for identities that answer challenges.
    /// A Tessera extension: the vendor's links do not carry it. Checked as a suite by whoever
    /// uses it, not here, so a link with a suite this version cannot read still opens.
    pub ocra: Option<String>,
}

impl ActivationLink {
    /// A default name for the identity: the host of [`Self::address`], when there is one.
    pub fn name(&self) -> Option<String> {
        self.address.as_deref().and_then(name_from_address)
    }
}

impl fmt::Debug for ActivationLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivationLink")
            .field("serial", &self.serial)
            .field("activation", &"<redacted>")
            .field("policy", &self.policy)
            .field("address", &self.address)
            .field("ocra", &self.ocra)
            .finish()
    }
}

/// The 64 bytes of PBKDF2 output: AES key, HMAC key and IV. Wiped on drop.
struct KeyMaterial(Zeroizing<[u8; 64]>);

impl KeyMaterial {
    fn derive(password: &str, salt: &[u8]) -> Self {
        let mut bytes = Zeroizing::new([0u8; 64]);
        pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, KEY_ITERATIONS, &mut *bytes);
        Self(bytes)
    }

    fn aes_key(&self) -> &[u8] {
        &self.0[..16]
    }

    fn hmac_key(&self) -> &[u8] {
        &self.0[16..48]
    }

    fn iv(&self) -> &[u8] {
        &self.0[48..]
    }

    /// The first 12 bytes of HMAC-SHA256 over `text`.
    fn mac(&self, text: &str) -> [u8; MAC_BYTES] {
        let mut hmac = <HmacSha256 as KeyInit>::new_from_slice(self.hmac_key())
            .expect("invariant: HMAC accepts keys of any length");
        hmac.update(text.as_bytes());
        let full = hmac.finalize().into_bytes();
        let mut tag = [0u8; MAC_BYTES];
        tag.copy_from_slice(&full[..MAC_BYTES]);
        tag
    }
}

/// Opens an `igmobileotp://` activation link with the password that came with it.
///
/// Accepted variations: any case in the scheme and action, parameters before `mac` in any order
/// (unknown ones are ignored but still covered by the MAC), base64 in the standard or URL-safe
/// alphabet with or without `=` padding, percent-encoded or not, and a `#fragment`. `mac` must be
/// the last parameter, since the MAC is defined over what precedes it.
///
/// A space inside a value is read as `+`: base64 has no spaces, and form decoders turn `+` into a
/// space. The MAC is checked over the text as received and, only when that fails and the text
/// contains spaces, over the text with each space put back as `+`.
///
/// Whitespace in the password is ignored; when the password as typed does not match, its
/// Crockford base32 form is tried (dashes dropped, capitals, `O`/`I`/`L` as `0`/`1`/`1`), the
/// form Tessera's issuer seals its strong passwords in. An empty password is refused (after the
/// link's form is checked, before any key is derived).
pub fn open_activation_link(
    uri: &str,
    password: &str,
) -> Result<ActivationLink, IdentityGuardError> {
    let length = uri.chars().count();
    if length > MAX_LINK_CHARS {
        return Err(IdentityGuardError::LinkTooLong { length });
    }
    let query = query_of(uri.trim())?;
    let parts = LinkParts::parse(query)?;

    if !parts.action.eq_ignore_ascii_case(ACTION) {
        return Err(IdentityGuardError::UnknownAction {
            action: printable(&parts.action),
        });
    }
    if parts.version.trim() != VERSION {
        return Err(IdentityGuardError::UnsupportedVersion {
            version: printable(&parts.version),
        });
    }
    let enc = decode_base64(parts.enc, "enc")?;
    let mac = decode_base64(parts.mac, "mac")?;
    if enc.len() < SALT_BYTES + BLOCK_BYTES {
        return Err(IdentityGuardError::EncTooShort { found: enc.len() });
    }
    if mac.len() != MAC_BYTES {
        return Err(IdentityGuardError::BadMacLength { found: mac.len() });
    }
    let candidates = password_candidates(password);
    if candidates.is_empty() {
        return Err(IdentityGuardError::EmptyPassword);
    }

    let (salt, ciphertext) = enc.split_at(SALT_BYTES);
    let keys = candidates
        .iter()
        .map(|candidate| KeyMaterial::derive(candidate, salt))
        .find(|keys| mac_matches(keys, parts.signed, &mac))
        .ok_or(IdentityGuardError::WrongPassword)?;
    let plaintext = decrypt(&keys, ciphertext)?;
    read_payload(&plaintext)
}

/// Checks the MAC over the signed text, then (only if that fails and the text has spaces) over
/// the text with spaces turned back into `+`.
fn mac_matches(keys: &KeyMaterial, signed: &str, mac: &[u8]) -> bool {
    if bool::from(keys.mac(signed).ct_eq(mac)) {
        return true;
    }
    signed.contains(' ') && bool::from(keys.mac(&signed.replace(' ', "+")).ct_eq(mac))
}

/// The query of an `igmobileotp:` URI: the text after `?`, without any `#fragment`.
fn query_of(uri: &str) -> Result<&str, IdentityGuardError> {
    let (before, query) = match uri.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (uri, None),
    };
    let scheme_ok = before
        .get(..SCHEME.len() + 1)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("igmobileotp:"))
        && before
            .get(SCHEME.len() + 1..)
            .is_some_and(|rest| rest.chars().all(|c| c == '/'));
    if !scheme_ok {
        return Err(IdentityGuardError::NotActivationLink);
    }
    let query = query.ok_or(IdentityGuardError::MissingParameter { name: "mac" })?;
    Ok(query
        .split_once('#')
        .map_or(query, |(query, _fragment)| query))
}

/// The parameters of a link, still as received (only `action` and `v` are decoded).
struct LinkParts<'a> {
    /// The text the MAC covers: from after `?` up to the `&` that starts `mac=`.
    signed: &'a str,
    action: String,
    version: String,
    enc: &'a str,
    mac: &'a str,
}

impl<'a> LinkParts<'a> {
    fn parse(query: &'a str) -> Result<Self, IdentityGuardError> {
        let (signed, last) = query.rsplit_once('&').unwrap_or(("", query));
        let mac = last.strip_prefix("mac=");
        let signed = if mac.is_some() { signed } else { query };

        let mut action = None;
        let mut version = None;
        let mut enc = None;
        let mut saw_mac = false;
        for parameter in signed.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = parameter.split_once('=').unwrap_or((parameter, ""));
            let (slot, name) = match name {
                "action" => (&mut action, "action"),
                "v" => (&mut version, "v"),
                "enc" => (&mut enc, "enc"),
                "mac" => {
                    saw_mac = true;
                    continue;
                }
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(IdentityGuardError::DuplicateParameter { name });
            }
        }
        if saw_mac {
            return Err(match mac {
                Some(_) => IdentityGuardError::DuplicateParameter { name: "mac" },
                None => IdentityGuardError::MacNotLast,
            });
        }

        let missing = |name| IdentityGuardError::MissingParameter { name };
        // `mac` comes last, so a link cut short is missing it first.
        let mac = mac.ok_or(missing("mac"))?;
        let action = action.ok_or(missing("action"))?;
        let enc = enc.ok_or(missing("enc"))?;
        let version = version.ok_or(missing("v"))?;
        Ok(Self {
            signed,
            action: percent_decode_str(action).decode_utf8_lossy().into_owned(),
            version: percent_decode_str(version).decode_utf8_lossy().into_owned(),
            enc,
            mac,
        })
    }
}

/// A value from the link shortened to printable ASCII, safe to put in a message.
fn printable(value: &str) -> String {
    const LIMIT: usize = 32;
    let mut shown: String = value
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(LIMIT)
        .collect();
    if value.chars().count() > LIMIT {
        shown.push('…');
    }
    shown
}

/// Decodes a base64 link value after percent-decoding: standard or URL-safe alphabet, with or
/// without padding, a space read as `+`.
fn decode_base64(raw: &str, name: &'static str) -> Result<Vec<u8>, IdentityGuardError> {
    let bad = IdentityGuardError::BadBase64 { name };
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| bad.clone())?;
    let normalized: String = decoded
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    STANDARD_NO_PAD.decode(normalized).map_err(|_| bad)
}

/// Decrypts and unpads the ciphertext (after the MAC has been checked).
fn decrypt(
    keys: &KeyMaterial,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, IdentityGuardError> {
    if !ciphertext.len().is_multiple_of(BLOCK_BYTES) {
        return Err(IdentityGuardError::Damaged);
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let decryptor = Aes128CbcDec::new_from_slices(keys.aes_key(), keys.iv())
        .expect("invariant: the AES-128 key and the IV are 16 bytes each");
    let length = decryptor
        .decrypt_padded::<Pkcs7>(&mut buffer)
        .map_err(|_| IdentityGuardError::Damaged)?
        .len();
    buffer.truncate(length);
    Ok(buffer)
}

/// The decrypted JSON as the link's fields.
#[derive(serde::Deserialize)]
struct Payload {
    sn: Option<serde_json::Value>,
    ac: Option<serde_json::Value>,
    policy: Option<serde_json::Value>,
    regurl: Option<serde_json::Value>,
    ocra: Option<serde_json::Value>,
}

fn read_payload(plaintext: &[u8]) -> Result<ActivationLink, IdentityGuardError> {
    let payload: Payload =
        serde_json::from_slice(plaintext).map_err(|_| IdentityGuardError::NotJson)?;
    let serial = code_text(payload.sn, Field::SerialNumber)?;
    let serial = SerialNumber::parse_in_link(&serial)?;
    let activation = code_text(payload.ac, Field::ActivationCode)?;
    let activation = ActivationCode::parse_in_link(&activation)?;
    Ok(ActivationLink {
        serial,
        activation,
        policy: optional_text(payload.policy, Field::Policy)?,
        address: optional_text(payload.regurl, Field::Address)?,
        ocra: optional_text(payload.ocra, Field::OcraSuite)?,
    })
}

/// A code's text: a JSON string, or a JSON whole number written in decimal.
fn code_text(
    value: Option<serde_json::Value>,
    field: Field,
) -> Result<Zeroizing<String>, IdentityGuardError> {
    match value {
        None | Some(serde_json::Value::Null) => Err(IdentityGuardError::MissingInLink { field }),
        Some(serde_json::Value::String(text)) => Ok(Zeroizing::new(text)),
        Some(serde_json::Value::Number(number)) => number
            .as_u64()
            .map(|n| Zeroizing::new(n.to_string()))
            .ok_or(IdentityGuardError::NotTextInLink { field }),
        Some(_) => Err(IdentityGuardError::NotTextInLink { field }),
    }
}

/// An optional string value, kept exactly as received.
fn optional_text(
    value: Option<serde_json::Value>,
    field: Field,
) -> Result<Option<String>, IdentityGuardError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(IdentityGuardError::NotTextInLink { field }),
    }
}

/// The plaintext an issuer encrypts, in this field order.
#[derive(serde::Serialize)]
struct SealedPayload<'a> {
    sn: &'a str,
    ac: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regurl: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ocra: Option<&'a str>,
}

/// Makes the `igmobileotp://` link an issuer sends (the inverse of [`open_activation_link`]).
///
/// Emits exactly `igmobileotp://?action=secactivate&enc=<base64>&v=1&mac=<base64>` with standard
/// padded base64, percent-encoded (`+` `/` `=` become `%2B` `%2F` `%3D`). The plaintext is compact
/// JSON `{"sn":..,"ac":..,"policy":..,"regurl":..,"ocra":..}` with the codes as bare digits,
/// `policy`, `regurl` and `ocra` only when present, `/` not escaped.
///
/// `salt` must be fresh random bytes for every link; `password` should be the `sealed_with`
/// form of a [`make_activation_password`] password (whitespace in it is ignored, as when
/// opening; an empty password makes a link that [`open_activation_link`] refuses).
pub fn seal_activation_link(link: &ActivationLink, password: &str, salt: [u8; 8]) -> String {
    let payload = SealedPayload {
        sn: link.serial.as_digits(),
        ac: link.activation.as_digits(),
        policy: link.policy.as_deref(),
        regurl: link.address.as_deref(),
        ocra: link.ocra.as_deref(),
    };
    // Reserve enough that the buffer never reallocates (which would leave an unwiped copy of the
    // activation code): JSON escapes at most 6 bytes per input byte, plus the keys and codes.
    let extra = [&link.policy, &link.address, &link.ocra]
        .iter()
        .map(|text| text.as_ref().map_or(0, String::len))
        .sum::<usize>();
    let capacity = 128 + 6 * extra;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(capacity + BLOCK_BYTES));
    serde_json::to_writer(&mut *plaintext, &payload)
        .expect("invariant: serializing strings into a Vec cannot fail");
    let length = plaintext.len();
    plaintext.resize(length + BLOCK_BYTES - length % BLOCK_BYTES, 0);

    let password: Zeroizing<String> =
        Zeroizing::new(password.chars().filter(|c| !c.is_whitespace()).collect());
    let keys = KeyMaterial::derive(&password, &salt);
    let encryptor = Aes128CbcEnc::new_from_slices(keys.aes_key(), keys.iv())
        .expect("invariant: the AES-128 key and the IV are 16 bytes each");
    let ciphertext = encryptor
        .encrypt_padded::<Pkcs7>(&mut plaintext, length)
        .expect("invariant: the buffer has room for a full block of padding");

    let mut enc = Vec::with_capacity(SALT_BYTES + ciphertext.len());
    enc.extend_from_slice(&salt);
    enc.extend_from_slice(ciphertext);
    let signed = format!(
        "action={ACTION}&enc={}&v={VERSION}",
        utf8_percent_encode(&STANDARD.encode(&enc), VALUE_ENCODE_SET)
    );
    let mac = STANDARD.encode(keys.mac(&signed));
    format!(
        "{SCHEME}://?{signed}&mac={}",
        utf8_percent_encode(&mac, VALUE_ENCODE_SET)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identityguard::{LinkPasswordKind, make_activation_password};

    fn spec_link() -> ActivationLink {
        ActivationLink {
            serial: "48244-13456".parse().unwrap(),
            activation: "1745-7712-6942-8698".parse().unwrap(),
            policy: Some(r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#.into()),
            address: Some("myid.example.edu/igst".into()),
            ocra: None,
        }
    }

    /// Builds a link by hand so tests can vary what `seal_activation_link` fixes.
    fn hand_made(signed_with: impl Fn(&str) -> String, plaintext: &[u8], password: &str) -> String {
        let salt = [7u8; 8];
        let keys = KeyMaterial::derive(password, &salt);
        let mut buffer = plaintext.to_vec();
        buffer.resize(plaintext.len() + 16, 0);
        let ciphertext = Aes128CbcEnc::new_from_slices(keys.aes_key(), keys.iv())
            .unwrap()
            .encrypt_padded::<Pkcs7>(&mut buffer, plaintext.len())
            .unwrap()
            .to_vec();
        let enc = [salt.as_slice(), &ciphertext].concat();
        let signed = signed_with(&STANDARD.encode(enc));
        let mac = STANDARD.encode(keys.mac(&signed));
        format!("igmobileotp://?{signed}&mac={mac}")
    }

    #[test]
    fn an_ocra_suite_travels_in_the_link_exactly() {
        let link = ActivationLink {
            ocra: Some("OCRA-1:HOTP-SHA1-6:QN08".into()),
            ..spec_link()
        };
        let uri = seal_activation_link(&link, "12345678", [8; 8]);
        assert_eq!(open_activation_link(&uri, "12345678").unwrap(), link);
        // Without a suite the plaintext has no "ocra" key, so older readers see what they know.
        let plain = seal_activation_link(&spec_link(), "12345678", [8; 8]);
        assert!(plain.len() < uri.len());
        assert_eq!(open_activation_link(&plain, "12345678").unwrap().ocra, None);
    }

    #[test]
    fn seal_then_open_round_trips() {
        let link = spec_link();
        let uri = seal_activation_link(&link, "12345678", [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(uri.starts_with("igmobileotp://?action=secactivate&enc="));
        assert_eq!(open_activation_link(&uri, " 1234 5678 ").unwrap(), link);
        assert_eq!(link.name().as_deref(), Some("myid.example.edu"));
    }

    #[test]
    fn parameters_in_another_order_and_unknown_ones_are_accepted() {
        let plaintext = br#"{"ac":"1745771269428698","sn":"4824413456","extra":1}"#;
        let uri = hand_made(
            |enc| format!("v=1&x=y&enc={enc}&action=SECACTIVATE"),
            plaintext,
            "1",
        );
        let link = open_activation_link(&uri, "1").unwrap();
        assert_eq!(link.serial.as_digits(), "4824413456");
        assert_eq!(link.policy, None);
        assert_eq!(link.address, None);
    }

    #[test]
    fn codes_may_come_as_json_numbers() {
        let plaintext = br#"{"sn":4824413456,"ac":1745771269428698,"policy":null}"#;
        let uri = hand_made(
            |enc| format!("action=secactivate&enc={enc}&v=1"),
            plaintext,
            "1",
        );
        let link = open_activation_link(&uri, "1").unwrap();
        assert_eq!(link.activation.as_digits(), "1745771269428698");
    }

    #[test]
    fn content_problems_name_the_field() {
        let cases: [(&[u8], &str); 7] = [
            (
                b"not json",
                "the link is damaged: its content is not the expected JSON",
            ),
            (
                br#"{"ac":"1745771269428698"}"#,
                "the link does not contain the serial number",
            ),
            (
                br#"{"sn":"4824413456"}"#,
                "the link does not contain the activation code",
            ),
            (
                br#"{"sn":"4824413457","ac":"1745771269428698"}"#,
                "the serial number in the link is not valid: its check digit does not match",
            ),
            (
                br#"{"sn":"4824413456","ac":"1745771269428699"}"#,
                "the activation code in the link is not valid: its check digit does not match",
            ),
            (
                br#"{"sn":"4824413456","ac":"1745771269428698","policy":{"a":1}}"#,
                "the policy in the link is not text",
            ),
            (
                br#"{"sn":"4824413456","ac":"1745771269428698","ocra":8}"#,
                "the OCRA suite in the link is not text",
            ),
        ];
        for (plaintext, message) in cases {
            let uri = hand_made(
                |enc| format!("action=secactivate&enc={enc}&v=1"),
                plaintext,
                "1",
            );
            let error = open_activation_link(&uri, "1").unwrap_err();
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn structure_problems_are_reported_before_any_key_work() {
        let cases = [
            (
                "https://example.com/?action=secactivate",
                "this is not an IdentityGuard activation link (it should start with igmobileotp://?)",
            ),
            (
                "igmobileotp://",
                "the link is missing its mac parameter (was it cut short?)",
            ),
            (
                "igmobileotp://?enc=AAAA&v=1&mac=AAAA",
                "the link is missing its action parameter (was it cut short?)",
            ),
            (
                "igmobileotp://?action=secdelete&enc=AAAA&v=1&mac=AAAA",
                "the link asks for the action \"secdelete\"; Tessera only understands secactivate",
            ),
            (
                "igmobileotp://?action=secactivate&enc=AAAA&v=2&mac=AAAA",
                "the link uses format version \"2\"; Tessera only understands version 1",
            ),
            (
                "igmobileotp://?action=secactivate&v=1&mac=AAAA",
                "the link is missing its enc parameter (was it cut short?)",
            ),
            (
                "igmobileotp://?action=secactivate&enc=AAAA&v=1",
                "the link is missing its mac parameter (was it cut short?)",
            ),
            (
                "igmobileotp://?action=secactivate&mac=AAAA&enc=AAAA&v=1",
                "the link's mac parameter must come last",
            ),
            (
                "igmobileotp://?action=secactivate&enc=AAAA&enc=AAAA&v=1&mac=AAAA",
                "the link has its enc parameter more than once",
            ),
            (
                "igmobileotp://?action=secactivate&enc=A!AA&v=1&mac=AAAA",
                "the link's enc parameter is not valid base64 (was the link changed or cut?)",
            ),
            (
                "igmobileotp://?action=secactivate&enc=AAAA&v=1&mac=AAAA",
                "the link's encrypted part is too short: 3 bytes, at least 24 are needed",
            ),
        ];
        for (uri, message) in cases {
            assert_eq!(
                open_activation_link(uri, "12345678")
                    .unwrap_err()
                    .to_string(),
                message,
                "{uri}"
            );
        }
        let long = format!("igmobileotp://?{}", "a".repeat(MAX_LINK_CHARS));
        assert!(matches!(
            open_activation_link(&long, "1"),
            Err(IdentityGuardError::LinkTooLong { .. })
        ));
    }

    #[test]
    fn empty_password_is_refused_clearly() {
        let uri = seal_activation_link(&spec_link(), "12345678", [0; 8]);
        assert_eq!(
            open_activation_link(&uri, "  ").unwrap_err().to_string(),
            "the link password is empty: type the password that came with the link"
        );
    }

    #[test]
    fn bad_padding_after_a_good_mac_is_damage() {
        // Encrypt 16 bytes with no padding block: the MAC is right, the padding is not.
        let salt = [9u8; 8];
        let keys = KeyMaterial::derive("1", &salt);
        let mut block = *b"0123456789abcdef";
        let ciphertext = Aes128CbcEnc::new_from_slices(keys.aes_key(), keys.iv())
            .unwrap()
            .encrypt_padded::<cbc::cipher::block_padding::NoPadding>(&mut block, 16)
            .unwrap()
            .to_vec();
        let enc = STANDARD.encode([salt.as_slice(), &ciphertext].concat());
        let signed = format!("action=secactivate&enc={enc}&v=1");
        let uri = format!(
            "igmobileotp://?{signed}&mac={}",
            STANDARD.encode(keys.mac(&signed))
        );
        assert_eq!(
            open_activation_link(&uri, "1").unwrap_err(),
            IdentityGuardError::Damaged
        );
    }

    #[test]
    fn debug_hides_the_activation_code() {
        let shown = format!("{:?}", spec_link());
        assert!(!shown.contains("1745"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn a_strong_password_opens_typed_in_any_case_with_spaces_or_dashes() {
        let password = make_activation_password(LinkPasswordKind::Strong).unwrap();
        let uri = seal_activation_link(&spec_link(), &password.sealed_with, [3; 8]);
        let lower_spaced = password.shown.to_lowercase().replace('-', " ");
        for typed in [
            password.shown.as_str(),
            password.sealed_with.as_str(),
            lower_spaced.as_str(),
        ] {
            assert_eq!(
                open_activation_link(&uri, typed).unwrap(),
                spec_link(),
                "{typed}"
            );
        }
        // O, I and L are read as 0, 1 and 1, as Crockford's base32 decodes them.
        let uri = seal_activation_link(&spec_link(), "0123456789ABCDEF", [4; 8]);
        for typed in [
            "o123-4567-89ab-cdef",
            "OI23 4567 89AB CDEF",
            "0l23456789abcdef",
        ] {
            assert_eq!(
                open_activation_link(&uri, typed).unwrap(),
                spec_link(),
                "{typed}"
            );
        }
        // Leniency is about typing only: any other character is still a wrong password.
        for typed in [
            "0123-4567-89AB-CDEE",
            "0123-4567-89AB-CDE",
            "U123456789ABCDEF",
        ] {
            assert_eq!(
                open_activation_link(&uri, typed).unwrap_err(),
                IdentityGuardError::WrongPassword,
                "{typed}"
            );
        }
    }

    #[test]
    fn a_password_that_is_not_base32_must_be_typed_as_sealed() {
        // Links from other issuers may use any password: case and dashes then count.
        let uri = seal_activation_link(&spec_link(), "Pass-word", [5; 8]);
        assert!(open_activation_link(&uri, " Pass-word ").is_ok());
        for typed in ["pass-word", "Password", "PASS-WORD"] {
            assert_eq!(
                open_activation_link(&uri, typed).unwrap_err(),
                IdentityGuardError::WrongPassword,
                "{typed}"
            );
        }
    }
}
