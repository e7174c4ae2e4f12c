//! Camera-like luminance frames holding QR codes, made with the `qrcode` encoder (independent
//! of the decoder under test): scaled, rotated, noisy, padded, inverted or placed on a larger
//! frame. Shared by the QR tests and the QR benchmark.

#![allow(dead_code)]

pub mod corpus;

use qrcode::{Color, QrCode};
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

/// Light and dark as a camera sees a printed code: not pure white and black.
pub const LIGHT: u8 = 230;
pub const DARK: u8 = 25;

/// A luminance plane: `height` rows of `width` pixels, `stride` bytes apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub stride: usize,
    pub luma: Vec<u8>,
}

impl Frame {
    pub fn blank(width: usize, height: usize, shade: u8) -> Self {
        Self {
            width,
            height,
            stride: width,
            luma: vec![shade; width * height],
        }
    }

    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.luma[y * self.stride + x]
    }

    /// (width, height, stride) as the binding takes them.
    pub fn shape(&self) -> (u32, u32, u32) {
        (self.width as u32, self.height as u32, self.stride as u32)
    }
}

/// `text` as a QR code, each module `scale` pixels, with the standard 4-module quiet zone.
pub fn render(text: &str, scale: usize) -> Frame {
    let code = QrCode::new(text.as_bytes()).expect("the text fits in a QR code");
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 8) * scale;
    let mut frame = Frame::blank(side, side, LIGHT);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if mx < modules && my < modules && colors[my * modules + mx] == Color::Dark {
                frame.luma[y * side + x] = DARK;
            }
        }
    }
    frame
}

/// Turned clockwise by `quarter_turns` right angles.
pub fn rotate_quarters(frame: &Frame, quarter_turns: u32) -> Frame {
    let mut out = frame.clone();
    for _ in 0..quarter_turns % 4 {
        let (w, h) = (out.width, out.height);
        let mut turned = Frame::blank(h, w, LIGHT);
        for y in 0..h {
            for x in 0..w {
                // (x, y) goes to (h - 1 - y, x).
                turned.luma[x * h + (h - 1 - y)] = out.at(x, y);
            }
        }
        out = turned;
    }
    out
}

/// Turned by `degrees` about its centre onto a frame large enough to hold it, each pixel
/// blended from the four it falls between (as a lens blurs edges), light where nothing maps.
pub fn rotate_degrees(frame: &Frame, degrees: f64) -> Frame {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (frame.width as f64, frame.height as f64);
    let out_w = (w * cos.abs() + h * sin.abs()).ceil() as usize;
    let out_h = (w * sin.abs() + h * cos.abs()).ceil() as usize;
    let source = |x: f64, y: f64| -> f64 {
        if x < 0.0 || y < 0.0 || x >= w || y >= h {
            f64::from(LIGHT)
        } else {
            f64::from(frame.at(x as usize, y as usize))
        }
    };
    let mut out = Frame::blank(out_w, out_h, LIGHT);
    let (ox, oy) = (out_w as f64 / 2.0, out_h as f64 / 2.0);
    for y in 0..out_h {
        for x in 0..out_w {
            let (dx, dy) = (x as f64 + 0.5 - ox, y as f64 + 0.5 - oy);
            let sx = dx * cos + dy * sin + w / 2.0 - 0.5;
            let sy = -dx * sin + dy * cos + h / 2.0 - 0.5;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let value = source(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + source(x0 + 1.0, y0) * fx * (1.0 - fy)
                + source(x0, y0 + 1.0) * (1.0 - fx) * fy
                + source(x0 + 1.0, y0 + 1.0) * fx * fy;
            out.luma[y * out_w + x] = value.round() as u8;
        }
    }
    out
}

/// `per_mille` of the pixels (chosen by a generator seeded with `seed`) set to black or white.
pub fn salt_and_pepper(frame: &Frame, per_mille: usize, seed: u64) -> Frame {
    let mut out = frame.clone();
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let count = frame.width * frame.height * per_mille / 1000;
    for _ in 0..count {
        let x = (rng.next_u32() as usize) % frame.width;
        let y = (rng.next_u32() as usize) % frame.height;
        out.luma[y * out.stride + x] = if rng.next_u32() & 1 == 0 { 0 } else { 255 };
    }
    out
}

/// The same pixels with each row padded to `stride` bytes with `fill` (which must be ignored);
/// the last row is not padded, as camera planes often end.
pub fn with_stride(frame: &Frame, stride: usize, fill: u8) -> Frame {
    assert!(stride >= frame.width);
    let mut luma = Vec::with_capacity(stride * frame.height);
    for y in 0..frame.height {
        let row = &frame.luma[y * frame.stride..y * frame.stride + frame.width];
        luma.extend_from_slice(row);
        if y + 1 < frame.height {
            luma.resize(luma.len() + stride - frame.width, fill);
        }
    }
    Frame {
        width: frame.width,
        height: frame.height,
        stride,
        luma,
    }
}

/// Light and dark swapped: a light code on a dark background.
pub fn inverted(frame: &Frame) -> Frame {
    let mut out = frame.clone();
    for value in &mut out.luma {
        *value = 255 - *value;
    }
    out
}

/// `frame` copied onto `canvas` with its top left corner at (`left`, `top`).
pub fn place(canvas: &mut Frame, frame: &Frame, left: usize, top: usize) {
    for y in 0..frame.height {
        for x in 0..frame.width {
            canvas.luma[(top + y) * canvas.stride + left + x] = frame.at(x, y);
        }
    }
}
