//! Key derivation: Argon2id for what people type (PINs, unlock codes, backup passwords, the
//! issuer passphrase) and HKDF-SHA256 for secrets that are already random and need no
//! stretching (the recovery key, X25519 shared secrets).
//!
//! Argon2id parameters come from a caller or from a file; either way they pass through
//! [`KdfParams::new`], which refuses anything outside the floor and ceiling *before* a byte is
//! reserved, so a hostile file cannot make Tessera allocate gigabytes or spin for minutes.
//! The Argon2 working memory is wiped after use: its last blocks determine the derived key.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::CryptoError;
use super::cipher::{KEY_LEN, SecretKey};

/// Length of every Argon2id salt (and of the vault's HKDF salts), in bytes.
pub(crate) const SALT_LEN: usize = 16;

/// Argon2id cost parameters (version 0x13, 32-byte output, no secret, no associated data).
///
/// Build with [`KdfParams::new`] (checked) or take [`KdfParams::RECOMMENDED`]. The same bounds
/// are applied to parameters read from a vault, backup or issuer store file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
}

impl KdfParams {
    /// Floor for memory: 8 MiB. Below this Argon2id no longer slows a GPU meaningfully.
    pub const MIN_MEMORY_KIB: u32 = 8 * 1024;
    /// Ceiling for memory: 256 MiB, what a mid-range phone can spare without being killed.
    pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
    /// Floor for passes.
    pub const MIN_PASSES: u32 = 1;
    /// Ceiling for passes: more would make unlocking take tens of seconds on a phone.
    pub const MAX_PASSES: u32 = 10;
    /// Floor for lanes.
    pub const MIN_LANES: u32 = 1;
    /// Ceiling for lanes.
    pub const MAX_LANES: u32 = 4;

    /// What new vaults, backups and issuer stores use: 64 MiB, 3 passes, 1 lane (about half a second on a mid-range phone).
    pub const RECOMMENDED: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 1,
    };

    /// The floor itself: 8 MiB, 1 pass, 1 lane. Fast, for tests; far too weak for a real PIN.
    pub const MINIMUM: KdfParams = KdfParams {
        memory_kib: Self::MIN_MEMORY_KIB,
        passes: Self::MIN_PASSES,
        lanes: Self::MIN_LANES,
    };

    /// Checked parameters. Memory is in KiB.
    pub fn new(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self, CryptoError> {
        Self::check_memory_kib(memory_kib)?;
        Self::check_passes(passes)?;
        Self::check_lanes(lanes)?;
        Ok(Self {
            memory_kib,
            passes,
            lanes,
        })
    }

    /// The memory bound alone, for a reader that refuses each field as soon as it reads it.
    pub(crate) fn check_memory_kib(memory_kib: u32) -> Result<(), CryptoError> {
        check(
            "memory (KiB)",
            memory_kib,
            Self::MIN_MEMORY_KIB,
            Self::MAX_MEMORY_KIB,
        )
    }

    /// The passes bound alone.
    pub(crate) fn check_passes(passes: u32) -> Result<(), CryptoError> {
        check("passes", passes, Self::MIN_PASSES, Self::MAX_PASSES)
    }

    /// The lanes bound alone.
    pub(crate) fn check_lanes(lanes: u32) -> Result<(), CryptoError> {
        check("lanes", lanes, Self::MIN_LANES, Self::MAX_LANES)
    }

    /// Memory in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Number of passes over the memory (Argon2 `t_cost`).
    pub fn passes(&self) -> u32 {
        self.passes
    }

    /// Degree of parallelism (Argon2 `p_cost`).
    pub fn lanes(&self) -> u32 {
        self.lanes
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

fn check(which: &'static str, value: u32, min: u32, max: u32) -> Result<(), CryptoError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(CryptoError::KdfParamsOutOfRange {
            which,
            value,
            min,
            max,
        })
    }
}

