//! A QR code drawn as tessera-server draws a new token's link (an inline SVG from `qrcode`,
//! at least 256 pixels with its quiet zone) is read back from a screenshot by core's QR reader,
//! at phone and desktop widths: what the end-to-end test's scanning run relies on.

mod common;

use std::collections::HashMap;

use common::Site;
use qrcode::QrCode;
use qrcode::render::svg;
use tessera_browser_harness::{Browser, Window};

/// The longest activation link of the shared IdentityGuard vectors (a real link's size: the
/// denser its code, the harder to read).
fn longest_vector_link() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/identityguard.json"
    );
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    vectors["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|link| link["uri"].as_str().unwrap().to_string())
        .max_by_key(String::len)
        .unwrap()
}

/// Drawn with the settings of server/src/qr_svg.rs.
fn svg_of(text: &str) -> String {
    QrCode::new(text.as_bytes())
        .unwrap()
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build()
}

fn page(svg: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Activate</title></head>\
         <body><h1>Scan this code</h1><div id=\"qr\">{svg}</div>\
         <p>Or type the serial number and activation code.</p></body></html>"
    )
}

#[test]
fn an_inline_svg_qr_code_is_read_from_a_screenshot_at_both_widths() {
    let link = longest_vector_link();
    assert!(link.starts_with("igmobileotp://?action=secactivate&enc="));
    assert!(link.len() > 300, "{link}");
    let site = Site::serve(HashMap::from([
        ("/", page(&svg_of(&link))),
        ("/none", page("")),
    ]));
    for window in [Window::PHONE, Window::DESKTOP] {
        let browser = Browser::start(window).unwrap();
        browser.goto(&site.url("/")).unwrap();
        assert_eq!(
            browser.read_qr_code().unwrap().as_deref(),
            Some(link.as_str()),
            "at {window:?}"
        );
        // A page without a code reads as none, not as an error or a stale result.
        browser.goto(&site.url("/none")).unwrap();
        assert_eq!(browser.read_qr_code().unwrap(), None, "at {window:?}");
    }
}

#[test]
fn a_picture_that_is_not_a_png_is_refused() {
    let error = tessera_browser_harness::decode_qr_png(b"GIF89a").unwrap_err();
    assert!(
        error.starts_with("the screenshot is not a readable PNG"),
        "{error}"
    );
}

#[test]
fn a_code_below_the_fold_is_read_once_scrolled_to() {
    let link = longest_vector_link();
    let below = format!(
        "<!doctype html><html lang=\"en\"><head><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Activate</title></head><body>\
         <h1>Activate</h1><div style=\"height: 3000px\">Instructions</div>\
         <figure id=\"qr\">{}</figure></body></html>",
        svg_of(&link)
    );
    let site = Site::serve(HashMap::from([("/", below)]));
    let browser = Browser::start(Window::PHONE).unwrap();
    browser.goto(&site.url("/")).unwrap();
    assert_eq!(browser.read_qr_code().unwrap(), None, "off the screen");
    browser.scroll_to("#qr").unwrap();
    assert_eq!(
        browser.read_qr_code().unwrap().as_deref(),
        Some(link.as_str())
    );
    let error = browser.scroll_to("#nothing").unwrap_err();
    assert!(error.starts_with("nothing matches \"#nothing\""), "{error}");
}
