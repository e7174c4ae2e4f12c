//! `pskc import` and `pskc export`: user tokens in and out as PSKC files (RFC 6030), the
//! format in which organisations receive token secrets from vendors and move them between
//! servers (docs/server.md, "PSKC"). The reading and writing are core's
//! (`tessera_core::transfer::pskc`); this module maps key packages to user tokens.
//!
//! The server's tokens verify TOTP codes (HMAC-SHA256, 30-second steps, 6 or 8 digits) and
//! OCRA responses; a key package of another kind (HOTP, another hash or period) is skipped
//! with the reason, and so is one for a user the server does not have.
//!
//! An encrypted file's pre-shared key (hex) or password, and the export's, is read as the
//! `tessera` CLI reads secrets: `--secret -` from standard input, else [`SECRET_VARIABLE`],
//! else asked on the terminal; never from the command line.

mod export;
mod import;

use std::io::{BufRead, IsTerminal, Read};

use zeroize::Zeroizing;

use crate::error::StartError;

pub use export::{ExportArgs, Protection, export};
pub use import::import;

/// Where the pre-shared key or password is read from when `--secret -` is not given.
pub const SECRET_VARIABLE: &str = "TESSERA_PSKC_SECRET";

/// The longest pre-shared key or password read, in bytes.
const MAX_SECRET_BYTES: u64 = 1024;

fn refused(message: impl Into<String>) -> StartError {
    StartError::Input {
        field: "--secret",
        message: message.into(),
    }
}

/// The pre-shared key or password: standard input (`given` is `-`), else
/// [`SECRET_VARIABLE`], else the terminal with `prompt`.
pub(crate) fn read_secret(
    given: Option<&str>,
    prompt: &str,
) -> Result<Zeroizing<String>, StartError> {
    match given {
        Some("-") => {
            let mut line = Zeroizing::new(String::new());
            std::io::stdin()
                .lock()
                .take(MAX_SECRET_BYTES)
                .read_line(&mut line)
                .map_err(|e| refused(format!("standard input could not be read: {e}")))?;
            return Ok(Zeroizing::new(
                line.trim_end_matches(['\n', '\r']).to_owned(),
            ));
        }
        Some(_) => {
            return Err(refused(
                "a key or password is not taken on the command line, where other users can see it; give `--secret -` and it on standard input, or set TESSERA_PSKC_SECRET",
            ));
        }
        None => {}
    }
    if let Some(value) = std::env::var_os(SECRET_VARIABLE) {
        return value
            .into_string()
            .map(Zeroizing::new)
            .map_err(|_| StartError::Input {
                field: SECRET_VARIABLE,
                message: "it must be UTF-8".into(),
            });
    }
    if !std::io::stdin().is_terminal() {
        return Err(refused(format!(
            "a pre-shared key or password is needed: give `--secret -` and it on standard input, or set {SECRET_VARIABLE}"
        )));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| refused(format!("the terminal could not be read: {e}")))
}
