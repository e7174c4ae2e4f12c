//! A real Secret Service on a private bus: `gnome-keyring-daemon`, its login collection
//! created and unlocked with a generated password.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::bus::PrivateBus;
use crate::programs;

/// The well-known name of the Secret Service.
pub const SECRETS_NAME: &str = "org.freedesktop.secrets";

/// How long the daemon may take to own its name: seconds on a loaded machine, never minutes.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// A running Secret Service on its own bus; both stopped when dropped.
pub struct PrivateKeyring {
    daemon: Child,
    // Last: the bus (and the folder holding the keyring's files) goes after the daemon.
    bus: PrivateBus,
}

impl PrivateKeyring {
    /// Starts a bus and `gnome-keyring-daemon --unlock` on it; returns once the daemon owns
    /// [`SECRETS_NAME`].
    pub fn start() -> Result<Self, String> {
        let program = programs::find("gnome-keyring-daemon", "gnome-keyring")?;
        let bus = PrivateBus::start()?;
        let home = bus.folder().to_path_buf();
        let mut command = Command::new(program);
        bus.configure(&mut command)
            .args(["--unlock", "--components=secrets", "--foreground"])
            // Its files (keyrings/login.keyring) and control socket stay in the bus's folder.
            .env("HOME", &home)
            .env("XDG_RUNTIME_DIR", &home)
            .env_remove("XDG_DATA_HOME")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut daemon = command
            .spawn()
            .map_err(|e| format!("could not start gnome-keyring-daemon: {e}"))?;
        // The login password, read up to the end of its standard input.
        let password = format!("tessera-test-{}", std::process::id());
        let written = daemon
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(password.as_bytes()));
        let mut keyring = Self { daemon, bus };
        if !matches!(written, Some(Ok(()))) {
            return Err("could not give gnome-keyring-daemon its password".into());
        }
        keyring.wait_until_ready()?;
        Ok(keyring)
    }

    /// The bus the service is on.
    pub fn bus(&self) -> &PrivateBus {
        &self.bus
    }

    /// Points `command` at this keyring's bus.
    pub fn configure<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        self.bus.configure(command)
    }

    fn wait_until_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if self.bus.has_owner(SECRETS_NAME)? {
                return Ok(());
            }
            if let Ok(Some(status)) = self.daemon.try_wait() {
                return Err(format!(
                    "gnome-keyring-daemon ended ({status}) before it owned {SECRETS_NAME}"
                ));
            }
            if started.elapsed() > READY_WITHIN {
                return Err(format!(
                    "gnome-keyring-daemon did not own {SECRETS_NAME} within {} s",
                    READY_WITHIN.as_secs()
                ));
            }
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
