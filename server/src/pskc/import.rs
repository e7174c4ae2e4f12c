//! `pskc import FILE [--user USER]`: each key package of a PSKC file becomes a registered
//! token, sealed under the master key, for `--user` or else the package's own user
//! (`Key/UserId`, or `DeviceInfo/UserId`), all in one transaction with an audit row each. The
//! package's serial number is kept when it is a serial the server can use (10 digits with their
//! check digit) and is free; otherwise the token gets a new one, printed beside the package.

use std::collections::HashMap;
use std::path::Path;

use tessera_core::SecretBytes;
use tessera_core::codes::{Algorithm, OcraSuite};
use tessera_core::identity::IdentityKind;
use tessera_core::identityguard::{CODE_PERIOD_SECONDS, SerialNumber};
use tessera_core::issuer::{IdentityRecord, make_serial_number, seal_record};
use tessera_core::transfer::pskc::{PskcKey, read_pskc};
use tessera_core::transfer::{ImportError, MAX_IMPORT_BYTES, Password};

use super::read_secret;
use crate::commands::Storage;
use crate::database::{audit, tokens, users};
use crate::error::StartError;
use crate::master_key;

/// New serial numbers tried when the drawn one is taken.
const SERIAL_TRIES: usize = 8;

/// `pskc import`.
pub async fn import(
    storage: &Storage,
    file: &Path,
    user: Option<&str>,
    secret: Option<&str>,
) -> Result<(), StartError> {
    let bytes = read_file(file)?;
    let refused = |error: ImportError| StartError::Input {
        field: "FILE",
        message: error.to_string(),
    };
    let pskc = match read_pskc(&bytes, None) {
        Err(ImportError::PasswordNeeded { .. }) => {
            let given = read_secret(secret, "Pre-shared key (hex) or password: ")?;
            read_pskc(&bytes, Some(&Password::from(given))).map_err(refused)?
        }
        other => other.map_err(refused)?,
    };
    let pool = storage.open().await?;
    if let Some(user) = user {
        if !users::exists(&pool, user)
            .await
            .map_err(StartError::database)?
        {
            return Err(StartError::Input {
                field: "--user",
                message: format!("there is no user {user:?}; add it with `users add` first"),
            });
        }
    }
    let key = master_key::load(storage.data()?, &pool).await?;
    let mut known: HashMap<String, bool> = HashMap::new();
    let mut report = Vec::new();
    let mut skipped = pskc.skipped.len();
    for entry in &pskc.skipped {
        report.push(format!("skipped: {entry}"));
    }
    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    let mut imported = 0;
    for (label, package) in &pskc.keys {
        let Some(owner) = user.or(package.user.as_deref()) else {
            skipped += 1;
            report.push(format!(
                "skipped: {label}: it names no user (Key/UserId); give --user to import it"
            ));
            continue;
        };
        let exists = match known.get(owner) {
            Some(exists) => *exists,
            None => {
                let exists = users::exists(&pool, owner)
                    .await
                    .map_err(StartError::database)?;
                known.insert(owner.to_owned(), exists);
                exists
            }
        };
        if !exists {
            skipped += 1;
            report.push(format!(
                "skipped: {label}: there is no user {owner:?} (add it with `users add`, or give --user)"
            ));
            continue;
        }
        let (digits, secret, ocra) = match token_of(package) {
            Ok(parts) => parts,
            Err(reason) => {
                skipped += 1;
                report.push(format!("skipped: {label}: {reason}"));
                continue;
            }
        };
        let kept = package
            .serial
            .as_deref()
            .and_then(|s| s.parse::<SerialNumber>().ok());
        let mut placed = None;
        for candidate in kept
            .into_iter()
            .map(Ok)
            .chain((0..SERIAL_TRIES).map(|_| make_serial_number()))
        {
            let serial = candidate?;
            let record = match IdentityRecord::import_registered(
                serial.clone(),
                owner,
                digits,
                secret.clone(),
                ocra.clone(),
            ) {
                Ok(record) => record,
                Err(error) => {
                    placed = Some(Err(error.to_string()));
                    break;
                }
            };
            let sealed = String::from_utf8(seal_record(&key, &record)?)
                .map_err(|e| StartError::Database(e.to_string()))?;
            if tokens::insert(&mut transaction, serial.as_digits(), owner, &sealed)
                .await
                .map_err(StartError::database)?
            {
                placed = Some(Ok(serial));
                break;
            }
        }
        match placed {
            Some(Ok(serial)) => {
                audit::write(
                    &mut transaction,
                    &audit::Event {
                        actor: "cli",
                        action: "token.import_pskc",
                        subject: serial.as_digits(),
                        outcome: "imported",
                        client: None,
                    },
                )
                .await
                .map_err(StartError::database)?;
                imported += 1;
                report.push(format!("imported: {label} as token {serial} for {owner}"));
            }
            Some(Err(reason)) => {
                skipped += 1;
                report.push(format!("skipped: {label}: {reason}"));
            }
            None => {
                return Err(StartError::Database(
                    "no free serial number was found for an imported token".into(),
                ));
            }
        }
    }
    transaction.commit().await.map_err(StartError::database)?;
    for line in report {
        println!("{line}");
    }
    println!("imported {imported} tokens ({skipped} skipped)");
    Ok(())
}

/// The file, refused before reading when it is larger than any PSKC file Tessera reads.
fn read_file(file: &Path) -> Result<Vec<u8>, StartError> {
    let size = std::fs::metadata(file)
        .map_err(|e| StartError::file("read", file, &e))?
        .len();
    if size > MAX_IMPORT_BYTES as u64 {
        return Err(StartError::Input {
            field: "FILE",
            message: format!("the file is {size} bytes long; at most {MAX_IMPORT_BYTES} are read"),
        });
    }
    std::fs::read(file).map_err(|e| StartError::file("read", file, &e))
}

/// What a server token keeps of a key: digits, secret and OCRA suite with its counter; or why
/// the server's tokens cannot be this key.
fn token_of(key: &PskcKey) -> Result<(u8, SecretBytes, Option<(OcraSuite, u64)>), String> {
    match &key.kind {
        IdentityKind::Totp { secret, params }
            if params.algorithm == Algorithm::Sha256
                && params.period == CODE_PERIOD_SECONDS
                && matches!(params.digits, 6 | 8) =>
        {
            Ok((params.digits, secret.clone(), None))
        }
        IdentityKind::Ocra { secret, ocra } => {
            let digits = if ocra.suite.digits() == 8 { 8 } else { 6 };
            Ok((digits, secret.clone(), Some((ocra.suite.clone(), ocra.counter))))
        }
        IdentityKind::Totp { params, .. } => Err(format!(
            "it is TOTP with {} every {} seconds in {} digits; the server's tokens make HMAC-SHA256 codes every 30 seconds in 6 or 8 digits",
            params.algorithm, params.period, params.digits
        )),
        IdentityKind::Hotp { .. } => Err(
            "it is HOTP (counter-based); the server's tokens verify TOTP (HMAC-SHA256, 30 seconds) and OCRA"
                .to_string(),
        ),
        IdentityKind::Steam { .. } | IdentityKind::IdentityGuard(_) => {
            Err("it is not a kind of key the server holds".to_string())
        }
    }
}
