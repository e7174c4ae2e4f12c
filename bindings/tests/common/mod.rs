//! What the import tests share: a new unlocked token holding one identity, its PIN, and the
//! fixed time their codes are computed at.

use std::sync::Arc;

use tessera_ffi::{FlowStep, TokenSession};

pub const PIN: &str = "482913";
/// Unix time of every expected code (tests/interop and tests/formats compute theirs there).
pub const T: u64 = 1_700_000_000;
const SEED_LINK: &str = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example";

/// A new unlocked token holding the seed link's identity.
pub fn new_token(dir: &tempfile::TempDir) -> Arc<TokenSession> {
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    let flow = session.add_identity().unwrap();
    assert_eq!(
        flow.enter_link(SEED_LINK.into()).unwrap(),
        FlowStep::NeedsPin
    );
    flow.set_pin(PIN.into()).unwrap();
    assert!(matches!(
        flow.confirm_pin(PIN.into()).unwrap(),
        FlowStep::Done { .. }
    ));
    session
}
