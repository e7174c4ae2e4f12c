//! Reading a request's JSON body into a request type, every refusal naming the field: a missing
//! field by its name, a wrong type by its path, a body over the limit as such.
//!
//! Request types make their required fields `Option` and the handler asks for them with
//! [`required`], so a missing field is reported by name rather than as serde's sentence.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body accepted, in bytes: every request of the API is a few short fields.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The body as `T`; an empty body reads as `{}`.
pub fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::general(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            )
        } else {
            ApiError::general(rejection.status(), "the request body could not be read")
        }
    })?;
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if matches!(
            inner.classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        ) {
            // Where the parser stopped says nothing about which field is wrong.
            return ApiError::general(
                StatusCode::BAD_REQUEST,
                "the request body is not valid JSON",
            );
        }
        let message = without_position(&inner.to_string());
        if path.is_empty() || path == "." {
            ApiError::general(StatusCode::BAD_REQUEST, message)
        } else {
            ApiError::field(StatusCode::BAD_REQUEST, path, message)
        }
    })?;
    deserializer.end().map_err(|_| {
        ApiError::general(
            StatusCode::BAD_REQUEST,
            "the request body has more after its JSON",
        )
    })?;
    Ok(value)
}

/// serde's message without " at line 1 column 12", which says nothing to an API client.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The value of a required field, or a refusal naming it.
pub fn required<T>(value: Option<T>, field: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            field,
            format!("{field} is required"),
        )
    })
}
