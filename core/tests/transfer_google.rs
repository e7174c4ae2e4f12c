//! Google Authenticator export links (tests/interop/google-migration, copied from three
//! projects' published tests; see tests/interop/README.md).
//!
//! The expectations are read from tests/interop/google-migration/EXPECTED.md itself: for each
//! of the 16 lines of uris.txt, its "Payload header" and its table (type, issuer, name, base32
//! secret, algorithm, digits, counter) must be exactly what the link decodes to. The imported
//! entries must give the codes that `codes::totp`/`codes::hotp` (RFC-vector tested) compute
//! from the table's secret, not from the decoded one; line 7 must also give the published
//! 528064 at 1257894000.

use tessera_core::SecretBytes;
use tessera_core::codes::{self, Algorithm, TotpParams};
use tessera_core::identity::IdentityKind;
use tessera_core::transfer::google::{
    GoogleAlgorithm, GoogleDigits, GoogleOtpType, MigrationBatch, MigrationError,
    decode_migration_link,
};
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportedEntry, SkippedEntry, detect_format, parse_import,
};

/// The fixed times TOTP codes are compared at.
const TIMES: [u64; 3] = [59, 1_111_111_109, 2_000_000_000];

fn interop(name: &str) -> String {
    let path = format!(
        "{}/../tests/interop/google-migration/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lines() -> Vec<String> {
    interop("uris.txt").lines().map(str::to_string).collect()
}

// --- EXPECTED.md ---------------------------------------------------------------------------

/// One "### Line N" section.
#[derive(Debug, Default)]
struct Section {
    line: usize,
    header: [i32; 4],
    accounts: Vec<Row>,
}

/// One row of a section's table, as written.
#[derive(Debug, Clone)]
struct Row {
    otp_type: String,
    issuer: String,
    name: String,
    secret: String,
    bytes: usize,
    algorithm: String,
    digits: String,
    counter: String,
}

/// "version=1, batch_size=absent, ..." in the order version, batch_size, batch_index, batch_id.
fn header(text: &str) -> [i32; 4] {
    let mut values = [0; 4];
    for (slot, key) in ["version", "batch_size", "batch_index", "batch_id"]
        .iter()
        .enumerate()
    {
        let start = text.find(&format!("{key}=")).expect(key) + key.len() + 1;
        let value: String = text[start..]
            .chars()
            .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
            .collect();
        values[slot] = if value == "absent" {
            0
        } else {
            value.parse().expect(key)
        };
    }
    values
}

fn cell(text: &str) -> String {
    let text = text.trim();
    if text == "*(empty)*" {
        return String::new();
    }
    text.trim_matches('`').to_string()
}

fn sections() -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for line in interop("EXPECTED.md").lines() {
        if let Some(number) = line.strip_prefix("### Line ") {
            sections.push(Section {
                line: number.trim().parse().unwrap(),
                ..Section::default()
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        if let Some(text) = line.strip_prefix("- Payload header: ") {
            section.header = header(text);
        } else if line.starts_with("| ") && !line.starts_with("| #") && !line.starts_with("|---") {
            let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
            assert_eq!(cells.len(), 9, "{line}");
            section.accounts.push(Row {
                otp_type: cell(cells[1]),
                issuer: cell(cells[2]),
                name: cell(cells[3]),
                secret: cell(cells[4]),
                bytes: cell(cells[5]).parse().unwrap(),
                algorithm: cell(cells[6]),
                digits: cell(cells[7]),
                counter: cell(cells[8]),
            });
        }
    }
    sections
}

// --- what the rows mean --------------------------------------------------------------------

fn secret(row: &Row) -> SecretBytes {
    let bytes = data_encoding::BASE32_NOPAD
        .decode(row.secret.as_bytes())
        .unwrap();
    assert_eq!(bytes.len(), row.bytes, "{row:?}");
    SecretBytes::new(bytes)
}

/// The account name and issuer Tessera gives a row (tessera_core::transfer::google's
/// documented rule, written out here): the issuer's `Issuer:` prefix comes off the name;
/// without an issuer, the part of the name before its first `:` is the issuer.
fn names(row: &Row) -> (String, Option<String>) {
    if !row.issuer.is_empty() {
        let account = row
            .name
            .strip_prefix(&format!("{}:", row.issuer))
            .unwrap_or(&row.name);
        return (account.trim().to_string(), Some(row.issuer.clone()));
    }
    match row.name.split_once(':') {
        Some((issuer, account)) => (account.trim().to_string(), Some(issuer.trim().to_string())),
        None => (row.name.clone(), None),
    }
}

/// Codes from the row's own secret: TOTP (SHA1, 6 digits, 30 s, the defaults for unspecified
/// values) at [`TIMES`], or HOTP at the counter and the next two.
fn expected_codes(row: &Row) -> Vec<String> {
    let secret = secret(row);
    let six = if row.digits == "EIGHT" { 8 } else { 6 };
    match row.otp_type.as_str() {
        "TOTP" => {
            let params = TotpParams::new(Algorithm::Sha1, six, 30).unwrap();
            TIMES
                .iter()
                .map(|&t| codes::totp(&secret, &params, t).unwrap())
                .collect()
        }
        "HOTP" => {
            let counter: u64 = row.counter.parse().unwrap();
            (counter..counter + 3)
                .map(|c| codes::hotp(&secret, c, six, Algorithm::Sha1).unwrap())
                .collect()
        }
        other => panic!("a row of type {other}"),
    }
}

fn imported_codes(entry: &ImportedEntry) -> Vec<String> {
    match &entry.kind {
        IdentityKind::Totp { secret, params } => {
            assert_eq!(params.period, 30);
            TIMES
                .iter()
                .map(|&t| codes::totp(secret, params, t).unwrap())
                .collect()
        }
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => (*counter..*counter + 3)
            .map(|c| codes::hotp(secret, c, *digits, *algorithm).unwrap())
            .collect(),
        other => panic!("a Google import never makes {other:?}"),
    }
}

fn assert_decoded(section: &Section, batch: &MigrationBatch) {
    let what = format!("line {}", section.line);
    assert_eq!(
        [
            batch.version,
            batch.batch_size,
            batch.batch_index,
            batch.batch_id
        ],
        section.header,
        "{what}"
    );
    assert_eq!(batch.accounts.len(), section.accounts.len(), "{what}");
    for (account, row) in batch.accounts.iter().zip(&section.accounts) {
        let what = format!("{what}: {}", row.name);
        assert_eq!(account.name, row.name, "{what}");
        assert_eq!(account.issuer, row.issuer, "{what}");
        assert_eq!(account.secret, secret(row), "{what}");
        let algorithm = match account.algorithm {
            GoogleAlgorithm::Unspecified => "UNSPECIFIED",
            GoogleAlgorithm::Sha1 => "SHA1",
            other => panic!("{what}: {other:?}"),
        };
        assert_eq!(algorithm, row.algorithm, "{what}");
        let digits = match account.digits {
            GoogleDigits::Unspecified => "UNSPECIFIED",
            GoogleDigits::Six => "SIX",
            other => panic!("{what}: {other:?}"),
        };
        assert_eq!(digits, row.digits, "{what}");
        let otp_type = match account.otp_type {
            GoogleOtpType::Totp => "TOTP",
            GoogleOtpType::Hotp => "HOTP",
            other => panic!("{what}: {other:?}"),
        };
        assert_eq!(otp_type, row.otp_type, "{what}");
        let counter = if row.counter.is_empty() {
            0
        } else {
            row.counter.parse().unwrap()
        };
        assert_eq!(account.counter, counter, "{what}");
    }
}

fn assert_imported(what: &str, entry: &ImportedEntry, row: &Row) {
    let (name, issuer) = names(row);
    assert_eq!(entry.name, name, "{what}");
    assert_eq!(entry.issuer, issuer, "{what}");
    assert_eq!(entry.kind.secret(), &secret(row), "{what}");
    assert_eq!(imported_codes(entry), expected_codes(row), "{what}");
}

// --- the 16 lines --------------------------------------------------------------------------

#[test]
fn expected_md_has_a_section_for_each_of_the_16_lines() {
    let sections = sections();
    assert_eq!(
        sections.iter().map(|s| s.line).collect::<Vec<_>>(),
        (1..=16).collect::<Vec<_>>()
    );
    assert_eq!(lines().len(), 16);
    let accounts: usize = sections.iter().map(|s| s.accounts.len()).sum();
    assert_eq!(accounts, 43);
}

#[test]
fn every_line_decodes_to_its_expected_section() {
    for (section, line) in sections().iter().zip(lines()) {
        let batch =
            decode_migration_link(&line).unwrap_or_else(|e| panic!("line {}: {e}", section.line));
        assert_decoded(section, &batch);
    }
}

#[test]
fn every_line_imports_with_the_expected_names_and_codes() {
    for (section, line) in sections().iter().zip(lines()) {
        let what = format!("line {}", section.line);
        assert_eq!(
            detect_format(line.as_bytes()),
            Some(ImportFormat::GoogleMigration),
            "{what}"
        );
        let report = parse_import(line.as_bytes(), None).unwrap_or_else(|e| panic!("{what}: {e}"));
        let parts_missing = section.header[1] > 1;
        assert_eq!(report.skipped.len(), usize::from(parts_missing), "{what}");
        assert_eq!(report.entries.len(), section.accounts.len(), "{what}");
        for (entry, row) in report.entries.iter().zip(&section.accounts) {
            assert_imported(&what, entry, row);
        }
    }
}

#[test]
fn the_whole_file_imports_all_43_accounts_with_nothing_skipped() {
    let text = interop("uris.txt");
    let report = parse_import(text.as_bytes(), None).unwrap();
    assert_eq!(report.format, Some(ImportFormat::GoogleMigration));
    assert_eq!(report.skipped, []);
    let rows: Vec<Row> = sections().into_iter().flat_map(|s| s.accounts).collect();
    assert_eq!(report.entries.len(), rows.len());
    for (entry, row) in report.entries.iter().zip(&rows) {
        assert_imported("uris.txt", entry, row);
    }
    assert_eq!(
        parse_import(text.as_bytes(), Some(ImportFormat::GoogleMigration)).unwrap(),
        report
    );
}

#[test]
fn the_names_chosen_for_the_quirky_lines() {
    let lines = lines();
    let entry = |line: usize, index: usize| {
        parse_import(lines[line - 1].as_bytes(), None)
            .unwrap()
            .entries[index]
            .clone()
    };
    // Line 5: no issuer, a `:` in the name: the part before it is the issuer.
    let five = entry(5, 0);
    assert_eq!(five.name, "¿äÄéÉ? (demo)");
    assert_eq!(five.issuer.as_deref(), Some("encoding"));
    // Line 6: the issuer and an `Issuer:` prefix.
    let six = entry(6, 3);
    assert_eq!(six.name, "test4@serenitylabs.co.uk");
    assert_eq!(six.issuer.as_deref(), Some("SerenityLabs"));
    // Line 4: HOTP at counter 4; line 2: no issuer, no colon.
    let four = entry(4, 0);
    assert!(matches!(four.kind, IdentityKind::Hotp { counter: 4, .. }));
    assert_eq!(
        (four.name.as_str(), four.issuer.as_deref()),
        ("hotp demo", None)
    );
}

#[test]
fn line_7_gives_the_published_code() {
    // dim13/otpauth migration/evaluate_test.go: 528064 at 2009-11-10T23:00:00Z.
    let report = parse_import(lines()[6].as_bytes(), None).unwrap();
    let IdentityKind::Totp { secret, params } = &report.entries[0].kind else {
        panic!("line 7 is TOTP");
    };
    assert_eq!(
        (params.algorithm, params.digits, params.period),
        (Algorithm::Sha1, 6, 30)
    );
    assert_eq!(
        codes::totp(secret, params, 1_257_894_000).unwrap(),
        "528064"
    );
}

#[test]
fn line_9_holds_no_accounts() {
    let report = parse_import(lines()[8].as_bytes(), None).unwrap();
    assert_eq!((report.entries.len(), report.skipped.len()), (0, 0));
}

// --- batches -------------------------------------------------------------------------------

fn only(report_lines: &[usize]) -> String {
    let lines = lines();
    report_lines
        .iter()
        .map(|&n| lines[n - 1].clone() + "\n")
        .collect()
}

#[test]
fn a_batch_with_a_missing_part_imports_the_parts_present_and_names_the_missing_one() {
    let report = parse_import(only(&[14, 16]).as_bytes(), None).unwrap();
    assert_eq!(report.entries.len(), 12);
    assert_eq!(report.entries[10].name, "twenty-one@example.com");
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            name: "the Google Authenticator export of 3 QR codes (lines 1 and 2)".to_string(),
            reason: "QR code 2 of 3 is missing, so the accounts on it were not imported; scan \
                     it too and import again (accounts already on the token are skipped)"
                .to_string(),
        }]
    );
    let report = parse_import(only(&[15]).as_bytes(), None).unwrap();
    assert_eq!(report.entries.len(), 10);
    assert_eq!(
        report.skipped[0].to_string(),
        "the Google Authenticator export of 3 QR codes (line 1): QR codes 1 and 3 of 3 are \
         missing, so the accounts on them were not imported; scan them too and import again \
         (accounts already on the token are skipped)"
    );
}

