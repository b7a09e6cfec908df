//! Fault injection: a local server (127.0.0.1) that misbehaves in one way per test, and the
//! typed error the client turns each fault into. Every call runs with a short client timeout
//! and inside a generous outer bound, so that a hang fails the test rather than blocking it;
//! every error is checked for the token. `create_contact` is a POST, so the server must see
//! it exactly once unless the fault is one the client documents as retried (429, and a
//! refused connection, which `resilience.rs` covers).
//!
//! Faults that need bytes no HTTP library would send (a body cut short, a body that never
//! ends, a connection closed before the status line) come from a raw TCP server on a plain
//! thread; the rest come from wiremock.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use linq_partner_v2::types::CreateContactResponse;
use linq_partner_v2::{Client, Error, MAX_RESPONSE_BODY, MIN_BACKOFF, ResponseValue};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token that cannot turn up in an error by chance.
const TOKEN: &str = "faults-token-Zq7w3Kx9-do-not-leak";

/// The path of `create_contact`.
const CONTACTS: &str = "/api/partner/v2/contacts";

/// The client's own timeout for a whole request.
const CLIENT_TIMEOUT: Duration = Duration::from_millis(500);

/// How long a call may take before the test calls it a hang: far past every timeout and
/// retry the client may use here.
const HANG: Duration = Duration::from_secs(20);

fn created() -> serde_json::Value {
    linq_tests::examples(&linq_tests::spec())
        .into_iter()
        .find(|example| example.direction == linq_tests::Direction::Response(201))
        .expect("the spec documents a 201 example")
        .value
}

/// A client of `base_url` with a short timeout and retries on (2), so that a test asserting
/// one request shows the client chose not to retry.
fn client(base_url: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .timeout(CLIENT_TIMEOUT)
        .connect_timeout(CLIENT_TIMEOUT)
        .max_retries(2)
        .build()
        .expect("a valid client")
}

/// Calls `create_contact`, failing the test if the call outlives [`HANG`].
async fn create(client: &Client) -> Result<ResponseValue<CreateContactResponse>, Error> {
    let body = linq_partner_v2::examples::create_contact_without_owner();
    tokio::time::timeout(HANG, client.create_contact(&body))
        .await
        .unwrap_or_else(|_| panic!("the call hung for {HANG:?}"))
}

/// Calls `create_contact`, expecting an error free of the token.
async fn create_err(client: &Client) -> Error {
    let error = match create(client).await {
        Ok(response) => panic!("expected an error, got {} {response:?}", response.status()),
        Err(error) => error,
    };
    assert_no_token(&error);
    error
}

/// The token is in neither the error's `Display` nor its `Debug`, nor in any of its sources.
fn assert_no_token(error: &Error) {
    let mut texts = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        texts.push(format!("{cause:?}"));
        source = cause.source();
    }
    for text in texts {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
}

/// A wiremock server answering every POST to the contacts path with `template`.
async fn mock(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CONTACTS))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// The error of one `create_contact` against a wiremock server answering with
/// `template`, and how many requests that server saw.
async fn error_for(template: ResponseTemplate) -> (Error, usize) {
    let server = mock(template).await;
    let error = create_err(&client(&server.uri())).await;
    (error, requests_seen(&server).await)
}

/// A raw HTTP/1.1 server on 127.0.0.1, on its own thread: it reads each request whole,
/// then hands the connection to its responder, which returns how many body bytes it
/// wrote before it stopped or the peer went away.
struct RawServer {
    url: String,
    connections: Arc<AtomicUsize>,
    written: mpsc::Receiver<usize>,
}

