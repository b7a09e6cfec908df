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
    let Auth {
        constants,
        field,
        field_debug,
        builder_field,
        builder_setter,
        builder_debug,
        resolve,
        shared_value,
        header_hook,
    } = auth;
    let title = &api.title;
    let client_doc = format!(
        "A client of the {title}.\n\nMade with [`Client::new`]{}, or [`Client::builder`] for other settings. \
         Cloning is cheap: clones share one connection pool.",
        if api.auth.is_some() {
            ", [`Client::from_env`]"
        } else {
            ""
        },
    );
    let new_fn = match &api.auth {
        Some(auth) => {
            let doc = format!(
                "A client of the default server that authenticates with `token`, sent in the `{}` header.",
                auth.header
            );
            let env_doc = format!(
                "A client of the default server that reads its token from the `{}` environment variable.",
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

    Ok(quote! {
        use std::fmt;
        use std::time::Duration;

        use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};

        use crate::backend;
        #[allow(unused_imports)]
        use crate::{types, Error, Validate};

        /// The base URL used unless [`ClientBuilder::base_url`] says otherwise: the spec's
        /// first server.
        pub const DEFAULT_BASE_URL: &str = #default_base_url;

        /// How long a whole request may take, unless [`ClientBuilder::timeout`] says otherwise.
        pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

        /// How long connecting may take, unless [`ClientBuilder::connect_timeout`] says otherwise.
        pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

        /// The `User-Agent` header sent by a client that builds its own HTTP client.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #constants

        /// What the inner client's hooks read on every request.
        #[derive(Clone)]
        pub(crate) struct Shared {
            #field
        }

        impl fmt::Debug for Shared {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Shared") #field_debug .finish()
            }
        }

        #[doc = #client_doc]
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
            #builder_field
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("timeout", &self.timeout)
                    .field("connect_timeout", &self.connect_timeout)
                    .field("http_client", &self.http_client)
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

            #builder_setter

            /// Builds the client.
            ///
            /// Fails when the base URL is not an absolute `http` or `https` URL, when
            /// there is no usable token, or when the HTTP client cannot be built.
            pub fn build(self) -> Result<Client, Error> {
                let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
                let parsed = reqwest::Url::parse(&base_url)
                    .map_err(|error| Error::Config(format!("base URL `{base_url}` is not a URL: {error}")))?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
                    return Err(Error::Config(format!("base URL `{base_url}` is not an http or https URL")));
                }
                #resolve
                let http_client = match self.http_client {
                    Some(client) => client,
                    None => reqwest::Client::builder()
                        .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                        .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                        .user_agent(USER_AGENT)
                        .build()
                        .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
                };
                let shared = Shared { #shared_value };
                let inner = backend::Client::new_with_client(base_url.trim_end_matches('/'), http_client, shared);
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
                // The backend adds this header to every request; the API does not ask for it.
                headers.remove("api-version");
                #header_hook
                let _ = info;
                Ok(())
            }
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

            #(#methods)*
        }
    })
}

/// The pieces of the client that exist only when the spec declares an API key.
struct Auth {
    constants: TokenStream,
    field: TokenStream,
    field_debug: TokenStream,
    builder_field: TokenStream,
    builder_setter: TokenStream,
    builder_debug: TokenStream,
    resolve: TokenStream,
    shared_value: TokenStream,
    header_hook: TokenStream,
}

impl Auth {
    fn new(api: &Api) -> Self {
        let Some(auth) = &api.auth else {
            return Auth {
                constants: TokenStream::new(),
                field: TokenStream::new(),
                field_debug: TokenStream::new(),
                builder_field: TokenStream::new(),
                builder_setter: TokenStream::new(),
                builder_debug: TokenStream::new(),
                resolve: TokenStream::new(),
                shared_value: TokenStream::new(),
                header_hook: TokenStream::new(),
            };
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
        let unauthenticated: Vec<&str> = api
            .operations
            .iter()
            .filter(|operation| !operation.authenticated)
            .map(|operation| operation.id.as_str())
            .collect();
        let applies = if unauthenticated.is_empty() {
            quote! { true }
        } else {
            quote! { !matches!(info.operation_id, #(#unauthenticated)|*) }
        };
        Auth {
            constants: quote! {
                #[doc = #env_doc]
                pub const TOKEN_ENV_VAR: &str = #env_var;

                #[doc = #header_doc]
                pub const TOKEN_HEADER: &str = #header;
            },
            field: quote! { token: reqwest::header::HeaderValue, },
            field_debug: quote! { .field("token", &"<redacted>") },
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
                // The value is never echoed: an error must not leak even a malformed token.
                let mut token = reqwest::header::HeaderValue::from_str(token.trim())
                    .map_err(|_| Error::Config("the token contains characters a header cannot carry".to_owned()))?;
                if token.is_empty() {
                    return Err(Error::Config("the token is empty".to_owned()));
                }
                token.set_sensitive(true);
            },
            shared_value: quote! { token },
            header_hook: quote! {
                if #applies {
                    headers.insert(
                        reqwest::header::HeaderName::from_static(TOKEN_HEADER),
                        self.inner().token.clone(),
                    );
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
    let success = success_type(&signature.output).ok_or_else(|| {
        Problem::new(
            at.clone(),
            "the backend's method has an unexpected return type",
        )
    })?;

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
    let takes_only_a_body = arguments.len() == 1
        && matches!(arguments[0], syn::Pat::Ident(argument) if argument.ident == "body");
    let doc = operation_doc(api, operation, crate_ident, takes_only_a_body);
    Ok(quote! {
        #[doc = #doc]
        pub async fn #name #generics (#inputs) -> Result<ResponseValue<#success>, Error> {
            #check
            match self.inner.#name(#(#arguments),*).await {
                Ok(response) => Ok(response),
                Err(error) => Err(Error::from_backend(error).await),
            }
        }
    })
}

/// `T` out of the backend's `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, result) = output else {
        return None;
    };
    let response_value = first_type_argument(result)?;
    first_type_argument(&response_value)
}

fn first_type_argument(typ: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = typ else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments
    else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::Type(typ) => Some(typ.clone()),
        _ => None,
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
