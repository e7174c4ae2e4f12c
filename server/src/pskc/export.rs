//! `pskc export --out FILE`: chosen tokens' secrets as a PSKC file, for another server or a
//! token. Encrypted with a pre-shared key (`--key`, AES with the key's size) or a password
//! (`--password`, PBKDF2-HMAC-SHA256 and AES-256); unencrypted only with `--plain`. Only
//! registered, enabled tokens have a secret to give; others are listed as skipped. The file is
//! written owner-only (0600) beside its final name and renamed into place, so it is whole or
//! absent; each exported token gets an audit row.

use std::io::Write;
use std::path::{Path, PathBuf};

use tessera_core::identity::{IdentityKind, OcraChallenge};
use tessera_core::identityguard::{SerialNumber, code_params};
use tessera_core::issuer::open_record;
use tessera_core::transfer::Password;
use tessera_core::transfer::pskc::{EXPORT_PBKDF2_ITERATIONS, PskcKey, PskcProtection, write_pskc};
use zeroize::Zeroizing;

use super::read_secret;
use crate::commands::Storage;
use crate::database::{audit, tokens};
use crate::error::StartError;
use crate::master_key;

/// The shortest export password accepted.
const MIN_PASSWORD_CHARS: usize = 12;

/// How the file is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// A pre-shared AES key, given in hex.
    Key,
    /// A password.
    Password,
    /// None: the secrets in the clear.
    Plain,
}

/// Which tokens go into the file and how it is protected.
#[derive(Debug)]
pub struct ExportArgs<'a> {
    /// The file to write.
    pub out: &'a Path,
    /// Every token of these users.
    pub users: &'a [String],
    /// These tokens.
    pub serials: &'a [String],
    /// Every token of the server.
    pub all: bool,
    /// How the file is protected.
    pub protection: Protection,
    /// `-` to read the key or password from standard input.
    pub secret: Option<&'a str>,
    /// The name written for the pre-shared key (`ds:KeyName`).
    pub key_name: &'a str,
}

/// `pskc export`.
pub async fn export(storage: &Storage, args: &ExportArgs<'_>) -> Result<(), StartError> {
    if !args.all && args.users.is_empty() && args.serials.is_empty() {
        return Err(StartError::Input {
            field: "--user",
            message: "choose the tokens: --user USER, --serial SERIAL (each may repeat) or --all"
                .into(),
        });
    }
    let protection = protection(args)?;
    let pool = storage.open().await?;
    let key = master_key::load(storage.data()?, &pool).await?;
    let mut chosen: Vec<(String, String)> = Vec::new();
    if args.all {
        let mut transaction = pool.begin().await.map_err(StartError::database)?;
        for (serial, _, _) in tokens::all(&mut transaction)
            .await
            .map_err(StartError::database)?
        {
            let user = tokens::user_of(&pool, &serial)
                .await
                .map_err(StartError::database)?;
            chosen.extend(user.map(|user| (serial, user)));
        }
    }
    for user in args.users {
        let listed = tokens::of_user(&pool, user)
            .await
            .map_err(StartError::database)?;
        if listed.is_empty() {
            return Err(StartError::Input {
                field: "--user",
                message: format!("the user {user:?} has no tokens (or does not exist)"),
            });
        }
        chosen.extend(listed.into_iter().map(|t| (t.serial, user.clone())));
    }
    for given in args.serials {
        let serial: SerialNumber = given.parse().map_err(|e| StartError::Input {
            field: "--serial",
            message: format!("{given:?}: {e}"),
        })?;
        let user = tokens::user_of(&pool, serial.as_digits())
            .await
            .map_err(StartError::database)?
            .ok_or_else(|| StartError::Input {
                field: "--serial",
                message: format!("there is no token {serial}"),
            })?;
        chosen.push((serial.as_digits().to_owned(), user));
    }
    chosen.sort();
    chosen.dedup();

    let mut keys = Vec::new();
    let mut skipped = Vec::new();
    for (serial, user) in &chosen {
        let Some(row) = tokens::read(&pool, serial)
            .await
            .map_err(StartError::database)?
        else {
            continue;
        };
        let parsed: SerialNumber = serial.parse().map_err(|_| {
            StartError::Database(format!("the stored serial {serial} is not valid"))
        })?;
        if row.disabled {
            skipped.push(format!("skipped: token {parsed} of {user}: it is disabled"));
            continue;
        }
        let record = open_record(&key, &parsed, row.record.as_bytes())?;
        let Some(exported) = record.key_for_export() else {
            skipped.push(format!(
                "skipped: token {parsed} of {user}: it is not registered yet, so it has no secret"
            ));
            continue;
        };
        let kind = match exported.ocra {
            Some((suite, counter)) => IdentityKind::Ocra {
                secret: exported.secret.clone(),
                ocra: OcraChallenge {
                    suite: suite.clone(),
                    counter,
                },
            },
            None => IdentityKind::Totp {
                secret: exported.secret.clone(),
                params: code_params(exported.digits)
                    .map_err(|e| StartError::Database(e.to_string()))?,
            },
        };
        keys.push(PskcKey {
            serial: Some(serial.clone()),
            user: Some(user.clone()),
            issuer: None,
            id: Some(serial.clone()),
            kind,
        });
    }
    let text = write_pskc(&keys, &protection).map_err(|e| StartError::Input {
        field: "--secret",
        message: e.to_string(),
    })?;
    write_owner_only(args.out, text.as_bytes())?;

    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    for key in &keys {
        let serial = key.serial.as_deref().unwrap_or_default();
        audit::write(
            &mut transaction,
            &audit::Event {
                actor: "cli",
                action: "token.export_pskc",
                subject: serial,
                outcome: match args.protection {
                    Protection::Key => "exported, pre-shared key",
                    Protection::Password => "exported, password",
                    Protection::Plain => "exported, not encrypted",
                },
                client: None,
            },
        )
        .await
        .map_err(StartError::database)?;
    }
    transaction.commit().await.map_err(StartError::database)?;
    for line in &skipped {
        println!("{line}");
    }
    println!(
        "exported {} tokens to {} ({}; {} skipped)",
        keys.len(),
        args.out.display(),
        match args.protection {
            Protection::Key => "encrypted with the pre-shared key",
            Protection::Password => "encrypted with the password",
            Protection::Plain => "NOT encrypted: keep it like the secrets it holds",
        },
        skipped.len()
    );
    Ok(())
}

