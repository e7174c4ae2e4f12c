//! The desktop token's device key through the real binary, against real Secret Services:
//! gnome-keyring-daemon on private buses started here (a keyring that cannot start fails the
//! test). Each `tessera` finds its keyring through DBUS_SESSION_BUS_ADDRESS, so two keyrings
//! stand for two computers.
//!
//! A new token is sealed by the keyring's key and says nothing about it; its file opens with
//! the PIN only where that key is (not with another keyring, not copied to another folder),
//! and the recovery key opens it anywhere. A token made without a keyring is sealed on its next
//! unlock. Without a Secret Service the token works and says so once per command; declining the
//! key (`--no-device-key`, TESSERA_NO_DEVICE_KEY) is silent, and a sealed token then refuses
//! with the reason. A locked keyring is said in words, makes no token without its key, and
//! the token opens once it is unlocked; a keyring that D-Bus starts on demand is found.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use tessera_keyring_harness::{BUS_ENV, PrivateBus, PrivateKeyring};

const PIN: &str = "482913";
const PASSPHRASE: &str = "maple orbit velvet";
const LINK: &str =
    "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=ACME";
const LISTED: &str = "alice\ttotp\tACME\n";
const WEAK_PIN_WARNING: &str = "tessera: warning: a PIN of only digits protects the token's file weakly on a computer, where no device key seals it: whoever copies the file can try every PIN offline; use a passphrase of 8 or more characters instead (`tessera pin change`)\n";
const NO_KEYSTORE: &str = "tessera: warning: no system keystore is available (the Secret Service on the session bus cannot be reached: ";
const NO_KEYSTORE_END: &str = "), so only the PIN or passphrase protects a copy of the token's file; pass --no-device-key or set TESSERA_NO_DEVICE_KEY=1 if that is intended\n";

/// Where a `tessera` finds (or does not find) a keystore.
enum Keystore<'a> {
    Keyring(&'a PrivateKeyring),
    /// A session bus on which nothing offers the Secret Service.
    Bare(&'a PrivateBus),
    /// `TESSERA_NO_DEVICE_KEY=1`.
    Declined,
}

/// `tessera --home <home> args` with no terminal, `variables` as the only secrets, and the
/// keystore `keystore`.
fn run(home: &Path, keystore: &Keystore, args: &[&str], variables: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null())
        .env_remove(BUS_ENV)
        .env_remove("TESSERA_NO_DEVICE_KEY");
    for name in [
        "TESSERA_HOME",
        "TESSERA_PIN",
        "TESSERA_NEW_PIN",
        "TESSERA_URI",
    ] {
        command.env_remove(name);
    }
    match keystore {
        Keystore::Keyring(keyring) => {
            keyring.configure(&mut command);
        }
        Keystore::Bare(bus) => {
            bus.configure(&mut command);
        }
        Keystore::Declined => {
            command.env("TESSERA_NO_DEVICE_KEY", "1");
        }
    }
    command.envs(variables.iter().copied());
    command.output().expect("the binary runs")
}

fn add(home: &Path, keystore: &Keystore, pin: &str) -> Output {
    run(
        home,
        keystore,
        &["add", "--uri"],
        &[("TESSERA_URI", LINK), ("TESSERA_NEW_PIN", pin)],
    )
}

