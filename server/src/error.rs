//! The server's two kinds of failure: what stops a command (`StartError`, printed once), and
//! what a request is answered with (`ApiError`, JSON naming the field). Neither ever holds a
//! secret; database errors are logged in full and answered with a generic message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tessera_core::issuer::{IssuerError, IssuerField};

/// What stops a command before or while it serves.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data folder's path cannot be put in a SQLite URL.
    #[error("the data folder's path must be valid UTF-8")]
    DataPathNotUtf8,
    /// The database could not be opened or used.
    #[error("the database failed: {0}")]
    Database(String),
    /// The schema could not be brought up to date.
    #[error("the database schema could not be migrated: {0}")]
    Migration(String),
    /// A file of the data folder could not be used.
    #[error("could not {action} {path}: {detail}")]
    File {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// The master key is missing, malformed, unprotected or not the database's.
    #[error("{0}")]
    MasterKey(String),
    /// A value given on the command line or standard input was refused.
    #[error("{field}: {message}")]
    Input {
        /// The option or argument.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Core refused or failed.
    #[error(transparent)]
    Issuer(#[from] IssuerError),
}

impl StartError {
    /// A database error, kept as its text (sqlx's errors name no secret we bind).
    pub fn database(error: sqlx::Error) -> Self {
        StartError::Database(error.to_string())
    }

    /// A failed file operation.
    pub fn file(action: &'static str, path: &std::path::Path, error: &std::io::Error) -> Self {
        StartError::File {
            action,
            path: path.display().to_string(),
            detail: error.to_string(),
        }
    }
}

/// A request's failure: an HTTP status and `{ "error": { "field": ..., "message": ... } }`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    field: Option<String>,
    message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    field: Option<&'a str>,
    message: &'a str,
}

impl ApiError {
    /// A failure about `field` (a JSON key, a path parameter or a header).
    pub fn field(status: StatusCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A failure about no one value.
    pub fn general(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            field: None,
            message: message.into(),
        }
    }

    /// A failure of the server itself: logged in full, answered without detail.
    pub fn internal(what: &str, detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(%detail, "{what}");
        Self::general(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server failed; the administrator can read why in its log",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::PoolTimedOut) {
            return ApiError::general(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy; try again",
            );
        }
        ApiError::internal("a database query failed", &error)
    }
}

/// The JSON key each of core's fields is sent as.
fn field_name(field: IssuerField) -> &'static str {
    match field {
        IssuerField::Passphrase => "passphrase",
        IssuerField::Name => "name",
        IssuerField::Digits => "digits",
        IssuerField::Policy => "policy",
        IssuerField::Address => "address",
        IssuerField::OcraSuite => "ocra_suite",
        IssuerField::Window => "window",
        IssuerField::SerialNumber => "serial",
        IssuerField::RegistrationCode => "registration_code",
        IssuerField::Code => "code",
        IssuerField::Challenge => "challenge",
        IssuerField::Response => "response",
        IssuerField::ResetCode => "reset_code",
    }
}

impl From<IssuerError> for ApiError {
    fn from(error: IssuerError) -> Self {
        use IssuerError as E;
        let status = match &error {
            E::UnknownSerial { .. } => StatusCode::NOT_FOUND,
            E::NotRegistered { .. } | E::AlreadyRegistered { .. } | E::NoOcraSuite { .. } => {
                StatusCode::CONFLICT
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        match error.field() {
            Some(field) => ApiError::field(status, field_name(field), error.to_string()),
            None => ApiError::internal("the issuer failed", &error),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Detail {
                field: self.field.as_deref(),
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
