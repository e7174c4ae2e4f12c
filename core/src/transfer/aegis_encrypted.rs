//! Encrypted Aegis vaults (Aegis's `docs/vault.md`). The vault's master key is wrapped once per
//! key slot; a password slot (`type` 1) wraps it with AES-256-GCM (`key`, `key_params.nonce`,
//! `key_params.tag`, hex) under the key scrypt derives from the password and the slot's `salt`
//! with the slot's `n`, `r` and `p`. The master key opens `db` (base64) with AES-256-GCM and
//! `header.params.nonce` and `tag` (hex); the plaintext is the `db` object a plain export holds.
//! Raw and biometric slots cannot be opened with a password and are passed over.
//!
//! Every field is checked, and every slot's scrypt cost bounded, before any key is derived.
//! A password that opens no slot is a wrong password (or a changed slot); a `db` that does not
//! open with the unwrapped master key is a damaged file.

use serde_json::Value;

use super::aegis;
use super::crypto::{
    CHANGED, KEY_LEN, Key, NONCE_LEN, ScryptParams, TAG_LEN, base64, damaged, decrypted_json,
    exact, hex, open,
};
use super::entry::{array_at, string as text, wrong_shape};
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport};

const FORMAT: ImportFormat = ImportFormat::AegisEncrypted;
/// The `type` of a password slot.
const PASSWORD_SLOT: u64 = 1;
/// Aegis vaults have one password slot; each slot tried costs a full scrypt run.
const MAX_PASSWORD_SLOTS: usize = 4;

/// A password slot, checked and decoded.
struct Slot {
    params: ScryptParams,
    salt: Vec<u8>,
    wrapped: [u8; KEY_LEN],
    nonce: [u8; NONCE_LEN],
    tag: [u8; TAG_LEN],
}

pub(super) fn parse(file: &Value, password: &Password) -> Result<ImportReport, ImportError> {
    let header = file
        .get("header")
        .filter(|h| h.is_object())
        .ok_or_else(|| wrong_shape(FORMAT, "it has no `header`"))?;
    let slots = password_slots(header)?;
    let params = header.get("params").unwrap_or(&Value::Null);
    let nonce = exact::<NONCE_LEN>(
        hex(text(params, "nonce"), "header.params.nonce")?,
        "header.params.nonce",
    )?;
    let tag = exact::<TAG_LEN>(
        hex(text(params, "tag"), "header.params.tag")?,
        "header.params.tag",
    )?;
    let sealed = base64(file.get("db").and_then(Value::as_str), "db")?;

    let master = unwrap_master_key(&slots, password)?;
    let plaintext = open(&master, &nonce, &sealed, &tag).map_err(|_| damaged("db", CHANGED))?;
    let db = decrypted_json(&plaintext, "db")?;
    aegis::parse_db(&db)
}

fn password_slots(header: &Value) -> Result<Vec<Slot>, ImportError> {
    let mut slots = Vec::new();
    for (index, slot) in array_at(header, "slots", FORMAT)?.iter().enumerate() {
        if slot.get("type").and_then(Value::as_u64) == Some(PASSWORD_SLOT) {
            slots.push(read_slot(slot, &format!("header.slots[{index}]"))?);
        }
    }
    if slots.is_empty() {
        return Err(wrong_shape(
            FORMAT,
            "it has no password slot (type 1) in `header.slots`: it opens only with a fingerprint",
        ));
    }
    if slots.len() > MAX_PASSWORD_SLOTS {
        return Err(ImportError::KdfTooCostly {
            what: "the number of password slots to try (header.slots)".to_string(),
            value: slots.len() as u64,
            max: MAX_PASSWORD_SLOTS as u64,
        });
    }
    Ok(slots)
}

fn read_slot(slot: &Value, field: &str) -> Result<Slot, ImportError> {
    let whole = |name: &str| {
        slot.get(name).and_then(Value::as_u64).ok_or_else(|| {
            damaged(
                format!("{field}.{name}"),
                "is missing or not a whole number",
            )
        })
    };
    let params = ScryptParams::new(field, whole("n")?, whole("r")?, whole("p")?)?;
    let key_params = slot.get("key_params").unwrap_or(&Value::Null);
    let named = |name: &str| format!("{field}.{name}");
    Ok(Slot {
        params,
        salt: hex(text(slot, "salt"), &named("salt"))?,
        wrapped: exact(hex(text(slot, "key"), &named("key"))?, &named("key"))?,
        nonce: exact(
            hex(text(key_params, "nonce"), &named("key_params.nonce"))?,
            &named("key_params.nonce"),
        )?,
        tag: exact(
            hex(text(key_params, "tag"), &named("key_params.tag"))?,
            &named("key_params.tag"),
        )?,
    })
}

/// The master key from the first slot the password opens.
fn unwrap_master_key(slots: &[Slot], password: &Password) -> Result<Key, ImportError> {
    for slot in slots {
        let slot_key = slot.params.derive(password, &slot.salt);
        if let Ok(master) = open(&slot_key, &slot.nonce, &slot.wrapped, &slot.tag) {
            let mut key = Key::default();
            key.copy_from_slice(&master);
            return Ok(key);
        }
    }
    Err(ImportError::WrongPassword {
        field: "header.slots",
    })
}
