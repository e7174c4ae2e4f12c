//! `tessera export --format tessera --out FILE [--force] [--password -]`: every identity in
//! Tessera's encrypted backup (docs/backup-format.md). The PIN is asked first (to unlock), then
//! the backup password twice; the core's `Session::export_backup` checks the password's rules
//! and confirmation, then the PIN again, then seals. The file is written owner-only and whole,
//! or not at all.

use std::path::PathBuf;

use tessera_core::crypto::KdfParams;
use tessera_core::identity::display_label;
use tessera_core::transfer::export::write_private_file;
use zeroize::Zeroizing;

use super::targets::refuse_existing;
use crate::pin;
use crate::refusal::Refusal;

/// `out`, `force` and `password` are the export's options of those names.
pub fn run(
    home: PathBuf,
    out: Option<PathBuf>,
    force: bool,
    password: Option<&str>,
) -> Result<Zeroizing<String>, Refusal> {
    let out = out.ok_or_else(|| {
        Refusal::new("--format tessera needs --out FILE: a backup is a binary file, not text for the terminal")
    })?;
    refuse_existing(std::slice::from_ref(&out), force)?;
    let session = super::session(home);
    let pin = super::unlock(&session)?;
    let (password, confirmation) = pin::new_backup_password(password)?;
    let backup = session
        .export_backup(&pin, &password, &confirmation, KdfParams::RECOMMENDED)
        .map_err(super::explain)?;
    write_private_file(&out, &backup.file, force)?;
    let mut text = Zeroizing::new(String::new());
    for item in &backup.items {
        let label = display_label(item.issuer.as_deref(), &item.name);
        text.push_str(&format!("backed up: {label}\n"));
    }
    text.push_str(&format!(
        "{} identities written to {}; it opens with the backup password alone, on any device: keep both safe\n",
        backup.items.len(),
        out.display()
    ));
    Ok(text)
}