#[test]
fn runs_of_missing_parts_are_named_as_ranges() {
    // Part 3 of 9 (batch_id 5, no accounts), written by hand: version 1, batch_size 9,
    // batch_index 2, batch_id 5.
    let report = parse_import(
        link_of(&[0x10, 1, 0x18, 9, 0x20, 2, 0x28, 5]).as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(
        report.skipped[0].reason,
        "QR codes 1, 2 and 4 to 9 of 9 are missing, so the accounts on them were not imported; \
         scan them too and import again (accounts already on the token are skipped)"
    );
}

#[test]
fn a_part_given_twice_is_read_once() {
    let report = parse_import(only(&[14, 15, 14, 16]).as_bytes(), None).unwrap();
    assert_eq!(report.entries.len(), 22);
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            name: "line 3".to_string(),
            reason:
                "it is QR code 1 of 3 of the export on line 1 again; its accounts were read once"
                    .to_string(),
        }]
    );
}

#[test]
fn other_lines_in_the_file_are_read_as_links_or_skipped() {
    let text = format!(
        "{}\n\notpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\nhello\n",
        lines()[0]
    );
    let report = parse_import(text.as_bytes(), None).unwrap();
    assert_eq!(
        report
            .entries
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["pi@raspberrypi", "Mason"]
    );
    assert_eq!(
        report.skipped[0].to_string(),
        "line 4: it is not a Google Authenticator export link (otpauth-migration://) or an otpauth:// link"
    );
}

