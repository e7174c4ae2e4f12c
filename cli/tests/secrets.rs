//! Secrets given to the real binary. Every secret a command takes comes from standard input
//! (`-`) or from its variable, so no flow needs it in the arguments (on Linux the test also
//! reads what `ps` shows, /proc/PID/cmdline, while the process waits for its input). Without a
//! terminal and without a source the refusal names the flag and the variable. A recovery key or
//! password written in the arguments is refused; a link or an activation code is taken with a
//! warning. A PIN of only digits, set on this computer's token, warns once; a passphrase does
//! not.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tessera_core::identityguard::derive_secret;

const PIN: &str = "482913";
const PASSPHRASE: &str = "maple orbit velvet";
const SERIAL: &str = "48244-13456";
const ACTIVATION: &str = "1745-7712-6942-8698";
/// RFC 6238's SHA1 seed, 8 digits: at T = 59 the RFC gives 94287082.
const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const LINK: &str =
    "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=ACME";
const BACKUP_PASSWORD: &str = "correct horse battery staple";
const OCRA_SUITE: &str = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1";

/// Every variable that can give the binary a secret or a folder: each test sets its own.
const VARIABLES: [&str; 11] = [
    "TESSERA_HOME",
    "TESSERA_PIN",
    "TESSERA_NEW_PIN",
    "TESSERA_RECOVERY_KEY",
    "TESSERA_ACTIVATION_CODE",
    "TESSERA_URI",
    "TESSERA_LINK_PASSWORD",
    "TESSERA_OCRA_PIN",
    "TESSERA_BACKUP_PASSWORD",
    "TESSERA_IMPORT_PASSWORD",
    "TESSERA_ISSUER_PASSPHRASE",
];

/// `tessera --home <home> args` with no terminal and exactly `variables`, to run.
fn command(home: &Path, args: &[&str], variables: &[(&str, &str)]) -> Command {
    let mut command = common::tessera();
    command
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null());
    for name in VARIABLES {
        command.env_remove(name);
    }
    command.envs(variables.iter().copied());
    command
}

fn run(home: &Path, args: &[&str], variables: &[(&str, &str)]) -> Output {
    command(home, args, variables).output().unwrap()
}

