//! How long one code takes to compute, for each kind of code the token shows.
//!
//! Run with `cargo bench -p tessera-core --bench codes`. The goal for TOTP is under 5 µs.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::SecretBytes;
use tessera_core::codes::{
    Algorithm, OcraInput, OcraPin, OcraSuite, TotpParams, hotp, ocra, steam_code, totp,
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
}

criterion_group!(benches, codes);
criterion_main!(benches);
