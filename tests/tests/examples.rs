//! Every example of the spec, request and response alike, read from the spec, parsed into
//! its generated type and serialized again, must come back as the same JSON; and every
//! request example built with the typed API (the generated `examples` module) must
//! serialize to the example's JSON.

use heck::ToSnakeCase;
use linq_partner_v2::examples;
use linq_tests::{Direction, same_json};

#[test]
fn every_example_survives_a_round_trip_through_its_type() {
    let examples = linq_tests::examples(&linq_tests::spec());
    assert!(!examples.is_empty());
    for example in &examples {
        let label = format!(
            "{} {} example `{}`",
            example.operation_id, example.schema, example.name
        );
        let again = examples::reserialize(&example.schema, example.value.clone())
            .unwrap_or_else(|| panic!("{label}: no generated type"))
            .unwrap_or_else(|error| panic!("{label}: does not parse: {error}"));
        if let Err(difference) = same_json(&example.value, &again) {
            panic!("{label}: changed on the round trip at {difference}");
        }
    }
}

#[test]
fn every_request_example_is_built_by_typed_code() {
    let examples = linq_tests::examples(&linq_tests::spec());
    let requests: Vec<_> = examples
        .iter()
        .filter(|example| example.direction == Direction::Request)
        .collect();
    assert!(!requests.is_empty());
    for example in requests {
        let method = example.operation_id.to_snake_case();
        let label = format!("{method} example `{}`", example.name);
        let built = examples::to_json(&method, &example.name)
            .unwrap_or_else(|| panic!("{label}: no typed builder was generated"))
            .unwrap_or_else(|error| panic!("{label}: does not serialize: {error}"));
        assert_eq!(
            built, example.value,
            "{label}: the typed value differs from the spec"
        );
    }
}

#[test]
fn date_times_keep_their_documented_offset() {
    let examples = linq_tests::examples(&linq_tests::spec());
    let created = examples
        .iter()
        .find(|example| example.direction == Direction::Response(201))
        .expect("the 201 example");
    let parsed: linq_partner_v2::types::CreateContactResponse =
        serde_json::from_value(created.value.clone()).unwrap();
    assert_eq!(parsed.data.created_at.offset().local_minus_utc(), -5 * 3600);
    assert_eq!(
        parsed.data.created_at.to_rfc3339(),
        "2025-07-30T10:00:00-05:00"
    );
}
