//! Importing the plain export files of other authenticators (tests/interop/aegis, copied from
//! Aegis's own importer tests; see tests/interop/README.md), checked against the vectors of
//! tests/interop/aegis/EXPECTED.md (`common::interop`).

mod common;

use common::interop::*;
use common::*;
use proptest::prelude::*;
use tessera_core::SecretBytes;
use tessera_core::codes::TotpParams;
use tessera_core::identity::IdentityKind;
use tessera_core::session::SessionError;
use tessera_core::transfer::{ImportError, ImportFormat, detect_format, parse_import};

#[test]
fn aegis_plain_exports_import_v1_to_v7() {
    check_file("aegis_plain.json", ImportFormat::AegisPlain, &ALL);
    // The legacy db version 2 with per-entry groups: groups are not imported.
    check_file(
        "aegis_plain_grouped_v2.json",
        ImportFormat::AegisPlain,
        &ALL,
    );
}

#[test]
fn otpauth_lists_import_v1_to_v7() {
    check_file("plain.txt", ImportFormat::OtpauthList, &ALL);
    check_file(
        "ente_auth.txt",
        ImportFormat::EnteText,
        &[V5, V3, V7, V1, V4, V2, V6],
    );
}

#[test]
fn twofas_backups_import_by_schema() {
    let defaults: Vec<Vector> = [V1, V2, V3, V4, V5, V6].map(as_default_totp).to_vec();
    check_file(
        "2fas_authenticator.json",
        ImportFormat::TwoFasLegacyJson,
        &defaults,
    );
    check_file(
        "2fas_authenticator_plain_v4.2fas",
        ImportFormat::TwoFasPlain,
        &[V1, V4, V5, V6, V7],
    );
}

#[test]
fn andotp_freeotp_stratum_and_proton_import() {
    check_file("andotp_plain.json", ImportFormat::AndOtp, &ALL);
    check_file("stratum_plain.json", ImportFormat::StratumJson, &ALL);
    check_file(
        "freeotp_plus.json",
        ImportFormat::FreeOtpPlus,
        &[V6, V5, V4, V3, V2, V1].map(freeotp_counter),
    );
    check_file(
        "proton_authenticator.json",
        ImportFormat::ProtonJson,
        &[V1, V2, V3],
    );
}

#[test]
fn bitwarden_exports_import_links_and_steam() {
    let steam = Vector {
        issuer: "Steam",
        name: "Steam account",
        ..V7
    };
    check_file(
        "bitwarden.json",
        ImportFormat::BitwardenJson,
        &[V1, V2, V3, steam],
    );
    check_file(
        "bitwarden.csv",
        ImportFormat::BitwardenCsv,
        &[V1, V2, V3, steam],
    );
}

#[test]
fn authy_token_files_import_as_sha1_totp_with_their_digits() {
    // EXPECTED.md: Authy has no algorithm (SHA1), digits come from the file, imported tokens
    // use 30 s; issuer and name as in the vectors ("Deno: Mason" is Mason of Deno).
    let authy = |vector: Vector| Vector {
        algorithm: Sha1,
        kind: VKind::Totp(30),
        ..vector
    };
    check_file(
        "authy_plain.xml",
        ImportFormat::AuthyXml,
        &[authy(V1), authy(V2), authy(V3)],
    );
}

