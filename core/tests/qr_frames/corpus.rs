//! The scanning corpus: camera-like 640x480 frames and screenshots, each made from a fixed seed
//! with the `qrcode` encoder (independent of the decoder under test) and carrying the link it
//! holds, or none. The kinds are the ones the reader must cope with: module sizes of 2-6 pixels,
//! turns up to 40 degrees, lens blur, speckle, low contrast, tilt, uneven light, frames with no
//! code, light-on-dark codes, codes on screens (antialiased, or resampled into uneven modules),
//! an activation code beside another code, and 1920x1080 and 3840x2160 screenshots with a code
//! of 3 pixels a module.
//!
//! Shared by `tests/qr_read_rate.rs`, the `qr` benchmark and `examples/qr_corpus.rs` (which writes
//! the frames as PNG for the zxing-cpp comparison), so all of them read exactly the same frames.

use qrcode::{Color, QrCode};
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

use super::{Frame, inverted, salt_and_pepper};

/// What makes a frame hard, one kind each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Turned,
    Blurred,
    Speckled,
    LowContrast,
    Tilted,
    UnevenLight,
    NoCode,
    LightOnDark,
    Screen,
    TwoCodes,
    Screenshot1080,
    Screenshot2160,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plain => "plain",
            Kind::Turned => "turned",
            Kind::Blurred => "blurred",
            Kind::Speckled => "speckled",
            Kind::LowContrast => "low-contrast",
            Kind::Tilted => "tilted",
            Kind::UnevenLight => "uneven-light",
            Kind::NoCode => "no-code",
            Kind::LightOnDark => "light-on-dark",
            Kind::Screen => "screen",
            Kind::TwoCodes => "two-codes",
            Kind::Screenshot1080 => "screenshot-1080",
            Kind::Screenshot2160 => "screenshot-2160",
        }
    }
}

/// The camera kinds and how many 640x480 frames each has.
pub const CAMERA_KINDS: [(Kind, usize); 11] = [
    (Kind::Plain, 10),
    (Kind::Turned, 12),
    (Kind::Blurred, 10),
    (Kind::Speckled, 10),
    (Kind::LowContrast, 10),
    (Kind::Tilted, 10),
    (Kind::UnevenLight, 10),
    (Kind::NoCode, 8),
    (Kind::LightOnDark, 8),
    (Kind::Screen, 8),
    (Kind::TwoCodes, 6),
];

/// The screenshot kinds and how many frames each has.
pub const SCREENSHOT_KINDS: [(Kind, usize); 2] =
    [(Kind::Screenshot1080, 3), (Kind::Screenshot2160, 3)];

/// One frame of the corpus.
pub struct Case {
    /// `kind-index`, also the PNG's file name.
    pub name: String,
    pub kind: Kind,
    pub frame: Frame,
    /// The link a reader must return; `None` for a frame with no code.
    pub expected: Option<String>,
}

/// Every 640x480 camera-like frame.
pub fn camera() -> Vec<Case> {
    cases(&CAMERA_KINDS)
}

/// Every screenshot.
pub fn screenshots() -> Vec<Case> {
    cases(&SCREENSHOT_KINDS)
}

fn cases(kinds: &[(Kind, usize)]) -> Vec<Case> {
    kinds
        .iter()
        .flat_map(|&(kind, count)| (0..count).map(move |index| make(kind, index)))
        .collect()
}

/// The frame `index` of `kind`, from a generator seeded with both.
pub fn make(kind: Kind, index: usize) -> Case {
    let seed = (kind as u64) << 32 | index as u64;
    let mut rng = XorShiftRng::seed_from_u64(seed ^ 0x7e55_e7a0_0000_0000);
    let mut rng = Draw(&mut rng);
    // Module sizes cycle through 2-6 pixels, with a random fraction on top.
    let module = 2.0 + (index % 5) as f64 + rng.between(0.0, 0.6);
    let link = if rng.chance(0.5) {
        igmobileotp_link(&mut rng)
    } else {
        otpauth_link(&mut rng)
    };
    let (frame, expected) = match kind {
        Kind::Screenshot1080 => screenshot(&mut rng, 1920, 1080, index, &link),
        Kind::Screenshot2160 => screenshot(&mut rng, 3840, 2160, index, &link),
        _ => camera_frame(&mut rng, kind, module, &link),
    };
    Case {
        name: format!("{}-{index:02}", kind.name()),
        kind,
        frame,
        expected,
    }
}

