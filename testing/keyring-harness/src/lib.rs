//! A private D-Bus session bus, and a real Secret Service on it, for tests only (a
//! dev-dependency): what the desktop device key is tested against.
//!
//! [`PrivateBus::start`] runs `dbus-daemon` on a socket in a new temporary folder, with a
//! configuration that activates no service: a name on it is owned only if a test started its
//! owner, so a bus without a keyring stays without one. [`PrivateKeyring::start`] adds
//! `gnome-keyring-daemon` (secrets component only) whose home is that folder: it creates the
//! `login` collection with a generated password read from its standard input, unlocked, and
//! `start` returns once the daemon owns `org.freedesktop.secrets`; [`PrivateKeyring::lock`] and
//! [`PrivateKeyring::unlock`] lock that collection and unlock it with its password, as a screen
//! lock and a login do. [`PrivateKeyring::on_demand`] instead gives the bus one activatable
//! service, the same daemon, which D-Bus starts on the first call to the name (as a desktop
//! session's keyring often is), or fails to start while a test says it may not. Dropping either stops what
//! it started (also while a test panics) and removes the folder. Each has its own folder and
//! socket, so tests may start as many as they like in parallel.
//!
//! Nothing here touches the session the tests run in: a program reaches the private bus only
//! through the variable [`BUS_ENV`] that [`PrivateBus::configure`] sets on a `Command`.
//!
//! The programs come from Debian's `dbus-daemon`, `dbus-bin` and `gnome-keyring` packages,
//! which `scripts/setup-test-services.sh` installs (`cargo xtask test` runs it). When one is
//! missing, `start` fails with a message naming it and that script: a test that needs the
//! keyring fails, never skips. Linux only.

mod bus;
mod keyring;
mod programs;

pub use bus::{BUS_ENV, PrivateBus};
pub use keyring::{PrivateKeyring, SECRETS_NAME};
pub use programs::SETUP_SCRIPT;
