//! `tessera add --qr` with a picture far too large: refused from its header, never decoded.
//! In a file of its own so that it runs alone in its process: the kernel counts the parent's
//! high-water mark in a child's peak memory (it records it when the child execs), so another
//! test's memory in the same process would blur the measure.

mod common;

use std::process::Stdio;

const PIN: &str = "482913";

/// An 11000 x 11000 picture of blank paper is well under a megabyte as a PNG but 121 MB once
/// decoded (and more in colour). It is refused from its header, in one line naming the
/// picture and its size, and never decoded: the process's peak memory, read from the kernel
/// when it is reaped, stays far below the decoded size.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_picture_is_refused_before_it_is_decoded() {
    use std::io::{Read, Write};

    const SIDE: u32 = 11_000;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let png = dir.path().join("huge.png");
    // Written a row at a time, so this process's own peak stays low too.
    {
        let file = std::io::BufWriter::new(std::fs::File::create(&png).unwrap());
        let mut encoder = png::Encoder::new(file, SIDE, SIDE);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut rows = encoder
            .write_header()
            .unwrap()
            .into_stream_writer()
            .unwrap();
        let row = vec![255u8; SIDE as usize];
        for _ in 0..SIDE {
            rows.write_all(&row).unwrap();
        }
        rows.finish().unwrap();
    }
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(size < 4 * 1024 * 1024, "the file is small: {size} bytes");

    #[expect(
        clippy::zombie_processes,
        reason = "reaped below by wait4, which also reports its peak memory"
    )]
    let mut child = common::tessera()
        .arg("--home")
        .arg(&home)
        .args(["add", "--qr", png.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("TESSERA_HOME")
        .env("TESSERA_NEW_PIN", PIN)
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is this test's own child, not yet reaped; both pointers are valid.
    let reaped = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, child.id() as libc::pid_t);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1);
    // ru_maxrss is in KiB on Linux; the decoded picture alone would be 115 MiB.
    let peak_mib = usage.ru_maxrss / 1024;
    assert!(peak_mib < 48, "peak memory {peak_mib} MiB");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(
        err,
        format!(
            "tessera: {} is 11000 x 11000 pixels, larger than a QR code picture needs (at most 8192 a side): crop or scale it down\n",
            png.display()
        )
    );
    assert!(!home.join("vault.bin").exists(), "nothing was saved");
}
