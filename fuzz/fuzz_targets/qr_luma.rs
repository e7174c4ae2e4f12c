//! Camera frames as `decode_qr_luma` takes them: the shape from the first bytes (small, so
//! the decoder runs often; and once as raw 32-bit values, for the shape checks), the plane
//! from the rest. Whatever comes in gives a shape error, `None` or a text, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::field::InputField;
use tessera_core::qr::decode_qr_luma;

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let (shape, luma) = data.split_at(12);
    let width = 1 + u32::from(shape[0]);
    let height = 1 + u32::from(shape[1]);
    let stride = width + u32::from(shape[2] % 16);
    let _ = decode_qr_luma(width, height, stride, luma);

    let raw = |i: usize| u32::from_le_bytes([shape[i], shape[i + 1], shape[i + 2], shape[i + 3]]);
    if let Err(error) = decode_qr_luma(raw(0), raw(4), raw(8), luma) {
        assert!(matches!(
            error.field(),
            InputField::Width | InputField::Height | InputField::RowStride | InputField::Luma
        ));
    }
});
