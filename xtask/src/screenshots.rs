//! `cargo xtask screenshots`: every page of the Android app rendered headless to
//! `target/screenshots/android/*.png`, Tessera Desktop's window pages to
//! `target/screenshots/desktop/*.png` (on a private X display, see `desktop`), and Google Play's listing images in the app's fastlane
//! folder (`images/icon.png`, `images/featureGraphic.png`, `images/phoneScreenshots/`), which are
//! build outputs (git-ignored).
//!
//! The pages are the common Compose screens (`android/ui`), compiled on the JVM with JetBrains'
//! Compose desktop artifacts and drawn by Skia into an offscreen image (no display needed). Their
//! state is real: the render test (`ScreensRenderTest`) drives the view models over a token it
//! makes in a temp folder through the bindings. Needs a JDK 17 and Maven, like the Kotlin suite.

use std::path::Path;
use std::process::Command;

use crate::kotlin::{REACTOR_POM, require_jvm_tools};
use crate::run::run_checked;

/// Where the pictures go, relative to the workspace root.
const OUT: &str = "target/screenshots/android";
const DESKTOP_OUT: &str = "target/screenshots/desktop";
/// Fewer pictures than this means pages went missing.
const AT_LEAST: usize = 6;
const DESKTOP_AT_LEAST: usize = 5;
/// The Play listing's images (fastlane supply's layout).
const STORE_IMAGES: &str = "android/app/fastlane/metadata/android/en-US/images";
/// The pages shown in the listing, in order (Play takes 2 to 8 phone screenshots).
const LISTING_PAGES: [&str; 6] = [
    "identity-list",
    "add-identity-scan",
    "challenge",
    "identity-details",
    "settings",
    "unlock",
];

pub fn render(root: &Path) -> Result<(), String> {
    require_jvm_tools()?;
    let native_dir = crate::bindings::generate(root)?;
    let out = root.join(OUT);
    let store = root.join(STORE_IMAGES);
    for dir in [&out, &store] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| format!("could not clear {}: {e}", dir.display()))?;
        }
    }
    run_checked(
        Command::new("mvn")
            .args(["-B", "-q", "-Dstyle.color=never", "-f"])
            .arg(root.join(REACTOR_POM))
            .args(["-pl", "ui", "-am", "test"])
            .args([
                "-Dtest=ScreensRenderTest,StoreGraphicsTest",
                "-Dsurefire.failIfNoSpecifiedTests=false",
            ])
            .arg(format!("-Dtessera.native.dir={}", native_dir.display()))
            .arg(format!("-Dtessera.screenshots.dir={}", out.display()))
            .arg(format!("-Dtessera.store.dir={}", store.display()))
            .current_dir(root),
    )?;
    let mut pictures: Vec<String> = std::fs::read_dir(&out)
        .map_err(|e| format!("no screenshots in {}: {e}", out.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".png"))
        .collect();
    pictures.sort();
    if pictures.len() < AT_LEAST {
        return Err(format!(
            "only {} screenshots in {} (expected at least {AT_LEAST})",
            pictures.len(),
            out.display()
        ));
    }
    println!("{} screenshots in {}:", pictures.len(), out.display());
    for name in &pictures {
        println!("  {name}");
    }
    let phone = store.join("phoneScreenshots");
    std::fs::create_dir_all(&phone)
        .map_err(|e| format!("could not create {}: {e}", phone.display()))?;
    for (n, page) in LISTING_PAGES.iter().enumerate() {
        let from = out.join(format!("{page}.png"));
        let to = phone.join(format!("{}_{page}.png", n + 1));
        std::fs::copy(&from, &to)
            .map_err(|e| format!("could not copy {} to {}: {e}", from.display(), to.display()))?;
    }
    println!(
        "Play listing images in {}: icon.png, featureGraphic.png, phoneScreenshots/ ({} pages)",
        store.display(),
        LISTING_PAGES.len()
    );
    desktop(root)
}

/// The desktop window's pages, after the phone's (the desktop library is built last).
fn desktop(root: &Path) -> Result<(), String> {
    let out = root.join(DESKTOP_OUT);
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("could not clear {}: {e}", out.display()))?;
    }
    crate::desktop::screenshots(root, &out)?;
    let count = std::fs::read_dir(&out)
        .map_err(|e| format!("no desktop screenshots in {}: {e}", out.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".png"))
        .count();
    if count < DESKTOP_AT_LEAST {
        return Err(format!(
            "only {count} desktop screenshots in {} (expected at least {DESKTOP_AT_LEAST})",
            out.display()
        ));
    }
    println!("{count} desktop screenshots in {}", out.display());
    Ok(())
}
