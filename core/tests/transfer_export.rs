//! Exporting identities: otpauth:// links and Google Authenticator export links (and their QR
//! code images), each imported back into a fresh token, whose codes must equal the original
//! token's at fixed times (and the RFC 6238 vector's for the RFC seeds). QR images are read
//! back with rqrr, an independent QR decoder, and it is what rqrr reads that is imported.

mod common;

use std::sync::Arc;

use common::*;
use tessera_core::SecretBytes;
use tessera_core::codes::{Algorithm, OcraSuite, TotpParams};
use tessera_core::identity::{Identity, IdentityKind, OcraChallenge};
use tessera_core::session::Session;
use tessera_core::transfer::export::{
    Export, ExportFileError, LinkFormat, export_google, export_otpauth, qr_png, write_private_file,
};
use tessera_core::transfer::google::{
    ACCOUNTS_PER_QR, GoogleAlgorithm, GoogleDigits, GoogleOtpType, decode_migration_link,
};
use tessera_core::transfer::{ImportReport, ImportedEntry, parse_import};

/// The fixed times codes are compared at.
const TIMES: [u64; 4] = [59, 1_111_111_109, 1_234_567_890, 2_000_000_000];

const OCRA_SUITE: &str = "OCRA-1:HOTP-SHA1-6:QN08";

/// The names of the identities [`full_token`] adds and which formats carry them.
const OTPAUTH_NAMES: [&str; 6] = ["sha256", "sha512", "seven", "counter", "gaben", "eight"];
const GOOGLE_NAMES: [&str; 4] = ["sha256", "sha512", "counter", "eight"];

/// A token with every kind of identity: RFC 6238 SHA256 and SHA512 seeds (8 digits, 30 s), a
/// 7-digit 60 s TOTP, the RFC 4226 HOTP, a Steam account, an 8-digit HOTP at counter 5, an
/// IdentityGuard identity and an OCRA identity.
fn full_token(dir: &std::path::Path) -> Arc<Session> {
    let session = session(dir);
    let (sha256, _, _) = rfc6238_rows("SHA256")[0].clone();
    let (sha512, _, _) = rfc6238_rows("SHA512")[0].clone();
    new_token_with_link(&session, &rfc6238_link("sha256", "SHA256", &sha256));
    add_link(&session, &rfc6238_link("sha512", "SHA512", &sha512));
    add_link(
        &session,
        "otpauth://totp/Big%20Corp:seven?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Big%20Corp&digits=7&period=60",
    );
    add_link(&session, HOTP_LINK);
    add_link(&session, STEAM_LINK);
    add_link(
        &session,
        "otpauth://hotp/Bank:eight?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bank&digits=8&counter=5",
    );
    add_ig(&session, &IgIssuer::spec());
    let ocra = ImportedEntry {
        name: "challenges".to_string(),
        issuer: Some("Bank".to_string()),
        kind: IdentityKind::Ocra {
            secret: SecretBytes::new(b"an OCRA secret of 20".to_vec()),
            ocra: OcraChallenge {
                suite: OCRA_SUITE.parse::<OcraSuite>().unwrap(),
                counter: 0,
            },
        },
    };
    let outcome = session
        .import(ImportReport {
            entries: vec![ocra],
            ..ImportReport::default()
        })
        .unwrap();
    assert_eq!(outcome.added.len(), 1);
    session
}

