//! The issuer passphrase: from the terminal without echo (twice for a new store), or from
//! `TESSERA_ISSUER_PASSPHRASE` when there is no terminal (scripts, services, tests).

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::refusal::Refusal;

const VARIABLE: &str = "TESSERA_ISSUER_PASSPHRASE";

/// The passphrase; for a new store, asked twice on a terminal and both must match (the core
/// checks its length).
pub fn read(new_store: bool) -> Result<Zeroizing<String>, Refusal> {
    if !std::io::stdin().is_terminal() {
        return std::env::var(VARIABLE).map(Zeroizing::new).map_err(|_| {
            Refusal::new(format!(
                "an issuer passphrase is needed: there is no terminal to ask on, so set {VARIABLE}"
            ))
        });
    }
    if !new_store {
        return prompt("Issuer passphrase: ");
    }
    let passphrase = prompt("New issuer passphrase: ")?;
    let again = prompt("New issuer passphrase again: ")?;
    if again != passphrase {
        return Err(Refusal::new("the two passphrases are not the same"));
    }
    Ok(passphrase)
}

fn prompt(text: &str) -> Result<Zeroizing<String>, Refusal> {
    rpassword::prompt_password(text)
        .map(Zeroizing::new)
        .map_err(|e| {
            Refusal::new(format!(
                "could not read the passphrase from the terminal: {e}"
            ))
        })
}
