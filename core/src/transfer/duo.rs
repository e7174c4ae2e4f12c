//! Duo Mobile's accounts, `files/duokit/accounts.json` of `com.duosecurity.duomobile` taken
//! from a rooted phone (docs/formats/duo.md): a JSON list of accounts, each with `name` and,
//! for accounts that show passcodes, `otpGenerator` with a base32 `otpSecret` and, for HOTP,
//! the `counter`. Without a counter the account is TOTP. Codes are 6 digits, SHA-1, 30 s.

use serde_json::Value;

use super::entry::{
    Collector, Kind, base32_secret, build_entry, entry_label, number, string, wrong_shape,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::DuoJson;

/// Whether a JSON list is Duo's: one of its items has an `otpGenerator`.
pub(super) fn is_duo(items: &[Value]) -> bool {
    items.iter().any(|item| item.get("otpGenerator").is_some())
}

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let accounts = file
        .as_array()
        .ok_or_else(|| wrong_shape(FORMAT, "it is not a JSON list of accounts"))?;
    let mut out = Collector::default();
    out.read_each(accounts, |index, account| {
        let label = entry_label(
            None,
            string(account, "name"),
            &format!("account {}", index + 1),
        );
        Some((label, read(account)))
    });
    out.finish()
}

fn read(account: &Value) -> Result<ImportedEntry, String> {
    let generator = account
        .get("otpGenerator")
        .filter(|g| !g.is_null())
        .ok_or_else(|| {
            "it has no passcode secret (`otpGenerator`): it only approves Duo Push requests"
                .to_string()
        })?;
    let secret = base32_secret(generator.get("otpSecret"))?;
    let kind = match generator.get("counter").filter(|c| !c.is_null()) {
        Some(counter) => Kind::Hotp {
            counter: number(Some(counter), "counter", 0)?,
        },
        None => Kind::Totp { period: 30 },
    };
    build_entry(
        string(account, "name"),
        None,
        secret,
        kind,
        Algorithm::Sha1,
        6,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_without_a_usable_secret_or_counter_are_skipped() {
        let file = serde_json::json!([
            {"name": "a", "otpGenerator": {"otpSecret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "counter": "x"}},
            {"name": "b", "otpGenerator": {}},
            {"otpGenerator": null},
            7
        ]);
        let report = parse(&file).unwrap();
        assert!(report.entries.is_empty());
        let reasons: Vec<_> = report
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            reasons[0],
            ("account 1 (\"a\")", "the counter is not a whole number")
        );
        assert_eq!(reasons[1], ("account 2 (\"b\")", "it has no secret"));
        assert!(reasons[2].1.contains("Duo Push"));
        assert_eq!(reasons[3].0, "account 4");
        assert_eq!(
            parse(&serde_json::json!({})).unwrap_err().to_string(),
            "the file does not look like a Duo Mobile accounts file: it is not a JSON list of accounts"
        );
    }
}
