//! `cargo xtask bindings`: builds the FFI library and generates the Kotlin and Swift bindings
//! into git-ignored folders of the Android and iOS libraries (UniFFI library mode).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::run_checked;

/// Where the generated files go, relative to the workspace root.
pub const KOTLIN_OUT: &str = "android/tessera/target/generated-sources/uniffi";
pub const SWIFT_OUT: &str = "ios/TesseraKit/.generated";

/// Builds `libtessera_ffi` (debug, for the tests on this machine) and the bindgen, and
/// generates both languages. Returns the folder holding the shared library.
pub fn generate(root: &Path) -> Result<PathBuf, String> {
    run_checked(
        Command::new("cargo")
            .args([
                "build",
                "--quiet",
                "-p",
                "tessera-ffi",
                "-p",
                "tessera-uniffi-bindgen",
            ])
            .current_dir(root),
    )?;
    let target = target_dir(root);
    let library = target.join("debug").join(library_file_name());
    for (language, out) in [("kotlin", KOTLIN_OUT), ("swift", SWIFT_OUT)] {
        let out = root.join(out);
        if out.exists() {
            std::fs::remove_dir_all(&out)
                .map_err(|e| format!("could not clear {}: {e}", out.display()))?;
        }
        run_checked(
            Command::new(target.join("debug").join("uniffi-bindgen"))
                .args(["generate", "--no-format", "--library"])
                .arg(&library)
                .args(["--language", language, "--out-dir"])
                .arg(&out)
                .current_dir(root),
        )?;
    }
    Ok(target.join("debug"))
}

/// The cargo target folder (honours CARGO_TARGET_DIR).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn library_file_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "libtessera_ffi.dylib"
    } else {
        "libtessera_ffi.so"
    }
}
