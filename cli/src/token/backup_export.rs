//! `tessera export --format tessera --out FILE [--force] [--password -]`: every identity in
//! Tessera's encrypted backup (docs/backup-format.md). The PIN is asked first (the token's
//! secrets are read), then the backup password twice; the core checks its rules and the
//! confirmation. The file is written owner-only and whole, or not at all.

use std::path::PathBuf;

use tessera_core::backup::BackupKey;
use tessera_core::identity::display_label;
use tessera_core::transfer::export::write_private_file;
use tessera_core::vault::KdfParams;
use zeroize::Zeroizing;

use super::export::{ExportArgs, refuse_existing};
use crate::pin;
use crate::refusal::Refusal;

pub fn run(home: PathBuf, args: ExportArgs) -> Result<Zeroizing<String>, Refusal> {
    let out = args.out.ok_or_else(|| {
        Refusal::new("--format tessera needs --out FILE: a backup is a binary file, not text for the terminal")
    })?;
    refuse_existing(std::slice::from_ref(&out), args.force)?;
    let session = super::session(home);
    let pin = super::unlock(&session)?;
    let (password, confirmation) = pin::new_backup_password(args.password.as_deref())?;
    let key = BackupKey::for_new_backup(&password, &confirmation, KdfParams::RECOMMENDED)?;
    let contents = session.backup_contents(&pin).map_err(super::explain)?;
    let file = key.seal(&contents)?;
    write_private_file(&out, &file, args.force)?;
    let mut text = Zeroizing::new(String::new());
    for item in contents.items() {
        let label = display_label(item.issuer.as_deref(), &item.name);
        text.push_str(&format!("backed up: {label}\n"));
    }
    text.push_str(&format!(
        "{} identities written to {}; it opens with the backup password alone, on any device: keep both safe\n",
        contents.identities.len(),
        out.display()
    ));
    Ok(text)
}
