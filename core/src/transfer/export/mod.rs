//! Exporting identities to other authenticators: otpauth:// links, or Google Authenticator
//! export links (and their QR codes as PNG images), with a report of what was written and
//! what could not be, and why.
//!
//! Exports reveal secrets: every link and image is returned in a buffer wiped on drop, and
//! [`write_private_file`] writes them owner-only and crash-safe. What a format cannot carry is
//! skipped with a reason, never dropped silently:
//!
//! | identity | otpauth:// | Google export |
//! |---|---|---|
//! | TOTP | yes, any period and digits | 30 s with 6 or 8 digits only |
//! | HOTP | yes | 6 or 8 digits only |
//! | Steam | `otpauth://steam/...` as Aegis and 2FAS write it | no: Google has no Steam codes |
//! | OCRA | no standard form | no |
//! | IdentityGuard | no (serial, registration and unlock codes have no otpauth form) | no |
//!
//! OCRA and IdentityGuard identities move between devices in Tessera's own encrypted backup.

mod file;
mod qr;

pub use file::{ExportFileError, write_private_file};
pub use qr::{QrError, qr_png};

use zeroize::Zeroizing;

use super::google::{GoogleAccount, encode_migration_links};
use super::report::SkippedEntry;
use crate::identity::{Identity, IdentityKind, display_label};
use crate::provisioning::otpauth::{OtpAuth, OtpKind};

/// The link formats identities can be exported as (Tessera's own backup is one encrypted file,
/// not links: see `crate::backup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkFormat {
    /// One otpauth:// link per identity.
    Otpauth,
    /// Google Authenticator export links (otpauth-migration://), several accounts per link.
    Google,
}

/// What an export wrote and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// The identities written, as "Issuer: name" or the name, in token order.
    pub exported: Vec<String>,
    /// The identities not written, each with its reason.
    pub skipped: Vec<SkippedEntry>,
}

/// An export: the links, in order, and its report. `Debug` shows how many links there are,
/// never their content.
#[derive(Clone, PartialEq, Eq)]
pub struct Export {
    /// The links: one per identity (otpauth), or one per QR code (Google).
    pub links: Vec<Zeroizing<String>>,
    /// What was written and what was not.
    pub report: ExportReport,
}

impl std::fmt::Debug for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field(
                "links",
                &format_args!("<{} links redacted>", self.links.len()),
            )
            .field("report", &self.report)
            .finish()
    }
}

/// Why Tessera's backup is where an identity that cannot be exported goes.
const USE_BACKUP: &str = "Tessera's encrypted backup keeps it";

/// One otpauth:// link per identity that otpauth can describe.
pub fn export_otpauth(identities: &[Identity]) -> Export {
    let mut export = Export {
        links: Vec::new(),
        report: ExportReport::default(),
    };
    for identity in identities {
        match otpauth_of(identity) {
            Ok(otp) => {
                export.links.push(otp.to_uri());
                export.report.exported.push(label(identity));
            }
            Err(reason) => export.report.skipped.push(skip(identity, reason)),
        }
    }
    export
}

/// Google Authenticator export links for the identities Google can hold, all with
/// `batch_id` (the session passes a random one).
pub fn export_google(identities: &[Identity], batch_id: i32) -> Export {
    let mut accounts = Vec::new();
    let mut report = ExportReport::default();
    for identity in identities {
        match google_of(identity) {
            Ok(account) => {
                accounts.push(account);
                report.exported.push(label(identity));
            }
            Err(reason) => report.skipped.push(skip(identity, reason)),
        }
    }
    Export {
        links: encode_migration_links(&accounts, batch_id),
        report,
    }
}

