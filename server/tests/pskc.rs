//! `pskc export` and `pskc import`: a registered token's secret leaves the server in a PSKC file
//! (encrypted with a password or a pre-shared key, plain only with `--plain`, owner-only), the
//! token side reads it, and another user's token imported from it verifies codes made from the
//! secret in the file. Key packages the server's tokens cannot be, or for users it does not
//! have, are skipped with their reasons; a wrong password or a changed file imports nothing.
//! An OCRA key imported from a vendor's file answers the server's challenges through the API,
//! with the response the same file gives the real `tessera` token. On both databases.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{Database, Server, Token, USER, registered_token};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha1::Sha1;
use tessera_core::SecretBytes;
use tessera_core::codes::{Algorithm, OcraSuite, TotpParams, totp};
use tessera_core::identity::{IdentityKind, OcraChallenge};
use tessera_core::transfer::pskc::{PskcKey, PskcProtection, read_pskc, write_pskc};
use tessera_core::transfer::{ImportFormat, Password, parse_import};

const FILE_PASSWORD: &str = "a long export password";
const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn password(text: &str) -> Password {
    Password::new(text.to_string())
}

/// The current code of `secret` as the server's tokens make it (TOTP HMAC-SHA256, 30 s, 6).
fn code(secret: &SecretBytes) -> String {
    totp(
        secret,
        &TotpParams::new(Algorithm::Sha256, 6, 30).unwrap(),
        now(),
    )
    .unwrap()
}

fn verify(server: &Server, serial: &str, code: &str) -> u16 {
    server
        .post(
            &format!("/api/v1/tokens/{serial}/verify"),
            json!({ "code": code }),
        )
        .0
}

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn tokens_of(server: &Server, user: &str) -> usize {
    server
        .sql("SELECT serial FROM tokens WHERE user_name = $1", &[user])
        .len()
}

