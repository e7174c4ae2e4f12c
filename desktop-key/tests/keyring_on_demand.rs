//! The device key against a Secret Service that D-Bus starts on demand (gnome-keyring-daemon
//! activated on a private bus, as a desktop session's keyring often is): nothing owns the
//! name until the first use, which finds it; a start that fails is not kept as the answer, so
//! the next use, once the keyring can start, finds it without a new process. The keystore is
//! made once per process, so this is its own binary, which sets the bus in the environment
//! before any thread starts and then runs its one test (`harness = false`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use tessera_core::vault::KeyProtector;
use tessera_desktop_key::{DeviceKey, SERVICE, account_for};
use tessera_keyring_harness::{BUS_ENV, PrivateKeyring, SECRETS_NAME};

fn a_keyring_started_on_demand_is_found_and_a_failed_start_is_asked_again(
    keyring: &PrivateKeyring,
) {
    let root = tempfile::tempdir().unwrap();
    assert!(!keyring.bus().has_owner(SECRETS_NAME).unwrap());

    // The keyring cannot start yet: no keystore, said in words.
    keyring.set_startable(false).unwrap();
    let error = DeviceKey::open(root.path()).unwrap_err();
    assert!(
        error.reason.contains("cannot be reached"),
        "{}",
        error.reason
    );
    assert!(!keyring.bus().has_owner(SECRETS_NAME).unwrap());

    // It can now: the same process asks again, and D-Bus starts it for that first call.
    keyring.set_startable(true).unwrap();
    let key = DeviceKey::open(root.path()).unwrap();
    assert!(keyring.bus().has_owner(SECRETS_NAME).unwrap());
    let sealed = key.wrap(b"the PIN slot's wrapped key").unwrap();
    let stored = keyring::Entry::new(SERVICE, &account_for(root.path()).unwrap())
        .unwrap()
        .get_secret()
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert_eq!(
        DeviceKey::open(root.path())
            .unwrap()
            .unwrap(&sealed)
            .unwrap(),
        b"the PIN slot's wrapped key"
    );
}

fn main() -> std::process::ExitCode {
    let keyring =
        PrivateKeyring::on_demand().expect("the private bus with an on-demand keyring must start");
    // SAFETY: nothing else runs yet (no test has started, no thread was spawned), so no other
    // thread can read the environment while it changes.
    unsafe { std::env::set_var(BUS_ENV, keyring.bus().address()) };

    let name = "a_keyring_started_on_demand_is_found_and_a_failed_start_is_asked_again";
    println!("\nrunning 1 test");
    let passed = catch_unwind(AssertUnwindSafe(|| {
        a_keyring_started_on_demand_is_found_and_a_failed_start_is_asked_again(&keyring)
    }))
    .is_ok();
    println!("test {name} ... {}", if passed { "ok" } else { "FAILED" });
    let (verdict, count) = if passed { ("ok", 0) } else { ("FAILED", 1) };
    println!(
        "\ntest result: {verdict}. {} passed; {count} failed; 0 ignored; 0 measured; 0 filtered out\n",
        1 - count
    );
    drop(keyring);
    if passed {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