fn camera_frame(
    rng: &mut Draw<'_>,
    kind: Kind,
    module: f64,
    link: &str,
) -> (Frame, Option<String>) {
    let (width, height) = (640, 480);
    let mut frame = paper(rng, width, height);
    let (mut dark, mut light) = (rng.between(10.0, 45.0), rng.between(200.0, 240.0));
    if kind == Kind::LowContrast {
        let middle = rng.between(90.0, 170.0);
        let spread = rng.between(12.0, 24.0);
        (dark, light) = (middle - spread, middle + spread);
        frame.luma.fill(light as u8);
    }
    let angle = match kind {
        Kind::Turned => rng.between(5.0, 40.0) * rng.sign(),
        Kind::Tilted | Kind::LightOnDark => rng.between(-15.0, 15.0),
        Kind::Screen | Kind::TwoCodes => 0.0,
        _ => rng.between(-4.0, 4.0),
    };
    let tilt = if kind == Kind::Tilted {
        rng.between(0.65, 0.85)
    } else {
        1.0
    };
    let module = match kind {
        Kind::Screen => rng.between(2.2, 4.6),
        Kind::TwoCodes => rng.between(2.0, 3.2),
        _ => module,
    };
    // A screen's pixels either blend the modules they straddle or take the nearest one.
    let samples = if kind == Kind::Screen && rng.chance(0.5) {
        1
    } else {
        3
    };

    if kind == Kind::NoCode {
        decoy(rng, &mut frame);
        noise(rng, &mut frame, 6.0);
        return (frame, None);
    }
    if kind == Kind::TwoCodes {
        let other = format!("https://apps.example.com/tessera/{}", rng.word(12));
        let codes = [modules(link), modules(&other)];
        let order = if rng.chance(0.5) { [0, 1] } else { [1, 0] };
        let mut left = 10.0;
        for &which in &order {
            let side = codes[which].side() as f64 * module;
            let top = rng.between(5.0, (height as f64 - side - 5.0).max(6.0));
            let quad = square(left + side / 2.0, top + side / 2.0, side, 0.0, 1.0);
            draw(&mut frame, &codes[which], &quad, samples, dark, light);
            left += side + rng.between(5.0, 20.0);
        }
        noise(rng, &mut frame, 4.0);
        return (frame, Some(link.to_owned()));
    }

    let code = modules(link);
    let turn = angle.to_radians().sin().abs() + angle.to_radians().cos().abs();
    // Shrink a code that would not fit the frame turned.
    let module = module.min((height as f64 - 12.0) / (code.side() as f64 * turn));
    let side = code.side() as f64 * module;
    let reach = side * turn / 2.0;
    let cx = rng.between(reach + 2.0, width as f64 - reach - 2.0);
    let cy = rng.between(reach + 2.0, (height as f64 - reach - 2.0).max(reach + 2.5));
    let quad = square(cx, cy, side, angle, tilt);
    draw(&mut frame, &code, &quad, samples, dark, light);

    match kind {
        Kind::Blurred => {
            let radius = (module * rng.between(0.35, 0.6)).round().max(1.0) as usize;
            frame = box_blur(&frame, radius);
        }
        Kind::Speckled => {
            let per_mille = rng.between(20.0, 60.0) as usize;
            frame = salt_and_pepper(&frame, per_mille, rng.0.next_u64());
        }
        Kind::UnevenLight => shade(rng, &mut frame),
        Kind::LightOnDark => frame = inverted(&frame),
        _ => {}
    }
    if kind != Kind::Screen {
        noise(rng, &mut frame, 5.0);
    }
    (frame, Some(link.to_owned()))
}

