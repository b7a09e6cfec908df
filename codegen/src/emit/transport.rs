//! Emits how requests travel: the hooks the backend's inner client calls before and for
//! each request (headers, authentication, timeout), retries with backoff, bounded reading
//! of response bodies, tracing, and the record of each call that the client reads to
//! build its errors.
//!
//! The retry rule follows the HTTP method, which the spec gives for every operation:
//! a request that never reached the server (no connection) or that the server turned
//! away with 429 is always retried; one the server may have acted on (a timeout after
//! sending, a 5xx) is retried only for idempotent methods, or when the caller opts in.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// Whether an operation with this HTTP method may be sent again without changing the
/// outcome: GET, HEAD, PUT, DELETE, OPTIONS and TRACE may; POST and PATCH may not.
pub fn is_idempotent(http_method: &str) -> bool {
    !matches!(http_method, "POST" | "PATCH")
}

/// The `transport` module of the generated crate.
pub fn emit(api: &Api) -> TokenStream {
    let token_debug = api
        .auth
        .as_ref()
        .map(|_| quote! { .field("token", &"<redacted>") });
    let (token_field, token_header) = match &api.auth {
        Some(_) => {
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
            (
                quote! {
                    /// The token, marked sensitive so that it never shows in `Debug` output.
                    pub(crate) token: HeaderValue,
                },
                quote! {
                    if #applies {
                        // Checked when the crate is compiled, not on every request.
                        const TOKEN_HEADER_NAME: HeaderName = HeaderName::from_static(crate::TOKEN_HEADER);
                        headers.insert(TOKEN_HEADER_NAME, shared.token.clone());
                    }
                },
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };

    quote! {
        use std::cell::RefCell;
        use std::fmt;
        use std::future::Future;
        use std::pin::Pin;
        use std::time::{Duration, Instant};

        use backon::{BackoffBuilder, ExponentialBuilder};
        use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
        #[allow(unused_imports)]
        use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
        use reqwest::{Request, Response, ResponseBuilderExt, StatusCode};
        use tokio::task::futures::TaskLocalFuture;
        use tracing::Instrument;

        use crate::backend;

        /// The most bytes of a response body the client reads; a longer body fails the
        /// call with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
        pub const MAX_RESPONSE_BODY: usize = 8 * 1024 * 1024;

        /// The longest `Retry-After` the client waits for; a longer one returns the
        /// [`Error::RateLimited`](crate::Error::RateLimited) to the caller instead.
        pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

        /// How many times a failed request is retried, unless the client's settings say
        /// otherwise.
        pub const DEFAULT_MAX_RETRIES: u32 = 2;

        /// The first wait between attempts; each next wait doubles, up to
        /// [`MAX_BACKOFF`], with random jitter.
        pub const MIN_BACKOFF: Duration = Duration::from_millis(200);

        /// The longest wait between attempts, unless the server asks for longer with
        /// `Retry-After`.
        pub const MAX_BACKOFF: Duration = Duration::from_secs(8);

        /// What the hooks read on every request: the token and the request settings.
        #[derive(Clone)]
        pub(crate) struct Shared {
            #token_field
            /// Headers sent with every request, after the client's own.
            pub(crate) headers: HeaderMap,
            /// The time a whole request may take, when it differs from the HTTP client's.
            pub(crate) timeout: Option<Duration>,
            /// How many times a failed request is retried.
            pub(crate) max_retries: u32,
            /// Whether requests with a non-idempotent method are retried after the server
            /// may have received them.
            pub(crate) retry_non_idempotent: bool,
        }

        impl fmt::Debug for Shared {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Shared")
                    #token_debug
                    .field("headers", &self.headers.keys().collect::<Vec<_>>())
                    .field("timeout", &self.timeout)
                    .field("max_retries", &self.max_retries)
                    .field("retry_non_idempotent", &self.retry_non_idempotent)
                    .finish()
            }
        }

        tokio::task_local! {
            /// What happened during the attempt under way, for the client to read when the
            /// backend returns.
            static EXCHANGE: RefCell<Exchange>;
        }

        /// What happened during one attempt of a call.
        #[derive(Debug, Default)]
        pub(crate) struct Exchange {
            /// Which attempt this is, from 1.
            pub(crate) attempts: u32,
            /// The status of the response.
            pub(crate) status: Option<StatusCode>,
            /// Why the attempt failed, when a retry might mend it.
            pub(crate) failure: Option<Failure>,
            /// The headers of the response, taken out of it before the backend reads it
            /// (see [`with_headers`]).
            pub(crate) headers: Option<HeaderMap>,
            /// Whether the response's body was longer than [`MAX_RESPONSE_BODY`].
            pub(crate) too_large: bool,
        }

        /// How an attempt failed, for the retry rule.
        #[derive(Debug, Clone, Copy)]
        pub(crate) enum Failure {
            /// No connection was made: the server never saw the request.
            Unsent,
            /// The request went out, and no response came back (a timeout, a reset).
            Received,
            /// 429: the server turned the request away, with the `Retry-After` it asked for.
            RateLimited(Option<Duration>),
            /// 5xx: the server may have acted on the request.
            ServerError,
        }

        impl Failure {
            fn may_retry(self, may_retry_when_received: bool) -> bool {
                match self {
                    Failure::Unsent => true,
                    Failure::RateLimited(wait) => wait.is_none_or(|wait| wait <= MAX_RETRY_AFTER),
                    Failure::Received | Failure::ServerError => may_retry_when_received,
                }
            }

            fn reason(self) -> &'static str {
                match self {
                    Failure::Unsent => "no connection",
                    Failure::Received => "no response",
                    Failure::RateLimited(_) => "rate limited",
                    Failure::ServerError => "server error",
                }
            }
        }

        /// `attempt` (a call of the backend's method), run as attempt `number` with a
        /// fresh record of what happens during it; [`finished`] takes the record once
        /// `attempt` is done.
        ///
        /// The caller pins the returned future where it stands and awaits it through the
        /// pin: moving a call's future costs a copy of all of it, and an `async` wrapper
        /// here would hold `attempt` twice.
        pub(crate) fn recorded<F: Future>(attempt: F, number: u32) -> TaskLocalFuture<RefCell<Exchange>, F> {
            let exchange = Exchange { attempts: number, ..Exchange::default() };
            EXCHANGE.scope(RefCell::new(exchange), attempt)
        }

        /// The record of an attempt that [`recorded`] ran to its end.
        pub(crate) fn finished<F: Future>(attempt: Pin<&mut TaskLocalFuture<RefCell<Exchange>, F>>) -> Exchange {
            attempt.take_value().map(RefCell::into_inner).unwrap_or_default()
        }

        /// Makes further attempts after the first one failed (`output` and `exchange`),
        /// while the failures allow it and retries remain, waiting with backoff (or the
        /// `Retry-After` asked for) between them; returns the last attempt's output and
        /// record.
        ///
        /// Each attempt calls the backend's method afresh, which builds a new request:
        /// nothing is copied in advance for a retry that most calls never make.
        /// `idempotent` says whether the operation's HTTP method may be repeated.
        pub(crate) async fn retried<F, Fut>(
            client: &backend::Client,
            operation: &'static str,
            idempotent: bool,
            mut attempt: F,
            mut output: Fut::Output,
            mut exchange: Exchange,
        ) -> (Fut::Output, Exchange)
        where
            F: FnMut() -> Fut,
            Fut: Future,
        {
            let shared = client.inner();
            let may_retry_when_received = idempotent || shared.retry_non_idempotent;
            let mut delays = ExponentialBuilder::default()
                .with_min_delay(MIN_BACKOFF)
                .with_max_delay(MAX_BACKOFF)
                .with_jitter()
                .with_max_times(shared.max_retries as usize)
                .build();
            loop {
                let Some(failure) = exchange.failure.filter(|failure| failure.may_retry(may_retry_when_received)) else {
                    return (output, exchange);
                };
                let Some(delay) = delays.next() else {
                    return (output, exchange);
                };
                let delay = match failure {
                    Failure::RateLimited(Some(wait)) => wait,
                    _ => delay,
                };
                tracing::warn!(operation, reason = failure.reason(), delay_ms = delay.as_millis() as u64, "retrying");
                let number = exchange.attempts + 1;
                // The failed response goes before the wait, freeing its connection.
                drop(output);
                tokio::time::sleep(delay).await;
                let mut next = std::pin::pin!(recorded(attempt(), number));
                output = next.as_mut().await;
                exchange = finished(next);
            }
        }

        /// `value` with the headers of its response, which the call's record carried past
        /// the backend: it would copy them twice (into its value and for ours) where this
        /// moves them once.
        pub(crate) fn with_headers<T>(value: ResponseValue<T>, exchange: Exchange) -> ResponseValue<T> {
            let status = value.status();
            ResponseValue::new(value.into_inner(), status, exchange.headers.unwrap_or_default())
        }

        /// Updates the record of the attempt under way, and returns what `update` returns.
        fn record<R>(update: impl FnOnce(&mut Exchange) -> R) -> Option<R> {
            EXCHANGE.try_with(|exchange| update(&mut exchange.borrow_mut())).ok()
        }

        impl ClientHooks<Shared> for backend::Client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                let shared = self.inner();
                let headers = request.headers_mut();
                #token_header
                for (name, value) in &shared.headers {
                    headers.insert(name.clone(), value.clone());
                }
                if let Some(timeout) = shared.timeout {
                    *request.timeout_mut() = Some(timeout);
                }
                let _ = info;
                Ok(())
            }

            // Not an `async fn`: it would hold the request a second time, and make one more
            // layer of future for every call to move.
            fn exec(&self, request: Request, info: &OperationInfo) -> impl Future<Output = reqwest::Result<Response>> {
                let span = tracing::info_span!(
                    "request",
                    operation = info.operation_id,
                    method = %request.method(),
                    path = request.url().path(),
                );
                let sending = {
                    let _entered = span.enter();
                    send(self.client(), request)
                };
                sending.instrument(span)
            }
        }

        /// Sends the request once, and records how it went: the status, the failure a
        /// retry might mend, and the response's headers, taken out of the response it
        /// hands on, whose body it bounds.
        ///
        /// The HTTP client takes the request at once, so that the future holds only what
        /// is under way; reading a body of unannounced length, which needs more, happens
        /// on the heap.
        fn send(client: &reqwest::Client, request: Request) -> impl Future<Output = reqwest::Result<Response>> + use<> {
            let started = Instant::now();
            let pending = client.execute(request);
            async move {
                let result = pending.await;
                let latency_ms = started.elapsed().as_millis() as u64;
                let response = match result {
                    Ok(response) => response,
                    Err(error) => {
                        let failure = if error.is_connect() { Failure::Unsent } else { Failure::Received };
                        let attempt = record(|exchange| {
                            exchange.failure = Some(failure);
                            exchange.attempts
                        });
                        tracing::info!(attempt, latency_ms, error = %error, "no response");
                        return Err(error);
                    }
                };

                let status = response.status();
                let failure = if status == StatusCode::TOO_MANY_REQUESTS {
                    Some(Failure::RateLimited(retry_after(response.headers())))
                } else if status.is_server_error() {
                    Some(Failure::ServerError)
                } else {
                    None
                };
                let attempt = record(|exchange| {
                    exchange.status = Some(status);
                    exchange.failure = failure;
                    exchange.attempts
                });
                tracing::info!(attempt, status = status.as_u16(), latency_ms, "response");

                let (mut response, too_large) = match response.content_length() {
                    // hyper reads no more of a body than its announced length.
                    Some(length) if length <= MAX_RESPONSE_BODY as u64 => (response, false),
                    // A body past the bound is dropped unread: nothing would parse it.
                    Some(_) => (with_body(response, Vec::new()), true),
                    None => Box::pin(read_bounded(response)).await?,
                };
                let headers = std::mem::take(response.headers_mut());
                record(|exchange| {
                    exchange.headers = Some(headers);
                    exchange.too_large = too_large;
                });
                Ok(response)
            }
        }

        /// The delay a `Retry-After` header asks for, in whole seconds (the only form
        /// the client reads; a date is ignored and the backoff applies).
        pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
            let seconds = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
            Some(Duration::from_secs(seconds))
        }

        /// Reads a body of unannounced length, up to [`MAX_RESPONSE_BODY`] bytes, into a
        /// response holding it, and says whether the body was longer.
        async fn read_bounded(mut response: Response) -> reqwest::Result<(Response, bool)> {
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if chunk.len() > MAX_RESPONSE_BODY - body.len() {
                    // Dropped, not handed on: nothing would parse it.
                    return Ok((with_body(response, Vec::new()), true));
                }
                body.extend_from_slice(&chunk);
            }
            Ok((with_body(response, body), false))
        }

        /// `response` with `body` in place of its own. The status, version and headers
        /// are moved into the new response, not copied, and it keeps the URL the request
        /// went to.
        fn with_body(response: Response, body: Vec<u8>) -> Response {
            let url = response.url().clone();
            let (mut parts, _unread) = http::Response::from(response).into_parts();
            // `Response::from` takes the URL from these extensions; without it the
            // response would name a placeholder URL.
            if let Ok(with_url) = http::Response::builder().url(url).body(()) {
                parts.extensions.extend(with_url.into_parts().0.extensions);
            }
            Response::from(http::Response::from_parts(parts, body))
        }
    }
}
