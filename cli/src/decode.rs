//! `tessera decode URI`: what a provisioning link would add, as JSON, without adding it.
//!
//! The output never contains an otpauth secret (only its strength in bits); an IdentityGuard
//! link's activation code is shown, because typing it is the point of decoding such a link.

use clap::Args;
use serde::Serialize;
use tessera_core::provisioning::{self, LinkError, OtpKind, Provisioning};
use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::secret::{DECODED_LINK, LINK_PASSWORD};

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// An otpauth:// or igmobileotp:// URI; `-` reads it from standard input. Left out, it is
    /// asked (TESSERA_URI without a terminal).
    uri: Option<String>,
    /// The password that came with an igmobileotp:// link; `-` reads it from standard input.
    /// Left out, it is asked when the link needs it (TESSERA_LINK_PASSWORD without a terminal).
    #[arg(long)]
    password: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Decoded {
    Otpauth {
        kind: &'static str,
        account: String,
        issuer: Option<String>,
        algorithm: &'static str,
        digits: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        period: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        counter: Option<u64>,
        secret_bits: usize,
        warnings: Vec<String>,
    },
    Identityguard {
        serial: String,
        activation_code: String,
        policy: Option<String>,
        address: Option<String>,
        name: Option<String>,
        /// Only links from Tessera's issuer carry a suite; others keep their old shape.
        #[serde(skip_serializing_if = "Option::is_none")]
        ocra: Option<String>,
    },
}

pub fn run(args: DecodeArgs) -> Result<Zeroizing<String>, Refusal> {
    let uri = DECODED_LINK.read(args.uri.as_deref())?;
    crate::token::import::refuse_export_link(&uri)?;
    let provisioning = match provisioning::decode_uri(&uri, None) {
        Err(LinkError::PasswordNeeded) => {
            let password = LINK_PASSWORD.read(args.password.as_deref())?;
            provisioning::decode_uri(&uri, Some(&password))?
        }
        other => other?,
    };
    let decoded = match provisioning {
        Provisioning::Otpauth(parsed) => {
            let otp = &parsed.otp;
            let (kind, period, counter) = match otp.kind {
                OtpKind::Totp { period } => ("totp", Some(period), None),
                OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
                OtpKind::Steam => ("steam", Some(30), None),
            };
            Decoded::Otpauth {
                kind,
                account: otp.account.clone(),
                issuer: otp.issuer.clone(),
                algorithm: otp.algorithm.as_str(),
                digits: otp.digits,
                period,
                counter,
                secret_bits: otp.secret.bits(),
                warnings: parsed.warnings.iter().map(ToString::to_string).collect(),
            }
        }
        Provisioning::IdentityGuard(link) => Decoded::Identityguard {
            serial: link.serial.to_string(),
            activation_code: link.activation.to_string(),
            name: link.name(),
            policy: link.policy.clone(),
            address: link.address.clone(),
            ocra: link.ocra.clone(),
        },
    };
    let json = serde_json::to_string_pretty(&decoded).map_err(|e| Refusal::new(e.to_string()))?;
    Ok(Zeroizing::new(json + "\n"))
}
