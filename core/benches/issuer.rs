//! Verifications per second on the issuer's side, with the default window (1 step each way).
//! The store is opened once, so its Argon2id key derivation is not measured.
//!
//! - accepted: a fresh code each time (the next 30-second step), so every call also seals the
//!   record and replaces its file crash-safely (fsync of the file and the folder);
//! - refused: a wrong code, which reads and opens the record, computes the three codes of the
//!   window and writes nothing.
//!
//! `cargo bench -p tessera-core --bench issuer`

use std::cell::Cell;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tessera_core::codes::totp;
use tessera_core::crypto::KdfParams;
use tessera_core::identityguard::{
    code_params, derive_secret, make_registration_code, open_activation_link,
};
use tessera_core::issuer::{Issuer, IssuerOptions, NewIdentity};

fn verification(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = IssuerOptions {
        kdf: KdfParams::MINIMUM,
        ..IssuerOptions::default()
    };
    let issuer = Issuer::open_with(dir.path(), "benchmark passphrase", &options).expect("store");
    let created = issuer.create(&NewIdentity::new("bench")).expect("create");
    // The token's side: open the link, make the registration code, derive the secret.
    let link = open_activation_link(&created.link, &created.password).expect("link");
    let registration = make_registration_code(&link.serial).expect("registration");
    let secret = derive_secret(&link.serial, &link.activation, &registration, None);
    let serial = link.serial.to_string();
    issuer
        .complete(&serial, &registration.to_string())
        .expect("complete");
    let params = code_params(6).expect("params");

    let mut group = c.benchmark_group("issuer verify (default window)");
    let at = Cell::new(1_700_000_010u64);
    group.bench_function("accepted, fresh code (seals and writes the record)", |b| {
        b.iter_batched(
            || {
                at.set(at.get() + 30);
                (at.get(), totp(&secret, &params, at.get()).expect("code"))
            },
            |(now, code)| issuer.verify(&serial, &code, now).expect("accepted"),
            BatchSize::SmallInput,
        )
    });

    let now = at.get() + 3600;
    let window: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|&t| totp(&secret, &params, t).expect("code"))
        .collect();
    let wrong = (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|candidate| !window.contains(candidate))
        .expect("a wrong code");
    group.bench_function("refused, wrong code (reads only)", |b| {
        b.iter(|| black_box(issuer.verify(&serial, black_box(&wrong), now)).expect_err("refused"))
    });
    group.finish();
}

criterion_group!(benches, verification);
criterion_main!(benches);
