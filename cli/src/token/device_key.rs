//! Whether the desktop token's file is sealed by a device key kept in the system keystore
//! (tessera-desktop-key), decided once per command.
//!
//! - By default the key is used whenever the keystore answers: a new token is sealed by it,
//!   and a token made without one is sealed by it the next time it is unlocked.
//! - With no keystore (on Linux: no Secret Service on the session bus) the token still works,
//!   and each command that unlocks or sets a PIN says once that only the PIN or passphrase
//!   protects a copy of the file.
//! - `--no-device-key` or `TESSERA_NO_DEVICE_KEY=1` (servers, CI) keep the file without a
//!   device key on purpose, silently; a token already sealed by a key then does not open, and
//!   the refusal says why.

use std::path::Path;
use std::sync::{Arc, Once, OnceLock};

use tessera_core::vault::KeyProtector;
use tessera_desktop_key::DeviceKey;

/// Set to anything but the empty string: no device key, on purpose.
pub const OPT_OUT_VARIABLE: &str = "TESSERA_NO_DEVICE_KEY";

/// What this command decided.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Choice {
    Keystore,
    OptedOut,
    Unavailable { reason: String },
}

static OPTED_OUT_BY_FLAG: OnceLock<bool> = OnceLock::new();
static CHOICE: OnceLock<Choice> = OnceLock::new();

/// Records `--no-device-key`; called once, before any command runs.
pub fn set_opt_out_flag(given: bool) {
    let _ = OPTED_OUT_BY_FLAG.set(given);
}

fn opted_out() -> bool {
    OPTED_OUT_BY_FLAG.get().copied().unwrap_or(false)
        || std::env::var_os(OPT_OUT_VARIABLE).is_some_and(|value| !value.is_empty())
}

/// The device key of the token in `home`, or none (opted out, or no keystore).
pub fn protector(home: &Path) -> Option<Arc<dyn KeyProtector>> {
    let (choice, protector) = if opted_out() {
        (Choice::OptedOut, None)
    } else {
        match DeviceKey::open(home) {
            Ok(key) => (
                Choice::Keystore,
                Some(Arc::new(key) as Arc<dyn KeyProtector>),
            ),
            Err(unavailable) => (
                Choice::Unavailable {
                    reason: unavailable.reason,
                },
                None,
            ),
        }
    };
    let _ = CHOICE.set(choice);
    protector
}

/// Says, once per command, that no keystore seals the token's file, when none was found.
pub fn warn_if_unprotected() {
    static SAID: Once = Once::new();
    if let Some(Choice::Unavailable { reason }) = CHOICE.get() {
        SAID.call_once(|| {
            eprintln!(
                "tessera: warning: no system keystore is available ({reason}), so only the PIN or passphrase protects a copy of the token's file; pass --no-device-key or set {OPT_OUT_VARIABLE}=1 if that is intended"
            );
        });
    }
}

/// What a refusal about an unavailable device key should add: why this command had none.
pub fn why_no_key() -> Option<String> {
    match CHOICE.get()? {
        Choice::Keystore => None,
        Choice::OptedOut => Some(format!(
            "--no-device-key or {OPT_OUT_VARIABLE} is set, so the system keystore was not asked"
        )),
        Choice::Unavailable { reason } => {
            Some(format!("no system keystore is available: {reason}"))
        }
    }
}
