// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! The client: settings, authentication and one method per operation.
use std::fmt;
use std::time::Duration;
use progenitor_client::{ClientInfo, ResponseValue};
use crate::backend;
use crate::transport::{self, Shared, DEFAULT_MAX_RETRIES};

#[allow(unused_imports)]
use progenitor_client::ByteStream;

#[allow(unused_imports)]
use crate::{types, Error, Validate};

/// The base URL used unless [`ClientBuilder::base_url`] says otherwise: the spec's
/// first server.
pub const DEFAULT_BASE_URL: &str = "https://api.linqapp.com";

/// How long a whole request may take, unless [`ClientBuilder::timeout`] says
/// otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long connecting may take, unless [`ClientBuilder::connect_timeout`] says
/// otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `User-Agent` header sent unless [`ClientBuilder::user_agent`] says
/// otherwise: the crate's name and version.
pub const USER_AGENT: &str = concat!(
    env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")
);

///The environment variable read for the token when none is given: `LINQ_INTEGRATION_TOKEN`.
pub const TOKEN_ENV_VAR: &str = "LINQ_INTEGRATION_TOKEN";

///The header that carries the token: `X-LINQ-INTEGRATION-TOKEN`.
pub const TOKEN_HEADER: &str = "x-linq-integration-token";

/// The token as a header value marked sensitive, so that it never shows in
/// `Debug` output. The error never echoes the value, not even a malformed one.
fn sensitive_token(token: &str) -> Result<reqwest::header::HeaderValue, Error> {
    let mut value = reqwest::header::HeaderValue::from_str(token.trim())
        .map_err(|_| Error::Config(
            "the token contains characters a header cannot carry".to_owned(),
        ))?;
    if value.is_empty() {
        return Err(Error::Config("the token is empty".to_owned()));
    }

    value.set_sensitive(true);
    Ok(value)
}

/// A client of the Linq Partner API.
///
/// Made with [`Client::new`], [`Client::from_env`], or [`Client::builder`] for other settings. Cloning is cheap: clones share one connection pool.
///
/// Failed requests are retried with exponential backoff and jitter (see [`ClientBuilder::max_retries`]): always when no connection could be made or the server answered 429 (waiting for its `Retry-After`, up to [`MAX_RETRY_AFTER`](crate::MAX_RETRY_AFTER)); after a timeout or a 5xx, only for idempotent methods (GET, PUT, DELETE), so that a POST is never sent twice unless [`ClientBuilder::retry_non_idempotent`] says so.
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
    max_retries: Option<u32>,
    retry_non_idempotent: bool,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    headers: Vec<(String, String)>,
    token: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client)
            .field("headers", &header_names(&self.headers))
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

    /// How long a whole request may take, instead of [`DEFAULT_TIMEOUT`].
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

    /// How many times a failed request is retried, instead of
    /// [`DEFAULT_MAX_RETRIES`](crate::DEFAULT_MAX_RETRIES); 0 turns retries off.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Whether a POST or PATCH is retried after a timeout or a 5xx, when the
    /// server may already have acted on it. Off by default: turn it on only for
    /// operations that are safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The `User-Agent` header, instead of [`USER_AGENT`]. Not used with
    /// [`ClientBuilder::http_client`], whose own settings apply.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request, after the client's own (so it replaces
    /// one of the same name). Its value never shows in `Debug` output.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
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
        let base_url = checked_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
        )?;
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
        let token = sensitive_token(&token)?;
        let http_client = match self.http_client {
            Some(client) => client,
            None => {
                let builder = reqwest::Client::builder()
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(
                        self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                    )
                    .user_agent(self.user_agent.as_deref().unwrap_or(USER_AGENT))
                    .redirect(reqwest::redirect::Policy::none())
                    .retry(reqwest::retry::never().max_retries_per_request(0));
                #[cfg(feature = "rustls-ring")]
                let builder = builder.tls_backend_preconfigured(tls_config()?);
                builder
                    .build()
                    .map_err(|error| Error::Config(
                        format!("cannot build the HTTP client: {error}"),
                    ))?
            }
        };
        let shared = Shared {
            token,
            headers: header_map(&self.headers, reqwest::header::HeaderMap::new())?,
            timeout: self.timeout,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            retry_non_idempotent: self.retry_non_idempotent,
        };
        let inner = backend::Client::new_with_client(&base_url, http_client, shared);
        Ok(Client { inner })
    }
}

/// TLS with rustls, its `ring` crypto provider and the operating system's
/// certificate verifier.
///
/// The provider is given to this client's TLS settings rather than installed
/// for the whole process, so that the program's other TLS users keep theirs.
#[cfg(feature = "rustls-ring")]
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map(|builder| builder.with_no_client_auth())
        .map_err(|error| Error::Config(format!("cannot set up TLS: {error}")))
}

