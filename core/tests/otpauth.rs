//! otpauth:// links: the shared vectors in tests/vectors/otpauth.json (also read by the Kotlin
//! and Swift suites), and properties: what `to_uri` writes parses back to the same identity, and
//! no input makes the parser panic.

use proptest::prelude::*;
use serde::Deserialize;
use tessera_core::provisioning::otpauth::{MAX_NAME_CHARS, MAX_PERIOD};
use tessera_core::provisioning::{OtpAuth, OtpKind, OtpauthWarning, parse_otpauth};
use tessera_core::{Algorithm, SecretBytes};

const VECTORS: &str = include_str!("../../tests/vectors/otpauth.json");

#[derive(Deserialize)]
struct Vectors {
    valid: Vec<ValidCase>,
    invalid: Vec<InvalidCase>,
}

#[derive(Deserialize)]
struct ValidCase {
    name: String,
    uri: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    kind: String,
    account: String,
    issuer: Option<String>,
    secret_hex: String,
    algorithm: String,
    digits: u8,
    period: Option<u32>,
    counter: Option<u64>,
    warnings: Vec<ExpectedWarning>,
}

#[derive(Deserialize)]
struct ExpectedWarning {
    #[serde(rename = "type")]
    kind: String,
    message: String,
    bits: Option<usize>,
    label: Option<String>,
    parameter: Option<String>,
    field: Option<String>,
}

#[derive(Deserialize)]
struct InvalidCase {
    name: String,
    uri: String,
    field: String,
    error: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(VECTORS).expect("tests/vectors/otpauth.json is valid")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The warning as the vectors write it: its type and its fields.
fn describe(
    warning: &OtpauthWarning,
) -> (
    String,
    Option<usize>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    match warning {
        OtpauthWarning::ShortSecret { bits } => {
            ("short_secret".into(), Some(*bits), None, None, None)
        }
        OtpauthWarning::IssuerMismatch { label, parameter } => (
            "issuer_mismatch".into(),
            None,
            Some(label.clone()),
            Some(parameter.clone()),
            None,
        ),
        OtpauthWarning::CounterMissing => ("counter_missing".into(), None, None, None, None),
        OtpauthWarning::IgnoredForSteam { field } => (
            "ignored_for_steam".into(),
            None,
            None,
            None,
            Some(field.as_str().to_owned()),
        ),
    }
}

#[test]
fn valid_vectors_parse_to_the_expected_fields() {
    let cases = vectors().valid;
    assert!(cases.len() >= 15, "only {} valid cases", cases.len());
    for case in cases {
        let name = &case.name;
        let parsed = parse_otpauth(&case.uri).unwrap_or_else(|e| panic!("{name}: refused: {e}"));
        let otp = &parsed.otp;
        let expected = &case.expected;
        let (kind, period, counter) = match otp.kind {
            OtpKind::Totp { period } => ("totp", Some(period), None),
            OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
            OtpKind::Steam => ("steam", None, None),
        };
        assert_eq!(kind, expected.kind, "{name}: kind");
        assert_eq!(period, expected.period, "{name}: period");
        assert_eq!(counter, expected.counter, "{name}: counter");
        assert_eq!(otp.account, expected.account, "{name}: account");
        assert_eq!(otp.issuer, expected.issuer, "{name}: issuer");
        assert_eq!(
            hex(otp.secret.as_bytes()),
            expected.secret_hex,
            "{name}: secret"
        );
        assert_eq!(
            otp.algorithm.as_str(),
            expected.algorithm,
            "{name}: algorithm"
        );
        assert_eq!(otp.digits, expected.digits, "{name}: digits");

        let found: Vec<_> = parsed
            .warnings
            .iter()
            .map(|w| (describe(w), w.to_string()))
            .collect();
        let wanted: Vec<_> = expected
            .warnings
            .iter()
            .map(|w| {
                let fields = (
                    w.kind.clone(),
                    w.bits,
                    w.label.clone(),
                    w.parameter.clone(),
                    w.field.clone(),
                );
                (fields, w.message.clone())
            })
            .collect();
        assert_eq!(found, wanted, "{name}: warnings");

        let again = parse_otpauth(&otp.to_uri())
            .unwrap_or_else(|e| panic!("{name}: emitted link refused: {e}"));
        assert_eq!(&again.otp, otp, "{name}: emit and parse again");
    }
}

#[test]
fn invalid_vectors_are_refused_with_the_expected_message() {
    let cases = vectors().invalid;
    assert!(cases.len() >= 15, "only {} invalid cases", cases.len());
    for case in cases {
        let name = &case.name;
        match parse_otpauth(&case.uri) {
            Ok(parsed) => panic!("{name}: accepted as {:?}", parsed.otp),
            Err(error) => {
                assert_eq!(error.to_string(), case.error, "{name}: message");
                assert_eq!(error.field().as_str(), case.field, "{name}: field");
            }
        }
    }
}

/// Names as people and services write them: letters from several scripts, digits, spaces,
/// URI delimiters, `%`, `+`, colons and a zero-width joiner; never the characters refused.
fn name(max_chars: usize) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('A', 'Z'),
        1 => proptest::char::range('0', '9'),
        2 => proptest::sample::select(vec![
            ' ', ':', '@', '.', '-', '_', '~', '+', '%', '&', '=', '#', '?', '/', '\'', '"', '(', ')',
            'é', 'Ü', 'ß', 'ø', 'Ж', 'λ', '中', '文', 'ع', 'א', '☕', '🙂', '\u{200D}', '\u{00A0}',
        ]),
    ];
    proptest::collection::vec(chars, 0..=max_chars).prop_map(|chars| {
        chars
            .into_iter()
            .collect::<String>()
            .trim_matches(' ')
            .to_owned()
    })
}