/// A desktop: windows of flat colour, lines of "text", and the code at 3 pixels a module (one
/// screenshot in three scaled by the desktop, so its modules are blended).
fn screenshot(
    rng: &mut Draw<'_>,
    width: usize,
    height: usize,
    index: usize,
    link: &str,
) -> (Frame, Option<String>) {
    let mut frame = Frame::blank(width, height, 236);
    for _ in 0..12 {
        let (w, h) = (
            rng.between(200.0, width as f64 / 2.0),
            rng.between(150.0, height as f64 / 2.0),
        );
        let (x, y) = (
            rng.between(0.0, width as f64 - w),
            rng.between(0.0, height as f64 - h),
        );
        let shade = rng.between(180.0, 255.0) as u8;
        fill(
            &mut frame, x as usize, y as usize, w as usize, h as usize, shade,
        );
        // Text: short dark dashes on lines 18 pixels apart.
        let mut line = y + 12.0;
        while line + 10.0 < y + h {
            let mut word = x + 8.0;
            while word + 40.0 < x + w {
                let length = rng.between(10.0, 40.0);
                fill(
                    &mut frame,
                    word as usize,
                    line as usize,
                    length as usize,
                    8,
                    60,
                );
                word += length + 6.0;
            }
            line += 18.0;
        }
    }
    let code = modules(link);
    let (module, samples) = if index % 3 == 2 { (3.25, 3) } else { (3.0, 1) };
    let side = code.side() as f64 * module;
    let left = rng.between(0.0, width as f64 - side - 1.0).floor();
    let top = rng.between(0.0, height as f64 - side - 1.0).floor();
    let quad = square(left + side / 2.0, top + side / 2.0, side, 0.0, 1.0);
    draw(&mut frame, &code, &quad, samples, 0.0, 255.0);
    (frame, Some(link.to_owned()))
}

/// The module grid of `text`'s QR code with its 4-module quiet zone.
struct Modules {
    dark: Vec<bool>,
    side: usize,
}

impl Modules {
    fn side(&self) -> usize {
        self.side
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.side + x]
    }
}

fn modules(text: &str) -> Modules {
    let code = QrCode::new(text.as_bytes()).expect("the text fits in a QR code");
    let inner = code.width();
    let colors = code.to_colors();
    let side = inner + 8;
    let mut dark = vec![false; side * side];
    for y in 0..inner {
        for x in 0..inner {
            dark[(y + 4) * side + x + 4] = colors[y * inner + x] == Color::Dark;
        }
    }
    Modules { dark, side }
}

/// The corners of a square of `side` pixels centred on (`cx`, `cy`), turned by `degrees`, its
/// top edge shortened to `tilt` of its length (a code seen from below).
fn square(cx: f64, cy: f64, side: f64, degrees: f64, tilt: f64) -> [(f64, f64); 4] {
    let half = side / 2.0;
    let corners = [
        (-half * tilt, -half),
        (half * tilt, -half),
        (half, half),
        (-half, half),
    ];
    let (sin, cos) = degrees.to_radians().sin_cos();
    corners.map(|(x, y)| (cx + x * cos - y * sin, cy + x * sin + y * cos))
}

