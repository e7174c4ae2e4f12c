//! `tessera-server`: the organisation's side of Tessera as an HTTP service. It creates
//! IdentityGuard tokens for users, completes their registrations and verifies their codes,
//! with every rule from `tessera_core::issuer` and the tokens sealed in SQLite or PostgreSQL.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tessera_server::api_keys::Scope;
use tessera_server::commands::{self, Storage};
use tessera_server::config::{self, ConfigFile, LogFormat};
use tessera_server::database::users::Role;
use tessera_server::error::StartError;
use tessera_server::serve_options::ServeArgs;
use tessera_server::{issuer_import, key_rotation};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "tessera-server", version, about)]
struct Cli {
    /// A TOML configuration file with a key for each option; options given here win.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// How log lines are written to stderr: text (the default) or json.
    #[arg(long, value_name = "FORMAT", global = true)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the HTTP API until SIGINT or SIGTERM.
    Serve {
        #[command(flatten)]
        storage: Storage,
        // Boxed: serve's options outweigh every other command's.
        #[command(flatten)]
        options: Box<ServeArgs>,
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
    /// Moves the identities of a `tessera issuer` folder store into the server, for one user
    /// (the issuer passphrase from TESSERA_ISSUER_PASSPHRASE or the terminal).
    ImportIssuerStore {
        #[command(flatten)]
        storage: Storage,
        /// The issuer store's folder.
        dir: PathBuf,
        /// The user the identities are given to.
        #[arg(long)]
        user: String,
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
        /// `helpdesk` also opens the Self Service help desk pages.
        #[arg(long, value_enum, default_value = "user")]
        role: Role,
    },
    /// Adds the users of a CSV file, all or none: the header `user,password`, then one user
    /// per line (the passwords are hashed; delete the file afterwards).
    Import {
        #[command(flatten)]
        storage: Storage,
        /// The CSV file.
        file: PathBuf,
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
    /// Makes a new master key and re-seals every token under it (stop the servers first).
    Rotate {
        #[command(flatten)]
        storage: Storage,
    },
}

impl Command {
    fn storage_mut(&mut self) -> &mut Storage {
        match self {
            Command::Serve { storage, .. }
            | Command::Users {
                command: UsersCommand::Add { storage, .. } | UsersCommand::Import { storage, .. },
            }
            | Command::Keys {
                command: KeysCommand::Add { storage, .. } | KeysCommand::Rotate { storage },
            }
            | Command::Audit {
                command: AuditCommand::Export { storage },
            }
            | Command::ImportIssuerStore { storage, .. } => storage,
        }
    }
}

/// The configuration file's settings, or none without --config.
fn read_config(cli: &Cli) -> Result<ConfigFile, StartError> {
    cli.config
        .as_deref()
        .map_or_else(|| Ok(ConfigFile::default()), config::read)
}

fn start_logs(format: LogFormat) {
    let filter =
        EnvFilter::try_from_env("TESSERA_SERVER_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        // The event's fields (message included) at the top level, beside level and target.
        LogFormat::Json => logs.json().flatten_event(true).init(),
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let config = match read_config(&cli) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("tessera-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    start_logs(cli.log_format.or(config.log_format).unwrap_or_default());
    cli.command.storage_mut().apply(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tessera-server: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Serve { storage, options } => match options.merge(&config) {
                Ok(options) => commands::serve(storage, &options).await,
                Err(error) => Err(error),
            },
            Command::Users {
                command: UsersCommand::Import { storage, file },
            } => commands::import_users(storage, file).await,
            Command::Users {
                command:
                    UsersCommand::Add {
                        storage,
                        user,
                        password,
                        role,
                    },
            } => commands::add_user(storage, user, password.as_deref(), *role).await,
            Command::Keys {
                command:
                    KeysCommand::Add {
                        storage,
                        scopes,
                        label,
                    },
            } => commands::add_key(storage, scopes, label).await,
            Command::Keys {
                command: KeysCommand::Rotate { storage },
            } => key_rotation::rotate(storage).await,
            Command::Audit {
                command: AuditCommand::Export { storage },
            } => commands::export_audit(storage).await,
            Command::ImportIssuerStore { storage, dir, user } => {
                issuer_import::import(storage, dir, user).await
            }
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
