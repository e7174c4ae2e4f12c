//! Scanning: the camera hands over each frame's luminance plane and the core looks for a code.

use tessera_core::qr;

use crate::error::{TokenError, input};

/// The text of the first readable QR code in a camera frame's luminance plane (one byte a
/// pixel, rows `row_stride` bytes apart); none when the frame holds no readable code, so the
/// shell tries its next frame. Bad dimensions are an error naming the width, height, row stride
/// or luminance bytes. The text goes to `AddIdentityFlow.enter_link` or `preview_link`.
#[uniffi::export]
pub fn decode_qr_luma(
    width: u32,
    height: u32,
    row_stride: u32,
    luma: Vec<u8>,
) -> Result<Option<String>, TokenError> {
    qr::decode_qr_luma(width, height, row_stride, &luma)
        .map_err(|error| input(error.field(), error))
}
