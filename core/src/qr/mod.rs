//! Reading a QR code from a camera frame, so the phone shells hand over pixels and never parse
//! a picture themselves.
//!
//! A frame is its luminance plane as cameras deliver it (Android's `ImageProxy` Y plane, iOS's
//! `kCVPixelFormatType_420YpCbCr8BiPlanar` plane 0): one byte per pixel, 0 black to 255 white,
//! rows `row_stride` bytes apart (a stride may pad each row past `width`). The last row need not
//! be padded. The decoding itself is rxing's (see `reader`); this module checks the frame's
//! shape, so a wrong width or a short buffer is an error naming the field rather than a garbled
//! read.
//!
//! Dark codes on a light background and light codes on a dark one are read, from cameras and
//! from screens; when a frame holds several codes the activation or otpauth link is returned. A
//! frame with no readable code gives `None` so a shell simply tries its next frame.

mod denoise;
mod reader;
mod threshold;

use std::fmt;

use crate::field::InputField;

/// The widest and tallest frame accepted, in pixels (a camera preview is at most 4K; a photo
/// from the command line is 8K at most).
pub const MAX_FRAME_SIDE: u32 = 8192;

/// The most pixels a frame may have (32 Mi): beyond it, decoding takes seconds and a shell has
/// handed over something other than a preview frame.
pub const MAX_FRAME_PIXELS: u64 = 32 * 1024 * 1024;

/// A side of a frame, named in the errors about its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The width.
    Width,
    /// The height.
    Height,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Width => "width",
            Side::Height => "height",
        })
    }
}

impl From<Side> for InputField {
    fn from(side: Side) -> Self {
        match side {
            Side::Width => InputField::Width,
            Side::Height => InputField::Height,
        }
    }
}

/// A frame whose shape does not add up. Each names the value a shell passed wrongly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Zero width or height.
    #[error("the frame {side} is 0 pixels: a frame needs at least one row and one column")]
    Empty {
        /// The side that is 0.
        side: Side,
    },
    /// A side longer than [`MAX_FRAME_SIDE`].
    #[error("the frame {side} is {found} pixels; at most {max} is accepted")]
    TooLarge {
        /// The side that is too long.
        side: Side,
        /// What was passed.
        found: u32,
        /// The limit.
        max: u32,
    },
    /// More pixels than [`MAX_FRAME_PIXELS`].
    #[error("the frame has {found} pixels ({width} x {height}); at most {max} are accepted")]
    TooManyPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Width times height.
        found: u64,
        /// The limit.
        max: u64,
    },
    /// Rows closer together than a row is long.
    #[error(
        "the row stride ({stride} bytes) is shorter than the frame width ({width} pixels): rows would overlap"
    )]
    StrideTooSmall {
        /// The stride passed.
        stride: u32,
        /// The width passed.
        width: u32,
    },
    /// Fewer bytes than the width, height and stride need.
    #[error(
        "the luminance plane has {found} bytes, but {needed} are needed for {height} rows of {width} pixels, {stride} bytes apart"
    )]
    TooFewBytes {
        /// Bytes passed.
        found: usize,
        /// Bytes needed: `stride * (height - 1) + width`.
        needed: u64,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes from one row to the next.
        stride: u32,
    },
}

impl FrameError {
    /// The argument the error is about: the width, height, row stride or luminance bytes.
    pub fn field(&self) -> InputField {
        match self {
            FrameError::Empty { side } | FrameError::TooLarge { side, .. } => (*side).into(),
            FrameError::TooManyPixels { .. } => InputField::Height,
            FrameError::StrideTooSmall { .. } => InputField::RowStride,
            FrameError::TooFewBytes { .. } => InputField::Luma,
        }
    }
}

/// A luminance plane whose shape has been checked.
#[derive(Debug, Clone, Copy)]
pub struct LumaFrame<'a> {
    width: usize,
    height: usize,
    stride: usize,
    luma: &'a [u8],
}