impl RawServer {
    fn start(respond: impl Fn(&mut TcpStream) -> usize + Send + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let (sender, written) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                // A client that stalls cannot keep this thread past the hang bound.
                stream.set_read_timeout(Some(HANG / 2)).unwrap();
                stream.set_write_timeout(Some(HANG / 2)).unwrap();
                read_request(&mut stream);
                if sender.send(respond(&mut stream)).is_err() {
                    break;
                }
            }
        });
        RawServer {
            url,
            connections,
            written,
        }
    }

    /// How many connections (so requests: each is answered once, then closed) came in.
    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// What the responder returned for the first connection, once it is done.
    async fn written(self) -> usize {
        let RawServer { written, .. } = self;
        tokio::task::spawn_blocking(move || written.recv_timeout(HANG))
            .await
            .unwrap()
            .expect("the raw server finished its response")
    }
}

/// Reads one request, head and `Content-Length` body, so that closing the connection
/// afterwards sends a clean FIN rather than a reset over unread bytes.
fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0; 4096];
    let head_end = loop {
        if let Some(end) = seen.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => seen.extend_from_slice(&buffer[..read]),
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().unwrap());
    let mut body = seen.len() - head_end;
    while body < length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => body += read,
        }
    }
}

/// Waits until the client closes the connection (or the read timeout ends the wait).
fn wait_for_close(stream: &mut TcpStream) {
    let mut buffer = [0; 1024];
    while matches!(stream.read(&mut buffer), Ok(read) if read > 0) {}
}

fn head(status: &str, content_length: usize) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {content_length}\r\n\r\n"
    )
}

// 1. Slow responses.

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_and_the_post_is_sent_once() {
    let server = mock(
        ResponseTemplate::new(201)
            .set_body_json(created())
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let started = Instant::now();
    let error = create_err(&client(&server.uri())).await;
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), None);
    assert_eq!(requests_seen(&server).await, 1, "the POST went out again");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the client waited for the whole delay"
    );
}

#[tokio::test]
async fn a_body_that_stalls_after_the_headers_is_a_timeout_too() {
    // The status line and headers come at once, then the body stops: the client's timeout
    // covers reading the body, not only waiting for the headers.
    let server = RawServer::start(|stream| {
        let partial = b"{\"data\":";
        stream
            .write_all(head("201 Created", 1000).as_bytes())
            .unwrap();
        stream.write_all(partial).unwrap();
        wait_for_close(stream);
        partial.len()
    });
    let error = create_err(&client(&server.url)).await;
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1, "the POST went out again");
}

// 2. A connection closed in the middle of the body.

#[tokio::test]
async fn a_connection_closed_in_the_middle_of_the_body_is_a_transport_error() {
    let server = RawServer::start(|stream| {
        let body = created().to_string();
        let partial = &body.as_bytes()[..body.len() / 2];
        stream
            .write_all(head("201 Created", body.len()).as_bytes())
            .unwrap();
        stream.write_all(partial).unwrap();
        stream.shutdown(Shutdown::Both).unwrap();
        partial.len()
    });
    let error = create_err(&client(&server.url)).await;
    // The client got a 201 and lost the body: the error keeps the status, so the caller
    // knows the server acted, and the POST is not sent again.
    // reqwest calls it a decode error, wrapping the body error of the cut connection.
    let Error::Transport { status, source } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, Some(reqwest::StatusCode::CREATED));
    assert!(source.is_decode(), "{source:?}");
    let cut = std::error::Error::source(source)
        .and_then(|cause| cause.downcast_ref::<reqwest::Error>())
        .unwrap_or_else(|| panic!("{source:?}"));
    assert!(cut.is_body(), "{cut:?}");
    assert!(format!("{cut:?}").contains("IncompleteBody"), "{cut:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::CREATED));
    assert_eq!(
        error.to_string(),
        "the 201 Created response broke off before its end"
    );
    assert_eq!(server.connections(), 1, "the POST went out again");
}