// --- damaged links -------------------------------------------------------------------------

/// The line's `data`, decoded from standard base64 by the `base64` crate here.
fn payload_of(line: &str) -> Vec<u8> {
    use base64::Engine as _;
    let data = line.split_once("data=").unwrap().1;
    let unescaped = percent_encoding::percent_decode_str(data)
        .decode_utf8()
        .unwrap();
    base64::engine::general_purpose::STANDARD
        .decode(unescaped.as_bytes())
        .unwrap()
}

fn link_of(payload: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "otpauth-migration://offline?data={}",
        base64::engine::general_purpose::STANDARD.encode(payload)
    )
}

fn refusal(uri: &str) -> MigrationError {
    decode_migration_link(uri).unwrap_err()
}

#[test]
fn truncated_and_tampered_base64_is_refused_naming_data() {
    let line = &lines()[6];
    // Cut three characters off: the length no longer makes whole bytes.
    assert_eq!(
        refusal(&line[..line.len() - 3]).to_string(),
        "the export link's `data` is not valid base64: its length does not make whole bytes (a character is missing or extra)"
    );
    // A character that base64 does not use, at data position 5.
    let start = line.find("data=").unwrap() + 5;
    let mut tampered = line.clone();
    tampered.replace_range(start + 4..start + 5, "*");
    assert_eq!(
        refusal(&tampered).to_string(),
        "the export link's `data` is not valid base64: character 5 is not one of A-Z, a-z, 0-9, + and /"
    );
    assert_eq!(
        refusal("otpauth-migration://offline?data=CjEK%2").to_string(),
        "the export link's `data` has a `%` that is not followed by two hex digits"
    );
    assert_eq!(
        refusal("otpauth-migration://offline?data=").to_string(),
        "the export link has no `data`: it must look like otpauth-migration://offline?data=..."
    );
    assert_eq!(
        refusal("otpauth-migration://offline"),
        MigrationError::MissingData
    );
    assert_eq!(
        refusal("otpauth-migration://offline?data=AA&data=AA"),
        MigrationError::DuplicateData
    );
    assert_eq!(
        refusal("otpauth://totp/a?secret=AAAA").to_string(),
        "this is not a Google Authenticator export link: it must start with otpauth-migration://"
    );
}

