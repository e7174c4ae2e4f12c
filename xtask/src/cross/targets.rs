//! The targets Tessera ships to and what the cross-check compiles for each.
//!
//! A crate joins a platform with one line in `PHONE` or `DESKTOP` (the desktop device-key code
//! will, when it exists).

/// The cargo profile of the cross-check (see the workspace's Cargo.toml and docs/building.md).
pub const PROFILE: &str = "cross-check";

/// One compile of one workspace crate for one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// `cargo rustc --crate-type staticlib`: machine code archived by rustc itself, so neither
    /// the target's linker nor its SDK is needed.
    StaticLib(&'static str),
    /// `cargo check`: the crate type-checked, its dependencies' build scripts run, no code made.
    Check(&'static str),
}

impl Build {
    /// How the summary names it: `tessera-ffi staticlib`, `tessera-cli check`.
    pub fn label(self) -> String {
        match self {
            Build::StaticLib(package) => format!("{package} staticlib"),
            Build::Check(package) => format!("{package} check"),
        }
    }

    /// cargo's arguments for this build for `triple`.
    pub fn cargo_args(self, triple: &str) -> Vec<String> {
        let (command, package) = match self {
            Build::StaticLib(package) => ("rustc", package),
            Build::Check(package) => ("check", package),
        };
        let mut args: Vec<String> = [
            command,
            "--quiet",
            "-p",
            package,
            "--target",
            triple,
            "--profile",
            PROFILE,
        ]
        .map(String::from)
        .to_vec();
        if let Build::StaticLib(_) = self {
            // The manifest's cdylib would need the target's linker; the archive needs none.
            args.extend(["--crate-type", "staticlib"].map(String::from));
        }
        args
    }
}

/// A shipping target and what is compiled for it.
pub struct Target {
    pub triple: &'static str,
    pub builds: &'static [Build],
}

/// The phone library: the Android `.so` and the iOS XCFramework are linked from this code.
const PHONE: &[Build] = &[Build::StaticLib("tessera-ffi")];

/// The desktop: the library a desktop app would link, and the command line.
const DESKTOP: &[Build] = &[Build::StaticLib("tessera-ffi"), Build::Check("tessera-cli")];

/// Every target the project ships to, in the order they are checked. The iOS simulator slices of
/// the XCFramework are listed too although rustup has no standard library for them on these
/// machines: the summary then says they were not checked instead of leaving them out. Windows is
/// checked twice: MSVC, what a Windows release is built with, and GNU, whose rustc needs MinGW's
/// `dlltool` (installed by scripts/setup-test-services.sh) to compile any crate that imports from
/// a Windows DLL (`windows-sys`, `getrandom`).
pub const TARGETS: &[Target] = &[
    Target {
        triple: "aarch64-linux-android",
        builds: PHONE,
    },
    Target {
        triple: "armv7-linux-androideabi",
        builds: PHONE,
    },
    Target {
        triple: "x86_64-linux-android",
        builds: PHONE,
    },
    Target {
        triple: "i686-linux-android",
        builds: PHONE,
    },
    Target {
        triple: "aarch64-apple-ios",
        builds: PHONE,
    },
    Target {
        triple: "aarch64-apple-ios-sim",
        builds: PHONE,
    },
    Target {
        triple: "x86_64-apple-ios",
        builds: PHONE,
    },
    Target {
        triple: "aarch64-apple-darwin",
        builds: DESKTOP,
    },
    Target {
        triple: "x86_64-apple-darwin",
        builds: DESKTOP,
    },
    Target {
        triple: "x86_64-pc-windows-msvc",
        builds: DESKTOP,
    },
    Target {
        triple: "x86_64-pc-windows-gnu",
        builds: DESKTOP,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_library_is_asked_of_rustc_for_one_target() {
        assert_eq!(
            Build::StaticLib("tessera-ffi").cargo_args("aarch64-apple-ios"),
            [
                "rustc",
                "--quiet",
                "-p",
                "tessera-ffi",
                "--target",
                "aarch64-apple-ios",
                "--profile",
                "cross-check",
                "--crate-type",
                "staticlib"
            ]
        );
    }

    #[test]
    fn a_check_makes_no_library() {
        let args = Build::Check("tessera-cli").cargo_args("x86_64-pc-windows-msvc");
        assert_eq!(args[0], "check");
        assert!(
            args.windows(2)
                .any(|w| w == ["--target", "x86_64-pc-windows-msvc"])
        );
        assert!(!args.iter().any(|a| a == "--crate-type"));
    }

    #[test]
    fn every_target_is_listed_once() {
        let mut triples: Vec<&str> = TARGETS.iter().map(|t| t.triple).collect();
        triples.sort_unstable();
        triples.dedup();
        assert_eq!(triples.len(), TARGETS.len());
    }
}
