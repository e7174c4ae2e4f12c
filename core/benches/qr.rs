//! Reading QR codes as a phone and the desktop do: a 640x480 camera frame holding an issuer's
//! activation link, one holding none (the common case while the person aims), and each kind of
//! the scanning corpus (`tests/qr_frames/corpus.rs`), reported as the mean time per frame of the
//! kind. scripts/qr-side-by-side.sh prints Tessera's and zxing-cpp's reads of the same frames
//! side by side (docs/PERFORMANCE.md).
//!
//! `cargo bench -p tessera-core --bench qr -- --warm-up-time 1 --measurement-time 5`

#[path = "../tests/qr_frames/mod.rs"]
mod qr_frames;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use qr_frames::corpus::{self, Case};
use qr_frames::{Frame, place, render, salt_and_pepper};
use tessera_core::qr::decode_qr_luma;

/// The first igmobileotp link of tests/vectors/identityguard.json.
const LINK: &str = "igmobileotp://?action=secactivate&enc=AQIDBAUGBwj3ce8i%2FMFfSqy4zJcYupxnwTdzgPwnUgZO%2BMezDDZoWQjWhp4aEZyxTV6bC7YthIJRAAh7WJWAoZ5j58FdSWdrluEPchyMtaqWMP0kZ0nPSLQmAfd24nm02HR4f7YRMoPWG0DSxkU3Eqg7le%2ByVu0eUUyA4ueoQSGt8dicfUA0ZETC66bhO4TFvzLnyAARNQ29B4UsGTzBSTPvUOx8Jr6erW5XztI364kH0ESF3pKWZg%3D%3D&v=1&mac=dX8yPOPOegOEHr9b";

fn single_frames(c: &mut Criterion) {
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

/// One benchmark per kind of the corpus, its time divided by the kind's frames.
fn corpus_kinds(c: &mut Criterion) {
    let mut cases = corpus::camera();
    cases.extend(corpus::screenshots());
    let mut group = c.benchmark_group("corpus, time per frame");
    let mut kinds: Vec<corpus::Kind> = cases.iter().map(|case| case.kind).collect();
    kinds.dedup();
    for kind in kinds {
        let frames: Vec<&Case> = cases.iter().filter(|case| case.kind == kind).collect();
        group.bench_function(kind.name(), |b| {
            b.iter_custom(|rounds| {
                let start = Instant::now();
                for _ in 0..rounds {
                    for case in &frames {
                        let (width, height, stride) = case.frame.shape();
                        black_box(
                            decode_qr_luma(width, height, stride, black_box(&case.frame.luma)).ok(),
                        );
                    }
                }
                start.elapsed() / frames.len() as u32
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = single_frames, corpus_kinds
}
criterion_main!(benches);
