//! The services the tests start themselves (PostgreSQL for the server's tests; a browser, a
//! headless display and a desktop session for the web pages' tests) must be installed before
//! the tests run. scripts/setup-test-services.sh installs what is missing with apt-get (as root;
//! otherwise it says what to install and fails) and does nothing when all is there.

use std::path::Path;
use std::process::Command;

use crate::run::run_checked;

const SCRIPT: &str = "scripts/setup-test-services.sh";

pub fn ensure_test_services(root: &Path) -> Result<(), String> {
    run_checked(
        Command::new("bash")
            .arg(root.join(SCRIPT))
            .current_dir(root),
    )
    .map_err(|e| format!("the services the tests start are not installed ({SCRIPT}): {e}"))
}
