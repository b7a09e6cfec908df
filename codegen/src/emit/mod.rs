//! Emit stage: turns the intermediate representation into the generated crate's files,
//! as token streams for Rust sources and text for the manifest.
//!
//! The backend (progenitor) emits the types and an inner client; everything it lacks is
//! emitted here: the public client and its settings, authentication, the error types,
//! validation of rules the types cannot express, and the request examples as code.

mod backend;
mod client;
mod errors;
mod examples;
mod summary;
mod transport;
mod validation;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Options;
use crate::error::Problem;
use crate::ir::Api;

pub use backend::DATE_TIME_TYPE;

/// One emitted file, before formatting.
pub enum Emitted {
    /// A Rust source file and the inner attributes that must open it.
    Rust {
        /// Path inside the crate, such as `src/lib.rs`.
        path: String,
        /// The file's items.
        tokens: TokenStream,
    },
    /// A Rust source file, already parsed.
    Parsed {
        /// Path inside the crate.
        path: String,
        /// The file's attributes and items.
        file: Box<syn::File>,
    },
    /// A text file, complete but for the header.
    Text {
        /// Path inside the crate.
        path: &'static str,
        /// The contents.
        text: String,
    },
}

/// Emits every file of the generated crate.
pub fn emit(api: &Api, options: &Options) -> Result<Vec<Emitted>, Vec<Problem>> {
    let backend = backend::run(api)?;
    let crate_ident = format_ident!("{}", options.crate_name.replace('-', "_"));

    let mut problems = Vec::new();
    let mut take = |result: Result<TokenStream, Vec<Problem>>| {
        result.unwrap_or_else(|found| {
            problems.extend(found);
            TokenStream::new()
        })
    };
    let (validation, validated) = match validation::emit(api, &backend) {
        Ok((tokens, validated)) => (tokens, validated),
        Err(found) => (take(Err(found)), Default::default()),
    };
    let errors = take(errors::emit(api, &backend));
    let client = take(client::emit(api, &backend, &validated, &crate_ident));
    let examples = take(examples::emit(api, &backend));
    let transport = transport::emit(api);
    if !problems.is_empty() {
        return Err(problems);
    }

    let module = |path: &str, doc: &str, tokens: TokenStream| {
        let doc = doc_lines(doc.trim(), true);
        Emitted::Rust {
            path: path.to_owned(),
            tokens: quote! { #doc #tokens },
        }
    };
    let programs = example_programs(api, &crate_ident);
    let summary = summary::emit(api, &backend);
    let manifest = manifest(api, options, &backend);

    // The backend's file is the largest by far; it stays parsed, as the backend stage
    // left it, rather than going back to tokens for the formatter to parse again.
    let mut backend_file = backend.into_file();
    let attributes = quote! {
        //! The types and the inner client, emitted by the backend.
        #![allow(dead_code, reason = "the backend emits constructors and re-exports the client does not use")]
        #![allow(clippy::all, reason = "the backend's code follows its own style")]
        #![allow(missing_docs, reason = "a spec need not describe every property and enum value")]
        #![allow(rustdoc::broken_intra_doc_links, reason = "descriptions are the spec's text, not rustdoc")]
    };
    let attributes: syn::File = syn::parse2(attributes).map_err(|error| {
        vec![Problem::new(
            "#",
            format!("the backend file's attributes do not parse: {error}"),
        )]
    })?;
    backend_file.attrs.splice(0..0, attributes.attrs);

    let mut files = vec![
        Emitted::Text {
            path: "Cargo.toml",
            text: manifest,
        },
        Emitted::Text {
            path: "api.txt",
            text: summary,
        },
        // The files are formatted by the generator; rustfmt formats a few constructs
        // differently, and `cargo fmt` over the workspace must leave them as generated.
        Emitted::Text {
            path: "rustfmt.toml",
            text: "disable_all_formatting = true\n".to_owned(),
        },
        Emitted::Rust {
            path: "src/lib.rs".to_owned(),
            tokens: lib(api, &crate_ident),
        },
        Emitted::Parsed {
            path: "src/backend.rs".to_owned(),
            file: Box::new(backend_file),
        },
        module(
            "src/client.rs",
            " The client: settings, authentication and one method per operation.",
            client,
        ),
        module("src/error.rs", " The errors of a call.", errors),
        module(
            "src/examples.rs",
            " The request examples of the API docs, built with the typed API.",
            examples,
        ),
        module(
            "src/transport.rs",
            " How requests travel: headers, authentication, retries, bounded reads, tracing.",
            transport,
        ),
        module(
            "src/validation.rs",
            " Rules of the spec checked before a request is sent.",
            validation,
        ),
    ];
    if api
        .operations
        .iter()
        .any(|operation| operation.pages.is_some())
    {
        files.push(module(
            "src/pagination.rs",
            " Walking page-numbered lists, page after page, as a stream.",
            pagination(),
        ));
    }
    files.extend(programs);
    Ok(files)
}

/// The runtime of the `*_stream` methods of page-numbered lists.
fn pagination() -> TokenStream {
    quote! {
        use std::future::Future;

        use futures::{Stream, StreamExt, TryStreamExt};

        use crate::Error;

        /// The items of pages 1, 2, … fetched by `fetch`, which returns a page's items and
        /// the number of pages; a page is fetched only when the stream reaches it, and an
        /// empty page or the last one ends the stream.
        pub(crate) fn pages<'a, T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>> + 'a
        where
            T: 'a,
            F: FnMut(u64) -> Fut + 'a,
            Fut: Future<Output = Result<(Vec<T>, u64), Error>> + 'a,
        {
            futures::stream::try_unfold((fetch, Some(1u64)), |(mut fetch, next)| async move {
                let Some(page) = next else { return Ok::<_, Error>(None) };
                let (items, total_pages) = fetch(page).await?;
                let next = (page < total_pages && !items.is_empty()).then_some(page + 1);
                Ok(Some((futures::stream::iter(items.into_iter().map(Ok)), (fetch, next))))
            })
            .try_flatten()
            .boxed_local()
        }

        /// A type the `page` parameter may have.
        pub(crate) trait PageNumber: Sized {
            /// Page `number` (from 1) as this type, if it fits.
            fn from_page(number: u64) -> Option<Self>;
        }

        macro_rules! page_numbers {
            ($($typ:ty => |$number:ident| $convert:expr),* $(,)?) => {
                $(impl PageNumber for $typ {
                    fn from_page($number: u64) -> Option<Self> {
                        $convert
                    }
                })*
            };
        }

        page_numbers! {
            u64 => |n| Some(n),
            i64 => |n| i64::try_from(n).ok(),
            u32 => |n| u32::try_from(n).ok(),
            i32 => |n| i32::try_from(n).ok(),
            std::num::NonZeroU64 => |n| std::num::NonZeroU64::new(n),
            std::num::NonZeroI64 => |n| i64::try_from(n).ok().and_then(std::num::NonZeroI64::new),
            std::num::NonZeroU32 => |n| u32::try_from(n).ok().and_then(std::num::NonZeroU32::new),
        }
    }
}

/// One runnable program per operation that has a documented request example and takes
/// only a body: it sends the first example and prints the response or the error.
fn example_programs(api: &Api, crate_ident: &syn::Ident) -> Vec<Emitted> {
    let Some(auth) = &api.auth else {
        return Vec::new();
    };
    let base_url_var = format!(
        "{}_BASE_URL",
        auth.env_var.split('_').next().unwrap_or("API")
    );
    let mut programs = Vec::new();
    for operation in &api.operations {
        let Some(example) = api
            .request_examples
            .iter()
            .find(|example| example.method_name == operation.method_name)
        else {
            continue;
        };
        let builder = examples::function_name(example);
        let method = format_ident!("{}", operation.method_name);
        let doc = doc_lines(
            &format!(
                "Sends the `{name}` request example of `{method}` and prints the response, or the error.\n\n\
                 The token comes from `{token}`; the server is `{base_url_var}` when set (such as a\n\
                 local server), else the default one:\n\n\
                 ```text\n{token}=... cargo run --example {method}\n```",
                name = example.name,
                token = auth.env_var,
            ),
            true,
        );
        let tokens = quote! {
            #doc

            use std::process::ExitCode;

            #[tokio::main]
            async fn main() -> ExitCode {
                let mut builder = #crate_ident::Client::builder();
                if let Ok(base_url) = std::env::var(#base_url_var) {
                    builder = builder.base_url(base_url);
                }
                let client = match builder.build() {
                    Ok(client) => client,
                    Err(error) => return fail(&error),
                };
                let body = #crate_ident::examples::#builder();
                match client.#method(&body).await {
                    Ok(response) => {
                        println!("{}", response.status());
                        println!("{:#?}", response.into_inner());
                        ExitCode::SUCCESS
                    }
                    Err(error) => fail(&error),
                }
            }

            /// Prints the error and its causes, one per line.
            fn fail(error: &dyn std::error::Error) -> ExitCode {
                eprintln!("error: {error}");
                let mut source = error.source();
                while let Some(cause) = source {
                    eprintln!("  caused by: {cause}");
                    source = cause.source();
                }
                ExitCode::FAILURE
            }
        };
        programs.push(Emitted::Rust {
            path: format!("examples/{}.rs", operation.method_name),
            tokens,
        });
    }
    programs
}

