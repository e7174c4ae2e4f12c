//! Search across identities for the shells' search fields: the core decides what matches.

use crate::records::IdentitySummary;

/// True when every word of `query` is part of the identity's name, issuer, serial number or
/// address, ignoring case; an empty query matches every identity. The desktop's Ctrl+F filters
/// the list with it as the person types.
#[uniffi::export]
pub fn identity_matches_search(identity: IdentitySummary, query: String) -> bool {
    identity.matches_search(&query)
}
