//! `tessera export --format otpauth|google|tessera [--out FILE] [--qr] [--force]`: the
//! identities, with their secrets, in another app's format, or in Tessera's encrypted backup
//! (see `backup_export`).
//!
//! Links go to stdout (one per line) without `--out`, and the report (what was exported, what
//! was skipped and why) to stderr, so the links can be piped. With `--out` they go to FILE,
//! owner-only and written whole or not at all, and the report to stdout. `--qr` writes each
//! link as a QR code PNG instead: FILE itself when there is one, else FILE's name numbered
//! (`codes.png` gives `codes-1.png`, `codes-2.png`...). An existing file is never replaced
//! without `--force`; every target is checked before anything is written.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use tessera_core::transfer::export::{
    Export, ExportReport, LinkFormat, qr_png, write_private_file,
};
use zeroize::Zeroizing;

use super::targets::refuse_existing;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format: otpauth:// links, Google Authenticator export links, or Tessera's own
    /// encrypted backup (every identity; needs --out).
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (default: the links on stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write QR code PNG images instead of links (needs --out).
    #[arg(long, requires = "out")]
    qr: bool,
    /// Replace files that already exist.
    #[arg(long)]
    force: bool,
    /// The backup password, for --format tessera: `-` reads it from standard input. Left out,
    /// it is asked twice (TESSERA_BACKUP_PASSWORD without a terminal). Never the password
    /// itself: the process list and the shell history would keep it.
    #[arg(long)]
    password: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Otpauth,
    Google,
    Tessera,
}

pub fn run(home: PathBuf, args: ExportArgs) -> Result<Zeroizing<String>, Refusal> {
    let format = match args.format {
        FormatArg::Otpauth => LinkFormat::Otpauth,
        FormatArg::Google => LinkFormat::Google,
        FormatArg::Tessera if args.qr => {
            return Err(Refusal::new(
                "--qr does not apply to --format tessera: a backup is one encrypted file",
            ));
        }
        FormatArg::Tessera => {
            return super::backup_export::run(home, args.out, args.force, args.password.as_deref());
        }
    };
    if args.password.is_some() {
        return Err(Refusal::new(
            "--password applies to --format tessera only: otpauth and Google exports are not encrypted",
        ));
    }
    let session = super::session(home);
    let pin = super::unlock(&session)?;
    let export = session.export(format, &pin).map_err(super::explain)?;
    if export.links.is_empty() {
        return Err(nothing_exported(&export.report));
    }
    let report = report_text(&export.report);
    match (&args.out, args.qr) {
        (None, _) => {
            eprint!("{}", report.as_str());
            Ok(links_text(&export))
        }
        (Some(out), false) => {
            refuse_existing(std::slice::from_ref(out), args.force)?;
            write_private_file(out, links_text(&export).as_bytes(), args.force)?;
            Ok(report)
        }
        (Some(out), true) => {
            let written = write_images(out, &export, args.force)?;
            let mut text = report;
            for path in written {
                text.push_str(&format!("wrote: {}\n", path.display()));
            }
            Ok(text)
        }
    }
}

fn links_text(export: &Export) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(
        export.links.iter().map(|link| link.len() + 1).sum(),
    ));
    for link in &export.links {
        text.push_str(link);
        text.push('\n');
    }
    text
}

fn report_text(report: &ExportReport) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::new());
    for name in &report.exported {
        text.push_str(&format!("exported: {name}\n"));
    }
    for skipped in &report.skipped {
        text.push_str(&format!("skipped: {skipped}\n"));
    }
    text.push_str(&format!(
        "{} exported, {} skipped\n",
        report.exported.len(),
        report.skipped.len()
    ));
    text
}

fn nothing_exported(report: &ExportReport) -> Refusal {
    let reasons: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    if reasons.is_empty() {
        return Refusal::new("nothing to export: the token has no identities");
    }
    Refusal::new(format!(
        "nothing to export in this format: {}",
        reasons.join("; ")
    ))
}

/// Where image `index` (from 0) of `count` goes.
fn image_path(out: &Path, index: usize, count: usize) -> PathBuf {
    if count == 1 {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match out.extension() {
        Some(ext) => format!("{stem}-{}.{}", index + 1, ext.to_string_lossy()),
        None => format!("{stem}-{}", index + 1),
    };
    out.with_file_name(name)
}

/// Writes every image, or none: targets are checked first, and images written before a
/// failure are removed.
fn write_images(out: &Path, export: &Export, force: bool) -> Result<Vec<PathBuf>, Refusal> {
    let count = export.links.len();
    let paths: Vec<PathBuf> = (0..count).map(|i| image_path(out, i, count)).collect();
    refuse_existing(&paths, force)?;
    let mut written = Vec::new();
    for (link, path) in export.links.iter().zip(&paths) {
        let result = qr_png(link)
            .map_err(Refusal::from)
            .and_then(|png| write_private_file(path, &png, force).map_err(Refusal::from));
        if let Err(error) = result {
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(error);
        }
        written.push(path.clone());
    }
    Ok(written)
}
