// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! The client: settings, authentication and one method per operation.
use std::fmt;
use std::time::Duration;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use crate::backend;
#[allow(unused_imports)]
use crate::{types, Error, Validate};
/// The base URL used unless [`ClientBuilder::base_url`] says otherwise: the spec's
/// first server.
pub const DEFAULT_BASE_URL: &str = "https://api.linqapp.com";

/// How long a whole request may take, unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long connecting may take, unless [`ClientBuilder::connect_timeout`] says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `User-Agent` header sent by a client that builds its own HTTP client.
pub const USER_AGENT: &str = concat!(
    env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")
);

///The environment variable read for the token when none is given: `LINQ_INTEGRATION_TOKEN`.
pub const TOKEN_ENV_VAR: &str = "LINQ_INTEGRATION_TOKEN";

///The header that carries the token: `X-LINQ-INTEGRATION-TOKEN`.
pub const TOKEN_HEADER: &str = "x-linq-integration-token";

/// What the inner client's hooks read on every request.
#[derive(Clone)]
pub(crate) struct Shared {
    token: reqwest::header::HeaderValue,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared").field("token", &"<redacted>").finish()
    }
}

/**A client of the Linq Partner API.

Made with [`Client::new`], [`Client::from_env`], or [`Client::builder`] for other settings. Cloning is cheap: clones share one connection pool.*/
#[derive(Clone, Debug)]
pub struct Client {
    inner: backend::Client,
}

/// Settings for a [`Client`]; every one has a default.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    token: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("http_client", &self.http_client)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ClientBuilder {
    /// The server to talk to, such as `http://127.0.0.1:8080`, instead of
    /// [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How long a whole request may take, instead of [`DEFAULT_TIMEOUT`]. Not
    /// used with [`ClientBuilder::http_client`], whose own settings apply.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take, instead of [`DEFAULT_CONNECT_TIMEOUT`]. Not
    /// used with [`ClientBuilder::http_client`], whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends requests through `client` instead of one built from these settings.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    ///The token sent in the `X-LINQ-INTEGRATION-TOKEN` header, instead of the `LINQ_INTEGRATION_TOKEN` environment variable.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Builds the client.
    ///
    /// Fails when the base URL is not an absolute `http` or `https` URL, when
    /// there is no usable token, or when the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|error| Error::Config(
                format!("base URL `{base_url}` is not a URL: {error}"),
            ))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(
                Error::Config(
                    format!("base URL `{base_url}` is not an http or https URL"),
                ),
            );
        }
        let token = match self.token {
            Some(token) => token,
            None => {
                std::env::var(TOKEN_ENV_VAR)
                    .map_err(|_| {
                        Error::Config(
                            format!(
                                "no token given, and {TOKEN_ENV_VAR} is not set to one"
                            ),
                        )
                    })?
            }
        };
        let mut token = reqwest::header::HeaderValue::from_str(token.trim())
            .map_err(|_| Error::Config(
                "the token contains characters a header cannot carry".to_owned(),
            ))?;
        if token.is_empty() {
            return Err(Error::Config("the token is empty".to_owned()));
        }
        token.set_sensitive(true);
        let http_client = match self.http_client {
            Some(client) => client,
            None => {
                reqwest::Client::builder()
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(
                        self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                    )
                    .user_agent(USER_AGENT)
                    .build()
                    .map_err(|error| Error::Config(
                        format!("cannot build the HTTP client: {error}"),
                    ))?
            }
        };
        let shared = Shared { token };
        let inner = backend::Client::new_with_client(
            base_url.trim_end_matches('/'),
            http_client,
            shared,
        );
        Ok(Client { inner })
    }
}

impl ClientHooks<Shared> for backend::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let headers = request.headers_mut();
        headers.remove("api-version");
        if true {
            headers
                .insert(
                    reqwest::header::HeaderName::from_static(TOKEN_HEADER),
                    self.inner().token.clone(),
                );
        }
        let _ = info;
        Ok(())
    }
}

impl Client {
    ///A client of the default server that authenticates with `token`, sent in the `X-LINQ-INTEGRATION-TOKEN` header.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().token(token).build()
    }

    ///A client of the default server that reads its token from the `LINQ_INTEGRATION_TOKEN` environment variable.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Settings for a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.baseurl()
    }

    /**Create Contact

Creates a new contact. You can optionally specify a user_email to assign the contact to a specific user in your organization. If not provided, the contact will be automatically associated with the first admin user.

**Note:** At least one of the following fields must be provided: `first_name`, `last_name`, `email`, or `phone_number`. Attempting to create a contact without any of these fields will result in a 422 validation error.

`POST /api/partner/v2/contacts`

# Example

```no_run
# async fn run() -> Result<(), linq_partner_v2::Error> {
// The token comes from the LINQ_INTEGRATION_TOKEN environment variable.
let client = linq_partner_v2::Client::from_env()?;

let body = linq_partner_v2::examples::create_contact_without_owner();

let response = client.create_contact(&body).await?;

println!("{:?}", response.into_inner());

# Ok(())
# }
```*/
    pub async fn create_contact<'a>(
        &'a self,
        body: &'a types::CreateContactRequest,
    ) -> Result<ResponseValue<types::CreateContactResponse>, Error> {
        Validate::validate(body)?;
        match self.inner.create_contact(body).await {
            Ok(response) => Ok(response),
            Err(error) => Err(Error::from_backend(error).await),
        }
    }
}