/// A fresh token (with one unrelated identity) that imports `text`.
fn import_into_fresh(dir: &std::path::Path, text: &str) -> Arc<Session> {
    let session = session(dir);
    new_token_with_link(
        &session,
        "otpauth://totp/Seed:first?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    );
    let report = parse_import(text.as_bytes(), None, None).unwrap();
    assert_eq!(report.skipped, []);
    let outcome = session.import(report).unwrap();
    assert_eq!(outcome.skipped, []);
    session
}

/// Codes of the identity named `name` at [`TIMES`] (for HOTP: the next four counters).
fn codes_of(session: &Session, name: &str) -> Vec<String> {
    let id = session.find(name).unwrap().id;
    TIMES
        .iter()
        .map(|&t| session.code_at(&id, t).unwrap().code)
        .collect()
}

fn links_text(export: &Export) -> String {
    export
        .links
        .iter()
        .map(|link| format!("{}\n", link.as_str()))
        .collect()
}

fn assert_same_codes(original: &Session, imported: &Session, names: &[&str]) {
    for name in names {
        assert_eq!(codes_of(imported, name), codes_of(original, name), "{name}");
    }
}

/// The RFC 6238 rows' codes for the seeds, from the imported token.
fn assert_rfc_codes(imported: &Session) {
    for (name, algorithm) in [("sha256", "SHA256"), ("sha512", "SHA512")] {
        let id = imported.find(name).unwrap().id;
        for (_, time, expected) in rfc6238_rows(algorithm) {
            assert_eq!(
                imported.code_at(&id, time).unwrap().code,
                expected,
                "{name} {time}"
            );
        }
    }
}

fn reasons(export: &Export) -> Vec<String> {
    export
        .report
        .skipped
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn otpauth_export_round_trips_totp_hotp_and_steam() {
    let (a, b) = (folder(), folder());
    let original = full_token(a.path());
    let export = original.export(LinkFormat::Otpauth, PIN).unwrap();
    assert_eq!(export.links.len(), 6);
    assert_eq!(
        export.report.exported,
        [
            "RFC: sha256",
            "RFC: sha512",
            "Big Corp: seven",
            "Example: counter",
            "Steam: gaben",
            "Bank: eight"
        ]
    );
    assert!(export.links[4].starts_with("otpauth://steam/Steam:gaben?secret="));
    let skipped = reasons(&export);
    assert_eq!(skipped.len(), 2);
    assert!(skipped[0].ends_with(
        "it is an IdentityGuard identity (its serial number, registration and unlock codes), which otpauth:// links cannot describe; Tessera's encrypted backup keeps it"
    ));
    assert_eq!(
        skipped[1],
        "Bank: challenges: it answers OCRA challenges, which otpauth:// links cannot describe; Tessera's encrypted backup keeps it"
    );

    let imported = import_into_fresh(b.path(), &links_text(&export));
    assert_same_codes(&original, &imported, &OTPAUTH_NAMES);
    assert_rfc_codes(&imported);
    // KeePassXC's recorded Steam codes (common::STEAM_LINK).
    let gaben = imported.find("gaben").unwrap().id;
    assert_eq!(
        imported.code_at(&gaben, 1_511_200_518).unwrap().code,
        "FR8RV"
    );
}

#[test]
fn google_export_round_trips_through_its_qr_images() {
    let (a, b) = (folder(), folder());
    let original = full_token(a.path());
    let export = original.export(LinkFormat::Google, PIN).unwrap();
    assert_eq!(
        export.report.exported,
        [
            "RFC: sha256",
            "RFC: sha512",
            "Example: counter",
            "Bank: eight"
        ]
    );
    let skipped = reasons(&export);
    assert_eq!(
        skipped[0],
        "Big Corp: seven: its codes change every 60 seconds, and Google Authenticator exports only have 30-second codes"
    );
    assert_eq!(
        skipped[1],
        "Steam: gaben: it makes Steam Guard codes, which Google Authenticator cannot; export it as otpauth:// links instead"
    );
    assert!(skipped[2].ends_with(
        "which Google Authenticator exports cannot describe; Tessera's encrypted backup keeps it"
    ));
    assert!(skipped[3].starts_with("Bank: challenges: it answers OCRA challenges"));
    assert_eq!(skipped.len(), 4);
    assert_eq!(export.links.len(), 1);

    let scanned: String = export
        .links
        .iter()
        .map(|link| format!("{}\n", read_qr(&qr_png(link).unwrap())))
        .collect();
    assert_eq!(scanned, links_text(&export));
    let imported = import_into_fresh(b.path(), &scanned);
    assert_same_codes(&original, &imported, &GOOGLE_NAMES);
    assert_rfc_codes(&imported);
}

/// The text of the one QR code in a PNG, as rqrr reads it.
fn read_qr(png: &[u8]) -> String {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let (width, height) = image.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

// --- batches ------------------------------------------------------------------------------

fn totp_identity(index: usize, name: String) -> Identity {
    let mut secret = b"0123456789abcdefghij".to_vec();
    secret[0] = u8::try_from(index).unwrap();
    Identity {
        id: format!("id{index}"),
        name,
        issuer: Some("ACME".to_string()),
        kind: IdentityKind::Totp {
            secret: SecretBytes::new(secret),
            params: TotpParams::new(Algorithm::Sha1, 6, 30).unwrap(),
        },
        added_at: 0,
    }
}

#[test]
fn google_exports_are_split_into_qr_sized_batches_with_their_header() {
    let identities: Vec<Identity> = (0..23)
        .map(|i| totp_identity(i, format!("user{i}@example.com")))
        .collect();
    let export = export_google(&identities, -123_456);
    assert_eq!(export.links.len(), 3);
    let mut accounts = Vec::new();
    for (index, link) in export.links.iter().enumerate() {
        let batch = decode_migration_link(link).unwrap();
        assert_eq!(
            (
                batch.version,
                batch.batch_size,
                batch.batch_index,
                batch.batch_id
            ),
            (1, 3, i32::try_from(index).unwrap(), -123_456)
        );
        assert_eq!(
            batch.accounts.len(),
            [ACCOUNTS_PER_QR, ACCOUNTS_PER_QR, 3][index]
        );
        accounts.extend(batch.accounts);
    }
    for (account, identity) in accounts.iter().zip(&identities) {
        assert_eq!(account.name, format!("ACME:{}", identity.name));
        assert_eq!(account.issuer, "ACME");
        assert_eq!(&account.secret, identity.kind.secret());
        assert_eq!(
            (account.algorithm, account.digits, account.otp_type),
            (
                GoogleAlgorithm::Sha1,
                GoogleDigits::Six,
                GoogleOtpType::Totp
            )
        );
    }
    // Every QR code scans back to its link.
    for link in &export.links {
        assert_eq!(read_qr(&qr_png(link).unwrap()), link.as_str());
    }
    // Long names spread over more QR codes, and each stays small enough to scan.
    let long: Vec<Identity> = (0..10)
        .map(|i| totp_identity(i, format!("{i}{}", "x".repeat(200))))
        .collect();
    let export = export_google(&long, 7);
    assert!(export.links.len() > 2, "{}", export.links.len());
    assert!(export.links.iter().all(|link| link.len() < 1500));
    // Parts whose batch is whole import with nothing skipped.
    let report = parse_import(links_text(&export).as_bytes(), None, None).unwrap();
    assert_eq!((report.entries.len(), report.skipped.len()), (10, 0));
}

#[test]
fn names_with_colons_and_no_issuer_survive_both_formats() {
    let mut odd = totp_identity(1, "a:b".to_string());
    odd.issuer = None;
    let mut colon_issuer = totp_identity(2, "c:d".to_string());
    colon_issuer.issuer = Some("R&D: 100%".to_string());
    let identities = [odd, colon_issuer];
    for export in [export_otpauth(&identities), export_google(&identities, 1)] {
        let report = parse_import(links_text(&export).as_bytes(), None, None).unwrap();
        let names: Vec<(&str, Option<&str>)> = report
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.issuer.as_deref()))
            .collect();
        assert_eq!(names, [("a:b", None), ("c:d", Some("R&D: 100%"))]);
    }
}

#[test]
fn an_empty_token_exports_nothing_and_debug_hides_the_links() {
    assert!(export_google(&[], 1).links.is_empty());
    let export = export_otpauth(&[totp_identity(3, "bob".to_string())]);
    let shown = format!("{export:?}");
    assert!(shown.contains("<1 links redacted>"), "{shown}");
    assert!(!shown.contains("secret="), "{shown}");
}

// --- files -------------------------------------------------------------------------------

#[test]
fn export_files_are_private_and_never_replaced_unless_asked() {
    let dir = folder();
    let path = dir.path().join("export.txt");
    write_private_file(&path, b"one", false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"one");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let error = write_private_file(&path, b"two", false).unwrap_err();
    assert_eq!(error, ExportFileError::Exists { path: path.clone() });
    assert_eq!(
        error.to_string(),
        format!("{} already exists; it was left as it is", path.display())
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"one");
    write_private_file(&path, b"two", true).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"two");
    assert_eq!(files_in(dir.path()), ["export.txt"]);

    let missing = dir.path().join("no such folder").join("export.txt");
    let error = write_private_file(&missing, b"x", false).unwrap_err();
    assert!(
        matches!(&error, ExportFileError::Io { path, .. } if path == &missing),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("could not write "), "{error}");
}

