//! Backup timings for a token of 1,000 identities, with the KDF out of the picture (it is the
//! Argon2id the vault uses too, measured here once at the default cost for reference).
//!
//! `cargo bench -p tessera-core --bench backup`
//!
//! - `derive_default_kdf`: `BackupKey::for_new_backup` with 64 MiB / 3 passes / 1 lane (password
//!   rules, fresh salt, Argon2id). Opening derives the same way.
//! - `seal_without_kdf`: `BackupKey::seal` with the key already derived: encode the payload,
//!   encrypt, checksum.
//! - `open_without_kdf`: `SealedBackup::parse` then `open_with` a derived key: framing, checksum,
//!   decrypt, read every identity (zeroizing secrets, names checked).
//! - `write_file`: `write_private_file` (temporary file, fsync, rename, fsync of the folder).
//!
//! Goal: seal + open of 1,000 identities under 10 ms beyond the KDF.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::SecretBytes;
use tessera_core::backup::{BackupContents, BackupIdentity, BackupKey, SealedBackup};
use tessera_core::codes::{Algorithm, TotpParams};
use tessera_core::crypto::KdfParams;
use tessera_core::identity::{IdentityKind, OcraChallenge};
use tessera_core::transfer::export::write_private_file;

const PASSWORD: &str = "correct horse battery staple";

/// 1,000 identities: mostly TOTP, with HOTP, Steam and OCRA mixed in, 20-byte secrets.
fn thousand_identities() -> BackupContents {
    let identities = (0..1000u32)
        .map(|i| {
            let mut secret = b"12345678901234567890".to_vec();
            secret[..4].copy_from_slice(&i.to_be_bytes());
            let secret = SecretBytes::new(secret);
            let kind = match i % 10 {
                0 => IdentityKind::Hotp {
                    secret,
                    algorithm: Algorithm::Sha1,
                    digits: 6,
                    counter: u64::from(i),
                },
                1 => IdentityKind::Steam { secret },
                2 => IdentityKind::Ocra {
                    secret,
                    ocra: OcraChallenge {
                        suite: "OCRA-1:HOTP-SHA256-8:C-QN08".parse().expect("suite"),
                        counter: u64::from(i),
                    },
                },
                _ => IdentityKind::Totp {
                    secret,
                    params: TotpParams::new(Algorithm::Sha1, 6, 30).expect("params"),
                },
            };
            BackupIdentity {
                name: format!("Identity {i:04}"),
                issuer: Some("Example Corporation".into()),
                kind,
            }
        })
        .collect();
    BackupContents {
        created_at: 1_700_000_000,
        identities,
        skipped: Vec::new(),
    }
}

fn backup_benches(c: &mut Criterion) {
    let contents = thousand_identities();
    let mut group = c.benchmark_group("backup_kdf");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("derive_default_kdf", |b| {
        b.iter(|| {
            black_box(
                BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::RECOMMENDED)
                    .expect("key")
                    .kdf(),
            )
        })
    });
    group.finish();

    let key = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).expect("key");
    let file = key.seal(&contents).expect("seal");
    eprintln!("backup of 1,000 identities: {} bytes", file.len());
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("token.tessera");

    let mut group = c.benchmark_group("backup_1000");
    group.sample_size(50);
    group.bench_function("seal_without_kdf", |b| {
        b.iter(|| black_box(key.seal(&contents).expect("seal").len()))
    });
    group.bench_function("open_without_kdf", |b| {
        b.iter(|| {
            let sealed = SealedBackup::parse(&file).expect("parse");
            black_box(sealed.open_with(&key).expect("open").identities.len())
        })
    });
    group.bench_function("write_file", |b| {
        b.iter(|| write_private_file(&path, &file, true).expect("write"))
    });
    group.finish();
}

criterion_group!(benches, backup_benches);
criterion_main!(benches);
