//! Sends `create_contact` N times in a loop, through the generated client or the
//! hand-written reqwest call of `benches/client.rs`, to a local server: a fixed workload
//! for a profiler or an instruction counter, which a criterion run is not.
//!
//! ```text
//! cargo build --release -p linq-benches --example client_loop
//! valgrind --tool=callgrind target/release/examples/client_loop generated 2000
//! valgrind --tool=callgrind target/release/examples/client_loop handwritten 2000
//! valgrind --tool=callgrind target/release/examples/client_loop lean 2000
//! target/release/examples/client_loop alternate 40000
//! target/release/examples/client_loop alternate-lean 40000
//! ```
//!
//! The difference of the two instruction counts, divided by N, is what the generated
//! client adds to each request (the server's share is the same in both). `lean` is the
//! hand-written call through a reqwest client whose own retry layer is off, as the
//! generated client's is: the leanest reqwest call there is. `none` runs everything but
//! the requests, to measure the fixed cost of start-up.
//!
//! Without a profiler each run prints the wall time per request and, on Linux, the time
//! the client's thread spent on a CPU per request (from `/proc/thread-self/schedstat`).
//! `alternate` sends N requests of each kind in rounds of 200, switching between the two
//! every round, and prints the median of the rounds' ratios: a change of load on the
//! machine then weighs on both sides alike. `alternate-lean` does the same against
//! `lean`.

use std::time::{Duration, Instant};

use linq_benches::{CREATE_CONTACT_PATH, Server};
use linq_partner_v2::types::{CreateContactRequest, CreateContactResponse};
use linq_partner_v2::{
    Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, TOKEN_HEADER, USER_AGENT, examples,
};
use reqwest::header::{ACCEPT, HeaderValue};

const USAGE: &str =
    "usage: client_loop generated|handwritten|lean|none|alternate|alternate-lean REQUESTS";

/// Requests of one kind in a row, in `alternate`.
const ROUND: u32 = 200;

struct Clients {
    generated: Client,
    handwritten: reqwest::Client,
    lean: reqwest::Client,
    url: String,
    body: CreateContactRequest,
}

impl Clients {
    async fn send(&self, variant: &str) -> CreateContactResponse {
        match variant {
            "generated" => self
                .generated
                .create_contact(&self.body)
                .await
                .unwrap()
                .into_inner(),
            "handwritten" | "lean" => {
                let client = if variant == "lean" {
                    &self.lean
                } else {
                    &self.handwritten
                };
                let response = client
                    .post(&self.url)
                    .header(ACCEPT, "application/json")
                    .header(TOKEN_HEADER, HeaderValue::from_static("bench-token"))
                    .json(&self.body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                let bytes = response.bytes().await.unwrap();
                serde_json::from_slice(&bytes).unwrap()
            }
            other => panic!("unknown variant `{other}`\n{USAGE}"),
        }
    }

    /// Sends `requests` requests of `variant`, and returns the wall time and the time
    /// this thread spent on a CPU.
    async fn run(&self, variant: &str, requests: u32) -> (Duration, Option<Duration>) {
        let started = Instant::now();
        let cpu_before = thread_cpu();
        for _ in 0..requests {
            assert_eq!(self.send(variant).await.data.id, 123);
        }
        let cpu = thread_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        (started.elapsed(), cpu)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [variant, requests] = args.as_slice() else {
        panic!("{USAGE}");
    };
    let requests: u32 = requests.parse().expect(USAGE);

    let responses = linq_benches::documented_responses(&linq_benches::linq_spec());
    let server = Server::start(201, "Created", &responses.created).expect("the server starts");
    let runtime = linq_benches::client_runtime();
    let generated = Client::builder()
        .token("bench-token")
        .base_url(server.base_url())
        .build()
        .expect("the client builds");
    let settings = || {
        reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
    };
    let handwritten = settings().build().expect("the HTTP client builds");
    let lean = settings()
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
        .expect("the HTTP client builds");
    let clients = Clients {
        generated,
        handwritten,
        lean,
        url: format!("{}{CREATE_CONTACT_PATH}", server.base_url()),
        body: examples::create_contact_without_owner(),
    };

    let per_request = |total: Duration, count: u32| total.as_secs_f64() * 1e6 / f64::from(count);
    match variant.as_str() {
        "none" => {}
        "alternate" | "alternate-lean" => {
            let baseline = if variant == "alternate" {
                "handwritten"
            } else {
                "lean"
            };
            let rounds = (requests / ROUND).max(1);
            let mut wall_ratios = Vec::new();
            let mut cpu_ratios = Vec::new();
            let mut totals = [Duration::ZERO; 2];
            runtime.block_on(async {
                // One round of each first, to open the connections.
                clients.run("generated", ROUND).await;
                clients.run(baseline, ROUND).await;
                for round in 0..rounds {
                    // Which goes first changes every round.
                    let order = if round % 2 == 0 {
                        ["generated", baseline]
                    } else {
                        [baseline, "generated"]
                    };
                    let mut measured = [(Duration::ZERO, None); 2];
                    for variant in order {
                        let index = usize::from(variant == baseline);
                        measured[index] = clients.run(variant, ROUND).await;
                        totals[index] += measured[index].0;
                    }
                    let [(wall, cpu), (wall_hand, cpu_hand)] = measured;
                    wall_ratios.push(wall.as_secs_f64() / wall_hand.as_secs_f64());
                    if let (Some(cpu), Some(cpu_hand)) = (cpu, cpu_hand) {
                        cpu_ratios.push(cpu.as_secs_f64() / cpu_hand.as_secs_f64());
                    }
                }
            });
            let count = rounds * ROUND;
            eprintln!(
                "{variant}: {rounds} rounds of {ROUND} requests each; per request: generated \
                 {:.2} µs, {baseline} {:.2} µs (wall); median ratio generated / {baseline}: \
                 {:.3} wall, {} CPU of the client's thread",
                per_request(totals[0], count),
                per_request(totals[1], count),
                median(&mut wall_ratios),
                if cpu_ratios.is_empty() {
                    "unknown".to_owned()
                } else {
                    format!("{:.3}", median(&mut cpu_ratios))
                }
            );
        }
        variant => {
            let (wall, cpu) = runtime.block_on(clients.run(variant, requests));
            eprintln!(
                "{variant}: {requests} requests in {wall:.2?}; per request: {:.2} µs wall, {} \
                 on the client's thread",
                per_request(wall, requests),
                cpu.map_or("unknown CPU time".to_owned(), |cpu| format!(
                    "{:.2} µs CPU",
                    per_request(cpu, requests)
                ))
            );
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The time this thread has spent on a CPU (Linux only).
fn thread_cpu() -> Option<Duration> {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds = schedstat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
}
