//! Importing the plain export files of other authenticators (tests/interop/aegis, copied from
//! Aegis's own importer tests; see tests/interop/README.md). Expectations are the vectors of
//! tests/interop/aegis/EXPECTED.md, written out here by hand: each imported entry must have the
//! vector's name, issuer, kind, algorithm, digits and period or counter, and give the code that
//! `codes::totp`/`hotp`/`steam_code` compute from the vector's secret (not the imported one).

mod common;

use common::*;
use proptest::prelude::*;
use tessera_core::SecretBytes;
use tessera_core::codes::{self, Algorithm, TotpParams};
use tessera_core::identity::IdentityKind;
use tessera_core::session::SessionError;
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportReport, ImportedEntry, detect_format, parse_import,
};

#[derive(Clone, Copy, Debug)]
enum VKind {
    Totp(u32),
    Hotp(u64),
    Steam,
}

/// A reference vector of EXPECTED.md.
#[derive(Clone, Copy, Debug)]
struct Vector {
    issuer: &'static str,
    name: &'static str,
    secret: &'static str,
    algorithm: Algorithm,
    digits: u8,
    kind: VKind,
}

const fn v(
    issuer: &'static str,
    name: &'static str,
    secret: &'static str,
    algorithm: Algorithm,
    digits: u8,
    kind: VKind,
) -> Vector {
    Vector {
        issuer,
        name,
        secret,
        algorithm,
        digits,
        kind,
    }
}

use Algorithm::{Sha1, Sha256, Sha512};

// EXPECTED.md, "Reference vectors (V1 to V8)".
const V1: Vector = v(
    "Deno",
    "Mason",
    "4SJHB4GSD43FZBAI7C2HLRJGPQ",
    Sha1,
    6,
    VKind::Totp(30),
);
const V2: Vector = v(
    "SPDX",
    "James",
    "5OM4WOOGPLQEF6UGN3CPEOOLWU",
    Sha256,
    7,
    VKind::Totp(20),
);
const V3: Vector = v(
    "Airbnb",
    "Elijah",
    "7ELGJSGXNCCTV3O6LKJWYFV2RA",
    Sha512,
    8,
    VKind::Totp(50),
);
const V4: Vector = v(
    "Issuu",
    "James",
    "YOOMIXWS5GN6RTBPUFFWKTW5M4",
    Sha1,
    6,
    VKind::Hotp(1),
);
const V5: Vector = v(
    "Air Canada",
    "Benjamin",
    "KUVJJOM753IHTNDSZVCNKL7GII",
    Sha256,
    7,
    VKind::Hotp(50),
);
const V6: Vector = v(
    "WWE",
    "Mason",
    "5VAML3X35THCEBVRLV24CGBKOY",
    Sha512,
    8,
    VKind::Hotp(10300),
);
const V7: Vector = v(
    "Boeing",
    "Sophia",
    "JRZCL47CMXVOQMNPZR2F7J4RGI",
    Sha1,
    5,
    VKind::Steam,
);
const ALL: [Vector; 7] = [V1, V2, V3, V4, V5, V6, V7];

/// The fixed times codes are compared at.
const TIMES: [u64; 3] = [59, 1_111_111_109, 2_000_000_000];

