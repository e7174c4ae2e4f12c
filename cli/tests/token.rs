//! The stateful desktop token through the real binary: `add`, `list`, `code`, `challenge`,
//! `rename`, `remove`, `pin change`, `unlock`, `settings`, `recovery-key`. Expected codes come
//! from the stateless `calc` commands (RFC-vector tested) and from the core's issuer-side
//! functions acting as the organisation.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tessera_core::SecretBytes;
use tessera_core::identityguard::derive_secret;
use tessera_core::transfer::google::decode_migration_link;
use tessera_core::vault::derive_unlock_code;

const PIN: &str = "482913";
const SERIAL: &str = "48244-13456";
const ACTIVATION: &str = "1745-7712-6942-8698";

struct Token {
    home: PathBuf,
}

impl Token {
    fn new(name: &str) -> Self {
        let home = std::env::temp_dir().join(format!("tessera-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        Self { home }
    }

    /// `tessera --home <dir> args` with no terminal and the PIN, ready to run.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = common::tessera();
        command
            .arg("--home")
            .arg(&self.home)
            .args(args)
            .stdin(Stdio::null())
            .env_remove("TESSERA_IMPORT_PASSWORD")
            .env("TESSERA_PIN", PIN);
        command
    }

    /// Runs `tessera --home <dir> args` with no terminal and the given PIN variables.
    fn run_with(&self, args: &[&str], pin: Option<&str>, new_pin: Option<&str>) -> Output {
        self.command_with(args, pin, new_pin)
            .output()
            .expect("the binary runs")
    }

    /// `tessera --home <dir> args` with no terminal, the given PIN variables and no other
    /// secret in the environment, to run.
    fn command_with(&self, args: &[&str], pin: Option<&str>, new_pin: Option<&str>) -> Command {
        let mut command = common::tessera();
        command
            .arg("--home")
            .arg(&self.home)
            .args(args)
            .stdin(Stdio::null());
        for name in [
            "TESSERA_PIN",
            "TESSERA_NEW_PIN",
            "TESSERA_IMPORT_PASSWORD",
            "TESSERA_HOME",
            "TESSERA_URI",
            "TESSERA_ACTIVATION_CODE",
            "TESSERA_LINK_PASSWORD",
            "TESSERA_RECOVERY_KEY",
        ] {
            command.env_remove(name);
        }
        if let Some(pin) = pin {
            command.env("TESSERA_PIN", pin);
        }
        if let Some(new_pin) = new_pin {
            command.env("TESSERA_NEW_PIN", new_pin);
        }
        command
    }

    /// Runs `tessera --home <dir> args` with the PIN variables and `variables`.
    fn run_env(&self, args: &[&str], variables: &[(&str, &str)]) -> Output {
        self.command_with(args, Some(PIN), Some(PIN))
            .envs(variables.iter().copied())
            .output()
            .expect("the binary runs")
    }

    /// Runs `tessera --home <dir> args` with the PIN variables and `input` on standard input.
    fn run_input(&self, args: &[&str], input: &str) -> Output {
        common::with_input(&mut self.command_with(args, Some(PIN), Some(PIN)), input)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, Some(PIN), Some(PIN))
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Adds the spec's IdentityGuard identity and returns its registration code.
    fn add_identityguard(&self, extra: &[&str]) -> String {
        let mut args = vec!["add", "--serial", SERIAL, "--activation", ACTIVATION];
        args.extend_from_slice(extra);
        let out = self.ok(&args);
        let code = out
            .lines()
            .find_map(|l| l.strip_prefix("registration code: "))
            .expect("a registration code line");
        assert!(is_grouped_registration_code(code), "{code}");
        code.to_string()
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn is_grouped_registration_code(code: &str) -> bool {
    code.len() == 11
        && code
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 5 { c == '-' } else { c.is_ascii_digit() })
}

fn refused(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let err = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

/// What the organisation computes: the stateless calculator, from the same activation data.
fn issuer_code(registration: &str, at: u64) -> String {
    let output = common::tessera()
        .args([
            "calc",
            "identityguard",
            "--serial",
            SERIAL,
            "--activation",
            ACTIVATION,
            "--registration",
            registration,
        ])
        .args(["--at", &at.to_string()])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn issuer_secret(registration: &str) -> SecretBytes {
    derive_secret(
        &SERIAL.parse().unwrap(),
        &ACTIVATION.parse().unwrap(),
        &registration.parse().unwrap(),
        None,
    )
}

fn files_contain(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

#[test]
fn the_seed_flow_adds_an_identity_whose_codes_the_issuer_accepts() {
    let token = Token::new("seed");
    let registration = token.add_identityguard(&["--address", "myid.example.edu/igst"]);
    assert_eq!(token.ok(&["list"]), "myid.example.edu\tidentityguard\t\n");
    for at in ["1700000000", "1700000031"] {
        let code = token.ok(&["code", "MYID.example.edu", "--at", at]);
        assert_eq!(code, issuer_code(&registration, at.parse().unwrap()));
    }
    let all = token.ok(&["code", "--at", "1700000000"]);
    assert!(
        all.starts_with("myid.example.edu: ") && all.ends_with("(10 s left)\n"),
        "{all}"
    );
    let json: serde_json::Value = serde_json::from_str(&token.ok(&["list", "--json"])).unwrap();
    assert_eq!(json[0]["serial"], SERIAL);
    assert_eq!(json[0]["registration_code"], registration.as_str());
    let secret = issuer_secret(&registration);
    assert!(!files_contain(&token.home, secret.to_hex().as_bytes()));
    assert!(!files_contain(&token.home, secret.as_bytes()));
    assert!(!files_contain(&token.home, b"1745771269428698"));
    assert!(!files_contain(&token.home, PIN.as_bytes()));
}

/// RFC 6238 Appendix B, SHA1 at T = 59 with the 20-byte secret: 94287082.
#[test]
fn otpauth_links_add_identities_to_an_existing_token() {
    let token = Token::new("otpauth");
    token.add_identityguard(&[]);
    let uri =
        "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=ACME";
    assert_eq!(token.ok(&["add", "--uri", uri]), "added: alice\n");
    assert_eq!(token.ok(&["code", "acme", "--at", "59"]), "94287082\n");
    let err = refused(&token.run_env(&["add", "--uri"], &[("TESSERA_URI", uri)]));
    assert!(err.contains("already on the token"), "{err}");
}

/// RFC 4226 Appendix D: counters 0, 1, 2 give 755224, 287082, 359152; each is saved before shown.
#[test]
fn hotp_counters_advance_and_persist() {
    let token = Token::new("hotp");
    let uri = "otpauth://hotp/counter?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";
    let out = token.ok(&["add", "--uri", uri]);
    let key = out
        .lines()
        .find_map(|l| l.split_once("not shown again): "))
        .map(|(_, key)| key);
    assert_eq!(
        key.map(str::len),
        Some(39),
        "a new token shows its recovery key once: {out}"
    );
    for expected in ["755224\n", "287082\n", "359152\n"] {
        assert_eq!(token.ok(&["code", "counter"]), expected);
    }
}

#[test]
fn activation_links_need_their_password() {
    let fixtures: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/identityguard.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let link = &fixtures["links"][0];
    let uri = link["uri"].as_str().unwrap();
    let token = Token::new("link");
    // The link, then its password, each on a line of standard input.
    let err = refused(&token.run_input(
        &["add", "--uri", "-", "--password", "-"],
        &format!("{uri}\n11111111\n"),
    ));
    assert!(err.contains("password") && err.contains("wrong"), "{err}");
    assert!(
        !token.home.join("vault.bin").exists(),
        "nothing is saved after a refusal"
    );
    let err = refused(&token.run_env(&["add", "--uri"], &[("TESSERA_URI", uri)]));
    assert!(err.contains("--password"), "{err}");
    let out = token.ok(&[
        "add",
        "--uri",
        uri,
        "--password",
        link["password"].as_str().unwrap(),
    ]);
    assert!(
        out.starts_with(&format!(
            "added: {}\n",
            link["expected"]["name"].as_str().unwrap()
        )),
        "{out}"
    );
}

#[test]
fn a_pin_is_needed_and_checked() {
    let token = Token::new("pins");
    let add = |new_pin: Option<&str>| {
        token
            .command_with(&["add", "--serial", SERIAL], None, new_pin)
            .env("TESSERA_ACTIVATION_CODE", ACTIVATION)
            .output()
            .unwrap()
    };
    let err = refused(&add(None));
    assert!(err.contains("TESSERA_NEW_PIN"), "{err}");
    let err = refused(&add(Some("1234")));
    assert!(err.contains("consecutive"), "{err}");
    token.add_identityguard(&[]);
    let err = refused(&token.run_with(&["list"], None, None));
    assert!(err.contains("TESSERA_PIN"), "{err}");
}

#[test]
fn settings_unlock_codes_off_leaves_a_locked_token_without_a_reset_code() {
    let token = Token::new("unlock-codes");
    token.add_identityguard(&[]);
    assert!(
        token
            .ok(&["settings", "show"])
            .contains("unlock codes: on\n")
    );
    let out = token.ok(&["settings", "unlock-codes", "off"]);
    assert!(out.contains("unlock codes: off\n"), "{out}");
    assert!(
        token
            .ok(&["settings", "show"])
            .contains("unlock codes: off\n")
    );
    for _ in 0..5 {
        refused(&token.run_with(&["list"], Some("000000"), None));
    }
    let shown = token.ok(&["unlock"]);
    assert!(!shown.contains("PIN reset code"), "{shown}");
    let usage = token.run(&["settings", "unlock-codes", "maybe"]);
    assert_eq!(usage.status.code(), Some(2));
    let err = String::from_utf8_lossy(&usage.stderr);
    assert!(err.contains("[possible values: on, off]"), "{err}");
}

#[test]
fn five_wrong_pins_lock_the_token_until_the_issuer_answers_the_reset_code() {
    let token = Token::new("lockout");
    let registration = token.add_identityguard(&[]);
    let attempts: Vec<String> = (0..4)
        .map(|_| refused(&token.run_with(&["list"], Some("000000"), None)))
        .collect();
    assert!(
        attempts[0].contains("wrong PIN, 4 tries left"),
        "{}",
        attempts[0]
    );
    assert!(
        attempts[3].contains("wrong PIN, 1 try left"),
        "{}",
        attempts[3]
    );
    let err = refused(&token.run_with(&["list"], Some("000000"), None));
    assert!(
        err.contains("locked") && err.contains("tessera unlock"),
        "{err}"
    );
    let err = refused(&token.run(&["list"]));
    assert!(
        err.contains("locked"),
        "the right PIN is not even checked: {err}"
    );

    let shown = token.ok(&["unlock"]);
    let reset_code = shown
        .lines()
        .find_map(|l| l.strip_prefix("PIN reset code: "))
        .expect("the reset code")
        .to_string();
    assert_eq!(reset_code.len(), 9);
    let unlock_code = derive_unlock_code(&issuer_secret(&registration), &reset_code).unwrap();
    let err = refused(&token.run_with(&["unlock", "--code", &unlock_code], None, Some("1111")));
    assert!(
        err.contains("repeated"),
        "a bad new PIN is refused before the code is tried: {err}"
    );
    token.run_with(&["unlock", "--code", &unlock_code], None, Some("739164"));
    assert_eq!(
        token
            .run_with(&["list"], Some("739164"), None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        token
            .run_with(
                &["code", "IdentityGuard 48244-13456", "--at", "1700000000"],
                Some("739164"),
                None
            )
            .stdout,
        issuer_code(&registration, 1_700_000_000).into_bytes()
    );
    assert_eq!(
        token.run_with(&["list"], Some(PIN), None).status.code(),
        Some(1),
        "the old PIN is gone"
    );
}

#[test]
fn a_recovery_key_opens_a_locked_token() {
    let token = Token::new("recovery");
    token.add_identityguard(&[]);
    let out = token.ok(&["recovery-key"]);
    let key = out.lines().nth(1).expect("the key line").to_string();
    for _ in 0..5 {
        token.run_with(&["list"], Some("000000"), None);
    }
    let err = refused(&common::with_input(
        &mut token.command_with(&["unlock", "--recovery", "-"], None, Some("739164")),
        "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA\n",
    ));
    assert!(err.contains("recovery key does not open"), "{err}");
    assert_eq!(
        token
            .command_with(&["unlock", "--recovery"], None, Some("739164"))
            .env("TESSERA_RECOVERY_KEY", &key)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        token
            .run_with(&["list"], Some("739164"), None)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn a_new_recovery_key_and_the_lockout_threshold_need_the_right_pin() {
    let token = Token::new("pin-again");
    token.add_identityguard(&[]);
    let commands: [&[&str]; 2] = [&["recovery-key"], &["settings", "lockout", "10"]];
    let mut wrong = 0;
    for args in commands {
        let err = refused(&token.run_with(args, None, None));
        assert!(err.contains("TESSERA_PIN"), "{err}");
        let err = refused(&token.run_with(args, Some("000000"), None));
        wrong += 1;
        assert_eq!(
            err,
            format!(
                "tessera: wrong PIN, {} tries left before the token locks\n",
                5 - wrong
            )
        );
    }
    // Both wrong PINs counted towards the lockout.
    let err = refused(&token.run_with(&["list"], Some("000000"), None));
    assert!(err.contains("2 tries left"), "{err}");
    assert!(
        token
            .ok(&["settings", "show"])
            .contains("lockout after: 5 wrong PINs\n")
    );
    assert!(
        token
            .ok(&["settings", "lockout", "10"])
            .contains("lockout after: 10 wrong PINs\n")
    );
    let out = token.ok(&["recovery-key"]);
    assert_eq!(out.lines().nth(1).map(str::len), Some(39), "{out}");
}

#[test]
fn identities_can_be_renamed_removed_and_found() {
    let token = Token::new("manage");
    token.add_identityguard(&["--name", "Work"]);
    assert_eq!(
        token.ok(&["rename", "work", "Office"]),
        "renamed: Work -> Office\n"
    );
    let err = refused(&token.run(&["rename", "Office", " "]));
    assert!(err.contains("name is empty"), "{err}");
    let err = refused(&token.run(&["code", "nobody"]));
    assert!(err.contains("no identity is called \"nobody\""), "{err}");
    assert_eq!(token.ok(&["remove", "office"]), "removed: Office\n");
    assert_eq!(token.ok(&["list"]), "");
}

#[test]
fn settings_change_the_clock_and_the_pin() {
    let token = Token::new("settings");
    let registration = token.add_identityguard(&["--name", "Work"]);
    let out = token.ok(&["settings", "time-offset", "-30"]);
    assert!(
        out.starts_with("time offset: -30 s\nlockout after: 5 wrong PINs\n"),
        "{out}"
    );
    let err = refused(&token.run(&["settings", "time-offset", "90000"]));
    assert!(err.contains("time offset"), "{err}");
    // `code` without --at uses the clock plus the offset: the issuer's code of 30 s ago.
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    // Any second the command may have read its clock in (a busy machine can take several).
    let before = now();
    let shown = token.ok(&["code", "work"]);
    let after = now();
    let expected: Vec<String> = (before - 30..=after - 30)
        .map(|t| issuer_code(&registration, t))
        .collect();
    assert!(expected.contains(&shown), "{shown} not in {expected:?}");
    token.ok(&["settings", "lockout", "3"]);
    assert!(
        token
            .ok(&["settings", "show"])
            .contains("lockout after: 3 wrong PINs")
    );
    assert!(
        token
            .ok(&["settings", "show"])
            .contains("auto-lock after: 60 s in the background\n")
    );
    let out = token.ok(&["settings", "auto-lock", "0"]);
    assert!(
        out.contains("auto-lock after: 0 s in the background\n"),
        "{out}"
    );
    let err = refused(&token.run(&["settings", "auto-lock", "3601"]));
    assert_eq!(
        err,
        "tessera: the auto-lock delay must be between 0 and 3600 seconds, not 3601\n"
    );
    assert_eq!(
        token
            .run_with(&["pin", "change"], Some(PIN), Some("551937"))
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        token
            .run_with(&["list"], Some("551937"), None)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn reactivate_gives_an_identity_a_new_registration_and_keeps_its_name() {
    let token = Token::new("reactivate");
    token.add_identityguard(&["--name", "Work"]);
    token.ok(&[
        "add",
        "--uri",
        "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME",
    ]);
    let out = token.ok(&[
        "reactivate",
        "work",
        "--serial",
        SERIAL,
        "--activation",
        ACTIVATION,
    ]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("reactivated: Work"));
    let new = lines
        .next()
        .and_then(|l| l.strip_prefix("registration code: "))
        .expect("a registration code line");
    assert!(is_grouped_registration_code(new), "{new}");
    assert_eq!(
        token.ok(&["code", "work", "--at", "1700000000"]),
        issuer_code(new, 1_700_000_000)
    );
    assert_eq!(
        token.ok(&["list"]),
        "Work\tidentityguard\t\nalice\ttotp\tACME\n"
    );
    let err = refused(&token.run(&[
        "reactivate",
        "alice",
        "--serial",
        SERIAL,
        "--activation",
        ACTIVATION,
    ]));
    assert!(
        err.contains("\"alice\" is not an IdentityGuard identity"),
        "{err}"
    );
}

/// RFC 6287 suite OCRA-1:HOTP-SHA1-6:QN08 with the identity's derived secret: the expected
/// response comes from `calc ocra` with the secret the organisation derives.
#[test]
fn challenges_are_answered_with_ocra() {
    let token = Token::new("ocra");
    let registration =
        token.add_identityguard(&["--ocra", "OCRA-1:HOTP-SHA1-6:QN08", "--name", "Bank"]);
    let secret = format!("hex:{}", issuer_secret(&registration).to_hex().as_str());
    let expected = common::tessera()
        .args([
            "calc",
            "ocra",
            "--suite",
            "OCRA-1:HOTP-SHA1-6:QN08",
            "--secret",
            &secret,
            "--challenge",
            "12345678",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        token.ok(&["challenge", "bank", "12345678"]).into_bytes(),
        expected
    );
    let err = refused(&token.run(&["challenge", "bank", "12AB"]));
    assert!(err.contains("challenge"), "{err}");
}

#[test]
fn watch_redraws_codes_with_a_countdown_until_stopped() {
    let token = Token::new("watch");
    token.add_identityguard(&["--name", "Work"]);
    let mut child = common::tessera()
        .arg("--home")
        .arg(&token.home)
        .args(["code", "--watch"])
        .env("TESSERA_PIN", PIN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the screen as it is drawn until it has been drawn twice (one second apart), however
    // long the unlock takes on a busy machine; then stop it as Ctrl-C would.
    let mut stdout = child.stdout.take().unwrap();
    let mut screen = String::new();
    let mut buffer = [0u8; 4096];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while screen.matches("Ctrl-C to stop").count() < 2 && std::time::Instant::now() < deadline {
        let read = std::io::Read::read(&mut stdout, &mut buffer).unwrap();
        if read == 0 {
            break;
        }
        screen.push_str(&String::from_utf8_lossy(&buffer[..read]));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        screen.matches("\x1b[2J").count() >= 2,
        "redrawn: {screen:?}"
    );
    assert!(
        screen.contains("Work") && screen.contains('[') && screen.contains(" s\n"),
        "{screen:?}"
    );
}

/// ../shared/interop/aegis/EXPECTED.md: vector V1 (Deno / Mason) is TOTP SHA1, 6 digits, 30 s,
/// secret 4SJHB4GSD43FZBAI7C2HLRJGPQ; the imported identity's code must equal `calc totp` of it.
#[test]
fn an_aegis_export_imports_once() {
    let token = Token::new("import");
    token.add_identityguard(&[]);
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/aegis/aegis_plain.json");
    let file = file.to_str().unwrap();
    let out = token.ok(&["import", file]);
    assert!(out.ends_with("7 added, 0 skipped\n"), "{out}");
    let expected = common::tessera()
        .args([
            "calc",
            "totp",
            "--secret",
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
            "--at",
            "1700000000",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        token
            .ok(&["code", "Mason", "--at", "1700000000"])
            .into_bytes(),
        expected
    );
    let again = token.ok(&["import", file]);
    assert!(
        again.ends_with("0 added, 7 skipped\n") && again.contains("already on the token"),
        "{again}"
    );
}

/// Into a folder with no token, the import creates it with the new PIN and shows the recovery
/// key once; V1's code must equal `calc totp` of its secret (EXPECTED.md), and the key opens the
/// token after a lost PIN. A PIN breaking the rules is refused before anything is written.
#[test]
fn an_aegis_export_into_an_empty_folder_creates_the_token() {
    let token = Token::new("import-new");
    let file = interop_file("aegis_plain.json");
    let err = refused(&token.run_with(&["import", &file], None, Some("12")));
    assert!(err.contains("PIN"), "{err}");
    assert!(!token.home.join("vault.bin").exists());

    let out = token.ok(&["import", &file]);
    let (listing, key_line) = out.split_once("7 added, 0 skipped\n").expect(&out);
    assert!(listing.starts_with("added: Mason\n"), "{out}");
    let key = key_line
        .strip_prefix(
            "recovery key (write it down now; it opens the token if the PIN is lost, and is not shown again): ",
        )
        .and_then(|k| k.strip_suffix('\n'))
        .expect(&out);
    assert_eq!(key.len(), 39, "{out}");
    let expected = common::tessera()
        .args([
            "calc",
            "totp",
            "--secret",
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
            "--at",
            "1700000000",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        token
            .ok(&["code", "Mason", "--at", "1700000000"])
            .into_bytes(),
        expected
    );
    // A second import goes into the token now there, and asks no new PIN.
    let again = token.run_with(&["import", &file], Some(PIN), None);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        String::from_utf8(again.stdout)
            .unwrap()
            .ends_with("0 added, 7 skipped\n")
    );

    for _ in 0..5 {
        token.run_with(&["list"], Some("000000"), None);
    }
    let unlocked = common::with_input(
        &mut token.command_with(&["unlock", "--recovery", "-"], None, Some("739164")),
        &format!("{key}\n"),
    );
    assert_eq!(unlocked.status.code(), Some(0));
}

/// A file whose every entry is skipped lists each entry with its reason: into an empty folder
/// the refusal does (before a PIN is asked, and nothing is written), into a token the output.
#[test]
fn a_file_whose_every_entry_is_skipped_lists_each_reason() {
    let token = Token::new("import-all-skipped");
    std::fs::create_dir_all(&token.home).unwrap();
    let file = token.home.join("links.txt");
    std::fs::write(
        &file,
        "otpauth://totp/A:one?secret=\n\
         otpauth://totp/B:two?secret=AAAA\n\
         otpauth://motp/C:three?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let reasons = [
        "line 1 (\"A:one\"): the secret is empty",
        "line 2 (\"B:two\"): the secret is too short",
        "line 3 (\"C:three\"): ",
    ];
    let err = refused(&token.run_with(&["import", file], None, None));
    assert!(err.contains("3 entries were skipped: "), "{err}");
    for reason in reasons {
        assert!(err.contains(reason), "{reason} in {err}");
    }
    assert!(!token.home.join("vault.bin").exists());

    token.add_identityguard(&[]);
    let out = token.ok(&["import", file]);
    for reason in reasons {
        assert!(
            out.contains(&format!("skipped: {reason}")),
            "{reason} in {out}"
        );
    }
    assert!(out.ends_with("0 added, 3 skipped\n"), "{out}");
}

/// tests/formats/steam/EXPECTED.md: the encrypted maFiles zip opens with SDA's encryption key
/// given on standard input, and its accounts give the Steam codes the script computed with
/// Python's hmac; the wrong key adds nothing.
#[test]
fn an_encrypted_steam_folder_imports_with_its_password_from_stdin() {
    let token = Token::new("import-steam-folder");
    token.add_identityguard(&[]);
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats/steam/maFiles_encrypted.zip");
    let file = file.to_str().unwrap();
    let import = |password: &str| {
        common::with_input(
            &mut token.command_with(&["import", file, "--password", "-"], Some(PIN), None),
            &format!("{password}\n"),
        )
    };
    let wrong = import("not the key");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("the password is wrong"),
        "{wrong:?}"
    );
    let right = import("sda encryption key");
    let out = String::from_utf8(right.stdout).unwrap();
    assert_eq!(
        out,
        "added: gaben_sample\nadded: second_sample\n2 added, 0 skipped\n"
    );
    let expected = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/formats/steam/EXPECTED.md"),
    )
    .unwrap();
    let row = expected
        .lines()
        .find(|l| l.starts_with("| maFiles_encrypted.zip | Steam | gaben_sample |"))
        .unwrap();
    let code = row.trim_end_matches(" |").rsplit(" | ").next().unwrap();
    let shown = token.ok(&["code", "gaben_sample", "--at", "1700000000"]);
    assert!(shown.contains(code), "{shown} should show {code}");
}

/// The code EXPECTED.md of `app` gives for `name` in `file`.
fn expected_code(app: &str, file: &str, issuer: &str, name: &str) -> String {
    let expected = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/formats")
            .join(app)
            .join("EXPECTED.md"),
    )
    .unwrap();
    let row = expected
        .lines()
        .find(|l| l.starts_with(&format!("| {file} | {issuer} | {name} |")))
        .unwrap_or_else(|| panic!("no {file} {name} in {app}/EXPECTED.md"));
    row.trim_end_matches(" |")
        .rsplit(" | ")
        .next()
        .unwrap()
        .to_string()
}

/// tests/formats/authy and tests/formats/stratum (scripts/formats/make_authy.py and
/// make_stratum.py): Authy's Android store whose token is still sealed with the backup password
/// asks for it, and Authenticator Pro 1.12's headerless backup imports when named, each giving
/// the codes the scripts computed with Python's hmac.
#[test]
fn a_sealed_authy_store_and_a_headerless_stratum_backup_import() {
    let token = Token::new("import-sealed");
    token.add_identityguard(&[]);
    let formats = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/formats");
    let authy = formats.join("authy/com.authy.storage.tokens.authenticator.xml");
    let import = |args: &[&str], password: &str| {
        common::with_input(
            &mut token.command_with(args, Some(PIN), None),
            &format!("{password}\n"),
        )
    };
    let authy_args = ["import", authy.to_str().unwrap(), "--password", "-"];
    let wrong = import(&authy_args, "not the password");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("the password is wrong"),
        "{wrong:?}"
    );
    let out = String::from_utf8(import(&authy_args, "authy backup password").stdout).unwrap();
    assert!(
        out.contains("skipped: token 4 (\"Gitlab: other\"): its encryptedSecret does not open"),
        "{out}"
    );
    assert!(out.ends_with("3 added, 1 skipped\n"), "{out}");
    let code = expected_code(
        "authy",
        "com.authy.storage.tokens.authenticator.xml",
        "GitHub",
        "octocat",
    );
    let shown = token.ok(&["code", "octocat", "--at", "1700000000"]);
    assert!(shown.contains(&code), "{shown} should show {code}");

    let stratum = formats.join("stratum/backup_1_12.authpro");
    let stratum = stratum.to_str().unwrap();
    let unnamed = import(
        &["import", stratum, "--password", "-"],
        "stratum sample password",
    );
    assert_eq!(unnamed.status.code(), Some(1), "{unnamed:?}");
    let named = import(
        &["import", stratum, "--format", "stratum", "--password", "-"],
        "stratum sample password",
    );
    let out = String::from_utf8(named.stdout).unwrap();
    assert!(out.ends_with("3 added, 1 skipped\n"), "{out}");
    let code = expected_code("stratum", "backup_1_12.authpro", "Kagi", "grace");
    let shown = token.ok(&["code", "grace", "--at", "1700000000"]);
    assert!(shown.contains(&code), "{shown} should show {code}");
}

fn interop_file(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/interop/aegis")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// Every file of the token's folder with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap_or_default();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// EXPECTED.md: both encrypted samples use the password `test`; the Aegis one holds V1 to V7
/// and the 2FAS one V1, V4, V5, V6, V7 (so five of them are already on the token the second
/// time). V1's code must equal `calc totp` of its secret.
#[test]
fn encrypted_exports_import_with_a_password_from_standard_input_or_the_environment() {
    let token = Token::new("import-encrypted");
    token.add_identityguard(&[]);
    let aegis = interop_file("aegis_encrypted.json");
    let twofas = interop_file("2fas_authenticator_encrypted_v4.2fas");
    let before = snapshot(&token.home);

    // No password, no terminal, no variable: the refusal says how to give one.
    let err = refused(&token.run(&["import", &aegis]));
    assert_eq!(
        err,
        "tessera: a password is needed: there is no terminal to ask on, so give `--password -` and the password on standard input, or set TESSERA_IMPORT_PASSWORD\n"
    );
    // A wrong password: refused, and the token's files are byte for byte the same.
    let err = refused(&token.run_input(&["import", &aegis, "--password", "-"], "wrong\n"));
    assert_eq!(
        err,
        "tessera: the password is wrong, or the file is damaged (header.slots does not open with it)\n"
    );
    let mut command = token.command(&["import", &twofas]);
    let output = command
        .env("TESSERA_IMPORT_PASSWORD", "wrong")
        .output()
        .unwrap();
    let err = refused(&output);
    assert!(err.starts_with("tessera: the password is wrong"), "{err}");
    assert_eq!(snapshot(&token.home), before);

    let output = token.run_input(&["import", &aegis, "--password", "-"], "test\n");
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.ends_with("7 added, 0 skipped\n"), "{out}");
    let expected = common::tessera()
        .args(["calc", "totp", "--secret", "4SJHB4GSD43FZBAI7C2HLRJGPQ"])
        .args(["--at", "1700000000"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        token
            .ok(&["code", "Mason", "--at", "1700000000"])
            .into_bytes(),
        expected
    );

    let mut command = token.command(&["import", &twofas]);
    let output = command
        .env("TESSERA_IMPORT_PASSWORD", "test")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.ends_with("0 added, 5 skipped\n"), "{out}");
}

/// The password asked on a terminal (a pseudo-terminal from `script`) when none is given.
/// Whether the terminal echoes is rpassword's concern and not checked here: an answer typed
/// right after the prompt may arrive before echo is turned off.
#[test]
fn the_password_is_asked_on_a_terminal() {
    let token = Token::new("import-prompt");
    token.add_identityguard(&[]);
    let twofas = interop_file("2fas_authenticator_encrypted_v4.2fas");
    let line = format!(
        "{} --home {} import {}",
        env!("CARGO_BIN_EXE_tessera"),
        token.home.display(),
        twofas
    );
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("TESSERA_PIN")
        .env_remove("TESSERA_IMPORT_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (bsdutils) runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Answer each prompt once it is shown: the password first, then the token's PIN.
    let mut screen = String::new();
    let mut buffer = [0u8; 1024];
    for (prompt, answer) in [
        ("Password of an encrypted 2FAS backup: ", "test\n"),
        ("PIN: ", &format!("{PIN}\n")[..]),
    ] {
        while !screen.contains(prompt) {
            let read = std::io::Read::read(&mut stdout, &mut buffer).unwrap();
            assert!(read > 0, "the prompt {prompt:?} never came: {screen:?}");
            screen.push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
        std::io::Write::write_all(&mut stdin, answer.as_bytes()).unwrap();
    }
    std::io::Read::read_to_string(&mut stdout, &mut screen).unwrap();
    assert!(child.wait().unwrap().success(), "{screen}");
    assert!(screen.contains("5 added, 0 skipped"), "{screen}");
}

#[test]
fn authy_files_and_link_warnings_import() {
    let token = Token::new("import-authy");
    token.add_identityguard(&[]);
    let out = token.ok(&["import", &interop_file("authy_plain.xml")]);
    assert!(out.ends_with("3 added, 0 skipped\n"), "{out}");
    let list = token.home.join("links.txt");
    std::fs::write(
        &list,
        "otpauth://totp/Deno:Ada?secret=JBSWY3DPEHPK3PXP&issuer=Deno\n",
    )
    .unwrap();
    let out = token.ok(&["import", list.to_str().unwrap()]);
    assert_eq!(
        out,
        "added: Ada\n\
         warning: line 1 (\"Deno:Ada\"): the secret is only 80 bits long; 128 or more are \
         recommended, so codes for this account are easier to guess than they should be\n\
         1 added, 0 skipped\n"
    );
}

/// ../tests/interop/google-migration/EXPECTED.md: 43 accounts over 16 links, with 35 distinct
/// secrets (lines 1 to 5 share one, lines 12 and 13 repeat lines 7 and 11); line 14's first
/// account (ACME:one@example.com) has secret IAGLPK22QIFXMRGJOI5KOP4AVK4KZMA5, TOTP SHA1 6 30 s.
#[test]
fn google_export_links_import_and_add_points_to_import() {
    let token = Token::new("google");
    token.add_identityguard(&[]);
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/interop/google-migration/uris.txt");
    let file = file.to_str().unwrap();
    let out = token.ok(&["import", file, "--format", "google"]);
    assert!(out.ends_with("35 added, 8 skipped\n"), "{out}");
    assert!(out.contains("added: one@example.com\n"), "{out}");
    let expected = common::tessera()
        .args([
            "calc",
            "totp",
            "--secret",
            "IAGLPK22QIFXMRGJOI5KOP4AVK4KZMA5",
        ])
        .args(["--at", "1700000000"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        token
            .ok(&["code", "one@example.com", "--at", "1700000000"])
            .into_bytes(),
        expected
    );

    let lines: Vec<String> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // The token's own Google export, as QR images: the first one given to `add --qr`.
    let png = token.home.join("google.png");
    token.ok(&[
        "export",
        "--format",
        "google",
        "--qr",
        "--out",
        png.to_str().unwrap(),
    ]);
    let first_png = token.home.join("google-1.png");
    for args in [
        vec!["add", "--uri"],
        vec!["decode"],
        vec!["add", "--qr", first_png.to_str().unwrap()],
    ] {
        let command = args.join(" ");
        let err = refused(&token.run_env(&args, &[("TESSERA_URI", lines[6].as_str())]));
        assert!(
            err.contains("Google Authenticator export link") && err.contains("tessera import FILE"),
            "{command}: {err}"
        );
    }

    let partial = token.home.join("two-of-three.txt");
    std::fs::write(&partial, format!("{}\n{}\n", lines[13], lines[15])).unwrap();
    let fresh = Token::new("google-partial");
    fresh.add_identityguard(&[]);
    let out = fresh.ok(&["import", partial.to_str().unwrap()]);
    assert!(
        out.contains("skipped: the Google Authenticator export of 3 QR codes (lines 1 and 2): QR code 2 of 3 is missing"),
        "{out}"
    );
    assert!(out.ends_with("12 added, 1 skipped\n"), "{out}");
}

/// The text of the one QR code in a PNG file, as rqrr (an independent decoder) reads it.
fn read_qr(path: &Path) -> String {
    let image = image::open(path).unwrap().to_luma8();
    let (width, height) = image.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "{}", path.display());
    grids[0].decode().unwrap().1
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The RFC 6238 SHA1 seed as a TOTP link (8 digits): at 59 the RFC says 94287082.
const RFC_LINK: &str =
    "otpauth://totp/RFC:sha1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=RFC&digits=8";

#[test]
fn export_writes_links_and_qr_images_that_import_back() {
    let token = Token::new("export");
    token.add_identityguard(&[]);
    token.ok(&["add", "--uri", RFC_LINK]);
    token.ok(&[
        "add",
        "--uri",
        "otpauth://steam/Steam:gaben?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Steam",
    ]);

    // Without --out: the links on stdout, the report on stderr.
    let output = token.run(&["export", "--format", "otpauth"]);
    assert!(output.status.success());
    let links = String::from_utf8(output.stdout).unwrap();
    assert_eq!(links.lines().count(), 2, "{links}");
    assert!(links.starts_with("otpauth://totp/RFC:sha1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"));
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(
        report.contains("skipped: ") && report.contains("IdentityGuard identity"),
        "{report}"
    );
    assert!(report.ends_with("2 exported, 1 skipped\n"), "{report}");

    // A wrong PIN exports nothing.
    let wrong = token.run_with(&["export", "--format", "otpauth"], Some("000000"), None);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(wrong.stdout.is_empty());

    // --out: an owner-only file, never replaced without --force.
    let out = token.home.join("links.txt");
    let out_text = out.to_str().unwrap();
    let report = token.ok(&["export", "--format", "otpauth", "--out", out_text]);
    assert!(report.ends_with("2 exported, 1 skipped\n"), "{report}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), links);
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    let err = refused(&token.run(&["export", "--format", "google", "--out", out_text]));
    assert_eq!(
        err,
        format!(
            "tessera: {out_text} already exists; nothing was written (pass --force to replace it)\n"
        )
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), links);
    token.ok(&["export", "--format", "google", "--out", out_text, "--force"]);
    let google = std::fs::read_to_string(&out).unwrap();
    assert!(
        google.starts_with("otpauth-migration://offline?data="),
        "{google}"
    );

    // --qr: one image per link, numbered when there are several, each scanning to its link.
    let png = token.home.join("codes.png");
    let png_text = png.to_str().unwrap();
    let report = token.ok(&["export", "--format", "otpauth", "--qr", "--out", png_text]);
    let first = token.home.join("codes-1.png");
    let second = token.home.join("codes-2.png");
    assert!(
        report.contains(&format!("wrote: {}\n", second.display())),
        "{report}"
    );
    let scanned: Vec<String> = [&first, &second].iter().map(|p| read_qr(p)).collect();
    assert_eq!(scanned, links.lines().collect::<Vec<_>>());
    #[cfg(unix)]
    assert_eq!(mode(&second), 0o600);
    let err = refused(&token.run(&["export", "--format", "otpauth", "--qr", "--out", png_text]));
    assert!(
        err.contains("codes-1.png already exists; nothing was written"),
        "{err}"
    );
    token.ok(&["export", "--format", "google", "--qr", "--out", png_text]);
    // The same accounts as the file's link, under another random batch_id.
    let scanned = decode_migration_link(&read_qr(&png)).unwrap();
    let written = decode_migration_link(google.trim_end()).unwrap();
    assert_eq!(scanned.accounts, written.accounts);
    assert_eq!(scanned.accounts.len(), 1);

    // What the QR code holds imports into a fresh token with the same code.
    let fresh = Token::new("export-fresh");
    fresh.add_identityguard(&[]);
    let scanned_file = fresh.home.join("scanned.txt");
    std::fs::write(&scanned_file, read_qr(&png)).unwrap();
    let out = fresh.ok(&["import", scanned_file.to_str().unwrap()]);
    assert!(out.ends_with("1 added, 0 skipped\n"), "{out}");
    assert_eq!(fresh.ok(&["code", "sha1", "--at", "59"]), "94287082\n");
    assert_eq!(token.ok(&["code", "sha1", "--at", "59"]), "94287082\n");

    // --qr needs --out; Google cannot take a token with only skipped identities.
    let usage = token.run(&["export", "--format", "google", "--qr"]);
    assert_eq!(usage.status.code(), Some(2));
    let only_ig = Token::new("export-ig");
    only_ig.add_identityguard(&[]);
    let err = refused(&only_ig.run(&["export", "--format", "google"]));
    assert!(
        err.starts_with("tessera: nothing to export in this format: IdentityGuard 48244-13456: it is an IdentityGuard identity"),
        "{err}"
    );
}

/// ../tests/formats/duo/EXPECTED.md and ../tests/formats/totp-authenticator/EXPECTED.md: the
/// Duo file has 2 passcode accounts and 1 Duo Push account (skipped with its reason); the TOTP
/// Authenticator backup opens with "correct horse" (given on standard input) and has 3 entries
/// and 1 skipped (base 8).
#[test]
fn files_from_phone_apps_import_with_their_skips_explained() {
    let token = Token::new("phone-apps");
    token.add_identityguard(&[]);
    let formats = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/formats");
    let duo = formats.join("duo/accounts.json");
    let out = token.ok(&["import", duo.to_str().unwrap(), "--format", "duo"]);
    assert!(out.contains("added: Acme VPN\n"), "{out}");
    assert!(out.contains("Push Only Co"), "{out}");
    assert!(out.contains("Duo Push"), "{out}");
    assert!(out.ends_with("2 added, 1 skipped\n"), "{out}");
    let backup = formats.join("totp-authenticator/backup.txt");
    let output = token.run_input(
        &["import", backup.to_str().unwrap(), "--password", "-"],
        "correct horse\n",
    );
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.contains("added: mason@example.org\n"), "{out}");
    assert!(out.contains("base 8"), "{out}");
    assert!(out.ends_with("3 added, 1 skipped\n"), "{out}");
}

/// ../tests/formats/pskc/EXPECTED.md: RFC 6030 figure 7 holds one HOTP key (serial 987654321,
/// 8 digits, counter 0, the secret "12345678901234567890") under the password "qwerty"; figure 6
/// the same key under the pre-shared key 12345678901234567890123456789012 (hex).
#[test]
fn pskc_files_import_with_a_password_or_a_pre_shared_key() {
    let token = Token::new("import-pskc");
    token.add_identityguard(&[]);
    let figure = |n: u8| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../tests/formats/pskc/rfc6030-figure{n}.xml"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let err = refused(&token.run_input(&["import", &figure(7), "--password", "-"], "qwertz\n"));
    assert_eq!(
        err,
        "tessera: the password is wrong, or the file is damaged (MACMethod.MACKey does not open with it)\n"
    );
    let output = token.run_input(
        &["import", &figure(7), "--format", "pskc", "--password", "-"],
        "qwerty\n",
    );
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(out, "added: 987654321\n1 added, 0 skipped\n");
    let output = token.run_input(
        &["import", &figure(6), "--password", "-"],
        "12345678901234567890123456789012\n",
    );
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8(output.stdout).unwrap();
    // The same key again: the pre-shared key opened it, and it is a duplicate.
    assert_eq!(
        out,
        "skipped: \"Issuer: 987654321\": already on the token as \"987654321\"\n0 added, 1 skipped\n"
    );
}
