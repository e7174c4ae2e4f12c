//! The desktop suite of `cargo xtask test` and the desktop half of `cargo xtask screenshots`:
//! Tessera Desktop (`desktop/`, built in the reactor of `android/pom.xml`) over the native
//! library built with the `desktop-device-key` feature, which the phone libraries never carry.
//!
//! The Compose UI tests use the real system clipboard and capture the real screen, so they run
//! on a private X display (`xvfb-run`), and they keep the device key in a real Secret Service:
//! an unlocked gnome-keyring on a private session bus (testing/keyring-harness). All come from
//! scripts/setup-test-services.sh; a missing one fails the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bindings::target_dir;
use crate::kotlin::{REACTOR_POM, count_surefire_reports, require_jvm_tools};
use crate::outcome::Outcome;
use crate::run::{run_captured, run_checked};
use tessera_keyring_harness::PrivateKeyring;

/// The desktop library's own folder under the cargo target folder: the workspace builds
/// overwrite target/debug's library without the feature.
const NATIVE: &str = "desktop-native";
/// Where Surefire reports the desktop tests, relative to the workspace root.
const REPORTS: &str = "desktop/target/surefire-reports";
/// The desktop's tests, and only those (the reactor's other modules are the kotlin suite's).
const TESTS: &str = "-Dtest=org.tessera.desktop.*Test";

/// Builds `libtessera_ffi` with the system keystore and copies it to its own folder; returns
/// that folder. The generated Kotlin is the same with or without the feature (no exported item
/// is behind a `cfg`), so `cargo xtask bindings` must have run.
pub fn native_library(root: &Path) -> Result<PathBuf, String> {
    run_checked(
        Command::new("cargo")
            .args([
                "build",
                "--quiet",
                "-p",
                "tessera-ffi",
                "--features",
                "desktop-device-key",
            ])
            .current_dir(root),
    )?;
    let target = target_dir(root);
    let dir = target.join(NATIVE);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let name = "libtessera_ffi.so";
    let from = target.join("debug").join(name);
    std::fs::copy(&from, dir.join(name))
        .map_err(|e| format!("could not copy {}: {e}", from.display()))?;
    Ok(dir)
}

/// Runs the desktop's Compose UI tests (those of the class named [only], when given) on a
/// private display and bus, and counts them.
pub fn suite(root: &Path, only: Option<&str>) -> Result<Outcome, String> {
    let native = native_library(root)?;
    let reports = root.join(REPORTS);
    if reports.exists() {
        std::fs::remove_dir_all(&reports)
            .map_err(|e| format!("could not clear {}: {e}", reports.display()))?;
    }
    let keyring = PrivateKeyring::start()?;
    let output = run_captured(
        &mut maven_on_private_display(root, &native, &keyring)?
            .arg("test")
            .arg(only.map_or(TESTS.to_string(), |class| {
                format!("-Dtest=org.tessera.desktop.{class}")
            }))
            .arg("-Dsurefire.failIfNoSpecifiedTests=false")
            .arg("-Dtessera.desktop.skipTests=false"),
    )?;
    let (passed, failed) = count_surefire_reports(&reports)?;
    if !output.success && failed == 0 {
        return Err("the desktop tests failed before running (see above)".into());
    }
    Ok(Outcome {
        name: "desktop",
        passed,
        failed,
    })
}

/// Renders the desktop window's pages to `out` (the screenshot test only).
pub fn screenshots(root: &Path, out: &Path) -> Result<(), String> {
    let native = native_library(root)?;
    let keyring = PrivateKeyring::start()?;
    run_checked(
        maven_on_private_display(root, &native, &keyring)?
            .args([
                "test",
                "-Dtest=org.tessera.desktop.DesktopScreenshotsTest",
                "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dtessera.desktop.skipTests=false",
            ])
            .arg(format!("-Dtessera.screenshots.dir={}", out.display())),
    )
}

/// `xvfb-run -a mvn ... -pl ../desktop -am` with the desktop library and [keyring]'s bus.
fn maven_on_private_display(
    root: &Path,
    native: &Path,
    keyring: &PrivateKeyring,
) -> Result<Command, String> {
    require_jvm_tools()?;
    if which("xvfb-run").is_none() {
        return Err(
            "the desktop tests need `xvfb-run` on PATH; install xvfb (scripts/setup-test-services.sh does)"
                .into(),
        );
    }
    let mut command = Command::new("xvfb-run");
    keyring.configure(&mut command);
    command
        .args(["-a", "-s", "-screen 0 1280x1024x24"])
        .args(["mvn", "-B", "-q", "-Dstyle.color=never", "-f"])
        .arg(root.join(REACTOR_POM))
        .args(["-pl", "../desktop", "-am"])
        .arg(format!("-Dtessera.native.dir={}", native.display()))
        .current_dir(root);
    Ok(command)
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|path| path.is_file())
    })
}
