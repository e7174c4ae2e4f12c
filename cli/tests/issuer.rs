//! The `tessera issuer` contract through the real binary: create, complete, verify, challenge,
//! verify-response, unlock-code, the passphrase, exit statuses and messages, and that refusals
//! leave the store's files as they were. The token's side is computed independently from what
//! `create` prints (the core's token-side functions, `tessera decode`) and, once, by the real
//! desktop token (`tessera add --uri`, `code`, `challenge`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;
use tessera_core::SecretBytes;
use tessera_core::codes::{OcraInput, OcraSuite, ocra, totp};
use tessera_core::identityguard::{
    RegistrationCode, code_params, derive_secret, make_registration_code, open_activation_link,
};
use tessera_core::vault::derive_unlock_code;

const PASSPHRASE: &str = "correct horse battery staple";
const VARIABLE: &str = "TESSERA_ISSUER_PASSPHRASE";
/// A moment well inside a 30-second step.
const AT: u64 = 1_700_000_010;

/// A scratch folder holding an issuer store (and, for one test, a token).
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("tessera-cli-issuer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.join("store")
    }

    /// `tessera issuer --store <store> args`, no terminal, with `passphrase` in the variable.
    fn issuer_with(&self, args: &[&str], passphrase: Option<&str>) -> Output {
        let mut command = common::tessera();
        command
            .arg("issuer")
            .arg("--store")
            .arg(self.store())
            .args(args)
            .stdin(Stdio::null())
            .env_remove(VARIABLE);
        if let Some(passphrase) = passphrase {
            command.env(VARIABLE, passphrase);
        }
        command.output().expect("the binary runs")
    }

    fn issuer(&self, args: &[&str]) -> Output {
        self.issuer_with(args, Some(PASSPHRASE))
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.issuer(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs a command that must be refused (status 1, one line on stderr, nothing on stdout,
    /// no file changed) and returns the message without the `tessera: ` prefix.
    fn refused(&self, args: &[&str]) -> String {
        let before = snapshot(&self.store());
        let output = self.issuer(args);
        let message = refusal(&output);
        assert_eq!(
            snapshot(&self.store()),
            before,
            "{args:?} changed the store"
        );
        message
    }

    fn create(&self, extra: &[&str]) -> Value {
        let mut args = vec!["create", "--name", "alice"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).expect("create prints only JSON without a terminal")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn refusal(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
        .trim_end()
        .strip_prefix("tessera: ")
        .expect("prefixed message")
        .to_string()
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let entry = entry.unwrap();
            files.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

fn text<'a>(created: &'a Value, key: &str) -> &'a str {
    created[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {created}"))
}

/// The token's side, computed from the printed link and password only.
struct Token {
    serial: String,
    registration: RegistrationCode,
    secret: SecretBytes,
    digits: u8,
}

impl Token {
    fn activate(created: &Value) -> Self {
        let link = open_activation_link(text(created, "link"), text(created, "password")).unwrap();
        let registration = make_registration_code(&link.serial).unwrap();
        let secret = derive_secret(
            &link.serial,
            &link.activation,
            &registration,
            link.policy.as_deref(),
        );
        Self {
            serial: link.serial.to_string(),
            registration,
            secret,
            digits: created["digits"].as_u64().unwrap() as u8,
        }
    }

    fn code_at(&self, at: u64) -> String {
        totp(&self.secret, &code_params(self.digits).unwrap(), at).unwrap()
    }

    fn respond(&self, suite: &str, question: &str) -> String {
        let suite: OcraSuite = suite.parse().unwrap();
        let input = OcraInput {
            question: question.into(),
            ..OcraInput::default()
        };
        ocra(&suite, &self.secret, &input).unwrap()
    }
}

/// Creates and completes an identity; returns its token.
fn registered(scratch: &Scratch, extra: &[&str]) -> Token {
    let token = Token::activate(&scratch.create(extra));
    scratch.ok(&["complete", &token.serial, &token.registration.to_string()]);
    token
}

#[test]
fn create_prints_the_activation_data_as_json_and_decode_opens_the_link() {
    let scratch = Scratch::new("create");
    let created = scratch.create(&[
        "--digits",
        "8",
        "--ocra",
        "OCRA-1:HOTP-SHA1-6:QN08",
        "--address",
        "tessera.example/igst",
        "--policy",
        r#"{"allowUnsecured":"false"}"#,
    ]);
    let serial = text(&created, "serial");
    let activation = text(&created, "activation_code");
    let password = text(&created, "password");
    assert!(
        serial.len() == 11 && serial.as_bytes()[5] == b'-',
        "{serial}"
    );
    assert_eq!(activation.len(), 19, "{activation}");
    // 16 characters of Crockford's base32 in four groups of four.
    let groups: Vec<&str> = password.split('-').collect();
    assert!(
        groups.len() == 4
            && groups.iter().all(|g| g.len() == 4
                && g.chars()
                    .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))),
        "{password}"
    );
    assert!(text(&created, "link").starts_with("igmobileotp://?action=secactivate&enc="));
    assert_eq!(created["name"], "alice");
    assert_eq!(created["digits"], 8);
    assert_eq!(created["ocra"], "OCRA-1:HOTP-SHA1-6:QN08");
    assert_eq!(created["address"], "tessera.example/igst");
    assert_eq!(created["policy"], r#"{"allowUnsecured":"false"}"#);

    // The token's view of the link, through the real binary.
    let decoded = common::tessera()
        .args(["decode", text(&created, "link"), "--password", password])
        .output()
        .unwrap();
    assert!(decoded.status.success());
    let decoded: Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(decoded["type"], "identityguard");
    assert_eq!(decoded["serial"], serial);
    assert_eq!(decoded["activation_code"], activation);
    assert_eq!(decoded["ocra"], "OCRA-1:HOTP-SHA1-6:QN08");
    assert_eq!(decoded["address"], "tessera.example/igst");
    assert_eq!(decoded["name"], "tessera.example");
    assert_eq!(decoded["policy"], r#"{"allowUnsecured":"false"}"#);

    // Without the options, only what was set is printed.
    let plain = scratch.create(&[]);
    assert_ne!(
        text(&plain, "password"),
        password,
        "a new password each time"
    );
    assert_eq!(plain["digits"], 6);
    assert!(plain.get("ocra").is_none() && plain.get("address").is_none());
    assert_ne!(plain["serial"], created["serial"]);
}

#[test]
fn link_password_digits8_makes_eight_digits_and_a_strong_password_opens_typed_loosely() {
    let scratch = Scratch::new("link-password");
    let created = scratch.create(&["--link-password", "digits8"]);
    let password = text(&created, "password");
    assert!(
        password.len() == 8 && password.bytes().all(|b| b.is_ascii_digit()),
        "{password}"
    );
    let token = Token::activate(&created);
    scratch.ok(&["complete", &token.serial, &token.registration.to_string()]);

    let strong = scratch.create(&["--link-password", "strong"]);
    let typed = text(&strong, "password").to_lowercase().replace('-', " ");
    let link = open_activation_link(text(&strong, "link"), &typed).unwrap();
    assert_eq!(link.serial.to_string(), text(&strong, "serial"));
}

#[test]
fn complete_then_verify_accepts_a_code_once() {
    let scratch = Scratch::new("verify");
    let created = scratch.create(&[]);
    let token = Token::activate(&created);
    let serial = token.serial.as_str();
    let code = token.code_at(AT);
    let at = AT.to_string();

    let message = scratch.refused(&["verify", serial, &code, "--at", &at]);
    assert!(message.contains("is not registered yet"), "{message}");

    assert_eq!(
        scratch.ok(&["complete", serial, &token.registration.to_string()]),
        "registered\n"
    );
    assert_eq!(
        scratch.ok(&["complete", serial, token.registration.as_digits()]),
        "already registered with this registration code\n"
    );
    assert_eq!(
        scratch.ok(&["verify", serial, &code, "--at", &at]),
        format!("accepted (step {}, drift 0 steps)\n", AT / 30)
    );
    assert_eq!(
        scratch.refused(&["verify", serial, &code, "--at", &at]),
        "code refused: already used"
    );
    let far = (AT + 600).to_string();
    assert_eq!(
        scratch.refused(&["verify", serial, &token.code_at(AT + 60), "--at", &far]),
        "code refused: not valid at this time"
    );
    assert_eq!(
        scratch.refused(&["verify", serial, "12345", "--at", &at]),
        "the code must have 6 digits, not 5"
    );
    // One step later, in the token's grouping.
    let next = token.code_at(AT + 30);
    let grouped = format!("{} {}", &next[..3], &next[3..]);
    scratch.ok(&["verify", serial, &grouped, "--at", &(AT + 30).to_string()]);
}

#[test]
fn registration_code_typos_are_refused_naming_the_registration_code() {
    let scratch = Scratch::new("complete");
    let token = Token::activate(&scratch.create(&[]));
    let mut typo = token.registration.as_digits().as_bytes().to_vec();
    typo[0] = if typo[0] == b'9' { b'0' } else { typo[0] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    assert_eq!(
        scratch.refused(&["complete", &token.serial, &typo]),
        "the registration code has a typo: its check digit does not match"
    );
    assert_eq!(
        scratch.refused(&["complete", &token.serial, "12211-49352"]),
        "the registration code does not belong to this serial number (check both for a typo)"
    );
    assert_eq!(
        scratch.refused(&["complete", "48244-13456", "12211-49352"]),
        "the registration code does not belong to this serial number (check both for a typo)"
    );
    assert_eq!(
        scratch.refused(&["complete", "48244-13457", token.registration.as_digits()]),
        "the serial number has a typo: its check digit does not match"
    );
    scratch.ok(&["complete", &token.serial, token.registration.as_digits()]);
    let other = loop {
        let code = make_registration_code(&token.serial.parse().unwrap()).unwrap();
        if code != token.registration {
            break code;
        }
    };
    let message = scratch.refused(&["complete", &token.serial, other.as_digits()]);
    assert!(
        message.contains("already registered with another registration code"),
        "{message}"
    );
}

#[test]
fn challenges_are_issued_and_answered_once() {
    let scratch = Scratch::new("ocra");
    let suite = "OCRA-1:HOTP-SHA256-8:QA10";
    let token = registered(&scratch, &["--ocra", suite]);
    let at = AT.to_string();
    let question = scratch.ok(&["challenge", &token.serial, "--at", &at]);
    let question = question.trim_end();
    assert_eq!(question.len(), 10);
    assert!(
        question
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    );
    let response = token.respond(suite, question);
    assert_eq!(
        scratch.refused(&[
            "verify-response",
            &token.serial,
            question,
            "00000000",
            "--at",
            &at
        ]),
        "response refused: it does not answer this challenge"
    );
    assert_eq!(
        scratch.ok(&[
            "verify-response",
            &token.serial,
            question,
            &response,
            "--at",
            &at
        ]),
        "accepted\n"
    );
    assert_eq!(
        scratch.refused(&[
            "verify-response",
            &token.serial,
            question,
            &response,
            "--at",
            &at
        ]),
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one"
    );
    let question = scratch.ok(&["challenge", &token.serial, "--at", &at]);
    let late = (AT + 301).to_string();
    let response = token.respond(suite, question.trim_end());
    assert_eq!(
        scratch.refused(&[
            "verify-response",
            &token.serial,
            question.trim_end(),
            &response,
            "--at",
            &late
        ]),
        "challenge refused: it has expired; issue a new one"
    );
    let plain = registered(&scratch, &[]);
    let message = scratch.refused(&["challenge", &plain.serial]);
    assert!(
        message.ends_with("does not answer challenges (it was created without an OCRA suite)"),
        "{message}"
    );
}

#[test]
fn unlock_code_answers_a_reset_code() {
    let scratch = Scratch::new("unlock");
    let token = registered(&scratch, &[]);
    let before = snapshot(&scratch.store());
    let printed = scratch.ok(&["unlock-code", &token.serial, "754-139-006"]);
    assert_eq!(snapshot(&scratch.store()), before);
    let expected = derive_unlock_code(&token.secret, "754139006").unwrap();
    assert_eq!(printed, format!("{}\n", expected.as_str()));
    assert_eq!(
        scratch.refused(&["unlock-code", &token.serial, "75413900"]),
        "the PIN reset code must have 9 digits (spaces and dashes are ignored)"
    );
}

#[test]
fn the_passphrase_comes_from_the_variable_and_is_checked() {
    let scratch = Scratch::new("passphrase");
    let output = scratch.issuer_with(&["create", "--name", "alice"], None);
    assert_eq!(
        refusal(&output),
        "an issuer passphrase is needed: there is no terminal to ask on, so set TESSERA_ISSUER_PASSPHRASE"
    );
    assert!(!scratch.store().exists());
    let output = scratch.issuer_with(&["create", "--name", "alice"], Some("too short"));
    assert_eq!(
        refusal(&output),
        "the issuer passphrase is too short: a new store needs at least 12 characters"
    );
    let created = scratch.create(&[]);
    let before = snapshot(&scratch.store());
    let output = scratch.issuer_with(
        &["verify", text(&created, "serial"), "123456"],
        Some("another passphrase"),
    );
    assert_eq!(refusal(&output), "the issuer passphrase is wrong");
    assert_eq!(snapshot(&scratch.store()), before);
}

#[test]
fn bad_creation_options_are_refused_and_usage_errors_are_status_2() {
    let scratch = Scratch::new("usage");
    scratch.create(&[]); // the store exists, so refusals can be compared byte for byte
    for (extra, message) in [
        (
            vec!["--digits", "7"],
            "an IdentityGuard security code has 6 or 8 digits, not 7",
        ),
        (
            vec!["--policy", "{not json"],
            "the policy is not valid JSON (line 1, column 2)",
        ),
        (
            vec!["--ocra", "OCRA-1:HOTP-SHA1-6:QX08"],
            "the OCRA suite's question part 'QX08' must be QA, QN or QH followed by a length from 04 to 64",
        ),
        (
            vec!["--ocra", "OCRA-1:HOTP-SHA256-8:QN08-PSHA1"],
            "the OCRA suite asks for a PIN (P), which the issuer never learns; use a suite without P",
        ),
        (
            vec!["--window", "11"],
            "the verification window must be 0 to 10 steps each way, not 11",
        ),
        (
            vec!["--address", "/igst"],
            "the address has no host name (expected e.g. myid.example.edu/igst)",
        ),
    ] {
        let mut args = vec!["create", "--name", "bob"];
        args.extend(extra);
        assert_eq!(scratch.refused(&args), message);
    }
    assert_eq!(
        scratch.refused(&["verify", "48244-13456", "123456"]),
        "there is no identity with serial number 48244-13456 in this store"
    );
    for args in [
        vec!["create"],
        vec!["create", "--name", "x", "--digits", "six"],
        vec!["verify", "48244-13456"],
        vec!["verify", "48244-13456", "123456", "--at", "soon"],
        vec!["frobnicate"],
    ] {
        let output = scratch.issuer(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let output = common::tessera()
        .args(["issuer", "create", "--name", "x"])
        .env(VARIABLE, PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "--store is required");
}

/// The desktop token itself adds the identity from the printed link, and the issuer accepts
/// what it shows: its registration code, its security code and its OCRA response.
#[test]
fn the_real_token_and_the_issuer_agree() {
    let scratch = Scratch::new("token");
    let suite = "OCRA-1:HOTP-SHA1-6:QN08";
    let created = scratch.create(&["--ocra", suite, "--address", "tessera.example/igst"]);
    let serial = text(&created, "serial");
    let home = scratch.dir.join("token");
    let token = |args: &[&str]| {
        let output = common::tessera()
            .arg("--home")
            .arg(&home)
            .args(args)
            .stdin(Stdio::null())
            .env_remove("TESSERA_HOME")
            .env("TESSERA_PIN", "482913")
            .env("TESSERA_NEW_PIN", "482913")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let added = token(&[
        "add",
        "--uri",
        text(&created, "link"),
        "--password",
        text(&created, "password"),
    ]);
    assert!(added.starts_with("added: tessera.example\n"), "{added}");
    let registration = added
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .expect("a registration code");
    scratch.ok(&["complete", serial, registration]);

    let at = AT.to_string();
    let code = token(&["code", "tessera.example", "--at", &at]);
    scratch.ok(&["verify", serial, code.trim_end(), "--at", &at]);

    let question = scratch.ok(&["challenge", serial]);
    let response = token(&["challenge", "tessera.example", question.trim_end()]);
    scratch.ok(&[
        "verify-response",
        serial,
        question.trim_end(),
        response.trim_end(),
    ]);
}
