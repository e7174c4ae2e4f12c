//! `tessera-server`: the organisation's side of Tessera as an HTTP service. It creates
//! IdentityGuard tokens for users, completes their registrations and verifies their codes,
//! with every rule from `tessera_core::issuer` and the tokens sealed in SQLite or PostgreSQL.

mod api_keys;
mod commands;
mod commit_batch;
mod database;
mod error;
mod http;
mod master_key;
mod password_input;
mod passwords;
mod token_store;
mod user_names;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::api_keys::Scope;
use crate::commands::Storage;

#[derive(Debug, Parser)]
#[command(name = "tessera-server", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the HTTP API until SIGINT or SIGTERM.
    Serve {
        #[command(flatten)]
        storage: Storage,
        /// The address to listen on. Loopback by default: put a TLS-terminating proxy in
        /// front before listening anywhere else.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// The self-service address put in activation links when a request gives none.
        #[arg(long, value_name = "HOST/PATH")]
        address: Option<String>,
    },
    /// Manages users.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manages API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Reads the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Writes every audit event as JSON lines, oldest first.
    Export {
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Adds a user with a password (asked twice on the terminal, or `--password -`).
    Add {
        #[command(flatten)]
        storage: Storage,
        /// The user's name (their login).
        user: String,
        /// `-` reads the password from standard input.
        #[arg(long, value_name = "-")]
        password: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Makes an API key and prints it once.
    Add {
        #[command(flatten)]
        storage: Storage,
        /// What the key may do (repeat for several): enrol, verify.
        #[arg(long = "scope", value_name = "SCOPE", required = true)]
        scopes: Vec<Scope>,
        /// A note saying who uses the key.
        #[arg(long, default_value = "")]
        label: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("TESSERA_SERVER_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tessera-server: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Serve {
                storage,
                listen,
                address,
            } => commands::serve(storage, *listen, address.clone()).await,
            Command::Users {
                command:
                    UsersCommand::Add {
                        storage,
                        user,
                        password,
                    },
            } => commands::add_user(storage, user, password.as_deref()).await,
            Command::Keys {
                command:
                    KeysCommand::Add {
                        storage,
                        scopes,
                        label,
                    },
            } => commands::add_key(storage, scopes, label).await,
            Command::Audit {
                command: AuditCommand::Export { storage },
            } => commands::export_audit(storage).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tessera-server: {error}");
            ExitCode::FAILURE
        }
    }
}
