//! The steps of one server's life, each a PostgreSQL program: `initdb` makes the cluster,
//! `pg_ctl start` runs it on a loopback port, `pg_ctl stop` ends it.

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::account::Account;
use crate::binaries::Binaries;
use crate::command::run;
use crate::folder::Folder;

/// The cluster's superuser, who owns the test database.
pub const SUPERUSER: &str = "tessera";

/// A port taken between choosing it and the server binding it (another test's server) is
/// retried with a new port this many times in all.
const START_ATTEMPTS: usize = 5;

/// How long pg_ctl waits for the server to start or stop, in seconds.
const PG_CTL_WAIT: &str = "60";

/// How long the postmaster may take to exit once its pid file is gone.
const EXIT_WAIT: Duration = Duration::from_secs(10);

/// The programs and places of one cluster.
pub struct Cluster<'a> {
    pub binaries: &'a Binaries,
    pub account: &'a Account,
    pub folder: &'a Folder,
}

impl Cluster<'_> {
    fn data(&self) -> PathBuf {
        self.folder.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.folder.path().join("server.log")
    }

    /// `initdb` with `password` for the superuser, required on every connection.
    pub fn init(&self, password: &str) -> Result<(), String> {
        // Readable by the server's account only through the folder, which is its own and 0700;
        // removed as soon as initdb has read it.
        let pwfile = self.folder.path().join("password");
        std::fs::write(&pwfile, password)
            .map_err(|e| format!("could not write {}: {e}", pwfile.display()))?;
        let mut initdb = self.account.command(self.binaries.program("initdb"));
        initdb
            .arg("-D")
            .arg(self.data())
            .args(["-U", SUPERUSER, "--auth=scram-sha-256"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .args(["--encoding=UTF8", "--locale=C", "--no-sync"])
            .current_dir(self.folder.path());
        let made = run(&mut initdb, "initdb");
        std::fs::remove_file(&pwfile)
            .map_err(|e| format!("could not remove {}: {e}", pwfile.display()))?;
        made.map(drop)
    }

    /// Starts the server on a free loopback port; its port and the postmaster's pid.
    pub fn start(&self) -> Result<(u16, u32), String> {
        let mut attempt = 1;
        loop {
            let port = free_port()?;
            let log_before = self.read_log().len();
            match self.pg_ctl_start(port) {
                Ok(()) => return Ok((port, self.postmaster_pid()?)),
                Err(message) => {
                    // Never leave a half-started server behind, whatever went wrong.
                    let _ = self.stop("immediate");
                    let log = self.read_log();
                    let new_log = log.get(log_before..).unwrap_or(&log);
                    if new_log.contains("could not bind") && attempt < START_ATTEMPTS {
                        attempt += 1;
                        continue;
                    }
                    return Err(format!("{message}\nserver log:\n{}", new_log.trim()));
                }
            }
        }
    }

    fn pg_ctl_start(&self, port: u16) -> Result<(), String> {
        let socket_dir = self.folder.path().display();
        let mut pg_ctl = self.account.command(self.binaries.program("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.log())
            .args(["-w", "-t", PG_CTL_WAIT, "-o"])
            // pg_ctl hands these to a shell: the folder is quoted (Folder refuses a quote in it).
            .arg(format!(
                "-k '{socket_dir}' -p {port} -c listen_addresses=127.0.0.1"
            ))
            .arg("start")
            .current_dir(self.folder.path());
        run(&mut pg_ctl, "pg_ctl start").map(drop)
    }

    /// `pg_ctl stop` in `mode` (`fast`: disconnects clients, rolls back, exits cleanly).
    pub fn stop(&self, mode: &str) -> Result<(), String> {
        let mut pg_ctl = self.account.command(self.binaries.program("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.data())
            .args(["-m", mode, "-w", "-t", PG_CTL_WAIT, "stop"])
            .current_dir(self.folder.path());
        run(&mut pg_ctl, &format!("pg_ctl stop -m {mode}")).map(drop)
    }

    fn postmaster_pid(&self) -> Result<u32, String> {
        let file = self.data().join("postmaster.pid");
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("could not read {}: {e}", file.display()))?;
        text.lines()
            .next()
            .and_then(|line| line.trim().parse().ok())
            .ok_or_else(|| format!("{} does not start with a pid", file.display()))
    }

    fn read_log(&self) -> String {
        std::fs::read_to_string(self.log()).unwrap_or_default()
    }
}

/// A loopback port nobody listens on at this moment.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| format!("could not find a free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("could not find a free loopback port: {e}"))
}

/// Waits until `pid` has exited. pg_ctl stop returns once the pid file is gone, which the
/// postmaster removes just before it exits.
pub fn wait_for_exit(pid: u32) -> Result<(), String> {
    let deadline = Instant::now() + EXIT_WAIT;
    while is_running(pid) {
        if Instant::now() > deadline {
            return Err(format!(
                "the postmaster (pid {pid}) is still running after pg_ctl stop"
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Whether a process `pid` exists and has not exited (a zombie waiting for its parent to reap
/// it has: the postmaster is not this process's child, so it may stay one a while).
pub fn is_running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the command name, which is in parentheses and may hold anything.
    let state = stat
        .rfind(')')
        .and_then(|end| stat[end + 1..].trim_start().chars().next());
    !matches!(state, Some('Z' | 'X') | None)
}
