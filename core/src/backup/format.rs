//! The byte layout of a backup file (docs/backup-format.md) and the checks made on it before
//! any key is derived:
//!
//! ```text
//! file   = header (67 bytes) || sealed payload (ciphertext || 16-byte tag) || SHA-256 of the rest
//! header = magic "TSRBACKP" | version u16 | kdf u8 | memory KiB u32 | passes u32 | lanes u32
//!          | salt [16] | nonce [24] | sealed length u32            (integers little-endian)
//! ```
//!
//! The whole header is the payload's associated data. Fields are read in order and each is
//! checked as soon as it is read, so a hostile or damaged file is refused with the first thing
//! wrong with it, and never makes the reader reserve what the header asks for.

use sha2::{Digest, Sha256};

use super::BackupError;
use crate::crypto::KdfParams;
use crate::crypto::cipher::{NONCE_LEN, TAG_LEN};
use crate::crypto::kdf::SALT_LEN;

/// The first eight bytes of every backup.
pub const MAGIC: &[u8; 8] = b"TSRBACKP";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Identifier of Argon2id (version 0x13) in the `kdf` field.
pub(super) const KDF_ARGON2ID: u8 = 1;
/// Length of the version-1 header.
pub(super) const HEADER_LEN: usize = 67;
/// Length of the trailing checksum.
pub(super) const CHECKSUM_LEN: usize = 32;
/// The largest backup file, in bytes (the largest file `tessera import` reads).
pub const MAX_BACKUP_BYTES: usize = crate::transfer::MAX_IMPORT_BYTES;
/// The largest sealed payload a file may announce.
const MAX_SEALED_LEN: usize = MAX_BACKUP_BYTES - HEADER_LEN - CHECKSUM_LEN;

/// The header's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub(super) kdf: KdfParams,
    pub(super) salt: [u8; SALT_LEN],
    pub(super) nonce: [u8; NONCE_LEN],
    pub(super) sealed_len: u32,
}

impl Header {
    /// The header's bytes, exactly as stored and authenticated.
    pub(super) fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(MAGIC);
        put(&FORMAT_VERSION.to_le_bytes());
        put(&[KDF_ARGON2ID]);
        put(&self.kdf.memory_kib().to_le_bytes());
        put(&self.kdf.passes().to_le_bytes());
        put(&self.kdf.lanes().to_le_bytes());
        put(&self.salt);
        put(&self.nonce);
        put(&self.sealed_len.to_le_bytes());
        out
    }
}

/// The sealed length for a payload of `plaintext_len` bytes, or why it cannot be stored.
pub(super) fn sealed_len_for(plaintext_len: usize) -> Result<u32, BackupError> {
    let sealed = plaintext_len.saturating_add(TAG_LEN);
    if sealed > MAX_SEALED_LEN {
        return Err(BackupError::TooLarge {
            bytes: sealed + HEADER_LEN + CHECKSUM_LEN,
            max: MAX_BACKUP_BYTES,
        });
    }
    u32::try_from(sealed).map_err(|_| BackupError::Internal {
        reason: "a bounded length did not fit 32 bits",
    })
}

/// A whole file: header, then the sealed payload, then the checksum of both.
pub(super) fn frame(header: &Header, sealed: &[u8]) -> Vec<u8> {
    let mut file = Vec::with_capacity(HEADER_LEN + sealed.len() + CHECKSUM_LEN);
    file.extend_from_slice(&header.encode());
    file.extend_from_slice(sealed);
    let checksum = Sha256::digest(&file);
    file.extend_from_slice(&checksum);
    file
}

/// A file whose framing, header and checksum are right; nothing is decrypted yet.
#[derive(Debug)]
pub(super) struct Framed<'a> {
    pub(super) header: Header,
    /// The header's bytes as stored: the associated data.
    pub(super) header_bytes: &'a [u8],
    pub(super) sealed: &'a [u8],
}

