//! Files taken from phone apps through the FFI's `import_file`, as a shell calls it: an
//! Authenticator Plus backup (SQLCipher, password asked, a wrong one shown beside the password
//! field) and a Microsoft Authenticator database recognised by its content. Expectations come
//! from tests/formats/<app>/EXPECTED.md (codes computed by Python's hmac).

mod common;

use common::{T, new_token};
use tessera_ffi::{ImportFormat, InputField, TokenError, TokenSession};

fn sample(app: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/formats/{app}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn code_of(session: &TokenSession, issuer: &str, name: &str) -> String {
    let id = session
        .identities()
        .unwrap()
        .into_iter()
        .find(|i| i.issuer.as_deref() == Some(issuer) && i.name == name)
        .unwrap_or_else(|| panic!("no identity {issuer}: {name}"))
        .id;
    session.code_at(id, T).unwrap().code
}

#[test]
fn an_authenticator_plus_backup_asks_for_its_password_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let file = sample("authenticator-plus", "authplus.db");
    let needed = token.import_file(file.clone(), None, None).unwrap_err();
    let TokenError::PasswordNeeded { format, .. } = needed else {
        panic!("expected PasswordNeeded, got {needed:?}");
    };
    assert_eq!(format, "an Authenticator Plus backup");
    match token.import_file(file.clone(), None, Some("wrong".into())) {
        Err(TokenError::InvalidInput { field, .. }) => assert_eq!(field, InputField::Password),
        other => panic!("expected a wrong password, got {other:?}"),
    }
    assert_eq!(token.identities().unwrap().len(), 1, "nothing was added");
    // EXPECTED.md: password "master pass"; Deno: mason@example.org TOTP 515183 at T, Issuu:
    // james HOTP at counter 5; account 3 skipped (type 7).
    let summary = token
        .import_file(file, None, Some("master pass".into()))
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::AuthenticatorPlusDb));
    assert_eq!(summary.added.len(), 2);
    assert_eq!(summary.skipped.len(), 1);
    assert!(
        summary.skipped[0].reason.contains("type 7"),
        "{:?}",
        summary.skipped
    );
    assert_eq!(code_of(&token, "Deno", "mason@example.org"), "515183");
}

#[test]
fn a_microsoft_authenticator_database_is_recognised_and_imported() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let summary = token
        .import_file(
            sample("microsoft-authenticator-db", "PhoneFactor"),
            None,
            None,
        )
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::MicrosoftAuthenticatorDb));
    assert_eq!(summary.added.len(), 2);
    assert_eq!(
        summary.skipped[0].name,
        "account 3 (\"Contoso: elijah@contoso.com\")"
    );
    let expected = std::fs::read_to_string(format!(
        "{}/../tests/formats/microsoft-authenticator-db/EXPECTED.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let code = code_of(&token, "Microsoft", "james@outlook.com");
    assert_eq!(code.len(), 8);
    assert!(
        expected.contains(&format!(
            "| james@outlook.com | TOTP | 8 | period 30 | SHA1 | {code} |"
        )),
        "{code}"
    );
}
