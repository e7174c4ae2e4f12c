//! `tessera backup verify FILE`: proves a backup opens with its password and lists what it
//! holds (names, kinds, issuers; never a secret), without touching the token.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use tessera_core::backup::{MAX_BACKUP_BYTES, SealedBackup};
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;
use crate::token::codes::kind_name;

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Check that a backup opens with its password and list what it holds (no secrets).
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The backup file.
    file: PathBuf,
    /// The backup password: `-` reads it from standard input. Left out, it is asked
    /// (TESSERA_BACKUP_PASSWORD without a terminal). Never the password itself: the process
    /// list and the shell history would keep it.
    #[arg(long)]
    password: Option<String>,
}

pub fn run(command: BackupCommand) -> Result<Zeroizing<String>, Refusal> {
    match command {
        BackupCommand::Verify(args) => verify(args),
    }
}

fn verify(args: VerifyArgs) -> Result<Zeroizing<String>, Refusal> {
    let bytes = read(&args.file)?;
    // The file is checked before the password is asked for: damage is reported at once.
    let sealed = SealedBackup::parse(&bytes)?;
    let password = pin::backup_password(args.password.as_deref())?;
    let contents = sealed.open_with(&sealed.derive_key(&password)?)?;
    let mut text = Zeroizing::new(String::new());
    for item in contents.items() {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            item.name,
            kind_name(item.kind),
            item.issuer.as_deref().unwrap_or("")
        ));
    }
    for skipped in &contents.skipped {
        text.push_str(&format!("cannot restore: {skipped}\n"));
    }
    let kdf = sealed.kdf();
    text.push_str(&format!(
        "{} opens with this password: {} identities{}, made at Unix time {} (key derivation: Argon2id, {} MiB, {}, {})\n",
        args.file.display(),
        contents.identities.len(),
        if contents.skipped.is_empty() {
            String::new()
        } else {
            format!(" and {} this version cannot restore", contents.skipped.len())
        },
        contents.created_at,
        kdf.memory_kib() / 1024,
        count(kdf.passes(), "pass", "passes"),
        count(kdf.lanes(), "lane", "lanes")
    ));
    Ok(text)
}

fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The file's bytes, refusing a file too large to be a backup without reading past the limit.
pub fn read(file: &Path) -> Result<Zeroizing<Vec<u8>>, Refusal> {
    crate::bounded_read::read_limited(file, MAX_BACKUP_BYTES)
        .map_err(|e| e.refusal(file, "a Tessera backup"))
}
