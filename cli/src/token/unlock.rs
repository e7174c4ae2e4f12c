//! `tessera unlock`: the way back into a locked token.

use std::path::PathBuf;

use clap::Args;
use tessera_core::session::TokenStatus;
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;
use crate::secret::RECOVERY_KEY;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("with").args(["code", "recovery"]))]
pub struct UnlockArgs {
    /// The unlock code the organisation gave for the reset code.
    #[arg(long)]
    code: Option<String>,
    /// The recovery key: `--recovery` alone asks for it (TESSERA_RECOVERY_KEY without a
    /// terminal), `--recovery -` reads it from standard input. Never the key itself: the process
    /// list and the shell history would keep it.
    #[arg(long, value_name = "KEY", num_args = 0..=1)]
    recovery: Option<Option<String>>,
}

pub fn run(home: PathBuf, args: UnlockArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    let done = "the token is unlocked and has a new PIN\n";
    if let Some(code) = &args.code {
        let pin = pin::new()?;
        session
            .unlock_with_code(code, &pin)
            .map_err(super::explain)?;
        super::warn_after_new_pin(&session, &pin);
        return Ok(Zeroizing::new(done.to_string()));
    }
    if let Some(given) = &args.recovery {
        let key = RECOVERY_KEY.read(given.as_deref())?;
        let pin = pin::new()?;
        session
            .unlock_with_recovery_key(&key, &pin)
            .map_err(super::explain)?;
        super::warn_after_new_pin(&session, &pin);
        return Ok(Zeroizing::new(done.to_string()));
    }
    let text = match session.status().map_err(super::explain)? {
        TokenStatus::LockedOut {
            reset_code: Some(reset_code),
            unlock_attempts_left,
            recovery_key,
        } => format!(
            "the token is locked\nPIN reset code: {reset_code}\ngive it to your organisation's help desk, then run `tessera unlock --code UNLOCK_CODE` ({unlock_attempts_left} tries left){}\n",
            if recovery_key {
                "\nor run `tessera unlock --recovery`"
            } else {
                ""
            }
        ),
        TokenStatus::LockedOut {
            reset_code: None,
            recovery_key: true,
            ..
        } => "the token is locked\nrun `tessera unlock --recovery` and type your recovery key\n"
            .to_string(),
        TokenStatus::LockedOut { .. } => {
            return Err(Refusal::new(
                "the token is locked and has no way left to unlock it (no unlock code tries and no recovery key): restore a backup or add your identities again",
            ));
        }
        TokenStatus::NeedsPin { attempts_left } => {
            format!(
                "the token is not locked out: unlock it with your PIN ({attempts_left} tries left)\n"
            )
        }
        TokenStatus::Unlocked => "the token is unlocked\n".to_string(),
        TokenStatus::NoToken => {
            return Err(Refusal::new(
                "there is no token here yet: add an identity to set one up",
            ));
        }
    };
    Ok(Zeroizing::new(text))
}
