//! `cargo xtask cross-check` (also run by `cargo xtask test`): every target Tessera ships to
//! compiles on this machine, so a platform-only mistake (a `cfg` branch, a dependency that
//! needs the target's C compiler) shows here rather than on someone else's machine.
//!
//! For each target of `targets::TARGETS` it installs the standard library when missing
//! (`stdlib`), then runs each build in its own cargo invocation, in the workspace's target
//! folder with the `cross-check` profile. No target C or C++ compiler is allowed: `CC_<target>`
//! and `CXX_<target>` name a program that does not exist, so a dependency whose build script
//! compiles C fails here by name even on a machine that has the platform's toolchain.
//! docs/building.md has the table of targets, the timings and what still needs the platform's
//! own tools.

mod report;
mod stdlib;
mod targets;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::run::run_checked;

pub use report::failure;
use report::{TargetReport, Verdict};
use targets::{TARGETS, Target};

/// What the `cc` crate finds when a build script asks it for the target's C or C++ compiler.
const NO_C_COMPILER: &str = "tessera-cross-check-allows-no-c-compiler";

/// `cargo xtask cross-check`: every target, then one line each; fails as `failure` says.
pub fn command(root: &Path) -> Result<(), String> {
    let reports = run(root);
    println!("\n== cross-check ==");
    for report in &reports {
        println!("{}", report.summary_line());
    }
    failure(&reports).map_or(Ok(()), Err)
}

/// Checks every target in turn; a failure is reported, never returned early.
pub fn run(root: &Path) -> Vec<TargetReport> {
    TARGETS
        .iter()
        .map(|target| {
            let start = Instant::now();
            let verdict = match stdlib::ensure(target.triple) {
                Ok(()) => compile(root, target),
                Err(reason) => Verdict::NotChecked(reason),
            };
            TargetReport {
                triple: target.triple,
                builds: target.builds,
                verdict,
                elapsed: start.elapsed(),
            }
        })
        .collect()
}

fn compile(root: &Path, target: &Target) -> Verdict {
    let mut failed = Vec::new();
    for build in target.builds {
        let mut cargo = Command::new("cargo");
        cargo
            .args(build.cargo_args(target.triple))
            .envs(no_c_compiler(target.triple))
            .current_dir(root);
        if run_checked(&mut cargo).is_err() {
            failed.push(*build);
        }
    }
    if failed.is_empty() {
        Verdict::Compiled
    } else {
        Verdict::Failed(failed)
    }
}

/// The variables the `cc` crate reads first for `triple`'s compilers, in both spellings it
/// accepts, each naming a program that does not exist.
fn no_c_compiler(triple: &str) -> Vec<(String, &'static str)> {
    let underscored = triple.replace('-', "_");
    ["CC", "CXX"]
        .into_iter()
        .flat_map(|tool| [format!("{tool}_{triple}"), format!("{tool}_{underscored}")])
        .map(|name| (name, NO_C_COMPILER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_the_targets_compiler_variables_are_set() {
        let names: Vec<String> = no_c_compiler("armv7-linux-androideabi")
            .into_iter()
            .map(|(name, value)| {
                assert_eq!(value, NO_C_COMPILER);
                name
            })
            .collect();
        assert_eq!(
            names,
            [
                "CC_armv7-linux-androideabi",
                "CC_armv7_linux_androideabi",
                "CXX_armv7-linux-androideabi",
                "CXX_armv7_linux_androideabi"
            ]
        );
    }
}