/// Documentation as one `#[doc]` attribute per line, which the formatter renders as
/// `///` comments (or `//!` for inner documentation).
pub(crate) fn doc_lines(text: &str, inner: bool) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    if inner {
        quote! { #(#![doc = #lines])* }
    } else {
        quote! { #(#[doc = #lines])* }
    }
}

fn lib(api: &Api, crate_ident: &syn::Ident) -> TokenStream {
    let mut doc = format!("A client of the {}.", api.title);
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description.trim());
    }
    let usage = api.request_examples.first().zip(api.auth.as_ref()).map(|(example, auth)| {
        let builder = examples::function_name(example);
        let method = &example.method_name;
        format!(
            "\n\n```no_run\n# async fn run() -> Result<(), {crate_ident}::Error> {{\n\
             // Or Client::from_env(), which reads {env}.\n\
             let client = {crate_ident}::Client::builder()\n    .token(\"my-token\")\n    .base_url(\"http://127.0.0.1:8080\")\n    .build()?;\n\
             let response = client.{method}(&{crate_ident}::examples::{builder}()).await?;\n\
             println!(\"{{}} {{:?}}\", response.status(), response.into_inner());\n\
             # Ok(())\n# }}\n```",
            env = auth.env_var,
        )
    });
    doc.push_str(&usage.unwrap_or_default());
    let error_code = api
        .error
        .as_ref()
        .filter(|error| error.code_property.is_some())
        .map(|_| quote! { pub use error::ErrorCode; });
    let auth_constants = api
        .auth
        .as_ref()
        .map(|_| quote! { pub use client::{TOKEN_ENV_VAR, TOKEN_HEADER}; });
    let doc = doc_lines(&doc, true);
    let pagination_module = api
        .operations
        .iter()
        .any(|operation| operation.pages.is_some())
        .then(|| quote! { mod pagination; });
    quote! {
        #doc
        #![deny(missing_docs)]

        mod backend;
        mod client;
        mod error;
        pub mod examples;
        #pagination_module
        mod transport;
        mod validation;

        pub use backend::types;
        pub use client::{Client, ClientBuilder, RequestOptions, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, USER_AGENT};
        #auth_constants
        pub use error::{Error, ErrorResponse, ResponseExt, MAX_KEPT_BODY, REQUEST_ID_HEADER};
        pub use transport::{DEFAULT_MAX_RETRIES, MAX_BACKOFF, MAX_RESPONSE_BODY, MAX_RETRY_AFTER, MIN_BACKOFF};
        #error_code
        pub use progenitor_client::ResponseValue;
        pub use validation::{Bounds, Validate, ValidationError};
    }
}

