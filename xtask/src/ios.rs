//! `cargo xtask ios-xcframework`: the iOS library as an XCFramework for the Swift package.
//!
//! Builds the FFI library for devices (aarch64-apple-ios) and simulators (aarch64 and x86_64,
//! joined with `lipo`), with `-Wl,-application_extension` so widgets and extensions may link
//! it, generates the Swift bindings, and runs `xcodebuild -create-xcframework`. Needs macOS with
//! Xcode and the three Rust targets (see docs/building.md); elsewhere it says so and stops.

use std::path::Path;
use std::process::Command;

use crate::bindings;
use crate::run::run_checked;

const DEVICE: &str = "aarch64-apple-ios";
const SIMULATORS: [&str; 2] = ["aarch64-apple-ios-sim", "x86_64-apple-ios"];
const FRAMEWORK: &str = "ios/TesseraKit/TesseraFFI.xcframework";

pub fn xcframework(root: &Path) -> Result<(), String> {
    if !cfg!(target_os = "macos") {
        return Err(
            "ios-xcframework needs macOS with Xcode (xcodebuild, lipo); see docs/building.md"
                .into(),
        );
    }
    let target = bindings::target_dir(root);
    for triple in std::iter::once(DEVICE).chain(SIMULATORS) {
        run_checked(
            Command::new("cargo")
                .args([
                    "build",
                    "--profile",
                    "mobile",
                    "-p",
                    "tessera-ffi",
                    "--target",
                    triple,
                ])
                .env("RUSTFLAGS", "-C link-arg=-Wl,-application_extension")
                .current_dir(root),
        )?;
    }
    let library = |triple: &str| target.join(triple).join("mobile").join("libtessera_ffi.a");
    let simulator = target.join("ios-simulator").join("libtessera_ffi.a");
    std::fs::create_dir_all(simulator.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
    run_checked(
        Command::new("lipo")
            .arg("-create")
            .args(SIMULATORS.iter().map(|t| library(t)))
            .arg("-output")
            .arg(&simulator)
            .current_dir(root),
    )?;
    bindings::generate(root)?;
    // The package's Swift and C targets read the generated files from their own folders.
    run_checked(
        Command::new("bash")
            .args(["scripts/swift-test.sh", "--sources"])
            .current_dir(root),
    )?;
    let headers = target.join("ios-headers");
    let _ = std::fs::remove_dir_all(&headers);
    std::fs::create_dir_all(&headers).map_err(|e| e.to_string())?;
    let generated = root.join(bindings::SWIFT_OUT);
    std::fs::copy(
        generated.join("TesseraFFIC.h"),
        headers.join("TesseraFFIC.h"),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(
        generated.join("TesseraFFIC.modulemap"),
        headers.join("module.modulemap"),
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(root.join(FRAMEWORK));
    run_checked(
        Command::new("xcodebuild")
            .arg("-create-xcframework")
            .arg("-library")
            .arg(library(DEVICE))
            .arg("-headers")
            .arg(&headers)
            .arg("-library")
            .arg(&simulator)
            .arg("-headers")
            .arg(&headers)
            .arg("-output")
            .arg(root.join(FRAMEWORK))
            .current_dir(root),
    )?;
    println!(
        "{FRAMEWORK} is ready; TesseraKit's Package.swift uses it as a binaryTarget on Apple platforms"
    );
    Ok(())
}
