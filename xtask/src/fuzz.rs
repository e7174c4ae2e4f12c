//! The fuzz suite of `cargo xtask test`: every target in fuzz/Cargo.toml runs for a short
//! while, so a parser change that panics on inputs the fuzzer finds quickly fails the tests,
//! not only a fuzzing session someone remembers to start. Each target counts as one test.
//!
//! Builds without a sanitizer (`-s none`) and in the dev profile: the point here is panics,
//! overflows and unbounded allocations, which debug assertions and libFuzzer's own limits
//! catch, and both choices keep the suite's build within a few minutes on two cores.

use std::path::Path;
use std::process::Command;

use crate::outcome::Outcome;
use crate::run::{run_captured, run_checked};

const SETUP: &str = "scripts/setup-fuzz.sh";
/// Seconds each target runs; long enough to get past the seed inputs into mutations.
const SECONDS_PER_TARGET: u32 = 15;
/// libFuzzer's per-input memory limit: the parsers bound their allocations well below it.
const RSS_LIMIT_MB: u32 = 1024;

pub fn suite(root: &Path) -> Result<Outcome, String> {
    run_checked(Command::new("bash").arg(root.join(SETUP)).current_dir(root))
        .map_err(|e| format!("the fuzzing tools are not installed ({SETUP}): {e}"))?;
    let fuzz_dir = root.join("fuzz");
    let targets = targets(&fuzz_dir)?;
    run_checked(
        Command::new("cargo")
            .args(["+nightly", "fuzz", "build", "-s", "none", "--dev"])
            .current_dir(&fuzz_dir),
    )?;
    let mut outcome = Outcome {
        name: "fuzz",
        passed: 0,
        failed: 0,
    };
    for target in &targets {
        let run = run_captured(
            Command::new("cargo")
                .args([
                    "+nightly", "fuzz", "run", "-s", "none", "--dev", target, "--",
                ])
                .arg(format!("-max_total_time={SECONDS_PER_TARGET}"))
                .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
                .current_dir(&fuzz_dir),
        )?;
        if run.success {
            outcome.passed += 1;
        } else {
            println!("fuzz target {target} FAILED (its input is under fuzz/artifacts/{target}/)");
            outcome.failed += 1;
        }
    }
    Ok(outcome)
}

/// The `[[bin]]` names in fuzz/Cargo.toml: the same list `cargo fuzz list` prints.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new("cargo")
        .args(["+nightly", "fuzz", "list"])
        .current_dir(fuzz_dir)
        .output()
        .map_err(|e| format!("could not list the fuzz targets: {e}"))?;
    let names: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if !output.status.success() || names.is_empty() {
        return Err("cargo fuzz list found no fuzz target in fuzz/Cargo.toml".into());
    }
    Ok(names)
}
