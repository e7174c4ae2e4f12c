//! The files an export writes: checked before anything is written, so an existing file is
//! refused with the option that would replace it, whichever format the export is in.

use std::path::PathBuf;

use crate::refusal::Refusal;

/// Without `--force`, the first of `paths` that exists (a link of that name counts); the core
/// refuses it too when writing, this only words it with the option.
pub(super) fn refuse_existing(paths: &[PathBuf], force: bool) -> Result<(), Refusal> {
    match paths
        .iter()
        .find(|p| !force && p.symlink_metadata().is_ok())
    {
        Some(existing) => Err(Refusal::new(format!(
            "{} already exists; nothing was written (pass --force to replace it)",
            existing.display()
        ))),
        None => Ok(()),
    }
}
