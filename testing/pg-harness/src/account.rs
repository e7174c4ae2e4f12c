//! Who runs the server. PostgreSQL refuses to run as root, and CI containers often are root:
//! then every server-side program runs through `runuser` as an unprivileged account (`postgres`,
//! which Debian's package creates), and the cluster's folder belongs to that account.

use std::path::Path;
use std::process::Command;

/// The account to run the server as when the tests run as root.
pub const USER_ENV: &str = "TESSERA_PG_USER";

const DEFAULT_USER: &str = "postgres";

/// The account server-side programs run as.
#[derive(Debug, Clone)]
pub enum Account {
    /// This process's own user (not root).
    Current,
    /// An unprivileged account, through `runuser` (this process is root).
    Other(String),
}

impl Account {
    /// The current user, or `$TESSERA_PG_USER` (default `postgres`) when running as root.
    pub fn for_this_process() -> Result<Self, String> {
        if !rustix::process::geteuid().is_root() {
            return Ok(Self::Current);
        }
        let user = std::env::var(USER_ENV).unwrap_or_else(|_| DEFAULT_USER.to_string());
        let known = Command::new("id")
            .args(["-u", &user])
            .output()
            .map_err(|e| format!("could not run id to look up the account {user}: {e}"))?;
        if !known.status.success() {
            return Err(format!(
                "the tests run as root, which PostgreSQL refuses, and the account {user} to run it \
                 as does not exist; run {} (the postgresql package creates postgres) or set \
                 {USER_ENV} to an unprivileged account",
                crate::binaries::SETUP_SCRIPT
            ));
        }
        Ok(Self::Other(user))
    }

    /// A command running `program` as this account.
    pub fn command(&self, program: impl AsRef<Path>) -> Command {
        match self {
            Self::Current => Command::new(program.as_ref()),
            Self::Other(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program.as_ref());
                command
            }
        }
    }
}
