//! The Python packages xtask's commands need, installed with pip for this user when missing, so
//! a fresh machine gets them from its own package-index configuration; idempotent.
//! - `cryptography` 44 or newer (Argon2id): the Rust tests run the reference decryptors printed
//!   in docs/vault-format.md and docs/backup-format.md.
//! - Pillow: `cargo xtask desktop-package` writes the Windows .ico and the macOS .icns with
//!   desktop/packaging/make-icons.py, and its test does so on every platform.

use std::process::Command;

use crate::run::run_checked;

/// The decryptors' import; fails on a `cryptography` older than 44.
const CRYPTOGRAPHY: Package = Package {
    probe: "from cryptography.hazmat.primitives.kdf.argon2 import Argon2id",
    requirement: "cryptography>=44",
    what: "the cryptography package (44 or newer)",
};

/// make-icons.py's import: Pillow writes both icon formats itself, with no system tool.
const PILLOW: Package = Package {
    probe: "from PIL import Image, IcnsImagePlugin, IcoImagePlugin",
    requirement: "pillow>=10",
    what: "Pillow (10 or newer)",
};

struct Package {
    probe: &'static str,
    requirement: &'static str,
    what: &'static str,
}

pub fn ensure_cryptography() -> Result<(), String> {
    ensure(&CRYPTOGRAPHY)
}

pub fn ensure_pillow() -> Result<(), String> {
    ensure(&PILLOW)
}

fn ensure(package: &Package) -> Result<(), String> {
    if has(package) {
        return Ok(());
    }
    let pip = [
        "-m",
        "pip",
        "install",
        "--user",
        "--quiet",
        package.requirement,
    ];
    // Debian's own python3 marks itself externally managed (PEP 668) and refuses even a --user
    // install unless told; the package then lands in this user's site folder only.
    if run_checked(Command::new("python3").args(pip)).is_err() {
        run_checked(
            Command::new("python3")
                .args(pip)
                .arg("--break-system-packages"),
        )?;
    }
    if has(package) {
        Ok(())
    } else {
        Err(format!(
            "python3 still lacks {} after pip install",
            package.what
        ))
    }
}

fn has(package: &Package) -> bool {
    Command::new("python3")
        .args(["-c", package.probe])
        .status()
        .is_ok_and(|status| status.success())
}