fn list(home: &Path, keystore: &Keystore, pin: &str) -> Output {
    run(home, keystore, &["list"], &[("TESSERA_PIN", pin)])
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Status 1, nothing on stdout, one line on stderr: that line.
fn refused(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

fn recovery_key_of(added: &str) -> String {
    added
        .lines()
        .find_map(|line| line.rsplit_once("shown again): ").map(|(_, key)| key))
        .expect("a recovery key line")
        .to_string()
}

fn tries_left(home: &Path, keystore: &Keystore) -> String {
    ok(run(home, keystore, &["unlock"], &[]))
}

const KEY_GONE: &str = "tessera: the device key that protects this vault is unavailable (it was deleted or invalidated: the system keystore holds no device key for this token";

#[test]
fn a_token_sealed_by_the_keyring_opens_only_where_its_key_is() {
    let here = PrivateKeyring::start().expect("gnome-keyring-daemon starts");
    let elsewhere = PrivateKeyring::start().expect("a second keyring starts");
    let (here, elsewhere) = (Keystore::Keyring(&here), Keystore::Keyring(&elsewhere));
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");

    // A PIN of digits is fine when the keyring's key seals the file: nothing to warn about.
    let added = add(&home, &here, PIN);
    assert_eq!(stderr(&added), "");
    let recovery_key = recovery_key_of(&ok(added));
    let listed = list(&home, &here, PIN);
    assert_eq!(stderr(&listed), "");
    assert_eq!(ok(listed), LISTED);
    let shown = ok(run(
        &home,
        &here,
        &["settings", "show"],
        &[("TESSERA_PIN", PIN)],
    ));
    assert!(
        shown.contains("device key: in the system keystore\n"),
        "{shown}"
    );
    let before = tries_left(&home, &here);

    // Another computer: the same file, the same PIN, another keyring.
    assert!(refused(list(&home, &elsewhere, PIN)).starts_with(KEY_GONE));
    // The same computer, the file copied to another folder.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(home.join("vault.bin"), copy.join("vault.bin")).unwrap();
    std::fs::copy(home.join("vault.state"), copy.join("vault.state")).unwrap();
    assert!(refused(list(&copy, &here, PIN)).starts_with(KEY_GONE));
    // Nor without a keystore, and none of it cost a PIN try.
    let declined = refused(list(&home, &Keystore::Declined, PIN));
    assert!(
        declined.contains("(--no-device-key or TESSERA_NO_DEVICE_KEY is set, so the system keystore was not asked)"),
        "{declined}"
    );
    assert_eq!(tries_left(&home, &here), before);

    // The recovery key opens it on the other computer, which then seals it by its own key.
    let recovered = run(
        &home,
        &elsewhere,
        &["unlock", "--recovery"],
        &[
            ("TESSERA_RECOVERY_KEY", &recovery_key),
            ("TESSERA_NEW_PIN", PASSPHRASE),
        ],
    );
    assert_eq!(stderr(&recovered), "");
    ok(recovered);
    assert_eq!(ok(list(&home, &elsewhere, PASSPHRASE)), LISTED);
    // Here the keyring still holds the old key, which no longer opens the file.
    let refusal = refused(list(&home, &here, PASSPHRASE));
    assert_eq!(
        refusal,
        "tessera: the device key that protects this vault is unavailable (the data was not sealed by this device key); unlock with the recovery key instead\n"
    );
}

#[test]
fn a_token_made_without_a_keyring_is_sealed_by_it_on_the_next_unlock() {
    let keyring = PrivateKeyring::start().expect("gnome-keyring-daemon starts");
    let keyring = Keystore::Keyring(&keyring);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let added = add(&home, &Keystore::Declined, PASSPHRASE);
    assert_eq!(stderr(&added), "", "declining the key is silent");
    ok(added);
    let shown = ok(run(
        &home,
        &Keystore::Declined,
        &["settings", "show"],
        &[("TESSERA_PIN", PASSPHRASE)],
    ));
    assert!(
        shown.contains("device key: none (only the PIN protects a copy of the token's file)\n"),
        "{shown}"
    );
    let old_file = dir.path().join("old.bin");
    std::fs::copy(home.join("vault.bin"), &old_file).unwrap();

    // The first unlock with the keyring seals it, silently.
    let listed = list(&home, &keyring, PASSPHRASE);
    assert_eq!(stderr(&listed), "");
    assert_eq!(ok(listed), LISTED);
    assert_ne!(
        std::fs::read(home.join("vault.bin")).unwrap(),
        std::fs::read(&old_file).unwrap()
    );
    let refusal = refused(list(&home, &Keystore::Declined, PASSPHRASE));
    assert!(
        refusal.starts_with("tessera: the device key that protects this vault is unavailable (this vault is sealed with a device key, and none was supplied)"),
        "{refusal}"
    );
    assert_eq!(ok(list(&home, &keyring, PASSPHRASE)), LISTED);
    // Neither generation left in the folder opens with the passphrase alone.
    for file in ["vault.bin", "vault.prev"] {
        let copy = dir.path().join(format!("copy-{file}"));
        std::fs::create_dir(&copy).unwrap();
        std::fs::copy(home.join(file), copy.join("vault.bin")).unwrap();
        assert!(
            refused(list(&copy, &Keystore::Declined, PASSPHRASE)).contains("device key"),
            "{file}"
        );
    }
}

#[test]
fn without_a_secret_service_the_token_works_and_says_so_once_per_command() {
    let bus = PrivateBus::start().expect("a private bus starts");
    let bare = Keystore::Bare(&bus);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");

    let said = |output: &Output| {
        let err = stderr(output);
        assert_eq!(err.matches("no system keystore").count(), 1, "{err}");
        let line = err
            .lines()
            .find(|line| line.contains("no system keystore"))
            .unwrap()
            .to_string();
        assert!(line.starts_with(NO_KEYSTORE), "{line}");
        assert!(format!("{line}\n").ends_with(NO_KEYSTORE_END), "{line}");
        err
    };
    let added = add(&home, &bare, PASSPHRASE);
    assert_eq!(said(&added).lines().count(), 1);
    ok(added);
    let listed = list(&home, &bare, PASSPHRASE);
    assert_eq!(said(&listed).lines().count(), 1);
    assert_eq!(ok(listed), LISTED);

    // A PIN of digits set without a key also gets the weak-PIN warning, once.
    let changed = run(
        &home,
        &bare,
        &["pin", "change"],
        &[("TESSERA_PIN", PASSPHRASE), ("TESSERA_NEW_PIN", PIN)],
    );
    let err = said(&changed);
    assert_eq!(err.matches(WEAK_PIN_WARNING).count(), 1, "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    ok(changed);

    // Declined on purpose: not a word. `--no-device-key` does what the variable does.
    let listed = list(&home, &Keystore::Declined, PIN);
    assert_eq!(stderr(&listed), "");
    assert_eq!(ok(listed), LISTED);
    let flagged = run(
        &home,
        &bare,
        &["--no-device-key", "list"],
        &[("TESSERA_PIN", PIN)],
    );
    assert_eq!(stderr(&flagged), "");
    assert_eq!(ok(flagged), LISTED);

    // A wrong PIN is refused in one line, without the keystore notice.
    let wrong = refused(list(&home, &bare, "739164"));
    assert!(wrong.contains("wrong PIN"), "{wrong}");
}

const LOCKED: &str = "the system keyring is locked and was not unlocked";

#[test]
fn a_locked_keyring_is_said_and_the_token_is_used_once_it_is_unlocked() {
    let keyring = PrivateKeyring::start().expect("gnome-keyring-daemon starts");
    let here = Keystore::Keyring(&keyring);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    ok(add(&home, &here, PIN));
    let before = tries_left(&home, &here);
    keyring.lock().unwrap();

    // Opening says the keyring is locked (no one is at its prompt here) and costs no try.
    let refusal = refused(list(&home, &here, PIN));
    assert!(refusal.contains(LOCKED), "{refusal}");
    // A new token is refused rather than made without its device key.
    let other = dir.path().join("other");
    let refusal = refused(add(&other, &here, PIN));
    assert!(refusal.contains(LOCKED), "{refusal}");
    assert!(!other.join("vault.bin").exists());

    keyring.unlock().unwrap();
    assert_eq!(tries_left(&home, &here), before);
    assert_eq!(ok(list(&home, &here, PIN)), LISTED);
}

#[test]
fn a_keyring_that_d_bus_starts_on_demand_seals_a_new_token() {
    let keyring = PrivateKeyring::on_demand().expect("the bus with an on-demand keyring starts");
    let on_demand = Keystore::Keyring(&keyring);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    let added = add(&home, &on_demand, PIN);
    assert_eq!(stderr(&added), "", "no warning: the keyring was started");
    ok(added);
    let shown = ok(run(
        &home,
        &on_demand,
        &["settings", "show"],
        &[("TESSERA_PIN", PIN)],
    ));
    assert!(
        shown.contains("device key: in the system keystore\n"),
        "{shown}"
    );
    assert!(refused(list(&home, &Keystore::Declined, PIN)).contains("device key"));
}
