//! The `tessera calc` contract, run through the real binary: code alone on stdout, exit 1 with
//! one line naming the problem for bad input, exit 2 for usage errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn vectors(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("vector file")).expect("vector JSON")
}

fn assert_refused(output: &Output, needle: &str) {
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(output));
    assert!(output.stdout.is_empty());
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
}

/// RFC 6238 Appendix B, every row of Table 1.
#[test]
fn totp_prints_every_rfc6238_code() {
    for case in vectors("rfc6238-totp.json")["cases"].as_array().unwrap() {
        let secret = format!("hex:{}", case["secret_hex"].as_str().unwrap());
        let algorithm = case["algorithm"].as_str().unwrap().to_lowercase();
        let at = case["time"].to_string();
        let output = tessera(&[
            "calc",
            "totp",
            "--secret",
            &secret,
            "--algorithm",
            &algorithm,
            "--digits",
            "8",
            "--at",
            &at,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            stdout(&output),
            format!("{}\n", case["expected"].as_str().unwrap())
        );
    }
}

/// RFC 4226 Appendix D, base32 form of the secret "12345678901234567890".
#[test]
fn hotp_prints_every_rfc4226_code() {
    for case in vectors("rfc4226-hotp.json")["cases"].as_array().unwrap() {
        let counter = case["counter"].to_string();
        let output = tessera(&[
            "calc",
            "hotp",
            "--secret",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "--counter",
            &counter,
        ]);
        assert_eq!(
            stdout(&output),
            format!("{}\n", case["expected"].as_str().unwrap())
        );
    }
}

/// RFC 6287 Appendix C: every one-way case (the mutual and signature tables need no other flags).
#[test]
fn ocra_prints_every_rfc6287_code() {
    for case in vectors("rfc6287-ocra.json")["cases"].as_array().unwrap() {
        let secret = format!("hex:{}", case["secret_hex"].as_str().unwrap());
        let mut args = vec![
            "calc".to_string(),
            "ocra".into(),
            "--suite".into(),
            case["suite"].as_str().unwrap().into(),
            "--secret".into(),
            secret,
            "--challenge".into(),
            case["question"].as_str().unwrap().into(),
        ];
        if let Some(counter) = case["counter"].as_u64() {
            args.extend(["--counter".into(), counter.to_string()]);
        }
        if let Some(pin) = case["password"].as_str() {
            args.extend(["--pin".into(), pin.into()]);
        }
        if let Some(minutes) = case["timestamp"].as_u64() {
            args.extend(["--at".into(), (minutes * 60).to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = tessera(&args);
        assert!(
            output.status.success(),
            "{}: {}",
            case["suite"],
            stderr(&output)
        );
        assert_eq!(
            stdout(&output),
            format!("{}\n", case["expected"].as_str().unwrap()),
            "{case}"
        );
    }
}

/// The expected Steam code was computed independently with Python's hmac module
/// (31-bit dynamic truncation, then five base-26 digits from Steam's alphabet).
#[test]
fn steam_prints_five_characters() {
    let output = tessera(&[
        "calc",
        "steam",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--at",
        "1700000000",
    ]);
    assert_eq!(stdout(&output), "R87JJ\n");
}

/// ../shared/spec/identityguard.md's public vector; the codes at 1700000000 were computed
/// independently with Python's hmac module from the published secret.
#[test]
fn identityguard_derives_the_published_secret_and_its_codes() {
    let policy = r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#;
    let base = [
        "calc",
        "identityguard",
        "--serial",
        "48244-13456",
        "--activation",
        "1745-7712-6942-8698",
        "--registration",
        "12211-49352",
        "--policy",
        policy,
        "--at",
        "1700000000",
    ];
    let output = tessera(&[&base[..], &["--show-secret"]].concat());
    assert_eq!(
        stdout(&output),
        "586550\nbb9b6d72ae99b006de5e106935ec96da\n"
    );
    let output = tessera(&[&base[..], &["--digits", "8"]].concat());
    assert_eq!(stdout(&output), "20586550\n");
}

#[test]
fn identityguard_typo_names_the_field() {
    let output = tessera(&[
        "calc",
        "identityguard",
        "--serial",
        "48244-13457",
        "--activation",
        "1745-7712-6942-8698",
        "--registration",
        "12211-49352",
    ]);
    assert_refused(&output, "serial number");
    let output = tessera(&[
        "calc",
        "identityguard",
        "--serial",
        "48244-13456",
        "--activation",
        "1745-7712-6942-8698",
        "--registration",
        "12211-49352",
        "--digits",
        "7",
    ]);
    assert_refused(&output, "digits");
}

#[test]
fn bad_input_is_refused_with_one_line_and_status_1() {
    assert_refused(&tessera(&["calc", "totp", "--secret", "GEZ1"]), "base32");
    assert_refused(
        &tessera(&["calc", "totp", "--secret", "GEZDGNBV", "--digits", "9"]),
        "digits",
    );
    assert_refused(
        &tessera(&["calc", "totp", "--secret", "GEZDGNBV", "--period", "0"]),
        "period",
    );
    assert_refused(
        &tessera(&["calc", "totp", "--secret", "GEZDGNBV", "--period", "301"]),
        "period",
    );
    assert_refused(
        &tessera(&["calc", "hotp", "--secret", "", "--counter", "1"]),
        "empty",
    );
    assert_refused(
        &tessera(&[
            "calc",
            "ocra",
            "--suite",
            "OCRA-2:HOTP-SHA1-6:QN08",
            "--secret",
            "GEZDGNBV",
            "--challenge",
            "1",
        ]),
        "OCRA",
    );
    assert_refused(
        &tessera(&[
            "calc",
            "ocra",
            "--suite",
            "OCRA-1:HOTP-SHA1-6:C-QN08",
            "--secret",
            "GEZDGNBV",
            "--challenge",
            "12345678",
        ]),
        "counter",
    );
}

#[test]
fn secrets_never_appear_in_errors() {
    let output = tessera(&[
        "calc",
        "totp",
        "--secret",
        "SUPERSECRETVALUE1",
        "--digits",
        "9",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stderr(&output).contains("SUPERSECRET"));
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(tessera(&["calc", "totp"]).status.code(), Some(2));
    assert_eq!(
        tessera(&["calc", "hotp", "--secret", "GEZDGNBV"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tessera(&["calc", "totp", "--secret", "GEZDGNBV", "--algorithm", "md5"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(tessera(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        tessera(&[
            "calc",
            "ocra",
            "--suite",
            "S",
            "--secret",
            "A",
            "--challenge",
            "1",
            "--pin",
            "1",
            "--pin-hash",
            "00"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn secret_can_come_from_standard_input() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["calc", "hotp", "--secret", "-", "--counter", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(stdout(&output), "755224\n");
}
