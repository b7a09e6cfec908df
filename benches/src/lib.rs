//! What the benchmarks share: where the specs are, the bodies the spec documents, and a
//! minimal HTTP/1.1 server on 127.0.0.1 that answers every request with one fixed
//! response, so that a client benchmark measures the client and not the server.
//!
//! The benchmarks themselves are under `benches/`; BENCHMARKS.md at the workspace root
//! has the results and the commands that reproduce them.

#![deny(missing_docs)]

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ sits in the workspace")
        .to_owned()
}

/// The spec of the Linq Partner API.
pub fn linq_spec_path() -> PathBuf {
    workspace_root().join("spec/linq-partner-v2.yaml")
}

/// A public spec of the shared corpus beside the workspace (`../shared/corpora/NAME`),
/// as the tests find it.
pub fn corpus_spec_path(name: &str) -> PathBuf {
    let path = workspace_root().join("../shared/corpora").join(name);
    assert!(
        path.is_file(),
        "{} is missing: the corpus is expected beside the workspace",
        path.display()
    );
    path
}

/// The spec of the Linq Partner API as a JSON value.
pub fn linq_spec() -> Value {
    let text = std::fs::read_to_string(linq_spec_path()).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec parses")
}

/// The path of the one operation the benchmarks call.
pub const CREATE_CONTACT_PATH: &str = "/api/partner/v2/contacts";

/// The documented response bodies of `createContact`, serialized as a server sends
/// them: the 201 example, then each named 422 example.
pub struct DocumentedResponses {
    /// The body of the documented 201 response.
    pub created: Vec<u8>,
    /// The named examples of the 422 response, in document order.
    pub errors: Vec<(String, Vec<u8>)>,
}

/// Reads the documented response bodies of `createContact` from `spec`.
pub fn documented_responses(spec: &Value) -> DocumentedResponses {
    let responses = &spec["paths"][CREATE_CONTACT_PATH]["post"]["responses"];
    let json = |value: &Value| serde_json::to_vec(value).expect("a JSON value serializes");
    let created = &responses["201"]["content"]["application/json"]["example"];
    assert!(created.is_object(), "the spec documents the 201 body");
    let errors = responses["422"]["content"]["application/json"]["examples"]
        .as_object()
        .expect("the spec documents 422 examples")
        .iter()
        .map(|(name, example)| (name.clone(), json(&example["value"])))
        .collect();
    DocumentedResponses {
        created: json(created),
        errors,
    }
}

/// A local HTTP/1.1 server that answers every request with the same response, on
/// kept-alive connections, from a thread of its own. It serves until the process ends.
#[derive(Debug, Clone)]
pub struct Server {
    address: SocketAddr,
}

impl Server {
    /// Starts a server on a free port of 127.0.0.1 that answers `status` with `body`
    /// as `application/json`.
    pub fn start(status: u16, reason: &str, body: &[u8]) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let mut response = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        let response: Arc<[u8]> = response.into();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        std::thread::Builder::new()
            .name("bench-server".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)
                        .expect("the listener joins the runtime");
                    loop {
                        if let Ok((stream, _)) = listener.accept().await {
                            tokio::spawn(serve(stream, Arc::clone(&response)));
                        }
                    }
                })
            })?;
        Ok(Server { address })
    }

    /// The base URL of the server, such as `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// Answers each request on `stream` with `response` until the client closes it.
async fn serve(mut stream: TcpStream, response: Arc<[u8]>) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(8 * 1024);
    loop {
        let head_end = loop {
            if let Some(end) = find(&buffer, b"\r\n\r\n") {
                break end + 4;
            }
            if stream.read_buf(&mut buffer).await? == 0 {
                return Ok(());
            }
        };
        let request_end = head_end + content_length(&buffer[..head_end])?;
        while buffer.len() < request_end {
            if stream.read_buf(&mut buffer).await? == 0 {
                return Ok(());
            }
        }
        buffer.drain(..request_end);
        stream.write_all(&response).await?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The `Content-Length` of a request head (0 when absent); a chunked body, which the
/// clients measured here never send, is refused.
fn content_length(head: &[u8]) -> io::Result<usize> {
    let invalid = |message: &str| io::Error::new(io::ErrorKind::InvalidData, message.to_owned());
    let head = std::str::from_utf8(head).map_err(|_| invalid("request head is not UTF-8"))?;
    for line in head.split("\r\n").skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            return value
                .trim()
                .parse()
                .map_err(|_| invalid("bad content-length"));
        }
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(invalid("chunked request bodies are not served"));
        }
    }
    Ok(0)
}

/// A single-threaded runtime with the I/O and time drivers, for a client under test:
/// the server has the other core.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_responses_are_read_from_the_spec() {
        let bodies = documented_responses(&linq_spec());
        let created: Value = serde_json::from_slice(&bodies.created).unwrap();
        assert_eq!(created["data"]["id"], 123);
        let names: Vec<&str> = bodies
            .errors
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(names, ["validation_error", "user_not_found"]);
    }

    #[test]
    fn server_answers_every_request_on_one_connection() {
        let server = Server::start(201, "Created", b"{\"ok\":true}").unwrap();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .unwrap();
        client_runtime().block_on(async {
            for body in ["{}", "{\"a\":1}", ""] {
                let response = client
                    .post(format!("{}{CREATE_CONTACT_PATH}", server.base_url()))
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                assert_eq!(response.bytes().await.unwrap().as_ref(), b"{\"ok\":true}");
            }
        });
    }

    #[test]
    fn content_length_is_read_in_any_case() {
        let head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-LENGTH: 12\r\n\r\n";
        assert_eq!(content_length(head).unwrap(), 12);
        assert_eq!(content_length(b"GET / HTTP/1.1\r\n\r\n").unwrap(), 0);
    }
}
