//! `tessera`: the desktop token and a stateless code calculator.
//!
//! A shell like the phone apps: it parses arguments, calls tessera-core and prints. Exit
//! status 0 on success, 1 when the input was refused (one line on stderr naming the problem),
//! 2 for usage errors (clap's own).

mod calc;
mod decode;
mod input;
mod refusal;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tessera: an open soft token for second-factor authentication.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compute a code from a secret, statelessly (like oathtool).
    #[command(subcommand)]
    Calc(calc::CalcCommand),
    /// Show what an otpauth:// or igmobileotp:// link provisions, as JSON.
    Decode(decode::DecodeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Calc(command) => calc::run(command),
        Command::Decode(args) => decode::run(args),
    };
    match result {
        Ok(output) => {
            print!("{}", output.as_str());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("tessera: {message}");
            ExitCode::FAILURE
        }
    }
}
