//! Importing PSKC files (RFC 6030): the RFC's own figures and Tessera's samples in
//! tests/formats/pskc, each checked against EXPECTED.md (written, with its codes computed by
//! Python's hmac, by scripts/formats/make_pskc.py); then every way a file can be wrong: no key,
//! a wrong key or password, a changed or cut file, PBKDF2 beyond its bound, a certificate-
//! encrypted file, and the packages skipped with their reasons.

use std::path::PathBuf;

use tessera_core::SecretBytes;
use tessera_core::codes::{OcraInput, hotp, ocra, totp};
use tessera_core::identity::IdentityKind;
use tessera_core::transfer::pskc::read_pskc;
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportReport, Password, detect_format, parse_import,
};

/// The moment and question EXPECTED.md's codes are for.
const AT: u64 = 1_700_000_000;
const QUESTION: &str = "00000000";

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats/pskc")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn secret(text: &str) -> Password {
    Password::new(text.to_string())
}

fn import(bytes: &[u8], given: Option<&str>) -> Result<ImportReport, ImportError> {
    parse_import(bytes, None, given.map(secret).as_ref())
}

/// One file's section of EXPECTED.md: the key or password, and its rows.
struct Section {
    file: String,
    secret: Option<String>,
    rows: Vec<Vec<String>>,
}

