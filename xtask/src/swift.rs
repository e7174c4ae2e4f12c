//! The Swift suite: ios/TesseraKit's XCTest tests through the real `libtessera_ffi`, run by
//! `scripts/swift-test.sh` inside the Debian 13 root that holds Debian's Swift toolchain (see
//! docs/building.md, "Swift"). A missing toolchain, a build error or a run without XCTest's
//! summary fails the suite; it is never skipped.

use std::path::Path;
use std::process::Command;

use crate::outcome::Outcome;
use crate::run::run_captured;

/// Builds and runs the Swift tests over bindings already generated; counts XCTest's results.
pub fn suite(root: &Path) -> Result<Outcome, String> {
    let mut command = Command::new("bash");
    command
        .arg(root.join("scripts").join("swift-test.sh"))
        .current_dir(root);
    let output = run_captured(&mut command)?;
    let Some(summary) = xctest_summary(&output.text) else {
        return Err("the Swift tests did not run: no XCTest summary (see above)".into());
    };
    if !output.success && summary.failed == 0 {
        return Err("scripts/swift-test.sh failed after the tests ran (see above)".into());
    }
    Ok(Outcome {
        name: "swift",
        passed: summary.executed - summary.failed - summary.skipped,
        failed: summary.failed,
    })
}

/// What one `swift test` run reported.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    executed: u64,
    failed: u64,
    skipped: u64,
}

/// Reads XCTest's output. The total comes from the last "Executed N tests, with F failures"
/// line (the 'All tests' suite). F counts failed assertions, not tests, so failed and skipped
/// tests are counted from their "Test Case '...' failed/skipped" lines.
fn xctest_summary(text: &str) -> Option<Summary> {
    let total = text
        .lines()
        .rev()
        .filter_map(|line| line.trim().strip_prefix("Executed "))
        .filter(|rest| rest.contains(" with "))
        .find_map(|rest| rest.split(' ').next()?.parse::<u64>().ok())?;
    let cases = |outcome: &str| {
        text.lines()
            .filter(|line| line.starts_with("Test Case '") && line.contains(outcome))
            .count() as u64
    };
    let failed = cases("' failed (");
    let skipped = cases("' skipped (");
    if failed + skipped > total {
        return None;
    }
    Some(Summary {
        executed: total,
        failed,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_run_is_counted_from_the_last_summary() {
        let text = "Test Suite 'VectorTests' passed at 2026-11-28 13:08:31.821\n\
            \t Executed 5 tests, with 0 failures (0 unexpected) in 0.112 (0.112) seconds\n\
            Test Suite 'All tests' passed at 2026-11-28 13:08:34.688\n\
            \t Executed 23 tests, with 0 failures (0 unexpected) in 16.92 (16.92) seconds\n";
        assert_eq!(
            xctest_summary(text),
            Some(Summary {
                executed: 23,
                failed: 0,
                skipped: 0
            })
        );
    }

    #[test]
    fn failures_count_tests_not_assertions() {
        let text = "Test Case 'OtpauthTests.testInvalid' started at 2026-11-28 13:07:42.764\n\
            /x/OtpauthTests.swift:55: error: OtpauthTests.testInvalid : XCTAssertEqual failed\n\
            /x/OtpauthTests.swift:55: error: OtpauthTests.testInvalid : XCTAssertEqual failed\n\
            Test Case 'OtpauthTests.testInvalid' failed (0.004 seconds)\n\
            Test Case 'OtpauthTests.testValid' passed (0.5 seconds)\n\
            Test Case 'OtpauthTests.testLater' skipped (0.0 seconds)\n\
            \t Executed 3 tests, with 1 test skipped and 2 failures (0 unexpected) in 0.5 (0.5) seconds\n";
        assert_eq!(
            xctest_summary(text),
            Some(Summary {
                executed: 3,
                failed: 1,
                skipped: 1
            })
        );
    }

    #[test]
    fn a_build_error_has_no_summary() {
        let text = "error: call can throw, but it is executed in a non-throwing autoclosure\n\
            error: fatalError\n";
        assert_eq!(xctest_summary(text), None);
    }

    #[test]
    fn one_test_is_singular() {
        let text = "\t Executed 1 test, with 0 failures (0 unexpected) in 0.1 (0.1) seconds\n";
        assert_eq!(
            xctest_summary(text),
            Some(Summary {
                executed: 1,
                failed: 0,
                skipped: 0
            })
        );
    }
}
