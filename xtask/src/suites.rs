//! `cargo xtask test`: every suite the project has, in turn, with one summary at the end.
//!
//! A suite that fails, or that runs no test at all, fails the whole run: a missing toolchain or
//! an empty suite must never look like success. The cross-check (every shipping target
//! compiles) runs last and adds one line per target; its own rules are in `cross::report`.

use std::path::Path;
use std::process::Command;

use crate::outcome::Outcome;
use crate::run::{run_captured, run_checked};

pub fn run_all(root: &Path) -> Result<(), String> {
    // Incremental data serves the next edit, and a test run from a clean clone has none: it
    // only cost disk (6 GB of target/debug), which a CI machine ran out of.
    // SAFETY: set before this process starts any thread or child; every cargo it runs inherits it.
    unsafe { std::env::set_var("CARGO_INCREMENTAL", "0") };
    run_checked(
        Command::new("cargo")
            .args(["fmt", "--all", "--check"])
            .current_dir(root),
    )?;
    run_checked(
        Command::new("cargo")
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root),
    )?;
    crate::python::ensure_cryptography()?;
    crate::services::ensure_test_services(root)?;
    let rust = rust_tests(root)?;
    // Both phone suites run over one generation of the library and its bindings.
    let native_dir = crate::bindings::generate(root)?;
    #[cfg_attr(
        not(target_os = "linux"),
        expect(unused_mut, reason = "the .deb is Linux's")
    )]
    let mut outcomes = vec![
        rust,
        crate::kotlin::suite(root, &native_dir)?,
        // After the kotlin suite: it rebuilds the library with the system keystore.
        crate::desktop::suite(root, None)?,
        crate::swift::suite(root)?,
        crate::fuzz::suite(root)?,
    ];
    // Tessera Desktop's .deb, installed and driven as a person would.
    #[cfg(target_os = "linux")]
    outcomes.push(crate::desktop_installed::suite(root)?);
    let cross = crate::cross::run(root);

    println!("\n== summary ==");
    let mut total = Outcome {
        name: "all",
        passed: 0,
        failed: 0,
    };
    for outcome in &outcomes {
        println!(
            "{}: {} passed, {} failed",
            outcome.name, outcome.passed, outcome.failed
        );
        total.passed += outcome.passed;
        total.failed += outcome.failed;
    }
    for report in &cross {
        println!("{}", report.summary_line());
    }
    println!(
        "{}: {} passed, {} failed",
        total.name, total.passed, total.failed
    );
    if let Some(empty) = outcomes.iter().find(|o| o.passed + o.failed == 0) {
        return Err(format!("the {} suite ran no test", empty.name));
    }
    if total.failed > 0 {
        return Err(format!("{} tests failed", total.failed));
    }
    crate::cross::failure(&cross).map_or(Ok(()), Err)
}

/// `cargo test` over the whole workspace, counting the per-binary "test result" lines.
fn rust_tests(root: &Path) -> Result<Outcome, String> {
    let mut command = Command::new("cargo");
    command
        .args(["test", "--workspace", "--all-targets", "--no-fail-fast"])
        .current_dir(root);
    let output = run_captured(&mut command)?;
    let mut doc = Command::new("cargo");
    doc.args(["test", "--workspace", "--doc"]).current_dir(root);
    let doc_output = run_captured(&mut doc)?;
    // The desktop app's library: the FFI crate with its system keystore, which no workspace
    // build enables (the phone libraries must not carry it).
    let mut desktop = Command::new("cargo");
    desktop
        .args([
            "test",
            "-p",
            "tessera-ffi",
            "--features",
            "desktop-device-key",
            "--test",
            "system_keystore",
        ])
        .current_dir(root);
    let desktop_output = run_captured(&mut desktop)?;
    let (passed, failed) = count_cargo_results(&format!(
        "{}{}{}",
        output.text, doc_output.text, desktop_output.text
    ));
    if !(output.success && desktop_output.success) && failed == 0 {
        return Err("cargo test failed before running its tests (see above)".into());
    }
    Ok(Outcome {
        name: "rust",
        passed,
        failed,
    })
}

/// Sums "test result: ok. 7 passed; 0 failed; ..." lines.
fn count_cargo_results(text: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in text.lines().filter(|l| l.starts_with("test result:")) {
        passed += number_before(line, " passed").unwrap_or(0);
        failed += number_before(line, " failed").unwrap_or(0);
    }
    (passed, failed)
}

fn number_before(line: &str, word: &str) -> Option<u64> {
    let end = line.find(word)?;
    let start = line[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    line[start..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_result_lines_are_summed() {
        let text = "running 3 tests\n\
            test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
            test result: FAILED. 10 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n\
            not a result: 99 passed\n";
        assert_eq!(count_cargo_results(text), (13, 2));
    }

    #[test]
    fn no_result_lines_count_nothing() {
        assert_eq!(count_cargo_results("error: could not compile\n"), (0, 0));
    }
}