fn expected() -> Vec<Section> {
    let text = String::from_utf8(sample("EXPECTED.md")).unwrap();
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines() {
        if let Some(file) = line.strip_prefix("## ") {
            sections.push(Section {
                file: file.to_string(),
                secret: None,
                rows: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        for prefix in ["pre-shared key: `", "password: `"] {
            if let Some(rest) = line.strip_prefix(prefix) {
                section.secret = rest.split('`').next().map(str::to_string);
            }
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect();
        if line.starts_with("| ") && cells[0] != "name" {
            section.rows.push(cells);
        }
    }
    sections
}

/// The type, digits, period or counter, algorithm and code of an imported identity, written
/// as EXPECTED.md writes them.
fn describe(kind: &IdentityKind) -> [String; 5] {
    match kind {
        IdentityKind::Totp { secret, params } => [
            "TOTP".into(),
            params.digits.to_string(),
            format!("period {}", params.period),
            params.algorithm.to_string(),
            totp(secret, params, AT).unwrap(),
        ],
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => [
            "HOTP".into(),
            digits.to_string(),
            format!("counter {counter}"),
            algorithm.to_string(),
            hotp(secret, *counter, *digits, *algorithm).unwrap(),
        ],
        IdentityKind::Ocra {
            secret,
            ocra: challenge,
        } => [
            "OCRA".into(),
            challenge.suite.digits().to_string(),
            format!("counter {}", challenge.counter),
            challenge.suite.to_string(),
            ocra(
                &challenge.suite,
                secret,
                &OcraInput {
                    counter: None,
                    question: QUESTION.to_string(),
                    pin: None,
                    session: None,
                    unix_time: None,
                },
            )
            .unwrap(),
        ],
        other => panic!("unexpected kind {other:?}"),
    }
}

#[test]
fn every_sample_imports_to_its_expected_entries() {
    let sections = expected();
    assert!(sections.len() >= 13, "EXPECTED.md lists every sample");
    let mut checked = 0;
    for section in sections.iter().filter(|s| !s.rows.is_empty()) {
        let bytes = sample(&section.file);
        assert_eq!(
            detect_format(&bytes),
            Some(ImportFormat::Pskc),
            "{}",
            section.file
        );
        let report = import(&bytes, section.secret.as_deref())
            .unwrap_or_else(|e| panic!("{}: {e}", section.file));
        assert_eq!(report.format, Some(ImportFormat::Pskc));
        let (skipped, entries): (Vec<_>, Vec<_>) =
            section.rows.iter().partition(|row| row[0] == "skipped");
        assert_eq!(report.entries.len(), entries.len(), "{}", section.file);
        for (entry, row) in report.entries.iter().zip(&entries) {
            let issuer = entry.issuer.clone().unwrap_or_else(|| "-".to_string());
            let [kind, digits, moving, algorithm, code] = describe(&entry.kind);
            assert_eq!(
                [
                    &entry.name,
                    &issuer,
                    &kind,
                    &digits,
                    &moving,
                    &algorithm,
                    &code
                ],
                [
                    &row[0], &row[1], &row[2], &row[3], &row[4], &row[5], &row[6]
                ],
                "{}",
                section.file
            );
            checked += 1;
        }
        let names: Vec<&str> = report.skipped.iter().map(|s| s.name.as_str()).collect();
        let expected: Vec<&str> = skipped.iter().map(|row| row[1].as_str()).collect();
        assert_eq!(names, expected, "{}", section.file);
        assert!(report.skipped.iter().all(|s| !s.reason.is_empty()));
    }
    assert_eq!(checked, 15, "every expected entry was compared");
}

#[test]
fn the_rfc_figures_that_cannot_import_say_why_each_package_was_skipped() {
    let reasons = |file: &str| -> Vec<String> {
        import(&sample(file), None)
            .unwrap()
            .skipped
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        reasons("rfc6030-figure2.xml"),
        ["key package 1 (\"Issuer-A\"): the secret is too short: 32 bits, at least 80 are needed"]
    );
    assert_eq!(
        reasons("rfc6030-figure4.xml"),
        [
            "key package 1 (\"Issuer: 987654321\"): it holds no secret: the secret is derived from the key \"MasterKeyLabel\" (KeyReference) that only its issuer holds"
        ]
    );
    assert_eq!(
        reasons("rfc6030-figure5.xml"),
        [
            "key package 2 (\"Issuer: 987654321\"): its algorithm \"urn:ietf:params:xml:ns:keyprov:pskc:pin\" is not one Tessera supports (HOTP, TOTP and OCRA are)"
        ]
    );
    assert_eq!(
        reasons("tessera-plain.xml")[1],
        "key package 5 (\"Example Corp: HEX0005\"): its codes are written as HEXADECIMAL (ResponseFormat Encoding): Tessera makes decimal codes"
    );
}

#[test]
fn what_tessera_does_not_do_is_a_warning_on_the_key() {
    let report = import(&sample("rfc6030-figure5.xml"), None).unwrap();
    assert_eq!(
        report
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "key package 1 (\"Issuer: 987654321\"): the file asks for a PIN with each code (Policy/PINPolicy); Tessera's own PIN protects the token instead"
        ]
    );
    let report = import(&sample("rfc6030-figure10.xml"), None).unwrap();
    assert_eq!(report.warnings.len(), 4);
    assert_eq!(
        report.warnings[0].message,
        "the file says this key expires on 2006-05-31T00:00:00Z (Policy/ExpiryDate); Tessera keeps making codes after that date"
    );
}

#[test]
fn the_server_reading_sees_serials_users_and_ids() {
    let file = read_pskc(&sample("rfc6030-figure3.xml"), None).unwrap();
    let (label, key) = &file.keys[0];
    assert_eq!(
        label,
        "key package 1 (\"Issuer: UID=jsmith,DC=example-bank,DC=net\")"
    );
    assert_eq!(key.serial.as_deref(), Some("987654321"));
    assert_eq!(
        key.user.as_deref(),
        Some("UID=jsmith,DC=example-bank,DC=net")
    );
    assert_eq!(key.id.as_deref(), Some("12345678"));
    assert_eq!(key.kind.secret().as_bytes(), b"12345678901234567890");
}

#[test]
fn an_encrypted_file_asks_for_its_key_and_refuses_a_wrong_one() {
    let figure6 = sample("rfc6030-figure6.xml");
    let message = |given: Option<&str>| import(&figure6, given).unwrap_err().to_string();
    assert_eq!(
        message(None),
        "the file is a PSKC file encrypted with a pre-shared key: a password is needed to import it"
    );
    let not_a_key = "the file is encrypted with a pre-shared key: give the key as 32, 48 or 64 hexadecimal digits (AES-128, -192 or -256) where the password goes";
    assert_eq!(message(Some("qwerty")), not_a_key);
    assert_eq!(message(Some("1234567890123456789012345678901")), not_a_key);
    assert_eq!(
        message(Some("12345678901234567890123456789013")),
        "the password is wrong, or the file is damaged (MACMethod.MACKey does not open with it)"
    );
    // Spaces between the digits, as keys are often printed, are allowed.
    assert!(import(&figure6, Some("12345678 90123456 78901234 56789012")).is_ok());

    let figure7 = sample("rfc6030-figure7.xml");
    assert_eq!(
        import(&figure7, None).unwrap_err().to_string(),
        "the file is a password-protected PSKC file: a password is needed to import it"
    );
    assert_eq!(
        import(&figure7, Some("qwertz")).unwrap_err(),
        ImportError::WrongPassword {
            field: "MACMethod.MACKey"
        }
    );
}

/// `file` with the first `from` replaced by `to`.
fn changed(file: &str, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(sample(file)).unwrap();
    assert!(text.contains(from), "{from} is in {file}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn a_changed_or_cut_file_imports_nothing_and_names_the_field() {
    let key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let text = String::from_utf8(sample("tessera-psk.xml")).unwrap();
    // The first CipherValue after the MAC key's is the first secret's.
    let start = text.match_indices("<xenc:CipherValue>").nth(1).unwrap().0 + 18;
    let original = &text[start..start + 4];
    let tampered = changed(
        "tessera-psk.xml",
        original,
        if original == "AAAA" { "BBBB" } else { "AAAA" },
    );
    assert_eq!(
        import(&tampered, Some(key)).unwrap_err().to_string(),
        "the file is damaged: KeyPackage[1].Key.Data.Secret.ValueMAC does not match the encrypted value: the file was changed"
    );
    let mac_start = text.find("<ValueMAC>").unwrap() + 10;
    let mac = &text[mac_start..mac_start + 4];
    let tampered = changed(
        "tessera-psk.xml",
        mac,
        if mac == "AAAA" { "BBBB" } else { "AAAA" },
    );
    assert!(matches!(
        import(&tampered, Some(key)),
        Err(ImportError::Damaged { field, .. }) if field == "KeyPackage[1].Key.Data.Secret.ValueMAC"
    ));
    let no_mac = String::from_utf8(changed("tessera-psk.xml", "<ValueMAC>", "<Other>"))
        .unwrap()
        .replacen("</ValueMAC>", "</Other>", 1)
        .into_bytes();
    assert_eq!(
        import(&no_mac, Some(key)).unwrap_err().to_string(),
        "the file is damaged: KeyPackage[1].Key.Data.Secret.ValueMAC is missing or not text"
    );
    let bytes = sample("tessera-psk.xml");
    for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 20] {
        assert_eq!(
            import(&bytes[..cut], Some(key)).unwrap_err().to_string(),
            "the file does not look like a PSKC file: its XML ends before its last element is closed (is it complete?)",
            "cut at {cut}"
        );
    }
    let short = changed(
        "rfc6030-figure6.xml",
        "AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv",
        "AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2l",
    );
    assert_eq!(
        import(&short, Some("12345678901234567890123456789012"))
            .unwrap_err()
            .to_string(),
        "the file is damaged: KeyPackage[1].Key.Data.Secret.EncryptedValue.CipherData.CipherValue is 33 bytes long: an IV and whole AES blocks are needed (was the file cut?)"
    );
    let counter = changed(
        "rfc6030-figure3.xml",
        "<PlainValue>0</PlainValue>",
        "<PlainValue>zero</PlainValue>",
    );
    assert_eq!(
        import(&counter, None).unwrap_err().to_string(),
        "the file is damaged: KeyPackage[1].Key.Data.Counter.PlainValue is not a whole number"
    );
    let secret = changed(
        "rfc6030-figure3.xml",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=",
        "MTIz*DU2",
    );
    assert_eq!(
        import(&secret, None).unwrap_err().to_string(),
        "the file is damaged: KeyPackage[1].Key.Data.Secret.PlainValue is not valid base64 (was the file changed or cut?)"
    );
}

#[test]
fn pbkdf2_beyond_its_bound_is_refused_before_any_work() {
    let started = std::time::Instant::now();
    let error = import(
        &sample("tessera-password-costly.xml"),
        Some("correct horse battery staple"),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file asks for more key derivation work than Tessera does: PBKDF2 iterations \
         (EncryptionKey.DerivedKey.KeyDerivationMethod.PBKDF2-params.IterationCount) would be 2000001, at most 2000000"
    );
    assert!(started.elapsed().as_millis() < 500, "nothing was derived");
    let huge = changed(
        "tessera-password.xml",
        "<IterationCount>4096",
        "<IterationCount>99999999999999999999999",
    );
    assert!(matches!(
        import(&huge, Some("x")),
        Err(ImportError::Damaged { field, .. }) if field.ends_with("IterationCount")
    ));
    let zero = changed(
        "tessera-password.xml",
        "<IterationCount>4096",
        "<IterationCount>0",
    );
    assert!(
        import(&zero, Some("x"))
            .unwrap_err()
            .to_string()
            .ends_with("IterationCount must be at least 1")
    );
    let length = changed(
        "tessera-password.xml",
        "<KeyLength>16",
        "<KeyLength>1000000",
    );
    assert_eq!(
        import(&length, Some("x")).unwrap_err().to_string(),
        "the file is damaged: EncryptionKey.DerivedKey.KeyDerivationMethod.PBKDF2-params.KeyLength must be 16, 24 or 32 (bytes of an AES key)"
    );
    let scrypt = changed(
        "tessera-password.xml",
        "pkcs-5v2-0#pbkdf2",
        "pkcs-5v2-0#scrypt",
    );
    assert!(
        import(&scrypt, Some("x"))
            .unwrap_err()
            .to_string()
            .contains("Tessera derives keys with PBKDF2 only")
    );
}

#[test]
fn files_tessera_cannot_open_are_refused_in_words() {
    assert_eq!(
        import(&sample("rfc6030-figure8.xml"), None)
            .unwrap_err()
            .to_string(),
        "this PSKC file's keys are encrypted to a certificate (a public key, RFC 6030 section 6.3); importing PSKC files encrypted with a public key is not supported yet"
    );
    let not_container = b"<Other xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"/>";
    assert_eq!(
        import(not_container, None).unwrap_err().to_string(),
        "the file does not look like a PSKC file: its root element is `Other`, not `KeyContainer`"
    );
    let empty = b"<KeyContainer xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\" Version=\"1.0\"/>";
    assert_eq!(
        import(empty, None).unwrap_err().to_string(),
        "the file does not look like a PSKC file: it has no KeyPackage"
    );
    let named = parse_import(b"<a/>", Some(ImportFormat::Pskc), None).unwrap_err();
    assert_eq!(
        named.to_string(),
        "the file does not look like a PSKC file: its root element is `a`, not `KeyContainer`"
    );
}

#[test]
fn an_encrypted_secret_in_a_file_without_a_key_is_skipped() {
    let no_key = changed("rfc6030-figure6.xml", "<EncryptionKey>", "<Unused>");
    let no_key = String::from_utf8(no_key)
        .unwrap()
        .replacen("</EncryptionKey>", "</Unused>", 1);
    let report = import(no_key.as_bytes(), None).unwrap();
    assert!(report.entries.is_empty());
    assert_eq!(
        report.skipped[0].reason,
        "its secret is encrypted, but the file names no key (EncryptionKey)"
    );
}

#[test]
fn written_files_read_back_with_every_protection() {
    use tessera_core::codes::{Algorithm, OcraSuite, TotpParams};
    use tessera_core::identity::OcraChallenge;
    use tessera_core::transfer::pskc::{PskcKey, PskcProtection, PskcWriteError, write_pskc};
    use zeroize::Zeroizing;

    let secret = |byte: u8| SecretBytes::new(vec![byte; 20]);
    let keys = vec![
        PskcKey {
            serial: Some("4824413456".into()),
            user: Some("Mason & Co <m@example.org>".into()),
            issuer: Some("Tessera".into()),
            id: Some("1".into()),
            kind: IdentityKind::Totp {
                secret: secret(1),
                params: TotpParams::new(Algorithm::Sha256, 8, 30).unwrap(),
            },
        },
        PskcKey {
            serial: None,
            user: None,
            issuer: None,
            id: Some("2".into()),
            kind: IdentityKind::Hotp {
                secret: secret(2),
                algorithm: Algorithm::Sha512,
                digits: 7,
                counter: 99,
            },
        },
        PskcKey {
            serial: Some("1".into()),
            user: Some("ocra".into()),
            issuer: None,
            id: None,
            kind: IdentityKind::Ocra {
                secret: secret(3),
                ocra: OcraChallenge {
                    suite: "OCRA-1:HOTP-SHA256-8:C-QN08".parse::<OcraSuite>().unwrap(),
                    counter: 5,
                },
            },
        },
    ];
    let hex_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    let key = Zeroizing::new(data_encoding::HEXLOWER.decode(hex_key.as_bytes()).unwrap());
    let cases = [
        (PskcProtection::Plain, None),
        (
            PskcProtection::PreSharedKey {
                key: key.clone(),
                name: "shared".into(),
            },
            Some(hex_key),
        ),
        (
            PskcProtection::Password {
                password: secret_text("s3cret"),
                iterations: 1000,
            },
            Some("s3cret"),
        ),
    ];
    for (protection, given) in cases {
        let written = write_pskc(&keys, &protection).unwrap();
        let encrypted = !matches!(protection, PskcProtection::Plain);
        assert_eq!(
            written.contains("PlainValue>AQEB"),
            !encrypted,
            "secrets are plain only when asked"
        );
        let read = read_pskc(written.as_bytes(), given.map(secret_text).as_ref()).unwrap();
        assert!(read.skipped.is_empty());
        let back: Vec<PskcKey> = read.keys.into_iter().map(|(_, key)| key).collect();
        assert_eq!(back, keys);
        if encrypted {
            assert!(
                read_pskc(
                    written.as_bytes(),
                    Some(&secret_text("ffffffffffffffffffffffffffffffff"))
                )
                .is_err()
            );
        }
    }
    let short = PskcProtection::PreSharedKey {
        key: Zeroizing::new(vec![0; 10]),
        name: "k".into(),
    };
    assert_eq!(
        write_pskc(&keys, &short).unwrap_err(),
        PskcWriteError::KeyLength { bytes: 10 }
    );
    let mut with_steam = keys.clone();
    with_steam.push(PskcKey {
        serial: None,
        user: Some("gaben".into()),
        issuer: Some("Steam".into()),
        id: None,
        kind: IdentityKind::Steam { secret: secret(4) },
    });
    let refused = write_pskc(&with_steam, &PskcProtection::Plain).unwrap_err();
    assert_eq!(
        refused,
        PskcWriteError::NoProfile {
            position: 4,
            kind: "Steam Guard"
        }
    );
    assert_eq!(
        refused.to_string(),
        "key 4 makes Steam Guard codes, which PSKC has no profile for: no file was written"
    );
}

fn secret_text(text: &str) -> Password {
    Password::new(text.to_string())
}
