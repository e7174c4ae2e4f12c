//! Google Authenticator exports: `otpauth-migration://offline?data=...` links, one per QR code
//! of Google's "Transfer accounts" screen, read and written.
//!
//! # Reading
//!
//! [`decode_migration_link`] decodes one link into a [`MigrationBatch`] (its accounts and the
//! export's `batch_*` header), or refuses it with a [`MigrationError`] naming the part of the
//! link or the payload field that is broken. The importer ([`super::parse_import`]) reads a
//! text file with one link per line:
//!
//! - A link that cannot be decoded (cut short, changed, not base64) stops the import with the
//!   line and the error: it is the QR code to scan again, and nothing is imported meanwhile.
//! - An account Tessera cannot use is skipped with its reason, never dropped: MD5, a value of
//!   `algorithm`, `digits` or `type` Google never defined, a secret too short or too long.
//! - Unspecified (0) values get the defaults Google and Aegis use: SHA1, 6 digits, TOTP. The
//!   payload has no period: Google's codes are always 30 s.
//! - Google keeps the otpauth label it was given in `name` (often `Issuer:account`). The
//!   account name and issuer are read from it and `issuer` by the otpauth label rules
//!   ([`crate::provisioning::otpauth`]): `ACME Co:john@example.com` with issuer `ACME Co` is
//!   account `john@example.com` of `ACME Co`, and with no issuer the part before the first `:`
//!   is the issuer (`encoding: ¿äÄéÉ? (demo)` is account `¿äÄéÉ? (demo)` of `encoding`), as
//!   Aegis reads it and as the same label in an otpauth:// link would be read.
//! - An export of several QR codes carries `batch_size` > 1 and one `batch_id` on each.
//!   Parts are grouped by `batch_id`. When parts are missing, the parts present **are**
//!   imported and the report names the missing ones (as a skipped line saying which QR codes
//!   to scan): importing the rest later is safe, because accounts already on the token are
//!   skipped, and refusing would leave a person who lost one QR code with nothing. A part
//!   given twice is read once.
//!
//! # Writing
//!
//! [`encode_migration_links`] writes accounts as links of at most [`ACCOUNTS_PER_QR`]
//! accounts each, with `version` 1, `batch_size`, `batch_index` and one random `batch_id`.

mod encode;
mod import;
pub(super) mod link;
mod proto;

pub use encode::{ACCOUNTS_PER_QR, GoogleAccount, encode_migration_links};
pub use link::{MAX_BATCH_SIZE, MigrationError};

pub(super) use import::parse;

use crate::SecretBytes;
use crate::codes::Algorithm;
use crate::provisioning::otpauth::split_names;

use super::entry::{Kind, build_entry};
use super::report::ImportedEntry;

/// One QR code of an export: its accounts, in order, and the export's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    /// `version` (Google writes 1; 0 when absent).
    pub version: i32,
    /// `batch_size`: how many QR codes the export has (0 or 1: this one only).
    pub batch_size: i32,
    /// `batch_index`: this QR code's position, from 0.
    pub batch_index: i32,
    /// `batch_id`: the same on every QR code of one export.
    pub batch_id: i32,
    /// The accounts, as the payload has them.
    pub accounts: Vec<MigrationAccount>,
}

/// One account of an export, field by field as the payload has it. `Debug` never shows the
/// secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationAccount {
    /// `secret`.
    pub secret: SecretBytes,
    /// `name`: the otpauth label Google was given (`Issuer:account` or just the account).
    pub name: String,
    /// `issuer`, empty when absent.
    pub issuer: String,
    /// `algorithm`.
    pub algorithm: GoogleAlgorithm,
    /// `digits`.
    pub digits: GoogleDigits,
    /// `type`.
    pub otp_type: GoogleOtpType,
    /// `counter` (HOTP).
    pub counter: i64,
}

/// The `algorithm` enum of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleAlgorithm {
    /// 0: not said; read as SHA1.
    Unspecified,
    /// 1.
    Sha1,
    /// 2.
    Sha256,
    /// 3.
    Sha512,
    /// 4: Tessera does not compute MD5 codes.
    Md5,
    /// Any other value.
    Unknown(i32),
}

/// The `digits` enum of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleDigits {
    /// 0: not said; read as 6.
    Unspecified,
    /// 1.
    Six,
    /// 2.
    Eight,
    /// Any other value.
    Unknown(i32),
}

