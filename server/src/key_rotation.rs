//! `keys rotate`: a new master key, every token's record and every challenge answer re-sealed
//! under it in one transaction with the database's check value.
//!
//! When the key is in the file `master.key`, rotate makes the new key and swaps the files so
//! that a crash at any point leaves a server that starts with the key its records are sealed
//! under. The steps, and what a kill at each leaves:
//! 1. the new key is written to `master.key.new` (synced). Killed here: the database is
//!    untouched; the next start sees that the database's check value is not the new key's
//!    and removes `master.key.new`.
//! 2. one transaction re-seals every row and replaces the check value. Killed before the
//!    commit: as 1 (the database rolls back). After it: the records are sealed under the new
//!    key, which is in `master.key.new`.
//! 3. `master.key` is renamed `master.key.old`, then `master.key.new` becomes `master.key`,
//!    and `master.key.old` is removed. Killed anywhere in 3: the next start (or rotate) sees
//!    that `master.key.new` matches the database's check value and finishes the swap, or that
//!    only `master.key.old` is left over and removes it.
//!
//! When the key comes from the environment variable (as a KMS or secret store hands it over),
//! whoever keeps it there makes the new key and gives it in [`NEW_VARIABLE`]; rotate re-seals
//! under it in the one transaction, and the variable must then be switched. Killed before the
//! commit, the old key still opens everything; after it, only the new one does.
//!
//! Servers running during a rotation keep the old key in memory and fail to open records
//! until restarted, so rotate with the servers stopped.

use std::path::Path;

use subtle::ConstantTimeEq;
use tessera_core::identityguard::SerialNumber;
use tessera_core::issuer::{IssuerError, RecordKey, open_record, seal_record};
use zeroize::Zeroizing;

use crate::answer_sealing;
use crate::commands::Storage;
use crate::database::{audit, meta, tokens};
use crate::error::StartError;
use crate::master_key::{self, FILE, VARIABLE};

/// The environment variable holding the new key when the current one is in [`VARIABLE`].
pub const NEW_VARIABLE: &str = "TESSERA_SERVER_NEW_MASTER_KEY";
/// The new key, until the database's records are sealed under it.
const NEW_FILE: &str = "master.key.new";
/// The old key, until the new one is in place.
const OLD_FILE: &str = "master.key.old";

/// `keys rotate`.
pub async fn rotate(storage: &Storage) -> Result<(), StartError> {
    if std::env::var_os(VARIABLE).is_some() {
        return rotate_environment_key(storage).await;
    }
    if std::env::var_os(NEW_VARIABLE).is_some() {
        return Err(StartError::MasterKey(format!(
            "{NEW_VARIABLE} is set, but the master key is in {FILE}, not in {VARIABLE}: keys rotate makes the new key itself; unset {NEW_VARIABLE}"
        )));
    }
    let pool = storage.open().await?;
    let data = storage.data()?;
    let old = master_key::load(data, &pool).await?;
    let new = RecordKey::make()?;
    master_key::write_new(&data.join(NEW_FILE), &new)?;
    sync_folder(data)?;
    let (tokens, answers) = reseal_all(&pool, &old, &new).await?;
    swap(data)?;
    println!(
        "re-sealed {tokens} tokens and {answers} answers under a new master key; back up {FILE} again"
    );
    Ok(())
}

/// `keys rotate` with the key in [`VARIABLE`] and the new one in [`NEW_VARIABLE`].
async fn rotate_environment_key(storage: &Storage) -> Result<(), StartError> {
    let text = std::env::var_os(NEW_VARIABLE).ok_or_else(|| {
        StartError::MasterKey(format!(
            "the master key comes from {VARIABLE}: give the new key (64 hex digits, e.g. from `openssl rand -hex 32`) in {NEW_VARIABLE}"
        ))
    })?;
    let text = Zeroizing::new(text.into_string().map_err(|_| {
        StartError::MasterKey(format!(
            "{NEW_VARIABLE} must hold the new master key as 64 hex digits"
        ))
    })?);
    let new = master_key::parse(&text, NEW_VARIABLE)?;
    let pool = storage.open().await?;
    let old = master_key::load(storage.data()?, &pool).await?;
    if bool::from(old.as_bytes().ct_eq(new.as_bytes())) {
        return Err(StartError::MasterKey(format!(
            "{NEW_VARIABLE} holds the same key as {VARIABLE}: give a new one"
        )));
    }
    let (tokens, answers) = reseal_all(&pool, &old, &new).await?;
    println!(
        "re-sealed {tokens} tokens and {answers} answers under the key in {NEW_VARIABLE}; set {VARIABLE} to that key now (the old key opens nothing any more), then start the servers"
    );
    Ok(())
}

