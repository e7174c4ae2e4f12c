//! The passes that look for QR codes in a checked frame, cheapest first, so the common frame
//! (a printed or displayed dark-on-light code) costs one pass and only harder frames pay more.
//!
//! The decoding is rxing's port of zxing-cpp's QR reader (the choice, against rqrr and zxing-cpp,
//! is measured in docs/PERFORMANCE.md). Each pass binarises the frame one way and collects every
//! code it finds; the first activation or otpauth link wins, because a frame
//! may also hold an unrelated code (an app-store link beside the activation code). A frame with
//! only unrelated codes returns the first of them once every pass has had its look.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, LuminanceSource};

use super::{LumaFrame, denoise};

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
}

/// Whether `text` is a link Tessera activates from (schemes are case-insensitive, RFC 3986).
fn is_activation(text: &str) -> bool {
    ACTIVATION_SCHEMES.iter().any(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// Frames up to this many pixels (a 1080p camera preview) get the median-filtered look; larger
/// ones are screenshots and photos, which have no sensor speckle at the scale of a module.
const MEDIAN_MAX_PIXELS: usize = 1920 * 1080;

/// The activation link in the frame, else any other code's text, else `None`.
pub(super) fn read(frame: &LumaFrame<'_>) -> Option<String> {
    let mut found = Found::default();
    // Local thresholds first: they cope with uneven light and read nearly every frame.
    let local = BinaryBitmap::new(HybridBinarizer::new(source(frame)));
    if let Some(link) = found.take(both_ways(local)) {
        return Some(link);
    }
    // One threshold for the whole frame: faint codes whose modules differ by too little for the
    // local thresholds.
    let global = BinaryBitmap::new(GlobalHistogramBinarizer::new(source(frame)));
    if let Some(link) = found.take(both_ways(global)) {
        return Some(link);
    }
    // Speckle breaks the finder patterns' runs long before it defeats error correction.
    if frame.width * frame.height <= MEDIAN_MAX_PIXELS {
        let smooth = denoise::median3(frame.width, frame.height, frame.stride, frame.luma);
        let smooth = Luma8Source::new(smooth, frame.width as u32, frame.height as u32)
            .expect("invariant: the median frame has width x height pixels");
        if let Some(link) = found.take(both_ways(BinaryBitmap::new(HybridBinarizer::new(smooth)))) {
            return Some(link);
        }
    }
    found.other
}

/// The codes of one binarised frame read as it is and, unless that found an activation link,
/// flipped: a light-on-dark code is the same binarised picture inverted, so the second look
/// costs no second binarisation.
fn both_ways<B: Binarizer>(mut bitmap: BinaryBitmap<B>) -> Vec<String> {
    let mut texts = codes(&mut bitmap);
    if !texts.iter().any(|text| is_activation(text)) {
        bitmap.invert();
        texts.extend(codes(&mut bitmap));
    }
    texts
}

/// A view of the frame as rxing takes it, without copying when the plane allows.
fn source<'a>(frame: &LumaFrame<'a>) -> Luma8Source<'a> {
    let LumaFrame {
        width,
        height,
        stride,
        luma,
    } = *frame;
    let padded_rows = stride * height;
    let view = if luma.len() >= padded_rows {
        Luma8Source::new_with_slice(&luma[..padded_rows], stride as u32, height as u32)
            .and_then(|whole| whole.crop(0, 0, width, height))
    } else {
        // The last row is unpadded, so the plane is not a whole number of strides: one copy.
        let packed = (0..height)
            .flat_map(|y| &luma[y * stride..y * stride + width])
            .copied()
            .collect();
        Luma8Source::new(packed, width as u32, height as u32)
    };
    view.expect("invariant: LumaFrame::new checked that the plane holds every row")
}

/// Every QR code one binarisation of the frame yields, in the order rxing finds them.
fn codes<B: Binarizer>(bitmap: &mut BinaryBitmap<B>) -> Vec<String> {
    let hints = DecodeHints {
        PossibleFormats: Some([BarcodeFormat::QR_CODE].into()),
        // Look for finder patterns on every third row, not every 16th on a 4K frame: the
        // desktop's screenshots hold codes of 3 pixels a module.
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    // A decoder bug on a strange frame is one unreadable frame for a camera, not a crash.
    catch_unwind(AssertUnwindSafe(|| {
        QrReader
            .decode_multiple_with_hints(bitmap, &hints)
            .map(|results| {
                results
                    .into_iter()
                    .map(|result| result.getText().to_owned())
                    .collect()
            })
            .unwrap_or_default()
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
