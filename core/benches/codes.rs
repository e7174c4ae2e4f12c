//! How long one code takes to compute, for each kind of code the token shows.
//!
//! Run with `cargo bench -p tessera-core --bench codes`. The goal for TOTP is under 5 µs.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::SecretBytes;
use tessera_core::codes::{
    Algorithm, OcraInput, OcraPin, OcraSuite, TotpParams, hotp, ocra, steam_code, totp,
};
use tessera_core::identityguard::{
    ActivationCode, RegistrationCode, SerialNumber, code_params, derive_secret,
};

fn codes(c: &mut Criterion) {
    // The RFC 4226 / RFC 6238 secret and the RFC 6287 32-byte key.
    let secret20 = SecretBytes::new(b"12345678901234567890".to_vec());
    let secret32 = SecretBytes::new(b"12345678901234567890123456789012".to_vec());

    c.bench_function("hotp sha1 6 digits", |b| {
        b.iter(|| hotp(black_box(&secret20), black_box(7), 6, Algorithm::Sha1))
    });

    let params = TotpParams::default();
    c.bench_function("totp sha1 6 digits", |b| {
        b.iter(|| {
            totp(
                black_box(&secret20),
                black_box(&params),
                black_box(1_700_000_000),
            )
        })
    });

    c.bench_function("steam", |b| {
        b.iter(|| steam_code(black_box(&secret20), black_box(1_700_000_000)))
    });

    let suite: OcraSuite = "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1"
        .parse()
        .expect("a valid suite");
    let input = OcraInput {
        counter: Some(1),
        question: "12345678".into(),
        pin: Some(OcraPin::from_pin("1234")),
        ..OcraInput::default()
    };
    c.bench_function("ocra sha256 8 digits C-QN08-PSHA1", |b| {
        b.iter(|| ocra(black_box(&suite), black_box(&secret32), black_box(&input)))
    });

    // The public IdentityGuard vector: the secret is derived once per identity, then each code
    // is a TOTP; both are measured.
    let serial: SerialNumber = "48244-13456".parse().expect("the spec's serial");
    let activation: ActivationCode = "1745-7712-6942-8698".parse().expect("the spec's code");
    let registration: RegistrationCode = "12211-49352".parse().expect("the spec's code");
    c.bench_function("identityguard derive secret", |b| {
        b.iter(|| derive_secret(black_box(&serial), &activation, &registration, None))
    });
    let ig_secret = derive_secret(&serial, &activation, &registration, None);
    let ig_params = code_params(6).expect("6 digits are allowed");
    c.bench_function("identityguard code (totp sha256 6 digits)", |b| {
        b.iter(|| totp(black_box(&ig_secret), &ig_params, black_box(1_700_000_000)))
    });
}

criterion_group!(benches, codes);
criterion_main!(benches);
