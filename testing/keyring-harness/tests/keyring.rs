//! The harness against the real programs: a bare bus has no Secret Service, a keyring owns its
//! name, and dropping either stops it and removes its folder.

use tessera_keyring_harness::{PrivateBus, PrivateKeyring, SECRETS_NAME};

#[test]
fn a_bare_bus_has_no_secret_service_and_is_gone_after_drop() {
    let bus = PrivateBus::start().expect("a private bus starts");
    assert!(bus.address().starts_with("unix:path="), "{}", bus.address());
    assert!(bus.has_owner("org.freedesktop.DBus").unwrap());
    assert!(!bus.has_owner(SECRETS_NAME).unwrap());
    let folder = bus.folder().to_path_buf();
    drop(bus);
    assert!(!folder.exists());
}

#[test]
fn a_keyring_owns_the_secret_service_name_on_its_own_bus() {
    let keyring = PrivateKeyring::start().expect("gnome-keyring-daemon starts");
    let other = PrivateKeyring::start().expect("a second keyring starts beside it");
    assert_ne!(keyring.bus().address(), other.bus().address());
    assert!(keyring.bus().has_owner(SECRETS_NAME).unwrap());
    let login = keyring
        .bus()
        .folder()
        .join(".local/share/keyrings/login.keyring");
    assert!(login.is_file(), "{}", login.display());
    let folder = keyring.bus().folder().to_path_buf();
    drop(keyring);
    assert!(!folder.exists());
    assert!(other.bus().has_owner(SECRETS_NAME).unwrap());
}
