//! The FFI surface of Tessera: what the Kotlin and Swift libraries call.
//!
//! Thin wrappers over tessera-core: one [`TokenSession`] object holding the token, one
//! [`AddIdentityFlow`] object per pass through Add Identity, records for what screens show,
//! free functions for the stateless calculations, and [`KeyProtector`], a foreign trait the
//! shells implement with the platform keystore (the desktop's system keystore is built in with
//! the `desktop-device-key` feature: `TokenSession::with_system_keystore`), and an [`Issuer`] for
//! the organisation's side. Every exported call returns a `Result`, so a
//! panic reaches Swift and Kotlin as an error instead of a crash. Secrets do not cross, except
//! the recovery key, which is shown once by design, the key material a `KeyProtector` seals, and
//! what the explicit export call `TokenSession::export` returns (links, QR images, backup file).
#![warn(missing_docs)]
// UniFFI's generated scaffolding trips these lints; the allows cover generated code only.
#![allow(clippy::empty_line_after_doc_comments, reason = "uniffi scaffolding")]

mod calc;
mod error;
mod export;
mod field;
mod flow;
mod form;
mod issuer;
mod link;
mod protector;
mod records;
mod scan;
mod search;
mod session;
mod system_keystore;
mod transfer;

pub use calc::*;
pub use error::TokenError;
pub use field::InputField;
pub use flow::AddIdentityFlow;
pub use form::suggested_name;
pub use issuer::{IssuedIdentity, Issuer, IssuerError};
pub use link::{LinkPreview, preview_link};
pub use protector::{KeyProtector, KeyProtectorError};
pub use records::*;
pub use scan::decode_qr_luma;
pub use search::identity_matches_search;
pub use session::TokenSession;
pub use transfer::*;

uniffi::setup_scaffolding!();
