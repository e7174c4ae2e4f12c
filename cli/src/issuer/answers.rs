//! `issuer verify`, `challenge`, `verify-response` and `unlock-code`: the issuer answering what
//! a token shows. A refusal is status 1 with the reason on stderr, like every refusal.

use clap::Args;
use tessera_core::issuer::Issuer;
use zeroize::Zeroizing;

use crate::input;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The identity's serial number.
    serial: String,
    /// The security code the token shows.
    code: String,
    /// The time to verify at, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
}

pub fn verify(issuer: &Issuer, args: VerifyArgs) -> Result<Zeroizing<String>, Refusal> {
    let accepted = issuer.verify(&args.serial, &args.code, input::unix_time(args.at)?)?;
    Ok(Zeroizing::new(format!(
        "accepted (step {}, drift {} steps)\n",
        accepted.step, accepted.drift_steps
    )))
}

#[derive(Debug, Args)]
pub struct ChallengeArgs {
    /// The identity's serial number.
    serial: String,
    /// The time the challenge is issued, in Unix seconds (default: now); it expires 5 minutes
    /// later.
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
}

pub fn challenge(issuer: &Issuer, args: ChallengeArgs) -> Result<Zeroizing<String>, Refusal> {
    let question = issuer.issue_challenge(&args.serial, input::unix_time(args.at)?)?;
    Ok(Zeroizing::new(question + "\n"))
}

#[derive(Debug, Args)]
pub struct VerifyResponseArgs {
    /// The identity's serial number.
    serial: String,
    /// The challenge that was issued.
    challenge: String,
    /// The token's response.
    response: String,
    /// The time to verify at, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
}

pub fn verify_response(
    issuer: &Issuer,
    args: VerifyResponseArgs,
) -> Result<Zeroizing<String>, Refusal> {
    let at = input::unix_time(args.at)?;
    let accepted = issuer.verify_response(&args.serial, &args.challenge, &args.response, at)?;
    let line = match accepted.counter {
        Some(counter) => format!("accepted (counter {counter})\n"),
        None => "accepted\n".to_string(),
    };
    Ok(Zeroizing::new(line))
}

#[derive(Debug, Args)]
pub struct UnlockCodeArgs {
    /// The identity's serial number.
    serial: String,
    /// The 9-digit PIN reset code the locked token shows.
    reset_code: String,
}

pub fn unlock_code(issuer: &Issuer, args: UnlockCodeArgs) -> Result<Zeroizing<String>, Refusal> {
    let mut code = issuer.unlock_code(&args.serial, &args.reset_code)?;
    code.push('\n');
    Ok(code)
}
