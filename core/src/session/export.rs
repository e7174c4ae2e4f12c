//! Exporting the token's identities (secrets included) in another app's format.

use super::{Session, SessionError};
use crate::random::make_random_bytes;
use crate::transfer::export::{Export, LinkFormat, export_google, export_otpauth};

impl Session {
    /// Every identity `format` can carry, as links, with a report of what was left out and
    /// why. The links hold secrets, so the PIN is checked again even though the token is
    /// unlocked (a wrong one counts like any PIN try; when it locks the token out, the session
    /// is locked too).
    pub fn export(&self, format: LinkFormat, pin: &str) -> Result<Export, SessionError> {
        self.with_pin_checked(pin, |open| {
            let identities = &open.data.identities;
            Ok(match format {
                LinkFormat::Otpauth => export_otpauth(identities),
                LinkFormat::Google => {
                    export_google(identities, i32::from_le_bytes(make_random_bytes::<4>()?))
                }
            })
        })
    }
}
