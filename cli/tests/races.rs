//! Many `tessera` processes on one store or one token at once, as a login page or a person with
//! two terminals makes them: a code is accepted exactly once, no issued challenge is lost, no
//! record is damaged, and parallel wrong PINs never get more checks than the lockout allows.
//!
//! Stores and tokens are prepared through the core with the cheapest key derivation (the CLI
//! reads the parameters from the files), so the many processes each spend milliseconds on it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use tessera_core::SecretBytes;
use tessera_core::codes::{OcraInput, OcraSuite, ocra, totp};
use tessera_core::identityguard::{code_params, derive_secret, make_registration_code};
use tessera_core::issuer::{Issuer, IssuerOptions, MAX_PENDING_CHALLENGES, NewIdentity};
use tessera_core::vault::{KdfParams, VaultStore};

const PASSPHRASE: &str = "correct horse battery staple";
const PASSPHRASE_VARIABLE: &str = "TESSERA_ISSUER_PASSPHRASE";
/// A moment well inside a 30-second step.
const AT: u64 = 1_700_000_010;
const PROCESSES: usize = 8;
const ROUNDS: u64 = 20;
const OCRA_SUITE: &str = "OCRA-1:HOTP-SHA256-8:QA10";

/// A scratch folder, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("tessera-cli-races-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An identity in a store made with the cheapest key derivation, registered, with the token's
/// secret computed on the token's side.
struct Identity {
    store: PathBuf,
    serial: String,
    secret: SecretBytes,
}

impl Identity {
    fn new(store: PathBuf, ocra_suite: Option<&str>) -> Self {
        let options = IssuerOptions {
            kdf: KdfParams::MINIMUM,
            ..IssuerOptions::default()
        };
        let issuer = Issuer::open_with(&store, PASSPHRASE, &options).unwrap();
        let mut new = NewIdentity::new("alice");
        new.ocra = ocra_suite.map(|s| s.parse().unwrap());
        let created = issuer.create(&new).unwrap();
        let registration = make_registration_code(&created.serial).unwrap();
        issuer
            .complete(&created.serial.to_string(), &registration.to_string())
            .unwrap();
        let secret = derive_secret(
            &created.serial,
            &created.activation_code,
            &registration,
            None,
        );
        Self {
            store,
            serial: created.serial.to_string(),
            secret,
        }
    }

    fn code_at(&self, at: u64) -> String {
        totp(&self.secret, &code_params(6).unwrap(), at).unwrap()
    }

    fn respond(&self, question: &str) -> String {
        let suite: OcraSuite = OCRA_SUITE.parse().unwrap();
        let input = OcraInput {
            question: question.into(),
            ..OcraInput::default()
        };
        ocra(&suite, &self.secret, &input).unwrap()
    }

    /// Starts `tessera issuer --store <store> args` without waiting for it.
    fn spawn(&self, args: &[&str]) -> Child {
        common::tessera()
            .arg("issuer")
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env(PASSPHRASE_VARIABLE, PASSPHRASE)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs")
    }

    fn issuer(&self) -> Issuer {
        Issuer::open(&self.store, PASSPHRASE).unwrap()
    }
}