fn interop(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/interop/aegis/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A vector as schema-1 2FAS stores it: default TOTP.
fn as_default_totp(vector: Vector) -> Vector {
    Vector {
        algorithm: Sha1,
        digits: 6,
        kind: VKind::Totp(30),
        ..vector
    }
}

/// A HOTP vector with the counter FreeOTP stores (one lower).
fn freeotp_counter(vector: Vector) -> Vector {
    match vector.kind {
        VKind::Hotp(counter) => Vector {
            kind: VKind::Hotp(counter - 1),
            ..vector
        },
        _ => vector,
    }
}

/// Codes the vector gives at [`TIMES`] (TOTP, Steam) or at its counter and the next two (HOTP),
/// computed from the vector's own secret.
fn expected_codes(vector: &Vector) -> Vec<String> {
    let secret = SecretBytes::from_base32(vector.secret).unwrap();
    match vector.kind {
        VKind::Totp(period) => {
            let params = TotpParams::new(vector.algorithm, vector.digits, period).unwrap();
            TIMES
                .iter()
                .map(|&t| codes::totp(&secret, &params, t).unwrap())
                .collect()
        }
        VKind::Hotp(counter) => (counter..counter + 3)
            .map(|c| codes::hotp(&secret, c, vector.digits, vector.algorithm).unwrap())
            .collect(),
        VKind::Steam => TIMES
            .iter()
            .map(|&t| codes::steam_code(&secret, t).unwrap())
            .collect(),
    }
}

/// Codes the imported entry gives, the same way.
fn imported_codes(entry: &ImportedEntry) -> Vec<String> {
    match &entry.kind {
        IdentityKind::Totp { secret, params } => TIMES
            .iter()
            .map(|&t| codes::totp(secret, params, t).unwrap())
            .collect(),
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => (*counter..*counter + 3)
            .map(|c| codes::hotp(secret, c, *digits, *algorithm).unwrap())
            .collect(),
        IdentityKind::Steam { secret } => TIMES
            .iter()
            .map(|&t| codes::steam_code(secret, t).unwrap())
            .collect(),
        other => panic!("an import never makes {other:?}"),
    }
}

fn assert_entry(file: &str, entry: &ImportedEntry, vector: &Vector) {
    let what = format!("{file}: {}/{}", vector.issuer, vector.name);
    assert_eq!(entry.name, vector.name, "{what}");
    assert_eq!(entry.issuer.as_deref(), Some(vector.issuer), "{what}");
    let secret = SecretBytes::from_base32(vector.secret).unwrap();
    assert_eq!(entry.kind.secret(), &secret, "{what}");
    match (&entry.kind, vector.kind) {
        (IdentityKind::Totp { params, .. }, VKind::Totp(period)) => {
            assert_eq!(
                (params.algorithm, params.digits, params.period),
                (vector.algorithm, vector.digits, period),
                "{what}"
            );
        }
        (
            IdentityKind::Hotp {
                algorithm,
                digits,
                counter,
                ..
            },
            VKind::Hotp(expected),
        ) => {
            assert_eq!(
                (*algorithm, *digits, *counter),
                (vector.algorithm, vector.digits, expected),
                "{what}"
            );
        }
        (IdentityKind::Steam { .. }, VKind::Steam) => {
            assert_eq!((vector.algorithm, vector.digits), (Sha1, 5), "{what}");
        }
        (kind, expected) => panic!("{what}: imported {kind:?}, expected {expected:?}"),
    }
    assert_eq!(imported_codes(entry), expected_codes(vector), "{what}");
}

/// Imports `file` (detected, and again with the format given) and checks it gives exactly
/// `expected`, in order, with nothing skipped.
fn check_file(file: &str, format: ImportFormat, expected: &[Vector]) -> ImportReport {
    let bytes = interop(file);
    assert_eq!(detect_format(&bytes), Some(format), "{file}");
    let report = parse_import(&bytes, None).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(report.format, Some(format), "{file}");
    assert_eq!(report.skipped, [], "{file}");
    assert_eq!(report.entries.len(), expected.len(), "{file}");
    for (entry, vector) in report.entries.iter().zip(expected) {
        assert_entry(file, entry, vector);
    }
    assert_eq!(
        parse_import(&bytes, Some(format)).unwrap(),
        report,
        "{file}"
    );
    report
}

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
fn encrypted_and_not_yet_supported_files_say_what_they_are() {
    for (file, message) in [
        (
            "aegis_encrypted.json",
            "this Aegis export is encrypted; importing encrypted Aegis exports is not supported yet",
        ),
        (
            "2fas_authenticator_encrypted_v4.2fas",
            "this 2FAS backup is encrypted; importing encrypted 2FAS backups is not supported yet",
        ),
        (
            "authy_plain.xml",
            "this is an Authy token file; importing Authy files is not supported yet",
        ),
    ] {
        let bytes = interop(file);
        assert_eq!(detect_format(&bytes), None, "{file}");
        let error = parse_import(&bytes, None).unwrap_err();
        assert!(
            matches!(error, ImportError::NotSupportedYet { .. }),
            "{file}: {error:?}"
        );
        assert_eq!(error.to_string(), message, "{file}");
    }
    // Named explicitly as the plain format, the encrypted files still say they are encrypted.
    let error = parse_import(
        &interop("aegis_encrypted.json"),
        Some(ImportFormat::AegisPlain),
    );
    assert!(error.unwrap_err().to_string().contains("is encrypted"));
    let error = parse_import(
        &interop("2fas_authenticator_encrypted_v4.2fas"),
        Some(ImportFormat::TwoFasPlain),
    );
    assert!(error.unwrap_err().to_string().contains("is encrypted"));
}

#[test]
fn file_level_problems_are_errors_with_clear_messages() {
    let aegis = interop("aegis_plain.json");
    let truncated = &aegis[..aegis.len() / 2];
    let error = parse_import(truncated, None).unwrap_err();
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

    let error = parse_import(b"{\n  \"db\": {},\n  oops\n}", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not valid JSON at line 3, column 3"
    );

    assert_eq!(
        parse_import(b"hello, world", None).unwrap_err().to_string(),
        "the file is not a format Tessera can import (it is text with no otpauth:// links and no Bitwarden CSV header)"
    );
    assert_eq!(
        parse_import(b"{\"hello\": 1}", None)
            .unwrap_err()
            .to_string(),
        "the file is not a format Tessera can import (it is a JSON file without the keys of Aegis, 2FAS, FreeOTP+, Bitwarden, Proton or Stratum exports)"
    );
    assert_eq!(parse_import(b" \n", None).unwrap_err(), ImportError::Empty);
    assert_eq!(
        parse_import(
            b"{\"version\":1,\"header\":{},\"db\":{\"entries\":7}}",
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
            Some(ImportFormat::StratumJson)
        )
        .unwrap_err()
        .to_string(),
        "the file does not look like a Stratum backup: it has no `Authenticators` list"
    );
    assert_eq!(
        parse_import(&[0xff, 0xfe, 0x00], None)
            .unwrap_err()
            .to_string(),
        "the file is not a format Tessera can import (it is a binary file, perhaps an encrypted backup, that is not JSON or text)"
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
    let report = parse_import(file, None).unwrap();
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
    let report = parse_import(stratum, None).unwrap();
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
    let report = parse_import(list, None).unwrap();
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
        let report = parse_import(&interop(file), None).unwrap();
        let shown = format!("{report:?}");
        for secret in secret_texts {
            assert!(!shown.contains(secret), "{file} shows a secret");
        }
    }
    // A wrong value where a number goes: serde_json would quote it; our message does not.
    let error = parse_import(
        b"[{\"secret\": \"4SJHB4GSD43FZBAI7C2HLRJGPQ\", \"type\": ",
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
    let mut report = parse_import(&interop("aegis_plain.json"), None).unwrap();
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
        .import(parse_import(&interop("plain.txt"), None).unwrap())
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

    let report = parse_import(&interop("aegis_plain.json"), None).unwrap();
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
    let report = parse_import(&interop("aegis_plain.json"), None).unwrap();
    assert_eq!(session.import(report).unwrap().added.len(), 7);
}

#[test]
fn import_needs_an_unlocked_token() {
    let dir = folder();
    let session = session(dir.path());
    let report = parse_import(&interop("plain.txt"), None).unwrap();
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
        if let Ok(report) = parse_import(&bytes, None) {
            prop_assert_eq!(report.format, detected);
            for entry in &report.entries {
                prop_assert!(!entry.name.trim().is_empty());
                prop_assert!(!entry.kind.secret().is_empty());
            }
        }
        for format in [None, Some(ImportFormat::AegisPlain), Some(ImportFormat::BitwardenCsv), Some(ImportFormat::OtpauthList), Some(ImportFormat::FreeOtpPlus)] {
            let _ = parse_import(&bytes, format);
        }
    }

    #[test]
    fn mangled_exports_never_panic(file in 0usize..6, cut in 0usize..4000, byte in any::<u8>()) {
        let names = ["aegis_plain.json", "2fas_authenticator_plain_v4.2fas", "freeotp_plus.json", "bitwarden.csv", "ente_auth.txt", "stratum_plain.json"];
        let mut bytes = interop(names[file]);
        let at = cut % bytes.len();
        bytes[at] = byte;
        let _ = parse_import(&bytes, None);
        let _ = parse_import(&bytes[..at], None);
    }
}
