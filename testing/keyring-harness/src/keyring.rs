//! A real Secret Service on a private bus: `gnome-keyring-daemon`, its login collection
//! created and unlocked with a generated password.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use zbus::blocking::Connection;
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

use crate::bus::PrivateBus;
use crate::programs;

/// The well-known name of the Secret Service.
pub const SECRETS_NAME: &str = "org.freedesktop.secrets";

const SERVICE_PATH: &str = "/org/freedesktop/secrets";
/// The file in the bus's folder whose presence lets D-Bus start an on-demand keyring.
const STARTABLE: &str = "keyring-may-start";
const LOGIN: &str = "/org/freedesktop/secrets/collection/login";

/// How long the daemon may take to own its name: seconds on a loaded machine, never minutes.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// A running Secret Service on its own bus; both stopped when dropped.
pub struct PrivateKeyring {
    /// `None` when D-Bus starts the daemon (it ends with the bus).
    daemon: Option<Child>,
    password: String,
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
        let mut keyring = Self {
            daemon: Some(daemon),
            password,
            bus,
        };
        if !matches!(written, Some(Ok(()))) {
            return Err("could not give gnome-keyring-daemon its password".into());
        }
        keyring.wait_until_ready()?;
        Ok(keyring)
    }

    /// A bus on which D-Bus starts the same daemon (its login collection unlocked) the first
    /// time a client calls [`SECRETS_NAME`], as a desktop session's activatable keyring does;
    /// nothing owns the name before. While [`set_startable`](Self::set_startable) says no,
    /// the start fails, as a keyring that cannot start yet would.
    pub fn on_demand() -> Result<Self, String> {
        let program = programs::find("gnome-keyring-daemon", "gnome-keyring")?;
        let password = format!("tessera-test-{}", std::process::id());
        let bus = PrivateBus::start_activating(SECRETS_NAME, |folder| {
            let folder = folder.display();
            format!(
                "#!/bin/sh\n[ -e '{folder}/{STARTABLE}' ] || exit 1\nexport HOME='{folder}' XDG_RUNTIME_DIR='{folder}'\nunset XDG_DATA_HOME\nprintf '%s' '{password}' | exec '{}' --unlock --components=secrets --foreground >/dev/null 2>&1\n",
                program.display()
            )
        })?;
        let keyring = Self {
            daemon: None,
            password,
            bus,
        };
        keyring.set_startable(true)?;
        Ok(keyring)
    }

    /// Whether D-Bus may start the daemon of [`on_demand`](Self::on_demand) (it may at first).
    pub fn set_startable(&self, startable: bool) -> Result<(), String> {
        let marker = self.bus.folder().join(STARTABLE);
        let changed = if startable {
            std::fs::write(&marker, b"")
        } else {
            std::fs::remove_file(&marker)
        };
        changed.map_err(|e| format!("could not change whether the keyring may start: {e}"))
    }

    /// The bus the service is on.
    pub fn bus(&self) -> &PrivateBus {
        &self.bus
    }

    /// Points `command` at this keyring's bus.
    pub fn configure<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        self.bus.configure(command)
    }

    /// Locks the login collection, as a screen lock or `secret-tool lock` would.
    pub fn lock(&self) -> Result<(), String> {
        let connection = self.connect()?;
        let login = ObjectPath::try_from(LOGIN).map_err(|e| e.to_string())?;
        connection
            .call_method(
                Some(SECRETS_NAME),
                SERVICE_PATH,
                Some("org.freedesktop.Secret.Service"),
                "Lock",
                &(vec![login],),
            )
            .map_err(|e| format!("could not lock the login collection: {e}"))?;
        Ok(())
    }

    /// Unlocks the login collection with its password, as logging in does (gnome-keyring's own
    /// interface: the Secret Service's `Unlock` would need a person at a prompt).
    pub fn unlock(&self) -> Result<(), String> {
        let connection = self.connect()?;
        let opened = connection
            .call_method(
                Some(SECRETS_NAME),
                SERVICE_PATH,
                Some("org.freedesktop.Secret.Service"),
                "OpenSession",
                &("plain", Value::from("")),
            )
            .map_err(|e| format!("could not open a Secret Service session: {e}"))?;
        let (_, session): (OwnedValue, OwnedObjectPath) = opened
            .body()
            .deserialize()
            .map_err(|e| format!("the Secret Service's session is not understood: {e}"))?;
        let login = ObjectPath::try_from(LOGIN).map_err(|e| e.to_string())?;
        let secret = (
            session,
            Vec::<u8>::new(),
            self.password.as_bytes().to_vec(),
            "text/plain",
        );
        connection
            .call_method(
                Some(SECRETS_NAME),
                SERVICE_PATH,
                Some("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
                "UnlockWithMasterPassword",
                &(login, secret),
            )
            .map_err(|e| format!("could not unlock the login collection: {e}"))?;
        Ok(())
    }

    fn connect(&self) -> Result<Connection, String> {
        zbus::blocking::connection::Builder::address(self.bus.address())
            .and_then(|builder| builder.build())
            .map_err(|e| format!("could not connect to the private bus: {e}"))
    }

    fn wait_until_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if self.bus.has_owner(SECRETS_NAME)? {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.daemon.as_mut().map(Child::try_wait) {
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
        if let Some(daemon) = self.daemon.as_mut() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
    }
}
