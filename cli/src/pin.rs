//! Reading PINs and passwords: from the terminal without echo, or from the environment when
//! there is no terminal (scripts, tests): `TESSERA_PIN` for the current PIN, `TESSERA_NEW_PIN`
//! for a PIN being set, `TESSERA_BACKUP_PASSWORD` for the password of a backup being verified
//! or made, `TESSERA_IMPORT_PASSWORD` for the password of a file being imported.

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::refusal::Refusal;

const CURRENT_PIN_VARIABLE: &str = "TESSERA_PIN";
const NEW_PIN_VARIABLE: &str = "TESSERA_NEW_PIN";
const BACKUP_PASSWORD_VARIABLE: &str = "TESSERA_BACKUP_PASSWORD";
const IMPORT_PASSWORD_VARIABLE: &str = "TESSERA_IMPORT_PASSWORD";

/// The current PIN.
pub fn current() -> Result<Zeroizing<String>, Refusal> {
    read("PIN: ", CURRENT_PIN_VARIABLE, "PIN")
}

/// The password of an encrypted file, asked as `prompt`.
pub fn import_password(prompt: &str) -> Result<Zeroizing<String>, Refusal> {
    read(prompt, IMPORT_PASSWORD_VARIABLE, "password")
}

/// The password of an existing backup: `--password`, else asked, else the environment.
pub fn backup_password(argument: Option<String>) -> Result<Zeroizing<String>, Refusal> {
    match argument {
        Some(password) => Ok(Zeroizing::new(password)),
        None => read(
            "Backup password: ",
            BACKUP_PASSWORD_VARIABLE,
            "backup password",
        ),
    }
}

/// The password of a new backup and its confirmation: on a terminal it is asked twice; from
/// `--password` or the environment the one value is both (the core compares them).
pub fn new_backup_password(
    argument: Option<String>,
) -> Result<(Zeroizing<String>, Zeroizing<String>), Refusal> {
    if let Some(password) = argument {
        return Ok((Zeroizing::new(password.clone()), Zeroizing::new(password)));
    }
    let password = read(
        "New backup password: ",
        BACKUP_PASSWORD_VARIABLE,
        "backup password",
    )?;
    if std::io::stdin().is_terminal() {
        let again = read(
            "New backup password again: ",
            BACKUP_PASSWORD_VARIABLE,
            "backup password",
        )?;
        return Ok((password, again));
    }
    Ok((password.clone(), password))
}

/// A new PIN; on a terminal it is asked twice and both must match (the core checks the rules).
pub fn new() -> Result<Zeroizing<String>, Refusal> {
    let pin = read("New PIN: ", NEW_PIN_VARIABLE, "PIN")?;
    if std::io::stdin().is_terminal() {
        let again = read("New PIN again: ", NEW_PIN_VARIABLE, "PIN")?;
        if again != pin {
            return Err(Refusal::new("the two PINs are not the same"));
        }
    }
    Ok(pin)
}

/// A new PIN asked once, for calls that take its confirmation too (the core compares them).
pub fn new_once() -> Result<Zeroizing<String>, Refusal> {
    read("New PIN: ", NEW_PIN_VARIABLE, "PIN")
}

/// A new PIN typed a second time, for flows that confirm it themselves.
pub fn confirm_new() -> Result<Zeroizing<String>, Refusal> {
    read("New PIN again: ", NEW_PIN_VARIABLE, "PIN")
}

/// `what` ("PIN", "password") names the secret in refusals.
fn read(prompt: &str, variable: &str, what: &str) -> Result<Zeroizing<String>, Refusal> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| {
                Refusal::new(format!("could not read the {what} from the terminal: {e}"))
            });
    }
    match std::env::var(variable) {
        Ok(secret) => Ok(Zeroizing::new(secret)),
        Err(_) => Err(Refusal::new(format!(
            "a {what} is needed: there is no terminal to ask on, so set {variable}"
        ))),
    }
}
