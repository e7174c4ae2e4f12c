//! The standard library of each cross target: already there, or added with rustup, or the
//! reason it could not be, which the summary prints as "not checked".
//!
//! rustup downloads from wherever the machine's configuration points it (RUSTUP_DIST_SERVER and
//! friends); nothing here names a host. Both `rustc` and `rustup` run under the toolchain cargo
//! runs under (rustup passes RUSTUP_TOOLCHAIN down).

use std::path::Path;
use std::process::Command;

use crate::run::print_command;

/// Makes sure `triple`'s standard library is installed; `Err` says why it is not.
pub fn ensure(triple: &str) -> Result<(), String> {
    if installed(triple) {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", triple]);
    print_command(&add);
    let output = add.output().map_err(|e| {
        format!("no standard library for it, and rustup, which would add it, did not start ({e})")
    })?;
    if !output.status.success() {
        return Err(format!(
            "its standard library could not be installed (`rustup target add {triple}`: {})",
            rustup_error(&String::from_utf8_lossy(&output.stderr))
        ));
    }
    if installed(triple) {
        Ok(())
    } else {
        Err("rustup added it, yet rustc finds no standard library for it".into())
    }
}

/// Whether rustc has `core` for `triple` (true for any toolchain, rustup's or a distribution's).
fn installed(triple: &str) -> bool {
    Command::new("rustc")
        .args(["--print", "target-libdir", "--target", triple])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .is_some_and(|output| has_core(Path::new(String::from_utf8_lossy(&output.stdout).trim())))
}

fn has_core(libdir: &Path) -> bool {
    std::fs::read_dir(libdir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libcore-") && name.ends_with(".rlib")
        })
    })
}

/// The line of rustup's output that says what went wrong, without its `error: ` prefix.
fn rustup_error(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .or_else(|| stderr.lines().rev().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("it gave no reason")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_target_is_installed() {
        let host = Command::new("rustc")
            .arg("-vV")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let triple = host
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .expect("rustc -vV names its host");
        assert!(installed(triple));
    }

    #[test]
    fn a_target_rustc_does_not_know_is_not_installed() {
        assert!(!installed("no-such-target"));
    }

    #[test]
    fn a_folder_without_core_has_no_standard_library() {
        assert!(!has_core(Path::new(env!("CARGO_MANIFEST_DIR"))));
        assert!(!has_core(Path::new("/no/such/folder")));
    }

    #[test]
    fn rustups_error_line_is_the_reason() {
        // What rustup printed here for a target whose standard library its server does not have.
        let stderr = "info: downloading component rust-std\n\
            info: rolling back changes\n\
            error: component download failed for rust-std-aarch64-apple-ios-sim\n\
            \n\
            Caused by:\n    0: could not download file\n    1: http request returned an unsuccessful status code: 404\n";
        assert_eq!(
            rustup_error(stderr),
            "component download failed for rust-std-aarch64-apple-ios-sim"
        );
    }

    #[test]
    fn without_an_error_line_the_last_words_are_the_reason() {
        assert_eq!(
            rustup_error("info: syncing channel\nconnection reset\n\n"),
            "connection reset"
        );
        assert_eq!(rustup_error(""), "it gave no reason");
    }
}
