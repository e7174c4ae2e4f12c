//! Reading PINs: from the terminal without echo, or from the environment when there is no
//! terminal (scripts, tests): `TESSERA_PIN` for the current PIN, `TESSERA_NEW_PIN` for a PIN
//! being set.

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::refusal::Refusal;

const CURRENT_PIN_VARIABLE: &str = "TESSERA_PIN";
const NEW_PIN_VARIABLE: &str = "TESSERA_NEW_PIN";

/// The current PIN.
pub fn current() -> Result<Zeroizing<String>, Refusal> {
    read("PIN: ", CURRENT_PIN_VARIABLE)
}

/// A new PIN; on a terminal it is asked twice and both must match (the core checks the rules).
pub fn new() -> Result<Zeroizing<String>, Refusal> {
    let pin = read("New PIN: ", NEW_PIN_VARIABLE)?;
    if std::io::stdin().is_terminal() {
        let again = read("New PIN again: ", NEW_PIN_VARIABLE)?;
        if again != pin {
            return Err(Refusal::new("the two PINs are not the same"));
        }
    }
    Ok(pin)
}

/// A new PIN asked once, for calls that take its confirmation too (the core compares them).
pub fn new_once() -> Result<Zeroizing<String>, Refusal> {
    read("New PIN: ", NEW_PIN_VARIABLE)
}

/// A new PIN typed a second time, for flows that confirm it themselves.
pub fn confirm_new() -> Result<Zeroizing<String>, Refusal> {
    read("New PIN again: ", NEW_PIN_VARIABLE)
}

fn read(prompt: &str, variable: &str) -> Result<Zeroizing<String>, Refusal> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| Refusal::new(format!("could not read the PIN from the terminal: {e}")));
    }
    match std::env::var(variable) {
        Ok(pin) => Ok(Zeroizing::new(pin)),
        Err(_) => Err(Refusal::new(format!(
            "a PIN is needed: there is no terminal to ask on, so set {variable}"
        ))),
    }
}