impl<'a> LumaFrame<'a> {
    /// Checks that `luma` holds `height` rows of `width` pixels, `row_stride` bytes apart.
    pub fn new(
        width: u32,
        height: u32,
        row_stride: u32,
        luma: &'a [u8],
    ) -> Result<Self, FrameError> {
        for (side, value) in [(Side::Width, width), (Side::Height, height)] {
            if value == 0 {
                return Err(FrameError::Empty { side });
            }
            if value > MAX_FRAME_SIDE {
                return Err(FrameError::TooLarge {
                    side,
                    found: value,
                    max: MAX_FRAME_SIDE,
                });
            }
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > MAX_FRAME_PIXELS {
            return Err(FrameError::TooManyPixels {
                width,
                height,
                found: pixels,
                max: MAX_FRAME_PIXELS,
            });
        }
        if row_stride < width {
            return Err(FrameError::StrideTooSmall {
                stride: row_stride,
                width,
            });
        }
        let needed = u64::from(row_stride) * u64::from(height - 1) + u64::from(width);
        if (luma.len() as u64) < needed {
            return Err(FrameError::TooFewBytes {
                found: luma.len(),
                needed,
                width,
                height,
                stride: row_stride,
            });
        }
        // The checks above bound every value well within usize on 32- and 64-bit targets.
        Ok(Self {
            width: width as usize,
            height: height as usize,
            stride: row_stride as usize,
            luma,
        })
    }

    /// The text of the activation or otpauth link in the frame, else of any other QR code in
    /// it; `None` when there is none (see `reader`).
    pub fn decode_qr(&self) -> Option<String> {
        reader::read(self)
    }
}

/// The text of the first readable QR code in a luminance plane: checks the frame's shape (see
/// [`LumaFrame::new`]), then decodes. `Ok(None)` when the frame holds no readable code.
pub fn decode_qr_luma(
    width: u32,
    height: u32,
    row_stride: u32,
    luma: &[u8],
) -> Result<Option<String>, FrameError> {
    Ok(LumaFrame::new(width, height, row_stride, luma)?.decode_qr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_planes_give_an_error_exactly_when_the_shape_does_not_fit(
            width in 0u32..40,
            height in 0u32..40,
            pad in 0u32..8,
            short in any::<bool>(),
            fill in proptest::collection::vec(any::<u8>(), 1..64),
        ) {
            let stride = width + pad;
            let needed = (stride * height.saturating_sub(1) + width) as usize;
            let len = if short { needed.saturating_sub(1) } else { needed };
            let luma: Vec<u8> = fill.iter().copied().cycle().take(len).collect();
            let fits = width > 0 && height > 0 && !(short && needed > 0);
            prop_assert_eq!(decode_qr_luma(width, height, stride, &luma).is_ok(), fits);
            // A stride shorter than the width is refused whatever the bytes.
            if width > 0 && height > 0 {
                let error = decode_qr_luma(width, height, width - 1, &luma).unwrap_err();
                prop_assert_eq!(error.field(), InputField::RowStride);
            }
        }
    }

    #[test]
    fn each_shape_error_names_its_field() {
        let cases = [
            (0, 10, 10, 100, InputField::Width),
            (10, 0, 10, 100, InputField::Height),
            (
                MAX_FRAME_SIDE + 1,
                1,
                MAX_FRAME_SIDE + 1,
                0,
                InputField::Width,
            ),
            (1, MAX_FRAME_SIDE + 1, 1, 0, InputField::Height),
            (
                MAX_FRAME_SIDE,
                MAX_FRAME_SIDE,
                MAX_FRAME_SIDE,
                0,
                InputField::Height,
            ),
            (10, 10, 9, 100, InputField::RowStride),
            (10, 10, 12, 117, InputField::Luma),
        ];
        for (width, height, stride, bytes, field) in cases {
            let luma = vec![255; bytes];
            let error = LumaFrame::new(width, height, stride, &luma).unwrap_err();
            assert_eq!(error.field(), field, "{error}");
        }
    }

    #[test]
    fn the_last_row_needs_no_padding() {
        // 10 rows 12 bytes apart: 9 * 12 + 10 = 118 bytes.
        let luma = vec![255; 118];
        assert!(LumaFrame::new(10, 10, 12, &luma).is_ok());
        assert_eq!(
            LumaFrame::new(10, 10, 12, &luma[..117])
                .unwrap_err()
                .to_string(),
            "the luminance plane has 117 bytes, but 118 are needed for 10 rows of 10 pixels, 12 bytes apart"
        );
    }

    #[test]
    fn a_blank_frame_holds_no_code() {
        for shade in [0, 128, 255] {
            let luma = vec![shade; 64 * 48];
            assert_eq!(decode_qr_luma(64, 48, 64, &luma), Ok(None));
        }
    }
}
