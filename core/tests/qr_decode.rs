//! Reading QR codes from luminance planes: the activation links of the vectors and of the
//! issuer, and otpauth:// links, encoded with the `qrcode` crate and then scaled, rotated,
//! made noisy, padded, placed on a camera-sized frame, inverted (light on dark); empty frames
//! hold no code. How often harder frames read is measured by `qr_read_rate.rs`.

mod common;
mod qr_frames;

use common::{text, vector_file};
use qr_frames::*;
use tessera_core::field::InputField;
use tessera_core::issuer::{Issuer, IssuerOptions, NewIdentity};
use tessera_core::qr::{FrameError, decode_qr_luma};
use tessera_core::vault::KdfParams;

fn decode(frame: &Frame) -> Option<String> {
    let (width, height, stride) = frame.shape();
    decode_qr_luma(width, height, stride, &frame.luma).expect("a well-formed frame")
}

/// Both forms of each igmobileotp:// vector link.
fn vector_links() -> Vec<String> {
    vector_file("identityguard.json")["links"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|case| {
            [
                text(case, "uri").to_string(),
                text(case, "sealed_uri").to_string(),
            ]
        })
        .collect()
}

/// A link the issuer makes now, with everything a link can carry (the longest kind).
fn issuer_link() -> String {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::open_with(
        dir.path(),
        "qr test passphrase",
        &IssuerOptions {
            kdf: KdfParams::MINIMUM,
            window: 1,
        },
    )
    .unwrap();
    let created = issuer
        .create(&NewIdentity {
            policy: Some(common::SPEC_POLICY.into()),
            ocra: Some("OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap()),
            address: Some("https://myid.example.edu/igst".into()),
            ..NewIdentity::new("alice")
        })
        .unwrap();
    assert!(created.link.starts_with("igmobileotp://"));
    created.link.to_string()
}

/// Every valid otpauth:// vector.
fn otpauth_links() -> Vec<String> {
    vector_file("otpauth.json")["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| text(case, "uri").to_string())
        .collect()
}

#[test]
fn every_link_reads_back_at_every_scale_from_one_to_eight_pixels_a_module() {
    let mut links = vector_links();
    links.push(issuer_link());
    links.extend(otpauth_links().into_iter().take(4));
    for link in links {
        for scale in 1..=8 {
            assert_eq!(
                decode(&render(&link, scale)).as_deref(),
                Some(link.as_str()),
                "scale {scale}: {link}"
            );
        }
    }
}

#[test]
fn every_otpauth_vector_reads_back() {
    for link in otpauth_links() {
        assert_eq!(
            decode(&render(&link, 2)).as_deref(),
            Some(link.as_str()),
            "{link}"
        );
    }
}

#[test]
fn codes_read_turned_by_right_angles() {
    let mut links = vector_links();
    links.push(issuer_link());
    links.push(otpauth_links()[0].clone());
    for link in links {
        let upright = render(&link, 3);
        for turns in 1..=3 {
            assert_eq!(
                decode(&rotate_quarters(&upright, turns)).as_deref(),
                Some(link.as_str()),
                "{} degrees: {link}",
                turns * 90
            );
        }
    }
}

#[test]
fn codes_read_turned_by_other_angles_at_six_pixels_a_module() {
    let link = vector_links()[2].clone();
    let upright = render(&link, 6);
    for degrees in [
        -30.0, -20.0, -10.0, -5.0, -2.0, 3.0, 7.5, 12.0, 15.0, 20.0, 30.0, 45.0,
    ] {
        assert_eq!(
            decode(&rotate_degrees(&upright, degrees)).as_deref(),
            Some(link.as_str()),
            "{degrees} degrees"
        );
    }
}

#[test]
fn codes_read_through_salt_and_pepper_noise_at_six_pixels_a_module_and_more() {
    let mut links: Vec<String> = vector_links().into_iter().step_by(2).collect();
    links.push(otpauth_links()[0].clone());
    for link in &links {
        for scale in [6, 8] {
            let clean = render(link, scale);
            for per_mille in [10, 20] {
                for seed in 0..4 {
                    let noisy = salt_and_pepper(&clean, per_mille, seed);
                    assert_ne!(noisy, clean);
                    assert_eq!(
                        decode(&noisy).as_deref(),
                        Some(link.as_str()),
                        "scale {scale}, {per_mille} per mille, seed {seed}: {link}"
                    );
                }
            }
        }
    }
}

#[test]
fn row_padding_is_skipped_whatever_it_holds() {
    let link = otpauth_links()[0].clone();
    let frame = render(&link, 3);
    for (extra, fill) in [(1, 0), (13, 0), (64, 255), (200, 128)] {
        let padded = with_stride(&frame, frame.width + extra, fill);
        assert_eq!(
            padded.luma.len(),
            padded.stride * (padded.height - 1) + padded.width
        );
        assert_eq!(
            decode(&padded).as_deref(),
            Some(link.as_str()),
            "stride +{extra}, fill {fill}"
        );
    }
}

#[test]
fn a_code_anywhere_in_a_camera_frame_is_found() {
    let link = issuer_link();
    let code = render(&link, 3);
    for (left, top) in [(0, 0), (17, 5), (640 - code.width, 480 - code.height)] {
        let mut frame = Frame::blank(640, 480, 200);
        place(&mut frame, &code, left, top);
        assert_eq!(
            decode(&frame).as_deref(),
            Some(link.as_str()),
            "at {left},{top}"
        );
    }
}

#[test]
fn with_two_codes_one_of_them_is_read_and_a_damaged_one_is_passed_over() {
    let first = vector_links()[0].clone();
    let second = otpauth_links()[1].clone();
    let mut frame = Frame::blank(640, 480, LIGHT);
    let a = render(&first, 2);
    let b = render(&second, 3);
    place(&mut frame, &a, 10, 10);
    place(&mut frame, &b, 330, 100);
    let read = decode(&frame).expect("a code");
    assert!(read == first || read == second, "{read}");

    // The first code's data area (between its finder patterns) wiped: only the other reads.
    let mut damaged = a.clone();
    let module = 2;
    for y in 13 * module..(a.height - 13 * module) {
        for x in 13 * module..(a.width - 13 * module) {
            damaged.luma[y * damaged.stride + x] = if (x / module + y / module) % 2 == 0 {
                DARK
            } else {
                LIGHT
            };
        }
    }
    assert_eq!(
        decode(&damaged),
        None,
        "the damaged code alone does not read"
    );
    place(&mut frame, &damaged, 10, 10);
    assert_eq!(decode(&frame).as_deref(), Some(second.as_str()));
}

#[test]
fn inverted_codes_read_and_empty_frames_hold_no_code() {
    // Light-on-dark codes (a dark-mode screen) read since issue 17; before, they gave `None`.
    for link in [vector_links()[0].clone(), otpauth_links()[0].clone()] {
        assert_eq!(
            decode(&inverted(&render(&link, 4))).as_deref(),
            Some(link.as_str()),
            "{link}"
        );
    }
    for shade in [0, 25, 128, 230, 255] {
        assert_eq!(
            decode(&Frame::blank(640, 480, shade)),
            None,
            "shade {shade}"
        );
    }
    let static_noise = salt_and_pepper(&Frame::blank(320, 240, 128), 500, 7);
    assert_eq!(decode(&static_noise), None);
    assert_eq!(decode(&Frame::blank(1, 1, 0)), None);
}

#[test]
fn frames_of_the_wrong_shape_are_refused_with_the_field() {
    let luma = vec![LIGHT; 640 * 480];
    let cases = [
        ((0, 480, 640), InputField::Width),
        ((640, 0, 640), InputField::Height),
        ((9000, 1, 9000), InputField::Width),
        ((640, 480, 639), InputField::RowStride),
        ((640, 481, 640), InputField::Luma),
        ((320, 240, 2000), InputField::Luma),
    ];
    for ((width, height, stride), field) in cases {
        let error: FrameError = decode_qr_luma(width, height, stride, &luma).unwrap_err();
        assert_eq!(error.field(), field, "{width}x{height}/{stride}: {error}");
    }
    assert_eq!(
        decode_qr_luma(640, 480, 639, &luma)
            .unwrap_err()
            .to_string(),
        "the row stride (639 bytes) is shorter than the frame width (640 pixels): rows would overlap"
    );
    assert_eq!(
        decode_qr_luma(0, 480, 640, &luma).unwrap_err().to_string(),
        "the frame width is 0 pixels: a frame needs at least one row and one column"
    );
}

#[test]
fn an_activation_link_is_preferred_and_any_other_code_still_reads_alone() {
    let other = "https://apps.example.com/tessera";
    let link = otpauth_links()[0].clone();
    assert_eq!(decode(&render(other, 3)).as_deref(), Some(other));
    for (first, second) in [(other, link.as_str()), (link.as_str(), other)] {
        let mut frame = Frame::blank(640, 480, LIGHT);
        place(&mut frame, &render(first, 3), 10, 10);
        place(&mut frame, &render(second, 3), 330, 100);
        assert_eq!(
            decode(&frame).as_deref(),
            Some(link.as_str()),
            "{first} first"
        );
    }
}