/// Re-seals every record and answer under `new` and records `new`'s check value, in one
/// transaction; returns how many tokens and answers were re-sealed.
async fn reseal_all(
    pool: &sqlx::AnyPool,
    old: &RecordKey,
    new: &RecordKey,
) -> Result<(usize, usize), StartError> {
    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    let rows = tokens::all(&mut transaction)
        .await
        .map_err(StartError::database)?;
    for (serial, sealed, _) in &rows {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let record = open_record(old, &serial, sealed.as_bytes())?;
        let resealed = String::from_utf8(seal_record(new, &record)?).map_err(|_| {
            StartError::Issuer(IssuerError::Internal {
                reason: "a sealed record is not text",
            })
        })?;
        tokens::reseal(&mut transaction, serial.as_digits(), &resealed)
            .await
            .map_err(StartError::database)?;
    }
    let answers = answer_sealing::reseal_all(&mut transaction, old, new).await?;
    meta::replace_key_check(&mut transaction, &master_key::check_value(new))
        .await
        .map_err(StartError::database)?;
    let outcome = format!("re-sealed {} tokens and {answers} answers", rows.len());
    audit::write(
        &mut transaction,
        &audit::Event {
            actor: "cli",
            action: "keys.rotate",
            subject: "master_key",
            outcome: &outcome,
            client: None,
        },
    )
    .await
    .map_err(StartError::database)?;
    transaction.commit().await.map_err(StartError::database)?;
    Ok((rows.len(), answers))
}

/// Puts `master.key.new` in place of `master.key`, keeping the old one as `master.key.old`
/// until the new one is there.
fn swap(data: &Path) -> Result<(), StartError> {
    let (current, new, old) = (data.join(FILE), data.join(NEW_FILE), data.join(OLD_FILE));
    if current.exists() {
        std::fs::rename(&current, &old).map_err(|e| StartError::file("rename", &current, &e))?;
        sync_folder(data)?;
    }
    std::fs::rename(&new, &current).map_err(|e| StartError::file("rename", &new, &e))?;
    sync_folder(data)?;
    remove_if_there(&old)?;
    sync_folder(data)
}

/// Finishes or undoes a rotation that was killed, given the database's check value.
pub fn finish_interrupted(data: &Path, stored_check: Option<&str>) -> Result<(), StartError> {
    let new = data.join(NEW_FILE);
    match std::fs::read_to_string(&new) {
        Ok(text) => {
            let text = zeroize::Zeroizing::new(text);
            let key = master_key::parse(&text, &new.display().to_string())?;
            if stored_check == Some(master_key::check_value(&key).as_str()) {
                tracing::warn!("finishing an interrupted key rotation: its new key is in use");
                swap(data)
            } else {
                tracing::warn!("removing the new key of a key rotation that did not commit");
                remove_if_there(&new)?;
                sync_folder(data)
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if data.join(FILE).exists() {
                remove_if_there(&data.join(OLD_FILE))?;
            }
            Ok(())
        }
        Err(e) => Err(StartError::file("read", &new, &e)),
    }
}

fn remove_if_there(path: &Path) -> Result<(), StartError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(StartError::file("remove", path, &e))
        }
        _ => Ok(()),
    }
}

/// Makes the folder's renames and new files durable.
fn sync_folder(data: &Path) -> Result<(), StartError> {
    #[cfg(unix)]
    std::fs::File::open(data)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| StartError::file("sync", data, &e))?;
    Ok(())
}
