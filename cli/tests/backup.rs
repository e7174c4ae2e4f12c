//! `tessera backup verify` through the real binary, on the golden backup of
//! core/tests/golden (its password and content are in backup-v1.json beside it), and
//! `tessera export --format tessera` then `tessera import` between two tokens, with the codes
//! compared against `tessera calc` of the original secrets.

mod common;

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
    let mut variables = vec![];
    if let Some(password) = password_variable {
        variables.push(("TESSERA_BACKUP_PASSWORD", password));
    }
    tessera_with(home, args, &variables)
}

/// Runs `tessera --home <home> args` with no terminal and exactly the given variables.
fn tessera_with(home: &Path, args: &[&str], variables: &[(&str, &str)]) -> Output {
    command(home, args, variables)
        .output()
        .expect("the binary runs")
}

/// `tessera --home <home> args` with no terminal and exactly the given variables, to run.
fn command(home: &Path, args: &[&str], variables: &[(&str, &str)]) -> Command {
    let mut command = common::tessera();
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null());
    for name in [
        "TESSERA_BACKUP_PASSWORD",
        "TESSERA_IMPORT_PASSWORD",
        "TESSERA_PIN",
        "TESSERA_NEW_PIN",
        "TESSERA_HOME",
    ] {
        command.env_remove(name);
    }
    for (name, value) in variables {
        command.env(name, value);
    }
    command
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
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
    let by_standard_input = common::with_input(
        &mut command(
            home.path(),
            &["backup", "verify", file_arg, "--password", "-"],
            &[],
        ),
        &format!("{}\n", golden_password()),
    );
    let by_variable = tessera(
        home.path(),
        &["backup", "verify", file_arg],
        Some(&golden_password()),
    );
    for output in [&by_standard_input, &by_variable] {
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
        &["backup", "verify", file_arg],
        Some("not the password"),
    ));
    assert_eq!(
        wrong,
        "tessera: the password does not open this backup (or the backup was deliberately altered)\n"
    );
    let missing = refused(&tessera(home.path(), &["backup", "verify", file_arg], None));
    assert_eq!(
        missing,
        "tessera: a backup password is needed: there is no terminal to ask on, so give `--password -` and the backup password on standard input, or set TESSERA_BACKUP_PASSWORD\n"
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

const PIN: &str = "482913";
const BACKUP_PASSWORD: &str = "maple orbit velvet canyon";
const TOTP_SECRET: &str = "4SJHB4GSD43FZBAI7C2HLRJGPQ";
const HOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A token with a TOTP identity, a HOTP identity used twice, and an IdentityGuard identity.
fn source_token(home: &Path) {
    let pins = [("TESSERA_PIN", PIN), ("TESSERA_NEW_PIN", PIN)];
    ok(tessera_with(
        home,
        &[
            "add",
            "--uri",
            &format!("otpauth://totp/Deno:Mason?secret={TOTP_SECRET}&issuer=Deno"),
        ],
        &pins,
    ));
    ok(tessera_with(
        home,
        &[
            "add",
            "--uri",
            &format!(
                "otpauth://hotp/Example:counter?secret={HOTP_SECRET}&issuer=Example&counter=0"
            ),
        ],
        &pins,
    ));
    for _ in 0..2 {
        ok(tessera_with(home, &["code", "counter"], &pins));
    }
    ok(tessera_with(
        home,
        &[
            "add",
            "--serial",
            "48244-13456",
            "--activation",
            "1745-7712-6942-8698",
            "--name",
            "Work",
        ],
        &pins,
    ));
}

#[test]
fn export_writes_a_private_backup_that_verify_lists() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    source_token(&home);
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    let out = ok(tessera_with(
        &home,
        &["export", "--format", "tessera", "--out", file_arg],
        &[
            ("TESSERA_PIN", PIN),
            ("TESSERA_BACKUP_PASSWORD", BACKUP_PASSWORD),
        ],
    ));
    assert_eq!(
        out,
        format!(
            "backed up: Deno: Mason\nbacked up: Example: counter\nbacked up: Work\n3 identities written to {file_arg}; it opens with the backup password alone, on any device: keep both safe\n"
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..8], b"TSRBACKP");
    // The default cost: 64 MiB, 3 passes, 1 lane.
    assert_eq!(&bytes[11..23], &[0, 0, 1, 0, 3, 0, 0, 0, 1, 0, 0, 0]);
    let listed = ok(tessera(
        &home,
        &["backup", "verify", file_arg],
        Some(BACKUP_PASSWORD),
    ));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Mason\ttotp\tDeno",
            "counter\thotp\tExample",
            "Work\tidentityguard\t"
        ]
    );
    assert!(lines[3].starts_with(&format!(
        "{file_arg} opens with this password: 3 identities"
    )));
}

