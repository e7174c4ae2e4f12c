//! Reading one `otpauth-migration://offline?data=...` link into its payload.
//!
//! `data` is standard base64 (not the URL-safe alphabet), as Google writes it: usually
//! percent-encoded, but copied by hand or by other tools it may carry raw `+`, `/` and `=`,
//! or have had its `+` turned into spaces by a form decoder (spaces are read back as `+`).
//! Padding may be present or not. Every buffer holding decoded bytes is wiped when dropped.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use prost::Message as _;
use zeroize::Zeroizing;

use super::proto::MigrationPayload;

const SCHEME: &str = "otpauth-migration";

/// The most QR codes an export may say it has: 10,000 accounts at Google's 10 per code, far
/// beyond any real token. It bounds what a hostile `batch_size` makes the importer list.
pub const MAX_BATCH_SIZE: i32 = 1000;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why an export link could not be read. Messages name the part of the link or the payload
/// field, and never contain any of the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// The text does not start with `otpauth-migration://`.
    #[error(
        "this is not a Google Authenticator export link: it must start with otpauth-migration://"
    )]
    NotMigrationLink,
    /// No `data` parameter, or an empty one.
    #[error(
        "the export link has no `data`: it must look like otpauth-migration://offline?data=..."
    )]
    MissingData,
    /// `data` appears twice.
    #[error("the export link has `data` twice")]
    DuplicateData,
    /// A `%` not followed by two hex digits.
    #[error("the export link's `data` has a `%` that is not followed by two hex digits")]
    BadPercentEncoding,
    /// `data` is not base64.
    #[error("the export link's `data` is not valid base64: {problem}")]
    BadBase64 {
        /// What is wrong, by position only.
        problem: String,
    },
    /// The decoded bytes are not an export payload.
    #[error(
        "the export link's data is damaged in `{field}`: {problem} (was the link cut short or changed?)"
    )]
    Damaged {
        /// The payload field where decoding stopped (`otp_parameters.secret`, `batch_id`...).
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// `batch_size` or `batch_index` that cannot describe a QR code of an export.
    #[error("the export link's `{field}` is {value}, {problem}")]
    BadBatch {
        /// `batch_size` or `batch_index`.
        field: &'static str,
        /// The value found.
        value: i32,
        /// Why it cannot be.
        problem: String,
    },
}

/// Decodes the payload of `uri`, without judging its accounts.
pub(super) fn read_payload(uri: &str) -> Result<MigrationPayload, MigrationError> {
    let uri = uri.trim();
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or(MigrationError::NotMigrationLink)?;
    if !scheme.eq_ignore_ascii_case(SCHEME) {
        return Err(MigrationError::NotMigrationLink);
    }
    let query = rest.split_once('?').map(|(_, query)| query).unwrap_or("");
    let mut data = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.eq_ignore_ascii_case("data") {
            if data.is_some() {
                return Err(MigrationError::DuplicateData);
            }
            data = Some(value);
        }
    }
    let data = data
        .filter(|d| !d.is_empty())
        .ok_or(MigrationError::MissingData)?;
    let bytes = decode_base64(&percent_decode(data)?)?;
    let payload = MigrationPayload::decode(bytes.as_slice()).map_err(damaged)?;
    check_batch(&payload)?;
    Ok(payload)
}

/// `data` with its `%XX` escapes decoded and spaces read as `+`.
fn percent_decode(data: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let bytes = data.as_bytes();
    for (index, _) in data.match_indices('%') {
        let escape = bytes.get(index + 1..index + 3);
        if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
            return Err(MigrationError::BadPercentEncoding);
        }
    }
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    out.extend(percent_encoding::percent_decode(bytes).map(|b| if b == b' ' { b'+' } else { b }));
    Ok(out)
}

fn decode_base64(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    // Room for the whole result up front, so the buffer never reallocates and leaves no
    // unwiped copy behind.
    let mut out = Zeroizing::new(Vec::with_capacity(base64::decoded_len_estimate(text.len())));
    BASE64.decode_vec(text, &mut out).map_err(|error| {
        let problem = match error {
            base64::DecodeError::InvalidByte(offset, _) if text.get(offset) == Some(&b'=') => {
                format!("character {} is a `=`, which may only end it", offset + 1)
            }
            base64::DecodeError::InvalidByte(offset, _) => {
                format!(
                    "character {} is not one of A-Z, a-z, 0-9, + and /",
                    offset + 1
                )
            }
            base64::DecodeError::InvalidLength(_) => {
                "its length does not make whole bytes (a character is missing or extra)".to_string()
            }
            base64::DecodeError::InvalidLastSymbol { offset, .. } => format!(
                "its last character (character {}) does not fit: is the link cut short?",
                offset + 1
            ),
            base64::DecodeError::InvalidPadding => "its `=` padding is wrong".to_string(),
        };
        MigrationError::BadBase64 { problem }
    })?;
    Ok(out)
}

