//! Tessera's core: everything that decides anything.
//!
//! Shells (the CLI, the Kotlin and Swift libraries) call into this crate and never compute a
//! code, validate a field or hold a secret themselves. Nothing here knows about FFI.
#![forbid(unsafe_code)]

mod atomic_file;
pub mod backup;
pub mod codes;
pub mod crypto;
pub mod field;
pub mod flow;
mod folder_lock;
pub mod identity;
pub mod identityguard;
pub mod issuer;
pub mod provisioning;
pub mod qr;
pub mod random;
pub mod secret;
pub mod session;
pub mod transfer;
pub mod vault;

pub use codes::Algorithm;
pub use secret::{SecretBytes, SecretError};