#[test]
fn export_refuses_with_the_reason_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    source_token(&home);
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    let env = [
        ("TESSERA_PIN", PIN),
        ("TESSERA_BACKUP_PASSWORD", BACKUP_PASSWORD),
    ];
    for (args, variables, message) in [
        (
            vec!["export", "--format", "tessera"],
            &env[..],
            "tessera: --format tessera needs --out FILE: a backup is a binary file, not text for the terminal\n".to_string(),
        ),
        (
            vec!["export", "--format", "tessera", "--out", file_arg],
            &[env[0], ("TESSERA_BACKUP_PASSWORD", "short words")][..],
            "tessera: the backup password is too short: 11 characters, at least 12 are needed for a file that can be attacked offline\n".to_string(),
        ),
        (
            vec!["export", "--format", "tessera", "--out", file_arg],
            &env[..1],
            "tessera: a backup password is needed: there is no terminal to ask on, so give `--password -` and the backup password on standard input, or set TESSERA_BACKUP_PASSWORD\n".to_string(),
        ),
        (
            vec!["export", "--format", "tessera", "--out", file_arg],
            &[("TESSERA_PIN", "000000"), env[1]][..],
            "tessera: wrong PIN, 4 tries left before the token locks\n".to_string(),
        ),
        (
            vec!["export", "--format", "tessera", "--out", file_arg, "--qr"],
            &env[..],
            "tessera: --qr does not apply to --format tessera: a backup is one encrypted file\n".to_string(),
        ),
        (
            vec!["export", "--format", "otpauth", "--password", BACKUP_PASSWORD],
            &env[..],
            "tessera: --password applies to --format tessera only: otpauth and Google exports are not encrypted\n".to_string(),
        ),
    ] {
        assert_eq!(refused(&tessera_with(&home, &args, variables)), message, "{args:?}");
        assert!(!file.exists(), "{args:?}");
    }
    std::fs::write(&file, b"keep me").unwrap();
    let exists = refused(&tessera_with(
        &home,
        &["export", "--format", "tessera", "--out", file_arg],
        &env,
    ));
    assert_eq!(
        exists,
        format!(
            "tessera: {file_arg} already exists; nothing was written (pass --force to replace it)\n"
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    ok(tessera_with(
        &home,
        &[
            "export", "--format", "tessera", "--out", file_arg, "--force",
        ],
        &env,
    ));
    assert_eq!(&std::fs::read(&file).unwrap()[..8], b"TSRBACKP");
}

const OTHER_PIN: &str = "739146";
const T: &str = "1700000000";

#[test]
fn a_backup_imports_into_another_token_with_the_same_codes() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    source_token(&source);
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    ok(tessera_with(
        &source,
        &["export", "--format", "tessera", "--out", file_arg],
        &[
            ("TESSERA_PIN", PIN),
            ("TESSERA_BACKUP_PASSWORD", BACKUP_PASSWORD),
        ],
    ));

    let target = dir.path().join("target");
    let pins = [("TESSERA_PIN", OTHER_PIN), ("TESSERA_NEW_PIN", OTHER_PIN)];
    ok(tessera_with(
        &target,
        &["add", "--uri", "otpauth://totp/own?secret=JBSWY3DPEHPK3PXP"],
        &pins,
    ));
    let vault = target.join("vault.bin");
    let before = std::fs::read(&vault).unwrap();

    // A wrong password, and a damaged copy: refused, the target's vault unchanged.
    let wrong = refused(&common::with_input(
        &mut command(&target, &["import", file_arg, "--password", "-"], &pins),
        "maple orbit velvet canyons\n",
    ));
    assert_eq!(
        wrong,
        "tessera: the password does not open this backup (or the backup was deliberately altered)\n"
    );
    let mut damaged = std::fs::read(&file).unwrap();
    let last = damaged.len() - 40;
    damaged[last] ^= 1;
    let damaged_path = dir.path().join("damaged.tessera");
    std::fs::write(&damaged_path, &damaged).unwrap();
    assert_eq!(
        refused(&tessera_with(
            &target,
            &["import", damaged_path.to_str().unwrap()],
            &[pins[0], ("TESSERA_IMPORT_PASSWORD", BACKUP_PASSWORD)],
        )),
        "tessera: the backup is damaged: its checksum does not match its content\n"
    );
    assert_eq!(std::fs::read(&vault).unwrap(), before);

    // Recognised by its content; the password from standard input.
    let out = ok(common::with_input(
        &mut command(&target, &["import", file_arg, "--password", "-"], &pins),
        &format!("{BACKUP_PASSWORD}\n"),
    ));
    assert_eq!(
        out,
        "added: Mason\nadded: counter\nadded: Work\n3 added, 0 skipped\n"
    );

    // Same codes as the source token, and as the stateless calculator on the original secret.
    let code = |home: &Path, pin: &str, name: &str| {
        ok(tessera_with(
            home,
            &["code", name, "--at", T],
            &[("TESSERA_PIN", pin)],
        ))
    };
    let expected_totp = ok(tessera_with(
        &target,
        &["calc", "totp", "--secret", TOTP_SECRET, "--at", T],
        &[],
    ));
    assert_eq!(code(&target, OTHER_PIN, "Mason"), expected_totp);
    assert_eq!(code(&source, PIN, "Mason"), expected_totp);
    assert_eq!(code(&target, OTHER_PIN, "Work"), code(&source, PIN, "Work"));
    // The HOTP counter came along: the source had used counters 0 and 1.
    let expected_hotp = ok(tessera_with(
        &target,
        &["calc", "hotp", "--secret", HOTP_SECRET, "--counter", "2"],
        &[],
    ));
    assert_eq!(code(&target, OTHER_PIN, "counter"), expected_hotp);

    // A second import finds everything there; the password from the environment this time.
    let again = ok(tessera_with(
        &target,
        &["import", file_arg],
        &[
            ("TESSERA_PIN", OTHER_PIN),
            ("TESSERA_IMPORT_PASSWORD", BACKUP_PASSWORD),
        ],
    ));
    assert_eq!(
        again,
        "skipped: \"Deno: Mason\": already on the token as \"Mason\"\n\
         skipped: \"Example: counter\": already on the token as \"counter\"\n\
         skipped: \"Work\": already on the token as \"Work\"\n\
         0 added, 3 skipped\n"
    );
}

