//! Importing the samples of tests/formats (made by scripts/formats/make_*.py from each app's
//! published format, docs/formats/): every file imports to the entries its EXPECTED.md lists,
//! in order, each giving the code the script computed with Python's hmac, and skips exactly the
//! entries listed there with their reasons. Then every way such a file can be wrong: no
//! password, a wrong one, a cut or changed file, key derivation costs beyond the bounds.

use std::path::PathBuf;

use serde_json::{Value, json};
use tessera_core::codes::{self, Algorithm};
use tessera_core::identity::IdentityKind;
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportReport, ImportedEntry, Password, detect_format, parse_import,
};

/// The time EXPECTED.md's codes are computed at (scripts/formats/otp_samples.py).
const CODE_TIME: u64 = 1_700_000_000;

fn sample_path(app: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats")
        .join(app)
        .join(file)
}

fn sample(app: &str, file: &str) -> Vec<u8> {
    std::fs::read(sample_path(app, file)).unwrap_or_else(|e| panic!("{app}/{file}: {e}"))
}

fn password(text: &str) -> Password {
    Password::new(text.to_string())
}

/// The rows of the table under `## heading` in EXPECTED.md, without the header rows.
fn table(expected: &str, heading: &str) -> Vec<Vec<String>> {
    expected
        .split(&format!("## {heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("EXPECTED.md has no {heading} section"))
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

const FORMATS: [ImportFormat; 9] = [
    ImportFormat::AndOtpEncrypted,
    ImportFormat::StratumEncrypted,
    ImportFormat::BitwardenEncrypted,
    ImportFormat::AuthyEncrypted,
    ImportFormat::SteamMaFile,
    ImportFormat::FreeOtpXml,
    ImportFormat::FreeOtpBackup,
    ImportFormat::SteamMaFolder,
    ImportFormat::AuthyXml,
];

fn format_named(name: &str) -> ImportFormat {
    *FORMATS
        .iter()
        .find(|f| format!("{f:?}") == name)
        .unwrap_or_else(|| panic!("unknown format {name}"))
}

/// The code `entry` gives at [`CODE_TIME`] (TOTP, Steam) or at its counter (HOTP).
fn code_of(entry: &ImportedEntry) -> String {
    match &entry.kind {
        IdentityKind::Totp { secret, params } => codes::totp(secret, params, CODE_TIME).unwrap(),
        IdentityKind::Hotp {
            secret,
            algorithm,
            digits,
            counter,
        } => codes::hotp(secret, *counter, *digits, *algorithm).unwrap(),
        IdentityKind::Steam { secret } => codes::steam_code(secret, CODE_TIME).unwrap(),
        other => panic!("an import never makes {other:?}"),
    }
}

/// The row an imported entry should match: issuer, name, type, digits, period or counter,
/// algorithm, code.
fn row_of(entry: &ImportedEntry) -> Vec<String> {
    let name = |a: Algorithm| format!("{a:?}").to_uppercase();
    let (kind, digits, step, algorithm) = match &entry.kind {
        IdentityKind::Totp { params, .. } => (
            "TOTP",
            params.digits,
            u64::from(params.period),
            name(params.algorithm),
        ),
        IdentityKind::Hotp {
            algorithm,
            digits,
            counter,
            ..
        } => ("HOTP", *digits, *counter, name(*algorithm)),
        IdentityKind::Steam { .. } => ("Steam", 5, 30, "SHA1".to_string()),
        other => panic!("an import never makes {other:?}"),
    };
    vec![
        entry.issuer.clone().unwrap_or_else(|| "-".to_string()),
        entry.name.clone(),
        kind.to_string(),
        digits.to_string(),
        step.to_string(),
        algorithm,
        code_of(entry),
    ]
}

/// Imports every file of `app`'s EXPECTED.md and checks it against its rows.
fn check_app(app: &str) {
    let expected = String::from_utf8(sample(app, "EXPECTED.md")).unwrap();
    let entries = table(&expected, "Entries");
    let skipped = table(&expected, "Skipped");
    let files = table(&expected, "Files");
    assert!(!files.is_empty(), "{app}: no files");
    for row in files {
        let [file, format, secret] = &row[..] else {
            panic!("{app}: bad row {row:?}")
        };
        let bytes = sample(app, file);
        let named = format.ends_with(" (named)");
        let format = format_named(format.trim_end_matches(" (named)"));
        let given = (secret != "-").then(|| password(secret));
        if named {
            assert_eq!(detect_format(&bytes), None, "{app}/{file}");
        } else {
            assert_eq!(detect_format(&bytes), Some(format), "{app}/{file}");
        }
        let report = parse_import(&bytes, named.then_some(format), given.as_ref())
            .unwrap_or_else(|e| panic!("{app}/{file}: {e}"));
        assert_eq!(report.format, Some(format), "{app}/{file}");
        let want: Vec<&[String]> = entries
            .iter()
            .filter(|r| &r[0] == file)
            .map(|r| &r[1..])
            .collect();
        let got: Vec<Vec<String>> = report.entries.iter().map(row_of).collect();
        assert_eq!(got, want, "{app}/{file}: entries");
        let want: Vec<(&str, &str)> = skipped
            .iter()
            .filter(|r| &r[0] == file)
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        let got: Vec<(&str, &str)> = report
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(got, want, "{app}/{file}: skipped");
        assert!(
            report.warnings.is_empty(),
            "{app}/{file}: {:?}",
            report.warnings
        );
        if let Some(given) = &given {
            // A maFiles zip is encrypted or not by its manifest, an Authy token store by
            // whether a token's secret is still sealed.
            assert!(
                format.is_encrypted()
                    || format == ImportFormat::SteamMaFolder
                    || format == ImportFormat::AuthyXml
            );
            assert_eq!(
                parse_import(&bytes, named.then_some(format), None),
                Err(ImportError::PasswordNeeded {
                    format: format.display_name()
                }),
                "{app}/{file}"
            );
            let _ = given;
        }
    }
}

fn import(
    bytes: &[u8],
    format: Option<ImportFormat>,
    text: &str,
) -> Result<ImportReport, ImportError> {
    parse_import(bytes, format, Some(&password(text)))
}

fn error(bytes: &[u8], format: Option<ImportFormat>, text: &str) -> String {
    import(bytes, format, text).unwrap_err().to_string()
}

#[test]
fn andotp_encrypted_samples_import() {
    check_app("andotp");
}

#[test]
fn stratum_encrypted_samples_import() {
    check_app("stratum");
}

#[test]
fn bitwarden_password_protected_samples_import() {
    check_app("bitwarden");
}

#[test]
fn authy_encrypted_samples_import() {
    check_app("authy");
}

#[test]
fn steam_mafile_samples_import() {
    check_app("steam");
}

#[test]
fn freeotp_xml_samples_import() {
    check_app("freeotp");
}

const WRONG: &str = "not the password";
const ANDOTP: Option<ImportFormat> = Some(ImportFormat::AndOtpEncrypted);

#[test]
fn andotp_wrong_password_cut_and_costly_files_are_refused() {
    let new = sample("andotp", "otp_accounts.json.aes");
    let old = sample("andotp", "otp_accounts_old.json.aes");
    let wrong = "the password is wrong, or the file is damaged (the backup does not open with it)";
    assert_eq!(error(&new, None, WRONG), wrong);
    // Nothing in an old backup bounds a wrong password's attempt but the iteration bound.
    assert!(
        error(&old, ANDOTP, WRONG).starts_with("the file asks for more key derivation work than Tessera does: PBKDF2 iterations (the first 4 bytes, read as a new backup's iteration count: read as an old backup, the file did not open with this password)"),
    );
    let mut changed = new.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    assert_eq!(error(&changed, None, "andotp sample password"), wrong);
    assert_eq!(
        error(&new[..20], ANDOTP, "andotp sample password"),
        "the file is damaged: the file is 20 bytes long, an encrypted andOTP backup has at least 28"
    );
    let mut costly = new.clone();
    costly[..4].copy_from_slice(&2_000_001u32.to_be_bytes());
    assert!(
        error(&costly, ANDOTP, "andotp sample password")
            .ends_with("would be 2000001, at most 2000000")
    );
}

#[test]
fn stratum_wrong_password_and_cut_files_are_refused() {
    for file in ["backup.authpro", "backup_legacy.authpro"] {
        let bytes = sample("stratum", file);
        assert_eq!(
            error(&bytes, None, WRONG),
            "the password is wrong, or the file is damaged (the backup does not open with it)",
            "{file}"
        );
        assert!(
            error(&bytes[..30], None, "stratum sample password")
                .starts_with("the file is damaged: the file ends after 30 bytes"),
            "{file}"
        );
    }
    let mut changed = sample("stratum", "backup.authpro");
    changed[50] ^= 1;
    assert_eq!(
        error(&changed, None, "stratum sample password"),
        "the password is wrong, or the file is damaged (the backup does not open with it)"
    );
}

#[test]
fn stratum_headerless_backups_wrong_password_cut_and_changed_are_refused() {
    let bytes = sample("stratum", "backup_1_12.authpro");
    let named = Some(ImportFormat::StratumEncrypted);
    assert_eq!(
        error(&bytes, named, WRONG),
        "the password is wrong, or the file is damaged (the backup does not open with it)"
    );
    // Named as a plain Stratum backup it is read the same way: the content decides.
    let report = import(
        &bytes,
        Some(ImportFormat::StratumJson),
        "stratum sample password",
    )
    .unwrap();
    assert_eq!(report.format, Some(ImportFormat::StratumEncrypted));
    assert_eq!(report.entries.len(), 3);
    // Cut inside a block, it is no longer whole AES blocks.
    assert_eq!(
        error(&bytes[..bytes.len() - 5], named, "stratum sample password"),
        "the file is damaged: the file is 827 bytes, not whole 16-byte blocks as an encrypted backup is: it was cut"
    );
    // A changed first block decrypts to text that is not JSON: with no header to say the file
    // was a backup at all, that is a wrong password.
    let mut changed = bytes.clone();
    changed[0] ^= 1;
    assert_eq!(
        error(&changed, named, "stratum sample password"),
        "the password is wrong, or the file is damaged (the backup does not open with it)"
    );
}

fn bitwarden_json(file: &str) -> Value {
    serde_json::from_slice(&sample("bitwarden", file)).unwrap()
}

fn bitwarden_error(file: &Value, text: &str) -> String {
    error(&serde_json::to_vec(file).unwrap(), None, text)
}

#[test]
fn bitwarden_wrong_password_changed_data_and_costly_kdfs_are_refused() {
    let right = "bitwarden sample password";
    let pbkdf2 = bitwarden_json("bitwarden_pbkdf2.json");
    assert_eq!(
        bitwarden_error(&pbkdf2, WRONG),
        "the password is wrong, or the file is damaged (encKeyValidation_DO_NOT_EDIT does not open with it)"
    );
    let mut changed = pbkdf2.clone();
    let data = changed["data"].as_str().unwrap().to_string();
    let (head, mac) = data.rsplit_once('|').unwrap();
    let flipped = if mac.starts_with('A') { "B" } else { "A" };
    changed["data"] = json!(format!("{head}|{flipped}{}", &mac[1..]));
    assert_eq!(
        bitwarden_error(&changed, right),
        "the file is damaged: data does not match its MAC although the password is right: the file was changed or cut"
    );
    let mut cut = pbkdf2.clone();
    cut["data"] = json!(head);
    assert_eq!(
        bitwarden_error(&cut, right),
        "the file is damaged: data has 2 parts separated by `|`, 3 are needed (IV, ciphertext, MAC)"
    );
    let mut costly = pbkdf2.clone();
    costly["kdfIterations"] = json!(2_000_001);
    assert_eq!(
        bitwarden_error(&costly, right),
        "the file asks for more key derivation work than Tessera does: PBKDF2 iterations (kdfIterations) would be 2000001, at most 2000000"
    );
    let mut argon2 = bitwarden_json("bitwarden_argon2id.json");
    argon2["kdfMemory"] = json!(1024);
    assert_eq!(
        bitwarden_error(&argon2, right),
        "the file asks for more key derivation work than Tessera does: Argon2id memory in KiB (kdfMemory, kdfIterations, kdfParallelism) would be 1048576, at most 262144"
    );
    argon2["kdfMemory"] = json!(64);
    argon2["kdfParallelism"] = json!(16);
    assert!(bitwarden_error(&argon2, right).contains("Argon2id lanes"));
    argon2["kdfType"] = json!(7);
    assert_eq!(
        bitwarden_error(&argon2, right),
        "the file is damaged: kdfType is 7; Bitwarden's are 0 (PBKDF2) and 1 (Argon2id)"
    );
    let account_key = json!({"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "data": "2.a|b|c", "items": []});
    assert_eq!(
        bitwarden_error(&account_key, right),
        "this Bitwarden export is encrypted with the Bitwarden account's key; importing such exports (export again choosing \"Password protected\") is not supported yet"
    );
}

#[test]
fn authy_wrong_password_changed_seed_and_costly_tokens() {
    let bytes = sample("authy", "authenticator_tokens.json");
    assert_eq!(
        error(&bytes, None, WRONG),
        "the password is wrong, or the file is damaged (authenticator_tokens[].encrypted_seed does not open with it)"
    );
    let mut file: Value = serde_json::from_slice(&bytes).unwrap();
    file["authenticator_tokens"][1]["key_derivation_iterations"] = json!(5_000_000);
    file["authenticator_tokens"][2]["unique_iv"] = json!("00ff");
    let report = import(
        &serde_json::to_vec(&file).unwrap(),
        None,
        "authy backup password",
    )
    .unwrap();
    assert_eq!(report.entries.len(), 1);
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "the file asks for more key derivation work than Tessera does: PBKDF2 iterations (key_derivation_iterations) would be 5000000, at most 2000000",
            "its unique_iv is not 16 bytes of hexadecimal",
            "its seed does not open with this password (a wrong backup password, or a changed seed)",
        ]
    );
}

/// Authy's Android store with its tokens' JSON list replaced by `tokens`.
fn authy_store(tokens: &Value) -> Vec<u8> {
    let escaped = serde_json::to_string(tokens)
        .unwrap()
        .replace('"', "&quot;");
    format!(
        "<map><string name=\"com.authy.storage.tokens.authenticator.key\">{escaped}</string></map>"
    )
    .into_bytes()
}

/// The tokens of the Android sample, unescaped.
fn authy_android_tokens() -> Value {
    let xml = String::from_utf8(sample(
        "authy",
        "com.authy.storage.tokens.authenticator.xml",
    ))
    .unwrap();
    let start = xml.find('[').unwrap();
    let end = xml.rfind(']').unwrap();
    serde_json::from_str(&xml[start..=end].replace("&quot;", "\"")).unwrap()
}

#[test]
fn authy_android_store_wrong_password_and_bad_sealed_tokens() {
    let bytes = sample("authy", "com.authy.storage.tokens.authenticator.xml");
    assert_eq!(
        error(&bytes, None, WRONG),
        "the password is wrong, or the file is damaged (encryptedSecret does not open with it)"
    );
    // Only decrypted and native tokens: no password is asked, none is needed.
    let tokens = authy_android_tokens();
    let plain = json!([tokens[1].clone(), tokens[2].clone()]);
    let report = parse_import(&authy_store(&plain), None, None).unwrap();
    assert_eq!(report.entries.len(), 2);
    // A sealed token without its salt, or whose secret is not base64, is skipped with the
    // reason; the token that opens still imports.
    let mut no_salt = tokens[0].clone();
    no_salt.as_object_mut().unwrap().remove("salt");
    let mut not_base64 = tokens[0].clone();
    not_base64["encryptedSecret"] = json!("not base64!");
    let mut not_text = tokens[0].clone();
    not_text["encryptedSecret"] = json!(17);
    let mixed = json!([no_salt, not_base64, not_text, tokens[0].clone()]);
    let report = import(&authy_store(&mixed), None, "authy backup password").unwrap();
    assert_eq!(report.entries.len(), 1);
    assert_eq!(report.entries[0].issuer.as_deref(), Some("GitHub"));
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "it has no salt",
            "its encryptedSecret is not base64",
            "its encryptedSecret is not text",
        ]
    );
    // A changed secret no longer opens: with every sealed token closed the password is wrong.
    let mut changed = tokens[0].clone();
    let sealed = changed["encryptedSecret"].as_str().unwrap().to_string();
    let flipped = if sealed.starts_with('A') { "B" } else { "A" };
    changed["encryptedSecret"] = json!(format!("{flipped}{}", &sealed[1..]));
    assert_eq!(
        import(
            &authy_store(&json!([changed])),
            None,
            "authy backup password"
        )
        .unwrap_err()
        .to_string(),
        "the password is wrong, or the file is damaged (encryptedSecret does not open with it)"
    );
}

#[test]
fn steam_and_freeotp_bad_entries_are_skipped_with_reasons() {
    let mut mafile: Value =
        serde_json::from_slice(&sample("steam", "76561197960287930.maFile")).unwrap();
    mafile["shared_secret"] = json!("not base64!");
    let report = parse_import(&serde_json::to_vec(&mafile).unwrap(), None, None).unwrap();
    assert!(report.entries.is_empty());
    assert_eq!(
        report.skipped[0].to_string(),
        "the account (\"Steam: gaben_sample\"): its shared_secret is not base64"
    );
    let xml = String::from_utf8(sample("freeotp", "tokens.xml")).unwrap();
    let cut = &xml[..xml.len() / 2];
    assert!(
        parse_import(cut.as_bytes(), None, None)
            .unwrap_err()
            .to_string()
            .starts_with("the file does not look like a FreeOTP or FreeOTP+ token file")
    );
}

/// `bytes` (a FreeOTP backup) with `from` replaced by `to` inside the master key's string,
/// whose 2-byte length before it is adjusted, so the Java serialization stays well formed.
fn edit_master_key(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let start = bytes
        .windows(16)
        .position(|w| w == b"{\"mEncryptedKey\"")
        .unwrap();
    let length = usize::from(u16::from_be_bytes([bytes[start - 2], bytes[start - 1]]));
    let text = std::str::from_utf8(&bytes[start..start + length]).unwrap();
    assert!(text.contains(from));
    let edited = text.replace(from, to);
    let mut out = bytes[..start - 2].to_vec();
    out.extend(u16::try_from(edited.len()).unwrap().to_be_bytes());
    out.extend(edited.as_bytes());
    out.extend(&bytes[start + length..]);
    out
}

#[test]
fn freeotp_backup_wrong_password_cut_and_costly_files_are_refused() {
    let right = "freeotp backup password";
    let bytes = sample("freeotp", "externalBackup.xml");
    assert_eq!(
        error(&bytes, None, WRONG),
        "the password is wrong, or the file is damaged (masterKey does not open with it)"
    );
    assert_eq!(
        error(&bytes[..bytes.len() - 40], None, right),
        format!(
            "the file does not look like an encrypted FreeOTP backup: it ends at byte {} in the middle of the map",
            bytes.len() - 40
        )
    );
    let costly = edit_master_key(&bytes, "\"mIterations\":100000", "\"mIterations\":2000001");
    assert_eq!(
        error(&costly, None, right),
        "the file asks for more key derivation work than Tessera does: PBKDF2 iterations (masterKey.mIterations) would be 2000001, at most 2000000"
    );
    // The edit itself keeps the file readable: the same length, a count within the bound.
    let same = edit_master_key(&bytes, "\"mIterations\":100000", "\"mIterations\":100000");
    assert_eq!(same, bytes);
    let sha1 = edit_master_key(&bytes, "PBKDF2withHmacSHA512", "PBKDF2withHmacMD5");
    assert_eq!(
        error(&sha1, None, right),
        "the file is damaged: masterKey.mAlgorithm is neither PBKDF2withHmacSHA512 nor PBKDF2withHmacSHA1"
    );
}

#[test]
fn steam_folder_wrong_password_and_cut_zips_are_refused() {
    let bytes = sample("steam", "maFiles_encrypted.zip");
    assert_eq!(
        error(&bytes, None, WRONG),
        "the password is wrong, or the file is damaged (the maFiles folder does not open with it)"
    );
    assert_eq!(
        error(&bytes[..bytes.len() - 30], None, "sda encryption key"),
        "the file does not look like a zip of Steam Desktop Authenticator's maFiles folder: it is not a readable zip archive (was it cut?)"
    );
    // The plain folder needs no password, and ignores one.
    let plain = sample("steam", "maFiles_plain.zip");
    assert_eq!(
        parse_import(&plain, None, None).unwrap(),
        import(&plain, None, WRONG).unwrap()
    );
}
