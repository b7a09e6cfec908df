//! `create_contact` of the generated client against the obvious alternative, a
//! hand-written reqwest call, both talking to the same local server (127.0.0.1, kept-alive
//! connections) that answers every request with the documented 201 body.
//!
//! The hand-written call sends the same JSON with the same headers through a reqwest
//! client with the generated client's settings (timeouts, user agent, no redirects), and
//! parses the same response type; it does what the generated client leaves out: no
//! validation of the body, no retries, no tracing, no bounded read. `handwritten_lean` is
//! the same call through a reqwest client whose own retry layer is off, as the generated
//! client's is.
//!
//! The client runs on a single-threaded runtime on the benchmark's thread; the server
//! has a thread of its own.
//!
//! ```text
//! cargo bench -p linq-benches --bench client
//! ```

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use linq_benches::{CREATE_CONTACT_PATH, Server};
use linq_partner_v2::types::{CreateContactRequest, CreateContactResponse};
use linq_partner_v2::{
    Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, TOKEN_HEADER, USER_AGENT, examples,
};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, HeaderValue};

const TOKEN: &str = "bench-token";

/// The call as one would write it by hand with reqwest.
struct Handwritten {
    client: reqwest::Client,
    url: String,
    token: HeaderValue,
}

impl Handwritten {
    fn new(base_url: &str, lean: bool) -> Handwritten {
        let mut builder = reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none());
        if lean {
            builder = builder.retry(reqwest::retry::never().max_retries_per_request(0));
        }
        let client = builder.build().expect("the HTTP client builds");
        Handwritten {
            client,
            url: format!("{base_url}{CREATE_CONTACT_PATH}"),
            token: HeaderValue::from_static(TOKEN),
        }
    }

    async fn create_contact(
        &self,
        body: &CreateContactRequest,
    ) -> Result<CreateContactResponse, Box<dyn std::error::Error>> {
        let response = self
            .client
            .post(&self.url)
            .header(ACCEPT, "application/json")
            .header(TOKEN_HEADER, self.token.clone())
            .json(body)
            .send()
            .await?;
        if response.status() != StatusCode::CREATED {
            return Err(format!("unexpected status {}", response.status()).into());
        }
        let bytes = response.bytes().await?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

fn create_contact(c: &mut Criterion) {
    let responses = linq_benches::documented_responses(&linq_benches::linq_spec());
    let server = Server::start(201, "Created", &responses.created).expect("the server starts");
    let runtime = linq_benches::client_runtime();
    let body = examples::create_contact_without_owner();

    let generated = Client::builder()
        .token(TOKEN)
        .base_url(server.base_url())
        .build()
        .expect("the client builds");
    let handwritten = Handwritten::new(&server.base_url(), false);
    let lean = Handwritten::new(&server.base_url(), true);

    // Both get the same answer, so neither can win by skipping work.
    runtime.block_on(async {
        let ours = generated.create_contact(&body).await.unwrap().into_inner();
        let theirs = handwritten.create_contact(&body).await.unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours, lean.create_contact(&body).await.unwrap());
        assert_eq!(ours.data.id, 123);
    });

    let mut group = c.benchmark_group("client/create_contact");
    group.throughput(Throughput::Elements(1));
    // Each sample runs its requests back to back inside one `block_on`, as a caller's
    // task would.
    group.bench_function("generated", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..iterations {
                    let response = generated.create_contact(black_box(&body)).await.unwrap();
                    black_box(response.into_inner());
                }
                started.elapsed()
            })
        })
    });
    for (name, call) in [("handwritten", &handwritten), ("handwritten_lean", &lean)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                runtime.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iterations {
                        let response = call.create_contact(black_box(&body)).await.unwrap();
                        black_box(response);
                    }
                    started.elapsed()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, create_contact);
criterion_main!(benches);
