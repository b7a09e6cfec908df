//! Emits the crate's error types: the call error, and the open enum of error codes that
//! the spec's error examples document.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::Problem;
use crate::ir::{Api, ErrorModel};

/// The `error` module of the generated crate.
pub fn emit(api: &Api, backend: &super::backend::Backend) -> Result<TokenStream, Vec<Problem>> {
    let error_code = match &api.error {
        Some(error) if error.code_property.is_some() => error_code_enum(error)?,
        _ => TokenStream::new(),
    };
    let api_variant = api.error.as_ref().map(api_error_variant);
    let api_status = api
        .error
        .as_ref()
        .map(|_| quote! { Error::Api(response) => Some(response.status), });
    let api_headers = api
        .error
        .as_ref()
        .map(|_| quote! { Error::Api(response) => Some(&response.headers), });
    let api_conversion = api.error.as_ref().map(|error| {
        let schema = format_ident!("{}", crate::names::type_name(&error.schema));
        quote! {
            impl ErrorBody for types::#schema {
                async fn into_error(value: ResponseValue<Self>, headers: HeaderMap) -> Error {
                    let status = value.status();
                    Error::Api(Box::new(ErrorResponse { status, headers, body: value.into_inner() }))
                }
            }
        }
    });

    // A documented error whose body is raw bytes (`*/*`): kept as text, like an
    // undocumented one.
    let raw_conversion = backend.has_raw_error_body().then(|| {
        quote! {
            impl ErrorBody for progenitor_client::ByteStream {
                async fn into_error(value: ResponseValue<Self>, headers: HeaderMap) -> Error {
                    use futures::StreamExt;
                    let status = value.status();
                    let mut stream = value.into_inner_stream();
                    let mut kept = Vec::new();
                    while let Some(Ok(chunk)) = stream.next().await {
                        let room = MAX_KEPT_BODY - kept.len();
                        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                        if kept.len() == MAX_KEPT_BODY {
                            break;
                        }
                    }
                    Error::from_status(status, headers, kept_text(&kept))
                }
            }
        }
    });

    Ok(quote! {
        use std::time::Duration;

        use progenitor_client::ResponseValue;
        use reqwest::StatusCode;
        use reqwest::header::HeaderMap;

        #[allow(unused_imports)]
        use crate::types;
        use crate::transport::{Exchange, MAX_RESPONSE_BODY};
        use crate::ValidationError;

        /// The most bytes of an unexpected response body kept in an [`Error`].
        pub const MAX_KEPT_BODY: usize = 64 * 1024;

        /// The response header that carries the server's id of a request, when it sends one.
        pub const REQUEST_ID_HEADER: &str = "x-request-id";

        /// Why a call did not return the documented success response.
        ///
        /// Each kind of failure is its own variant, so that callers match on it rather
        /// than on message text. Messages are one line and never contain the token.
        /// Bodies kept for undocumented responses are cut to [`MAX_KEPT_BODY`] bytes.
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

            #api_variant

            /// 401: the token is missing, wrong or revoked.
            #[error("the API refused the token (401 Unauthorized)")]
            Unauthorized(Box<ErrorResponse>),

            /// 403: the token may not do this.
            #[error("the token may not do this (403 Forbidden)")]
            Forbidden(Box<ErrorResponse>),

            /// 404: there is no such resource.
            #[error("not found (404)")]
            NotFound(Box<ErrorResponse>),

            /// 429: too many requests, still after the retries.
            #[error("rate limited (429){}", retry_after.map(|wait| format!(", retry after {}s", wait.as_secs())).unwrap_or_default())]
            RateLimited {
                /// The wait the server asked for in `Retry-After`, when it gave one in seconds.
                retry_after: Option<Duration>,
                /// The response.
                response: Box<ErrorResponse>,
            },

            /// 5xx: the server failed, still after any retries.
            #[error("server error ({})", .0.status)]
            Server(Box<ErrorResponse>),

            /// Another status the spec does not document for the operation.
            #[error("unexpected response status {}", .0.status)]
            UnexpectedStatus(Box<ErrorResponse>),

            /// A documented status came with a body that does not match its schema.
            #[error("the {} response body does not match the spec: {source}", response.status)]
            InvalidResponse {
                /// The response, its body cut to [`MAX_KEPT_BODY`] bytes.
                response: Box<ErrorResponse>,
                /// What did not match.
                source: serde_json::Error,
            },

            /// The response body is longer than [`MAX_RESPONSE_BODY`]; the rest was not read.
            #[error("the {status} response body is longer than {limit} bytes")]
            ResponseTooLarge {
                /// The status.
                status: StatusCode,
                /// The limit, [`MAX_RESPONSE_BODY`].
                limit: usize,
            },

            /// No response came within the timeout.
            #[error("the request timed out after {attempts} attempt(s)")]
            Timeout {
                /// How many times the request was sent.
                attempts: u32,
                /// The HTTP client's error.
                source: reqwest::Error,
            },

            /// The server could not be reached.
            #[error("cannot connect to the server after {attempts} attempt(s)")]
            Connect {
                /// How many times a connection was tried.
                attempts: u32,
                /// The HTTP client's error.
                source: reqwest::Error,
            },

            /// The request could not be sent, or the response could not be read (such as a
            /// connection closed in the middle of the body). With a status, the server
            /// answered, so it may have acted on the request.
            #[error("{}", describe_transport(*status))]
            Transport {
                /// The status of the response that broke off, when one began.
                status: Option<StatusCode>,
                /// The HTTP client's error.
                source: reqwest::Error,
            },
        }

        impl Error {
            /// The response status, when the server answered.
            pub fn status(&self) -> Option<StatusCode> {
                match self {
                    #api_status
                    Error::Unauthorized(response)
                    | Error::Forbidden(response)
                    | Error::NotFound(response)
                    | Error::RateLimited { response, .. }
                    | Error::Server(response)
                    | Error::UnexpectedStatus(response)
                    | Error::InvalidResponse { response, .. } => Some(response.status),
                    Error::ResponseTooLarge { status, .. } => Some(*status),
                    Error::Transport { status, .. } => *status,
                    _ => None,
                }
            }

            /// The response headers, when the server answered and they were kept.
            pub fn headers(&self) -> Option<&HeaderMap> {
                match self {
                    #api_headers
                    Error::Unauthorized(response)
                    | Error::Forbidden(response)
                    | Error::NotFound(response)
                    | Error::RateLimited { response, .. }
                    | Error::Server(response)
                    | Error::UnexpectedStatus(response)
                    | Error::InvalidResponse { response, .. } => Some(&response.headers),
                    _ => None,
                }
            }

            /// The server's id of the request ([`REQUEST_ID_HEADER`]), when it sent one.
            pub fn request_id(&self) -> Option<&str> {
                self.headers()?.get(REQUEST_ID_HEADER)?.to_str().ok()
            }

            pub(crate) fn too_large(exchange: &Exchange) -> Error {
                Error::ResponseTooLarge { status: exchange.status.unwrap_or_default(), limit: MAX_RESPONSE_BODY }
            }

            /// Turns the backend's error into ours, with what the transport recorded (the
            /// response's headers among it: the backend never sees them).
            pub(crate) async fn from_backend<E: ErrorBody>(error: progenitor_client::Error<E>, mut exchange: Exchange) -> Error {
                use progenitor_client::Error as Backend;
                if exchange.too_large {
                    return Error::too_large(&exchange);
                }
                let headers = exchange.headers.take().unwrap_or_default();
                match error {
                    Backend::ErrorResponse(value) => E::into_error(value, headers).await,
                    Backend::UnexpectedResponse(response) => {
                        let status = response.status();
                        let body = match response.bytes().await {
                            Ok(bytes) => kept_text(&bytes),
                            Err(error) => return Error::Transport { status: Some(status), source: error },
                        };
                        Error::from_status(status, headers, body)
                    }
                    Backend::InvalidResponsePayload(bytes, source) => Error::InvalidResponse {
                        response: Box::new(ErrorResponse {
                            status: exchange.status.unwrap_or_default(),
                            headers,
                            body: kept_text(&bytes),
                        }),
                        source,
                    },
                    Backend::CommunicationError(error)
                    | Backend::ResponseBodyError(error)
                    | Backend::InvalidUpgrade(error) => Error::from_transport(error, &exchange),
                    Backend::InvalidRequest(message) | Backend::Custom(message) => Error::Config(message),
                }
            }

            /// The error for a status the operation does not document.
            pub(crate) fn from_status(status: StatusCode, headers: HeaderMap, body: String) -> Error {
                let response = Box::new(ErrorResponse { status, headers, body });
                match status {
                    StatusCode::UNAUTHORIZED => Error::Unauthorized(response),
                    StatusCode::FORBIDDEN => Error::Forbidden(response),
                    StatusCode::NOT_FOUND => Error::NotFound(response),
                    StatusCode::TOO_MANY_REQUESTS => {
                        let retry_after = crate::transport::retry_after(&response.headers);
                        Error::RateLimited { retry_after, response }
                    }
                    status if status.is_server_error() => Error::Server(response),
                    _ => Error::UnexpectedStatus(response),
                }
            }

            fn from_transport(error: reqwest::Error, exchange: &Exchange) -> Error {
                let attempts = exchange.attempts.max(1);
                if error.is_connect() {
                    Error::Connect { attempts, source: error }
                } else if error.is_timeout() {
                    Error::Timeout { attempts, source: error }
                } else {
                    Error::Transport { status: exchange.status, source: error }
                }
            }
        }

        /// The parts of an error response the client keeps: the status, the headers and
        /// the body, typed for documented error bodies and otherwise text cut to
        /// [`MAX_KEPT_BODY`] bytes.
        #[derive(Debug, Clone)]
        pub struct ErrorResponse<B = String> {
            /// The status.
            pub status: StatusCode,
            /// The headers.
            pub headers: HeaderMap,
            /// The body.
            pub body: B,
        }

        /// A body type of documented error responses.
        pub(crate) trait ErrorBody: Sized {
            /// The error for `value`, whose response had `headers`.
            async fn into_error(value: ResponseValue<Self>, headers: HeaderMap) -> Error;
        }

        impl ErrorBody for () {
            async fn into_error(value: ResponseValue<Self>, headers: HeaderMap) -> Error {
                let status = value.status();
                Error::from_status(status, headers, String::new())
            }
        }

        #api_conversion

        #raw_conversion

        fn describe_transport(status: Option<StatusCode>) -> String {
            match status {
                Some(status) => format!("the {status} response broke off before its end"),
                None => "the request failed".to_owned(),
            }
        }

        fn kept_text(bytes: &[u8]) -> String {
            String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_KEPT_BODY)]).into_owned()
        }

        /// Reading the server's request id from a successful response.
        pub trait ResponseExt {
            /// The server's id of the request ([`REQUEST_ID_HEADER`]), when it sent one.
            fn request_id(&self) -> Option<&str>;
        }

        impl<T> ResponseExt for ResponseValue<T> {
            fn request_id(&self) -> Option<&str> {
                self.headers().get(REQUEST_ID_HEADER)?.to_str().ok()
            }
        }

        #error_code
    })
}

