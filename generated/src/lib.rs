// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! A client of the Linq Partner API.
//!
//! The Linq Partner API v2 lets partners manage the contacts of their organization.
//!
//! ```no_run
//! # async fn run() -> Result<(), linq_partner_v2::Error> {
//! // Or Client::from_env(), which reads LINQ_INTEGRATION_TOKEN.
//! let client = linq_partner_v2::Client::builder()
//!     .token("my-token")
//!     .base_url("http://127.0.0.1:8080")
//!     .build()?;
//! let response = client.create_contact(&linq_partner_v2::examples::create_contact_without_owner()).await?;
//! println!("{} {:?}", response.status(), response.into_inner());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
mod backend;
mod client;
mod error;
pub mod examples;
mod transport;
mod validation;

pub use backend::types;
pub use client::{
    Client, ClientBuilder, RequestOptions, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, USER_AGENT,
};

pub use client::{TOKEN_ENV_VAR, TOKEN_HEADER};
pub use error::{Error, ErrorResponse, ResponseExt, MAX_KEPT_BODY, REQUEST_ID_HEADER};
pub use transport::{
    DEFAULT_MAX_RETRIES, MAX_BACKOFF, MAX_RESPONSE_BODY, MAX_RETRY_AFTER, MIN_BACKOFF,
};

pub use error::ErrorCode;
pub use progenitor_client::ResponseValue;
pub use validation::{Bounds, Validate, ValidationError};
