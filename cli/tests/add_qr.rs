//! `tessera add --qr IMAGE` through the real binary: PNG and JPEG pictures of QR codes written
//! by the test (the `qrcode` encoder, the `image` encoders) add what the link in them adds; a
//! missing file, a file that is no picture, and a picture without a code are refused in one
//! line.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, QrCode};

const PIN: &str = "482913";

fn tessera(home: &Path, args: &[&str]) -> Output {
    command(home, args).output().expect("the binary runs")
}

fn command(home: &Path, args: &[&str]) -> Command {
    let mut command = common::tessera();
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null())
        .env_remove("TESSERA_HOME")
        .env_remove("TESSERA_URI")
        .env_remove("TESSERA_LINK_PASSWORD")
        .env("TESSERA_PIN", PIN)
        .env("TESSERA_NEW_PIN", PIN);
    command
}

fn ok(home: &Path, args: &[&str]) -> String {
    let output = tessera(home, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn refused(home: &Path, args: &[&str]) -> String {
    refusal(tessera(home, args))
}

fn refusal(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

/// `text` as a QR code picture: `scale` pixels a module, a 4-module quiet zone.
fn qr_picture(text: &str, scale: u32) -> GrayImage {
    let code = QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let side = (modules + 8) * scale;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
        let dark =
            mx < modules && my < modules && colors[(my * modules + mx) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

fn save(picture: &GrayImage, dir: &Path, name: &str, format: ImageFormat) -> PathBuf {
    let path = dir.join(name);
    picture.save_with_format(&path, format).unwrap();
    path
}

fn identityguard_vector() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/identityguard.json");
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    vectors["links"][0].clone()
}

/// RFC 6238 Appendix B, SHA1 at T = 59 with the 20-byte secret: 94287082.
#[test]
fn a_png_of_an_otpauth_link_adds_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let link =
        "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=ACME";
    let png = save(
        &qr_picture(link, 4),
        dir.path(),
        "code.png",
        ImageFormat::Png,
    );
    let out = ok(&home, &["add", "--qr", png.to_str().unwrap()]);
    assert!(out.starts_with("added: alice\n"), "{out}");
    assert_eq!(ok(&home, &["code", "acme", "--at", "59"]), "94287082\n");
    // The same picture again is the same identity.
    let err = refused(&home, &["add", "--qr", png.to_str().unwrap()]);
    assert!(err.contains("already on the token"), "{err}");
}

#[test]
fn a_jpeg_of_an_activation_link_asks_for_its_password_like_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let vector = identityguard_vector();
    let link = vector["uri"].as_str().unwrap();
    let jpeg = save(
        &qr_picture(link, 5),
        dir.path(),
        "letter.jpg",
        ImageFormat::Jpeg,
    );
    let jpeg = jpeg.to_str().unwrap();
    let err = refused(&home, &["add", "--qr", jpeg]);
    assert!(err.contains("--password"), "{err}");
    let out = ok(
        &home,
        &[
            "add",
            "--qr",
            jpeg,
            "--password",
            vector["password"].as_str().unwrap(),
        ],
    );
    let expected_name = vector["expected"]["name"].as_str().unwrap();
    assert!(
        out.starts_with(&format!("added: {expected_name}\nregistration code: ")),
        "{out}"
    );
    let listed = ok(&home, &["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed[0]["serial"], "48244-13456");
}

#[test]
fn missing_unreadable_and_codeless_pictures_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let missing = dir.path().join("nothing.png");
    assert_eq!(
        refused(&home, &["add", "--qr", missing.to_str().unwrap()]),
        format!("tessera: there is no file at {}\n", missing.display())
    );

    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not a picture").unwrap();
    let err = refused(&home, &["add", "--qr", text.to_str().unwrap()]);
    assert!(
        err.starts_with(&format!(
            "tessera: {} could not be read as a PNG or JPEG image",
            text.display()
        )),
        "{err}"
    );

    let blank = save(
        &GrayImage::from_pixel(200, 100, Luma([255])),
        dir.path(),
        "blank.png",
        ImageFormat::Png,
    );
    assert_eq!(
        refused(&home, &["add", "--qr", blank.to_str().unwrap()]),
        format!("tessera: no QR code could be read in {}\n", blank.display())
    );

    // A code that holds no link: refused as a pasted text would be.
    let hello = save(
        &qr_picture("hello", 4),
        dir.path(),
        "hello.png",
        ImageFormat::Png,
    );
    let err = refused(&home, &["add", "--qr", hello.to_str().unwrap()]);
    let pasted = refusal(
        command(&home, &["add", "--uri"])
            .env("TESSERA_URI", "hello")
            .output()
            .unwrap(),
    );
    assert_eq!(err, pasted);
    assert!(!home.join("vault.bin").exists(), "nothing was saved");

    // One source at a time.
    let output = tessera(&home, &["add", "--qr", "a.png", "--uri", "otpauth://x"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn reactivate_takes_a_picture_of_the_new_link_too() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    ok(
        &home,
        &[
            "add",
            "--serial",
            "48244-13456",
            "--activation",
            "1745-7712-6942-8698",
            "--name",
            "Work",
        ],
    );
    let vector = identityguard_vector();
    let png = save(
        &qr_picture(vector["uri"].as_str().unwrap(), 3),
        dir.path(),
        "new-letter.png",
        ImageFormat::Png,
    );
    let out = ok(
        &home,
        &[
            "reactivate",
            "work",
            "--qr",
            png.to_str().unwrap(),
            "--password",
            vector["password"].as_str().unwrap(),
        ],
    );
    assert!(
        out.starts_with("reactivated: Work\nregistration code: "),
        "{out}"
    );
    let listed: serde_json::Value = serde_json::from_str(&ok(&home, &["list", "--json"])).unwrap();
    assert_eq!(listed[0]["name"], "Work");
    assert_eq!(listed[0]["address"], vector["expected"]["address"]);
}
