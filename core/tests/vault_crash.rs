//! Crash safety with real processes: a child process saves in a tight loop and is killed with
//! SIGKILL (no destructors, no flushing) at arbitrary moments; the vault must then open with a
//! whole payload from some generation, never a mix, never nothing, and never older than the
//! last save the child saw return (acknowledged on its stdout). The fault-injected version,
//! which stops before each individual step, is in core/src/vault/tests.rs.
//!
//! The child is this same test binary, re-run with `--exact child_saves_in_a_loop --ignored`
//! and the vault folder in an environment variable.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tessera_core::vault::{KdfParams, VaultOptions, VaultStore};

const PIN: &str = "4739";
const CHILD_DIR_ENV: &str = "TESSERA_VAULT_CRASH_CHILD_DIR";
const REPEAT: usize = 4000; // ~70 KB per payload, so writes take real time

fn payload(generation: u64) -> Vec<u8> {
    format!("generation {generation:012};")
        .repeat(REPEAT)
        .into_bytes()
}

/// The generation a payload was written for; panics when it is not exactly one whole payload.
fn generation_of(bytes: &[u8]) -> u64 {
    let text = std::str::from_utf8(bytes).expect("payload is text");
    let first = text.split(';').next().expect("payload has a record");
    let generation: u64 = first
        .strip_prefix("generation ")
        .expect("record prefix")
        .parse()
        .expect("number");
    assert_eq!(
        bytes,
        payload(generation).as_slice(),
        "a torn or mixed payload"
    );
    generation
}

#[test]
#[ignore = "run as a child process by a_vault_killed_while_saving_opens_with_a_whole_generation"]
fn child_saves_in_a_loop() {
    let Ok(dir) = std::env::var(CHILD_DIR_ENV) else {
        return;
    };
    let mut vault = VaultStore::new(&dir)
        .open_with_pin(PIN, None)
        .expect("child opens the vault");
    let mut generation = generation_of(vault.payload());
    loop {
        generation += 1;
        vault.save(&payload(generation)).expect("child saves");
        // Acknowledged only once `save` returned: the parent holds the vault to at least this.
        println!("acknowledged {generation}");
    }
}

fn jitter(round: u64) -> Duration {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mixed = (u64::from(seed) ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0x2545_F491_4F6C_DD1D);
    Duration::from_millis(20 + mixed % 400)
}

fn wait_for_saves(dir: &Path, since: Instant) {
    // Give the child time to start and derive its key (Argon2 at 8 MiB), then kill at a
    // random moment while it saves.
    let vault = dir.join("vault.bin");
    let start = std::fs::metadata(&vault).and_then(|m| m.modified()).ok();
    while since.elapsed() < Duration::from_secs(20) {
        let now = std::fs::metadata(&vault).and_then(|m| m.modified()).ok();
        if now.is_some() && now != start {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_vault_killed_while_saving_opens_with_a_whole_generation() {
    let dir = tempfile::tempdir().unwrap();
    let options = VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    };
    let mut vault = VaultStore::new(dir.path())
        .create(PIN, &options, None, &payload(0))
        .unwrap();
    let key = vault.add_recovery_key().unwrap();
    drop(vault);

    let exe = std::env::current_exe().unwrap();
    let mut last = 0u64;
    let mut acknowledged_any = false;
    for round in 0..6u64 {
        let started = Instant::now();
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "child_saves_in_a_loop",
                "--ignored",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD_DIR_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Read the acknowledgements as they come, so the child never blocks on a full pipe.
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
            text
        });
        wait_for_saves(dir.path(), started);
        std::thread::sleep(jitter(round));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acknowledged = reader
            .join()
            .unwrap()
            .lines()
            .filter_map(|line| line.strip_prefix("acknowledged "))
            .filter_map(|n| n.parse::<u64>().ok())
            .max()
            .unwrap_or(0);

        // The recovery key needs no PIN try; then the PIN too (which also clears a failure the
        // child may have had on record when it was killed between counting and resetting).
        let store = VaultStore::new(dir.path());
        let recovered = store.open_with_recovery_key(key.as_str()).unwrap();
        let generation = generation_of(recovered.payload());
        assert!(
            generation >= last,
            "round {round}: went back from {last} to {generation}"
        );
        acknowledged_any |= acknowledged > 0;
        assert!(
            generation >= acknowledged,
            "round {round}: generation {acknowledged} was acknowledged, but {generation} opened"
        );
        let vault = store.open_with_pin(PIN, None).unwrap();
        assert_eq!(generation_of(vault.payload()), generation);
        last = generation;
    }
    assert!(
        last > 0 && acknowledged_any,
        "the child never completed a save; the test exercised nothing"
    );
}
