//! Drawing a link as a QR code with Unicode half blocks, for a terminal a phone can scan.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;
use zeroize::Zeroizing;

/// The QR code of `text`, two modules per character cell, light on dark inverted so it scans
/// on the usual dark terminal; `None` when the text does not fit a QR code.
pub fn draw(text: &str) -> Option<Zeroizing<String>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(Zeroizing::new(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_drawn_in_half_blocks() {
        let drawn = draw("igmobileotp://?action=secactivate&enc=AAAA&v=1&mac=AAAA").unwrap();
        let lines: Vec<&str> = drawn.lines().collect();
        assert!(lines.len() > 10);
        assert!(drawn.chars().any(|c| matches!(c, '▀' | '▄' | '█')));
        // Every row has the same width, or the code would not scan.
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_not_drawn() {
        assert!(draw(&"x".repeat(10_000)).is_none());
    }
}
