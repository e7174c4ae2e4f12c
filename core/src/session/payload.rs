//! What the vault's encrypted payload holds, and its encoding (JSON inside the AEAD).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::identity::Identity;

/// The payload format this code writes. Readers refuse newer versions rather than guess.
pub const PAYLOAD_VERSION: u32 = 1;

/// Everything the token keeps under encryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenData {
    /// Format of this structure.
    pub version: u32,
    /// Identities in the order they were added.
    pub identities: Vec<Identity>,
    /// The person's settings.
    pub settings: Settings,
    /// The identity whose secret the unlock slot is bound to (the issuer of that identity is
    /// who answers the PIN reset code).
    pub unlock_identity: Option<String>,
}

/// Settings a person can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Added to the device clock before computing time-based codes, for a clock that is off.
    pub time_offset_seconds: i64,
    /// How long the app may stay in the background before the token locks (0: at once).
    /// Payloads written before this setting existed read as the default.
    #[serde(default = "default_auto_lock_seconds")]
    pub auto_lock_seconds: u32,
    /// Whether the organisation of the first IdentityGuard identity may open a locked token
    /// with an unlock code (the token then has an unlock slot). On unless the person turned it
    /// off; payloads written before this setting existed read as on, as they behaved.
    #[serde(default = "default_unlock_codes")]
    pub unlock_codes: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            time_offset_seconds: 0,
            auto_lock_seconds: DEFAULT_AUTO_LOCK_SECONDS,
            unlock_codes: true,
        }
    }
}

/// The largest clock correction accepted, in seconds (one day either way).
pub const MAX_TIME_OFFSET_SECONDS: i64 = 86_400;

/// The auto-lock delay of a new token, and of a token saved before the setting existed.
pub const DEFAULT_AUTO_LOCK_SECONDS: u32 = 60;

/// The longest auto-lock delay accepted, in seconds (an hour).
pub const MAX_AUTO_LOCK_SECONDS: u32 = 3_600;

fn default_auto_lock_seconds() -> u32 {
    DEFAULT_AUTO_LOCK_SECONDS
}

fn default_unlock_codes() -> bool {
    true
}

impl TokenData {
    /// An empty token.
    pub fn new() -> Self {
        Self {
            version: PAYLOAD_VERSION,
            identities: Vec::new(),
            settings: Settings::default(),
            unlock_identity: None,
        }
    }

    /// Serialized for sealing; the buffer is wiped when dropped.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, serde_json::Error> {
        // Sized up front so the serializer does not leave reallocated, unwiped copies behind.
        let mut buffer = Zeroizing::new(Vec::with_capacity(4096 + self.identities.len() * 512));
        serde_json::to_writer(&mut *buffer, self)?;
        Ok(buffer)
    }

    /// Reads a payload; `None` when it is not a payload this version understands.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let data: TokenData = serde_json::from_slice(bytes).ok()?;
        (data.version == PAYLOAD_VERSION).then_some(data)
    }
}

impl Default for TokenData {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let data = TokenData::new();
        let bytes = data.encode().unwrap();
        assert_eq!(TokenData::decode(&bytes), Some(data));
        let newer = String::from_utf8(bytes.to_vec())
            .unwrap()
            .replace("\"version\":1", "\"version\":2");
        assert_eq!(TokenData::decode(newer.as_bytes()), None);
        assert_eq!(TokenData::decode(b"not json"), None);
    }

    #[test]
    fn a_payload_from_before_auto_lock_reads_as_sixty_seconds() {
        // Written by the version before the setting existed (settings held only the offset).
        let old = br#"{"version":1,"identities":[],"settings":{"time_offset_seconds":-30},"unlock_identity":null}"#;
        let data = TokenData::decode(old).expect("an old payload still reads");
        assert_eq!(data.settings.time_offset_seconds, -30);
        assert_eq!(data.settings.auto_lock_seconds, 60);
        assert_eq!(TokenData::new().settings.auto_lock_seconds, 60);
        // Unlock codes worked before the setting existed: an old payload keeps them.
        assert!(data.settings.unlock_codes);
        assert!(TokenData::new().settings.unlock_codes);
    }

    #[test]
    fn turning_unlock_codes_off_is_saved() {
        let mut data = TokenData::new();
        data.settings.unlock_codes = false;
        let bytes = data.encode().unwrap();
        assert!(!TokenData::decode(&bytes).unwrap().settings.unlock_codes);
    }

    #[test]
    fn the_auto_lock_delay_is_saved() {
        let mut data = TokenData::new();
        data.settings.auto_lock_seconds = 0;
        let bytes = data.encode().unwrap();
        assert_eq!(
            TokenData::decode(&bytes)
                .unwrap()
                .settings
                .auto_lock_seconds,
            0
        );
    }
}
