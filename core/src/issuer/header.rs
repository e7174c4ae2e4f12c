//! `store.json`: the issuer store's header, and the store key it leads to.
//!
//! The header holds what is needed to derive the store key from the passphrase (Argon2id
//! parameters and salt) and a check value sealed under that key, so a wrong passphrase is
//! reported as such instead of as a damaged record. It holds no secret. The check value's
//! associated data is the header's own version, parameters and salt: a header whose parameters
//! were changed no longer opens, which is reported like a wrong passphrase (the two cannot be
//! told apart, by design: telling them apart would need an unauthenticated signal).
//!
//! The header is written once, when the store is created, under the store's lock (so two
//! processes creating a store at once cannot each write a header and seal records under keys
//! the other's header does not lead to), and never rewritten.
//!
//! Parameters read from the file pass the shared bounds ([`KdfParams::new`]) before any memory
//! is reserved, so a hostile header cannot make the issuer allocate gigabytes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::IssuerError;
use super::store_files::{self, HEADER_FILE, StoreFile, decode_hex_array};
use crate::atomic_file;
use crate::crypto::KdfParams;
use crate::crypto::cipher::{self, NONCE_LEN, SecretKey};
use crate::crypto::kdf::{SALT_LEN, derive_argon2id_kek};
use crate::random::make_random_bytes;

/// What the `format` key says, so a stray JSON file is not mistaken for a header.
const FORMAT: &str = "tessera-issuer-store";
/// The only header version this code writes and reads.
const VERSION: u64 = 1;
/// The plaintext of the check value.
const CHECK_PLAINTEXT: &[u8] = b"tessera issuer store check v1";
/// A header is a few hundred bytes; anything much larger is not one.
const MAX_HEADER_BYTES: usize = 4096;
/// Fewest characters in a new store's passphrase: the store key is only as strong as it, and a
/// copied folder can be attacked offline.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Serialize, Deserialize)]
struct HeaderFile {
    format: String,
    version: u64,
    kdf: KdfFields,
    /// 16 bytes, hex.
    salt: String,
    /// 24 bytes, hex.
    check_nonce: String,
    /// The sealed check value (plaintext and 16-byte tag), hex.
    check: String,
}

#[derive(Serialize, Deserialize)]
struct KdfFields {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
}

/// Opens the store's key with `passphrase`, creating the header (with `kdf` for a new store)
/// when there is none.
pub(super) fn open_or_create(
    dir: &Path,
    passphrase: &str,
    kdf: &KdfParams,
    records_exist: impl FnOnce() -> Result<bool, IssuerError>,
) -> Result<SecretKey, IssuerError> {
    if passphrase.is_empty() {
        return Err(IssuerError::EmptyPassphrase);
    }
    if let Some(bytes) = read(dir)? {
        return open(&bytes, passphrase);
    }
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(IssuerError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    make_folder(dir)?;
    let _lock = store_files::lock_store(dir)?;
    // Another process may have created the store while this one waited for the lock.
    if let Some(bytes) = read(dir)? {
        return open(&bytes, passphrase);
    }
    if records_exist()? {
        return Err(IssuerError::HeaderMissing);
    }
    create(dir, passphrase, kdf)
}

fn read(dir: &Path) -> Result<Option<Vec<u8>>, IssuerError> {
    atomic_file::read_bounded(&dir.join(HEADER_FILE), MAX_HEADER_BYTES)
        .map_err(|e| IssuerError::storage("read the issuer store's header", &e))
}

/// Creates the store's folder (and any missing parent) owner-only: only its owner may list it
/// (the files in it are owner-only too). An existing folder is left as it is.
fn make_folder(dir: &Path) -> Result<(), IssuerError> {
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder
        .create(dir)
        .map_err(|e| IssuerError::storage("create the issuer store's folder", &e))
}

/// True when `dir` has a header, that is, when opening it would not create a store.
pub(super) fn exists(dir: &Path) -> Result<bool, IssuerError> {
    match std::fs::symlink_metadata(dir.join(HEADER_FILE)) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(IssuerError::storage("look for the issuer store", &e)),
    }
}

fn open(bytes: &[u8], passphrase: &str) -> Result<SecretKey, IssuerError> {
    let damaged = |problem| IssuerError::HeaderDamaged { problem };
    if bytes.len() > MAX_HEADER_BYTES {
        return Err(damaged("it is far too large"));
    }
    let file: HeaderFile =
        serde_json::from_slice(bytes).map_err(|_| damaged("it is not the expected JSON"))?;
    if file.format != FORMAT {
        return Err(damaged("it is not an issuer store header"));
    }
    if file.version != VERSION {
        return Err(IssuerError::UnsupportedVersion {
            found: file.version,
        });
    }
    let kdf = KdfParams::new(file.kdf.memory_kib, file.kdf.passes, file.kdf.lanes)?;
    let salt: [u8; SALT_LEN] =
        decode_hex_array(&file.salt).ok_or(damaged("its salt is not 16 bytes of hex"))?;
    let nonce: [u8; NONCE_LEN] = decode_hex_array(&file.check_nonce)
        .ok_or(damaged("its check nonce is not 24 bytes of hex"))?;
    let sealed = data_encoding::HEXLOWER_PERMISSIVE
        .decode(file.check.as_bytes())
        .map_err(|_| damaged("its check value is not hex"))?;
    let key = derive_argon2id_kek(passphrase.as_bytes(), &salt, &kdf)?;
    let plain = cipher::open(&key, &nonce, &aad(&kdf, &salt), &sealed)
        .map_err(|_| IssuerError::WrongPassphrase)?;
    if plain.as_slice() != CHECK_PLAINTEXT {
        // Authentic under our key but not our constant: only a bug could write that.
        return Err(damaged("its check value is not the expected one"));
    }
    Ok(key)
}

/// Writes a new header; the caller holds the store's lock.
fn create(dir: &Path, passphrase: &str, kdf: &KdfParams) -> Result<SecretKey, IssuerError> {
    let salt: [u8; SALT_LEN] = make_random_bytes()?;
    let nonce = cipher::make_nonce()?;
    let key = derive_argon2id_kek(passphrase.as_bytes(), &salt, kdf)?;
    let sealed = cipher::seal(&key, &nonce, &aad(kdf, &salt), CHECK_PLAINTEXT)?;
    let file = HeaderFile {
        format: FORMAT.into(),
        version: VERSION,
        kdf: KdfFields {
            memory_kib: kdf.memory_kib(),
            passes: kdf.passes(),
            lanes: kdf.lanes(),
        },
        salt: data_encoding::HEXLOWER.encode(&salt),
        check_nonce: data_encoding::HEXLOWER.encode(&nonce),
        check: data_encoding::HEXLOWER.encode(&sealed),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|_| IssuerError::Internal {
        reason: "the store header could not be written as JSON",
    })?;
    bytes.push(b'\n');
    store_files::write_file(StoreFile::Header, &dir.join(HEADER_FILE), &bytes)?;
    Ok(key)
}

/// The check value's associated data: everything in the header that the key depends on.
fn aad(kdf: &KdfParams, salt: &[u8; SALT_LEN]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(64);
    aad.extend_from_slice(b"tessera issuer store v1\0");
    aad.extend_from_slice(&VERSION.to_be_bytes());
    aad.extend_from_slice(&kdf.memory_kib().to_be_bytes());
    aad.extend_from_slice(&kdf.passes().to_be_bytes());
    aad.extend_from_slice(&kdf.lanes().to_be_bytes());
    aad.extend_from_slice(salt);
    aad
}
