// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! The types and the inner client, emitted by the backend.
#![allow(
    dead_code,
    reason = "the backend emits constructors and re-exports the client does not use"
)]
#![allow(clippy::all, reason = "the backend's code follows its own style")]
#![allow(
    missing_docs,
    reason = "a spec need not describe every property and enum value"
)]
#![allow(
    rustdoc::broken_intra_doc_links,
    reason = "descriptions are the spec's text, not rustdoc"
)]
#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};

#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};

/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///A contact of the organization.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct Contact {
        ///The company the contact works for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub company: ::std::option::Option<::std::string::String>,
        ///The user who owns this contact in your organization
        pub contact_owner: ContactOwner,
        ///When the contact was created, with the offset of the organization's time zone.
        pub created_at: ::chrono::DateTime<::chrono::FixedOffset>,
        ///The contact's email address.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///The contact's first name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub first_name: ::std::option::Option<::std::string::String>,
        ///The contact's first and last name together.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub full_name: ::std::option::Option<::std::string::String>,
        ///The contact's id.
        pub id: i64,
        ///The address of the contact's image, or null when it has none.
        #[serde(deserialize_with = "::std::option::Option::deserialize")]
        pub image_url: ::std::option::Option<::std::string::String>,
        ///The contact's last name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub last_name: ::std::option::Option<::std::string::String>,
        ///Where the contact is located.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub location: ::std::option::Option<::std::string::String>,
        ///The contact's phone number.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub phone_number: ::std::option::Option<::std::string::String>,
        ///The contact's job title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        ///When the contact was last changed, with the offset of the organization's time zone.
        pub updated_at: ::chrono::DateTime<::chrono::FixedOffset>,
    }

    ///A user of the organization who owns contacts.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ContactOwner {
        ///The user's email address.
        pub email: ::std::string::String,
        ///The user's first name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub first_name: ::std::option::Option<::std::string::String>,
        ///The user's id.
        pub id: i64,
        ///The user's last name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub last_name: ::std::option::Option<::std::string::String>,
        ///The user's full name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
    }

    ///The body of a request that creates a contact.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CreateContactRequest {
        ///The contact to create.
        pub contact: NewContact,
        ///Optional email of the user in your organization who should own this contact. Must be an existing user in your organization. If not provided, defaults to the first admin user.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user_email: ::std::option::Option<::std::string::String>,
    }

    ///The body of the response to a created contact.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CreateContactResponse {
        ///The created contact.
        pub data: Contact,
    }

    ///The fields of a contact to create. At least one of `first_name`, `last_name`, `email` or `phone_number` must be provided.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct NewContact {
        ///The company the contact works for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub company: ::std::option::Option<::std::string::String>,
        ///The contact's email address.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///The contact's first name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub first_name: ::std::option::Option<::std::string::String>,
        ///The contact's last name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub last_name: ::std::option::Option<::std::string::String>,
        ///Where the contact is located.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub location: ::std::option::Option<::std::string::String>,
        ///The contact's phone number.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub phone_number: ::std::option::Option<::std::string::String>,
        ///The contact's job title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
    }

    ///Alternative error format used by Contacts and Webhook Subscriptions endpoints (render_standard_error format)
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct StandardError {
        ///A code naming the kind of error; the examples document the known codes.
        pub error_code: crate::ErrorCode,
        ///The individual problems found.
        pub errors: ::std::vec::Vec<::std::string::String>,
        ///A message for people describing the error.
        pub message: ::std::string::String,
        ///Always `error` for an error response.
        pub status: ::std::string::String,
    }

    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}

#[derive(Clone, Debug)]
/**Client for Linq Partner API

The Linq Partner API v2 lets partners manage the contacts of their organization.

Version: 2.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::transport::Shared,
}

impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::transport::Shared) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }

    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::transport::Shared,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}

impl ClientInfo<crate::transport::Shared> for Client {
    fn api_version() -> &'static str {
        "2.0"
    }

    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }

    fn client(&self) -> &reqwest::Client {
        &self.client
    }

    fn inner(&self) -> &crate::transport::Shared {
        &self.inner
    }
}

const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::transport::Shared>,
    {}
};

#[allow(clippy::all)]
impl Client {
    /**Create Contact

Creates a new contact. You can optionally specify a user_email to assign the contact to a specific user in your organization. If not provided, the contact will be automatically associated with the first admin user.

**Note:** At least one of the following fields must be provided: `first_name`, `last_name`, `email`, or `phone_number`. Attempting to create a contact without any of these fields will result in a 422 validation error.

Sends a `POST` request to `/api/partner/v2/contacts`

*/
    pub async fn create_contact<'a>(
        &'a self,
        body: &'a types::CreateContactRequest,
    ) -> Result<
        ResponseValue<types::CreateContactResponse>,
        Error<types::StandardError>,
    > {
        let url = format!("{}/api/partner/v2/contacts", self.baseurl,);
        let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "create_contact",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            201u16 => ResponseValue::from_response(response).await,
            422u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}

/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
