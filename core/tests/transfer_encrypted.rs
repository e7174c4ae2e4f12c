//! Importing encrypted exports: Aegis vaults and 2FAS backups from tests/interop/aegis (copied
//! from Aegis's importer tests; passwords and contents in EXPECTED.md), checked against the
//! vectors of `common::interop`; then every way such a file can be wrong: no password, a wrong
//! one, a changed byte in each cryptographic field, cut or missing fields, and key derivation
//! parameters beyond the bounds. Changed files are made from the real ones by editing one
//! field, so each case fails for the one reason it names.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::interop::*;
use common::*;
use serde_json::{Value, json};
use tessera_core::transfer::{
    ImportError, ImportFormat, MAX_SCRYPT_WORK, Password, detect_format, parse_import,
};

const AEGIS: &str = "aegis_encrypted.json";
const TWOFAS: &str = "2fas_authenticator_encrypted_v4.2fas";

fn password(text: &str) -> Password {
    Password::new(text.to_string())
}

fn import(bytes: &[u8], text: &str) -> Result<tessera_core::transfer::ImportReport, ImportError> {
    parse_import(bytes, None, Some(&password(text)))
}

fn interop_json(file: &str) -> Value {
    serde_json::from_slice(&interop(file)).unwrap()
}

/// The error importing `file` with the right password gives.
fn error_of(file: &Value) -> String {
    import(&serde_json::to_vec(file).unwrap(), "test")
        .unwrap_err()
        .to_string()
}

fn flip_hex(value: &mut Value, at: usize) {
    let mut bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(value.as_str().unwrap().as_bytes())
        .unwrap();
    bytes[at] ^= 0x01;
    *value = json!(data_encoding::HEXLOWER.encode(&bytes));
}

fn edit_base64(value: &mut Value, edit: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = STANDARD.decode(value.as_str().unwrap()).unwrap();
    edit(&mut bytes);
    *value = json!(STANDARD.encode(&bytes));
}

/// A change made to a file (or to one of its slots).
type Edit = fn(&mut Value);

const WRONG_SLOT: &str =
    "the password is wrong, or the file is damaged (header.slots does not open with it)";
const CHANGED_DB: &str = "the file is damaged: db does not match its authentication tag although \
     the password is right: the file was changed or cut";

#[test]
fn encrypted_aegis_imports_v1_to_v7_with_its_password() {
    let report = check_file_with(AEGIS, ImportFormat::AegisEncrypted, Some("test"), &ALL);
    // The same as the plain export of the same vault.
    let plain = parse_import(&interop("aegis_plain.json"), None, None).unwrap();
    assert_eq!(report.entries, plain.entries);
    // Named as the plain format, the file is still read as what it is.
    let named = parse_import(
        &interop(AEGIS),
        Some(ImportFormat::AegisPlain),
        Some(&password("test")),
    )
    .unwrap();
    assert_eq!(named, report);
    assert!(ImportFormat::AegisEncrypted.is_encrypted());
}

#[test]
fn encrypted_twofas_imports_its_five_entries_with_its_password() {
    check_file_with(
        TWOFAS,
        ImportFormat::TwoFasEncrypted,
        Some("test"),
        &[V1, V4, V5, V6, V7],
    );
    let named = parse_import(
        &interop(TWOFAS),
        Some(ImportFormat::TwoFasPlain),
        Some(&password("test")),
    )
    .unwrap();
    assert_eq!(named.format, Some(ImportFormat::TwoFasEncrypted));
    assert_eq!(named.entries.len(), 5);
}

#[test]
fn without_a_password_the_error_asks_for_one() {
    for (file, format, message) in [
        (
            AEGIS,
            ImportFormat::AegisEncrypted,
            "the file is an encrypted Aegis export: a password is needed to import it",
        ),
        (
            TWOFAS,
            ImportFormat::TwoFasEncrypted,
            "the file is an encrypted 2FAS backup: a password is needed to import it",
        ),
    ] {
        let bytes = interop(file);
        assert_eq!(detect_format(&bytes), Some(format));
        for named in [None, Some(format)] {
            let error = parse_import(&bytes, named, None).unwrap_err();
            assert!(
                matches!(error, ImportError::PasswordNeeded { .. }),
                "{error:?}"
            );
            assert_eq!(error.to_string(), message);
        }
    }
}

