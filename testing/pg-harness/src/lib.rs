//! A throwaway PostgreSQL server for one test, for tests only (a dev-dependency).
//!
//! [`PgServer::start`] makes a cluster with `initdb` in a new temporary folder, starts it with
//! `pg_ctl` on a free port on 127.0.0.1 only, and creates an empty database; [`PgServer::url`]
//! is the `postgres://` address to connect to. Dropping the server (also while a test panics)
//! stops it with `pg_ctl stop -m fast`, waits until the postmaster has exited and removes the
//! folder. Every server has its own folder, port and generated password, so tests may start
//! as many as they like in parallel.
//!
//! PostgreSQL comes from Debian's `postgresql` package, which `scripts/setup-test-services.sh`
//! installs (`cargo xtask test` runs it). When it is missing, `start` fails with a message
//! naming the missing program and that script: a test needing PostgreSQL fails, never skips.
//! Run as root, the server runs as the unprivileged `postgres` account (through `runuser`),
//! because PostgreSQL refuses to run as root. Linux only.
//!
//! Environment: `TESSERA_PG_BIN` (the folder holding `initdb` and `pg_ctl`, instead of the
//! newest `/usr/lib/postgresql/<major>/bin`), `TESSERA_PG_USER` (the account used as root,
//! instead of `postgres`), `TMPDIR` (where the folders go).
//!
//! ```no_run
//! let server = tessera_pg_harness::PgServer::start()?;
//! let url = server.url(); // postgres://tessera:<password>@127.0.0.1:<port>/tessera
//! # Ok::<(), String>(())
//! ```

mod account;
mod binaries;
mod cluster;
mod command;
mod folder;

use std::path::Path;
use std::process::Command;

use account::Account;
use binaries::Binaries;
use cluster::{Cluster, SUPERUSER};
use command::run;
use folder::Folder;

pub use account::USER_ENV;
pub use binaries::{BIN_ENV, SETUP_SCRIPT};

/// The database `start` creates, owned by the superuser.
pub const DATABASE: &str = "tessera";

/// A running PostgreSQL server; stopped and deleted when dropped.
pub struct PgServer {
    binaries: Binaries,
    account: Account,
    port: u16,
    pid: u32,
    password: String,
    running: bool,
    // Last: dropped (removed) only after `drop` has stopped the server.
    folder: Folder,
}

impl PgServer {
    /// Makes, starts and fills a new server: a cluster in a new temporary folder, listening on
    /// a free port of 127.0.0.1 (and a Unix socket in that folder), with a superuser `tessera`
    /// whose generated password every connection needs, and an empty database `tessera`.
    pub fn start() -> Result<Self, String> {
        let binaries = Binaries::find()?;
        let account = Account::for_this_process()?;
        let folder = Folder::create(&account)?;
        let password = make_password()?;
        let cluster = Cluster {
            binaries: &binaries,
            account: &account,
            folder: &folder,
        };
        cluster.init(&password)?;
        let (port, pid) = cluster.start()?;
        let server = Self {
            binaries,
            account,
            port,
            pid,
            password,
            running: true,
            folder,
        };
        server.create_database()?;
        Ok(server)
    }

    /// `postgres://tessera:<password>@127.0.0.1:<port>/tessera`.
    pub fn url(&self) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{DATABASE}",
            self.password, self.port
        )
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The postmaster's process id, so a test can check it has gone.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The server's folder: the cluster (`data/`), the Unix socket and the server's log
    /// (`server.log`, worth reading when a test fails). Removed when the server stops.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Stops the server and removes its folder, reporting what went wrong (dropping the server
    /// does the same and can only print it).
    pub fn stop(mut self) -> Result<(), String> {
        let stopped = self.shut_down();
        let removed = self.folder.remove();
        stopped.and(removed)
    }

    fn create_database(&self) -> Result<(), String> {
        // A client, so it runs as this process's user; over TCP, to prove the url's password.
        let mut createdb = Command::new(self.binaries.program("createdb"));
        createdb
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", SUPERUSER, "--no-password", DATABASE])
            .env("PGPASSWORD", &self.password)
            .current_dir(self.folder.path());
        run(&mut createdb, "createdb").map(drop)
    }

    /// Stops the server once: fast (clients disconnected, a clean exit), immediate if that
    /// fails, then waits until the postmaster process has exited.
    fn shut_down(&mut self) -> Result<(), String> {
        if !self.running {
            return Ok(());
        }
        self.running = false;
        let cluster = Cluster {
            binaries: &self.binaries,
            account: &self.account,
            folder: &self.folder,
        };
        let stopped = cluster.stop("fast").or_else(|fast| {
            cluster
                .stop("immediate")
                .map_err(|immediate| format!("{fast}; then {immediate}"))
        });
        stopped.and_then(|()| cluster::wait_for_exit(self.pid))
    }
}

/// Without the password.
impl std::fmt::Debug for PgServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgServer")
            .field("port", &self.port)
            .field("pid", &self.pid)
            .field("folder", &self.folder.path())
            .field("running", &self.running)
            .finish_non_exhaustive()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Err(message) = self.shut_down() {
            eprintln!(
                "tessera-pg-harness: stopping the server on port {} failed: {message}",
                self.port
            );
        }
    }
}

/// 128 random bits, as hex so the url needs no escaping.
fn make_password() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for the password: {e}"))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}
