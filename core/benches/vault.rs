//! Vault timings: unlocking with the default Argon2id cost, and opening and saving a payload
//! the size of 1,000 identities (~200 KB) with the KDF out of the picture.
//!
//! `cargo bench -p tessera-core --bench vault`
//!
//! - `unlock_default_kdf`: `open_with_pin` with 64 MiB / 3 passes / 1 lane: read, checksum,
//!   two lockout-record writes (each with fsync), Argon2id, unwrap, decrypt.
//! - `open_without_kdf`: `open_with_recovery_key` (HKDF, microseconds): read the file,
//!   checksum, decode the header, unwrap, decrypt the payload. No deserialization.
//! - `save`: `OpenVault::save` on an open vault: encrypt, checksum, write a temporary file,
//!   fsync, two renames, fsync the folder.
//!
//! Goal: open + save under 10 ms beyond the KDF.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::vault::{KdfParams, VaultOptions, VaultStore};

const PIN: &str = "4739";

/// JSON-like bytes shaped like 1,000 serialized identities.
fn thousand_identities() -> Vec<u8> {
    let mut out = String::from("{\"identities\":[");
    for i in 0..1000 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"id\":\"{i:08x}-0000-4000-8000-{i:012x}\",\"name\":\"Identity {i:04}\",\"issuer\":\"Example Corporation\",\
             \"secret\":\"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQ{i:03}\",\"kind\":\"totp\",\"algorithm\":\"SHA1\",\"digits\":6,\"period\":30,\"counter\":{i}}}"
        ));
    }
    out.push_str("],\"settings\":{}}");
    out.into_bytes()
}

fn vault_benches(c: &mut Criterion) {
    let payload = thousand_identities();
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = VaultStore::new(dir.path());
    let options = VaultOptions {
        kdf: KdfParams::RECOMMENDED,
        ..VaultOptions::default()
    };
    let mut vault = store.create(PIN, &options, None, &payload).expect("create");
    let recovery_key = vault.add_recovery_key().expect("recovery key");
    eprintln!("payload: {} bytes", payload.len());

    let mut group = c.benchmark_group("vault");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("unlock_default_kdf", |b| {
        b.iter(|| {
            black_box(
                store
                    .open_with_pin(PIN, None)
                    .expect("open")
                    .payload()
                    .len(),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("vault_200kb");
    group.sample_size(50);
    group.bench_function("open_without_kdf", |b| {
        b.iter(|| {
            black_box(
                store
                    .open_with_recovery_key(recovery_key.as_str())
                    .expect("open")
                    .payload()
                    .len(),
            )
        })
    });
    group.bench_function("save", |b| {
        b.iter(|| vault.save(black_box(&payload)).expect("save"))
    });
    group.finish();
}

criterion_group!(benches, vault_benches);
criterion_main!(benches);
