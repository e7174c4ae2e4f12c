//! `cargo xtask <task>`: the project's multi-step jobs, in plain Rust.
//!
//! Each task prints every command before it runs it, so a failing CI log says what failed.

mod android;
mod bindings;
mod cross;
mod fuzz;
mod ios;
mod kotlin;
mod outcome;
mod python;
mod run;
mod screenshots;
mod services;
mod suites;
mod swift;
mod web_screenshots;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test       run every test suite (formatting, lints, Rust, Kotlin, Swift, fuzz,
             cross-check)
  bindings   build the FFI library and generate the Kotlin and Swift bindings
  fuzz       run every fuzz target for a short while (as the test task does)
  cross-check       compile the phone library and the CLI for Android, iOS, macOS and Windows
  screenshots       render every Android screen to target/screenshots/android and every
                    Self Service page to target/screenshots/web (headless)
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
        Some("screenshots") => {
            screenshots::render(&root).and_then(|()| web_screenshots::render(&root))
        }
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
