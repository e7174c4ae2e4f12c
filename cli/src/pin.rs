//! Reading PINs and passwords through [`crate::secret`]: `TESSERA_PIN` for the current PIN,
//! `TESSERA_NEW_PIN` for a PIN being set, `TESSERA_BACKUP_PASSWORD` for the password of a
//! backup being verified or made, `TESSERA_IMPORT_PASSWORD` for the password of a file being
//! imported; else asked on the terminal without echo.

use tessera_core::vault::{MIN_PASSPHRASE_CHARS, pins_match, weak_without_device_key};
use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::secret::{BACKUP_PASSWORD, CURRENT_PIN, IMPORT_PASSWORD, NEW_PIN};

/// The current PIN.
pub fn current() -> Result<Zeroizing<String>, Refusal> {
    CURRENT_PIN.read(None)
}

/// The password of an encrypted file: `--password` (`-` for standard input), else the
/// environment, else asked as `prompt`.
pub fn import_password(argument: Option<&str>, prompt: &str) -> Result<Zeroizing<String>, Refusal> {
    IMPORT_PASSWORD.read_asking(argument, prompt)
}

/// The password of an existing backup: `--password` (`-` for standard input), else the
/// environment, else asked.
pub fn backup_password(argument: Option<&str>) -> Result<Zeroizing<String>, Refusal> {
    BACKUP_PASSWORD.read(argument)
}

/// The password of a new backup and its confirmation: asked twice when asked on a terminal; from standard
/// input or the environment the one value is both (the core compares them).
pub fn new_backup_password(
    argument: Option<&str>,
) -> Result<(Zeroizing<String>, Zeroizing<String>), Refusal> {
    let password = BACKUP_PASSWORD.read_asking(argument, "New backup password: ")?;
    if BACKUP_PASSWORD.asks(argument) {
        let again = BACKUP_PASSWORD.read_asking(argument, "New backup password again: ")?;
        return Ok((password, again));
    }
    Ok((password.clone(), password))
}

/// A new PIN; asked on a terminal, it is asked twice and both must match (the core checks the rules).
pub fn new() -> Result<Zeroizing<String>, Refusal> {
    let pin = new_once()?;
    if NEW_PIN.asks(None) {
        let again = confirm_new()?;
        if !pins_match(&pin, &again) {
            return Err(Refusal::new("the two PINs are not the same"));
        }
    }
    Ok(pin)
}

/// A new PIN asked once, for calls that take its confirmation too (the core compares them).
pub fn new_once() -> Result<Zeroizing<String>, Refusal> {
    NEW_PIN.read(None)
}

/// A new PIN typed a second time, for flows that confirm it themselves.
pub fn confirm_new() -> Result<Zeroizing<String>, Refusal> {
    NEW_PIN.read_asking(None, "New PIN again: ")
}

/// Says, once a PIN has been set, when it protects the token's file weakly: without a device
/// key (`sealed` false), a copy of the file can be searched offline for a PIN of digits.
pub fn warn_if_weak(pin: &str, sealed: bool) {
    if !sealed && weak_without_device_key(pin) {
        eprintln!(
            "tessera: warning: a PIN of only digits protects the token's file weakly on a computer, where no device key seals it: whoever copies the file can try every PIN offline; use a passphrase of {MIN_PASSPHRASE_CHARS} or more characters instead (`tessera pin change`)"
        );
    }
}
