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