#[test]
fn authy_names_native_tokens_and_bad_files() {
    let file = |tokens: &str| {
        format!(
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n<int name=\"key_version\" value=\"121\" />\n\
             <string name=\"com.authy.storage.tokens.authenticator.key\">{tokens}</string>\n</map>\n"
        )
    };
    // A native Authy token: hex seed, 7 digits, 10 s; the issuer from " - " in the name; and a
    // token whose issuer is only its account type.
    let tokens = "[{&quot;accountType&quot;:&quot;authy&quot;,&quot;secretSeed&quot;:&quot;e4927887e4924af4b1e0a4d0c7a66364&quot;,&quot;digits&quot;:7,&quot;originalName&quot;:&quot;&quot;,&quot;name&quot;:&quot;Twilio - Ops&quot;},\
                  {&quot;accountType&quot;:&quot;github&quot;,&quot;decryptedSecret&quot;:&quot;4SJHB4GSD43FZBAI7C2HLRJGPQ&quot;,&quot;digits&quot;:6,&quot;originalName&quot;:&quot;me&quot;,&quot;name&quot;:&quot;me&quot;},\
                  {&quot;accountType&quot;:&quot;x&quot;,&quot;decryptedSecret&quot;:&quot;NOT*BASE32&quot;,&quot;digits&quot;:6,&quot;originalIssuer&quot;:&quot;X&quot;,&quot;name&quot;:&quot;X: bad&quot;}]";
    let report = parse_import(file(tokens).as_bytes(), None, None).unwrap();
    assert_eq!(report.format, Some(ImportFormat::AuthyXml));
    let seed = SecretBytes::from_hex("e4927887e4924af4b1e0a4d0c7a66364").unwrap();
    let native = &report.entries[0];
    assert_eq!(
        (native.name.as_str(), native.issuer.as_deref()),
        ("Ops", Some("Twilio"))
    );
    let params = TotpParams::new(Sha1, 7, 10).unwrap();
    match &native.kind {
        IdentityKind::Totp { secret, params: p } => {
            assert_eq!(secret, &seed);
            assert_eq!(p, &params);
        }
        other => panic!("{other:?}"),
    }
    let github = &report.entries[1];
    assert_eq!(
        (github.name.as_str(), github.issuer.as_deref()),
        ("me", Some("Github"))
    );
    assert_eq!(
        report.skipped[0].to_string(),
        "token 3 (\"X: bad\"): the secret is not valid base32: character 4 is not one of A-Z and 2-7"
    );

    for (bytes, message) in [
        (
            file("[{&quot;a&quot;:1}").into_bytes(),
            "the file does not look like an Authy token file: its token list is not valid JSON at column 8",
        ),
        (
            file("{&quot;a&quot;:1}").into_bytes(),
            "the file does not look like an Authy token file: its token list is not a JSON list",
        ),
        (
            file("[&bogus;]").into_bytes(),
            "the file does not look like an Authy token file: its token list has an unknown `&...;` escape",
        ),
        (
            b"<map><string name=\"com.authy.other\">[]</string></map>".to_vec(),
            "the file does not look like an Authy token file: it has no `<string name=\"com.authy.storage.tokens.authenticator.key\">` (or `com.authy.storage.tokens.authy.key`)",
        ),
        (
            b"<map><string name=\"com.authy.storage.tokens.authenticator.key\">[]</strin></map>"
                .to_vec(),
            "the file does not look like an Authy token file: its XML is not well formed (near byte 65)",
        ),
    ] {
        assert_eq!(
            parse_import(&bytes, None, None).unwrap_err().to_string(),
            message
        );
    }
}

#[test]
fn otpauth_warnings_come_with_the_report() {
    let list = b"otpauth://totp/Deno:Mason?secret=JBSWY3DPEHPK3PXP&issuer=Other\n\
                 otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&issuer=SPDX\n";
    let report = parse_import(list, None, None).unwrap();
    assert_eq!(report.entries.len(), 2);
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "line 1 (\"Deno:Mason\"): the link's label names the issuer \"Deno\" but its issuer \
             parameter says \"Other\"; \"Other\" is used",
            "line 1 (\"Deno:Mason\"): the secret is only 80 bits long; 128 or more are \
             recommended, so codes for this account are easier to guess than they should be",
        ]
    );
    // Formats built on otpauth links pass them on too, and so does the session.
    let proton = br#"{"version":1,"entries":[{"id":"1","content":{"uri":"otpauth://hotp/A:b?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ","entry_type":"Hotp","name":"b"}}]}"#;
    let report = parse_import(proton, None, None).unwrap();
    assert_eq!(
        report.warnings[0].to_string(),
        "entry 1 (\"b\"): the link does not say where this counter-based account's counter is, so it starts at 0"
    );
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(
        &session,
        "otpauth://totp/Other:James?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other",
    );
    let outcome = session.import(report.clone()).unwrap();
    assert_eq!(outcome.added.len(), 1);
    assert_eq!(outcome.warnings, report.warnings);
}

