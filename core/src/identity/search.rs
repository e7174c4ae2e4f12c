//! Search across identities as a person types: what the desktop's search field (Ctrl+F) and a
//! phone's filter show. Every word of the query must appear, ignoring case, in the name, the
//! issuer, the serial number or the address; an empty query shows everything. Unlike
//! [`super::Identity::matches`] (one identity named exactly, for the CLI), this finds many.

use super::IdentitySummary;

impl IdentitySummary {
    /// True when every word of `query` is part of this identity's name, issuer, serial number
    /// or address, ignoring case; always true for a query of no words.
    pub fn matches_search(&self, query: &str) -> bool {
        let fields: Vec<String> = [
            Some(self.name.as_str()),
            self.issuer.as_deref(),
            self.serial.as_deref(),
            self.address.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect();
        query
            .split_whitespace()
            .map(str::to_lowercase)
            .all(|word| fields.iter().any(|field| field.contains(&word)))
    }
}

#[cfg(test)]
mod tests {
    use crate::identity::{IdentityKindLabel, IdentitySummary};

    fn summary(name: &str, issuer: Option<&str>, serial: Option<&str>) -> IdentitySummary {
        IdentitySummary {
            id: "id-1".into(),
            name: name.into(),
            issuer: issuer.map(Into::into),
            kind: IdentityKindLabel::Totp,
            digits: Some(6),
            period: Some(30),
            serial: serial.map(Into::into),
            registration_code: None,
            address: Some("https://myid.example.edu/igst".into()),
            policy_included: None,
            can_switch_policy: false,
            answers_challenges: false,
            added_at: 0,
        }
    }

    #[test]
    fn every_word_must_appear_in_some_field_ignoring_case() {
        let work = summary("alice@example.com", Some("GitHub"), Some("48244-13456"));
        assert!(work.matches_search("github"));
        assert!(work.matches_search("ALICE hub"));
        assert!(work.matches_search("48244"));
        assert!(work.matches_search("myid.example"));
        assert!(!work.matches_search("github bob"));
        assert!(!work.matches_search("gitlab"));
    }

    #[test]
    fn no_words_match_everything() {
        let plain = summary("Bank", None, None);
        assert!(plain.matches_search(""));
        assert!(plain.matches_search("   "));
        assert!(!plain.matches_search("issuer"));
    }
}
