//! Finding the programs the harness runs on `PATH`; a missing one is an error that names its
//! Debian package and the script that installs it.

use std::path::PathBuf;

/// The script that installs the services the tests start (`cargo xtask test` runs it).
pub const SETUP_SCRIPT: &str = "scripts/setup-test-services.sh";

/// `program` on `PATH`, or why the test cannot run.
pub fn find(program: &str, package: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            format!(
                "{program} is not installed (Debian package {package}): run {SETUP_SCRIPT} \
                 (cargo xtask test runs it)"
            )
        })
}