#[test]
fn file_level_problems_are_errors_with_clear_messages() {
    let aegis = interop("aegis_plain.json");
    let truncated = &aegis[..aegis.len() / 2];
    let error = parse_import(truncated, None, None).unwrap_err();
    assert!(
        matches!(
            error,
            ImportError::BadJson {
                truncated: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("the file is not valid JSON at line "),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .ends_with("(it ends too early: is it complete?)")
    );

    let error = parse_import(b"{\n  \"db\": {},\n  oops\n}", None, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not valid JSON at line 3, column 3"
    );

    assert_eq!(
        parse_import(b"hello, world", None, None)
            .unwrap_err()
            .to_string(),
        "the file is not a format Tessera can import (it is text with no otpauth:// links and no Bitwarden CSV header)"
    );
    assert_eq!(
        parse_import(b"{\"hello\": 1}", None, None)
            .unwrap_err()
            .to_string(),
        "the file is not a format Tessera can import (it is a JSON file without the keys of Aegis, 2FAS, FreeOTP+, Bitwarden, Proton, Stratum, Authy or Steam exports)"
    );
    assert_eq!(
        parse_import(b" \n", None, None).unwrap_err(),
        ImportError::Empty
    );
    assert_eq!(
        parse_import(
            b"{\"version\":1,\"header\":{},\"db\":{\"entries\":7}}",
            None,
            None
        )
        .unwrap_err()
        .to_string(),
        "the file does not look like an Aegis export: `entries` is not a list"
    );
    // The wrong format asked for: a wrong-shape error, not a guess.
    assert_eq!(
        parse_import(
            &interop("andotp_plain.json"),
            Some(ImportFormat::StratumJson),
            None
        )
        .unwrap_err()
        .to_string(),
        "the file does not look like a Stratum backup: it has no `Authenticators` list"
    );
    assert_eq!(
        parse_import(&[0xff, 0xfe, 0x00], None, None)
            .unwrap_err()
            .to_string(),
        "the file is not a format Tessera can import (it is a binary file, perhaps an encrypted backup, that is not JSON or text; an old encrypted andOTP backup must be named as one, since nothing in it says what it is)"
    );
}

#[test]
fn bad_entries_are_skipped_with_reasons_and_the_rest_import() {
    let file = br#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":1,"entries":[
        {"type":"totp","name":"Mason","issuer":"Deno","info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algo":"SHA1","digits":6,"period":30}},
        {"type":"yandex","name":"Ya","issuer":"Yandex","info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algo":"SHA256","digits":8,"period":30}},
        {"type":"motp","name":"M","issuer":null,"info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ"}},
        {"type":"totp","name":"GitHub","issuer":null,"info":{"secret":"NOT*BASE32","algo":"SHA1","digits":6,"period":30}},
        {"type":"totp","name":"Short","issuer":"X","info":{"secret":"MFRGG","algo":"SHA1","digits":6,"period":30}},
        {"type":"totp","name":"Nine","issuer":"X","info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algo":"MD5","digits":9,"period":30}},
        {"type":"hotp","name":"Digits","issuer":"X","info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algo":"SHA1","digits":9,"counter":1}},
        {"type":"totp","name":"","issuer":"","info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ"}}
    ]}}"#;
    let report = parse_import(file, None, None).unwrap();
    assert_eq!(report.entries.len(), 1);
    assert_entry("inline", &report.entries[0], &V1);
    let skipped: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "entry 2 (\"Yandex: Ya\"): its type \"yandex\" is not one Tessera supports (TOTP, HOTP and Steam are)",
            "entry 3 (\"M\"): its type \"motp\" is not one Tessera supports (TOTP, HOTP and Steam are)",
            "entry 4 (\"GitHub\"): the secret is not valid base32: character 4 is not one of A-Z and 2-7",
            "entry 5 (\"X: Short\"): the secret is too short: 24 bits, at least 80 are needed",
            "entry 6 (\"X: Nine\"): the algorithm must be SHA1, SHA256 or SHA512, not \"MD5\"",
            "entry 7 (\"X: Digits\"): the number of digits must be 6, 7 or 8, not 9",
            "entry 8: it has neither a name nor an issuer",
        ]
    );
    // Stratum's mOTP and Yandex types, and a bad line of an otpauth list.
    let stratum = br#"{"Authenticators":[{"Type":3,"Issuer":"A","Username":"a","Secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ"},{"Type":5,"Issuer":"B","Username":"b","Secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ"}]}"#;
    let report = parse_import(stratum, None, None).unwrap();
    assert_eq!(report.entries, []);
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|s| s.reason.as_str())
            .collect::<Vec<_>>(),
        [
            "mOTP entries are not supported by Tessera",
            "Yandex entries are not supported by Tessera"
        ]
    );
    let list = b"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n\notpauth://totp/Bad%20One?issuer=X\n";
    let report = parse_import(list, None, None).unwrap();
    assert_eq!(report.entries.len(), 1);
    assert_eq!(
        report.skipped[0].to_string(),
        "line 3 (\"Bad One\"): the otpauth link has no secret"
    );
}

#[test]
fn no_secret_in_any_debug_or_message() {
    let secret_texts = ALL.map(|v| v.secret);
    for file in [
        "aegis_plain.json",
        "plain.txt",
        "bitwarden.csv",
        "freeotp_plus.json",
        "2fas_authenticator_plain_v4.2fas",
    ] {
        let report = parse_import(&interop(file), None, None).unwrap();
        let shown = format!("{report:?}");
        for secret in secret_texts {
            assert!(!shown.contains(secret), "{file} shows a secret");
        }
    }
    // A wrong value where a number goes: serde_json would quote it; our message does not.
    let error = parse_import(
        b"[{\"secret\": \"4SJHB4GSD43FZBAI7C2HLRJGPQ\", \"type\": ",
        None,
        None,
    )
    .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("4SJHB4"));
}

// --- the session -----------------------------------------------------------------------------

