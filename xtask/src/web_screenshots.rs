//! The Self Service pages' half of `cargo xtask screenshots`: every page at phone and desktop
//! widths, drawn by headless Chromium against a real tessera-server, to
//! `target/screenshots/web/PAGE-WIDTH.png` (the browser test `web_screenshots` walks the pages
//! and writes them where TESSERA_WEB_SCREENSHOTS says).

use std::path::Path;
use std::process::Command;

use crate::run::run_checked;
use crate::services::ensure_test_services;

/// Where the pictures go, relative to the workspace root.
const OUT: &str = "target/screenshots/web";
/// Fewer pictures than this (pages times two widths) means pages went missing.
const AT_LEAST: usize = 2 * 18;

pub fn render(root: &Path) -> Result<(), String> {
    ensure_test_services(root)?;
    let out = root.join(OUT);
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("could not clear {}: {e}", out.display()))?;
    }
    run_checked(
        Command::new("cargo")
            .args(["test", "-p", "tessera-server", "--test", "web_screenshots"])
            .env("TESSERA_WEB_SCREENSHOTS", &out)
            .current_dir(root),
    )?;
    let count = std::fs::read_dir(&out)
        .map_err(|e| format!("no screenshots in {}: {e}", out.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".png"))
        .count();
    if count < AT_LEAST {
        return Err(format!(
            "only {count} web screenshots in {} (expected at least {AT_LEAST})",
            out.display()
        ));
    }
    println!("{count} web screenshots in {}", out.display());
    Ok(())
}
