//! The Kotlin suite of `cargo xtask test`: the JVM builds of the Android code (`android/pom.xml`,
//! Maven: the library `android/tessera` and the Compose screens `android/ui`) and their JUnit 5
//! tests, run through the real native library. The screens' test renders every page headless.
//!
//! It needs `java` (JDK 17) and `mvn` on PATH and fails the run with a clear message when either
//! is missing: a missing toolchain is never a silent skip. Maven downloads its plugins and the
//! library's dependencies on the first run, from the machine's own Maven settings; later runs
//! reuse the local repository.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::outcome::Outcome;
use crate::run::{run_captured, run_checked};

/// The Maven projects, relative to the workspace root: both modules, and the library alone.
pub const REACTOR_POM: &str = "android/pom.xml";
const POM: &str = "android/tessera/pom.xml";
/// The modules whose Surefire reports are counted.
const MODULES: [&str; 2] = ["android/tessera", "android/ui"];

/// Runs `mvn test` over both modules with the generated bindings and the library in
/// `native_dir`, counts what Surefire reported, then compiles the Android-only sources.
pub fn suite(root: &Path, native_dir: &Path) -> Result<Outcome, String> {
    require_jvm_tools()?;
    let mut reports = Vec::new();
    for module in MODULES {
        let dir = root.join(module).join("target").join("surefire-reports");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| format!("could not clear {}: {e}", dir.display()))?;
        }
        reports.push(dir);
    }
    let mut command = Command::new("mvn");
    command
        .args(["-B", "-q", "-Dstyle.color=never", "-f"])
        .arg(root.join(REACTOR_POM))
        .arg(format!("-Dtessera.native.dir={}", native_dir.display()))
        .arg("test")
        .current_dir(root);
    let output = run_captured(&mut command)?;

    // With -q Maven prints no summary on success; the summary at the end prints these counts.
    let (mut passed, mut failed) = (0, 0);
    for dir in &reports {
        let (p, f) = count_surefire_reports(dir)?;
        passed += p;
        failed += f;
    }
    if !output.success && failed == 0 {
        return Err("mvn test failed before running its tests (see above)".into());
    }
    // The Android-only sources (Keystore glue) compile against the Android framework classes.
    run_checked(
        Command::new("mvn")
            .args([
                "-B",
                "-q",
                "-Dstyle.color=never",
                "-P",
                "android-sources",
                "-f",
            ])
            .arg(root.join(POM))
            .arg("compile")
            .current_dir(root),
    )?;
    Ok(Outcome {
        name: "kotlin",
        passed,
        failed,
    })
}

/// Fails with what to install when the JDK or Maven is missing.
pub fn require_jvm_tools() -> Result<(), String> {
    require_tool(
        "java",
        "-version",
        "a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)",
    )?;
    require_tool("mvn", "-v", "Apache Maven (Debian: apt-get install maven)")
}

/// Fails with what to install when `tool` cannot be started.
pub fn require_tool(tool: &str, version_flag: &str, what: &str) -> Result<(), String> {
    let started = Command::new(tool)
        .arg(version_flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match started {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "this task needs `{tool}`, but `{tool} {version_flag}` failed ({status}); install {what}"
        )),
        Err(e) => Err(format!(
            "this task needs `{tool}` on PATH ({e}); install {what}"
        )),
    }
}

/// Sums the "Tests run: N, Failures: F, Errors: E, Skipped: S" lines of Surefire's per-class
/// reports. Passed = run - failures - errors - skipped; failed = failures + errors.
pub fn count_surefire_reports(dir: &Path) -> Result<(u64, u64), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok((0, 0));
    };
    let mut text = String::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("could not list {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "txt") {
            text += &std::fs::read_to_string(&path)
                .map_err(|e| format!("could not read {}: {e}", path.display()))?;
            text.push('\n');
        }
    }
    Ok(count_surefire_lines(&text))
}

fn count_surefire_lines(text: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in text.lines().map(str::trim_start) {
        let Some(rest) = line.strip_prefix("Tests run: ") else {
            continue;
        };
        let field = |name: &str| -> u64 {
            rest.split(", ")
                .find_map(|part| part.strip_prefix(name))
                .and_then(|n| n.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let run: u64 = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let failures = field("Failures: ");
        let errors = field("Errors: ");
        let skipped = field("Skipped: ");
        passed += run.saturating_sub(failures + errors + skipped);
        failed += failures + errors;
    }
    (passed, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surefire_report_lines_are_summed() {
        let text = "-------------------------------------------------------------------------------\n\
            Test set: org.tessera.kit.SeedFlowTest\n\
            -------------------------------------------------------------------------------\n\
            Tests run: 98, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1.1 s -- in org.tessera.kit.RfcVectorTest\n\
            Tests run: 55, Failures: 2, Errors: 1, Skipped: 3, Time elapsed: 0.7 s <<< FAILURE! -- in X\n\
            not a result: Tests run: 99\n";
        assert_eq!(count_surefire_lines(text), (98 + 49, 3));
    }

    #[test]
    fn no_reports_count_nothing() {
        assert_eq!(count_surefire_lines("[ERROR] COMPILATION ERROR\n"), (0, 0));
        let missing = Path::new("/nonexistent/surefire-reports");
        assert_eq!(count_surefire_reports(missing), Ok((0, 0)));
    }
}
