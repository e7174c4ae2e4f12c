//! The temporary folder of one server: its cluster (`data/`), its Unix socket and its log. Made
//! by the account that runs the server (PostgreSQL wants its data folder to be its own) and
//! removed with everything in it when dropped, also when the test that made it panics.

use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::command::run;

/// One server's private folder (mode 0700, owned by the account that runs the server).
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
}

impl Folder {
    /// A new empty folder under `$TMPDIR` (or `/tmp`).
    pub fn create(account: &Account) -> Result<Self, String> {
        let mut mktemp = account.command("mktemp");
        mktemp.args(["-d", "-t", "tessera-pg.XXXXXXXX"]);
        let made = run(&mut mktemp, "mktemp -d (the server's folder)")?;
        let path = PathBuf::from(made.trim());
        // The folder is handed to pg_ctl inside a shell command line (`pg_ctl -o`).
        if path.to_str().is_none_or(|text| text.contains('\'')) {
            let folder = Self { path };
            return Err(format!(
                "the temporary folder {} has a name pg_ctl cannot be given; set TMPDIR to a plain path",
                folder.path.display()
            ));
        }
        Ok(Self { path })
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the folder and everything in it; already gone is fine.
    pub fn remove(&self) -> Result<(), String> {
        match std::fs::remove_dir_all(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("could not remove {}: {e}", self.path.display())),
        }
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        if let Err(message) = self.remove() {
            eprintln!("tessera-pg-harness: {message}");
        }
    }
}