#[tokio::test]
async fn a_connection_closed_before_the_status_line_is_a_transport_error_sent_once() {
    // The request reached the server, which closed without a word: the server may have
    // acted on it, so the POST is not retried, though retries are on.
    let server = RawServer::start(|stream| {
        stream.shutdown(Shutdown::Both).unwrap();
        0
    });
    let error = create_err(&client(&server.url)).await;
    assert!(
        matches!(error, Error::Transport { status: None, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), None);
    assert_eq!(server.connections(), 1, "the POST went out again");
}

// 3–5. A 201 whose body is not a `CreateContactResponse`.

#[tokio::test]
async fn a_201_whose_body_is_not_json_is_an_invalid_response_with_the_body_kept() {
    let page = "<html><body>Created!</body></html>";
    let (error, seen) =
        error_for(ResponseTemplate::new(201).set_body_raw(page, "application/json")).await;
    let Error::InvalidResponse { response, source } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 201);
    assert_eq!(response.body, page);
    assert!(source.is_syntax(), "{source:?}");
    assert_eq!(seen, 1);
}

#[tokio::test]
async fn a_201_with_json_of_the_wrong_shape_is_an_invalid_response() {
    let wrong = serde_json::json!({ "id": 123, "contact": { "first_name": "John" } });
    let (error, seen) = error_for(ResponseTemplate::new(201).set_body_json(&wrong)).await;
    let Error::InvalidResponse { response, source } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 201);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&response.body).unwrap(),
        wrong
    );
    assert!(source.is_data(), "{source:?}");
    assert!(
        error
            .to_string()
            .starts_with("the 201 Created response body does not match the spec"),
        "{error}"
    );
    assert_eq!(seen, 1);
}

#[tokio::test]
async fn a_201_with_an_empty_body_is_an_invalid_response() {
    let (error, seen) = error_for(ResponseTemplate::new(201)).await;
    let Error::InvalidResponse { response, source } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 201);
    assert_eq!(response.body, "");
    assert!(source.is_eof(), "{source:?}");
    assert_eq!(seen, 1);
}

// 6. A 500 with an HTML page.

#[tokio::test]
async fn a_500_with_an_html_page_is_a_server_error_with_the_page_kept_sent_once() {
    let page = "<!DOCTYPE html><html><head><title>500</title></head>\
                <body><h1>Internal Server Error</h1></body></html>";
    let (error, seen) = error_for(
        ResponseTemplate::new(500)
            .set_body_raw(page, "text/html; charset=utf-8")
            .insert_header("x-request-id", "req-500"),
    )
    .await;
    let Error::Server(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 500);
    assert_eq!(response.body, page);
    assert_eq!(error.request_id(), Some("req-500"));
    assert_eq!(
        error.to_string(),
        "server error (500 Internal Server Error)"
    );
    assert_eq!(seen, 1, "a POST was retried after a 500");
}

// 7. A huge body.

/// Offers a body sixteen times the limit, its length announced in `Content-Length` or
/// not (then it runs until the connection closes), and returns what the client made of it,
/// how many bytes the server managed to write, and the most it may write if the client
/// stops at the limit.
async fn huge_body(announced: bool) -> (Error, usize, usize) {
    // The body announced and offered: sixteen times the limit. Every byte the server
    // writes is read by the client or still sits in one of the two kernel socket buffers
    // between them when the client closes, so what the server managed to write bounds what
    // the client read, give or take those buffers. They are not small (13 to 22 MiB written
    // was seen here for an 8 MiB limit), which is why the body is far larger than 20 MiB.
    const OFFERED: usize = 16 * MAX_RESPONSE_BODY;
    let most = MAX_RESPONSE_BODY + kernel_buffers() + HYPER_BUFFER;
    assert!(
        most < OFFERED,
        "socket buffers too large for this test: {most}"
    );
    let server = RawServer::start(move |stream| {
        if stream
            .write_all(
                if announced {
                    head("201 Created", OFFERED)
                } else {
                    UNANNOUNCED.to_owned()
                }
                .as_bytes(),
            )
            .is_err()
        {
            return 0;
        }
        let chunk = vec![b' '; 64 * 1024];
        let mut written = 0;
        while written < OFFERED {
            match stream.write(&chunk) {
                Ok(0) => break,
                Ok(count) => written += count,
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                // The client closed the connection (a reset or a broken pipe).
                Err(_) => break,
            }
        }
        written
    });
    let client = Client::builder()
        .token(TOKEN)
        .base_url(&server.url)
        // Long enough that only the size limit, never the timeout, can end the read.
        .timeout(HANG / 2)
        .max_retries(2)
        .build()
        .unwrap();
    let error = create_err(&client).await;
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                status,
                limit: MAX_RESPONSE_BODY,
            } if status == 201
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("the 201 Created response body is longer than {MAX_RESPONSE_BODY} bytes")
    );
    assert_eq!(server.connections(), 1, "the POST went out again");
    let written = server.written().await;
    println!(
        "huge body: the server wrote {written} of {OFFERED} bytes ({:.1} MiB) before the \
         client closed; at most {most} allowed",
        written as f64 / (1024.0 * 1024.0)
    );
    (error, written, most)
}

