//! `--qr IMAGE`: the link a QR code in a PNG or JPEG file holds (a screenshot, a photo of a
//! letter), read by the core's decoder exactly as a phone reads a camera frame.

use std::path::Path;

use tessera_core::qr::decode_qr_luma;
use zeroize::Zeroizing;

use crate::bounded_read::{ReadError, read_limited};
use crate::refusal::Refusal;

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
    let picture = image::load_from_memory(&bytes).map_err(|error| {
        Refusal::new(format!(
            "{shown} could not be read as a PNG or JPEG image: {error}"
        ))
    })?;
    let luma = picture.into_luma8();
    let (width, height) = luma.dimensions();
    let text = decode_qr_luma(width, height, width, luma.as_raw())
        .map_err(|error| Refusal::new(format!("{shown}: {error}")))?;
    text.map(Zeroizing::new)
        .ok_or_else(|| Refusal::new(format!("no QR code could be read in {shown}")))
}