/// Runs with `input` on standard input. While the process waits for it, what `ps` shows of
/// the process (its arguments) is read and must not hold `secret`.
fn run_unseen(
    home: &Path,
    args: &[&str],
    variables: &[(&str, &str)],
    input: &str,
    secret: &str,
) -> Output {
    assert!(!args.iter().any(|a| a.contains(secret)), "{args:?}");
    let mut child = command(home, args, variables)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    #[cfg(target_os = "linux")]
    {
        let shown = command_line(child.id());
        assert!(shown.starts_with(env!("CARGO_BIN_EXE_tessera").as_bytes()));
        assert!(!contains(&shown, secret.as_bytes()), "{args:?}");
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// What `ps` shows of process `pid`: its arguments, NUL-separated. The process cannot end
/// before its input is written; it is only read once the kernel has finished laying out the
/// new program (spawning returns a moment before that).
#[cfg(target_os = "linux")]
fn command_line(pid: u32) -> Vec<u8> {
    for _ in 0..500 {
        let shown = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
        if !shown.is_empty() {
            return shown;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("process {pid} shows no command line");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Status 1, nothing on stdout, one line on stderr: that line.
fn refused(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn vector_link() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/identityguard.json");
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    vectors["links"][0].clone()
}

/// A token in `home` holding the RFC seed as "alice", made with `pin`.
fn token_with_seed(home: &Path, pin: &str) -> Output {
    run(
        home,
        &["add", "--uri"],
        &[("TESSERA_URI", LINK), ("TESSERA_NEW_PIN", pin)],
    )
}

fn rfc_code(home: &Path) -> String {
    ok(run(
        home,
        &["code", "acme", "--at", "59"],
        &[("TESSERA_PIN", PIN)],
    ))
}

#[test]
fn a_link_comes_from_standard_input_or_tessera_uri() {
    let dir = tempfile::tempdir().unwrap();
    let by_input = dir.path().join("input");
    let out = ok(run_unseen(
        &by_input,
        &["add", "--uri", "-"],
        &[("TESSERA_NEW_PIN", PIN)],
        &format!("{LINK}\n"),
        SEED,
    ));
    assert!(out.starts_with("added: alice\n"), "{out}");
    assert_eq!(rfc_code(&by_input), "94287082\n");

    let by_variable = dir.path().join("variable");
    assert!(ok(token_with_seed(&by_variable, PIN)).starts_with("added: alice\n"));
    assert_eq!(rfc_code(&by_variable), "94287082\n");

    for output in [
        run_unseen(
            dir.path(),
            &["decode", "-"],
            &[],
            &format!("{LINK}\n"),
            SEED,
        ),
        run(dir.path(), &["decode"], &[("TESSERA_URI", LINK)]),
    ] {
        let json: serde_json::Value = serde_json::from_str(&ok(output)).unwrap();
        assert_eq!(json["account"], "alice");
        assert_eq!(json["secret_bits"], 160);
    }
}

#[test]
fn an_activation_code_comes_from_standard_input_or_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let by_input = dir.path().join("input");
    let by_variable = dir.path().join("variable");
    let outputs = [
        run_unseen(
            &by_input,
            &[
                "add",
                "--serial",
                SERIAL,
                "--activation",
                "-",
                "--name",
                "Work",
            ],
            &[("TESSERA_NEW_PIN", PIN)],
            &format!("{ACTIVATION}\n"),
            "7712",
        ),
        run(
            &by_variable,
            &["add", "--serial", SERIAL, "--name", "Work"],
            &[
                ("TESSERA_NEW_PIN", PIN),
                ("TESSERA_ACTIVATION_CODE", ACTIVATION),
            ],
        ),
    ];
    for (output, home) in outputs.into_iter().zip([&by_input, &by_variable]) {
        let out = ok(output);
        let registration = out
            .lines()
            .find_map(|l| l.strip_prefix("registration code: "))
            .expect("a registration code line");
        // The organisation's code for this activation and registration is the token's code.
        let expected = ok(common::tessera()
            .args(["calc", "identityguard", "--serial", SERIAL])
            .args(["--activation", ACTIVATION, "--registration", registration])
            .args(["--at", "1700000000"])
            .output()
            .unwrap());
        let code = ok(run(
            home,
            &["code", "work", "--at", "1700000000"],
            &[("TESSERA_PIN", PIN)],
        ));
        assert_eq!(code, expected);
    }
}

#[test]
fn a_link_password_comes_from_standard_input_or_its_variable() {
    let vector = vector_link();
    let uri = vector["uri"].as_str().unwrap();
    let password = vector["password"].as_str().unwrap();
    let name = vector["expected"]["name"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The link, then its password, each on its line.
    let out = ok(run_unseen(
        &dir.path().join("input"),
        &["add", "--uri", "-", "--password", "-"],
        &[("TESSERA_NEW_PIN", PIN)],
        &format!("{uri}\n{password}\n"),
        password,
    ));
    assert!(out.starts_with(&format!("added: {name}\n")), "{out}");
    let out = ok(run(
        &dir.path().join("variable"),
        &["add", "--uri"],
        &[
            ("TESSERA_NEW_PIN", PIN),
            ("TESSERA_URI", uri),
            ("TESSERA_LINK_PASSWORD", password),
        ],
    ));
    assert!(out.starts_with(&format!("added: {name}\n")), "{out}");

    for output in [
        run_unseen(
            dir.path(),
            &["decode", "-", "--password", "-"],
            &[],
            &format!("{uri}\n{password}\n"),
            password,
        ),
        run(
            dir.path(),
            &["decode"],
            &[("TESSERA_URI", uri), ("TESSERA_LINK_PASSWORD", password)],
        ),
    ] {
        let json: serde_json::Value = serde_json::from_str(&ok(output)).unwrap();
        assert_eq!(
            json["activation_code"].as_str().unwrap().replace('-', ""),
            vector["expected"]["activation"].as_str().unwrap()
        );
    }
}

#[test]
fn a_recovery_key_comes_from_standard_input_or_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    ok(token_with_seed(home, PIN));
    let out = ok(run(home, &["recovery-key"], &[("TESSERA_PIN", PIN)]));
    let key = out.lines().nth(1).expect("the key line").to_string();
    for _ in 0..5 {
        run(home, &["list"], &[("TESSERA_PIN", "000000")]);
    }
    let locked = refused(run(home, &["list"], &[("TESSERA_PIN", PIN)]));
    assert!(locked.contains("locked"), "{locked}");

    ok(run_unseen(
        home,
        &["unlock", "--recovery", "-"],
        &[("TESSERA_NEW_PIN", PASSPHRASE)],
        &format!("{key}\n"),
        &key,
    ));
    assert_eq!(
        ok(run(
            home,
            &["code", "acme", "--at", "59"],
            &[("TESSERA_PIN", PASSPHRASE)]
        )),
        "94287082\n"
    );
    ok(run(
        home,
        &["unlock", "--recovery"],
        &[("TESSERA_NEW_PIN", PIN), ("TESSERA_RECOVERY_KEY", &key)],
    ));
    assert_eq!(rfc_code(home), "94287082\n");
}

#[test]
fn backup_and_import_passwords_come_from_standard_input_or_their_variables() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    ok(token_with_seed(&source, PIN));
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    ok(run_unseen(
        &source,
        &[
            "export",
            "--format",
            "tessera",
            "--out",
            file_arg,
            "--password",
            "-",
        ],
        &[("TESSERA_PIN", PIN)],
        &format!("{BACKUP_PASSWORD}\n"),
        BACKUP_PASSWORD,
    ));
    let opens = format!("{file_arg} opens with this password: 1 identities");
    let out = ok(run_unseen(
        &source,
        &["backup", "verify", file_arg, "--password", "-"],
        &[],
        &format!("{BACKUP_PASSWORD}\n"),
        BACKUP_PASSWORD,
    ));
    assert!(out.contains(&opens), "{out}");
    let out = ok(run(
        &source,
        &["backup", "verify", file_arg],
        &[("TESSERA_BACKUP_PASSWORD", BACKUP_PASSWORD)],
    ));
    assert!(out.contains(&opens), "{out}");

    let by_input = dir.path().join("input");
    let out = ok(run_unseen(
        &by_input,
        &["import", file_arg, "--password", "-"],
        &[("TESSERA_NEW_PIN", PIN)],
        &format!("{BACKUP_PASSWORD}\n"),
        BACKUP_PASSWORD,
    ));
    assert!(
        out.starts_with("added: alice\n1 added, 0 skipped\n"),
        "{out}"
    );
    assert_eq!(rfc_code(&by_input), "94287082\n");
    let by_variable = dir.path().join("variable");
    ok(run(
        &by_variable,
        &["import", file_arg],
        &[
            ("TESSERA_NEW_PIN", PIN),
            ("TESSERA_IMPORT_PASSWORD", BACKUP_PASSWORD),
        ],
    ));
    assert_eq!(rfc_code(&by_variable), "94287082\n");
}

#[test]
fn an_ocra_pin_comes_from_standard_input_or_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let out = ok(run(
        home,
        &[
            "add", "--serial", SERIAL, "--ocra", OCRA_SUITE, "--name", "Bank",
        ],
        &[
            ("TESSERA_NEW_PIN", PIN),
            ("TESSERA_ACTIVATION_CODE", ACTIVATION),
        ],
    ));
    let registration = out
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .expect("a registration code line");
    let secret = derive_secret(
        &SERIAL.parse().unwrap(),
        &ACTIVATION.parse().unwrap(),
        &registration.parse().unwrap(),
        None,
    );
    let expected = ok(common::tessera()
        .args(["calc", "ocra", "--suite", OCRA_SUITE, "--secret"])
        .arg(format!("hex:{}", secret.to_hex().as_str()))
        .args(["--challenge", "12345678", "--pin", "8642"])
        .output()
        .unwrap());
    let challenge = ["challenge", "bank", "12345678", "--ocra-pin"];
    let by_input = ok(run_unseen(
        home,
        &[&challenge[..], &["-"]].concat(),
        &[("TESSERA_PIN", PIN)],
        "8642\n",
        "8642",
    ));
    assert_eq!(by_input, expected);
    let by_variable = ok(run(
        home,
        &challenge,
        &[("TESSERA_PIN", PIN), ("TESSERA_OCRA_PIN", "8642")],
    ));
    assert_eq!(by_variable, expected);
}

/// Arguments, variables, and the refusal expected.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);

#[test]
fn without_a_terminal_or_a_source_the_refusal_names_the_flag_and_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    ok(token_with_seed(&home, PIN));
    let vector = vector_link();
    let aegis = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/interop/aegis/aegis_encrypted.json");
    let backup =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden/backup-v1.bin");
    let pin = [("TESSERA_PIN", PIN)];
    let cases: [Case; 9] = [
        (
            vec!["unlock", "--recovery"],
            vec![("TESSERA_NEW_PIN", PIN)],
            "a recovery key is needed: there is no terminal to ask on, so give `--recovery -` and the recovery key on standard input, or set TESSERA_RECOVERY_KEY",
        ),
        (
            vec!["add", "--serial", SERIAL],
            pin.to_vec(),
            "an activation code is needed: there is no terminal to ask on, so give `--activation -` and the activation code on standard input, or set TESSERA_ACTIVATION_CODE",
        ),
        (
            vec!["add", "--uri"],
            pin.to_vec(),
            "a link is needed: there is no terminal to ask on, so give `--uri -` and the link on standard input, or set TESSERA_URI",
        ),
        (
            vec!["decode"],
            vec![],
            "a link is needed: there is no terminal to ask on, so give `tessera decode -` and the link on standard input, or set TESSERA_URI",
        ),
        (
            vec!["add", "--uri"],
            vec![pin[0], ("TESSERA_URI", vector["uri"].as_str().unwrap())],
            "a link password is needed: there is no terminal to ask on, so give `--password -` and the link password on standard input, or set TESSERA_LINK_PASSWORD",
        ),
        (
            vec!["challenge", "acme", "12345678", "--ocra-pin"],
            pin.to_vec(),
            "an OCRA PIN is needed: there is no terminal to ask on, so give `--ocra-pin -` and the OCRA PIN on standard input, or set TESSERA_OCRA_PIN",
        ),
        (
            vec!["backup", "verify", backup.to_str().unwrap()],
            vec![],
            "a backup password is needed: there is no terminal to ask on, so give `--password -` and the backup password on standard input, or set TESSERA_BACKUP_PASSWORD",
        ),
        (
            vec!["import", aegis.to_str().unwrap()],
            pin.to_vec(),
            "a password is needed: there is no terminal to ask on, so give `--password -` and the password on standard input, or set TESSERA_IMPORT_PASSWORD",
        ),
        (
            vec!["list"],
            vec![],
            "a PIN is needed: there is no terminal to ask on, so set TESSERA_PIN",
        ),
    ];
    for (args, variables, message) in cases {
        assert_eq!(
            refused(run(&home, &args, &variables)),
            format!("tessera: {message}\n"),
            "{args:?}"
        );
    }
    // `-` with nothing on standard input says so.
    let empty = refused(run(
        &home,
        &["unlock", "--recovery", "-"],
        &[("TESSERA_NEW_PIN", PIN)],
    ));
    assert_eq!(
        empty,
        "tessera: standard input ended before the recovery key: `--recovery -` reads it from the next line\n"
    );
}

#[test]
fn a_recovery_key_or_a_password_in_the_arguments_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("token");
    ok(token_with_seed(&home, PIN));
    let out = ok(run(&home, &["recovery-key"], &[("TESSERA_PIN", PIN)]));
    let key = out.lines().nth(1).expect("the key line").to_string();
    let file = dir.path().join("token.tessera");
    let file_arg = file.to_str().unwrap();
    let golden =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden/backup-v1.bin");
    let ways = |stdin: &str, variable: &str| {
        format!(
            "give `{stdin}` to read it from standard input, set {variable}, or leave the value out to be asked"
        )
    };
    let shown = "on the command line, where other users can see it in the process list and it stays in the shell history";
    let cases = [
        (
            vec!["unlock", "--recovery", key.as_str()],
            format!(
                "the recovery key is not taken {shown}: {}",
                ways("--recovery -", "TESSERA_RECOVERY_KEY")
            ),
        ),
        (
            vec![
                "export",
                "--format",
                "tessera",
                "--out",
                file_arg,
                "--password",
                BACKUP_PASSWORD,
            ],
            format!(
                "the backup password is not taken {shown}: {}",
                ways("--password -", "TESSERA_BACKUP_PASSWORD")
            ),
        ),
        (
            vec![
                "backup",
                "verify",
                golden.to_str().unwrap(),
                "--password",
                BACKUP_PASSWORD,
            ],
            format!(
                "the backup password is not taken {shown}: {}",
                ways("--password -", "TESSERA_BACKUP_PASSWORD")
            ),
        ),
        (
            vec![
                "import",
                golden.to_str().unwrap(),
                "--password",
                BACKUP_PASSWORD,
            ],
            format!(
                "the password is not taken {shown}: {}",
                ways("--password -", "TESSERA_IMPORT_PASSWORD")
            ),
        ),
    ];
    let vault = std::fs::read(home.join("vault.bin")).unwrap();
    for (args, message) in cases {
        let variables = [("TESSERA_PIN", PIN), ("TESSERA_NEW_PIN", PASSPHRASE)];
        assert_eq!(
            refused(run(&home, &args, &variables)),
            format!("tessera: {message}\n"),
            "{args:?}"
        );
        assert!(!file.exists(), "{args:?}");
    }
    // The PIN was not replaced, nothing was imported.
    assert_eq!(std::fs::read(home.join("vault.bin")).unwrap(), vault);
    assert_eq!(rfc_code(&home), "94287082\n");
}

