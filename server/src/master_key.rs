//! The server's master key: the XChaCha20-Poly1305 key every token record and challenge answer
//! is sealed under.
//!
//! It comes from the environment variable [`VARIABLE`] (64 hex digits) when that is set, else
//! from the file [`FILE`] in the data folder, which only its owner may read (mode 0600; a file
//! others can read is refused, as ssh refuses a readable private key). It is never written to
//! the database: the database keeps only a check value, a SHA-256 of the key under a fixed
//! label, so a server started with the wrong key stops instead of failing token by token. A
//! new installation makes the key file on its first start; one whose database already has a
//! check value never makes a new key.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use tessera_core::issuer::RecordKey;
use zeroize::Zeroizing;

use crate::database::meta;
use crate::error::StartError;

/// The environment variable that can hold the key instead of the file.
pub const VARIABLE: &str = "TESSERA_SERVER_MASTER_KEY";
/// The key file's name inside the data folder.
pub const FILE: &str = "master.key";

/// The master key for the database `pool`: read, or made on a new installation, and checked
/// against the database; answers stored unsealed by an older server are sealed under it.
pub async fn load(data: &Path, pool: &AnyPool) -> Result<RecordKey, StartError> {
    let stored = meta::key_check(pool).await?;
    if std::env::var_os(VARIABLE).is_none() {
        crate::key_rotation::finish_interrupted(data, stored.as_deref())?;
    }
    let key = match read(data)? {
        Some(key) => key,
        None if stored.is_none() => make(data)?,
        None => {
            return Err(StartError::MasterKey(format!(
                "the database's records are sealed with a master key, but neither {VARIABLE} nor {} holds one; restore the key file from its backup",
                data.join(FILE).display()
            )));
        }
    };
    let check = check_value(&key);
    let stored = match stored {
        Some(stored) => stored,
        None => meta::set_key_check(pool, &check).await?,
    };
    if stored != check {
        return Err(StartError::MasterKey(
            "the master key is not the one this database's records are sealed with".into(),
        ));
    }
    crate::answer_sealing::seal_plain(pool, &key).await?;
    Ok(key)
}

/// The key from the variable or the file, if either has one.
pub(crate) fn read(data: &Path) -> Result<Option<RecordKey>, StartError> {
    if let Some(text) = std::env::var_os(VARIABLE) {
        let text = Zeroizing::new(
            text.into_string()
                .map_err(|_| StartError::MasterKey(format!("{VARIABLE} must be 64 hex digits")))?,
        );
        return parse(&text, VARIABLE).map(Some);
    }
    let path = data.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StartError::file("read", &path, &e)),
    };
    check_private(&path)?;
    parse(&text, &path.display().to_string()).map(Some)
}

pub(crate) fn parse(text: &str, source: &str) -> Result<RecordKey, StartError> {
    let bad = || {
        StartError::MasterKey(format!(
            "{source} must hold the master key as 64 hex digits"
        ))
    };
    let bytes = Zeroizing::new(
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.trim().as_bytes())
            .map_err(|_| bad())?,
    );
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| bad())?;
    Ok(RecordKey::from_bytes(Zeroizing::new(array)))
}

/// Refuses a key file that anyone but its owner can read or write.
fn check_private(path: &Path) -> Result<(), StartError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| StartError::file("inspect", path, &e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(StartError::MasterKey(format!(
                "{} can be read or changed by others (mode {:o}); make it owner-only: chmod 600",
                path.display(),
                mode & 0o777
            )));
        }
    }
    Ok(())
}

/// Makes a new key and writes it to the key file, created owner-only and never over an
/// existing file.
fn make(data: &Path) -> Result<RecordKey, StartError> {
    let key = RecordKey::make()?;
    let path: PathBuf = data.join(FILE);
    write_new(&path, &key)?;
    tracing::info!(path = %path.display(), "made a new master key; back it up apart from the database");
    Ok(key)
}

/// Writes `key` to a new file at `path` (owner-only, synced; never over an existing file).
pub(crate) fn write_new(path: &Path, key: &RecordKey) -> Result<(), StartError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| StartError::file("create", path, &e))?;
    let text = Zeroizing::new(format!(
        "{}\n",
        data_encoding::HEXLOWER.encode(key.as_bytes())
    ));
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| StartError::file("write", path, &e))
}

/// What the database keeps to recognise the key: SHA-256 of a fixed label and the key, hex.
pub(crate) fn check_value(key: &RecordKey) -> String {
    let mut hash = Sha256::new();
    hash.update(b"tessera-server master key check v1\0");
    hash.update(key.as_bytes());
    data_encoding::HEXLOWER.encode(&hash.finalize())
}