/// Words for prost's error. Its text is "failed to decode Protobuf message: " followed by
/// `Message.field: ` for each level, innermost first, and a description; the fields are put
/// outermost first (`otp_parameters.secret`), and the description in plain words.
fn damaged(error: prost::DecodeError) -> MigrationError {
    let text = error.to_string();
    let rest = text
        .strip_prefix("failed to decode Protobuf message: ")
        .unwrap_or(&text);
    let mut fields = Vec::new();
    let mut description = rest;
    while let Some((head, tail)) = description.split_once(": ") {
        match head.split_once('.') {
            Some((message, field))
                if message.chars().all(|c| c.is_ascii_alphanumeric())
                    && field.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
            {
                fields.push(field);
                description = tail;
            }
            _ => break,
        }
    }
    fields.reverse();
    let field = if fields.is_empty() {
        "the payload".to_string()
    } else {
        fields.join(".")
    };
    let problem = match description {
        "buffer underflow" => "it ends too early".to_string(),
        "invalid varint" => "a number in it is cut short or malformed".to_string(),
        "invalid string value: data is not UTF-8 encoded" => "its text is not UTF-8".to_string(),
        "delimited length exceeded" => "a length in it is wrong".to_string(),
        other => format!("it is not encoded as an export ({other})"),
    };
    MigrationError::Damaged { field, problem }
}

fn check_batch(payload: &MigrationPayload) -> Result<(), MigrationError> {
    if payload.batch_size < 0 {
        return Err(MigrationError::BadBatch {
            field: "batch_size",
            value: payload.batch_size,
            problem: "but it cannot be negative".to_string(),
        });
    }
    if payload.batch_size > MAX_BATCH_SIZE {
        return Err(MigrationError::BadBatch {
            field: "batch_size",
            value: payload.batch_size,
            problem: format!("but an export has at most {MAX_BATCH_SIZE} QR codes"),
        });
    }
    if payload.batch_index < 0 {
        return Err(MigrationError::BadBatch {
            field: "batch_index",
            value: payload.batch_index,
            problem: "but it cannot be negative".to_string(),
        });
    }
    let size = payload.batch_size.max(1);
    if payload.batch_index >= size {
        return Err(MigrationError::BadBatch {
            field: "batch_index",
            value: payload.batch_index,
            problem: format!(
                "but `batch_size` says the export has only {size} QR code{} (numbered from 0)",
                if size == 1 { "" } else { "s" }
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(data: &str) -> String {
        read_payload(&format!("otpauth-migration://offline?data={data}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn base64_problems_are_named_by_position() {
        // "AB" would make one byte only if B's low bits were zero.
        assert_eq!(
            error("AB"),
            "the export link's `data` is not valid base64: its last character (character 2) does not fit: is the link cut short?"
        );
        assert_eq!(
            error("AA=A"),
            "the export link's `data` is not valid base64: character 3 is a `=`, which may only end it"
        );
        assert_eq!(
            error("EAEo+wE*"),
            "the export link's `data` is not valid base64: character 8 is not one of A-Z, a-z, 0-9, + and /"
        );
    }

    #[test]
    fn plus_may_be_raw_escaped_or_a_space_and_padding_is_optional() {
        // 10 01 28 FB 01: version 1, batch_id 251 (0x7B + 0x80), base64 "EAEo+wE=".
        for data in ["EAEo+wE=", "EAEo+wE", "EAEo%2BwE%3D", "EAEo wE"] {
            let payload =
                read_payload(&format!("otpauth-migration://offline?data={data}")).unwrap();
            assert_eq!((payload.version, payload.batch_id), (1, 251), "{data}");
        }
    }

    #[test]
    fn a_huge_batch_size_is_refused() {
        // 18 82 88 CD 12: batch_size 39,011,330 (found by the fuzzer: listing that many
        // missing parts ran out of memory).
        assert_eq!(
            error("GIKIzRI"),
            "the export link's `batch_size` is 39011330, but an export has at most 1000 QR codes"
        );
    }

    #[test]
    fn a_length_past_the_end_of_a_nested_message_is_named() {
        // otp_parameters of 4 bytes holding a secret that claims 9.
        let error = read_payload("otpauth-migration://offline?data=CgQKCUFB").unwrap_err();
        assert_eq!(
            error,
            MigrationError::Damaged {
                field: "otp_parameters.secret".to_string(),
                problem: "it ends too early".to_string(),
            }
        );
    }
}
