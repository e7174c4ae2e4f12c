//! Fresh randomness from the operating system.
//!
//! Every random value Tessera makes (registration bytes, salts, keys) comes through here, so
//! there is one place that can fail and one error that says so.

use zeroize::Zeroizing;

/// The operating system could not supply random bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system's random number generator is unavailable")]
pub struct RandomError;

/// `N` bytes from the operating system's CSPRNG.
pub fn make_random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(bytes)
}

/// `count` characters drawn uniformly from `alphabet` (ASCII, at most 256 characters).
pub(crate) fn make_random_text(
    count: usize,
    alphabet: &str,
) -> Result<Zeroizing<String>, RandomError> {
    let symbols = alphabet.as_bytes();
    if symbols.is_empty() {
        return Ok(Zeroizing::new(String::new()));
    }
    let size = symbols.len().min(256);
    // The largest multiple of `size` that fits in a byte: draws at or above it are discarded.
    let limit = 256 - 256 % size;
    let mut text = Zeroizing::new(String::with_capacity(count));
    while text.len() < count {
        let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(make_random_bytes()?);
        for &byte in bytes.iter().filter(|&&b| usize::from(b) < limit) {
            if text.len() < count {
                text.push(char::from(symbols[usize::from(byte) % size]));
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_draws_differ() {
        let a: [u8; 32] = make_random_bytes().unwrap();
        let b: [u8; 32] = make_random_bytes().unwrap();
        assert_ne!(a, b);
    }
}
