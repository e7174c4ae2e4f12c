//! What the cross-check found for each target, as the summary's lines, and whether that fails
//! the run.
//!
//! An installed target that fails to compile fails the run. A target whose standard library
//! cannot be installed is printed as "not checked" with the reason and does not fail it on its
//! own (rustup's server, not the code, decides that), unless no target could be checked at all:
//! then the cross-check ran nothing, which fails like an empty test suite.

use std::time::Duration;

use super::targets::Build;

/// How one target fared.
pub enum Verdict {
    /// Every build of the target compiled.
    Compiled,
    /// These builds failed (their errors are above in the log).
    Failed(Vec<Build>),
    /// Nothing was compiled, for this reason.
    NotChecked(String),
}

/// One target's line of the summary.
pub struct TargetReport {
    pub triple: &'static str,
    pub builds: &'static [Build],
    pub verdict: Verdict,
    pub elapsed: Duration,
}

impl TargetReport {
    pub fn summary_line(&self) -> String {
        let triple = self.triple;
        match &self.verdict {
            Verdict::Compiled => format!(
                "cross-check {triple}: compiled in {} s ({})",
                self.elapsed.as_secs(),
                labels(self.builds)
            ),
            Verdict::Failed(builds) => {
                format!("cross-check {triple}: FAILED ({})", labels(builds))
            }
            Verdict::NotChecked(reason) => format!("cross-check {triple}: not checked: {reason}"),
        }
    }
}

fn labels(builds: &[Build]) -> String {
    builds
        .iter()
        .map(|b| b.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the cross-check fails the run, if it does.
pub fn failure(reports: &[TargetReport]) -> Option<String> {
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
        .map(|r| r.triple)
        .collect();
    if !failed.is_empty() {
        return Some(format!(
            "cross-check: {} failed to compile",
            failed.join(", ")
        ));
    }
    if reports
        .iter()
        .all(|r| matches!(r.verdict, Verdict::NotChecked(_)))
    {
        return Some("cross-check: no target could be checked (see the not checked lines)".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESKTOP: &[Build] = &[Build::StaticLib("tessera-ffi"), Build::Check("tessera-cli")];

    fn report(triple: &'static str, verdict: Verdict) -> TargetReport {
        TargetReport {
            triple,
            builds: DESKTOP,
            verdict,
            elapsed: Duration::from_millis(41_700),
        }
    }

    #[test]
    fn a_target_that_cannot_be_installed_is_named_as_not_checked() {
        let line = report(
            "aarch64-apple-ios-sim",
            Verdict::NotChecked("its standard library could not be installed".into()),
        )
        .summary_line();
        assert_eq!(
            line,
            "cross-check aarch64-apple-ios-sim: not checked: its standard library could not be installed"
        );
    }

    #[test]
    fn a_compiled_target_lists_what_was_compiled_and_how_long_it_took() {
        let line = report("x86_64-pc-windows-msvc", Verdict::Compiled).summary_line();
        assert_eq!(
            line,
            "cross-check x86_64-pc-windows-msvc: compiled in 41 s (tessera-ffi staticlib, tessera-cli check)"
        );
    }

    #[test]
    fn a_failed_target_names_only_the_builds_that_failed() {
        let line = report(
            "aarch64-apple-darwin",
            Verdict::Failed(vec![Build::Check("tessera-cli")]),
        )
        .summary_line();
        assert_eq!(
            line,
            "cross-check aarch64-apple-darwin: FAILED (tessera-cli check)"
        );
    }

    #[test]
    fn a_failed_target_fails_the_run_even_beside_a_target_not_checked() {
        let reports = [
            report("a", Verdict::Compiled),
            report("b", Verdict::NotChecked("offline".into())),
            report("c", Verdict::Failed(vec![Build::StaticLib("tessera-ffi")])),
            report("d", Verdict::Failed(vec![Build::Check("tessera-cli")])),
        ];
        assert_eq!(
            failure(&reports).as_deref(),
            Some("cross-check: c, d failed to compile")
        );
    }

    #[test]
    fn a_target_not_checked_beside_compiled_ones_passes() {
        let reports = [
            report("a", Verdict::Compiled),
            report("b", Verdict::NotChecked("offline".into())),
        ];
        assert_eq!(failure(&reports), None);
    }

    #[test]
    fn nothing_checked_fails_the_run() {
        let reports = [
            report("a", Verdict::NotChecked("offline".into())),
            report("b", Verdict::NotChecked("offline".into())),
        ];
        assert!(failure(&reports).is_some_and(|m| m.contains("no target could be checked")));
    }
}