#[test]
fn a_wrong_password_is_refused_and_names_what_it_did_not_open() {
    let error = import(&interop(AEGIS), "Test").unwrap_err();
    assert_eq!(
        error,
        ImportError::WrongPassword {
            field: "header.slots"
        }
    );
    assert_eq!(error.to_string(), WRONG_SLOT);
    let error = import(&interop(TWOFAS), "tset").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the password is wrong, or the file is damaged (reference does not open with it)"
    );
    // The empty password is a password like any other.
    assert!(matches!(
        import(&interop(TWOFAS), ""),
        Err(ImportError::WrongPassword { .. })
    ));
}

#[test]
fn a_changed_aegis_slot_is_a_wrong_password_and_a_changed_db_is_damage() {
    let slot_edits: [(&str, Edit); 4] = [
        ("salt", |slot| flip_hex(&mut slot["salt"], 0)),
        ("slot nonce", |slot| {
            flip_hex(&mut slot["key_params"]["nonce"], 11)
        }),
        ("slot tag", |slot| {
            flip_hex(&mut slot["key_params"]["tag"], 5)
        }),
        ("wrapped key", |slot| flip_hex(&mut slot["key"], 31)),
    ];
    for (what, edit) in slot_edits {
        let mut file = interop_json(AEGIS);
        edit(&mut file["header"]["slots"][0]);
        assert_eq!(error_of(&file), WRONG_SLOT, "{what}");
    }
    let db_edits: [(&str, Edit); 5] = [
        ("nonce", |f| {
            flip_hex(&mut f["header"]["params"]["nonce"], 0)
        }),
        ("tag", |f| flip_hex(&mut f["header"]["params"]["tag"], 15)),
        ("ciphertext", |f| {
            edit_base64(&mut f["db"], |b| b[100] ^= 0x80)
        }),
        ("cut ciphertext", |f| {
            edit_base64(&mut f["db"], |b| b.truncate(b.len() - 1))
        }),
        ("empty ciphertext", |f| f["db"] = json!("")),
    ];
    for (what, edit) in db_edits {
        let mut file = interop_json(AEGIS);
        edit(&mut file);
        assert_eq!(error_of(&file), CHANGED_DB, "{what}");
    }
}

#[test]
fn missing_or_malformed_aegis_fields_are_named() {
    let cases: [(Edit, &str); 9] = [
        (
            |f| f["header"]["params"]["nonce"] = json!("0011"),
            "the file is damaged: header.params.nonce is 2 bytes long, 12 are needed",
        ),
        (
            |f| f["header"]["params"]["tag"] = Value::Null,
            "the file is damaged: header.params.tag is missing or not text",
        ),
        (
            |f| f["header"]["slots"][0]["salt"] = json!("xyz"),
            "the file is damaged: header.slots[0].salt is not valid hexadecimal (was the file changed or cut?)",
        ),
        (
            |f| f["header"]["slots"][0]["key"] = json!("00ff"),
            "the file is damaged: header.slots[0].key is 2 bytes long, 32 are needed",
        ),
        (
            |f| f["header"]["slots"][0]["r"] = json!("8"),
            "the file is damaged: header.slots[0].r is missing or not a whole number",
        ),
        (
            |f| f["db"] = json!("not base64!"),
            "the file is damaged: db is not valid base64 (was the file changed or cut?)",
        ),
        (
            |f| f["header"]["slots"][0]["type"] = json!(2),
            "the file does not look like an encrypted Aegis export: it has no password slot (type 1) in `header.slots`: it opens only with a fingerprint",
        ),
        (
            |f| f["header"]["slots"] = Value::Null,
            "the file does not look like an encrypted Aegis export: `slots` is not a list",
        ),
        (
            |f| {
                let slot = f["header"]["slots"][0].clone();
                f["header"]["slots"] = json!([slot, slot, slot, slot, slot]);
            },
            "the file asks for more key derivation work than Tessera does: the number of password slots to try (header.slots) would be 5, at most 4",
        ),
    ];
    for (edit, message) in cases {
        let mut file = interop_json(AEGIS);
        edit(&mut file);
        assert_eq!(error_of(&file), message);
    }
}

