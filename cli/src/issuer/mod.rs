//! `tessera issuer --store DIR ...`: the organisation's console over an issuer store (create
//! identities, complete them, verify codes and responses, answer PIN reset codes).
//!
//! A shell like the others: every rule lives in tessera-core's `issuer` module; this parses
//! arguments, asks for the passphrase and prints. Exit status 0 when accepted, 1 when refused
//! (one line on stderr naming the problem), 2 for usage errors.

mod activation;
mod answers;
mod passphrase;
mod qr;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tessera_core::issuer::Issuer;
use zeroize::Zeroizing;

use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct IssuerArgs {
    /// The issuer store's folder (made, with a new passphrase, on first use).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    #[command(subcommand)]
    command: IssuerCommand,
}

#[derive(Debug, Subcommand)]
enum IssuerCommand {
    /// Create an identity; prints its activation data and link as JSON.
    Create(activation::CreateArgs),
    /// Complete an identity with the registration code its token shows.
    Complete(activation::CompleteArgs),
    /// Verify a security code (exit status 0 accepted, 1 refused).
    Verify(answers::VerifyArgs),
    /// Issue an OCRA challenge for an identity; prints the question.
    Challenge(answers::ChallengeArgs),
    /// Verify the response to a challenge (exit status 0 accepted, 1 refused).
    VerifyResponse(answers::VerifyResponseArgs),
    /// Answer a locked token's PIN reset code; prints the unlock code.
    UnlockCode(answers::UnlockCodeArgs),
}

pub fn run(args: IssuerArgs) -> Result<Zeroizing<String>, Refusal> {
    let issuer = open(args.store)?;
    match args.command {
        IssuerCommand::Create(args) => activation::create(&issuer, args),
        IssuerCommand::Complete(args) => activation::complete(&issuer, args),
        IssuerCommand::Verify(args) => answers::verify(&issuer, args),
        IssuerCommand::Challenge(args) => answers::challenge(&issuer, args),
        IssuerCommand::VerifyResponse(args) => answers::verify_response(&issuer, args),
        IssuerCommand::UnlockCode(args) => answers::unlock_code(&issuer, args),
    }
}

/// Opens the store, asking for a new passphrase (twice on a terminal) when it does not exist.
fn open(store: PathBuf) -> Result<Issuer, Refusal> {
    let new_store = !Issuer::exists(&store)?;
    let passphrase = passphrase::read(new_store)?;
    Ok(Issuer::open(store, &passphrase)?)
}
