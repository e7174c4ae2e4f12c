//! The `tessera decode` contract through the real binary, against the fixtures in
//! tests/vectors (links made by an independent Python implementation).

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

fn tessera(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// `tessera args` with none of the variables that could give it a link or a password.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command
        .args(args)
        .env_remove("TESSERA_URI")
        .env_remove("TESSERA_LINK_PASSWORD");
    command
}

/// `tessera decode` of the link in TESSERA_URI, so no line warns about a link in the arguments.
fn decode_from_variable(uri: &str) -> Output {
    command(&["decode"])
        .env("TESSERA_URI", uri)
        .output()
        .expect("the binary runs")
}

fn vectors(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("vector file")).expect("vector JSON")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn refused(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let err = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn activation_links_decode_to_their_fields() {
    for link in vectors("identityguard.json")["links"].as_array().unwrap() {
        let out = json(&tessera(&[
            "decode",
            link["uri"].as_str().unwrap(),
            "--password",
            link["password"].as_str().unwrap(),
        ]));
        let expected = &link["expected"];
        assert_eq!(out["type"], "identityguard");
        assert_eq!(
            out["serial"].as_str().unwrap().replace('-', ""),
            expected["serial"].as_str().unwrap()
        );
        assert_eq!(
            out["activation_code"].as_str().unwrap().replace('-', ""),
            expected["activation"].as_str().unwrap()
        );
        assert_eq!(out["policy"], expected["policy"]);
        assert_eq!(out["address"], expected["address"]);
        assert_eq!(out["name"], expected["name"]);
    }
}

#[test]
fn a_wrong_link_password_says_password() {
    let link = &vectors("identityguard.json")["links"][0];
    let uri = link["uri"].as_str().unwrap();
    // The link, then its password, each on a line of standard input.
    let err = refused(&common::with_input(
        &mut command(&["decode", "-", "--password", "-"]),
        &format!("{uri}\n00000000\n"),
    ));
    assert!(err.contains("password") && err.contains("wrong"), "{err}");
    let err = refused(&decode_from_variable(uri));
    assert!(
        err.contains("password") && err.contains("TESSERA_LINK_PASSWORD"),
        "{err}"
    );
}

#[test]
fn otpauth_links_decode_without_their_secret() {
    let uri = "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    let out = json(&tessera(&["decode", uri]));
    assert_eq!(out["type"], "otpauth");
    assert_eq!(out["kind"], "totp");
    assert_eq!(out["account"], "alice@google.com");
    assert_eq!(out["issuer"], "Example");
    assert_eq!(out["algorithm"], "SHA1");
    assert_eq!(out["digits"], 6);
    assert_eq!(out["period"], 30);
    assert_eq!(out["secret_bits"], 80);
    assert_eq!(
        out["warnings"].as_array().unwrap().len(),
        1,
        "an 80-bit secret is short: {out}"
    );
    let text = String::from_utf8(tessera(&["decode", uri]).stdout).unwrap();
    assert!(!text.contains("JBSWY3DPEHPK3PXP"));
}

#[test]
fn every_valid_otpauth_vector_decodes() {
    for case in vectors("otpauth.json")["valid"].as_array().unwrap() {
        let out = json(&tessera(&["decode", case["uri"].as_str().unwrap()]));
        assert_eq!(out["type"], "otpauth", "{case}");
        assert_eq!(out["account"], case["expected"]["account"], "{case}");
        assert_eq!(out["kind"], case["expected"]["kind"], "{case}");
    }
}

#[test]
fn bad_links_are_refused_with_a_reason() {
    let err = refused(&decode_from_variable("https://example.com"));
    assert!(err.contains("otpauth://"), "{err}");
    let err = refused(&decode_from_variable(
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9",
    ));
    assert!(err.contains("digits"), "{err}");
}
