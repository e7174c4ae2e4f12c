//! The Python the Rust tests need: the reference decryptors printed in docs/vault-format.md and
//! docs/backup-format.md are run by tests, and they need the `cryptography` package new enough
//! to have Argon2id (44 or newer). Installed with pip for this user when missing, so a fresh
//! machine gets it from its own package-index configuration; idempotent.

use std::process::Command;

use crate::run::run_checked;

/// What the decryptors import; fails on a `cryptography` older than 44.
const PROBE: &str = "from cryptography.hazmat.primitives.kdf.argon2 import Argon2id";

pub fn ensure_cryptography() -> Result<(), String> {
    if has_cryptography() {
        return Ok(());
    }
    let pip = [
        "-m",
        "pip",
        "install",
        "--user",
        "--quiet",
        "cryptography>=44",
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
    if has_cryptography() {
        Ok(())
    } else {
        Err("python3 still lacks the cryptography package (44 or newer) after pip install".into())
    }
}

fn has_cryptography() -> bool {
    Command::new("python3")
        .args(["-c", PROBE])
        .status()
        .is_ok_and(|status| status.success())
}