/// A person who lost their computer: the backup made by `export --format tessera` is imported
/// into a folder with no token, which creates the token with a new PIN; its codes are those of
/// the source token and of the stateless calculator on the original secrets.
#[test]
fn a_backup_restores_into_an_empty_folder_as_a_new_token() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    source_token(&source);
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    ok(tessera_with(
        &source,
        &["export", "--format", "tessera", "--out", file_arg],
        &[
            ("TESSERA_PIN", PIN),
            ("TESSERA_BACKUP_PASSWORD", BACKUP_PASSWORD),
        ],
    ));

    let target = dir.path().join("new-computer");
    let out = ok(tessera_with(
        &target,
        &["import", file_arg],
        &[
            ("TESSERA_NEW_PIN", OTHER_PIN),
            ("TESSERA_IMPORT_PASSWORD", BACKUP_PASSWORD),
        ],
    ));
    let (listing, key_line) = out.split_once("3 added, 0 skipped\n").expect(&out);
    assert_eq!(listing, "added: Mason\nadded: counter\nadded: Work\n");
    assert!(
        key_line.starts_with("recovery key (write it down now; it opens the token if the PIN is lost, and is not shown again): "),
        "{out}"
    );

    let code = |home: &Path, pin: &str, name: &str| {
        ok(tessera_with(
            home,
            &["code", name, "--at", T],
            &[("TESSERA_PIN", pin)],
        ))
    };
    let expected_totp = ok(tessera_with(
        &target,
        &["calc", "totp", "--secret", TOTP_SECRET, "--at", T],
        &[],
    ));
    assert_eq!(code(&target, OTHER_PIN, "Mason"), expected_totp);
    assert_eq!(code(&target, OTHER_PIN, "Work"), code(&source, PIN, "Work"));
    let expected_hotp = ok(tessera_with(
        &target,
        &["calc", "hotp", "--secret", HOTP_SECRET, "--counter", "2"],
        &[],
    ));
    assert_eq!(code(&target, OTHER_PIN, "counter"), expected_hotp);
}
