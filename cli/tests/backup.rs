//! `tessera backup verify` through the real binary, on the golden backup of
//! core/tests/golden (its password and content are in backup-v1.json beside it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/golden")
        .join(name)
}

fn golden_password() -> String {
    let text = std::fs::read_to_string(golden("backup-v1.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["password"].as_str().unwrap().to_string()
}

/// Runs `tessera --home <home> args` with no terminal and only the given password variable.
fn tessera(home: &Path, args: &[&str], password_variable: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null())
        .env_remove("TESSERA_BACKUP_PASSWORD")
        .env_remove("TESSERA_PIN")
        .env_remove("TESSERA_HOME");
    if let Some(password) = password_variable {
        command.env("TESSERA_BACKUP_PASSWORD", password);
    }
    command.output().expect("the binary runs")
}

fn refused(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stdout.is_empty());
    let err = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn verify_lists_names_kinds_and_issuers_and_touches_no_token() {
    let home = tempfile::tempdir().unwrap();
    let file = golden("backup-v1.bin");
    let file_arg = file.to_str().unwrap();
    let by_argument = tessera(
        home.path(),
        &[
            "backup",
            "verify",
            file_arg,
            "--password",
            &golden_password(),
        ],
        None,
    );
    let by_variable = tessera(
        home.path(),
        &["backup", "verify", file_arg],
        Some(&golden_password()),
    );
    for output in [&by_argument, &by_variable] {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let out = String::from_utf8(output.stdout.clone()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..5],
            [
                "alice@example.com\ttotp\tExample",
                "counter\thotp\tExample",
                "gaben\tsteam\tSteam",
                "bank challenges\tocra\t",
                "ig.example.com\tidentityguard\tIdentityGuard",
            ]
        );
        assert_eq!(
            lines[5],
            format!(
                "{file_arg} opens with this password: 5 identities, made at Unix time 1700000000 (key derivation: Argon2id, 8 MiB, 1 pass, 1 lane)"
            )
        );
        // No secret of the golden payload appears anywhere.
        for secret in [
            "3132333435363738393031323334353637383930",
            "f6c241d850caa70b3c92045048afa39ce051266a",
            "eeb18cde2a0da453d057fb03af624c4f",
        ] {
            assert!(!out.contains(secret));
        }
    }
    // Verifying never creates or opens a token.
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);
}

#[test]
fn verify_refuses_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    let file = golden("backup-v1.bin");
    let file_arg = file.to_str().unwrap();
    let wrong = refused(&tessera(
        home.path(),
        &[
            "backup",
            "verify",
            file_arg,
            "--password",
            "not the password",
        ],
        None,
    ));
    assert_eq!(
        wrong,
        "tessera: the password does not open this backup (or the backup was deliberately altered)\n"
    );
    let missing = refused(&tessera(home.path(), &["backup", "verify", file_arg], None));
    assert_eq!(
        missing,
        "tessera: a backup password is needed: there is no terminal to ask on, so set TESSERA_BACKUP_PASSWORD\n"
    );

    let mut damaged = std::fs::read(&file).unwrap();
    damaged[500] ^= 0x04;
    let damaged_path = home.path().join("damaged.tessera");
    std::fs::write(&damaged_path, &damaged).unwrap();
    // Damage is found before any password is asked for (none is given here).
    assert_eq!(
        refused(&tessera(
            home.path(),
            &["backup", "verify", damaged_path.to_str().unwrap()],
            None
        )),
        "tessera: the backup is damaged: its checksum does not match its content\n"
    );
    let cut = home.path().join("cut.tessera");
    std::fs::write(&cut, &damaged[..600]).unwrap();
    assert_eq!(
        refused(&tessera(
            home.path(),
            &["backup", "verify", cut.to_str().unwrap()],
            None
        )),
        format!(
            "tessera: the backup is truncated: it has 600 bytes where {} are needed (was it copied completely?)\n",
            damaged.len()
        )
    );
    let absent = home.path().join("absent.tessera");
    assert!(
        refused(&tessera(
            home.path(),
            &["backup", "verify", absent.to_str().unwrap()],
            None
        ))
        .starts_with(&format!("tessera: could not read {}: ", absent.display()))
    );
    let aegis = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/aegis");
    let some_export = std::fs::read_dir(&aegis)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    assert_eq!(
        refused(&tessera(
            home.path(),
            &["backup", "verify", some_export.to_str().unwrap()],
            None
        )),
        "tessera: the file is not a Tessera backup (it does not start with \"TSRBACKP\")\n"
    );
}
