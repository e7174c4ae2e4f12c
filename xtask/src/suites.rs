//! `cargo xtask test`: every suite the project has, in turn, with one summary at the end.
//!
//! A suite that fails, or that runs no test at all, fails the whole run: a missing toolchain or
//! an empty suite must never look like success.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What one suite reported.
struct Outcome {
    name: &'static str,
    passed: u64,
    failed: u64,
}

pub fn run_all() -> Result<(), String> {
    let root = workspace_root();
    run_checked(
        Command::new("cargo")
            .args(["fmt", "--all", "--check"])
            .current_dir(&root),
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
            .current_dir(&root),
    )?;
    let outcomes = vec![rust_tests(&root)?];

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
    Ok(())
}

/// `cargo test` over the whole workspace, counting the per-binary "test result" lines.
fn rust_tests(root: &PathBuf) -> Result<Outcome, String> {
    let mut command = Command::new("cargo");
    command
        .args(["test", "--workspace", "--all-targets", "--no-fail-fast"])
        .current_dir(root);
    let output = run_captured(&mut command)?;
    let mut doc = Command::new("cargo");
    doc.args(["test", "--workspace", "--doc"]).current_dir(root);
    let doc_output = run_captured(&mut doc)?;
    let (passed, failed) = count_cargo_results(&format!("{}{}", output.text, doc_output.text));
    if !output.success && failed == 0 {
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

struct Captured {
    success: bool,
    text: String,
}

/// Runs a command, echoing its output live while keeping a copy to count results from.
fn run_captured(command: &mut Command) -> Result<Captured, String> {
    print_command(command);
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    Ok(Captured {
        success: output.status.success(),
        text,
    })
}

fn run_checked(command: &mut Command) -> Result<(), String> {
    print_command(command);
    let status = command
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()))
    }
}

fn print_command(command: &Command) {
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    println!(
        "\n$ {} {}",
        command.get_program().to_string_lossy(),
        args.join(" ")
    );
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
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