/// Argon2id(secret, salt) → 32-byte key-encryption key. `params` were checked when built.
pub(crate) fn derive_argon2id_kek(
    secret: &[u8],
    salt: &[u8; SALT_LEN],
    params: &KdfParams,
) -> Result<SecretKey, CryptoError> {
    let argon_params = Params::new(
        params.memory_kib,
        params.passes,
        params.lanes,
        Some(KEY_LEN),
    )
    .map_err(|_| CryptoError::Internal {
        reason: "checked Argon2 parameters were refused",
    })?;
    let blocks_needed = argon_params.block_count();
    let mut memory: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    memory
        .try_reserve_exact(blocks_needed)
        .map_err(|_| CryptoError::NotEnoughMemory {
            mib: params.memory_kib.div_ceil(1024),
        })?;
    memory.resize(blocks_needed, Block::default());
    let mut kek = SecretKey::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into_with_memory(secret, salt, &mut kek[..], &mut memory[..])
        .map_err(|_| CryptoError::Internal {
            reason: "Argon2 refused checked inputs",
        })?;
    Ok(kek)
}

/// HKDF-SHA256(ikm, salt, info) → 32 bytes. `ikm` must already be uniformly random (or an
/// X25519 shared secret): nothing here slows down guessing.
pub(crate) fn derive_hkdf_sha256_key(
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
) -> Result<SecretKey, CryptoError> {
    let mut key = SecretKey::new([0u8; KEY_LEN]);
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, &mut key[..])
        .map_err(|_| CryptoError::Internal {
            reason: "HKDF refused a 32-byte output",
        })?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced_with_a_named_parameter() {
        assert!(KdfParams::new(8 * 1024, 1, 1).is_ok());
        assert!(KdfParams::new(256 * 1024, 10, 4).is_ok());
        let err = KdfParams::new(256 * 1024 + 1, 3, 1).unwrap_err();
        assert!(matches!(
            err,
            CryptoError::KdfParamsOutOfRange {
                which: "memory (KiB)",
                value: 262_145,
                min: 8192,
                max: 262_144
            }
        ));
        assert_eq!(
            err.to_string(),
            "the key-derivation memory (KiB) is 262145, outside the accepted range 8192 to 262144"
        );
        assert!(matches!(
            KdfParams::new(8191, 1, 1),
            Err(CryptoError::KdfParamsOutOfRange {
                which: "memory (KiB)",
                ..
            })
        ));
        assert!(matches!(
            KdfParams::new(8192, 0, 1),
            Err(CryptoError::KdfParamsOutOfRange {
                which: "passes",
                ..
            })
        ));
        assert!(matches!(
            KdfParams::new(8192, 11, 1),
            Err(CryptoError::KdfParamsOutOfRange {
                which: "passes",
                ..
            })
        ));
        assert!(matches!(
            KdfParams::new(8192, 1, 5),
            Err(CryptoError::KdfParamsOutOfRange { which: "lanes", .. })
        ));
        assert_eq!(KdfParams::default(), KdfParams::new(65536, 3, 1).unwrap());
    }

    /// RFC 9106 gives vectors only with a secret and associated data, which the vault does not
    /// use, so this pins our plain call against an independent implementation: Python
    /// `cryptography` 48, `Argon2id(salt=bytes([7]*16), length=32, iterations=1, lanes=1,
    /// memory_cost=8192).derive(b"4739")`.
    #[test]
    fn argon2id_matches_an_independent_implementation() {
        let kek = derive_argon2id_kek(b"4739", &[7u8; SALT_LEN], &KdfParams::MINIMUM).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&kek[..]),
            "5cb538c37581b0b1a4b0990fc38022bd1e847e52bb9af07c76c9a6876f40d6d6"
        );
        let other = derive_argon2id_kek(b"4738", &[7u8; SALT_LEN], &KdfParams::MINIMUM).unwrap();
        assert_ne!(*kek, *other);
    }

    /// RFC 5869 appendix A.1 (HKDF-SHA256, basic test case): the primitive is HKDF as
    /// documented, and our 32-byte derivation is the first 32 bytes of the RFC's output.
    #[test]
    fn hkdf_matches_rfc5869_case_1() {
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let mut okm = [0u8; 42];
        Hkdf::<Sha256>::new(Some(&salt), &ikm)
            .expand(&info, &mut okm)
            .unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
        let key = derive_hkdf_sha256_key(&ikm, &salt, &info).unwrap();
        assert_eq!(key[..], okm[..KEY_LEN]);
    }
}