#[test]
fn export_needs_an_unlocked_token_and_the_pin_again() {
    let dir = folder();
    let original = full_token(dir.path());
    let error = original.export(LinkFormat::Otpauth, WRONG_PIN).unwrap_err();
    assert!(error.to_string().starts_with("wrong PIN"), "{error}");
    assert!(original.export(LinkFormat::Otpauth, PIN).is_ok());
    original.lock();
    assert!(original.export(LinkFormat::Otpauth, PIN).is_err());
    let empty = folder();
    let error = session(empty.path())
        .export(LinkFormat::Google, PIN)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "there is no token here yet: add an identity to set one up"
    );
}

// --- any identity -----------------------------------------------------------------------

fn name_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    // Letters, digits and the characters labels must escape or split at; never blank at the
    // ends (names are trimmed on the way in).
    "[a-zA-Z0-9]([a-zA-Z0-9@.:&%#?/+=é日 ]{0,18}[a-zA-Z0-9é])?"
}

proptest::proptest! {
    /// Whatever TOTP or HOTP identity a format carries imports back with the same name,
    /// issuer, secret, algorithm, digits and period or counter.
    #[test]
    fn exported_identities_import_back_unchanged(
        name in name_strategy(),
        issuer in proptest::option::of(name_strategy()),
        secret in proptest::collection::vec(proptest::num::u8::ANY, 10..64),
        algorithm in proptest::sample::select(vec![Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]),
        digits in proptest::sample::select(vec![6u8, 8]),
        counter in proptest::option::of(0u64..=i64::MAX as u64),
    ) {
        proptest::prop_assume!(!issuer.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("steam")));
        let kind = match counter {
            Some(counter) => IdentityKind::Hotp {
                secret: SecretBytes::new(secret),
                algorithm,
                digits,
                counter,
            },
            None => IdentityKind::Totp {
                secret: SecretBytes::new(secret),
                params: TotpParams::new(algorithm, digits, 30).unwrap(),
            },
        };
        let identity = Identity { id: "x".into(), name, issuer, kind, added_at: 0 };
        for export in [export_otpauth(std::slice::from_ref(&identity)), export_google(std::slice::from_ref(&identity), 9)] {
            let report = parse_import(links_text(&export).as_bytes(), None, None).unwrap();
            proptest::prop_assert_eq!(report.skipped.len(), 0);
            proptest::prop_assert_eq!(&report.entries[0].name, &identity.name);
            proptest::prop_assert_eq!(&report.entries[0].issuer, &identity.issuer);
            proptest::prop_assert_eq!(&report.entries[0].kind, &identity.kind);
        }
    }
}
