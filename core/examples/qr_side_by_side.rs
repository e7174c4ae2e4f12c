//! Prints Tessera's reads of the scanning corpus beside zxing-cpp's, per kind and per frame size:
//! frames read right and the time per frame, each the median of ROUNDS reads of the frame (as
//! scripts/qr-zxing-bench.py times zxing-cpp), and their ratio. zxing-cpp's results come from the
//! `zxing-cpp.tsv` that script writes into the corpus folder; scripts/qr-side-by-side.sh runs the
//! whole comparison.
//!
//! `cargo run -p tessera-core --release --example qr_side_by_side -- FOLDER [ROUNDS]`

#[path = "../tests/qr_frames/mod.rs"]
mod qr_frames;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use qr_frames::corpus::{self, Case};
use tessera_core::qr::decode_qr_luma;

/// One reader's result on one frame.
#[derive(Clone, Copy)]
struct Read {
    right: bool,
    ms: f64,
}

/// Frames, frames read right and the mean time per frame of one row of the table.
#[derive(Default)]
struct Tally {
    frames: usize,
    right: [usize; 2],
    ms: [f64; 2],
}

impl Tally {
    fn add(&mut self, reads: [Read; 2]) {
        self.frames += 1;
        for (at, read) in reads.iter().enumerate() {
            self.right[at] += usize::from(read.right);
            self.ms[at] += read.ms;
        }
    }

    fn line(&self, name: &str) -> String {
        let mean = |at: usize| self.ms[at] / self.frames as f64;
        format!(
            "| {name} | {frames} | {} | {:.3} | {} | {:.3} | {:.2}x |",
            self.right[0],
            mean(0),
            self.right[1],
            mean(1),
            mean(1) / mean(0),
            frames = self.frames,
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let folder: PathBuf = args
        .next()
        .ok_or("usage: qr_side_by_side FOLDER [ROUNDS] (FOLDER holds zxing-cpp.tsv)")?
        .into();
    let rounds: usize = match args.next() {
        Some(rounds) => rounds
            .to_str()
            .and_then(|rounds| rounds.parse().ok())
            .filter(|&rounds| rounds > 0)
            .ok_or("ROUNDS must be a whole number of reads per frame, at least 1")?,
        None => 10,
    };
    let zxing = zxing_reads(&folder)?;

    let mut by_kind: Vec<(&'static str, Tally)> = Vec::new();
    let mut by_size: Vec<(String, Tally)> = Vec::new();
    for case in corpus::camera().into_iter().chain(corpus::screenshots()) {
        let file = format!("{}.png", case.name);
        let theirs = *zxing
            .get(&file)
            .ok_or_else(|| format!("{file} is missing from zxing-cpp.tsv: rerun the script"))?;
        let reads = [theirs, tessera_read(&case, rounds)];
        let size = format!("{}x{}", case.frame.width, case.frame.height);
        tally(&mut by_kind, case.kind.name(), reads);
        tally(&mut by_size, size, reads);
    }

    println!("Time is the median of {rounds} reads of each frame, averaged over the frames.");
    let header = "| frames | zxing-cpp read | zxing-cpp ms | Tessera read | Tessera ms | ratio |\n\
                  | --- | --- | --- | --- | --- | --- | --- |";
    println!("\n| kind {header}");
    for (kind, tally) in &by_kind {
        println!("{}", tally.line(kind));
    }
    println!("\n| size {header}");
    for (size, tally) in &by_size {
        println!("{}", tally.line(size));
    }
    Ok(())
}

/// zxing-cpp's result for each file of the corpus.
fn zxing_reads(folder: &std::path::Path) -> Result<HashMap<String, Read>, String> {
    let path = folder.join("zxing-cpp.tsv");
    let text = std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "cannot read {}: {error}; run scripts/qr-zxing-bench.py on the folder first",
            path.display()
        )
    })?;
    text.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields[..] {
                [file, right, ms] => Ok((
                    file.to_owned(),
                    Read {
                        right: right == "1",
                        ms: ms
                            .parse()
                            .map_err(|_| format!("{file}: time {ms:?} is not a number"))?,
                    },
                )),
                _ => Err(format!(
                    "zxing-cpp.tsv line {line:?} is not file, read, time"
                )),
            }
        })
        .collect()
}

/// Whether `decode_qr_luma` reads the case right (its link, or nothing from a frame without a
/// code), and the median time of `rounds` reads.
fn tessera_read(case: &Case, rounds: usize) -> Read {
    let (width, height, stride) = case.frame.shape();
    let read = || decode_qr_luma(width, height, stride, black_box(&case.frame.luma));
    let right = read().ok().flatten() == case.expected;
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            black_box(read().ok());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    // The median as Python's statistics.median takes it: the mean of the middle two of an even count.
    let ms = (times[(rounds - 1) / 2] + times[rounds / 2]) / 2.0;
    Read { right, ms }
}

fn tally<K: PartialEq>(rows: &mut Vec<(K, Tally)>, key: K, reads: [Read; 2]) {
    match rows.iter_mut().find(|(existing, _)| *existing == key) {
        Some((_, tally)) => tally.add(reads),
        None => {
            let mut tally = Tally::default();
            tally.add(reads);
            rows.push((key, tally));
        }
    }
}
