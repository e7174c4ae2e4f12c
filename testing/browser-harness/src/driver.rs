//! One `chromedriver` process: started in a process group of its own on a free loopback port,
//! ready once its `/status` says so, and killed with every process of its group (the Chromium
//! it started among them) when stopped.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

/// A port taken between choosing it and chromedriver binding it is retried with a new port
/// this many times in all.
const START_ATTEMPTS: usize = 5;

/// How long chromedriver may take to answer `/status`.
const READY_WAIT: Duration = Duration::from_secs(30);

/// How long the killed processes may take to be gone.
const EXIT_WAIT: Duration = Duration::from_secs(10);

/// A running chromedriver; stopped when dropped.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
    stopped: bool,
}

impl Driver {
    /// Starts `program` on a free loopback port, writing its log to `log`.
    pub fn start(program: &Path, log: &Path) -> Result<Self, String> {
        let mut attempt = 1;
        loop {
            let port = free_port()?;
            let child = Command::new(program)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own group, so that stopping it reaches Chromium and its helpers too.
                .process_group(0)
                .spawn()
                .map_err(|e| format!("could not start {}: {e}", program.display()))?;
            let mut driver = Self {
                child,
                port,
                log: log.to_path_buf(),
                stopped: false,
            };
            match driver.wait_until_ready() {
                Ok(()) => return Ok(driver),
                Err(message) => {
                    driver.stop()?;
                    let log = driver.read_log();
                    let port_taken = log.contains("bind") || log.contains("in use");
                    if port_taken && attempt < START_ATTEMPTS {
                        attempt += 1;
                        continue;
                    }
                    return Err(format!("{message}\nchromedriver's log:\n{}", tail(&log)));
                }
            }
        }
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// chromedriver's process id (also its process group's).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// chromedriver's log so far.
    pub fn read_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_until_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_WAIT;
        loop {
            if let Some(status) = self
                .child
                .try_wait()
                .map_err(|e| format!("could not watch chromedriver: {e}"))?
            {
                return Err(format!(
                    "chromedriver exited ({status}) before answering on port {}",
                    self.port
                ));
            }
            if status_is_ready(self.port) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver did not answer on port {} within {READY_WAIT:?}",
                    self.port
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills chromedriver's process group and waits until none of its processes is left.
    pub fn stop(&mut self) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        let group = Pid::from_child(&self.child);
        // Gone already is fine: the group may have emptied itself.
        let _ = rustix::process::kill_process_group(group, Signal::KILL);
        self.child
            .wait()
            .map_err(|e| format!("could not wait for chromedriver: {e}"))?;
        let deadline = Instant::now() + EXIT_WAIT;
        while group_is_running(group.as_raw_nonzero().get()) {
            if Instant::now() > deadline {
                return Err(format!(
                    "processes of chromedriver's group {} still run after SIGKILL",
                    group.as_raw_nonzero()
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Err(message) = self.stop() {
            eprintln!("tessera-browser-harness: {message}");
        }
    }
}

/// A loopback port nobody listens on at this moment.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("could not find a free loopback port: {e}"))
}

/// Whether chromedriver's `GET /status` answers `"ready": true`.
fn status_is_ready(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    // chromedriver keeps the connection open after its answer: read until the answer says it.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    while let Ok(read @ 1..) = stream.read(&mut chunk) {
        answer.extend_from_slice(&chunk[..read]);
        let text = String::from_utf8_lossy(&answer).replace([' ', '\n'], "");
        if text.contains("\"ready\":true") {
            return true;
        }
    }
    false
}

/// Whether a process of group `group` exists and has not exited. Killed processes that were
/// not this process's children may stay zombies a while (their new parent reaps them).
fn group_is_running(group: i32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // After the command name (in parentheses, may hold anything): state, ppid, pgrp.
        let Some(after_name) = stat.rfind(')').and_then(|end| stat.get(end + 1..)) else {
            return false;
        };
        let mut fields = after_name.split_whitespace();
        let state = fields.next().unwrap_or("Z");
        let pgrp = fields.nth(1).and_then(|field| field.parse::<i32>().ok());
        pgrp == Some(group) && !matches!(state, "Z" | "X")
    })
}

/// The last lines of a log, enough to see why something failed.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