/// The `type` enum of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleOtpType {
    /// 0: not said; read as TOTP.
    Unspecified,
    /// 1.
    Hotp,
    /// 2.
    Totp,
    /// Any other value.
    Unknown(i32),
}

/// Decodes one `otpauth-migration://` link.
pub fn decode_migration_link(uri: &str) -> Result<MigrationBatch, MigrationError> {
    let payload = link::read_payload(uri)?;
    Ok(MigrationBatch {
        version: payload.version,
        batch_size: payload.batch_size,
        batch_index: payload.batch_index,
        batch_id: payload.batch_id,
        accounts: payload
            .otp_parameters
            .iter()
            .map(MigrationAccount::from_proto)
            .collect(),
    })
}

impl MigrationAccount {
    fn from_proto(otp: &proto::OtpParameters) -> Self {
        Self {
            secret: SecretBytes::new(otp.secret.clone()),
            name: otp.name.clone(),
            issuer: otp.issuer.clone(),
            algorithm: match otp.algorithm {
                proto::ALGORITHM_UNSPECIFIED => GoogleAlgorithm::Unspecified,
                proto::ALGORITHM_SHA1 => GoogleAlgorithm::Sha1,
                proto::ALGORITHM_SHA256 => GoogleAlgorithm::Sha256,
                proto::ALGORITHM_SHA512 => GoogleAlgorithm::Sha512,
                proto::ALGORITHM_MD5 => GoogleAlgorithm::Md5,
                other => GoogleAlgorithm::Unknown(other),
            },
            digits: match otp.digits {
                proto::DIGITS_UNSPECIFIED => GoogleDigits::Unspecified,
                proto::DIGITS_SIX => GoogleDigits::Six,
                proto::DIGITS_EIGHT => GoogleDigits::Eight,
                other => GoogleDigits::Unknown(other),
            },
            otp_type: match otp.r#type {
                proto::TYPE_UNSPECIFIED => GoogleOtpType::Unspecified,
                proto::TYPE_HOTP => GoogleOtpType::Hotp,
                proto::TYPE_TOTP => GoogleOtpType::Totp,
                other => GoogleOtpType::Unknown(other),
            },
            counter: otp.counter,
        }
    }

    /// The identity this account becomes, or why it cannot be one.
    pub fn to_entry(&self) -> Result<ImportedEntry, String> {
        let algorithm = match self.algorithm {
            GoogleAlgorithm::Unspecified | GoogleAlgorithm::Sha1 => Algorithm::Sha1,
            GoogleAlgorithm::Sha256 => Algorithm::Sha256,
            GoogleAlgorithm::Sha512 => Algorithm::Sha512,
            GoogleAlgorithm::Md5 => {
                return Err(
                    "it uses the MD5 algorithm, which Tessera does not support (SHA1, SHA256 and SHA512 are)"
                        .to_string(),
                );
            }
            GoogleAlgorithm::Unknown(value) => {
                return Err(format!(
                    "its algorithm is {value}, a value Google Authenticator does not define"
                ));
            }
        };
        let digits = match self.digits {
            GoogleDigits::Unspecified | GoogleDigits::Six => 6,
            GoogleDigits::Eight => 8,
            GoogleDigits::Unknown(value) => {
                return Err(format!(
                    "its number of digits is given as {value}, a value Google Authenticator does not define"
                ));
            }
        };
        let kind = match self.otp_type {
            GoogleOtpType::Unspecified | GoogleOtpType::Totp => Kind::Totp { period: 30 },
            GoogleOtpType::Hotp => Kind::Hotp {
                counter: u64::try_from(self.counter)
                    .map_err(|_| format!("its counter is negative ({})", self.counter))?,
            },
            GoogleOtpType::Unknown(value) => {
                return Err(format!(
                    "its type is {value}, a value Google Authenticator does not define (1 is HOTP, 2 is TOTP)"
                ));
            }
        };
        if self.name.trim().is_empty() && self.issuer.trim().is_empty() {
            return Err("it has neither a name nor an issuer".to_string());
        }
        let issuer = Some(self.issuer.as_str()).filter(|i| !i.trim().is_empty());
        let (account, issuer) =
            split_names(&self.name, issuer, &mut Vec::new()).map_err(|e| e.to_string())?;
        build_entry(
            Some(&account),
            issuer.as_deref(),
            self.secret.clone(),
            kind,
            algorithm,
            digits,
        )
    }
}
