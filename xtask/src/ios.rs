//! `cargo xtask ios-xcframework`: the iOS library as an XCFramework for the Swift package.
//!
//! Builds the FFI library for devices (aarch64-apple-ios) and simulators (aarch64 and x86_64,
//! joined with `lipo`), with `-Wl,-application_extension` so widgets and extensions may link
//! it, generates the Swift bindings, and runs `xcodebuild -create-xcframework`. Needs macOS with
//! Xcode and the three Rust targets (see docs/building.md); elsewhere it says so and stops.
//!
//! The generated bindings it was built with are kept beside it (`BUILT_WITH`):
//! `scripts/swift-test.sh --sources` copies bindings into the package only when they are those,
//! since bindings that do not match the library stop the app at its first call.

use std::path::Path;
use std::process::Command;

use crate::bindings;
use crate::run::run_checked;

const DEVICE: &str = "aarch64-apple-ios";
const SIMULATORS: [&str; 2] = ["aarch64-apple-ios-sim", "x86_64-apple-ios"];
const FRAMEWORK: &str = "ios/TesseraKit/TesseraFFI.xcframework";
/// Where the bindings the XCFramework was built with are kept (git-ignored).
const BUILT_WITH: &str = "ios/TesseraKit/.xcframework-bindings";
/// The generated files, by the names `bindings::SWIFT_OUT` holds them under.
const BINDINGS: [&str; 3] = ["TesseraFFI.swift", "TesseraFFIC.h", "TesseraFFIC.modulemap"];

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
    record_built_with(root)?;
    // The package's Swift and C targets read the generated files from their own folders.
    run_checked(
        Command::new("bash")
            .args(["scripts/swift-test.sh", "--sources"])
            .current_dir(root),
    )?;
    println!(
        "{FRAMEWORK} is ready; TesseraKit's Package.swift uses it as a binaryTarget on Apple platforms"
    );
    Ok(())
}

/// Keeps a copy of the generated bindings the XCFramework was just built with.
fn record_built_with(root: &Path) -> Result<(), String> {
    let generated = root.join(bindings::SWIFT_OUT);
    let built = root.join(BUILT_WITH);
    std::fs::create_dir_all(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    for file in BINDINGS {
        std::fs::copy(generated.join(file), built.join(file))
            .map_err(|e| format!("keeping {file} beside the XCFramework: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A repository holding only the script, generated bindings and (optionally) an
    /// XCFramework folder, in a fresh temporary folder.
    fn fake_repo(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("tessera-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let scripts = root.join("scripts");
        std::fs::create_dir_all(&scripts).unwrap();
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/swift-test.sh");
        std::fs::copy(real, scripts.join("swift-test.sh")).unwrap();
        let generated = root.join(bindings::SWIFT_OUT);
        std::fs::create_dir_all(&generated).unwrap();
        for file in BINDINGS {
            std::fs::write(generated.join(file), format!("// {file}, first API\n")).unwrap();
        }
        root
    }

    /// Runs `swift-test.sh --sources`; its success and what it wrote to stderr.
    fn copy_sources(root: &Path) -> (bool, String) {
        let output = Command::new("bash")
            .args(["scripts/swift-test.sh", "--sources"])
            .env_remove("CARGO_TARGET_DIR")
            .current_dir(root)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn copied_swift(root: &Path) -> Option<String> {
        std::fs::read_to_string(root.join("ios/TesseraKit/Sources/TesseraFFI/TesseraFFI.swift"))
            .ok()
    }

    #[test]
    fn sources_are_copied_only_with_the_xcframework_they_were_built_with() {
        let root = fake_repo("sources-match");
        let (ok, stderr) = copy_sources(&root);
        assert!(!ok);
        assert!(
            stderr.contains("TesseraFFI.xcframework is missing"),
            "{stderr}"
        );
        assert_eq!(copied_swift(&root), None);

        std::fs::create_dir_all(root.join(FRAMEWORK)).unwrap();
        let (ok, stderr) = copy_sources(&root);
        assert!(
            !ok,
            "an XCFramework with no record of its bindings is refused"
        );
        assert!(
            stderr.contains("is not what TesseraFFI.xcframework was built with"),
            "{stderr}"
        );

        record_built_with(&root).unwrap();
        let (ok, stderr) = copy_sources(&root);
        assert!(ok, "{stderr}");
        assert_eq!(
            copied_swift(&root).as_deref(),
            Some("// TesseraFFI.swift, first API\n")
        );
        let header = root.join("ios/TesseraKit/Sources/TesseraFFIC/include/TesseraFFIC.h");
        assert_eq!(
            std::fs::read_to_string(header).unwrap(),
            "// TesseraFFIC.h, first API\n"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn bindings_generated_after_the_xcframework_are_refused() {
        let root = fake_repo("sources-newer");
        std::fs::create_dir_all(root.join(FRAMEWORK)).unwrap();
        record_built_with(&root).unwrap();
        assert!(copy_sources(&root).0);

        // A later `cargo xtask bindings` (the API changed), without rebuilding the library.
        let generated = root.join(bindings::SWIFT_OUT).join("TesseraFFI.swift");
        std::fs::write(&generated, "// TesseraFFI.swift, second API\n").unwrap();
        let (ok, stderr) = copy_sources(&root);
        assert!(!ok);
        assert!(stderr.contains("TesseraFFI.swift is not what"), "{stderr}");
        assert!(
            stderr.contains("run cargo xtask ios-xcframework"),
            "{stderr}"
        );
        assert_eq!(
            copied_swift(&root).as_deref(),
            Some("// TesseraFFI.swift, first API\n"),
            "the package keeps the bindings that match its library"
        );

        // Only the header changed: refused as well.
        std::fs::write(&generated, "// TesseraFFI.swift, first API\n").unwrap();
        let header = root.join(bindings::SWIFT_OUT).join("TesseraFFIC.h");
        std::fs::write(&header, "// TesseraFFIC.h, second API\n").unwrap();
        let (ok, stderr) = copy_sources(&root);
        assert!(!ok);
        assert!(stderr.contains("TesseraFFIC.h is not what"), "{stderr}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
