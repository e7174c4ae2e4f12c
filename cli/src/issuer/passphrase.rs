//! The issuer passphrase, through [`crate::secret`]: `TESSERA_ISSUER_PASSPHRASE` (scripts,
//! services, tests), else asked on the terminal without echo (twice for a new store).

use tessera_core::vault::pins_match;
use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::secret::ISSUER_PASSPHRASE;

/// The passphrase; for a new store, asked twice on a terminal and both must match (the core
/// checks its length).
pub fn read(new_store: bool) -> Result<Zeroizing<String>, Refusal> {
    if !new_store || !ISSUER_PASSPHRASE.asks(None) {
        return ISSUER_PASSPHRASE.read(None);
    }
    let passphrase = ISSUER_PASSPHRASE.read_asking(None, "New issuer passphrase: ")?;
    let again = ISSUER_PASSPHRASE.read_asking(None, "New issuer passphrase again: ")?;
    if !pins_match(&passphrase, &again) {
        return Err(Refusal::new("the two passphrases are not the same"));
    }
    Ok(passphrase)
}
