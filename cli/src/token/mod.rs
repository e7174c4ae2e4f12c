//! The stateful desktop token: commands that open the vault in the token's folder.

pub mod add;
mod backup_export;
pub mod codes;
pub mod device_key;
pub mod export;
pub mod import;
pub mod manage;
pub mod scan;
mod targets;
pub mod unlock;

use std::path::PathBuf;
use std::sync::Arc;

use tessera_core::session::{Session, SessionError, SystemClock, TokenStatus};
use tessera_core::vault::{VaultError, VaultOptions};

use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;

const HOME_VARIABLE: &str = "TESSERA_HOME";

/// The token's folder: `--home`, else `TESSERA_HOME`, else the platform's per-user data folder.
pub fn home(argument: Option<PathBuf>) -> Result<PathBuf, Refusal> {
    if let Some(dir) = argument {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os(HOME_VARIABLE).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|dir| dir.join("tessera"))
        .ok_or_else(|| {
            Refusal::new(
                "no per-user data folder is known here: pass --home DIR or set TESSERA_HOME",
            )
        })
}

/// A session over the folder, with the device key from the system keystore when there is one
/// and it is not declined ([`device_key`]; see docs/security.md).
pub fn session(home: PathBuf) -> Arc<Session> {
    let protector = device_key::protector(&home);
    Arc::new(Session::new(
        home,
        Arc::new(SystemClock),
        protector,
        VaultOptions::default(),
    ))
}

/// Unlocks with the PIN, printing any notice about a damaged vault to stderr; returns the PIN
/// for calls that check it again (export).
pub fn unlock(session: &Session) -> Result<Zeroizing<String>, Refusal> {
    match session.status().map_err(explain)? {
        TokenStatus::NoToken => return Err(Refusal::new(SessionError::NoToken.to_string())),
        TokenStatus::LockedOut { .. } => return Err(locked()),
        TokenStatus::Unlocked | TokenStatus::NeedsPin { .. } => {}
    }
    let pin = pin::current()?;
    if let Some(notice) = session.unlock(&pin).map_err(explain)? {
        eprintln!("tessera: note: {notice}");
    }
    device_key::warn_if_unprotected();
    Ok(pin)
}

/// Says what a newly set PIN leaves unprotected: the token's file without a device key, and
/// a PIN of digits on such a file.
pub fn warn_after_new_pin(session: &Session, pin: &str) {
    let sealed = session
        .settings()
        .is_ok_and(|settings| settings.device_bound);
    pin::warn_if_weak(pin, sealed);
    device_key::warn_if_unprotected();
}

/// How a new token's recovery key is shown, once, by every command that creates a token.
pub fn recovery_key_line(key: &str) -> String {
    format!(
        "recovery key (write it down now; it opens the token if the PIN is lost, and is not shown again): {key}\n"
    )
}

/// A session error, with what to do next when the token is locked out, and why there was no
/// device key when one was needed.
pub fn explain(error: SessionError) -> Refusal {
    match error {
        SessionError::Vault(VaultError::Locked { .. }) => locked(),
        SessionError::Vault(error @ VaultError::KeyUnavailable { .. }) => {
            match device_key::why_no_key() {
                Some(why) => Refusal::new(format!("{error} ({why})")),
                None => Refusal::from(error),
            }
        }
        other => Refusal::from(other),
    }
}

fn locked() -> Refusal {
    Refusal::new(
        "the token is locked after too many wrong PINs: run `tessera unlock` to see the PIN reset code, then `tessera unlock --code UNLOCK_CODE` or `tessera unlock --recovery`",
    )
}