/// `headers` added to `map`, or an error naming the header that cannot be sent.
fn header_map(
    headers: &[(String, String)],
    mut map: reqwest::header::HeaderMap,
) -> Result<reqwest::header::HeaderMap, Error> {
    for (name, value) in headers {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a header name")))?;
        let mut value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|_| Error::Config(
                format!(
                    "the value of header `{name}` contains characters a header cannot carry"
                ),
            ))?;
        value.set_sensitive(true);
        map.insert(name, value);
    }

    Ok(map)
}

/// The names of `headers`, for `Debug` output that leaves their values out.
fn header_names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_str()).collect()
}

fn checked_base_url(base_url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(base_url)
        .map_err(|error| Error::Config(
            format!("base URL `{base_url}` is not a URL: {error}"),
        ))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(
            Error::Config(format!("base URL `{base_url}` is not an http or https URL")),
        );
    }

    Ok(base_url.trim_end_matches('/').to_owned())
}

/// Settings for some requests, overriding the client's: see [`Client::with_options`].
#[derive(Clone, Default)]
pub struct RequestOptions {
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
    headers: Vec<(String, String)>,
    token: Option<String>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &header_names(&self.headers))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another server, such as `http://127.0.0.1:8080`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How long a whole request may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried; 0 turns retries off.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Whether a POST or PATCH is retried after a timeout or a 5xx.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    /// A header sent with these requests, after the client's own (so it replaces
    /// one of the same name, the token's included). Its value never shows in
    /// `Debug` output.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Another token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
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

    /// A client that sends its requests with `options` overriding this client's
    /// settings. It shares this client's connection pool, so making one per
    /// request is cheap.
    ///
    /// Fails when the options' base URL or token is not usable.
    pub fn with_options(&self, options: RequestOptions) -> Result<Client, Error> {
        let mut shared = self.inner.inner().clone();
        if let Some(timeout) = options.timeout {
            shared.timeout = Some(timeout);
        }
        if let Some(max_retries) = options.max_retries {
            shared.max_retries = max_retries;
        }
        if let Some(retry) = options.retry_non_idempotent {
            shared.retry_non_idempotent = retry;
        }
        if let Some(token) = &options.token {
            shared.token = sensitive_token(token)?;
        }
        shared.headers = header_map(&options.headers, shared.headers)?;
        let base_url = match &options.base_url {
            Some(base_url) => checked_base_url(base_url)?,
            None => self.inner.baseurl().to_owned(),
        };
        let http_client = self.inner.client().clone();
        Ok(Client {
            inner: backend::Client::new_with_client(&base_url, http_client, shared),
        })
    }

    /// Create Contact
    ///
    /// Creates a new contact. You can optionally specify a user_email to assign the contact to a specific user in your organization. If not provided, the contact will be automatically associated with the first admin user.
    ///
    /// **Note:** At least one of the following fields must be provided: `first_name`, `last_name`, `email`, or `phone_number`. Attempting to create a contact without any of these fields will result in a 422 validation error.
    ///
    /// `POST /api/partner/v2/contacts`
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), linq_partner_v2::Error> {
    /// // The token comes from the LINQ_INTEGRATION_TOKEN environment variable.
    /// let client = linq_partner_v2::Client::from_env()?;
    /// let body = linq_partner_v2::examples::create_contact_without_owner();
    /// let response = client.create_contact(&body).await?;
    /// println!("{:?}", response.into_inner());
    /// # Ok(())
    /// # }
    /// ```
    #[allow(
        clippy::needless_lifetimes,
        clippy::too_many_arguments,
        reason = "the signature is the backend's"
    )]
    pub async fn create_contact<'a>(
        &'a self,
        body: &'a types::CreateContactRequest,
    ) -> Result<ResponseValue<types::CreateContactResponse>, Error> {
        Validate::validate(body)?;
        let inner = &self.inner;
        let attempt = move || inner.create_contact(body);
        let (mut result, mut exchange) = {
            let mut call = std::pin::pin!(transport::recorded(attempt(), 1));
            let result = call.as_mut().await;
            (result, transport::finished(call))
        };
        if exchange.failure.is_some() {
            (result, exchange) = Box::pin(
                    transport::retried(
                        inner,
                        "create_contact",
                        false,
                        attempt,
                        result,
                        exchange,
                    ),
                )
                .await;
        }
        match result {
            Ok(_) if exchange.too_large => Err(Error::too_large(&exchange)),
            Ok(value) => Ok(transport::with_headers(value, exchange)),
            Err(error) => Err(Error::from_backend(error, exchange).await),
        }
    }
}
