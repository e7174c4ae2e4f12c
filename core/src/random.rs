//! Fresh randomness from the operating system.
//!
//! Every random value Tessera makes (registration bytes, salts, keys) comes through here, so
//! there is one place that can fail and one error that says so.

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
