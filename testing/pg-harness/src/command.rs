//! Running PostgreSQL's programs with their output kept for the error message.

use std::process::{Command, Stdio};

/// Runs `command` to completion; its standard output on success, else an error naming `what`
/// with the program's own words.
pub fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run {what} ({:?}): {e}", command.get_program()))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        Err(format!(
            "{what} failed ({}): {} {}",
            output.status,
            stderr.trim(),
            stdout.trim()
        ))
    }
}