/// Draws `code` onto the quadrilateral `quad` (clockwise from the top left), each pixel the mean
/// of `samples` x `samples` points taken through the perspective mapping.
fn draw(
    frame: &mut Frame,
    code: &Modules,
    quad: &[(f64, f64); 4],
    samples: usize,
    dark: f64,
    light: f64,
) {
    let to_code = invert3(&square_to_quad(quad));
    let side = code.side() as f64;
    let xs = quad.iter().map(|p| p.0);
    let ys = quad.iter().map(|p| p.1);
    let (x0, x1) = (
        xs.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f64::MAX, f64::min),
        ys.fold(f64::MIN, f64::max),
    );
    let clamp = |v: f64, limit: usize| (v.max(0.0) as usize).min(limit);
    for y in clamp(y0.floor(), frame.height)..clamp(y1.ceil() + 1.0, frame.height) {
        for x in clamp(x0.floor(), frame.width)..clamp(x1.ceil() + 1.0, frame.width) {
            let background = f64::from(frame.luma[y * frame.stride + x]);
            let mut sum = 0.0;
            for sy in 0..samples {
                for sx in 0..samples {
                    let px = x as f64 + (sx as f64 + 0.5) / samples as f64;
                    let py = y as f64 + (sy as f64 + 0.5) / samples as f64;
                    let (u, v) = apply(&to_code, px, py);
                    sum += if (0.0..1.0).contains(&u) && (0.0..1.0).contains(&v) {
                        let (mx, my) = ((u * side) as usize, (v * side) as usize);
                        if code.dark(mx, my) { dark } else { light }
                    } else {
                        background
                    };
                }
            }
            frame.luma[y * frame.stride + x] = (sum / (samples * samples) as f64).round() as u8;
        }
    }
}

/// The projective map from the unit square onto `quad` (Heckbert, "Fundamentals of Texture
/// Mapping and Image Warping", 1989, section 2.2.3).
fn square_to_quad(quad: &[(f64, f64); 4]) -> [[f64; 3]; 3] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = *quad;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let det = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / det;
    let h = (dx1 * dy3 - dx3 * dy1) / det;
    [
        [x1 - x0 + g * x1, x3 - x0 + h * x3, x0],
        [y1 - y0 + g * y1, y3 - y0 + h * y3, y0],
        [g, h, 1.0],
    ]
}

fn invert3(m: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let c =
        |r0: usize, c0: usize, r1: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let adj = [
        [c(1, 1, 2, 2), -c(0, 1, 2, 2), c(0, 1, 1, 2)],
        [-c(1, 0, 2, 2), c(0, 0, 2, 2), -c(0, 0, 1, 2)],
        [c(1, 0, 2, 1), -c(0, 0, 2, 1), c(0, 0, 1, 1)],
    ];
    let det = m[0][0] * adj[0][0] + m[0][1] * adj[1][0] + m[0][2] * adj[2][0];
    adj.map(|row| row.map(|v| v / det))
}

fn apply(m: &[[f64; 3]; 3], x: f64, y: f64) -> (f64, f64) {
    let w = m[2][0] * x + m[2][1] * y + m[2][2];
    (
        (m[0][0] * x + m[0][1] * y + m[0][2]) / w,
        (m[1][0] * x + m[1][1] * y + m[1][2]) / w,
    )
}

/// A sheet of paper under room light: a gentle gradient between two light shades.
fn paper(rng: &mut Draw<'_>, width: usize, height: usize) -> Frame {
    let (a, b) = (rng.between(150.0, 225.0), rng.between(150.0, 225.0));
    let mut frame = Frame::blank(width, height, 0);
    for y in 0..height {
        for x in 0..width {
            let t = (x + y) as f64 / (width + height) as f64;
            frame.luma[y * width + x] = (a + (b - a) * t) as u8;
        }
    }
    frame
}

/// Things a camera sees that are not codes: dark blocks, a grid of random squares like a
/// code's data with no finder patterns, and lines.
fn decoy(rng: &mut Draw<'_>, frame: &mut Frame) {
    for _ in 0..6 {
        let (w, h) = (
            rng.between(10.0, 200.0) as usize,
            rng.between(10.0, 150.0) as usize,
        );
        let (x, y) = (
            rng.between(0.0, (frame.width - w) as f64),
            rng.between(0.0, (frame.height - h) as f64),
        );
        fill(
            frame,
            x as usize,
            y as usize,
            w,
            h,
            rng.between(0.0, 120.0) as u8,
        );
    }
    let cell = rng.between(3.0, 6.0) as usize;
    let (left, top) = (
        rng.between(0.0, 300.0) as usize,
        rng.between(0.0, 200.0) as usize,
    );
    for gy in 0..40 {
        for gx in 0..40 {
            if rng.chance(0.5) {
                fill(frame, left + gx * cell, top + gy * cell, cell, cell, 30);
            }
        }
    }
}