#[test]
fn a_link_or_an_activation_code_in_the_arguments_works_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let warning = |what: &str, stdin: &str, variable: &str| {
        format!(
            "tessera: warning: the {what} on the command line can be seen by other users in the process list and stays in the shell history; give `{stdin}` to read it from standard input, set {variable}, or leave the value out to be asked\n"
        )
    };
    let by_link = dir.path().join("link");
    let output = run(
        &by_link,
        &["add", "--uri", LINK],
        &[("TESSERA_NEW_PIN", PASSPHRASE)],
    );
    assert_eq!(stderr(&output), warning("link", "--uri -", "TESSERA_URI"));
    assert!(ok(output).starts_with("added: alice\n"));

    let by_code = dir.path().join("code");
    let output = run(
        &by_code,
        &["add", "--serial", SERIAL, "--activation", ACTIVATION],
        &[("TESSERA_NEW_PIN", PASSPHRASE)],
    );
    assert_eq!(
        stderr(&output),
        warning(
            "activation code",
            "--activation -",
            "TESSERA_ACTIVATION_CODE"
        )
    );
    assert!(ok(output).contains("registration code: "));
}

const WEAK_PIN_WARNING: &str = "tessera: warning: a PIN of only digits protects the token's file weakly on a computer, where no device key seals it: whoever copies the file can try every PIN offline; use a passphrase of 8 or more characters instead (`tessera pin change`)\n";

