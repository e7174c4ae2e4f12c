//! Reading a QR code off the page as a phone's camera would: a screenshot, decoded from PNG to
//! a luminance plane and read by core's QR reader (the one the token's scanner uses).

use tessera_core::qr::decode_qr_luma;

use crate::Browser;

impl Browser {
    /// The text of the first QR code readable in a screenshot of the window; `None` when none
    /// is (not on the screen, or too small or blurred to read).
    pub fn read_qr_code(&self) -> Result<Option<String>, String> {
        decode_qr_png(&self.screenshot()?)
    }
}

/// The text of the first readable QR code in a PNG picture; `None` when it holds none.
pub fn decode_qr_png(png: &[u8]) -> Result<Option<String>, String> {
    let picture = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| format!("the screenshot is not a readable PNG: {e}"))?
        .to_luma8();
    let (width, height) = picture.dimensions();
    decode_qr_luma(width, height, width, picture.as_raw())
        .map_err(|e| format!("the screenshot cannot be read for a QR code: {e}"))
}
