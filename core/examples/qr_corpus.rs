//! Writes the scanning corpus (`tests/qr_frames/corpus.rs`) as greyscale PNG files with an
//! `expected.tsv` (file, kind, link or empty), so another reader (scripts/qr-zxing-bench.py runs
//! zxing-cpp) reads exactly the frames `tests/qr_read_rate.rs` and the `qr` benchmark read.
//!
//! `cargo run -p tessera-core --release --example qr_corpus -- FOLDER`

#[path = "../tests/qr_frames/mod.rs"]
mod qr_frames;

use std::fmt::Write as _;
use std::path::PathBuf;

use image::GrayImage;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: qr_corpus FOLDER (where the PNG files and expected.tsv go)")?
        .into();
    std::fs::create_dir_all(&folder)?;
    let mut expected = String::new();
    for case in qr_frames::corpus::camera()
        .into_iter()
        .chain(qr_frames::corpus::screenshots())
    {
        let frame = &case.frame;
        let picture =
            GrayImage::from_raw(frame.width as u32, frame.height as u32, frame.luma.clone())
                .ok_or("a frame's plane does not match its size")?;
        let file = format!("{}.png", case.name);
        picture.save(folder.join(&file))?;
        let link = case.expected.as_deref().unwrap_or("");
        writeln!(expected, "{file}\t{}\t{link}", case.kind.name())?;
    }
    std::fs::write(folder.join("expected.tsv"), expected)?;
    println!("wrote the corpus to {}", folder.display());
    Ok(())
}
