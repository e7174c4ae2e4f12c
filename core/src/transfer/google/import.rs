//! A text file of export links, one per line, read into an import report; the rules are in
//! the parent module's documentation.

use std::collections::BTreeMap;

use super::{MigrationBatch, decode_migration_link};
use crate::transfer::entry::{Collector, entry_from_otpauth, entry_label, otpauth_label};
use crate::transfer::report::{ImportError, ImportReport, SkippedEntry};

/// The QR codes of one export of several: which lines hold which part.
#[derive(Default)]
struct Export {
    /// Part index to the line it was read from.
    parts: BTreeMap<i32, usize>,
}

pub(crate) fn parse(text: &str) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    let mut exports: BTreeMap<(i32, i32), Export> = BTreeMap::new();
    let mut repeats = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        let number = index + 1;
        if line.is_empty() {
            continue;
        }
        let scheme = line.get(..line.find("://").unwrap_or(0)).unwrap_or("");
        if scheme.eq_ignore_ascii_case("otpauth") {
            let position = format!("line {number}");
            out.push(|| otpauth_label(line, &position), entry_from_otpauth(line));
            continue;
        }
        if !scheme.eq_ignore_ascii_case("otpauth-migration") {
            out.report.skipped.push(SkippedEntry {
                name: format!("line {number}"),
                reason: "it is not a Google Authenticator export link (otpauth-migration://) or an otpauth:// link".to_string(),
            });
            continue;
        }
        let batch = decode_migration_link(line).map_err(|error| ImportError::MigrationLink {
            line: number,
            error,
        })?;
        if batch.batch_size > 1 {
            let export = exports
                .entry((batch.batch_id, batch.batch_size))
                .or_default();
            if let Some(first) = export.parts.get(&batch.batch_index) {
                repeats.push(SkippedEntry {
                    name: format!("line {number}"),
                    reason: format!(
                        "it is QR code {} of {} of the export on line {first} again; its accounts were read once",
                        batch.batch_index + 1,
                        batch.batch_size
                    ),
                });
                continue;
            }
            export.parts.insert(batch.batch_index, number);
        }
        read_accounts(&mut out, &batch, number);
    }
    out.report.skipped.append(&mut repeats);
    for ((_, size), export) in &exports {
        if let Some(skip) = missing_parts(*size, export) {
            out.report.skipped.push(skip);
        }
    }
    out.finish()
}

fn read_accounts(out: &mut Collector, batch: &MigrationBatch, line: usize) {
    out.read_each(&batch.accounts, |index, account| {
        // Google's name often starts with the issuer already ("ACME:bob").
        let issuer = Some(account.issuer.as_str()).filter(|i| !account.name.starts_with(i));
        let label = entry_label(
            issuer,
            Some(&account.name),
            &format!("line {line}, account {}", index + 1),
        );
        Some((label, account.to_entry()))
    });
}

/// The note for an export of `size` QR codes some of which were not given.
fn missing_parts(size: i32, export: &Export) -> Option<SkippedEntry> {
    // Runs of consecutive missing parts, 1-based: "2", "4, 5", "7 to 9".
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for index in (0..size).filter(|index| !export.parts.contains_key(index)) {
        match runs.last_mut() {
            Some((_, end)) if *end == index => *end = index + 1,
            _ => runs.push((index + 1, index + 1)),
        }
    }
    let count: i32 = runs.iter().map(|(start, end)| end - start + 1).sum();
    if count == 0 {
        return None;
    }
    let missing: Vec<String> = runs
        .iter()
        .flat_map(|&(start, end)| {
            if end - start >= 2 {
                vec![format!("{start} to {end}")]
            } else {
                (start..=end).map(|part| part.to_string()).collect()
            }
        })
        .collect();
    let lines: Vec<String> = export.parts.values().map(usize::to_string).collect();
    let (codes, them) = if count == 1 {
        ("QR code", "it")
    } else {
        ("QR codes", "them")
    };
    Some(SkippedEntry {
        name: format!(
            "the Google Authenticator export of {size} QR codes (line{} {})",
            if lines.len() == 1 { "" } else { "s" },
            join(&lines)
        ),
        reason: format!(
            "{codes} {} of {size} {} missing, so the accounts on {them} were not imported; \
             scan {them} too and import again (accounts already on the token are skipped)",
            join(&missing),
            if count == 1 { "is" } else { "are" },
        ),
    })
}

/// "1", "1 and 2", "1, 2 and 3".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