/// Starts every command before waiting for any, so they overlap.
fn all_at_once(children: Vec<Child>) -> Vec<Output> {
    children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_code_verified_by_many_processes_at_once_is_accepted_exactly_once() {
    let scratch = Scratch::new("verify");
    let identity = Identity::new(scratch.dir.join("store"), None);
    for round in 0..ROUNDS {
        let at = AT + 30 * round;
        let (code, at_text) = (identity.code_at(at), at.to_string());
        let outputs = all_at_once(
            (0..PROCESSES)
                .map(|_| identity.spawn(&["verify", &identity.serial, &code, "--at", &at_text]))
                .collect(),
        );
        let accepted = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(accepted, 1, "round {round}: {outputs:?}");
        for output in outputs.iter().filter(|o| !o.status.success()) {
            assert_eq!(output.status.code(), Some(1), "round {round}");
            assert_eq!(
                stderr(output),
                "tessera: code refused: already used\n",
                "round {round}"
            );
        }
    }
    let info = identity.issuer().info(&identity.serial).unwrap();
    assert_eq!(info.last_step, Some((AT + 30 * (ROUNDS - 1)) / 30));
    assert!(!info.read_from_copy);
}

#[test]
fn parallel_challenges_lose_no_update_and_leave_the_record_whole() {
    let scratch = Scratch::new("challenge");
    let identity = Identity::new(scratch.dir.join("store"), Some(OCRA_SUITE));
    let mut last_round = Vec::new();
    for round in 0..4u64 {
        let at = (AT + round).to_string();
        let outputs = all_at_once(
            (0..PROCESSES)
                .map(|_| identity.spawn(&["challenge", &identity.serial, "--at", &at]))
                .collect(),
        );
        last_round.clear();
        for output in &outputs {
            assert!(output.status.success(), "round {round}: {}", stderr(output));
            let question = String::from_utf8(output.stdout.clone()).unwrap();
            assert_eq!(question.trim_end().len(), 10, "{question}");
            last_round.push(question.trim_end().to_string());
        }
        // Every record still opens from its own file, and every challenge issued is pending
        // (up to the cap, which drops the oldest).
        let info = identity.issuer().info(&identity.serial).unwrap();
        assert!(!info.read_from_copy, "round {round}");
        let issued = PROCESSES * (round as usize + 1);
        assert_eq!(
            info.pending_challenges,
            issued.min(MAX_PENDING_CHALLENGES),
            "round {round}"
        );
    }
    // Each challenge of the last round is answerable once; codes still verify.
    let at = (AT + 4).to_string();
    for question in &last_round {
        let response = identity.respond(question);
        let output = identity
            .spawn(&[
                "verify-response",
                &identity.serial,
                question,
                &response,
                "--at",
                &at,
            ])
            .wait_with_output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let code = identity.code_at(AT);
    let output = identity
        .spawn(&["verify", &identity.serial, &code, "--at", &AT.to_string()])
        .wait_with_output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

// --- the desktop token ------------------------------------------------------------------------

const PIN: &str = "482913";
const WRONG_PIN: &str = "000000";
const RFC_LINK: &str =
    "otpauth://totp/RFC:sha1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=RFC&digits=8";

fn token_command(home: &Path, args: &[&str], pin: &str) -> Command {
    let mut command = common::tessera();
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TESSERA_HOME")
        .env("TESSERA_PIN", pin)
        .env("TESSERA_NEW_PIN", pin)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn parallel_wrong_pins_never_get_more_checks_than_the_lockout_allows() {
    let scratch = Scratch::new("pins");
    let home = scratch.dir.join("token");
    let created = token_command(&home, &["add", "--uri", RFC_LINK], PIN)
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", stderr(&created));
    let recovery_key = String::from_utf8(created.stdout)
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("recovery key")
                .and_then(|rest| rest.split_once("): "))
                .map(|(_, key)| key.to_string())
        })
        .expect("the recovery key line");
    for round in 0..3 {
        let outputs = all_at_once(
            (0..PROCESSES)
                .map(|_| token_command(&home, &["list"], WRONG_PIN).spawn().unwrap())
                .collect(),
        );
        let mut left = Vec::new();
        let mut locked = 0;
        for output in &outputs {
            assert_eq!(output.status.code(), Some(1), "round {round}");
            let message = stderr(output);
            if let Some(rest) = message.strip_prefix("tessera: wrong PIN, ") {
                let tries: u32 = rest.split(' ').next().unwrap().parse().unwrap();
                left.push(tries);
            } else {
                assert!(
                    message.contains("locked") && message.lines().count() == 1,
                    "round {round}: {message}"
                );
                locked += 1;
            }
        }
        left.sort_unstable();
        // 4, 3, 2, 1 tries left, once each; the fifth check locks; the rest are not checked.
        assert_eq!(left, [1, 2, 3, 4], "round {round}: {outputs:?}");
        assert_eq!(locked, PROCESSES - 4, "round {round}");
        let right = token_command(&home, &["list"], PIN).output().unwrap();
        assert!(stderr(&right).contains("locked"), "{}", stderr(&right));
        // Unlocked again with the recovery key, for the next round.
        let recovered = VaultStore::new(&home)
            .open_with_recovery_key(&recovery_key)
            .unwrap();
        drop(recovered.set_pin(PIN, None).unwrap());
    }
    let listed = token_command(&home, &["list"], PIN).output().unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
}
