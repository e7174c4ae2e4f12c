//! The failure counters that make the token lock, kept in their own small file (`vault.state`)
//! because they must change *before* a PIN is checked, when the data key that authenticates
//! the vault file is not yet known.
//!
//! The record is not authenticated, only checksummed against accidental damage. That is
//! deliberate and safe: the counters stop someone guessing through the app's own screens;
//! someone who can rewrite files can copy the vault away instead, and is stopped there by
//! Argon2id and, where present, the device key, not by this counter. A record that is missing
//! or damaged while a vault exists is read as "one try left" (for PINs and unlock codes alike),
//! so damage never hands out extra tries and never locks a person out outright.

use sha2::{Digest, Sha256};

/// Wrong PINs in a row that lock a new vault unless its options say otherwise.
pub const DEFAULT_MAX_PIN_ATTEMPTS: u32 = 5;
/// Wrong unlock codes after which the unlock slot refuses codes until it is replaced.
pub const MAX_UNLOCK_CODE_ATTEMPTS: u32 = 10;

const STATE_MAGIC: [u8; 8] = *b"TSRSTATE";
const STATE_VERSION: u16 = 1;
/// Length of the whole record.
pub(crate) const STATE_LEN: usize = 8 + 2 + 4 + 4 + 32;

/// Consecutive failures since the last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LockoutState {
    pub pin_failures: u32,
    pub unlock_failures: u32,
}

impl LockoutState {
    /// What a missing or damaged record is read as: one try left on each path.
    pub fn after_damage(max_pin_attempts: u32) -> Self {
        Self {
            pin_failures: max_pin_attempts.saturating_sub(1),
            unlock_failures: MAX_UNLOCK_CODE_ATTEMPTS - 1,
        }
    }

    /// `magic "TSRSTATE" | version u16 | pin_failures u32 | unlock_failures u32 | SHA-256 of
    /// the preceding 18 bytes`, integers little-endian.
    pub fn encode(&self) -> [u8; STATE_LEN] {
        let mut out = [0u8; STATE_LEN];
        out[..8].copy_from_slice(&STATE_MAGIC);
        out[8..10].copy_from_slice(&STATE_VERSION.to_le_bytes());
        out[10..14].copy_from_slice(&self.pin_failures.to_le_bytes());
        out[14..18].copy_from_slice(&self.unlock_failures.to_le_bytes());
        let digest = Sha256::digest(&out[..18]);
        out[18..].copy_from_slice(&digest);
        out
    }

    /// The record, or `None` when it is damaged in any way.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let bytes: &[u8; STATE_LEN] = bytes.try_into().ok()?;
        if bytes[..8] != STATE_MAGIC
            || bytes[8..10] != STATE_VERSION.to_le_bytes()
            || Sha256::digest(&bytes[..18]).as_slice() != &bytes[18..]
        {
            return None;
        }
        let u32_at = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        Some(Self {
            pin_failures: u32_at(10),
            unlock_failures: u32_at(14),
        })
    }

    /// PIN tries left before the token locks.
    pub fn pin_attempts_left(&self, max_pin_attempts: u32) -> u32 {
        max_pin_attempts.saturating_sub(self.pin_failures)
    }

    /// Unlock-code tries left before codes are refused.
    pub fn unlock_attempts_left(&self) -> u32 {
        MAX_UNLOCK_CODE_ATTEMPTS.saturating_sub(self.unlock_failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_every_damage_is_noticed() {
        let state = LockoutState {
            pin_failures: 3,
            unlock_failures: 7,
        };
        let bytes = state.encode();
        assert_eq!(LockoutState::decode(&bytes), Some(state));
        for i in 0..STATE_LEN {
            for bit in 0..8 {
                let mut damaged = bytes;
                damaged[i] ^= 1 << bit;
                assert_eq!(LockoutState::decode(&damaged), None, "byte {i} bit {bit}");
            }
        }
        assert_eq!(LockoutState::decode(&bytes[..STATE_LEN - 1]), None);
        assert_eq!(LockoutState::decode(&[]), None);
    }

    #[test]
    fn damage_means_one_try_left() {
        let state = LockoutState::after_damage(5);
        assert_eq!(state.pin_attempts_left(5), 1);
        assert_eq!(state.unlock_attempts_left(), 1);
        assert_eq!(LockoutState::after_damage(1).pin_attempts_left(1), 1);
    }
}