#[tokio::test]
async fn a_huge_body_announced_in_content_length_is_refused_unread() {
    let (_, written, most) = huge_body(true).await;
    // Only what the kernel buffers took before the client closed: none of it was read.
    assert!(
        written <= most,
        "the server wrote {written} bytes, more than the buffers ({most})"
    );
}

#[tokio::test]
async fn a_huge_body_of_unknown_length_is_read_up_to_the_limit_then_dropped() {
    let (_, written, most) = huge_body(false).await;
    assert!(
        written >= MAX_RESPONSE_BODY,
        "the client gave up after {written} bytes, before the limit"
    );
    assert!(
        written <= most,
        "the client read on past the limit: the server wrote {written} bytes, \
         more than the limit and the socket buffers ({most})"
    );
}

/// The head of a 201 whose JSON body runs until the connection closes.
const UNANNOUNCED: &str =
    "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";

/// The most a client's HTTP/1 connection buffers above what it hands on (hyper reads at
/// most about 400 KiB ahead), rounded up.
const HYPER_BUFFER: usize = 1024 * 1024;

/// The most bytes the kernel may hold between a sender and a receiver on 127.0.0.1: the
/// largest send buffer plus the largest receive buffer (the third field of
/// `tcp_wmem`/`tcp_rmem` on Linux; generous guesses elsewhere).
fn kernel_buffers() -> usize {
    let largest = |file: &str, otherwise: usize| {
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| text.split_whitespace().nth(2)?.parse().ok())
            .unwrap_or(otherwise)
    };
    largest("/proc/sys/net/ipv4/tcp_wmem", 8 << 20)
        + largest("/proc/sys/net/ipv4/tcp_rmem", 32 << 20)
}

// 8. A valid JSON body under the wrong `Content-Type`.

#[tokio::test]
async fn a_valid_json_body_under_a_wrong_content_type_is_accepted() {
    // The client (progenitor's `ResponseValue::from_response`) parses the body as JSON
    // whatever the `Content-Type` says: a body that parses is a success. That is lenient
    // but harmless: the body must still match the schema, and a body that does not (an HTML
    // page) is an `InvalidResponse`, as above.
    for content_type in [
        "text/html; charset=utf-8",
        "text/plain",
        "application/octet-stream",
    ] {
        let server =
            mock(ResponseTemplate::new(201).set_body_raw(created().to_string(), content_type))
                .await;
        let response = create(&client(&server.uri()))
            .await
            .unwrap_or_else(|error| panic!("{content_type}: {error:?}"));
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(response.into_inner().data.id, 123);
        assert_eq!(requests_seen(&server).await, 1);
    }
}

// 9. A 422 whose body is not the standard error.

