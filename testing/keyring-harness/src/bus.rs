//! A private session bus: `dbus-daemon` on a socket in its own temporary folder.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

use crate::programs;

/// The variable through which D-Bus clients (zbus among them) find the session bus.
pub const BUS_ENV: &str = "DBUS_SESSION_BUS_ADDRESS";

/// A session bus with no service activation unless a test gives it one service to start
/// (SERVICEDIR becomes the line naming its folder): only what a test starts, or asked for, is on it.
const CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=SOCKET</listen>
SERVICEDIR
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// Writes a service's start script, given the bus's folder.
type ScriptFor<'a> = &'a dyn Fn(&Path) -> String;

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
        Self::launch(None)
    }

    /// A bus that starts `name` on its first use, by running the shell script that `script`
    /// writes for the bus's folder (the script and its service file are kept in that folder).
    pub(crate) fn start_activating(
        name: &str,
        script: impl Fn(&Path) -> String,
    ) -> Result<Self, String> {
        Self::launch(Some((name, &script)))
    }

    fn launch(service: Option<(&str, ScriptFor<'_>)>) -> Result<Self, String> {
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
        let mut service_dir = String::new();
        if let Some((name, script)) = service {
            let services = folder.path().join("services");
            let program = folder.path().join(format!("{name}.sh"));
            std::fs::create_dir(&services)
                .and_then(|()| std::fs::write(&program, script(folder.path())))
                .and_then(|()| {
                    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o700))
                })
                .and_then(|()| {
                    std::fs::write(
                        services.join(format!("{name}.service")),
                        format!("[D-BUS Service]\nName={name}\nExec={}\n", program.display()),
                    )
                })
                .map_err(|e| format!("could not write the bus's service {name}: {e}"))?;
            service_dir = format!("  <servicedir>{}</servicedir>\n", services.display());
        }
        let config_text = CONFIG
            .replace("SOCKET", socket_text)
            .replace("SERVICEDIR\n", &service_dir);
        std::fs::write(&config, config_text)
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
