//! Calls every operation of the crate generated from `tests/tests/fixtures/resource.yaml`
//! against a local server. This file is copied into that generated crate's `tests/` and
//! run there by `tests/tests/resource.rs`; it is not compiled in this workspace.

use std::num::NonZeroU64;

use futures::TryStreamExt;
use resource::types::{Address, ContactInput, ContactInputStatus, ContactPatch};
use resource::{Client, Error, ErrorCode, ValidationError};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn contact(id: i64) -> serde_json::Value {
    json!({
        "id": id, "name": format!("Contact {id}"), "score": 1.5, "archived": false,
        "status": "active", "tags": ["a"], "address": {"city": "Lyon"},
        "image_url": null, "created_at": "2025-07-30T10:00:00-05:00"
    })
}

fn page(items: &[i64], page: u64, total_pages: u64) -> serde_json::Value {
    json!({
        "data": items.iter().map(|id| contact(*id)).collect::<Vec<_>>(),
        "pagination": {"page": page, "per_page": 2, "total_pages": total_pages, "total_count": 5}
    })
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("key")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn input() -> ContactInput {
    ContactInput {
        name: "Ada".to_owned(),
        score: Some(2.5),
        archived: Some(false),
        status: Some(ContactInputStatus::Active),
        tags: vec!["x".to_owned()],
        address: Some(Address {
            city: "Lyon".to_owned(),
            zip: None,
        }),
    }
}

#[tokio::test]
async fn list_sends_query_and_header_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("page", "2"))
        .and(query_param("per_page", "2"))
        .and(query_param("q", "ada"))
        .and(header("X-Trace", "t-1"))
        .and(header("X-Fixture-Key", "key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[3, 4], 2, 3)))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .list_contacts(
            NonZeroU64::new(2),
            NonZeroU64::new(2),
            Some("ada"),
            Some("t-1"),
        )
        .await
        .unwrap();
    let page = response.into_inner();
    assert_eq!(page.data.len(), 2);
    assert_eq!(
        page.data[0].created_at.to_rfc3339(),
        "2025-07-30T10:00:00-05:00"
    );
    assert_eq!(page.pagination.total_pages, 3);
}

#[tokio::test]
async fn the_stream_walks_every_page_lazily() {
    let server = MockServer::start().await;
    for (number, items) in [(1, vec![1, 2]), (2, vec![3, 4]), (3, vec![5])] {
        Mock::given(method("GET"))
            .and(path("/contacts"))
            .and(query_param("page", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&items, number, 3)))
            // Page 1 is asked for by both streams below; the later pages by the first only.
            .expect(if number == 1 { 2 } else { 1 })
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let ids: Vec<i64> = client
        .list_contacts_stream(NonZeroU64::new(2), None, None)
        .map_ok(|contact| contact.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);

    // Taking the first two items asks for the first page only.
    let before = server.received_requests().await.unwrap().len();
    let stream = client.list_contacts_stream(NonZeroU64::new(2), None, None);
    let first: Vec<_> = futures::StreamExt::take(stream, 2)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), before + 1);
}

#[tokio::test]
async fn a_parameter_out_of_its_bounds_is_refused_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server)
        .list_contacts(None, NonZeroU64::new(500), None, None)
        .await
        .unwrap_err();
    let Error::Invalid(ValidationError::OutOfRange {
        parameter, value, ..
    }) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*parameter, *value), ("per_page", 500.0));
    assert_eq!(
        error.to_string(),
        "request not sent: parameter `per_page` is 500, and must be at least 1 and at most 100"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn create_get_update_patch_and_delete() {
    let server = MockServer::start().await;
    let input_json = serde_json::to_value(input()).unwrap();
    Mock::given(method("POST"))
        .and(path("/contacts"))
        .and(body_json(&input_json))
        .respond_with(ResponseTemplate::new(201).set_body_json(contact(7)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact(7)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/contacts/7"))
        .and(body_json(&input_json))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact(7)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/contacts/7"))
        .and(body_json(json!({"archived": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact(7)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/contacts/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    assert_eq!(client.create_contact(&input()).await.unwrap().status(), 201);
    assert_eq!(client.get_contact(7).await.unwrap().into_inner().id, 7);
    assert_eq!(
        client.update_contact(7, &input()).await.unwrap().status(),
        200
    );
    let patch = ContactPatch {
        archived: Some(true),
        name: None,
    };
    assert_eq!(client.patch_contact(7, &patch).await.unwrap().status(), 200);
    let deleted = client.delete_contact(7).await.unwrap();
    assert_eq!(deleted.status(), 204);
}

#[tokio::test]
async fn error_statuses_sharing_one_schema_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/8"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": "NOT_FOUND", "message": "no"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/contacts/8"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": "GONE", "message": "gone"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let Error::Api(response) = client.get_contact(8).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (response.status.as_u16(), &response.body.code),
        (404, &ErrorCode::NotFound)
    );
    let Error::Api(response) = client.delete_contact(8).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(response.body.code, ErrorCode::Other("GONE".to_owned()));
}

#[tokio::test]
async fn defaults_of_optional_parameters_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("page", "1"))
        .and(query_param("per_page", "25"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[1], 1, 1)))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .list_contacts(None, None, None, None)
        .await
        .unwrap();
    assert_eq!(response.into_inner().data.len(), 1);
}

#[tokio::test]
async fn a_retry_sends_the_same_parameters_again() {
    let server = MockServer::start().await;
    // Each attempt builds its request afresh from the arguments; both must carry them.
    let with_the_parameters = || {
        Mock::given(method("GET"))
            .and(path("/contacts"))
            .and(query_param("page", "3"))
            .and(query_param("q", "ada"))
            .and(header("X-Trace", "t-2"))
    };
    with_the_parameters()
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    with_the_parameters()
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[5], 3, 3)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("key")
        .base_url(server.uri())
        .max_retries(1)
        .build()
        .unwrap();

    let response = client
        .list_contacts(NonZeroU64::new(3), None, Some("ada"), Some("t-2"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner().data[0].id, 5);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
