//! The Battle.net app's authenticator, from its SharedPreferences file on a rooted phone
//! (docs/formats/battle-net.md). The current app (`com.blizzard.messenger`) keeps
//! `com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET` and `..._SERIAL` in
//! `com.blizzard.messenger.authenticator_preferences.xml`; the old Battle.net Authenticator
//! (`com.blizzard.bma`) kept both in `com.blizzard.bma.AUTH_STORE.HASH` of
//! `com.blizzard.bma.AUTH_STORE.xml`: 40 hex digits of secret then the 17-character serial.
//! Every value is hex of its text XORed with one fixed 57-byte mask. The codes are TOTP, 8
//! digits, 30 s, SHA-1.

use super::android_prefs::Prefs;
use super::entry::{Collector, Kind, build_entry, entry_label, wrong_shape};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;
use zeroize::Zeroizing;

const FORMAT: ImportFormat = ImportFormat::BattleNetXml;
const ISSUER: &str = "Battle.net";
pub(super) const SECRET_KEY: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL_KEY: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";
pub(super) const OLD_KEY: &str = "com.blizzard.bma.AUTH_STORE.HASH";
/// Hex digits of the secret at the start of the old app's value.
const OLD_SECRET_HEX: usize = 40;

/// The mask both apps XOR their values with.
const MASK: [u8; 57] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64,
    0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b, 0x9a,
];

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let prefs = Prefs::parse(bytes, FORMAT)?;
    let (secret, serial) = if let Some(secret) = prefs.get(SECRET_KEY) {
        let serial = prefs
            .get(SERIAL_KEY)
            .and_then(|s| unmask(s, "the serial").ok());
        (unmask(secret, "the secret"), serial)
    } else if let Some(both) = prefs.get(OLD_KEY) {
        match unmask(both, "the stored value") {
            Ok(text) if text.len() > OLD_SECRET_HEX && text.is_char_boundary(OLD_SECRET_HEX) => {
                let (secret, serial) = text.split_at(OLD_SECRET_HEX);
                let serial = Zeroizing::new(serial.to_string());
                (Ok(Zeroizing::new(secret.to_string())), Some(serial))
            }
            Ok(_) => (
                Err("the stored value is too short to hold a secret and a serial".to_string()),
                None,
            ),
            Err(problem) => (Err(problem), None),
        }
    } else {
        return Err(wrong_shape(
            FORMAT,
            format!("it has neither `{SECRET_KEY}` nor `{OLD_KEY}`"),
        ));
    };
    let serial = serial.as_deref().map(String::as_str);
    let mut out = Collector::default();
    let label = entry_label(Some(ISSUER), serial, "the authenticator");
    out.push(|| label, secret.and_then(|hex| read(&hex, serial)));
    out.finish()
}

/// The text a masked hex value stands for.
fn unmask(value: &str, what: &str) -> Result<Zeroizing<String>, String> {
    let bytes = Zeroizing::new(
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(value.trim().as_bytes())
            .map_err(|_| format!("{what} is not hexadecimal"))?,
    );
    if bytes.len() > MASK.len() {
        return Err(format!(
            "{what} is {} bytes long, at most {} are stored",
            bytes.len(),
            MASK.len()
        ));
    }
    let plain: Zeroizing<Vec<u8>> =
        Zeroizing::new(bytes.iter().zip(MASK).map(|(b, m)| b ^ m).collect());
    std::str::from_utf8(&plain)
        .map(|text| Zeroizing::new(text.to_string()))
        .map_err(|_| {
            format!("{what} does not unmask to text: is the file from the Battle.net app?")
        })
}

fn read(secret_hex: &str, serial: Option<&str>) -> Result<ImportedEntry, String> {
    let secret = SecretBytes::from_hex(secret_hex).map_err(|e| e.to_string())?;
    build_entry(
        serial,
        Some(ISSUER),
        secret,
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &[u8]) -> String {
        let bytes: Vec<u8> = text.iter().zip(MASK).map(|(b, m)| b ^ m).collect();
        data_encoding::HEXLOWER.encode(&bytes)
    }

    fn skipped(xml: &str) -> String {
        let report = parse(xml.as_bytes()).unwrap();
        assert!(report.entries.is_empty());
        report.skipped[0].reason.clone()
    }

    #[test]
    fn values_that_do_not_unmask_are_skipped_with_the_reason() {
        let new =
            |secret: &str| format!("<map><string name=\"{SECRET_KEY}\">{secret}</string></map>");
        let old = |value: &str| format!("<map><string name=\"{OLD_KEY}\">{value}</string></map>");
        assert_eq!(
            skipped(&new(&"00".repeat(58))),
            "the secret is 58 bytes long, at most 57 are stored"
        );
        assert_eq!(
            skipped(&new(&masked(&[0xff, 0xfe]))),
            "the secret does not unmask to text: is the file from the Battle.net app?"
        );
        assert_eq!(
            skipped(&old(&masked(b"0123"))),
            "the stored value is too short to hold a secret and a serial"
        );
        assert!(skipped(&new(&masked(b"zz"))).contains("hex"));
    }
}
