//! `TokenSession::with_system_keystore` (the `desktop-device-key` feature, the desktop app's
//! library) against a real Secret Service: gnome-keyring-daemon on a private bus started here
//! (one that cannot start fails the run). The keyring client finds the bus through the
//! environment, which only a single-threaded process may change, so `main` sets it first and
//! runs the test itself, printing libtest's lines.
//!
//! A token made through it is sealed by the keyring's key: another session over the folder
//! without the key is refused with `KeyUnavailable`, a new session with the keystore opens it.

use std::panic::catch_unwind;
use std::sync::Arc;

use tessera_ffi::{ActivationInput, FlowStep, TokenError, TokenSession};
use tessera_keyring_harness::{BUS_ENV, PrivateKeyring};

const PIN: &str = "482913";

fn a_token_made_with_the_system_keystore_needs_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_string_lossy().into_owned();
    let session = TokenSession::with_system_keystore(folder.clone()).unwrap();
    let flow = session.add_identity().unwrap();
    let step = flow
        .enter_activation(ActivationInput {
            serial: "48244-13456".into(),
            activation: "1745-7712-6942-8698".into(),
            address: None,
            name: None,
            digits: None,
            ocra_suite: None,
        })
        .unwrap();
    assert_eq!(step, FlowStep::NeedsPin);
    flow.set_pin(PIN.into()).unwrap();
    flow.confirm_pin(PIN.into()).unwrap();
    assert!(matches!(flow.finish().unwrap(), FlowStep::Done { .. }));
    assert!(session.settings().unwrap().device_bound);
    session.lock().unwrap();

    let without: Arc<TokenSession> = TokenSession::new(folder.clone(), None).unwrap();
    let error = without.unlock(PIN.into()).unwrap_err();
    assert!(
        matches!(&error, TokenError::KeyUnavailable { message } if message.contains("none was supplied")),
        "{error:?}"
    );
    let again = TokenSession::with_system_keystore(folder).unwrap();
    again.unlock(PIN.into()).unwrap();
    assert_eq!(again.identities().unwrap().len(), 1);
}

fn main() -> std::process::ExitCode {
    let keyring = PrivateKeyring::start().expect("the private keyring must start for this test");
    // SAFETY: nothing else runs yet (no thread was spawned), so no other thread can read the
    // environment while it changes.
    unsafe { std::env::set_var(BUS_ENV, keyring.bus().address()) };
    let name = "a_token_made_with_the_system_keystore_needs_its_key";
    println!("\nrunning 1 test");
    let passed = catch_unwind(a_token_made_with_the_system_keystore_needs_its_key).is_ok();
    println!("test {name} ... {}", if passed { "ok" } else { "FAILED" });
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out\n",
        if passed { "ok" } else { "FAILED" },
        u8::from(passed),
        u8::from(!passed)
    );
    drop(keyring);
    if passed {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