#[test]
fn costly_scrypt_parameters_are_refused_before_deriving() {
    let cases: [(Edit, &str); 5] = [
        (
            |slot| slot["n"] = json!(1u64 << 40),
            "the file asks for more key derivation work than Tessera does: scrypt memory (128 × r × (n + p + 1) bytes, from header.slots[0]) would be 1125899906844672, at most 134217728",
        ),
        (
            // n × r is at the bound and n × r × p at the work bound: scrypt's p blocks and its
            // scratch block put it over (it peaked at 331 MB when only n × r was counted).
            |slot| {
                slot["n"] = json!(2);
                slot["r"] = json!(1u64 << 19);
                slot["p"] = json!(2);
            },
            "the file asks for more key derivation work than Tessera does: scrypt memory (128 × r × (n + p + 1) bytes, from header.slots[0]) would be 335544320, at most 134217728",
        ),
        (
            |slot| slot["p"] = json!(4096),
            "the file asks for more key derivation work than Tessera does: scrypt work (n × r × p, from header.slots[0]) would be 1073741824, at most 2097152",
        ),
        (
            |slot| slot["r"] = json!(u64::MAX),
            "the file asks for more key derivation work than Tessera does: scrypt memory (128 × r × (n + p + 1) bytes, from header.slots[0]) would be 18446744073709551615, at most 134217728",
        ),
        (
            |slot| slot["n"] = json!(30000),
            "the file is damaged: header.slots[0].n must be a power of two greater than 1, not 30000",
        ),
    ];
    for (edit, message) in cases {
        let mut file = interop_json(AEGIS);
        edit(&mut file["header"]["slots"][0]);
        assert_eq!(error_of(&file), message);
    }
    // The work bound itself is accepted: scrypt runs (and the slot, made for p = 1, does not
    // open).
    let mut file = interop_json(AEGIS);
    file["header"]["slots"][0]["p"] = json!(MAX_SCRYPT_WORK / (32768 * 8));
    assert_eq!(error_of(&file), WRONG_SLOT);
}

#[test]
fn a_cut_file_is_not_json_that_ends_too_early() {
    for file in [AEGIS, TWOFAS] {
        let bytes = interop(file);
        let error = import(&bytes[..bytes.len() - 40], "test").unwrap_err();
        assert!(
            matches!(
                error,
                ImportError::BadJson {
                    truncated: true,
                    ..
                }
            ),
            "{file}: {error:?}"
        );
    }
}

/// `servicesEncrypted` or `reference` split into its three decoded parts, edited, re-joined.
fn edit_twofas(file: &mut Value, field: &str, edit: impl FnOnce(&mut [Vec<u8>; 3])) {
    let parts: Vec<Vec<u8>> = file[field]
        .as_str()
        .unwrap()
        .split(':')
        .map(|p| STANDARD.decode(p).unwrap())
        .collect();
    let mut parts: [Vec<u8>; 3] = parts.try_into().unwrap();
    edit(&mut parts);
    let joined: Vec<String> = parts.iter().map(|p| STANDARD.encode(p)).collect();
    file[field] = json!(joined.join(":"));
}