fn fill(frame: &mut Frame, x: usize, y: usize, w: usize, h: usize, shade: u8) {
    for row in y.min(frame.height)..(y + h).min(frame.height) {
        for col in x.min(frame.width)..(x + w).min(frame.width) {
            frame.luma[row * frame.stride + col] = shade;
        }
    }
}

/// Light falling off across the frame: from full to a third to two thirds of it.
fn shade(rng: &mut Draw<'_>, frame: &mut Frame) {
    let darkest = rng.between(0.3, 0.6);
    let angle = rng.between(0.0, std::f64::consts::TAU);
    let (dx, dy) = (angle.cos(), angle.sin());
    let reach = (frame.width as f64).hypot(frame.height as f64) / 2.0;
    let (cx, cy) = (frame.width as f64 / 2.0, frame.height as f64 / 2.0);
    for y in 0..frame.height {
        for x in 0..frame.width {
            let along = ((x as f64 - cx) * dx + (y as f64 - cy) * dy) / reach;
            let factor = darkest + (1.0 - darkest) * (along + 1.0) / 2.0;
            let value = &mut frame.luma[y * frame.stride + x];
            *value = (f64::from(*value) * factor) as u8;
        }
    }
}

/// Sensor noise: each pixel moved by up to `amplitude` either way.
fn noise(rng: &mut Draw<'_>, frame: &mut Frame, amplitude: f64) {
    for value in &mut frame.luma {
        let moved = f64::from(*value) + rng.between(-amplitude, amplitude);
        *value = moved.clamp(0.0, 255.0) as u8;
    }
}

/// Each pixel the mean of the (2 `radius` + 1)-pixel square around it: a lens out of focus.
fn box_blur(frame: &Frame, radius: usize) -> Frame {
    let mut out = frame.clone();
    let (w, h) = (frame.width, frame.height);
    for y in 0..h {
        for x in 0..w {
            let (ya, yb) = (y.saturating_sub(radius), (y + radius).min(h - 1));
            let (xa, xb) = (x.saturating_sub(radius), (x + radius).min(w - 1));
            let mut sum = 0u32;
            for yy in ya..=yb {
                for xx in xa..=xb {
                    sum += u32::from(frame.at(xx, yy));
                }
            }
            out.luma[y * w + x] = (sum / ((yb - ya + 1) * (xb - xa + 1)) as u32) as u8;
        }
    }
    out
}

/// An activation link of the IdentityGuard shape: a sealed payload of 168 random bytes.
fn igmobileotp_link(rng: &mut Draw<'_>) -> String {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let enc: String = (0..224)
        .map(|_| match BASE64[rng.below(64)] {
            b'+' => "%2B".to_owned(),
            b'/' => "%2F".to_owned(),
            c => char::from(c).to_string(),
        })
        .collect();
    format!(
        "igmobileotp://?action=secactivate&enc={enc}&v=1&mac={}",
        rng.word(16)
    )
}

fn otpauth_link(rng: &mut Draw<'_>) -> String {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let secret: String = (0..32).map(|_| char::from(BASE32[rng.below(32)])).collect();
    format!(
        "otpauth://totp/Example:{}@example.com?secret={secret}&issuer=Example",
        rng.word(8)
    )
}

/// Draws from the seeded generator.
struct Draw<'a>(&'a mut XorShiftRng);

impl Draw<'_> {
    fn unit(&mut self) -> f64 {
        f64::from(self.0.next_u32()) / (f64::from(u32::MAX) + 1.0)
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn sign(&mut self) -> f64 {
        if self.chance(0.5) { 1.0 } else { -1.0 }
    }

    fn word(&mut self, length: usize) -> String {
        (0..length)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }
}
