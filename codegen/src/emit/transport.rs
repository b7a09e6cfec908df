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
        use reqwest::{Method, Request, Response, ResponseBuilderExt, StatusCode};
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
            /// What happened during the call under way, for the client to read when the
            /// backend returns.
            static EXCHANGE: RefCell<Exchange>;
        }

        /// What happened during one call.
        #[derive(Debug, Default)]
        pub(crate) struct Exchange {
            /// The status of the last response.
            pub(crate) status: Option<StatusCode>,
            /// How many times the request was sent.
            pub(crate) attempts: u32,
            /// The headers of the last response, taken out of it before the backend reads
            /// it (see [`with_headers`]).
            pub(crate) headers: Option<HeaderMap>,
            /// Whether the last response's body was longer than [`MAX_RESPONSE_BODY`].
            pub(crate) too_large: bool,
        }

        /// `call`, run with a fresh record of what happens during it; [`finished`] takes
        /// the record once `call` is done.
        ///
        /// The caller pins the returned future where it stands and awaits it through the
        /// pin: moving a call's future costs a copy of all of it, and an `async` wrapper
        /// here would hold `call` twice.
        pub(crate) fn recorded<F: Future>(call: F) -> TaskLocalFuture<RefCell<Exchange>, F> {
            EXCHANGE.scope(RefCell::new(Exchange::default()), call)
        }

        /// The record of a call that [`recorded`] ran to its end.
        pub(crate) fn finished<F: Future>(call: Pin<&mut TaskLocalFuture<RefCell<Exchange>, F>>) -> Exchange {
            call.take_value().map(RefCell::into_inner).unwrap_or_default()
        }

        /// `value` with the headers of its response, which the call's record carried past
        /// the backend: it would copy them twice (into its value and for ours) where this
        /// moves them once.
        pub(crate) fn with_headers<T>(value: ResponseValue<T>, exchange: Exchange) -> ResponseValue<T> {
            let status = value.status();
            ResponseValue::new(value.into_inner(), status, exchange.headers.unwrap_or_default())
        }

        fn record(update: impl FnOnce(&mut Exchange)) {
            let _ = EXCHANGE.try_with(|exchange| update(&mut exchange.borrow_mut()));
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
                let sending = span.in_scope(|| send_with_retries(self, request));
                sending.instrument(span)
            }
        }

        /// Sends the request, and again while the failure allows it and retries remain;
        /// the response it hands on has a bounded body and its headers in the record.
        ///
        /// Most calls end with the first attempt, so nothing of the retries is built
        /// before a failure, and their state lives on the heap: every call's future stays
        /// small, and moving it cheap. The request is copied for a retry only when
        /// retries are allowed.
        fn send_with_retries(client: &backend::Client, request: Request) -> impl Future<Output = reqwest::Result<Response>> {
            // A body that cannot be copied (a stream) is sent once, as it is.
            let spare = if client.inner().max_retries > 0 { request.try_clone() } else { None };
            let first = send_once(client.client(), request, 1);
            async move {
                let response = match first.await {
                    Ok(response) => response,
                    Err(failure) => Box::pin(retry(client, spare, failure)).await?,
                };
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

        /// Retries after the first attempt's `failure`, while the failures allow it and
        /// retries remain, waiting with backoff (or the `Retry-After` asked for) between
        /// attempts; returns the first response to hand on, the last 429 or 5xx response,
        /// or the last error.
        async fn retry(client: &backend::Client, spare: Option<Request>, mut failure: Failure) -> reqwest::Result<Response> {
            let shared = client.inner();
            let Some(spare) = spare else {
                return failure.into_result();
            };
            let may_retry_when_received = is_idempotent(spare.method()) || shared.retry_non_idempotent;
            let mut delays = ExponentialBuilder::default()
                .with_min_delay(MIN_BACKOFF)
                .with_max_delay(MAX_BACKOFF)
                .with_jitter()
                .with_max_times(shared.max_retries as usize)
                .build();
            let mut attempt = 1;
            loop {
                if !failure.may_retry(may_retry_when_received) {
                    return failure.into_result();
                }
                let (Some(next), Some(delay)) = (spare.try_clone(), delays.next()) else {
                    return failure.into_result();
                };
                let delay = failure.retry_after().unwrap_or(delay);
                tracing::warn!(reason = failure.reason(), delay_ms = delay.as_millis() as u64, "retrying");
                // The failed response goes before the wait, freeing its connection.
                drop(failure);
                tokio::time::sleep(delay).await;
                attempt += 1;
                failure = match send_once(client.client(), next, attempt).await {
                    Ok(response) => return Ok(response),
                    Err(failure) => failure,
                };
            }
        }

        /// One attempt. The HTTP client takes the request at once, so that the future
        /// holds only what is under way.
        fn send_once(client: &reqwest::Client, request: Request, attempt: u32) -> impl Future<Output = Result<Response, Failure>> + use<> {
            let started = Instant::now();
            let pending = client.execute(request);
            async move {
                let result = pending.await;
                let latency_ms = started.elapsed().as_millis() as u64;
                record(|exchange| {
                    exchange.attempts = attempt;
                    exchange.status = result.as_ref().ok().map(Response::status);
                });
                match result {
                    Ok(response) => {
                        let status = response.status();
                        tracing::info!(attempt, status = status.as_u16(), latency_ms, "response");
                        if status == StatusCode::TOO_MANY_REQUESTS {
                            let wait = retry_after(response.headers());
                            Err(Failure::RateLimited(response, wait))
                        } else if status.is_server_error() {
                            Err(Failure::ServerError(response))
                        } else {
                            Ok(response)
                        }
                    }
                    Err(error) => {
                        tracing::info!(attempt, latency_ms, error = %error, "no response");
                        if error.is_connect() {
                            Err(Failure::Unsent(error))
                        } else {
                            Err(Failure::Received(error))
                        }
                    }
                }
            }
        }

        /// Why an attempt did not give a response to return at once.
        enum Failure {
            /// No connection was made: the server never saw the request.
            Unsent(reqwest::Error),
            /// The request went out, and no response came back (a timeout, a reset).
            Received(reqwest::Error),
            /// 429: the server turned the request away, with the `Retry-After` it asked for.
            RateLimited(Response, Option<Duration>),
            /// 5xx: the server may have acted on the request.
            ServerError(Response),
        }

        impl Failure {
            fn may_retry(&self, may_retry_when_received: bool) -> bool {
                match self {
                    Failure::Unsent(_) => true,
                    Failure::RateLimited(_, wait) => wait.is_none_or(|wait| wait <= MAX_RETRY_AFTER),
                    Failure::Received(_) | Failure::ServerError(_) => may_retry_when_received,
                }
            }

            fn retry_after(&self) -> Option<Duration> {
                match self {
                    Failure::RateLimited(_, wait) => *wait,
                    _ => None,
                }
            }

            /// The response or the error the caller gets when no retry follows.
            fn into_result(self) -> reqwest::Result<Response> {
                match self {
                    Failure::Unsent(error) | Failure::Received(error) => Err(error),
                    Failure::RateLimited(response, _) | Failure::ServerError(response) => Ok(response),
                }
            }

            fn reason(&self) -> &'static str {
                match self {
                    Failure::Unsent(_) => "no connection",
                    Failure::Received(_) => "no response",
                    Failure::RateLimited(..) => "rate limited",
                    Failure::ServerError(_) => "server error",
                }
            }
        }

        /// GET, HEAD, PUT, DELETE, OPTIONS and TRACE may be repeated without changing
        /// the outcome; POST and PATCH may not.
        fn is_idempotent(method: &Method) -> bool {
            !matches!(*method, Method::POST | Method::PATCH)
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