fn tokens_move_out_and_back_in(on: Database) {
    let server = Server::start(on);
    let (serial, _token) = registered_token(&server);
    server.create_token();
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("tokens.pskc");
    let out_arg = out.to_str().unwrap();

    // Never plain unless asked.
    let refused = server.run(&["pskc", "export", "--out", out_arg, "--user", USER], "");
    assert!(stderr(&refused).contains(
        "say how the file is protected: --key (a pre-shared key), --password, or --plain"
    ));
    assert!(!out.exists());
    let short = server.run(
        &[
            "pskc",
            "export",
            "--out",
            out_arg,
            "--user",
            USER,
            "--password",
            "--secret",
            "-",
        ],
        "short\n",
    );
    assert!(stderr(&short).contains("the password must have at least 12 characters"));

    let exported = stdout(&server.run(
        &[
            "pskc",
            "export",
            "--out",
            out_arg,
            "--user",
            USER,
            "--password",
            "--secret",
            "-",
        ],
        &format!("{FILE_PASSWORD}\n"),
    ));
    assert!(
        exported.contains("it is not registered yet, so it has no secret"),
        "{exported}"
    );
    assert!(exported.contains("exported 1 tokens to"), "{exported}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = std::fs::read(&out).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("PlainValue></pskc:Secret"));

    // The file holds the server's secret: a code made from it verifies on the server.
    let file = read_pskc(&bytes, Some(&password(FILE_PASSWORD))).unwrap();
    assert_eq!(file.keys.len(), 1);
    let key = &file.keys[0].1;
    assert_eq!(
        key.serial.as_deref(),
        Some(serial.replace('-', "").as_str())
    );
    assert_eq!(key.user.as_deref(), Some(USER));
    let IdentityKind::Totp { secret, params } = &key.kind else {
        panic!("a TOTP key: {:?}", key.kind);
    };
    assert_eq!(
        (params.algorithm, params.digits, params.period),
        (Algorithm::Sha256, 6, 30)
    );
    assert_eq!(verify(&server, &serial, &code(secret)), 200);

    // Server export -> token import.
    let report = parse_import(&bytes, None, Some(&password(FILE_PASSWORD))).unwrap();
    assert_eq!(report.format, Some(ImportFormat::Pskc));
    assert_eq!(report.entries.len(), 1);
    assert_eq!(report.entries[0].name, USER);
    assert_eq!(report.entries[0].kind.secret(), secret);

    // Server export -> server import, for another user: the serial is taken, so a new one.
    server.add_user("bob");
    let wrong = server.run(
        &["pskc", "import", out_arg, "--user", "bob", "--secret", "-"],
        "not it\n",
    );
    assert!(stderr(&wrong).contains("the password is wrong, or the file is damaged"));
    let nobody = server.run(
        &[
            "pskc", "import", out_arg, "--user", "nobody", "--secret", "-",
        ],
        "x\n",
    );
    assert!(stderr(&nobody).contains("--user: there is no user \"nobody\""));
    assert_eq!(tokens_of(&server, "bob"), 0);
    let imported = stdout(&server.run(
        &["pskc", "import", out_arg, "--user", "bob", "--secret", "-"],
        &format!("{FILE_PASSWORD}\n"),
    ));
    assert!(
        imported.ends_with("imported 1 tokens (0 skipped)\n"),
        "{imported}"
    );
    let new_serial = imported
        .split(" as token ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .replace('-', "");
    assert_ne!(new_serial, serial.replace('-', ""));
    assert_eq!(tokens_of(&server, "bob"), 1);
    let (status, listed) = server.get("/api/v1/users/bob/tokens");
    assert_eq!(status, 200, "{listed}");

    // With a pre-shared key, to a token that keeps its serial when it is free.
    let keyed = folder.path().join("keyed.pskc");
    let keyed_arg = keyed.to_str().unwrap();
    stdout(&server.run(
        &[
            "pskc",
            "export",
            "--out",
            keyed_arg,
            "--serial",
            &new_serial,
            "--key",
            "--secret",
            "-",
        ],
        &format!("{KEY_HEX}\n"),
    ));
    let keyed_bytes = std::fs::read(&keyed).unwrap();
    let keyed_file = read_pskc(&keyed_bytes, Some(&password(KEY_HEX))).unwrap();
    assert_eq!(keyed_file.keys[0].1.kind.secret(), secret);
    assert!(
        String::from_utf8_lossy(&keyed_bytes).contains("<ds:KeyName>tessera-server</ds:KeyName>")
    );

    // A code of the imported token verifies under its new serial (the original already took
    // this step's code, and the two are separate tokens).
    assert_eq!(verify(&server, &new_serial, &code(secret)), 200);

    let actions: Vec<String> = server
        .audit()
        .iter()
        .map(|event| event["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "token.export_pskc").count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "token.import_pskc").count(),
        1
    );
}

fn packages_the_server_cannot_hold_are_skipped_with_reasons(on: Database) {
    let server = Server::start(on);
    let secret = |byte: u8| SecretBytes::new(vec![byte; 20]);
    let totp_key = |user: Option<&str>, byte: u8, serial: &str| PskcKey {
        serial: Some(serial.into()),
        user: user.map(str::to_string),
        issuer: Some("Vendor".into()),
        id: None,
        kind: IdentityKind::Totp {
            secret: secret(byte),
            params: TotpParams::new(Algorithm::Sha256, 8, 30).unwrap(),
        },
    };
    let keys = vec![
        totp_key(Some(USER), 1, "4824413456"),
        totp_key(Some("carol"), 2, "100"),
        totp_key(None, 3, "101"),
        PskcKey {
            kind: IdentityKind::Totp {
                secret: secret(4),
                params: TotpParams::new(Algorithm::Sha1, 6, 30).unwrap(),
            },
            ..totp_key(Some(USER), 4, "102")
        },
        PskcKey {
            kind: IdentityKind::Hotp {
                secret: secret(5),
                algorithm: Algorithm::Sha1,
                digits: 6,
                counter: 0,
            },
            ..totp_key(Some(USER), 5, "103")
        },
    ];
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("vendor.pskc");
    let protection = PskcProtection::PreSharedKey {
        key: zeroize::Zeroizing::new(vec![7; 16]),
        name: "vendor".into(),
    };
    std::fs::write(&path, write_pskc(&keys, &protection).unwrap().as_bytes()).unwrap();
    let path_arg = path.to_str().unwrap();
    let key_hex = "07".repeat(16);

    let before = tokens_of(&server, USER);
    let output = stdout(&server.run_with(
        &["pskc", "import", path_arg],
        &[("TESSERA_PSKC_SECRET", key_hex.as_str())],
    ));
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines,
        [
            "imported: key package 1 (\"Vendor: alice\") as token 48244-13456 for alice",
            "skipped: key package 2 (\"Vendor: carol\"): there is no user \"carol\" (add it with `users add`, or give --user)",
            "skipped: key package 3 (\"Vendor: 101\"): it names no user (Key/UserId); give --user to import it",
            "skipped: key package 4 (\"Vendor: alice\"): it is TOTP with SHA1 every 30 seconds in 6 digits; the server's tokens make HMAC-SHA256 codes every 30 seconds in 6 or 8 digits",
            "skipped: key package 5 (\"Vendor: alice\"): it is HOTP (counter-based); the server's tokens verify TOTP (HMAC-SHA256, 30 seconds) and OCRA",
            "imported 1 tokens (4 skipped)",
        ]
    );
    assert_eq!(tokens_of(&server, USER), before + 1);
    let eight = totp(
        &secret(1),
        &TotpParams::new(Algorithm::Sha256, 8, 30).unwrap(),
        now(),
    )
    .unwrap();
    assert_eq!(verify(&server, "4824413456", &eight), 200);

    // OCRA keys become tokens answering challenges with their suite and counter; a suite the
    // server cannot run (a PIN) is skipped with the reason. A plain export gives them back.
    let ocra_key = |suite: &str, serial: &str| PskcKey {
        kind: IdentityKind::Ocra {
            secret: secret(9),
            ocra: OcraChallenge {
                suite: suite.parse::<OcraSuite>().unwrap(),
                counter: 41,
            },
        },
        ..totp_key(Some(USER), 9, serial)
    };
    let ocra_path = folder.path().join("ocra.pskc");
    let ocra_keys = [
        ocra_key("OCRA-1:HOTP-SHA256-8:C-QN08", "1234567897"),
        ocra_key("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", "200"),
    ];
    std::fs::write(
        &ocra_path,
        write_pskc(&ocra_keys, &PskcProtection::Plain)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let output = stdout(&server.run(&["pskc", "import", ocra_path.to_str().unwrap()], ""));
    assert!(
        output.contains("as token 12345-67897 for alice"),
        "{output}"
    );
    assert!(
        output.contains("asks for a PIN (P), which the issuer never learns"),
        "{output}"
    );
    let plain = folder.path().join("plain.pskc");
    let exported = stdout(&server.run(
        &[
            "pskc",
            "export",
            "--out",
            plain.to_str().unwrap(),
            "--serial",
            "1234567897",
            "--plain",
        ],
        "",
    ));
    assert!(exported.contains("NOT encrypted"), "{exported}");
    let back = read_pskc(&std::fs::read(&plain).unwrap(), None).unwrap();
    assert_eq!(back.keys[0].1.kind, ocra_keys[0].kind);

    // The RFC's figures are HOTP keys: each is skipped with the reason, nothing is added.
    let figure = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/formats/pskc/rfc6030-figure10.xml"
    );
    let output = stdout(&server.run(&["pskc", "import", figure, "--user", USER], ""));
    assert!(
        output.ends_with("imported 0 tokens (4 skipped)\n"),
        "{output}"
    );

    // A changed file imports nothing.
    let before = tokens_of(&server, USER);
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("<pskc:ValueMAC>").unwrap() + 15;
    let flipped = if &text[start..start + 1] == "A" {
        "B"
    } else {
        "A"
    };
    let tampered = format!("{}{flipped}{}", &text[..start], &text[start + 1..]);
    std::fs::write(&path, tampered).unwrap();
    let refused = server.run_with(
        &["pskc", "import", path_arg],
        &[("TESSERA_PSKC_SECRET", key_hex.as_str())],
    );
    assert!(stderr(&refused).contains("the file is damaged: KeyPackage[1].Key.Data.Secret.ValueMAC does not match the encrypted value"));
    assert_eq!(tokens_of(&server, USER), before);
}

/// RFC 6287's response for the suite OCRA-1:HOTP-SHA1-6:QN08 (section 5.1): HMAC-SHA1 of the
/// suite, a zero byte and the question (its number in hexadecimal, left-aligned and padded with
/// zeros to 128 bytes), truncated as RFC 4226 section 5.3 does to 6 digits. Written here from
/// the RFC, apart from tessera-core's OCRA.
fn rfc6287_sha1_6_qn08(key: &[u8], question: &str) -> String {
    let mut hex = format!("{:X}", question.parse::<u64>().unwrap());
    while hex.len() < 256 {
        hex.push('0');
    }
    let mut message = b"OCRA-1:HOTP-SHA1-6:QN08\0".to_vec();
    message.extend(data_encoding::HEXUPPER.decode(hex.as_bytes()).unwrap());
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(&message);
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let value = u32::from_be_bytes(hash[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

fn an_imported_ocra_key_answers_challenges_through_the_api(on: Database) {
    // RFC 6287 appendix C.1: the 20-byte key "1234...90" and its one-way challenge-response
    // table for OCRA-1:HOTP-SHA1-6:QN08, which the computation above must reproduce.
    let key = b"12345678901234567890";
    assert_eq!(rfc6287_sha1_6_qn08(key, "00000000"), "237653");
    assert_eq!(rfc6287_sha1_6_qn08(key, "11111111"), "243178");

    let server = Server::start(on);
    let vendor_key = PskcKey {
        serial: Some("1234567897".into()),
        user: Some(USER.into()),
        issuer: Some("Vendor".into()),
        id: None,
        kind: IdentityKind::Ocra {
            secret: SecretBytes::new(key.to_vec()),
            ocra: OcraChallenge {
                suite: "OCRA-1:HOTP-SHA1-6:QN08".parse::<OcraSuite>().unwrap(),
                counter: 0,
            },
        },
    };
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("vendor-ocra.pskc");
    let protection = PskcProtection::Password {
        password: password(FILE_PASSWORD),
        iterations: 1_000,
    };
    std::fs::write(
        &path,
        write_pskc(&[vendor_key], &protection).unwrap().as_bytes(),
    )
    .unwrap();
    let path_arg = path.to_str().unwrap();

    let imported = stdout(&server.run(
        &["pskc", "import", path_arg, "--secret", "-"],
        &format!("{FILE_PASSWORD}\n"),
    ));
    assert!(
        imported.ends_with("imported 1 tokens (0 skipped)\n"),
        "{imported}"
    );
    let serial = imported
        .split(" as token ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .replace('-', "");

    // The person's token reads the same file.
    let token = Token::new();
    let added = token.run(
        &["import", path_arg],
        &[("TESSERA_IMPORT_PASSWORD", FILE_PASSWORD)],
    );
    assert!(added.contains("1 added, 0 skipped"), "{added}");

    for _ in 0..2 {
        let (status, issued) =
            server.post(&format!("/api/v1/tokens/{serial}/challenge"), json!({}));
        assert_eq!(status, 200, "{issued}");
        let challenge = issued["challenge"].as_str().unwrap().to_owned();
        assert_eq!(challenge.len(), 8, "QN08: 8 digits");
        let response = token.run(&["challenge", USER, &challenge], &[]);
        let response = response.trim();
        assert_eq!(response, rfc6287_sha1_6_qn08(key, &challenge));
        let (status, accepted) = server.post(
            &format!("/api/v1/tokens/{serial}/response"),
            json!({ "challenge": challenge, "response": response }),
        );
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(accepted["accepted"], true, "{accepted}");
    }

    // A response made with another key is refused.
    let (status, issued) = server.post(&format!("/api/v1/tokens/{serial}/challenge"), json!({}));
    assert_eq!(status, 200, "{issued}");
    let challenge = issued["challenge"].as_str().unwrap().to_owned();
    let wrong = rfc6287_sha1_6_qn08(b"09876543210987654321", &challenge);
    let (status, refused) = server.post(
        &format!("/api/v1/tokens/{serial}/response"),
        json!({ "challenge": challenge, "response": wrong }),
    );
    assert_eq!(
        (status, refused["error"]["field"].as_str()),
        (422, Some("response")),
        "{refused}"
    );
}

#[test]
fn tokens_move_out_and_back_in_on_sqlite() {
    tokens_move_out_and_back_in(Database::Sqlite);
}

#[test]
fn tokens_move_out_and_back_in_on_postgres() {
    tokens_move_out_and_back_in(Database::Postgres);
}

#[test]
fn packages_the_server_cannot_hold_are_skipped_with_reasons_on_sqlite() {
    packages_the_server_cannot_hold_are_skipped_with_reasons(Database::Sqlite);
}

#[test]
fn packages_the_server_cannot_hold_are_skipped_with_reasons_on_postgres() {
    packages_the_server_cannot_hold_are_skipped_with_reasons(Database::Postgres);
}

#[test]
fn an_imported_ocra_key_answers_challenges_through_the_api_on_sqlite() {
    an_imported_ocra_key_answers_challenges_through_the_api(Database::Sqlite);
}

#[test]
fn an_imported_ocra_key_answers_challenges_through_the_api_on_postgres() {
    an_imported_ocra_key_answers_challenges_through_the_api(Database::Postgres);
}