#[test]
fn truncated_and_tampered_protobuf_is_refused_naming_the_field() {
    let payload = payload_of(&lines()[6]);
    // The payload is one otp_parameters (tag 0x0A, length 0x31) and nothing else: cut inside.
    assert_eq!(&payload[..2], &[0x0A, 0x31]);
    let cut = refusal(&link_of(&payload[..payload.len() - 3]));
    assert_eq!(
        cut.to_string(),
        "the export link's data is damaged in `otp_parameters`: it ends too early (was the link cut short or changed?)"
    );
    // The account's name (tag 0x12 at offset 14, after the 10-byte secret) made invalid UTF-8.
    let mut bad_name = payload.clone();
    assert_eq!(bad_name[14], 0x12);
    bad_name[16] = 0xFF;
    assert_eq!(
        refusal(&link_of(&bad_name)),
        MigrationError::Damaged {
            field: "otp_parameters.name".to_string(),
            problem: "its text is not UTF-8".to_string(),
        }
    );
    // The secret's length byte made larger than what follows.
    let mut long_secret = payload.clone();
    assert_eq!(long_secret[2..4], [0x0A, 0x0A]);
    long_secret[3] = 0x7F;
    let error = refusal(&link_of(&long_secret));
    assert!(
        matches!(&error, MigrationError::Damaged { field, .. } if field == "otp_parameters.secret"),
        "{error:?}"
    );
    // A top-level field with a wire type protobuf does not have (7).
    let mut bad_tag = payload.clone();
    bad_tag.extend_from_slice(&[0x17, 0x01]);
    assert_eq!(
        refusal(&link_of(&bad_tag)).to_string(),
        "the export link's data is damaged in `the payload`: it is not encoded as an export (invalid wire type value: 7) (was the link cut short or changed?)"
    );
    // batch_id's varint cut in the middle.
    let batch = payload_of(&lines()[0]);
    let error = refusal(&link_of(&batch[..batch.len() - 1]));
    assert_eq!(
        error,
        MigrationError::Damaged {
            field: "batch_id".to_string(),
            problem: "a number in it is cut short or malformed".to_string(),
        }
    );
}

