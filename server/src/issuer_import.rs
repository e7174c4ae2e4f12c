//! `import-issuer-store DIR --user USER`: moves the identities a `tessera issuer` folder store
//! holds into the server. Each record is read with the issuer passphrase (core's folder
//! store), sealed again under the server's master key, and inserted for the user, with an
//! audit row; all in one transaction, so an import is whole or not at all. Serial numbers the
//! server has already are left as they are (an import can be run again). The folder is only
//! read.

use std::path::Path;

use tessera_core::issuer::{Issuer, seal_record};
use zeroize::Zeroizing;

use crate::commands::Storage;
use crate::database::{audit, tokens, users};
use crate::error::StartError;
use crate::master_key;

/// Where the issuer passphrase is read from (as `tessera issuer` reads it), else the terminal.
pub const PASSPHRASE_VARIABLE: &str = "TESSERA_ISSUER_PASSPHRASE";

/// `import-issuer-store`.
pub async fn import(storage: &Storage, dir: &Path, user: &str) -> Result<(), StartError> {
    if !Issuer::exists(dir)? {
        return Err(StartError::Input {
            field: "DIR",
            message: format!("{} holds no issuer store (no store.json)", dir.display()),
        });
    }
    let pool = storage.open().await?;
    if !users::exists(&pool, user)
        .await
        .map_err(StartError::database)?
    {
        return Err(StartError::Input {
            field: "--user",
            message: format!("there is no user {user:?}; add it with `users add` first"),
        });
    }
    let key = master_key::load(storage.data()?, &pool).await?;
    let passphrase = passphrase()?;
    let folder = dir.to_owned();
    let records = tokio::task::spawn_blocking(move || {
        let issuer = Issuer::open(folder, &passphrase)?;
        issuer
            .serials()?
            .iter()
            .map(|serial| issuer.record(serial))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| StartError::Database(e.to_string()))??;
    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    let (mut imported, mut present) = (0, 0);
    for record in &records {
        let sealed = String::from_utf8(seal_record(&key, record)?)
            .map_err(|e| StartError::Database(e.to_string()))?;
        let serial = record.serial().as_digits();
        let inserted = tokens::insert(&mut transaction, serial, user, &sealed)
            .await
            .map_err(StartError::database)?;
        let outcome = if inserted {
            imported += 1;
            "imported"
        } else {
            present += 1;
            "skipped: serial already present"
        };
        let event = audit::Event {
            actor: "cli",
            action: "token.import",
            subject: serial,
            outcome,
            client: None,
        };
        audit::write(&mut transaction, &event)
            .await
            .map_err(StartError::database)?;
    }
    transaction.commit().await.map_err(StartError::database)?;
    println!("imported {imported} tokens for {user} ({present} were there already)");
    Ok(())
}

fn passphrase() -> Result<Zeroizing<String>, StartError> {
    if let Some(value) = std::env::var_os(PASSPHRASE_VARIABLE) {
        return value
            .into_string()
            .map(Zeroizing::new)
            .map_err(|_| StartError::Input {
                field: PASSPHRASE_VARIABLE,
                message: "the passphrase must be UTF-8".into(),
            });
    }
    rpassword::prompt_password("Issuer passphrase: ")
        .map(Zeroizing::new)
        .map_err(|e| StartError::Input {
            field: PASSPHRASE_VARIABLE,
            message: format!("no passphrase: set {PASSPHRASE_VARIABLE} or run on a terminal ({e})"),
        })
}
