//! Writing accounts as Google Authenticator export links.
//!
//! A QR code of Google's own export holds up to 10 accounts (the published three-part sample
//! has 10, 10 and 2); its link is then about 1,100 characters, a version-25 QR code that phone
//! cameras read from a screen. Tessera keeps to that: at most [`ACCOUNTS_PER_QR`] accounts and
//! [`PAYLOAD_BYTES_PER_QR`] bytes of payload per link, so accounts with long names are spread
//! over more QR codes instead of making one too dense to scan.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use prost::Message as _;
use zeroize::Zeroizing;

use super::proto::{self, MigrationPayload, OtpParameters};
use crate::SecretBytes;
use crate::codes::Algorithm;

/// The most accounts written on one QR code.
pub const ACCOUNTS_PER_QR: usize = 10;

/// The most payload bytes (before base64) written on one QR code, unless a single account is
/// larger by itself.
pub const PAYLOAD_BYTES_PER_QR: usize = 800;

const PREFIX: &str = "otpauth-migration://offline?data=";

/// An account Google Authenticator can hold: 30-second TOTP or HOTP, 6 or 8 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleAccount {
    /// The account name.
    pub account: String,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// The secret.
    pub secret: SecretBytes,
    /// The HMAC hash.
    pub algorithm: Algorithm,
    /// 8 digits (true) or 6 (false).
    pub eight_digits: bool,
    /// `None` for 30-second TOTP, the next counter for HOTP (Google stores it as a signed
    /// 64-bit number).
    pub counter: Option<i64>,
}

impl GoogleAccount {
    fn to_proto(&self) -> OtpParameters {
        let issuer = self.issuer.clone().filter(|issuer| !issuer.is_empty());
        // Google keeps the label it was given, `Issuer:account`; a leading `:` keeps a colon in
        // an account without issuer from being read as the separator (as otpauth labels do).
        let name = match &issuer {
            Some(issuer) => format!("{issuer}:{}", self.account),
            None if self.account.contains(':') => format!(":{}", self.account),
            None => self.account.clone(),
        };
        OtpParameters {
            secret: self.secret.as_bytes().to_vec(),
            name,
            issuer: issuer.unwrap_or_default(),
            algorithm: match self.algorithm {
                Algorithm::Sha1 => proto::ALGORITHM_SHA1,
                Algorithm::Sha256 => proto::ALGORITHM_SHA256,
                Algorithm::Sha512 => proto::ALGORITHM_SHA512,
            },
            digits: if self.eight_digits {
                proto::DIGITS_EIGHT
            } else {
                proto::DIGITS_SIX
            },
            r#type: if self.counter.is_some() {
                proto::TYPE_HOTP
            } else {
                proto::TYPE_TOTP
            },
            counter: self.counter.unwrap_or(0),
        }
    }
}

/// The export links for `accounts`, in order, split as the module documentation says, all
/// with `batch_id` (pass a random one: it is how a reader tells exports apart). No accounts
/// give no links. Each link carries secrets: it is wiped when dropped.
pub fn encode_migration_links(accounts: &[GoogleAccount], batch_id: i32) -> Vec<Zeroizing<String>> {
    let mut batches: Vec<Vec<OtpParameters>> = Vec::new();
    let mut current: Vec<OtpParameters> = Vec::new();
    let mut current_bytes = 0;
    for account in accounts {
        let otp = account.to_proto();
        let bytes = otp.encoded_len() + 3;
        if !current.is_empty()
            && (current.len() == ACCOUNTS_PER_QR || current_bytes + bytes > PAYLOAD_BYTES_PER_QR)
        {
            batches.push(std::mem::take(&mut current));
            current_bytes = 0;
        }
        current_bytes += bytes;
        current.push(otp);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    let size = i32::try_from(batches.len()).unwrap_or(i32::MAX);
    batches
        .into_iter()
        .enumerate()
        .map(|(index, otp_parameters)| {
            link(&MigrationPayload {
                otp_parameters,
                version: 1,
                batch_size: size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            })
        })
        .collect()
}

fn link(payload: &MigrationPayload) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(payload.encoded_len()));
    payload
        .encode(&mut *bytes)
        .expect("invariant: the buffer has room for the encoded length");
    let mut base64 = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
    STANDARD.encode_string(bytes.as_slice(), &mut base64);
    // Sized for the worst case (every character escaped) so the buffer never reallocates.
    let mut uri = Zeroizing::new(String::with_capacity(PREFIX.len() + 3 * base64.len()));
    uri.push_str(PREFIX);
    for piece in utf8_percent_encode(&base64, NON_ALPHANUMERIC) {
        uri.push_str(piece);
    }
    uri
}
