//! A link as a QR code in a PNG image, for another app's camera to scan from the screen.
//!
//! Error correction M (15%, qrcode's default and what Google's own export uses), 6 pixels per
//! module and the 4-module quiet zone the QR standard asks for: a 1,100-character export link
//! (version 25) makes a 798-pixel square. The image shows the secrets it encodes, so its
//! pixels and bytes are wiped when dropped.

use image::ImageEncoder as _;
use image::codecs::png::PngEncoder;
use qrcode::{EcLevel, QrCode};
use zeroize::Zeroizing;

/// Pixels per QR module.
const MODULE_PIXELS: u32 = 6;

/// Why a link could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// More than a QR code holds.
    #[error("the link is too long for one QR code ({chars} characters)")]
    TooLong {
        /// Length of the link.
        chars: usize,
    },
    /// The PNG encoder failed.
    #[error("the QR code could not be written as a PNG image: {reason}")]
    Png {
        /// What the encoder said.
        reason: String,
    },
}

/// The PNG image of `text`'s QR code, black on white.
pub fn qr_png(text: &str) -> Result<Zeroizing<Vec<u8>>, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| QrError::TooLong { chars: text.len() })?;
    let image = code
        .render::<image::Luma<u8>>()
        .module_dimensions(MODULE_PIXELS, MODULE_PIXELS)
        .quiet_zone(true)
        .build();
    let (width, height) = image.dimensions();
    let pixels = Zeroizing::new(image.into_raw());
    // A QR code compresses far below its raw size: with this room the buffer never grows.
    let mut png = Zeroizing::new(Vec::with_capacity(pixels.len() + 4096));
    PngEncoder::new(&mut *png)
        .write_image(&pixels, width, height, image::ExtendedColorType::L8)
        .map_err(|e| QrError::Png {
            reason: e.to_string(),
        })?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_too_long_for_a_qr_code_are_refused() {
        let error = qr_png(&"A".repeat(5000)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the link is too long for one QR code (5000 characters)"
        );
    }

    #[test]
    fn images_are_png_with_a_quiet_zone() {
        let png = qr_png("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ").unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        // A version-3 code (29 modules) with 4 light modules each side, 6 pixels each.
        assert_eq!(image.dimensions(), ((29 + 8) * 6, (29 + 8) * 6));
        assert_eq!(image.get_pixel(0, 0).0, [255]);
        assert_eq!(image.get_pixel(4 * 6, 4 * 6).0, [0]);
    }
}