fn manifest(api: &Api, options: &Options, backend: &backend::Backend) -> String {
    let type_space = backend.type_space();
    let mut dependencies = vec![
        r#"backon = { version = "1", default-features = false, features = ["std", "tokio-sleep"] }"#.to_owned(),
        r#"http = "1""#.to_owned(),
        // 1.37 brought `TaskLocalFuture::take_value`, which reads a call's record.
        r#"tokio = { version = "1.37", default-features = false, features = ["rt", "time"] }"#.to_owned(),
        r#"tracing = { version = "0.1", default-features = false, features = ["std"] }"#.to_owned(),
        r#"progenitor-client = "0.15""#.to_owned(),
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query"] }"#
            .to_owned(),
        r#"serde = { version = "1", features = ["derive"] }"#.to_owned(),
        r#"serde_json = "1""#.to_owned(),
        r#"thiserror = "2""#.to_owned(),
        r#"rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }"#.to_owned(),
        r#"rustls-platform-verifier = { version = "0.7", optional = true }"#.to_owned(),
    ];
    if api.uses_date_time || type_space.uses_chrono() {
        dependencies.push(r#"chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }"#.to_owned());
    }
    if type_space.uses_regress() {
        dependencies.push(r#"regress = "0.10""#.to_owned());
    }
    let paginates = api
        .operations
        .iter()
        .any(|operation| operation.pages.is_some());
    if backend.uses_futures() || backend.has_raw_error_body() || paginates {
        dependencies.push(r#"futures = "0.3""#.to_owned());
    }
    if backend.uses_websockets() {
        dependencies.push(r#"base64 = "0.22""#.to_owned());
        dependencies.push(r#"rand = "0.9""#.to_owned());
    }
    if type_space.uses_uuid() {
        dependencies.push(r#"uuid = { version = "1", features = ["serde"] }"#.to_owned());
    }
    dependencies.sort();
    let dev_dependencies = if api.auth.is_some() && !api.request_examples.is_empty() {
        "\n[dev-dependencies]\n\
         # The example programs under examples/.\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n"
    } else {
        ""
    };
    format!(
        "[package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.88\"\n\
         description = \"A client of the {title}, generated from its OpenAPI spec\"\n\
         license = \"MIT OR Apache-2.0\"\n\
         publish = false\n\
         \n\
         [features]\n\
         default = [\"rustls\"]\n\
         # TLS for https servers: rustls with reqwest's crypto provider (aws-lc-rs).\n\
         # Without a TLS feature the client reaches plain http servers only.\n\
         rustls = [\"reqwest/rustls\"]\n\
         # TLS with rustls and the ring crypto provider, for this crate's client: a much\n\
         # shorter build, as no C library is built with cmake. Turned on alone, it leaves\n\
         # reqwest without a process-wide provider: another reqwest client in the same\n\
         # program must be given one, or reqwest panics when building it.\n\
         rustls-ring = [\"reqwest/rustls-no-provider\", \"dep:rustls\", \"dep:rustls-platform-verifier\"]\n\
         \n\
         [dependencies]\n\
         {dependencies}\n\
         {dev_dependencies}",
        name = options.crate_name,
        version = options.crate_version,
        title = api.title,
        dependencies = dependencies.join("\n"),
    )
}
