//! Reading values that arrive as arguments: secrets (possibly from stdin) and the time.

use std::time::{SystemTime, UNIX_EPOCH};

use tessera_core::SecretBytes;

use crate::refusal::Refusal;
use crate::secret::line_from_stdin;

/// The `--secret` argument: base32, `hex:...`, or `-` to read one line from standard input so
/// the secret stays out of the process list and shell history.
pub fn secret(argument: &str) -> Result<SecretBytes, Refusal> {
    if argument == "-" {
        let line = line_from_stdin("secret", "--secret -", "Secret: ")?;
        return Ok(SecretBytes::parse(line.trim())?);
    }
    Ok(SecretBytes::parse(argument)?)
}

/// `--at`, or the system clock.
pub fn unix_time(at: Option<u64>) -> Result<u64, Refusal> {
    match at {
        Some(at) => Ok(at),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .map_err(|_| Refusal::new("the system clock is set before 1970; pass --at")),
    }
}
