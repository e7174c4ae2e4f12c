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
use tessera_server::{issuer_import, key_rotation, pskc};
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
    /// Moves user tokens in and out as PSKC files (RFC 6030).
    Pskc {
        #[command(subcommand)]
        command: PskcCommand,
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
enum PskcCommand {
    /// Makes each key package of a PSKC file a registered token, for --user or the package's
    /// own user (TOTP HMAC-SHA256 30-second keys and OCRA keys; others are skipped with the
    /// reason). An encrypted file's pre-shared key (hex) or password: `--secret -` from
    /// standard input, else TESSERA_PSKC_SECRET, else asked on the terminal.
    Import {
        #[command(flatten)]
        storage: Storage,
        /// The PSKC file.
        file: PathBuf,
        /// The user every token is given to, instead of the users the file names.
        #[arg(long)]
        user: Option<String>,
        /// `-` reads the pre-shared key or password from standard input.
        #[arg(long, value_name = "-")]
        secret: Option<String>,
    },
    /// Writes the chosen tokens' secrets to a PSKC file (owner-only, whole or not at all),
    /// encrypted with a pre-shared key (--key) or a password (--password); --plain writes them
    /// unencrypted. The key (hex) or password: `--secret -` from standard input, else
    /// TESSERA_PSKC_SECRET, else asked on the terminal.
    Export {
        #[command(flatten)]
        storage: Storage,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Every token of this user (repeat for several).
        #[arg(long = "user", value_name = "USER")]
        users: Vec<String>,
        /// This token (repeat for several).
        #[arg(long = "serial", value_name = "SERIAL")]
        serials: Vec<String>,
        /// Every token of the server.
        #[arg(long)]
        all: bool,
        /// Encrypt with a pre-shared AES key, given as 32, 48 or 64 hexadecimal digits.
        #[arg(long, group = "protection")]
        key: bool,
        /// Encrypt with a password (PBKDF2-HMAC-SHA256).
        #[arg(long, group = "protection")]
        password: bool,
        /// Write the secrets unencrypted.
        #[arg(long, group = "protection")]
        plain: bool,
        /// The name written for the pre-shared key, so the receiver knows which key to use.
        #[arg(long, default_value = "tessera-server")]
        key_name: String,
        /// `-` reads the pre-shared key or password from standard input.
        #[arg(long, value_name = "-")]
        secret: Option<String>,
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
            | Command::Pskc {
                command: PskcCommand::Import { storage, .. } | PskcCommand::Export { storage, .. },
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
            Command::Pskc {
                command:
                    PskcCommand::Import {
                        storage,
                        file,
                        user,
                        secret,
                    },
            } => pskc::import(storage, file, user.as_deref(), secret.as_deref()).await,
            Command::Pskc {
                command:
                    PskcCommand::Export {
                        storage,
                        out,
                        users,
                        serials,
                        all,
                        key,
                        password,
                        plain,
                        key_name,
                        secret,
                    },
            } => {
                let protection = match (*key, *password, *plain) {
                    (true, _, _) => Some(pskc::Protection::Key),
                    (_, true, _) => Some(pskc::Protection::Password),
                    (_, _, true) => Some(pskc::Protection::Plain),
                    _ => None,
                };
                match protection {
                    None => Err(StartError::Input {
                        field: "--key",
                        message: "say how the file is protected: --key (a pre-shared key), --password, or --plain to write the secrets unencrypted".into(),
                    }),
                    Some(protection) => {
                        let args = pskc::ExportArgs {
                            out,
                            users,
                            serials,
                            all: *all,
                            protection,
                            secret: secret.as_deref(),
                            key_name,
                        };
                        pskc::export(storage, &args).await
                    }
                }
            }
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
