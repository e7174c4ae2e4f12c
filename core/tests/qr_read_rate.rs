//! How many frames of the scanning corpus (`qr_frames/corpus.rs`: camera-like frames and
//! screenshots made from fixed seeds) `decode_qr_luma` reads, per kind. The floors are the
//! counts the reader reached when it was chosen (docs/PERFORMANCE.md has zxing-cpp's counts on
//! the same frames); a change that reads fewer fails here. A wrong link is never acceptable: a
//! frame either gives its own link or `None`.

mod qr_frames;

use qr_frames::corpus::{self, Case};
use tessera_core::qr::decode_qr_luma;

/// Frames read of the 102 camera-like frames (94 hold a code).
const CAMERA_FLOOR: usize = 100;

/// Frames read of the 6 screenshots.
const SCREENSHOT_FLOOR: usize = 6;

/// Reads every case; prints a line per kind; returns how many read right.
fn read_all(cases: &[Case]) -> usize {
    let mut right = 0;
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for case in cases {
        let (width, height, stride) = case.frame.shape();
        let read =
            decode_qr_luma(width, height, stride, &case.frame.luma).expect("a well-formed frame");
        match (&read, &case.expected) {
            (Some(text), Some(expected)) if text == expected => right += 1,
            (None, Some(_)) => missed.push(case.name.as_str()),
            (None, None) => right += 1,
            (Some(text), _) => wrong.push(format!("{}: {text}", case.name)),
        }
    }
    println!("read {right} of {}; missed: {missed:?}", cases.len());
    assert!(wrong.is_empty(), "wrong links read: {wrong:?}");
    right
}

#[test]
fn camera_frames_read_at_least_as_often_as_when_the_reader_was_chosen() {
    let cases = corpus::camera();
    assert_eq!(cases.len(), 102);
    assert_eq!(
        cases.iter().filter(|case| case.expected.is_none()).count(),
        8
    );
    let read = read_all(&cases);
    assert!(
        read >= CAMERA_FLOOR,
        "{read} camera frames read; the floor is {CAMERA_FLOOR}"
    );
}

#[test]
fn screenshots_with_a_code_of_three_pixels_a_module_read() {
    let cases = corpus::screenshots();
    assert_eq!(cases.len(), 6);
    let read = read_all(&cases);
    assert!(
        read >= SCREENSHOT_FLOOR,
        "{read} screenshots read; the floor is {SCREENSHOT_FLOOR}"
    );
}

#[test]
fn the_corpus_is_the_same_on_every_run() {
    let first = corpus::make(corpus::Kind::Turned, 3);
    let again = corpus::make(corpus::Kind::Turned, 3);
    assert_eq!(first.frame, again.frame);
    assert_eq!(first.expected, again.expected);
    assert_ne!(first.frame, corpus::make(corpus::Kind::Turned, 4).frame);
}
