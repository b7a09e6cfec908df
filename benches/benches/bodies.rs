//! Serialization and deserialization of the documented bodies with the generated types:
//! the request examples (built by `linq_partner_v2::examples`) and the documented 201
//! and 422 response bodies (read from the spec). Each body is measured typed and, as the
//! obvious alternative, as an untyped `serde_json::Value`.
//!
//! ```text
//! cargo bench -p linq-benches --bench bodies
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use linq_partner_v2::examples;
use linq_partner_v2::types::{CreateContactRequest, CreateContactResponse, StandardError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Measures `T` and `Value` both ways on `json`, the body as a server or client sends it.
fn body<T>(c: &mut Criterion, name: &str, json: &[u8])
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let typed: T = serde_json::from_slice(json).expect("the documented body parses");
    let untyped: Value = serde_json::from_slice(json).expect("the documented body is JSON");
    // Compared as typed values: a date-time may come back written another way.
    let again: T = serde_json::from_slice(&serde_json::to_vec(&typed).unwrap()).unwrap();
    assert_eq!(again, typed, "{name} comes back as it went in");

    let mut group = c.benchmark_group(format!("bodies/{name}"));
    group.throughput(Throughput::Elements(1));
    group.bench_function("deserialize typed", |b| {
        b.iter(|| serde_json::from_slice::<T>(black_box(json)).unwrap())
    });
    group.bench_function("deserialize Value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(json)).unwrap())
    });
    group.bench_function("serialize typed", |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).unwrap())
    });
    group.bench_function("serialize Value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&untyped)).unwrap())
    });
    group.finish();
}

fn bodies(c: &mut Criterion) {
    let json = |request: CreateContactRequest| serde_json::to_vec(&request).unwrap();
    body::<CreateContactRequest>(
        c,
        "request withoutOwner",
        &json(examples::create_contact_without_owner()),
    );
    body::<CreateContactRequest>(
        c,
        "request withOwner",
        &json(examples::create_contact_with_owner()),
    );

    let responses = linq_benches::documented_responses(&linq_benches::linq_spec());
    body::<CreateContactResponse>(c, "response 201", &responses.created);
    for (name, error) in &responses.errors {
        body::<StandardError>(c, &format!("response 422 {name}"), error);
    }
}

criterion_group!(benches, bodies);
criterion_main!(benches);
