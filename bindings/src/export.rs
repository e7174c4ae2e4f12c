//! `TokenSession::export`: the token's identities with their secrets, as links, QR images or
//! Tessera's encrypted backup. The core checks the PIN again, the backup password's rules and
//! its confirmation; this only picks the core calls and copies their results into the record.

use tessera_core::crypto::KdfParams;
use tessera_core::identity::display_label;
use tessera_core::session::Session;
use tessera_core::transfer::export::{self as core_export, LinkFormat};
use zeroize::Zeroizing;

use crate::error::{TokenError, input};
use crate::field::InputField;
use crate::transfer::{ExportFormat, ExportResult};

pub(crate) fn export(
    session: &Session,
    format: ExportFormat,
    pin: &str,
    backup_password: Option<String>,
    backup_password_confirmation: Option<String>,
) -> Result<ExportResult, TokenError> {
    let backup_password = backup_password.map(Zeroizing::new);
    let confirmation = backup_password_confirmation.map(Zeroizing::new);
    let links_format = match format {
        ExportFormat::Otpauth => LinkFormat::Otpauth,
        ExportFormat::Google => LinkFormat::Google,
        ExportFormat::Tessera => return backup(session, pin, backup_password, confirmation),
    };
    if backup_password.is_some() || confirmation.is_some() {
        return Err(input(
            InputField::BackupPassword,
            "a backup password applies to Tessera backups only: otpauth and Google exports are not encrypted",
        ));
    }
    let export = session.export(links_format, pin)?;
    let qr_codes = match format {
        ExportFormat::Google => export
            .links
            .iter()
            .map(|link| core_export::qr_png(link).map(|png| png.to_vec()))
            .collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
    Ok(ExportResult {
        format,
        links: export.links.iter().map(|link| link.to_string()).collect(),
        qr_codes,
        backup: None,
        exported: export.report.exported,
        skipped: export.report.skipped,
    })
}

/// The core's one backup sequence ([`Session::export_backup`]): the password's rules before the
/// PIN, the key derivation after it.
fn backup(
    session: &Session,
    pin: &str,
    password: Option<Zeroizing<String>>,
    confirmation: Option<Zeroizing<String>>,
) -> Result<ExportResult, TokenError> {
    let password = password.ok_or_else(|| {
        input(
            InputField::BackupPassword,
            "a backup needs a password: choose one of at least 12 characters",
        )
    })?;
    let confirmation = confirmation.ok_or_else(|| {
        input(
            InputField::BackupPasswordConfirmation,
            "type the backup password a second time to confirm it",
        )
    })?;
    let backup = session.export_backup(pin, &password, &confirmation, KdfParams::RECOMMENDED)?;
    let exported = backup
        .items
        .iter()
        .map(|item| display_label(item.issuer.as_deref(), &item.name))
        .collect();
    Ok(ExportResult {
        format: ExportFormat::Tessera,
        links: Vec::new(),
        qr_codes: Vec::new(),
        backup: Some(backup.file),
        exported,
        skipped: Vec::new(),
    })
}
