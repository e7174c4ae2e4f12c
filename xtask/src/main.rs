//! `cargo xtask <task>`: the project's multi-step jobs, in plain Rust.
//!
//! Each task prints every command before it runs it, so a failing CI log says what failed.

mod android;
mod bindings;
mod cross;
mod desktop;
#[cfg(target_os = "linux")]
mod desktop_installed;
mod desktop_package;
mod fuzz;
mod ios;
mod kotlin;
mod outcome;
#[cfg(target_os = "linux")]
mod pixels;
mod python;
mod run;
mod screenshots;
mod services;
mod suites;
mod swift;
mod web_screenshots;
#[cfg(target_os = "linux")]
mod xdisplay;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test       run every test suite (formatting, lints, Rust, Kotlin, Swift, desktop, the
             installed desktop package, fuzz, cross-check)
  bindings   build the FFI library and generate the Kotlin and Swift bindings
  fuzz       run every fuzz target for a short while (as the test task does)
  desktop-test [CLASS]  only the desktop suite of `test`: Tessera Desktop's Compose UI
                    tests (or one test class) on a private X display and keyring (after `bindings`)
  cross-check       compile the phone library and the CLI for Android, iOS, macOS and Windows
  screenshots       render every Android screen to target/screenshots/android, the desktop
                    window's pages to target/screenshots/desktop, and every
                    Self Service page to target/screenshots/web (headless)
  desktop-package   build Tessera Desktop's installer with jpackage: target/desktop/*.deb on
                    Linux (.msi on Windows, .dmg on macOS)
  installed-test    install that .deb (as root), drive it on a private display, remove it
                    (the installed-desktop suite of `test`, alone)
  android-aar       build the Android library (needs the Android NDK and cargo-ndk)
  ios-xcframework   build TesseraFFI.xcframework for the Swift package (macOS with Xcode)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("test") => suites::run_all(&root),
        Some("bindings") => bindings::generate(&root).map(|dir| {
            println!("bindings generated; library in {}", dir.display());
        }),
        Some("fuzz") => fuzz::suite(&root).and_then(|outcome| match outcome.failed {
            0 => Ok(()),
            failed => Err(format!("{failed} fuzz targets failed")),
        }),
        Some("cross-check") => cross::command(&root),
        Some("desktop-test") => {
            desktop::suite(&root, args.get(1).map(String::as_str)).and_then(|outcome| {
                println!(
                    "{}: {} passed, {} failed",
                    outcome.name, outcome.passed, outcome.failed
                );
                match (outcome.passed, outcome.failed) {
                    (0, 0) => Err("the desktop suite ran no test".into()),
                    (_, 0) => Ok(()),
                    (_, failed) => Err(format!("{failed} desktop tests failed")),
                }
            })
        }
        Some("screenshots") => {
            screenshots::render(&root).and_then(|()| web_screenshots::render(&root))
        }
        Some("desktop-package") => desktop_package::build(&root).map(|_| ()),
        #[cfg(target_os = "linux")]
        Some("installed-test") => desktop_installed::run(&root),
        Some("android-aar") => android::aar(&root),
        Some("ios-xcframework") => ios::xcframework(&root),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace's folder: the parent of this crate's.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
