//! The client when the network, the server or the caller misbehave: each error class, the
//! retry rule (a POST is never sent twice once the server may have it), `Retry-After`,
//! per-request overrides, request ids, and logs that never hold the token. Every server
//! is local (127.0.0.1).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use linq_partner_v2::{Client, Error, RequestOptions, ResponseExt};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "resilience-token-93ab";

fn created() -> serde_json::Value {
    linq_tests::examples(&linq_tests::spec())
        .into_iter()
        .find(|example| example.direction == linq_tests::Direction::Response(201))
        .expect("the spec documents a 201 example")
        .value
}

fn body() -> linq_partner_v2::types::CreateContactRequest {
    linq_partner_v2::examples::create_contact_without_owner()
}

fn client(base_url: &str) -> linq_partner_v2::ClientBuilder {
    Client::builder().token(TOKEN).base_url(base_url)
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn error_for(template: ResponseTemplate) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .build()
        .unwrap()
        .create_contact(&body())
        .await
        .expect_err("an error response");
    (error, requests_seen(&server).await)
}

#[tokio::test]
async fn each_status_class_has_its_typed_error() {
    let (error, _) = error_for(ResponseTemplate::new(401).set_body_string("no")).await;
    assert!(
        matches!(&error, Error::Unauthorized(response) if response.body == "no"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the API refused the token (401 Unauthorized)"
    );

    let (error, _) = error_for(ResponseTemplate::new(403)).await;
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");

    let (error, _) = error_for(ResponseTemplate::new(404)).await;
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");

    // A POST that got a 5xx may have been acted on: it is not sent again.
    let (error, seen) =
        error_for(ResponseTemplate::new(500).set_body_string("<html>oops</html>")).await;
    assert!(
        matches!(&error, Error::Server(response) if response.body == "<html>oops</html>"),
        "{error:?}"
    );
    assert_eq!(seen, 1, "a POST was retried after a 500");
    assert_eq!(
        error.to_string(),
        "server error (500 Internal Server Error)"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_that_delay_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .with_priority(2)
        .mount(&server)
        .await;

    let started = Instant::now();
    let response = client(&server.uri())
        .build()
        .unwrap()
        .create_contact(&body())
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "did not wait for Retry-After"
    );
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_is_returned_at_once() {
    let (error, seen) =
        error_for(ResponseTemplate::new(429).insert_header("Retry-After", "3600")).await;
    let Error::RateLimited { retry_after, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(seen, 1);
    assert_eq!(error.to_string(), "rate limited (429), retry after 3600s");
}

#[tokio::test]
async fn a_post_that_times_out_after_sending_is_not_sent_twice() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(created())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri())
        .timeout(Duration::from_millis(300))
        .max_retries(3)
        .build()
        .unwrap();

    let error = client.create_contact(&body()).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(requests_seen(&server).await, 1, "the POST went out twice");
}

#[tokio::test]
async fn a_post_is_retried_after_a_5xx_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server.uri())
        .max_retries(2)
        .retry_non_idempotent(true)
        .build()
        .unwrap();

    let error = client.create_contact(&body()).await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(requests_seen(&server).await, 3);
}

/// A port on 127.0.0.1 where nothing listens, so connecting is refused.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn connection_refused_is_retried_the_configured_number_of_times() {
    let logs = capture_logs();
    let client = client(&refused_url()).max_retries(2).build().unwrap();

    let error = client.create_contact(&body()).await.unwrap_err();
    assert!(
        matches!(error, Error::Connect { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "cannot connect to the server after 3 attempt(s)"
    );
    let text = logs.text();
    assert_eq!(text.matches("no response").count(), 3, "{text}");
    assert_eq!(text.matches("retrying").count(), 2, "{text}");
}

#[tokio::test]
async fn per_request_options_win_over_the_client_defaults() {
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(created())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&slow)
        .await;
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("X-LINQ-INTEGRATION-TOKEN", "other-token"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .expect(1)
        .mount(&other)
        .await;
    let client = client(&slow.uri())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let started = Instant::now();
    let quick = client
        .with_options(RequestOptions::new().timeout(Duration::from_millis(200)))
        .unwrap();
    let error = quick.create_contact(&body()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the client's 30 s timeout applied"
    );

    let elsewhere = client
        .with_options(
            RequestOptions::new()
                .base_url(other.uri())
                .token("other-token"),
        )
        .unwrap();
    assert_eq!(
        elsewhere.create_contact(&body()).await.unwrap().status(),
        201
    );
    assert_eq!(
        client.base_url(),
        slow.uri(),
        "the overrides changed the original client"
    );
}

#[tokio::test]
async fn the_request_id_is_reachable_on_success_and_on_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(created())
                .insert_header("x-request-id", "req-1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "req-2"))
        .mount(&server)
        .await;
    let client = client(&server.uri()).build().unwrap();
    assert_eq!(
        client.create_contact(&body()).await.unwrap().request_id(),
        Some("req-1")
    );
    assert_eq!(
        client
            .create_contact(&body())
            .await
            .unwrap_err()
            .request_id(),
        Some("req-2")
    );
}

#[tokio::test]
async fn the_token_never_appears_in_logs_errors_or_debug_output() {
    let logs = capture_logs();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = client(&server.uri()).build().unwrap();

    let error = client.create_contact(&body()).await.unwrap_err();
    let connect = client
        .with_options(RequestOptions::new().base_url(refused_url()).max_retries(0))
        .unwrap();
    let connect_error = connect.create_contact(&body()).await.unwrap_err();

    for text in [
        logs.text(),
        error.to_string(),
        format!("{error:?}"),
        connect_error.to_string(),
        format!("{connect_error:?}"),
        format!("{client:?}"),
        format!("{:?}", RequestOptions::new().token(TOKEN)),
        format!(
            "{:?}",
            RequestOptions::new().header("X-Other-Secret", TOKEN)
        ),
        format!("{:?}", Client::builder().header("X-Other-Secret", TOKEN)),
    ] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
    assert!(
        logs.text().contains("status=401"),
        "the request was not logged: {}",
        logs.text()
    );
}

/// Everything the client logs, at every level, while the returned guard lives.
fn capture_logs() -> Logs {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    Logs {
        _guard: Some(Arc::new(guard)),
        ..logs
    }
}

#[derive(Clone, Default)]
struct Logs {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: Option<Arc<tracing::subscriber::DefaultGuard>>,
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
