//! Reading a QR code from a 640x480 camera frame, as a phone does for each preview frame: a
//! frame holding an issuer's activation link, and a frame holding none (the common case while
//! the person aims, which also pays the median-filtered second look).
//!
//! `cargo bench -p tessera-core --bench qr -- --warm-up-time 1 --measurement-time 5`

#[path = "../tests/qr_frames/mod.rs"]
mod qr_frames;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use qr_frames::{Frame, place, render, salt_and_pepper};
use tessera_core::qr::decode_qr_luma;

/// The first igmobileotp link of tests/vectors/identityguard.json.
const LINK: &str = "igmobileotp://?action=secactivate&enc=AQIDBAUGBwj3ce8i%2FMFfSqy4zJcYupxnwTdzgPwnUgZO%2BMezDDZoWQjWhp4aEZyxTV6bC7YthIJRAAh7WJWAoZ5j58FdSWdrluEPchyMtaqWMP0kZ0nPSLQmAfd24nm02HR4f7YRMoPWG0DSxkU3Eqg7le%2ByVu0eUUyA4ueoQSGt8dicfUA0ZETC66bhO4TFvzLnyAARNQ29B4UsGTzBSTPvUOx8Jr6erW5XztI364kH0ESF3pKWZg%3D%3D&v=1&mac=dX8yPOPOegOEHr9b";

fn qr(c: &mut Criterion) {
    let mut with_code = Frame::blank(640, 480, 200);
    let code = render(LINK, 4);
    place(&mut with_code, &code, 160, 60);
    assert_eq!(
        decode_qr_luma(640, 480, 640, &with_code.luma)
            .unwrap()
            .as_deref(),
        Some(LINK)
    );
    c.bench_function("640x480 frame with an activation link", |b| {
        b.iter(|| decode_qr_luma(640, 480, 640, black_box(&with_code.luma)))
    });

    let empty = salt_and_pepper(&Frame::blank(640, 480, 128), 50, 1);
    assert_eq!(decode_qr_luma(640, 480, 640, &empty.luma).unwrap(), None);
    c.bench_function("640x480 frame without a code", |b| {
        b.iter(|| decode_qr_luma(640, 480, 640, black_box(&empty.luma)))
    });
}

criterion_group!(benches, qr);
criterion_main!(benches);