/// The protection asked for, with its key or password read.
fn protection(args: &ExportArgs<'_>) -> Result<PskcProtection, StartError> {
    match args.protection {
        Protection::Plain => Ok(PskcProtection::Plain),
        Protection::Key => {
            let text = read_secret(args.secret, "Pre-shared key (hex): ")?;
            let digits: Zeroizing<String> =
                Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
            let key = data_encoding::HEXLOWER_PERMISSIVE
                .decode(digits.as_bytes())
                .ok()
                .filter(|key| [16, 24, 32].contains(&key.len()))
                .ok_or_else(|| StartError::Input {
                    field: "--secret",
                    message: "the pre-shared key must be 32, 48 or 64 hexadecimal digits (AES-128, -192 or -256)".into(),
                })?;
            Ok(PskcProtection::PreSharedKey {
                key: Zeroizing::new(key),
                name: args.key_name.to_owned(),
            })
        }
        Protection::Password => {
            let password = read_secret(args.secret, "Password for the file: ")?;
            if password.chars().count() < MIN_PASSWORD_CHARS {
                return Err(StartError::Input {
                    field: "--secret",
                    message: format!(
                        "the password must have at least {MIN_PASSWORD_CHARS} characters: the file holds every chosen token's secret"
                    ),
                });
            }
            Ok(PskcProtection::Password {
                password: Password::from(password),
                iterations: EXPORT_PBKDF2_ITERATIONS,
            })
        }
    }
}

/// Writes `bytes` to `path` readable by its owner only, whole or not at all: into a new file
/// beside it, synced, then renamed over it.
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<(), StartError> {
    let name = path
        .file_name()
        .ok_or_else(|| StartError::Input {
            field: "--out",
            message: format!("{} names no file", path.display()),
        })?
        .to_string_lossy()
        .into_owned();
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let partial: PathBuf = folder.join(format!(".{name}.partial-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| std::fs::rename(&partial, path)) {
        let _ = std::fs::remove_file(&partial);
        return Err(StartError::file("write", path, &error));
    }
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}