fn api_error_variant(error: &ErrorModel) -> TokenStream {
    let schema = format_ident!("{}", crate::names::type_name(&error.schema));
    let doc = format!("The API answered with its documented error body, [`types::{schema}`].");
    // One line naming the status, and the code and message when the schema has them.
    let mut format = "the API refused the request ({})".to_owned();
    let mut arguments = vec![quote! { .0.status }];
    if let Some(code) = &error.code_property {
        let code = format_ident!("{}", crate::names::field(code));
        format.push_str(": {}");
        arguments.push(quote! { .0.body.#code });
    }
    if let Some(message) = &error.message_property {
        let message = format_ident!("{}", crate::names::field(message));
        format.push_str(": {}");
        arguments.push(quote! { .0.body.#message });
    }
    quote! {
        #[doc = #doc]
        #[error(#format, #(#arguments),*)]
        Api(Box<ErrorResponse<types::#schema>>),
    }
}

/// The open enum of error codes: one variant per documented code and `Other` for the
/// rest, so that a code added to the API later is kept rather than failing the parse.
fn error_code_enum(error: &ErrorModel) -> Result<TokenStream, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut variants: Vec<(syn::Ident, &String)> = Vec::new();
    for code in &error.codes {
        let name = crate::names::type_name(code);
        if name == "Other" || variants.iter().any(|(taken, _)| taken == name.as_str()) {
            problems.push(Problem::new(
                format!("#/components/schemas/{}", error.schema),
                format!("error code `{code}` becomes the variant `{name}`, which is already taken"),
            ));
            continue;
        }
        variants.push((format_ident!("{}", name), code));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let declarations = variants.iter().map(|(variant, code)| {
        let doc = format!("`{code}`");
        quote! { #[doc = #doc] #variant, }
    });
    let known = variants.iter().map(|(variant, _)| variant);
    let as_str = variants
        .iter()
        .map(|(variant, code)| quote! { ErrorCode::#variant => #code, });
    let from_str = variants
        .iter()
        .map(|(variant, code)| quote! { #code => ErrorCode::#variant, });
    Ok(quote! {
        /// The code of an error response: one variant per code the API docs document,
        /// and [`ErrorCode::Other`] for any other code, kept as sent.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            #(#declarations)*
            /// A code this version of the client does not know, as sent.
            Other(String),
        }

        impl ErrorCode {
            /// Every code the API docs document.
            pub const KNOWN: &'static [ErrorCode] = &[#(ErrorCode::#known),*];

            /// The code as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    ErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    #(#from_str)*
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
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(ErrorCode::from(code.as_ref()))
            }
        }
    })
}
