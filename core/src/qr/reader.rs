//! The passes that look for QR codes in a checked frame, cheapest first, so the common frame
//! (a printed or displayed dark-on-light code) costs one pass and only harder frames pay more.
//!
//! Each pass binarises the frame one way (`threshold`: ZXing's binarisations, computed here because
//! rxing's were most of a frame's time) and hands the matrix to rxing's port of zxing-cpp's QR
//! detector and decoder (the choice, against rqrr and zxing-cpp, is measured in
//! docs/PERFORMANCE.md). Each pass collects every
//! code it finds; the first activation or otpauth link wins, because a frame
//! may also hold an unrelated code (an app-store link beside the activation code). A frame with
//! only unrelated codes returns the first of them once every pass has had its look.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets, SampleQR};

use super::denoise::{self, Speckle};
use super::{LumaFrame, threshold};

/// The link schemes Tessera activates from, preferred over any other code in the frame.
const ACTIVATION_SCHEMES: [&str; 2] = ["igmobileotp://", "otpauth://"];

/// What the passes have found so far.
#[derive(Default)]
struct Found {
    other: Option<String>,
}

impl Found {
    /// Takes the texts of one pass; returns the activation link among them, if any.
    fn take(&mut self, texts: Vec<String>) -> Option<String> {
        if let Some(at) = texts.iter().position(|text| is_activation(text)) {
            return texts.into_iter().nth(at);
        }
        if self.other.is_none() {
            self.other = texts.into_iter().next();
        }
        None
    }

    /// Takes the codes of one binarisation (none when the frame could not be binarised so).
    fn look(&mut self, matrix: Option<BitMatrix>) -> Option<String> {
        self.take(matrix.map(both_ways).unwrap_or_default())
    }
}

/// Whether `text` is a link Tessera activates from (schemes are case-insensitive, RFC 3986).
fn is_activation(text: &str) -> bool {
    ACTIVATION_SCHEMES.iter().any(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// Frames up to this many pixels (a 1080p camera preview) are judged for speckle; larger ones are
/// screenshots and photos, which have no sensor speckle at the scale of a module.
const MEDIAN_MAX_PIXELS: usize = 1920 * 1080;

/// The activation link in the frame, else any other code's text, else `None`.
pub(super) fn read(frame: &LumaFrame<'_>) -> Option<String> {
    let mut found = Found::default();
    let LumaFrame {
        width,
        height,
        stride,
        luma,
    } = *frame;
    // A heavily speckled frame reads through the median filter, and reading it without was most
    // of the time such a frame cost; a lightly speckled one gets the filtered look last.
    let speckle = if width * height <= MEDIAN_MAX_PIXELS {
        denoise::speckle(width, height, stride, luma)
    } else {
        Speckle::Clean
    };
    let smooth_look = |found: &mut Found| {
        let smooth = denoise::median3(width, height, stride, luma);
        let smooth = LumaFrame {
            stride: width,
            luma: &smooth,
            ..*frame
        };
        found.look(threshold::local(&smooth))
    };
    if speckle == Speckle::Heavy
        && let Some(link) = smooth_look(&mut found)
    {
        return Some(link);
    }
    // Local thresholds: they cope with uneven light and read nearly every frame. A frame too
    // small for them has only the global threshold, as in ZXing.
    if let Some(link) = found.look(threshold::local(frame)) {
        return Some(link);
    }
    // One threshold for the whole frame: faint codes whose modules differ by too little for the
    // local thresholds.
    if let Some(link) = found.look(threshold::global(frame)) {
        return Some(link);
    }
    if speckle == Speckle::Light
        && let Some(link) = smooth_look(&mut found)
    {
        return Some(link);
    }
    found.other
}

/// The codes of one binarised frame read as it is and, unless that found an activation link,
/// flipped: a light-on-dark code is the same binarised picture inverted, so the second look
/// costs no second binarisation.
fn both_ways(mut matrix: BitMatrix) -> Vec<String> {
    let mut texts = codes(&matrix);
    if !texts.iter().any(|text| is_activation(text)) {
        matrix.flip_self();
        texts.extend(codes(&matrix));
    }
    texts
}

/// Every QR code in one binarised frame, in the order rxing's QR reader finds them: the finder
/// patterns on every third row (the desktop's screenshots hold codes of 3 pixels a module), their
/// likeliest triples, and each triple whose patterns no earlier code used, sampled and decoded.
/// This is rxing's `QrReader::decode_multiple` for QR codes alone, called on the matrix itself
/// so that both looks share one binarisation.
fn codes(matrix: &BitMatrix) -> Vec<String> {
    // A decoder bug on a strange frame is one unreadable frame for a camera, not a crash.
    catch_unwind(AssertUnwindSafe(|| {
        let mut patterns = FindFinderPatterns(matrix, true, 0);
        let mut used = Vec::new();
        let mut texts = Vec::new();
        for set in GenerateFinderPatternSets(&mut patterns) {
            let corners = [set.bl, set.tl, set.tr];
            if corners.iter().any(|corner| used.contains(corner)) {
                continue;
            }
            let Ok(sampled) = SampleQR(matrix, &set) else {
                continue;
            };
            if let Ok(decoded) = Decode(sampled.getBits())
                && decoded.isValid()
            {
                used.extend(corners);
                texts.push(decoded.text());
            }
        }
        texts
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_schemes_are_recognised_in_any_case() {
        assert!(is_activation("igmobileotp://?action=secactivate"));
        assert!(is_activation("OTPAUTH://totp/x?secret=AA"));
        assert!(!is_activation("https://example.com/otpauth://"));
        assert!(!is_activation("otpauth:"));
        assert!(!is_activation(""));
    }

    #[test]
    fn an_activation_link_wins_and_the_first_other_code_is_kept() {
        let mut found = Found::default();
        let other = |n: u8| format!("https://example.com/{n}");
        assert_eq!(found.take(vec![other(1), other(2)]), None);
        assert_eq!(found.take(vec![other(3)]), None);
        assert_eq!(found.other.as_deref(), Some(other(1).as_str()));
        let link = "otpauth://totp/x?secret=AA".to_owned();
        assert_eq!(found.take(vec![other(4), link.clone()]), Some(link));
    }
}
