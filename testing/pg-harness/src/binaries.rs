//! Where PostgreSQL's programs are. Debian installs them outside `PATH`, one folder per major
//! version (`/usr/lib/postgresql/<major>/bin`); the newest installed one is used. A missing
//! program is an error that says how to install it: tests that need PostgreSQL fail, they are
//! never skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A folder holding every program the harness runs; overrides the search.
pub const BIN_ENV: &str = "TESSERA_PG_BIN";

/// The script that installs the services the tests start (`cargo xtask test` runs it).
pub const SETUP_SCRIPT: &str = "scripts/setup-test-services.sh";

const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// The server itself and the programs the harness runs to make, start, stop and fill a cluster.
const NEEDED: [&str; 4] = ["initdb", "pg_ctl", "postgres", "createdb"];

/// The folder PostgreSQL's programs are taken from.
#[derive(Debug, Clone)]
pub struct Binaries {
    dir: PathBuf,
}

impl Binaries {
    /// `$TESSERA_PG_BIN` when set, else the newest `/usr/lib/postgresql/<major>/bin`, else the
    /// folder of the first `pg_ctl` on `PATH`.
    pub fn find() -> Result<Self, String> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        Self::find_in(
            std::env::var_os(BIN_ENV).map(PathBuf::from),
            Path::new(DEBIAN_ROOT),
            &path,
        )
    }

    fn find_in(
        overridden: Option<PathBuf>,
        debian_root: &Path,
        path: &OsStr,
    ) -> Result<Self, String> {
        let (dir, origin) = match overridden {
            Some(dir) => (dir, format!("${BIN_ENV}")),
            None => match newest_debian(debian_root).or_else(|| on_path(path)) {
                Some(dir) => (dir, "the search".to_string()),
                None => {
                    return Err(format!(
                        "PostgreSQL is not installed: no initdb in {}/<major>/bin nor pg_ctl on PATH; \
                         run {SETUP_SCRIPT} (cargo xtask test runs it) or set {BIN_ENV} to the \
                         folder holding initdb and pg_ctl",
                        debian_root.display()
                    ));
                }
            },
        };
        if let Some(missing) = NEEDED.iter().find(|name| !dir.join(name).is_file()) {
            return Err(format!(
                "PostgreSQL's {missing} is missing from {} (chosen by {origin}); run {SETUP_SCRIPT} \
                 (cargo xtask test runs it) or set {BIN_ENV} to a folder holding {}",
                dir.display(),
                NEEDED.join(", ")
            ));
        }
        Ok(Self { dir })
    }

    /// The full path of one of PostgreSQL's programs.
    pub fn program(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// The highest version folder that has `initdb` (`9.6` and `16` compare as numbers).
fn newest_debian(root: &Path) -> Option<PathBuf> {
    std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = parse_version(&entry.file_name().to_string_lossy())?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, bin)| bin)
}

fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn on_path(path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path).find(|dir| dir.join("pg_ctl").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_install(root: &Path, version: &str, programs: &[&str]) -> PathBuf {
        let bin = root.join(version).join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        for program in programs {
            std::fs::write(bin.join(program), "").unwrap();
        }
        bin
    }

    #[test]
    fn the_highest_debian_version_is_chosen() {
        let root = tempfile::tempdir().unwrap();
        fake_install(root.path(), "9.6", &NEEDED);
        let sixteen = fake_install(root.path(), "16", &NEEDED);
        fake_install(root.path(), "13", &NEEDED);
        // A higher version without initdb (only its client installed) does not count.
        fake_install(root.path(), "17", &["psql"]);
        let found = Binaries::find_in(None, root.path(), OsStr::new("")).unwrap();
        assert_eq!(found.program("pg_ctl"), sixteen.join("pg_ctl"));
    }

    #[test]
    fn the_override_wins_over_the_search() {
        let root = tempfile::tempdir().unwrap();
        fake_install(root.path(), "16", &NEEDED);
        let own = fake_install(root.path(), "own", &NEEDED);
        let found = Binaries::find_in(Some(own.clone()), root.path(), OsStr::new("")).unwrap();
        assert_eq!(found.program("initdb"), own.join("initdb"));
    }

    #[test]
    fn path_is_searched_when_debian_has_none() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = fake_install(root.path(), "elsewhere", &NEEDED);
        let path = std::env::join_paths([root.path().join("nothing"), elsewhere.clone()]).unwrap();
        let found = Binaries::find_in(None, &root.path().join("no-debian"), &path).unwrap();
        assert_eq!(found.program("postgres"), elsewhere.join("postgres"));
    }

    #[test]
    fn nothing_installed_names_initdb_and_the_setup_script() {
        let root = tempfile::tempdir().unwrap();
        let error = Binaries::find_in(None, root.path(), OsStr::new("")).unwrap_err();
        assert!(error.contains("no initdb"), "{error}");
        assert!(error.contains(SETUP_SCRIPT), "{error}");
    }

    #[test]
    fn a_missing_program_is_named() {
        let root = tempfile::tempdir().unwrap();
        let bin = fake_install(root.path(), "own", &["initdb", "pg_ctl", "createdb"]);
        let error = Binaries::find_in(Some(bin), root.path(), OsStr::new("")).unwrap_err();
        assert!(
            error.contains("PostgreSQL's postgres is missing"),
            "{error}"
        );
        assert!(error.contains(BIN_ENV), "{error}");
        assert!(error.contains(SETUP_SCRIPT), "{error}");
    }
}