#[test]
fn import_adds_everything_in_one_save_and_reports_duplicates() {
    let dir = folder();
    let session = session(dir.path());
    // The token already has V1 (as "Mason") and an unrelated "James".
    new_token_with_link(
        &session,
        "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno",
    );
    add_link(
        &session,
        "otpauth://totp/Other:James?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other",
    );
    let mut report = parse_import(&interop("aegis_plain.json"), None, None).unwrap();
    // The same account twice in one file.
    let repeat = report.entries[2].clone();
    report.entries.push(repeat);

    let outcome = session.import(report).unwrap();
    let added: Vec<&str> = outcome.added.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        added,
        [
            "James (2)",
            "Elijah",
            "James (3)",
            "Benjamin",
            "Mason (2)",
            "Sophia"
        ]
    );
    let skipped: Vec<String> = outcome.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "\"Deno: Mason\": already on the token as \"Mason\"",
            "\"Airbnb: Elijah\": it repeats \"Elijah\", earlier in this file",
        ]
    );
    assert_eq!(session.identities().unwrap().len(), 8);
    // Codes of the imported identities are the vectors' codes.
    for (summary, vector) in outcome.added.iter().zip([V2, V3, V4, V5, V6, V7]) {
        if let VKind::Totp(_) | VKind::Steam = vector.kind {
            let code = session.code_at(&summary.id, TIMES[1]).unwrap();
            assert_eq!(
                code.code.replace(' ', ""),
                expected_codes(&vector)[1],
                "{summary:?}"
            );
        }
    }
    // The import was saved: a fresh session over the same folder sees it.
    session.lock();
    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(again.identities().unwrap().len(), 8);

    // Importing the same file again adds nothing and saves nothing.
    let outcome = again
        .import(parse_import(&interop("plain.txt"), None, None).unwrap())
        .unwrap();
    assert_eq!(outcome.added, []);
    assert_eq!(outcome.skipped.len(), 7);
}

#[test]
fn a_failed_save_adds_nothing() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(
        &session,
        "otpauth://totp/Other:James?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other",
    );
    let before = files_in(dir.path());
    // Make every write into the folder fail: replace the folder by a file of the same name,
    // keeping the open session (saves write a temporary file in the folder first).
    let moved = dir.path().with_extension("moved");
    std::fs::rename(dir.path(), &moved).unwrap();
    std::fs::write(dir.path(), b"not a folder").unwrap();

    let report = parse_import(&interop("aegis_plain.json"), None, None).unwrap();
    let error = session.import(report).unwrap_err();
    assert!(
        !matches!(error, SessionError::Duplicate { .. }),
        "{error:?}"
    );
    assert_eq!(session.identities().unwrap().len(), 1, "memory unchanged");

    std::fs::remove_file(dir.path()).unwrap();
    std::fs::rename(&moved, dir.path()).unwrap();
    assert_eq!(files_in(dir.path()), before, "disk unchanged");
    assert_eq!(session.identities().unwrap().len(), 1);
    // And the same import works once saving works.
    let report = parse_import(&interop("aegis_plain.json"), None, None).unwrap();
    assert_eq!(session.import(report).unwrap().added.len(), 7);
}

#[test]
fn import_needs_an_unlocked_token() {
    let dir = folder();
    let session = session(dir.path());
    let report = parse_import(&interop("plain.txt"), None, None).unwrap();
    assert!(matches!(
        session.import(report.clone()),
        Err(SessionError::NoToken)
    ));
    new_token_with_link(
        &session,
        "otpauth://totp/Other:James?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other",
    );
    session.lock();
    assert!(matches!(
        session.import(report),
        Err(SessionError::NotUnlocked)
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let detected = detect_format(&bytes);
        if let Ok(report) = parse_import(&bytes, None, None) {
            prop_assert_eq!(report.format, detected);
            for entry in &report.entries {
                prop_assert!(!entry.name.trim().is_empty());
                prop_assert!(!entry.kind.secret().is_empty());
            }
        }
        for format in [None, Some(ImportFormat::AegisPlain), Some(ImportFormat::BitwardenCsv), Some(ImportFormat::OtpauthList), Some(ImportFormat::FreeOtpPlus)] {
            let _ = parse_import(&bytes, format, None);
        }
    }

    #[test]
    fn mangled_exports_never_panic(file in 0usize..6, cut in 0usize..4000, byte in any::<u8>()) {
        let names = ["aegis_plain.json", "2fas_authenticator_plain_v4.2fas", "freeotp_plus.json", "bitwarden.csv", "ente_auth.txt", "stratum_plain.json"];
        let mut bytes = interop(names[file]);
        let at = cut % bytes.len();
        bytes[at] = byte;
        let _ = parse_import(&bytes, None, None);
        let _ = parse_import(&bytes[..at], None, None);
    }
}