#[test]
fn impossible_batch_headers_are_refused() {
    // version 1, batch_size 3, batch_index 3 (written by hand: tags 0x10, 0x18, 0x20).
    assert_eq!(
        refusal(&link_of(&[0x10, 0x01, 0x18, 0x03, 0x20, 0x03])).to_string(),
        "the export link's `batch_index` is 3, but `batch_size` says the export has only 3 QR codes (numbered from 0)"
    );
    assert_eq!(
        refusal(&link_of(&[0x20, 0x01])).to_string(),
        "the export link's `batch_index` is 1, but `batch_size` says the export has only 1 QR code (numbered from 0)"
    );
    // batch_size -1 (a ten-byte varint).
    let mut negative = vec![0x18];
    negative.extend_from_slice(&[0xFF; 9]);
    negative.push(0x01);
    assert_eq!(
        refusal(&link_of(&negative)).to_string(),
        "the export link's `batch_size` is -1, but it cannot be negative"
    );
}

#[test]
fn a_damaged_link_in_a_file_stops_the_import_and_names_its_line() {
    let line = &lines()[6];
    let text = format!("{}\n{}\n", lines()[0], &line[..line.len() - 3]);
    let error = parse_import(text.as_bytes(), None).unwrap_err();
    assert!(
        matches!(error, ImportError::MigrationLink { line: 2, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("line 2: the export link's `data` is not valid base64"),
        "{error}"
    );
}

// --- accounts Tessera cannot use ----------------------------------------------------------

/// One otp_parameters message, written out byte by byte: a 10-byte secret, a name, and the
/// given algorithm, digits and type values (fields 4, 5, 6).
fn account_bytes(name: &str, algorithm: u8, digits: u8, otp_type: u8) -> Vec<u8> {
    let mut inner = vec![0x0A, 10];
    inner.extend_from_slice(b"Hello!\xde\xad\xbe\xef");
    inner.push(0x12);
    inner.push(u8::try_from(name.len()).unwrap());
    inner.extend_from_slice(name.as_bytes());
    inner.extend_from_slice(&[0x20, algorithm, 0x28, digits, 0x30, otp_type]);
    let mut message = vec![0x0A, u8::try_from(inner.len()).unwrap()];
    message.extend_from_slice(&inner);
    message
}

#[test]
fn md5_unknown_values_and_short_secrets_are_skipped_with_a_reason() {
    let mut payload = Vec::new();
    for (name, algorithm, digits, otp_type) in [
        ("md5", 4, 1, 2),
        ("algo9", 9, 1, 2),
        ("digits3", 1, 3, 2),
        ("type5", 1, 1, 5),
        ("sha512eight", 3, 2, 2),
        ("defaults", 0, 0, 0),
    ] {
        payload.extend(account_bytes(name, algorithm, digits, otp_type));
    }
    let mut short = vec![0x0A, 0x07, 0x0A, 0x01, 0x41, 0x12, 0x02, b'a', b'b'];
    payload.append(&mut short);
    let report = parse_import(link_of(&payload).as_bytes(), None).unwrap();
    let skipped: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "line 1, account 1 (\"md5\"): it uses the MD5 algorithm, which Tessera does not support (SHA1, SHA256 and SHA512 are)",
            "line 1, account 2 (\"algo9\"): its algorithm is 9, a value Google Authenticator does not define",
            "line 1, account 3 (\"digits3\"): its number of digits is given as 3, a value Google Authenticator does not define",
            "line 1, account 4 (\"type5\"): its type is 5, a value Google Authenticator does not define (1 is HOTP, 2 is TOTP)",
            "line 1, account 7 (\"ab\"): the secret is too short: 8 bits, at least 80 are needed",
        ]
    );
    let secret = SecretBytes::new(b"Hello!\xde\xad\xbe\xef".to_vec());
    let kinds: Vec<(&str, Algorithm, u8)> = report
        .entries
        .iter()
        .map(|e| match &e.kind {
            IdentityKind::Totp { params, secret: s } => {
                assert_eq!(s, &secret);
                assert_eq!(params.period, 30);
                (e.name.as_str(), params.algorithm, params.digits)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("sha512eight", Algorithm::Sha512, 8),
            ("defaults", Algorithm::Sha1, 6)
        ]
    );
}

proptest::proptest! {
    /// Any `data` (as text, and as base64 of any bytes) is decoded or refused, never a panic.
    #[test]
    fn any_data_never_panics(text in ".{0,200}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let _ = decode_migration_link(&format!("otpauth-migration://offline?data={text}"));
        if let Ok(batch) = decode_migration_link(&link_of(&bytes)) {
            for account in &batch.accounts {
                let _ = account.to_entry();
            }
        }
        let _ = parse_import(link_of(&bytes).as_bytes(), None);
    }
}
