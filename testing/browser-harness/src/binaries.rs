//! Where the browser's programs are: Debian's `chromium-driver` puts `chromedriver` on `PATH`
//! (`/usr/bin`) and `chromium` at `/usr/bin/chromium`. A missing program is an error that says
//! how to install it: tests that need a browser fail, they are never skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The `chromedriver` program to run; overrides the search.
pub const CHROMEDRIVER_ENV: &str = "TESSERA_CHROMEDRIVER";

/// The Chromium program chromedriver starts; overrides `/usr/bin/chromium`.
pub const CHROMIUM_ENV: &str = "TESSERA_CHROMIUM";

/// The script that installs the services the tests start (`cargo xtask test` runs it).
pub const SETUP_SCRIPT: &str = "scripts/setup-test-services.sh";

const DEBIAN_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";

/// The two programs a browser session needs.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// The WebDriver server.
    pub chromedriver: PathBuf,
    /// The browser it drives.
    pub chromium: PathBuf,
}

impl Binaries {
    /// `$TESSERA_CHROMEDRIVER`, else `chromedriver` on `PATH`, else `/usr/bin/chromedriver`;
    /// `$TESSERA_CHROMIUM`, else `/usr/bin/chromium`.
    pub fn find() -> Result<Self, String> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        Self::find_in(
            std::env::var_os(CHROMEDRIVER_ENV).map(PathBuf::from),
            std::env::var_os(CHROMIUM_ENV).map(PathBuf::from),
            &path,
            Path::new(DEBIAN_CHROMEDRIVER),
            Path::new(DEBIAN_CHROMIUM),
        )
    }

    fn find_in(
        chromedriver: Option<PathBuf>,
        chromium: Option<PathBuf>,
        path: &OsStr,
        debian_chromedriver: &Path,
        debian_chromium: &Path,
    ) -> Result<Self, String> {
        let chromedriver = match chromedriver {
            Some(program) => checked(program, "chromedriver", &format!("${CHROMEDRIVER_ENV}"))?,
            None => std::env::split_paths(path)
                .map(|dir| dir.join("chromedriver"))
                .chain([debian_chromedriver.to_path_buf()])
                .find(|program| program.is_file())
                .ok_or_else(|| {
                    format!(
                        "chromedriver is not installed: not on PATH nor at {}; run {SETUP_SCRIPT} \
                         as root (it installs Debian's chromium and chromium-driver; cargo xtask \
                         test runs it) or set {CHROMEDRIVER_ENV}",
                        debian_chromedriver.display()
                    )
                })?,
        };
        let chromium = match chromium {
            Some(program) => checked(program, "Chromium", &format!("${CHROMIUM_ENV}"))?,
            None => checked(debian_chromium.to_path_buf(), "Chromium", "the default")?,
        };
        Ok(Self {
            chromedriver,
            chromium,
        })
    }
}

fn checked(program: PathBuf, what: &str, origin: &str) -> Result<PathBuf, String> {
    if program.is_file() {
        return Ok(program);
    }
    Err(format!(
        "{what} is not installed: {} (chosen by {origin}) does not exist; run {SETUP_SCRIPT} as \
         root (it installs Debian's chromium and chromium-driver; cargo xtask test runs it) or \
         set {CHROMEDRIVER_ENV} and {CHROMIUM_ENV}",
        program.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(dir: &Path, name: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let program = dir.join(name);
        std::fs::write(&program, "").unwrap();
        program
    }

    #[test]
    fn path_wins_over_debians_place() {
        let root = tempfile::tempdir().unwrap();
        let on_path = fake(&root.path().join("bin"), "chromedriver");
        let debian = fake(&root.path().join("usr"), "chromedriver");
        let chromium = fake(&root.path().join("usr"), "chromium");
        let path =
            std::env::join_paths([root.path().join("nothing"), root.path().join("bin")]).unwrap();
        let found = Binaries::find_in(None, None, &path, &debian, &chromium).unwrap();
        assert_eq!(found.chromedriver, on_path);
        assert_eq!(found.chromium, chromium);
    }

    #[test]
    fn debians_place_is_used_when_path_has_none() {
        let root = tempfile::tempdir().unwrap();
        let debian = fake(&root.path().join("usr"), "chromedriver");
        let chromium = fake(&root.path().join("usr"), "chromium");
        let found = Binaries::find_in(None, None, OsStr::new(""), &debian, &chromium).unwrap();
        assert_eq!(found.chromedriver, debian);
    }

    #[test]
    fn the_overrides_win() {
        let root = tempfile::tempdir().unwrap();
        let own_driver = fake(&root.path().join("own"), "driver");
        let own_browser = fake(&root.path().join("own"), "browser");
        let debian = fake(&root.path().join("usr"), "chromedriver");
        let found = Binaries::find_in(
            Some(own_driver.clone()),
            Some(own_browser.clone()),
            OsStr::new(""),
            &debian,
            &debian,
        )
        .unwrap();
        assert_eq!(found.chromedriver, own_driver);
        assert_eq!(found.chromium, own_browser);
    }

    #[test]
    fn a_missing_chromedriver_names_the_setup_script() {
        let root = tempfile::tempdir().unwrap();
        let chromium = fake(&root.path().join("usr"), "chromium");
        let error = Binaries::find_in(
            None,
            None,
            OsStr::new(""),
            &root.path().join("usr/chromedriver"),
            &chromium,
        )
        .unwrap_err();
        assert!(
            error.starts_with("chromedriver is not installed"),
            "{error}"
        );
        assert!(error.contains(SETUP_SCRIPT), "{error}");
    }

    #[test]
    fn a_missing_chromium_names_the_setup_script() {
        let root = tempfile::tempdir().unwrap();
        let driver = fake(&root.path().join("usr"), "chromedriver");
        let error = Binaries::find_in(
            None,
            None,
            OsStr::new(""),
            &driver,
            &root.path().join("usr/chromium"),
        )
        .unwrap_err();
        assert!(error.starts_with("Chromium is not installed"), "{error}");
        assert!(error.contains(SETUP_SCRIPT), "{error}");
    }
}