fn otpauth_of(identity: &Identity) -> Result<OtpAuth, String> {
    let (kind, secret, algorithm, digits) = match &identity.kind {
        IdentityKind::Totp { secret, params } => (
            OtpKind::Totp {
                period: params.period,
            },
            secret,
            params.algorithm,
            params.digits,
        ),
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => (
            OtpKind::Hotp { counter: *counter },
            secret,
            *algorithm,
            *digits,
        ),
        IdentityKind::Steam { secret } => (OtpKind::Steam, secret, crate::Algorithm::Sha1, 5),
        other => return Err(not_standard(other, "otpauth:// links")),
    };
    Ok(OtpAuth {
        kind,
        account: identity.name.clone(),
        issuer: identity.issuer.clone(),
        secret: secret.clone(),
        algorithm,
        digits,
    })
}

fn google_of(identity: &Identity) -> Result<GoogleAccount, String> {
    let digits_of = |digits: u8| match digits {
        6 => Ok(false),
        8 => Ok(true),
        other => Err(format!(
            "it has {other}-digit codes, and Google Authenticator exports have 6 or 8"
        )),
    };
    let (secret, algorithm, eight_digits, counter) = match &identity.kind {
        IdentityKind::Totp { secret, params } => {
            if params.period != 30 {
                return Err(format!(
                    "its codes change every {} seconds, and Google Authenticator exports only have 30-second codes",
                    params.period
                ));
            }
            (secret, params.algorithm, digits_of(params.digits)?, None)
        }
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => {
            let counter = i64::try_from(*counter).map_err(|_| {
                "its counter is larger than a Google Authenticator export can hold".to_string()
            })?;
            (secret, *algorithm, digits_of(*digits)?, Some(counter))
        }
        IdentityKind::Steam { .. } => {
            return Err(
                "it makes Steam Guard codes, which Google Authenticator cannot; export it as otpauth:// links instead"
                    .to_string(),
            );
        }
        other => return Err(not_standard(other, "Google Authenticator exports")),
    };
    Ok(GoogleAccount {
        account: identity.name.clone(),
        issuer: identity.issuer.clone(),
        secret: secret.clone(),
        algorithm,
        eight_digits,
        counter,
    })
}

/// The reason for OCRA and IdentityGuard identities, which no other app's format describes.
fn not_standard(kind: &IdentityKind, format: &str) -> String {
    let what = match kind {
        IdentityKind::IdentityGuard(_) => {
            "it is an IdentityGuard identity (its serial number, registration and unlock codes)"
        }
        _ => "it answers OCRA challenges",
    };
    format!("{what}, which {format} cannot describe; {USE_BACKUP}")
}

fn label(identity: &Identity) -> String {
    display_label(identity.issuer.as_deref(), &identity.name)
}

fn skip(identity: &Identity, reason: String) -> SkippedEntry {
    SkippedEntry {
        name: label(identity),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretBytes;
    use crate::codes::{Algorithm, TotpParams};

    fn identity(name: &str, kind: IdentityKind) -> Identity {
        Identity {
            id: name.to_string(),
            name: name.to_string(),
            issuer: None,
            kind,
            added_at: 0,
        }
    }

    fn secret() -> SecretBytes {
        SecretBytes::new(vec![7; 20])
    }

    #[test]
    fn google_skips_seven_digits_and_counters_it_cannot_hold() {
        let seven = identity(
            "seven",
            IdentityKind::Totp {
                secret: secret(),
                params: TotpParams::new(Algorithm::Sha1, 7, 30).unwrap(),
            },
        );
        let huge = identity(
            "huge",
            IdentityKind::Hotp {
                secret: secret(),
                algorithm: Algorithm::Sha1,
                digits: 6,
                counter: u64::MAX,
            },
        );
        let export = export_google(&[seven.clone(), huge.clone()], 1);
        assert!(export.links.is_empty());
        let reasons: Vec<String> = export
            .report
            .skipped
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            reasons,
            [
                "seven: it has 7-digit codes, and Google Authenticator exports have 6 or 8",
                "huge: its counter is larger than a Google Authenticator export can hold",
            ]
        );
        // otpauth:// carries both.
        let export = export_otpauth(&[seven, huge]);
        assert_eq!(export.report.exported, ["seven", "huge"]);
        assert!(export.links[1].ends_with("&counter=18446744073709551615"));
    }
}