/// Issue 11, finding 12: the desktop has no device key, so a PIN of only digits is searched
/// offline from a copy of the file. Setting one warns, once, wherever a PIN is set; a
/// passphrase does not.
#[test]
fn a_pin_of_digits_warns_and_a_passphrase_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("digits");
    let created = token_with_seed(&home, PIN);
    assert_eq!(stderr(&created), WEAK_PIN_WARNING);
    ok(created);

    let calm = dir.path().join("passphrase");
    let created = token_with_seed(&calm, PASSPHRASE);
    assert_eq!(stderr(&created), "");
    ok(created);

    let change = |from: &str, to: &str| {
        run(
            &home,
            &["pin", "change"],
            &[("TESSERA_PIN", from), ("TESSERA_NEW_PIN", to)],
        )
    };
    let to_passphrase = change(PIN, PASSPHRASE);
    assert_eq!(stderr(&to_passphrase), "");
    ok(to_passphrase);
    let to_digits = change(PASSPHRASE, "739164");
    assert_eq!(stderr(&to_digits), WEAK_PIN_WARNING);
    ok(to_digits);

    // A PIN set by the recovery key, and by an import that creates the token.
    let out = ok(run(&home, &["recovery-key"], &[("TESSERA_PIN", "739164")]));
    let key = out.lines().nth(1).expect("the key line").to_string();
    let unlocked = run(
        &home,
        &["unlock", "--recovery"],
        &[("TESSERA_RECOVERY_KEY", &key), ("TESSERA_NEW_PIN", PIN)],
    );
    assert_eq!(stderr(&unlocked), WEAK_PIN_WARNING);
    ok(unlocked);

    let list = dir.path().join("links.txt");
    std::fs::write(&list, format!("{LINK}\n")).unwrap();
    for (pin, expected) in [(PIN, WEAK_PIN_WARNING), (PASSPHRASE, "")] {
        let imported = run(
            &dir.path().join(format!("import-{}", pin.len())),
            &["import", list.to_str().unwrap()],
            &[("TESSERA_NEW_PIN", pin)],
        );
        assert_eq!(stderr(&imported), expected);
        ok(imported);
    }
    // Unlocking with the PIN sets nothing, and says nothing.
    let listed = run(&home, &["list"], &[("TESSERA_PIN", PIN)]);
    assert_eq!(stderr(&listed), "");
    assert_eq!(ok(listed), "alice\ttotp\tACME\n");
}

/// `-` reads one line; an endless standard input (`- < /dev/zero`) is refused after a bounded
/// read instead of growing without limit, and nothing is added.
#[test]
fn an_endless_standard_input_is_refused_after_a_bounded_read() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let output = command(&home, &["add", "--uri", "-"], &[("TESSERA_PIN", PIN)])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(
        refused(output),
        "tessera: the link on standard input is longer than 16384 bytes; nothing past that was read\n"
    );
    assert!(!home.join("vault.bin").exists());
}
