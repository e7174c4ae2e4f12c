//! A private session bus: `dbus-daemon` on a socket in its own temporary folder.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

use crate::programs;

/// The variable through which D-Bus clients (zbus among them) find the session bus.
pub const BUS_ENV: &str = "DBUS_SESSION_BUS_ADDRESS";

/// A session bus with no service activation: only what a test starts is on it.
const CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=SOCKET</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A running private session bus; stopped and its folder removed when dropped.
pub struct PrivateBus {
    daemon: Child,
    address: String,
    // Last: removed only after `drop` has stopped the daemon.
    folder: TempDir,
}

impl PrivateBus {
    /// Starts `dbus-daemon` on `bus` in a new temporary folder; returns once it listens.
    pub fn start() -> Result<Self, String> {
        let program = programs::find("dbus-daemon", "dbus-daemon")?;
        let folder = tempfile::Builder::new()
            .prefix("tessera-bus-")
            .tempdir()
            .map_err(|e| format!("no temporary folder for the bus: {e}"))?;
        let socket = folder.path().join("bus");
        let config = folder.path().join("bus.conf");
        let socket_text = socket
            .to_str()
            .ok_or("the temporary folder's path is not UTF-8")?;
        std::fs::write(&config, CONFIG.replace("SOCKET", socket_text))
            .map_err(|e| format!("could not write the bus configuration: {e}"))?;
        let mut daemon = Command::new(program)
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start dbus-daemon: {e}"))?;
        // The address is printed once the socket listens; end of output means it died.
        let mut line = String::new();
        let read = daemon
            .stdout
            .take()
            .map(|out| BufReader::new(out).read_line(&mut line));
        if !matches!(read, Some(Ok(n)) if n > 0) {
            let _ = daemon.kill();
            let status = daemon.wait();
            return Err(format!("dbus-daemon ended without listening ({status:?})"));
        }
        Ok(Self {
            daemon,
            address: line.trim().to_string(),
            folder,
        })
    }

    /// The bus's address, as [`BUS_ENV`] takes it.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Points `command` at this bus.
    pub fn configure<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.env(BUS_ENV, &self.address)
    }

    /// The bus's own temporary folder (removed on drop).
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Whether `name` has an owner on this bus, asked with `dbus-send`.
    pub fn has_owner(&self, name: &str) -> Result<bool, String> {
        let program = programs::find("dbus-send", "dbus-bin")?;
        let output = self
            .configure(&mut Command::new(program))
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
            ])
            .arg(format!("string:{name}"))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("could not run dbus-send: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "dbus-send failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).contains("boolean true"))
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