#[tokio::test]
async fn a_422_whose_body_is_not_the_standard_error_is_an_invalid_response() {
    for (template, body) in [
        (
            ResponseTemplate::new(422).set_body_json(serde_json::json!({ "detail": "x" })),
            r#"{"detail":"x"}"#,
        ),
        (
            ResponseTemplate::new(422).set_body_string("first_name is missing"),
            "first_name is missing",
        ),
    ] {
        let (error, seen) = error_for(template).await;
        let Error::InvalidResponse { response, .. } = &error else {
            panic!("{body}: {error:?}")
        };
        assert_eq!(response.status, 422);
        assert_eq!(response.body, body);
        assert_eq!(error.status().map(|status| status.as_u16()), Some(422));
        assert_eq!(seen, 1);
    }
}

// 10. Redirects.

/// A server whose contacts path redirects with `status` to `location`, and whose
/// `/moved` path answers any method with a 201 and the documented body.
async fn redirecting(status: u16, location: &str) -> MockServer {
    let server = mock(ResponseTemplate::new(status).insert_header("location", location)).await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(&server)
        .await;
    server
}

/// The method, path, token header and body length of each request `server` saw.
async fn seen(server: &MockServer) -> Vec<(String, String, Option<String>, usize)> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|request| {
            (
                request.method.to_string(),
                request.url.path().to_owned(),
                request
                    .headers
                    .get("x-linq-integration-token")
                    .map(|value| value.to_str().unwrap().to_owned()),
                request.body.len(),
            )
        })
        .collect()
}

// The client does not follow redirects: a 302 would turn the POST into a GET and report
// that GET's answer as the contact created; a 307 would send the POST again to wherever
// `Location` says; and reqwest keeps custom headers such as `X-LINQ-INTEGRATION-TOKEN` on a
// redirect to another host. A 3xx comes back as `UnexpectedStatus`, with its `Location`.

#[tokio::test]
async fn a_302_is_returned_not_followed() {
    let server = redirecting(302, "/moved").await;
    let error = create_err(&client(&server.uri())).await;
    let Error::UnexpectedStatus(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 302);
    assert_eq!(response.headers["location"], "/moved");
    let sent = seen(&server).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!((sent[0].0.as_str(), sent[0].1.as_str()), ("POST", CONTACTS));
}

#[tokio::test]
async fn a_307_is_returned_and_the_post_is_not_sent_again() {
    let server = redirecting(307, "/moved").await;
    let error = create_err(&client(&server.uri())).await;
    assert!(
        matches!(&error, Error::UnexpectedStatus(response) if response.status == 307),
        "{error:?}"
    );
    assert_eq!(seen(&server).await.len(), 1);
}

#[tokio::test]
async fn a_redirect_to_another_origin_never_carries_the_token_there() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(&elsewhere)
        .await;
    let server = redirecting(307, &format!("{}/moved", elsewhere.uri())).await;
    let error = create_err(&client(&server.uri())).await;
    assert!(
        matches!(&error, Error::UnexpectedStatus(response) if response.status == 307),
        "{error:?}"
    );
    assert!(
        seen(&elsewhere).await.is_empty(),
        "the other origin was contacted"
    );
}

// 11. A 429 without `Retry-After`.

#[tokio::test]
async fn a_429_without_retry_after_is_retried_with_backoff_then_rate_limited() {
    let server = mock(ResponseTemplate::new(429).set_body_string("slow down")).await;
    let started = Instant::now();
    let error = create_err(&client(&server.uri())).await;
    let elapsed = started.elapsed();
    let Error::RateLimited {
        retry_after,
        response,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*retry_after, None);
    assert_eq!(response.status, 429);
    assert_eq!(response.body, "slow down");
    assert_eq!(error.to_string(), "rate limited (429)");
    // max_retries(2): the first attempt and two retries.
    assert_eq!(requests_seen(&server).await, 3);
    // The backoff waits at least MIN_BACKOFF, then twice that (jitter only adds).
    assert!(
        elapsed >= MIN_BACKOFF * 3,
        "retried without backing off: {elapsed:?}"
    );
}
