//! The QR code of a new token's `igmobileotp://` link, as an SVG document the self-service page
//! can show as it is (the link's password is given apart from it).

use axum::http::StatusCode;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::error::ApiError;

/// Modules of quiet zone and size: a phone camera reads it from a screen at arm's length.
const MIN_SIZE_PIXELS: u32 = 256;

/// `link` drawn as an SVG QR code.
pub fn draw(link: &str) -> Result<String, ApiError> {
    let code = QrCode::new(link.as_bytes()).map_err(|e| {
        ApiError::general(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the link does not fit a QR code: {e}"),
        )
    })?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(MIN_SIZE_PIXELS, MIN_SIZE_PIXELS)
        .quiet_zone(true)
        .build())
}
