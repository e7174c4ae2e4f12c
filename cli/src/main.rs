//! `tessera`: the desktop token (its identities, codes, PIN, settings, imports, exports and
//! encrypted backups), a stateless code calculator, a link decoder, the narrated demo and the
//! issuer console.
//!
//! A shell like the phone apps: it parses arguments, calls tessera-core and prints. Every
//! secret it takes (PINs, passwords, the recovery key, activation data) is read one way, in
//! [`secret`], so none has to appear in the process list or the shell history. Output that
//! holds a secret stays in buffers wiped on drop. Exit status 0 on success, 1 when the input
//! was refused (one line on stderr naming the problem), 2 for usage errors (clap's own).

mod backup;
mod bounded_read;
mod calc;
mod decode;
mod demo;
mod input;
mod issuer;
mod pin;
mod refusal;
mod scratch;
mod secret;
mod token;
mod web_demo;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tessera: an open soft token for second-factor authentication.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about)]
struct Cli {
    /// The token's folder (default: TESSERA_HOME, else the per-user data folder).
    #[arg(long, global = true)]
    home: Option<PathBuf>,
    /// Keep the token's file without a device key from the system keystore, on purpose
    /// (servers, CI; also TESSERA_NO_DEVICE_KEY=1): only the PIN then protects a copy of it.
    #[arg(long, global = true)]
    no_device_key: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct DemoArgs {
    /// Instead, serve an example organisation's Self Service pages on a loopback port (with
    /// tessera-server) and walk the flow in a browser, with this program as the token.
    #[arg(long)]
    web: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Walk through the whole flow, organisation and token, narrated (no input needed).
    Demo(DemoArgs),
    /// Compute a code from a secret, statelessly (like oathtool).
    #[command(subcommand)]
    Calc(calc::CalcCommand),
    /// Show what an otpauth:// or igmobileotp:// link provisions, as JSON.
    Decode(decode::DecodeArgs),
    /// Add an identity (sets up the token and its PIN the first time).
    Add(token::add::AddArgs),
    /// Give an IdentityGuard identity new activation data (it keeps its name and place).
    Reactivate(token::add::ReactivateArgs),
    /// List the identities.
    List(token::codes::ListArgs),
    /// Show the current code of one identity, or of all.
    Code(token::codes::CodeArgs),
    /// Answer a challenge (OCRA) with an identity.
    Challenge(token::codes::ChallengeArgs),
    /// Rename an identity.
    Rename(token::manage::RenameArgs),
    /// Remove an identity.
    Remove(token::manage::RemoveArgs),
    /// Change the PIN.
    #[command(subcommand)]
    Pin(token::manage::PinCommand),
    /// Show the PIN reset code of a locked token, or unlock it with an unlock code or the
    /// recovery key and set a new PIN.
    Unlock(token::unlock::UnlockArgs),
    /// Show or change the settings.
    #[command(subcommand)]
    Settings(token::manage::SettingsCommand),
    /// Import identities from another authenticator's export, plain or encrypted, or restore
    /// a Tessera backup.
    Import(token::import::ImportArgs),
    /// Export the identities, secrets included, as otpauth:// links or Google Authenticator
    /// export links (or their QR codes), or as a Tessera encrypted backup.
    Export(token::export::ExportArgs),
    /// Make a recovery key (shown once) that can open the token if the PIN is lost.
    RecoveryKey,
    /// Tessera's own encrypted backups: check one (make one with `export --format tessera`,
    /// restore one with `import`).
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The organisation's side: create identities, verify codes, answer reset codes.
    Issuer(issuer::IssuerArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
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

fn run(cli: Cli) -> Result<zeroize::Zeroizing<String>, refusal::Refusal> {
    token::device_key::set_opt_out_flag(cli.no_device_key);
    let home = || token::home(cli.home.clone());
    match cli.command {
        Command::Demo(DemoArgs { web: false }) => demo::run(),
        Command::Demo(DemoArgs { web: true }) => web_demo::run(),
        Command::Calc(command) => calc::run(command),
        Command::Decode(args) => decode::run(args),
        Command::Add(args) => token::add::run(home()?, args),
        Command::Reactivate(args) => token::add::reactivate(home()?, args),
        Command::List(args) => token::codes::list(home()?, args),
        Command::Code(args) => token::codes::code(home()?, args),
        Command::Challenge(args) => token::codes::challenge(home()?, args),
        Command::Rename(args) => token::manage::rename(home()?, args),
        Command::Remove(args) => token::manage::remove(home()?, args),
        Command::Pin(command) => token::manage::pin(home()?, command),
        Command::Unlock(args) => token::unlock::run(home()?, args),
        Command::Settings(command) => token::manage::settings(home()?, command),
        Command::Import(args) => token::import::run(home()?, args),
        Command::Export(args) => token::export::run(home()?, args),
        Command::RecoveryKey => token::manage::recovery_key(home()?),
        Command::Backup(command) => backup::run(command),
        Command::Issuer(args) => issuer::run(args),
    }
}
