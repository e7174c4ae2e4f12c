//! `tessera rename`, `remove`, `pin change`, `settings`, `recovery-key`: changing the token.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The identity's current name or issuer.
    name: String,
    /// Its new name.
    new_name: String,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The identity's name or issuer.
    name: String,
}

#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Change the PIN (TESSERA_PIN and TESSERA_NEW_PIN without a terminal).
    Change,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show the settings.
    Show,
    /// Correct the clock for time-based codes by SECONDS (negative to go back).
    TimeOffset {
        #[arg(allow_hyphen_values = true)]
        seconds: i64,
    },
    /// Wrong PINs in a row that lock the token (1 to 100); the PIN is checked again.
    Lockout { attempts: u32 },
    /// Seconds (0 to 3600) the phone apps may stay in the background before they lock the
    /// token; kept with the token, not used by this command line.
    AutoLock { seconds: u32 },
    /// Whether the organisation may open a locked token with an unlock code; off removes the
    /// unlock slot, so only the recovery key opens a locked token.
    UnlockCodes { state: OnOff },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

pub fn rename(home: PathBuf, args: RenameArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identity = session.find(&args.name)?;
    let renamed = session.rename(&identity.id, &args.new_name)?;
    Ok(Zeroizing::new(format!(
        "renamed: {} -> {}\n",
        identity.name, renamed.name
    )))
}

pub fn remove(home: PathBuf, args: RemoveArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identity = session.find(&args.name)?;
    session.remove(&identity.id)?;
    Ok(Zeroizing::new(format!("removed: {}\n", identity.name)))
}

pub fn pin(home: PathBuf, command: PinCommand) -> Result<Zeroizing<String>, Refusal> {
    let PinCommand::Change = command;
    let session = super::session(home);
    super::unlock(&session)?;
    let current = pin::current()?;
    let new = pin::new_once()?;
    let again = pin::confirm_new()?;
    session
        .change_pin_confirmed(&current, &new, &again)
        .map_err(super::explain)?;
    super::warn_after_new_pin(&session, &new);
    let mut said = "the PIN was changed\n".to_string();
    if !session.settings()?.has_recovery_key {
        said.push_str(NO_RECOVERY_KEY);
    }
    Ok(Zeroizing::new(said))
}

/// Said when the token has no recovery key, which happens when a PIN change had to drop a
/// recovery key made by an older Tessera (it cannot follow the new data key).
const NO_RECOVERY_KEY: &str =
    "the token has no recovery key now: make one with `tessera recovery-key` and write it down\n";

pub fn settings(home: PathBuf, command: SettingsCommand) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    let pin = super::unlock(&session)?;
    match command {
        SettingsCommand::Show => {}
        SettingsCommand::TimeOffset { seconds } => session.set_time_offset(seconds)?,
        SettingsCommand::Lockout { attempts } => session
            .set_lockout_threshold(attempts, &pin)
            .map_err(super::explain)?,
        SettingsCommand::AutoLock { seconds } => session.set_auto_lock_seconds(seconds)?,
        SettingsCommand::UnlockCodes { state } => session
            .set_unlock_codes(&pin, state == OnOff::On)
            .map_err(super::explain)?,
    }
    let settings = session.settings()?;
    let on_off = |on| if on { "on" } else { "off" };
    let mut said = format!(
        "time offset: {} s\nlockout after: {} wrong PINs\nauto-lock after: {} s in the background\nunlock codes: {}\nrecovery key: {}\n",
        settings.time_offset_seconds,
        settings.lockout_threshold,
        settings.auto_lock_seconds,
        on_off(settings.unlock_codes),
        if settings.has_recovery_key {
            "set"
        } else {
            "none"
        },
    );
    said.push_str(if settings.device_bound {
        "device key: in the system keystore\n"
    } else {
        "device key: none (only the PIN protects a copy of the token's file)\n"
    });
    if !settings.has_recovery_key {
        said.push_str(NO_RECOVERY_KEY);
    }
    Ok(Zeroizing::new(said))
}

pub fn recovery_key(home: PathBuf) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    let pin = super::unlock(&session)?;
    let key = session.add_recovery_key(&pin).map_err(super::explain)?;
    Ok(Zeroizing::new(format!(
        "recovery key (write it down now; it is not shown again and replaces any earlier one):\n{}\n",
        key.as_str()
    )))
}