fn kind() -> impl Strategy<Value = OtpKind> {
    prop_oneof![
        (1..=MAX_PERIOD).prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
    ]
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

prop_compose! {
    /// Identities `parse_otpauth` can return: an account name or an issuer (or both), names
    /// trimmed of spaces, no TOTP whose issuer is Steam (such links mean Steam).
    fn identity()(
        kind in kind(),
        account in name(40),
        issuer in proptest::option::of(name(40)),
        secret in proptest::collection::vec(any::<u8>(), 10..=64),
        algorithm in algorithm(),
        digits in 6u8..=8,
    ) -> OtpAuth {
        let issuer = issuer.filter(|issuer| !issuer.is_empty());
        let (algorithm, digits) = if kind == OtpKind::Steam { (Algorithm::Sha1, 5) } else { (algorithm, digits) };
        OtpAuth { kind, account, issuer, secret: SecretBytes::new(secret), algorithm, digits }
    }
}

/// Link-shaped text, about half of which parses: labels with and without issuers, colons,
/// escapes and spaces; each parameter Tessera reads present or not, with good and bad values;
/// parameters it ignores.
fn link_text() -> impl Strategy<Value = String> {
    use proptest::option::{of, weighted};
    let start = "(otpauth|OTPAUTH)://(totp|hotp|hotp|steam|TOTP|totp)/";
    let label = "[A-Za-z0-9 é]{0,8}(:|%3A|%3a| : |%20:%20|\\+:)?[A-Za-z0-9@.+:é%]{0,12}|%E2%98%95|:x:y|Steam:gaben";
    let secret = "GEZDGNBVGY3TQOJQ(GEZDGNBVGY3TQOJQ)?|GEZDGNBVGY3TQOJQGEZA|gezd gnbv\\+gy3t%20qojq====|[A-Z2-7]{14,40}";
    let issuer = "[A-Za-z0-9 :+%]{0,12}|[A-Za-z]{1,8}|Steam|Ex%3AB";
    (
        (start, label, weighted(0.9, secret), of(issuer)),
        (of("[5-9]|[0-9]{2}"), of("[0-9]{1,3}"), of("[0-9]{0,20}")),
        (
            weighted(0.15, "steam|STEAM|other"),
            of("sha(1|256|512)|SHA-256|md5"),
            of("(image|color|x)=[a-z%0-9]{0,6}"),
        ),
    )
        .prop_map(
            |(
                (start, label, secret, issuer),
                (digits, period, counter),
                (encoder, algorithm, other),
            )| {
                let params = [
                    secret.map(|v| format!("secret={v}")),
                    issuer.map(|v| format!("issuer={v}")),
                    digits.map(|v| format!("digits={v}")),
                    period.map(|v| format!("period={v}")),
                    counter.map(|v| format!("counter={v}")),
                    encoder.map(|v| format!("encoder={v}")),
                    algorithm.map(|v| format!("algorithm={v}")),
                    other,
                ];
                let query: Vec<String> = params.into_iter().flatten().collect();
                format!("{start}{label}?{}", query.join("&"))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn emitted_links_parse_back_to_the_same_identity(otp in identity()) {
        prop_assume!(!otp.account.is_empty() || otp.issuer.is_some());
        prop_assume!(!(matches!(otp.kind, OtpKind::Totp { .. })
            && otp.issuer.as_deref().is_some_and(|issuer| issuer.eq_ignore_ascii_case("steam"))));
        let uri = otp.to_uri();
        let parsed = parse_otpauth(&uri).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(&parsed.otp, &otp);
        let expected: Vec<OtpauthWarning> = if otp.secret.bits() < 128 {
            vec![OtpauthWarning::ShortSecret { bits: otp.secret.bits() }]
        } else {
            vec![]
        };
        prop_assert_eq!(parsed.warnings, expected);
    }

    #[test]
    fn whatever_parses_emits_and_parses_back(text in link_text()) {
        if let Ok(parsed) = parse_otpauth(&text) {
            let again = parse_otpauth(&parsed.otp.to_uri()).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(again.otp, parsed.otp);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_otpauth(&text);
        let _ = parse_otpauth(&format!("otpauth://totp/{text}"));
        let _ = parse_otpauth(&format!("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ&{text}"));
    }

    #[test]
    fn uri_shaped_text_never_panics(text in "(?i)otpauth://(totp|hotp|steam|x)?/?[^?]{0,30}(\\?[a-zA-Z0-9=&%+:#/ \x00-\x1f\x7f\u{80}-\u{9f}é中🙂\u{202E}\u{2066}]{0,80})?") {
        let _ = parse_otpauth(&text);
    }

    #[test]
    fn long_names_are_refused_not_truncated(extra in 1usize..50) {
        let account = "a".repeat(MAX_NAME_CHARS + extra);
        let uri = format!("otpauth://totp/{account}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        prop_assert!(parse_otpauth(&uri).is_err());
    }
}
