//! Reading a new user's password the way the `tessera` CLI reads secrets: `--password -` takes
//! the first line of standard input; without the flag the terminal asks twice without echo. A
//! password written on the command line is refused: other users see it in the process list.

use std::io::{BufRead, IsTerminal, Read};

use zeroize::Zeroizing;

use crate::error::StartError;
use crate::passwords::MAX_PASSWORD_CHARS;

fn refused(message: impl Into<String>) -> StartError {
    StartError::Input {
        field: "--password",
        message: message.into(),
    }
}

/// The password, from standard input (`given` is `-`) or the terminal.
pub fn read(given: Option<&str>) -> Result<Zeroizing<String>, StartError> {
    match given {
        Some("-") => from_stdin(),
        Some(_) => Err(refused(
            "a password is not taken on the command line, where other users can see it; give `--password -` and the password on standard input, or leave the flag out to be asked",
        )),
        None if std::io::stdin().is_terminal() => {
            let first = ask("Password: ")?;
            let second = ask("The same password again: ")?;
            if first != second {
                return Err(refused("the two passwords differ"));
            }
            Ok(first)
        }
        None => Err(refused(
            "a password is needed: there is no terminal to ask on, so give `--password -` and the password on standard input",
        )),
    }
}

fn ask(prompt: &str) -> Result<Zeroizing<String>, StartError> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| refused(format!("the terminal could not be read: {e}")))
}

/// The first line of standard input, without its line ending, reading no more than a password
/// can hold.
fn from_stdin() -> Result<Zeroizing<String>, StartError> {
    let limit = u64::try_from(4 * MAX_PASSWORD_CHARS + 2).unwrap_or(u64::MAX);
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .take(limit)
        .read_line(&mut line)
        .map_err(|e| refused(format!("standard input could not be read: {e}")))?;
    let trimmed = line.trim_end_matches(['\n', '\r']);
    Ok(Zeroizing::new(trimmed.to_owned()))
}