#[test]
fn a_changed_twofas_backup_gives_the_specific_error() {
    let changed = "the file is damaged: servicesEncrypted does not match its authentication tag \
                   although the password is right: the file was changed or cut";
    let wrong_services =
        "the password is wrong, or the file is damaged (servicesEncrypted does not open with it)";
    let cases: [(&str, Edit, &str); 9] = [
        (
            "ciphertext",
            |f| edit_twofas(f, "servicesEncrypted", |p| p[0][3] ^= 1),
            changed,
        ),
        (
            "tag",
            |f| {
                edit_twofas(f, "servicesEncrypted", |p| {
                    let last = p[0].len() - 1;
                    p[0][last] ^= 1;
                })
            },
            changed,
        ),
        (
            "IV",
            |f| edit_twofas(f, "servicesEncrypted", |p| p[2][0] ^= 1),
            changed,
        ),
        (
            "cut ciphertext",
            |f| edit_twofas(f, "servicesEncrypted", |p| p[0].truncate(10)),
            changed,
        ),
        // A changed salt gives another key: the services no longer open, and the reference,
        // sealed with the old salt, says nothing about the new one.
        (
            "salt",
            |f| edit_twofas(f, "servicesEncrypted", |p| p[1][0] ^= 1),
            wrong_services,
        ),
        (
            "reference",
            |f| edit_twofas(f, "reference", |p| p[0][0] ^= 1),
            "the password is wrong, or the file is damaged (reference does not open with it)",
        ),
        (
            "no reference, changed ciphertext",
            |f| {
                f.as_object_mut().unwrap().remove("reference");
                edit_twofas(f, "servicesEncrypted", |p| p[0][3] ^= 1);
            },
            wrong_services,
        ),
        (
            "short IV",
            |f| edit_twofas(f, "servicesEncrypted", |p| p[2].truncate(8)),
            "the file is damaged: servicesEncrypted (IV) is 8 bytes long, 12 are needed",
        ),
        (
            "two parts",
            |f| f["servicesEncrypted"] = json!("AAAA:BBBB"),
            "the file is damaged: servicesEncrypted has 2 parts separated by `:`, 3 are needed (ciphertext, salt, IV)",
        ),
    ];
    for (what, edit, message) in cases {
        let mut file = interop_json(TWOFAS);
        edit(&mut file);
        assert_eq!(error_of(&file), message, "{what}");
    }
    let mut file = interop_json(TWOFAS);
    file["servicesEncrypted"] = json!("AAAA:*:AAAAAAAAAAAAAAAA");
    assert_eq!(
        error_of(&file),
        "the file is damaged: servicesEncrypted (salt) is not valid base64 (was the file changed or cut?)"
    );
    // Without its reference the untouched file still imports.
    let mut file = interop_json(TWOFAS);
    file.as_object_mut().unwrap().remove("reference");
    let report = import(&serde_json::to_vec(&file).unwrap(), "test").unwrap();
    assert_eq!(report.entries.len(), 5);
}

#[test]
fn a_refused_file_leaves_the_token_unchanged() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(
        &session,
        "otpauth://totp/Other:James?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other",
    );
    let snapshot = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        files_in(dir)
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(dir.join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    };
    let before = snapshot(dir.path());
    for result in [
        import(&interop(AEGIS), "wrong"),
        import(&interop(TWOFAS), "wrong"),
        parse_import(&interop(AEGIS), None, None),
    ] {
        assert!(result.is_err());
    }
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(session.identities().unwrap().len(), 1);
    // With the password, everything is added in one save.
    let outcome = session
        .import(import(&interop(AEGIS), "test").unwrap())
        .unwrap();
    assert_eq!(outcome.added.len(), 7);
}

#[test]
fn no_secret_or_password_in_any_message() {
    let report = import(&interop(AEGIS), "test").unwrap();
    let shown = format!("{report:?}");
    for vector in ALL {
        assert!(!shown.contains(vector.secret));
    }
    let error = import(&interop(AEGIS), "my-secret-password").unwrap_err();
    assert!(!format!("{error} {error:?}").contains("my-secret-password"));
    assert_eq!(format!("{:?}", password("hunter2")), "Password(..)");
}
