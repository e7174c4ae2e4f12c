//! `--qr IMAGE`: the link a QR code in a PNG or JPEG file holds (a screenshot, a photo of a
//! letter), read by the core's decoder exactly as a phone reads a camera frame.
//!
//! A picture is hostile input like any other: a small file can describe a huge image (an
//! 11000 x 11000 PNG of blank paper compresses to under 1 MB and decodes to hundreds of MB).
//! So the file is read with a bound, its dimensions are read from its header and checked
//! before anything is decoded, and the decoder runs under limits on size and memory.

use std::io::Cursor;
use std::path::Path;

use image::{ImageError, ImageReader, Limits};
use tessera_core::qr::decode_qr_luma;
use zeroize::Zeroizing;

use crate::bounded_read::{ReadError, read_limited};
use crate::refusal::Refusal;

/// Widest or tallest picture read: a 50-megapixel phone photo (8160 x 6120) fits.
const MAX_SIDE: u32 = 8192;
/// Most the decoder may hold at once: an 8192 x 8192 picture in 8-bit RGBA.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// A photo or screenshot of a QR code is a few MB at most; the file is not read past this.
const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// The text of the QR code in the image at `path`.
pub fn link_in_image(path: &Path) -> Result<Zeroizing<String>, Refusal> {
    let shown = path.display();
    let bytes = read_limited(path, MAX_IMAGE_BYTES).map_err(|error| match error {
        ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Refusal::new(format!("there is no file at {shown}"))
        }
        other => other.refusal(path, "a picture of a QR code"),
    })?;
    let unreadable = |error: ImageError| {
        Refusal::new(format!(
            "{shown} could not be read as a PNG or JPEG image: {error}"
        ))
    };
    let reader = || {
        ImageReader::new(Cursor::new(&bytes[..]))
            .with_guessed_format()
            .map_err(|error| Refusal::new(format!("could not read {shown}: {error}")))
    };
    let (width, height) = reader()?.into_dimensions().map_err(unreadable)?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Refusal::new(format!(
            "{shown} is {width} x {height} pixels, larger than a QR code picture needs (at most {MAX_SIDE} a side): crop or scale it down"
        )));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut decoder = reader()?;
    decoder.limits(limits);
    let picture = decoder.decode().map_err(|error| match error {
        ImageError::Limits(_) => Refusal::new(format!(
            "{shown} ({width} x {height} pixels) needs more than {} MiB to decode: crop or scale it down",
            MAX_DECODE_BYTES / (1024 * 1024)
        )),
        other => unreadable(other),
    })?;
    let luma = picture.into_luma8();
    let (width, height) = luma.dimensions();
    let text = decode_qr_luma(width, height, width, luma.as_raw())
        .map_err(|error| Refusal::new(format!("{shown}: {error}")))?;
    text.map(Zeroizing::new)
        .ok_or_else(|| Refusal::new(format!("no QR code could be read in {shown}")))
}
