//! Emits the public client: its configuration, the authentication and header hooks the
//! backend's inner client calls, and one method per operation that checks the request,
//! calls the backend's method and turns its errors into the crate's [`Error`] type.
//!
//! [`Error`]: super::errors

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::backend::Backend;
use crate::error::Problem;
use crate::ir::{Api, Operation};

/// The `client` module of the generated crate.
pub fn emit(
    api: &Api,
    backend: &Backend,
    validated: &BTreeSet<String>,
    crate_ident: &syn::Ident,
) -> Result<TokenStream, Vec<Problem>> {
    let mut problems = Vec::new();
    let methods: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|operation| {
            match operation_method(api, backend, validated, operation, crate_ident) {
                Ok(method) => Some(method),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }

    let default_base_url = api.default_server.as_deref().unwrap_or("http://localhost");
    let auth = Auth::new(api);
    let title = &api.title;
    let client_doc = format!(
        "A client of the {title}.\n\nMade with [`Client::new`]{}, or [`Client::builder`] for \
         other settings. Cloning is cheap: clones share one connection pool.\n\n\
         Failed requests are retried with exponential backoff and jitter (see \
         [`ClientBuilder::max_retries`]): always when no connection could be made or the \
         server answered 429 (waiting for its `Retry-After`, up to \
         [`MAX_RETRY_AFTER`](crate::MAX_RETRY_AFTER)); after a timeout or a 5xx, only for \
         idempotent methods (GET, PUT, DELETE), so that a POST is never sent twice unless \
         [`ClientBuilder::retry_non_idempotent`] says so.",
        if api.auth.is_some() {
            ", [`Client::from_env`]"
        } else {
            ""
        },
    );
    let client_doc = super::doc_lines(&client_doc, false);
    let new_fn = match &api.auth {
        Some(auth) => {
            let doc = format!(
                "A client of the default server that authenticates with `token`, sent in the \
                 `{}` header.",
                auth.header
            );
            let env_doc = format!(
                "A client of the default server that reads its token from the `{}` \
                 environment variable.",
                auth.env_var
            );
            quote! {
                #[doc = #doc]
                pub fn new(token: impl Into<String>) -> Result<Self, Error> {
                    Self::builder().token(token).build()
                }

                #[doc = #env_doc]
                pub fn from_env() -> Result<Self, Error> {
                    Self::builder().build()
                }
            }
        }
        None => quote! {
            /// A client of the default server.
            pub fn new() -> Result<Self, Error> {
                Self::builder().build()
            }
        },
    };
    let Auth {
        constants,
        builder_field,
        builder_setter,
        builder_debug,
        resolve,
        shared_value,
        options_field,
        options_setter,
        options_debug,
        options_apply,
    } = auth;

    Ok(quote! {
        use std::fmt;
        use std::time::Duration;

        use progenitor_client::{ClientInfo, ResponseValue};

        use crate::backend;
        use crate::transport::{self, Shared, DEFAULT_MAX_RETRIES};
        // Raw bodies (`*/*`, octet streams) arrive as the backend's byte stream.
        #[allow(unused_imports)]
        use progenitor_client::ByteStream;
        #[allow(unused_imports)]
        use crate::{types, Error, Validate};

        /// The base URL used unless [`ClientBuilder::base_url`] says otherwise: the spec's
        /// first server.
        pub const DEFAULT_BASE_URL: &str = #default_base_url;

        /// How long a whole request may take, unless [`ClientBuilder::timeout`] says
        /// otherwise.
        pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

        /// How long connecting may take, unless [`ClientBuilder::connect_timeout`] says
        /// otherwise.
        pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

        /// The `User-Agent` header sent unless [`ClientBuilder::user_agent`] says
        /// otherwise: the crate's name and version.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #constants

        #client_doc
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
            #builder_field
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
                    #builder_debug
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

            #builder_setter

            /// Builds the client.
            ///
            /// Fails when the base URL is not an absolute `http` or `https` URL, when
            /// there is no usable token, or when the HTTP client cannot be built.
            pub fn build(self) -> Result<Client, Error> {
                let base_url = checked_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
                #resolve
                let http_client = match self.http_client {
                    Some(client) => client,
                    None => {
                        let builder = reqwest::Client::builder()
                            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                            .user_agent(self.user_agent.as_deref().unwrap_or(USER_AGENT))
                            // A redirect would resend the request (or turn a POST into a GET)
                            // and carry the token to wherever it points: a 3xx is returned.
                            .redirect(reqwest::redirect::Policy::none())
                            // The transport retries by its own rule; the HTTP client's layer
                            // would copy every request for retries of its own (HTTP/2
                            // refusals, which an HTTP/1.1 client never gets).
                            .retry(reqwest::retry::never().max_retries_per_request(0));
                        #[cfg(feature = "rustls-ring")]
                        let builder = builder.tls_backend_preconfigured(tls_config()?);
                        builder
                            .build()
                            .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?
                    }
                };
                let shared = Shared {
                    #shared_value
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
                    .map_err(|_| Error::Config(format!("the value of header `{name}` contains characters a header cannot carry")))?;
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
                .map_err(|error| Error::Config(format!("base URL `{base_url}` is not a URL: {error}")))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
                return Err(Error::Config(format!("base URL `{base_url}` is not an http or https URL")));
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
            #options_field
        }

        impl fmt::Debug for RequestOptions {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("RequestOptions")
                    .field("base_url", &self.base_url)
                    .field("timeout", &self.timeout)
                    .field("max_retries", &self.max_retries)
                    .field("retry_non_idempotent", &self.retry_non_idempotent)
                    .field("headers", &header_names(&self.headers))
                    #options_debug
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

            #options_setter
        }

        impl Client {
            #new_fn

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
                #options_apply
                shared.headers = header_map(&options.headers, shared.headers)?;
                let base_url = match &options.base_url {
                    Some(base_url) => checked_base_url(base_url)?,
                    None => self.inner.baseurl().to_owned(),
                };
                let http_client = self.inner.client().clone();
                Ok(Client { inner: backend::Client::new_with_client(&base_url, http_client, shared) })
            }

            #(#methods)*
        }
    })
}

/// The pieces of the client that exist only when the spec declares an API key.
#[derive(Default)]
struct Auth {
    constants: TokenStream,
    builder_field: TokenStream,
    builder_setter: TokenStream,
    builder_debug: TokenStream,
    resolve: TokenStream,
    shared_value: TokenStream,
    options_field: TokenStream,
    options_setter: TokenStream,
    options_debug: TokenStream,
    options_apply: TokenStream,
}

impl Auth {
    fn new(api: &Api) -> Self {
        let Some(auth) = &api.auth else {
            return Auth::default();
        };
        let header = auth.header.to_ascii_lowercase();
        let env_var = &auth.env_var;
        let env_doc =
            format!("The environment variable read for the token when none is given: `{env_var}`.");
        let header_doc = format!("The header that carries the token: `{}`.", auth.header);
        let token_doc = format!(
            "The token sent in the `{}` header, instead of the `{env_var}` environment variable.",
            auth.header
        );
        Auth {
            constants: quote! {
                #[doc = #env_doc]
                pub const TOKEN_ENV_VAR: &str = #env_var;

                #[doc = #header_doc]
                pub const TOKEN_HEADER: &str = #header;

                /// The token as a header value marked sensitive, so that it never shows in
                /// `Debug` output. The error never echoes the value, not even a malformed one.
                fn sensitive_token(token: &str) -> Result<reqwest::header::HeaderValue, Error> {
                    let mut value = reqwest::header::HeaderValue::from_str(token.trim())
                        .map_err(|_| Error::Config("the token contains characters a header cannot carry".to_owned()))?;
                    if value.is_empty() {
                        return Err(Error::Config("the token is empty".to_owned()));
                    }
                    value.set_sensitive(true);
                    Ok(value)
                }
            },
            builder_field: quote! { token: Option<String>, },
            builder_setter: quote! {
                #[doc = #token_doc]
                pub fn token(mut self, token: impl Into<String>) -> Self {
                    self.token = Some(token.into());
                    self
                }
            },
            builder_debug: quote! { .field("token", &self.token.as_ref().map(|_| "<redacted>")) },
            resolve: quote! {
                let token = match self.token {
                    Some(token) => token,
                    None => std::env::var(TOKEN_ENV_VAR).map_err(|_| {
                        Error::Config(format!("no token given, and {TOKEN_ENV_VAR} is not set to one"))
                    })?,
                };
                let token = sensitive_token(&token)?;
            },
            shared_value: quote! { token, },
            options_field: quote! { token: Option<String>, },
            options_setter: quote! {
                /// Another token.
                pub fn token(mut self, token: impl Into<String>) -> Self {
                    self.token = Some(token.into());
                    self
                }
            },
            options_debug: quote! { .field("token", &self.token.as_ref().map(|_| "<redacted>")) },
            options_apply: quote! {
                if let Some(token) = &options.token {
                    shared.token = sensitive_token(token)?;
                }
            },
        }
    }
}

/// The public method of one operation: the backend's signature, with the crate's error.
fn operation_method(
    api: &Api,
    backend: &Backend,
    validated: &BTreeSet<String>,
    operation: &Operation,
    crate_ident: &syn::Ident,
) -> Result<TokenStream, Problem> {
    let at = format!(
        "#/paths/{}/{}",
        operation.path.replace('~', "~0").replace('/', "~1"),
        operation.http_method.to_lowercase()
    );
    let signature = backend.method(&operation.method_name).ok_or_else(|| {
        Problem::new(
            at.clone(),
            format!("the backend emitted no method `{}`", operation.method_name),
        )
    })?;
    let success = super::backend::success_type(&signature.output).ok_or_else(|| {
        Problem::new(
            at.clone(),
            "the backend's method has an unexpected return type",
        )
    })?;

    // The crate's `Error` converts only the error bodies `ErrorBody` is implemented for;
    // any other would be a compile error in the generated crate.
    let error_body = super::backend::error_type(&signature.output);
    let shared = api
        .error
        .as_ref()
        .map(|error| format!("types::{}", crate::names::type_name(&error.schema)));
    let supported = error_body.as_ref().is_some_and(|typ| {
        matches!(typ, syn::Type::Tuple(tuple) if tuple.elems.is_empty())
            || super::backend::is_path(typ, "ByteStream")
            || shared
                .as_deref()
                .is_some_and(|shared| super::backend::is_path(typ, shared))
    });
    if !supported {
        let shown = error_body
            .map(|typ| quote!(#typ).to_string())
            .unwrap_or_default();
        return Err(Problem::unsupported(
            format!("{at}/responses"),
            format!("error responses whose body becomes `{shown}`"),
        ));
    }

    let name = &signature.ident;
    let generics = &signature.generics;
    let inputs = &signature.inputs;
    let arguments: Vec<&syn::Pat> = inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(argument) => Some(&*argument.pat),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let check = operation
        .body_schema
        .as_ref()
        .filter(|schema| validated.contains(*schema))
        .map(|_| quote! { Validate::validate(body)?; });
    let argument_names: Vec<String> = arguments
        .iter()
        .filter_map(|argument| match argument {
            syn::Pat::Ident(argument) => Some(argument.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut bound_checks = Vec::new();
    for bounds in &operation.bounds {
        let rust = crate::names::field(&bounds.name);
        if !argument_names.contains(&rust) {
            return Err(Problem::new(
                format!("{at}/parameters"),
                format!(
                    "the bounds of parameter `{}` have no argument `{rust}` to check",
                    bounds.name
                ),
            ));
        }
        let argument = format_ident!("{}", rust);
        let parameter = &bounds.name;
        let option_f64 = |value: Option<f64>| match value {
            Some(value) => quote! { Some(#value) },
            None => quote! { None },
        };
        let (minimum, maximum) = (option_f64(bounds.minimum), option_f64(bounds.maximum));
        let (exclusive_minimum, exclusive_maximum) =
            (bounds.exclusive_minimum, bounds.exclusive_maximum);
        bound_checks.push(quote! {
            crate::validation::check_bounds(#parameter, &#argument, crate::Bounds {
                minimum: #minimum,
                maximum: #maximum,
                exclusive_minimum: #exclusive_minimum,
                exclusive_maximum: #exclusive_maximum,
            })?;
        });
    }
    let mut defaults = Vec::new();
    for default in &operation.defaults {
        let rust = crate::names::field(&default.name);
        let optional = signature.inputs.iter().any(|input| match input {
            syn::FnArg::Typed(argument) => {
                matches!(&*argument.pat, syn::Pat::Ident(pattern) if pattern.ident == rust.as_str())
                    && matches!(&*argument.ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
            }
            syn::FnArg::Receiver(_) => false,
        });
        let value = match &default.value {
            serde_json::Value::Number(number) if number.is_i64() => {
                let value = number.as_i64().unwrap_or_default();
                quote! { #value }
            }
            serde_json::Value::Number(number) => {
                let value = number.as_f64().unwrap_or_default();
                quote! { #value }
            }
            serde_json::Value::Bool(value) => quote! { #value },
            serde_json::Value::String(value) => quote! { #value },
            _ => continue,
        };
        if optional {
            let argument = format_ident!("{}", rust);
            defaults.push(quote! {
                let #argument = #argument.or_else(|| crate::validation::FromDefault::from_default(#value));
            });
        }
    }
    let stream = match &operation.pages {
        Some(pages) => Some(
            page_stream(backend, signature, &success, pages)
                .map_err(|message| Problem::new(at.clone(), message))?,
        ),
        None => None,
    };
    let send = send_call(operation, signature, &arguments);
    let takes_only_a_body = arguments.len() == 1
        && matches!(arguments[0], syn::Pat::Ident(argument) if argument.ident == "body");
    let doc = super::doc_lines(
        &operation_doc(api, operation, crate_ident, takes_only_a_body),
        false,
    );
    Ok(quote! {
        #doc
        #[allow(clippy::needless_lifetimes, clippy::too_many_arguments, reason = "the signature is the backend's")]
        pub async fn #name #generics (#inputs) -> Result<ResponseValue<#success>, Error> {
            #check
            #(#defaults)*
            #(#bound_checks)*
            #send
            match result {
                Ok(_) if exchange.too_large => Err(Error::too_large(&exchange)),
                Ok(value) => Ok(transport::with_headers(value, exchange)),
                Err(error) => Err(Error::from_backend(error, exchange).await),
            }
        }

        #stream
    })
}

/// The statements of an operation method that call the backend: the first attempt,
/// then any retries, ending with `result` and `exchange` bound.
///
/// Each attempt calls the backend's method afresh with the arguments, copying those it
/// takes by value; an argument of a generic type (a raw body the caller streams) cannot
/// be copied, so such an operation is sent once.
fn send_call(
    operation: &crate::ir::Operation,
    signature: &syn::Signature,
    arguments: &[&syn::Pat],
) -> TokenStream {
    let name = &signature.ident;
    let generic_types: Vec<&syn::Ident> = signature
        .generics
        .type_params()
        .map(|parameter| &parameter.ident)
        .collect();
    let typed: Vec<&syn::PatType> = signature
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(argument) => Some(argument),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let streams_a_body = typed.iter().any(|argument| {
        matches!(&*argument.ty, syn::Type::Path(path)
            if generic_types.iter().any(|generic| path.path.is_ident(*generic)))
    });
    // The call's future ends with the block, so that what follows can take its place.
    let first_attempt = |call: TokenStream, binding: TokenStream| {
        quote! {
            let (#binding result, #binding exchange) = {
                let mut call = std::pin::pin!(transport::recorded(#call, 1));
                let result = call.as_mut().await;
                (result, transport::finished(call))
            };
        }
    };
    if streams_a_body {
        return first_attempt(
            quote! { self.inner.#name(#(#arguments),*) },
            TokenStream::new(),
        );
    }

    let per_attempt: Vec<TokenStream> = typed
        .iter()
        .zip(arguments)
        .map(|(argument, pattern)| {
            if is_borrowed(&argument.ty) {
                quote! { #pattern }
            } else {
                quote! { #pattern.clone() }
            }
        })
        .collect();
    let copies = typed
        .iter()
        .any(|argument| !is_borrowed(&argument.ty))
        .then(|| quote! {
            #[allow(clippy::clone_on_copy, reason = "each attempt takes its own copy of the arguments passed by value")]
        });
    let first = first_attempt(quote! { attempt() }, quote! { mut });
    let operation_id = name.to_string();
    let idempotent = super::transport::is_idempotent(&operation.http_method);
    quote! {
        let inner = &self.inner;
        #copies
        let attempt = move || inner.#name(#(#per_attempt),*);
        #first
        if exchange.failure.is_some() {
            (result, exchange) = Box::pin(transport::retried(inner, #operation_id, #idempotent, attempt, result, exchange)).await;
        }
    }
}

/// Whether `typ` is a reference, or an `Option` of one: a value every attempt can share.
fn is_borrowed(typ: &syn::Type) -> bool {
    match typ {
        syn::Type::Reference(_) => true,
        syn::Type::Path(path) => path.path.segments.last().is_some_and(|segment| {
            segment.ident == "Option"
                && super::backend::type_arguments(typ)
                    .first()
                    .is_some_and(|inner| matches!(inner, syn::Type::Reference(_)))
        }),
        _ => false,
    }
}

/// `NAME_stream`: every item of a page-numbered list, across pages, fetched lazily. It
/// takes the list method's arguments but `page`, and asks for page 1, 2, … in turn.
fn page_stream(
    backend: &Backend,
    signature: &syn::Signature,
    success: &syn::Type,
    pages: &crate::ir::PagedList,
) -> Result<TokenStream, String> {
    let name = &signature.ident;
    let stream_name = format_ident!("{}_stream", name);
    let mut inputs = Vec::new();
    let mut arguments = Vec::new();
    for input in &signature.inputs {
        let syn::FnArg::Typed(argument) = input else {
            continue;
        };
        let syn::Pat::Ident(pattern) = &*argument.pat else {
            return Err("an argument that is not a plain name".to_owned());
        };
        if pattern.ident == "page" {
            let page_is_optional = matches!(&*argument.ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"));
            arguments.push(if page_is_optional {
                quote! { Some(page) }
            } else {
                quote! { page }
            });
        } else {
            let ident = &pattern.ident;
            inputs.push(input.clone());
            arguments.push(quote! { #ident });
        }
    }

    // The item type: the element type of the items property of the response struct.
    let response_name = match success {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
    .ok_or("a list response that is not a named type")?;
    let response = backend
        .type_space()
        .iter_types()
        .find(|typ| typ.name() == response_name)
        .ok_or("no generated type for the list response")?;
    let typify::TypeDetails::Struct(details) = response.details() else {
        return Err("a list response that is not a struct".to_owned());
    };
    let items_field = crate::names::field(&pages.items);
    let items_type = details
        .properties()
        .find(|(field, _)| *field == items_field)
        .and_then(|(_, id)| backend.type_space().get_type(&id).ok())
        .and_then(|typ| match typ.details() {
            typify::TypeDetails::Vec(inner) => backend
                .type_space()
                .get_type(&inner)
                .ok()
                .map(|inner| inner.ident()),
            _ => None,
        })
        .ok_or("the items property is not an array of a generated type")?;

    let items = format_ident!("{}", items_field);
    let pagination = format_ident!("{}", crate::names::field(&pages.pagination));
    let total_pages = format_ident!("{}", crate::names::field(&pages.total_pages));
    let doc = format!(
        "Every item of [`Client::{name}`], across pages: page 1, 2, … are asked for in turn, \
         each only when the stream reaches it, until the last page (`{}.{}`). An error ends \
         the stream.",
        pages.pagination, pages.total_pages,
    );
    let generics = &signature.generics;
    Ok(quote! {
        #[doc = #doc]
        #[allow(clippy::needless_lifetimes, clippy::too_many_arguments, reason = "the signature is the backend's")]
        pub fn #stream_name #generics (&'a self, #(#inputs),*) -> impl futures::Stream<Item = Result<#items_type, Error>> + 'a {
            crate::pagination::pages(move |number| async move {
                let page = crate::pagination::PageNumber::from_page(number)
                    .ok_or(Error::Config(format!("page {number} does not fit the `page` parameter")))?;
                let response = self.#name(#(#arguments),*).await?.into_inner();
                let total_pages = u64::try_from(response.#pagination.#total_pages).unwrap_or(0);
                Ok((response.#items, total_pages))
            })
        }
    })
}

/// The summary, the description, the method and path, and an example call built from
/// the first documented request example.
fn operation_doc(
    api: &Api,
    operation: &Operation,
    crate_ident: &syn::Ident,
    takes_only_a_body: bool,
) -> String {
    let mut doc = String::new();
    if let Some(summary) = &operation.summary {
        doc.push_str(summary.trim());
        doc.push_str("\n\n");
    }
    if let Some(description) = &operation.description {
        doc.push_str(description.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", operation.http_method, operation.path));
    let example = api
        .request_examples
        .iter()
        .find(|example| example.method_name == operation.method_name)
        .filter(|_| takes_only_a_body);
    if let (Some(example), Some(auth)) = (example, &api.auth) {
        let builder = super::examples::function_name(example);
        let method = format_ident!("{}", operation.method_name);
        doc.push_str(&format!(
            "\n\n# Example\n\n```no_run\n# async fn run() -> Result<(), {crate_ident}::Error> {{\n\
             // The token comes from the {env} environment variable.\n\
             let client = {crate_ident}::Client::from_env()?;\n\
             let body = {crate_ident}::examples::{builder}();\n\
             let response = client.{method}(&body).await?;\n\
             println!(\"{{:?}}\", response.into_inner());\n\
             # Ok(())\n# }}\n```",
            env = auth.env_var,
        ));
    }
    doc
}
