//! The reference vectors of tests/interop/aegis/EXPECTED.md, written out by hand, and the
//! checks the import tests make with them: each imported entry must have the vector's name,
//! issuer, kind, algorithm, digits and period or counter, and give the code that
//! `codes::totp`/`hotp`/`steam_code` compute from the vector's secret (not the imported one).

use tessera_core::SecretBytes;
use tessera_core::codes::{self, Algorithm, TotpParams};
use tessera_core::identity::IdentityKind;
use tessera_core::transfer::{
    ImportFormat, ImportReport, ImportedEntry, Password, detect_format, parse_import,
};

#[derive(Clone, Copy, Debug)]
pub enum VKind {
    Totp(u32),
    Hotp(u64),
    Steam,
}

/// A reference vector of EXPECTED.md.
#[derive(Clone, Copy, Debug)]
pub struct Vector {
    pub issuer: &'static str,
    pub name: &'static str,
    pub secret: &'static str,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub kind: VKind,
}

pub const fn v(
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

pub use Algorithm::{Sha1, Sha256, Sha512};

// EXPECTED.md, "Reference vectors (V1 to V8)".
pub const V1: Vector = v(
    "Deno",
    "Mason",
    "4SJHB4GSD43FZBAI7C2HLRJGPQ",
    Sha1,
    6,
    VKind::Totp(30),
);
pub const V2: Vector = v(
    "SPDX",
    "James",
    "5OM4WOOGPLQEF6UGN3CPEOOLWU",
    Sha256,
    7,
    VKind::Totp(20),
);
pub const V3: Vector = v(
    "Airbnb",
    "Elijah",
    "7ELGJSGXNCCTV3O6LKJWYFV2RA",
    Sha512,
    8,
    VKind::Totp(50),
);
pub const V4: Vector = v(
    "Issuu",
    "James",
    "YOOMIXWS5GN6RTBPUFFWKTW5M4",
    Sha1,
    6,
    VKind::Hotp(1),
);
pub const V5: Vector = v(
    "Air Canada",
    "Benjamin",
    "KUVJJOM753IHTNDSZVCNKL7GII",
    Sha256,
    7,
    VKind::Hotp(50),
);
pub const V6: Vector = v(
    "WWE",
    "Mason",
    "5VAML3X35THCEBVRLV24CGBKOY",
    Sha512,
    8,
    VKind::Hotp(10300),
);
pub const V7: Vector = v(
    "Boeing",
    "Sophia",
    "JRZCL47CMXVOQMNPZR2F7J4RGI",
    Sha1,
    5,
    VKind::Steam,
);
pub const ALL: [Vector; 7] = [V1, V2, V3, V4, V5, V6, V7];

/// The fixed times codes are compared at.
pub const TIMES: [u64; 3] = [59, 1_111_111_109, 2_000_000_000];

pub fn interop(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/interop/aegis/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A vector as schema-1 2FAS stores it: default TOTP.
pub fn as_default_totp(vector: Vector) -> Vector {
    Vector {
        algorithm: Sha1,
        digits: 6,
        kind: VKind::Totp(30),
        ..vector
    }
}

/// A HOTP vector with the counter FreeOTP stores (one lower).
pub fn freeotp_counter(vector: Vector) -> Vector {
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
pub fn expected_codes(vector: &Vector) -> Vec<String> {
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
pub fn imported_codes(entry: &ImportedEntry) -> Vec<String> {
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

pub fn assert_entry(file: &str, entry: &ImportedEntry, vector: &Vector) {
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
pub fn check_file(file: &str, format: ImportFormat, expected: &[Vector]) -> ImportReport {
    check_file_with(file, format, None, expected)
}

/// [`check_file`] for a file that needs `password`.
pub fn check_file_with(
    file: &str,
    format: ImportFormat,
    password: Option<&str>,
    expected: &[Vector],
) -> ImportReport {
    let password = password.map(|p| Password::new(p.to_string()));
    let bytes = interop(file);
    assert_eq!(detect_format(&bytes), Some(format), "{file}");
    let report =
        parse_import(&bytes, None, password.as_ref()).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(report.format, Some(format), "{file}");
    assert_eq!(report.skipped, [], "{file}");
    assert_eq!(report.entries.len(), expected.len(), "{file}");
    for (entry, vector) in report.entries.iter().zip(expected) {
        assert_entry(file, entry, vector);
    }
    assert_eq!(
        parse_import(&bytes, Some(format), password.as_ref()).unwrap(),
        report,
        "{file}"
    );
    report
}
