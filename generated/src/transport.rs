// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! How requests travel: headers, authentication, retries, bounded reads, tracing.
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};
use backon::{BackoffBuilder, ExponentialBuilder};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

#[allow(unused_imports)]
use reqwest::header::{HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Request, Response, ResponseBuilderExt, StatusCode};
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
    /// The token, marked sensitive so that it never shows in `Debug` output.
    pub(crate) token: HeaderValue,
    /// Headers sent with every request, after the client's own.
    pub(crate) headers: reqwest::header::HeaderMap,
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
            .field("token", &"<redacted>")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish()
    }
}

tokio::task_local! {
    #[doc = r" What happened during the call under way, for the client to read when the"]
    #[doc = r" backend returns."] static EXCHANGE : RefCell < Exchange >;
}

/// What happened during one call.
#[derive(Debug, Default)]
pub(crate) struct Exchange {
    /// The status of the last response.
    pub(crate) status: Option<StatusCode>,
    /// How many times the request was sent.
    pub(crate) attempts: u32,
    /// The headers of the last response whose body was read.
    pub(crate) headers: Option<reqwest::header::HeaderMap>,
    /// Whether the last response's body was longer than [`MAX_RESPONSE_BODY`].
    pub(crate) too_large: bool,
}

/// Runs `call` with a fresh record, and returns its output and what happened.
pub(crate) async fn recorded<T>(call: impl Future<Output = T>) -> (T, Exchange) {
    EXCHANGE
        .scope(
            RefCell::new(Exchange::default()),
            async {
                let output = call.await;
                let exchange = EXCHANGE.with(|exchange| exchange.take());
                (output, exchange)
            },
        )
        .await
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
        headers.remove("api-version");
        if true {
            headers
                .insert(
                    HeaderName::from_static(crate::TOKEN_HEADER),
                    shared.token.clone(),
                );
        }
        for (name, value) in &shared.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(timeout) = shared.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        let _ = info;
        Ok(())
    }

    async fn exec(
        &self,
        request: Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let span = tracing::info_span!(
            "request", operation = info.operation_id, method = % request.method(), path =
            request.url().path(),
        );
        send_with_retries(self, request).instrument(span).await
    }
}

/// Sends the request, and again while the failure allows it and retries remain.
///
/// The first attempt goes out before any retry state exists: most calls end
/// there, so the backoff schedule is built only after a failure, and the request
/// is copied for a retry only when retries are allowed.
async fn send_with_retries(
    client: &backend::Client,
    request: Request,
) -> reqwest::Result<Response> {
    let shared = client.inner();
    let may_retry_when_received = is_idempotent(request.method())
        || shared.retry_non_idempotent;
    let spare = if shared.max_retries > 0 { request.try_clone() } else { None };
    let mut attempt = 1;
    let mut outcome = send_once(client.client(), request, attempt).await;
    let mut delays = None;
    let failure = loop {
        let failure = match outcome {
            Ok(response) => return read_bounded(response).await,
            Err(failure) => failure,
        };
        if !failure.may_retry(may_retry_when_received) {
            break failure;
        }
        let Some(next) = spare.as_ref().and_then(Request::try_clone) else {
            break failure;
        };
        let delays = delays
            .get_or_insert_with(|| {
                ExponentialBuilder::default()
                    .with_min_delay(MIN_BACKOFF)
                    .with_max_delay(MAX_BACKOFF)
                    .with_jitter()
                    .with_max_times(shared.max_retries as usize)
                    .build()
            });
        let Some(delay) = delays.next() else {
            break failure;
        };
        let delay = failure.retry_after().unwrap_or(delay);
        tracing::warn!(
            reason = failure.reason(), delay_ms = delay.as_millis() as u64, "retrying"
        );
        drop(failure);
        tokio::time::sleep(delay).await;
        attempt += 1;
        outcome = send_once(client.client(), next, attempt).await;
    };
    match failure {
        Failure::Unsent(error) | Failure::Received(error) => Err(error),
        Failure::RateLimited(response, _) | Failure::ServerError(response) => {
            read_bounded(response).await
        }
    }
}

async fn send_once(
    client: &reqwest::Client,
    request: Request,
    attempt: u32,
) -> Result<Response, Failure> {
    let started = Instant::now();
    let result = client.execute(request).await;
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
            tracing::info!(attempt, latency_ms, error = % error, "no response");
            if error.is_connect() {
                Err(Failure::Unsent(error))
            } else {
                Err(Failure::Received(error))
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
            Failure::RateLimited(_, wait) => {
                wait.is_none_or(|wait| wait <= MAX_RETRY_AFTER)
            }
            Failure::Received(_) | Failure::ServerError(_) => may_retry_when_received,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::RateLimited(_, wait) => *wait,
            _ => None,
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
    !matches!(* method, Method::POST | Method::PATCH)
}

/// The delay a `Retry-After` header asks for, in whole seconds (the only form
/// the client reads; a date is ignored and the backoff applies).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Reads the whole body, up to [`MAX_RESPONSE_BODY`] bytes, and hands back a
/// response holding it, so that no body is read without bound.
///
/// The status, version and headers are moved into the new response, not
/// copied, and it keeps the URL the request went to.
async fn read_bounded(mut response: Response) -> reqwest::Result<Response> {
    let url = response.url().clone();
    let mut body = Vec::new();
    let mut too_large = response.content_length().unwrap_or(0)
        > MAX_RESPONSE_BODY as u64;
    if !too_large {
        while let Some(chunk) = response.chunk().await? {
            if chunk.len() > MAX_RESPONSE_BODY - body.len() {
                too_large = true;
                body.clear();
                break;
            }
            body.extend_from_slice(&chunk);
        }
    }

    let (mut parts, _read) = http::Response::from(response).into_parts();
    record(|exchange| {
        exchange.headers = Some(parts.headers.clone());
        exchange.too_large = too_large;
    });
    if let Ok(with_url) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(with_url.into_parts().0.extensions);
    }

    Ok(Response::from(http::Response::from_parts(parts, body)))
}