/// Reads a file's framing in order, refusing it with the first thing wrong.
pub(super) fn parse(file: &[u8]) -> Result<Framed<'_>, BackupError> {
    if file.is_empty() {
        return Err(BackupError::Empty);
    }
    let start = &file[..file.len().min(MAGIC.len())];
    if start != &MAGIC[..start.len()] {
        return Err(BackupError::NotABackup);
    }
    let mut reader = Reader { file, at: 0 };
    let _magic: [u8; 8] = reader.array()?;
    let version = u16::from_le_bytes(reader.array()?);
    if version != FORMAT_VERSION {
        return Err(BackupError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let [kdf_id] = reader.array()?;
    if kdf_id != KDF_ARGON2ID {
        return Err(BackupError::UnknownKdf { found: kdf_id });
    }
    let memory = u32::from_le_bytes(reader.array()?);
    KdfParams::check_memory_kib(memory)?;
    let passes = u32::from_le_bytes(reader.array()?);
    KdfParams::check_passes(passes)?;
    let lanes = u32::from_le_bytes(reader.array()?);
    KdfParams::check_lanes(lanes)?;
    let kdf = KdfParams::new(memory, passes, lanes)?;
    let salt = reader.array()?;
    let nonce = reader.array()?;
    let sealed_len = u32::from_le_bytes(reader.array()?);
    let max_sealed = u32::try_from(MAX_SEALED_LEN).unwrap_or(u32::MAX);
    if !(TAG_LEN as u32..=max_sealed).contains(&sealed_len) {
        return Err(BackupError::PayloadLength {
            found: sealed_len,
            min: TAG_LEN as u32,
            max: max_sealed,
        });
    }
    let total = HEADER_LEN + sealed_len as usize + CHECKSUM_LEN;
    if file.len() < total {
        return Err(BackupError::Truncated {
            found: file.len(),
            expected: total,
        });
    }
    if file.len() > total {
        return Err(BackupError::TrailingBytes {
            extra: file.len() - total,
        });
    }
    let (content, checksum) = file.split_at(total - CHECKSUM_LEN);
    // Not a secret comparison: anyone can compute the checksum.
    if Sha256::digest(content).as_slice() != checksum {
        return Err(BackupError::Damaged);
    }
    let (header_bytes, sealed) = content.split_at(HEADER_LEN);
    Ok(Framed {
        header: Header {
            kdf,
            salt,
            nonce,
            sealed_len,
        },
        header_bytes,
        sealed,
    })
}

/// Reads fields in order; running out of bytes is truncation.
struct Reader<'a> {
    file: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    /// The next `N` bytes; a file that ends inside the header is truncated (the smallest
    /// possible backup is what it needed).
    fn array<const N: usize>(&mut self) -> Result<[u8; N], BackupError> {
        if self.file.len() < self.at + N {
            return Err(BackupError::Truncated {
                found: self.file.len(),
                expected: HEADER_LEN + TAG_LEN + CHECKSUM_LEN,
            });
        }
        let mut out = [0u8; N];
        out.copy_from_slice(&self.file[self.at..self.at + N]);
        self.at += N;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            kdf: KdfParams::MINIMUM,
            salt: [1; SALT_LEN],
            nonce: [2; NONCE_LEN],
            sealed_len: 20,
        }
    }

    #[test]
    fn the_header_is_laid_out_as_documented() {
        let bytes = header().encode();
        assert_eq!(&bytes[0..8], b"TSRBACKP");
        assert_eq!(&bytes[8..10], &[1, 0]);
        assert_eq!(bytes[10], 1);
        assert_eq!(&bytes[11..15], &8192u32.to_le_bytes());
        assert_eq!(&bytes[15..19], &1u32.to_le_bytes());
        assert_eq!(&bytes[19..23], &1u32.to_le_bytes());
        assert_eq!(&bytes[23..39], &[1; 16]);
        assert_eq!(&bytes[39..63], &[2; 24]);
        assert_eq!(&bytes[63..67], &20u32.to_le_bytes());
    }

    #[test]
    fn a_framed_file_parses_back() {
        let file = frame(&header(), &[9; 20]);
        assert_eq!(file.len(), 67 + 20 + 32);
        let framed = parse(&file).unwrap();
        assert_eq!(framed.header, header());
        assert_eq!(framed.header_bytes, &header().encode()[..]);
        assert_eq!(framed.sealed, &[9; 20]);
    }

    #[test]
    fn a_short_prefix_of_the_magic_is_truncation_anything_else_is_not_a_backup() {
        assert!(matches!(parse(b""), Err(BackupError::Empty)));
        assert!(matches!(
            parse(b"TSR"),
            Err(BackupError::Truncated { found: 3, .. })
        ));
        assert!(matches!(parse(b"TSX"), Err(BackupError::NotABackup)));
        assert!(matches!(parse(b"{\"a\":1}"), Err(BackupError::NotABackup)));
    }

    #[test]
    fn announced_lengths_are_bounded_before_anything_is_read() {
        let mut bytes = header().encode();
        bytes[63..67].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = parse(&bytes).unwrap_err();
        assert!(
            matches!(
                err,
                BackupError::PayloadLength {
                    found: u32::MAX,
                    min: 16,
                    ..
                }
            ),
            "{err:?}"
        );
        bytes[63..67].copy_from_slice(&15u32.to_le_bytes());
        assert!(matches!(
            parse(&bytes),
            Err(BackupError::PayloadLength { found: 15, .. })
        ));
        assert!(matches!(
            sealed_len_for(MAX_BACKUP_BYTES),
            Err(BackupError::TooLarge { .. })
        ));
        assert_eq!(sealed_len_for(4).unwrap(), 20);
    }

    #[test]
    fn extra_bytes_are_refused() {
        let mut file = frame(&header(), &[9; 20]);
        file.push(0);
        assert!(matches!(
            parse(&file),
            Err(BackupError::TrailingBytes { extra: 1 })
        ));
    }
}
