// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! The errors of a call.
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
#[allow(unused_imports)]
use crate::types;
use crate::ValidationError;
/// The most bytes of an unexpected response body kept in an [`Error`].
pub const MAX_KEPT_BODY: usize = 64 * 1024;

/// Why a call did not return the documented success response.
///
/// Each kind of failure is its own variant, so that callers match on it rather
/// than on message text. Messages never contain the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: no token, a token that cannot be sent in a
    /// header, or a bad base URL.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request breaks a rule of the spec, so it was not sent.
    #[error("request not sent: {0}")]
    Invalid(#[from] ValidationError),
    ///The API answered with its documented error body, [`types::StandardError`].
    #[error("the API refused the request: {status} {}", body.error_code)]
    Api {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The error body.
        body: Box<types::StandardError>,
    },
    /// The API answered with a status the spec does not document for the operation.
    #[error("unexpected response status {status}")]
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The start of the response body, at most [`MAX_KEPT_BODY`] bytes.
        body: String,
    },
    /// A documented status came with a body that does not match its schema.
    #[error("the response body does not match the spec: {source}")]
    InvalidResponse {
        /// The start of the response body, at most [`MAX_KEPT_BODY`] bytes.
        body: String,
        /// What did not match.
        source: serde_json::Error,
    },
    /// No response came within the timeout.
    #[error("the request timed out")]
    Timeout(#[source] reqwest::Error),
    /// The server could not be reached.
    #[error("cannot connect to the server")]
    Connect(#[source] reqwest::Error),
    /// The request could not be built or sent, or the response could not be read.
    #[error("the request failed")]
    Transport(#[source] reqwest::Error),
}

impl Error {
    /// The response status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            Error::Timeout(error) | Error::Connect(error) | Error::Transport(error) => {
                error.status()
            }
            _ => None,
        }
    }

    /// Turns the backend's error into ours, reading at most [`MAX_KEPT_BODY`] bytes
    /// of an unexpected response.
    pub(crate) async fn from_backend<E: ErrorBody>(
        error: progenitor_client::Error<E>,
    ) -> Error {
        use progenitor_client::Error as Backend;
        match error {
            Backend::ErrorResponse(value) => E::into_error(value),
            Backend::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = read_bounded(response).await;
                Error::UnexpectedStatus {
                    status,
                    headers,
                    body,
                }
            }
            Backend::InvalidResponsePayload(bytes, source) => {
                Error::InvalidResponse {
                    body: kept_text(&bytes),
                    source,
                }
            }
            Backend::CommunicationError(error)
            | Backend::ResponseBodyError(error)
            | Backend::InvalidUpgrade(error) => Error::from_transport(error),
            Backend::InvalidRequest(message) | Backend::Custom(message) => {
                Error::Config(message)
            }
        }
    }

    fn from_transport(error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(error)
        } else if error.is_connect() {
            Error::Connect(error)
        } else {
            Error::Transport(error)
        }
    }
}

/// A body type of documented error responses.
pub(crate) trait ErrorBody: Sized {
    fn into_error(value: ResponseValue<Self>) -> Error;
}

impl ErrorBody for () {
    fn into_error(value: ResponseValue<Self>) -> Error {
        let status = value.status();
        let headers = value.headers().clone();
        Error::UnexpectedStatus {
            status,
            headers,
            body: String::new(),
        }
    }
}

impl ErrorBody for types::StandardError {
    fn into_error(value: ResponseValue<Self>) -> Error {
        let status = value.status();
        let headers = value.headers().clone();
        Error::Api {
            status,
            headers,
            body: Box::new(value.into_inner()),
        }
    }
}

async fn read_bounded(mut response: reqwest::Response) -> String {
    let mut kept = Vec::new();

    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_KEPT_BODY - kept.len();
        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if kept.len() == MAX_KEPT_BODY {
            break;
        }
    }

    kept_text(&kept)
}

fn kept_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_KEPT_BODY)]).into_owned()
}

/// The code of an error response: one variant per code the API docs document,
/// and [`ErrorCode::Other`] for any other code, kept as sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    ///`VALIDATION_ERROR`
    ValidationError,
    ///`USER_NOT_FOUND`
    UserNotFound,
    /// A code this version of the client does not know, as sent.
    Other(String),
}

impl ErrorCode {
    /// The code as the API writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::ValidationError => "VALIDATION_ERROR",
            ErrorCode::UserNotFound => "USER_NOT_FOUND",
            ErrorCode::Other(code) => code,
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        match code {
            "VALIDATION_ERROR" => ErrorCode::ValidationError,
            "USER_NOT_FOUND" => ErrorCode::UserNotFound,
            other => ErrorCode::Other(other.to_owned()),
        }
    }
}

impl std::str::FromStr for ErrorCode {
    type Err = std::convert::Infallible;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Ok(ErrorCode::from(code))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(ErrorCode::from(code.as_ref()))
    }
}
