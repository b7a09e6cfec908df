//! The generated client against a local server (wiremock on 127.0.0.1): what it sends,
//! what it makes of the documented responses, and what it refuses to send.

use linq_partner_v2::types::{CreateContactRequest, NewContact};
use linq_partner_v2::{Client, Error, ErrorCode, ValidationError};
use linq_tests::{Direction, Example};
use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-5f0c";

fn examples(direction: impl Fn(Direction) -> bool) -> Vec<Example> {
    linq_tests::examples(&linq_tests::spec())
        .into_iter()
        .filter(|example| example.operation_id == "createContact" && direction(example.direction))
        .collect()
}

fn response_example(status: u16, name: &str) -> Value {
    examples(|direction| direction == Direction::Response(status))
        .into_iter()
        .find(|example| example.name == name)
        .unwrap_or_else(|| panic!("the spec documents a {status} example `{name}`"))
        .value
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .build()
        .expect("a valid client")
}

#[tokio::test]
async fn each_request_example_is_sent_as_documented_and_the_201_is_parsed() {
    let requests = examples(|direction| direction == Direction::Request);
    assert_eq!(requests.len(), 2);
    let created = response_example(201, "example");

    for example in requests {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/partner/v2/contacts"))
            .and(header("X-LINQ-INTEGRATION-TOKEN", TOKEN))
            .and(header("content-type", "application/json"))
            .and(body_json(&example.value))
            .respond_with(ResponseTemplate::new(201).set_body_json(&created))
            .expect(1)
            .mount(&server)
            .await;

        let body: CreateContactRequest = serde_json::from_value(example.value.clone()).unwrap();
        let response = client(&server)
            .create_contact(&body)
            .await
            .unwrap_or_else(|error| panic!("example `{}`: {error}", example.name));

        assert_eq!(response.status(), 201);
        let contact = response.into_inner().data;
        assert_eq!(contact.id, 123);
        assert_eq!(contact.full_name.as_deref(), Some("John Doe"));
        assert_eq!(contact.image_url, None);
        assert_eq!(contact.contact_owner.email, "owner@company.com");
        assert_eq!(contact.created_at.to_rfc3339(), "2025-07-30T10:00:00-05:00");

        let received = server.received_requests().await.unwrap();
        let sent: Value = serde_json::from_slice(&received[0].body).unwrap();
        assert_eq!(
            sent, example.value,
            "example `{}` went out changed",
            example.name
        );
        let names: Vec<&str> = received[0]
            .headers
            .keys()
            .map(|name| name.as_str())
            .collect();
        assert!(
            !names.contains(&"api-version"),
            "a header the spec does not call for: {names:?}"
        );
    }
}

#[tokio::test]
async fn both_documented_422_bodies_become_typed_errors() {
    for (name, code) in [
        ("validation_error", ErrorCode::ValidationError),
        ("user_not_found", ErrorCode::UserNotFound),
    ] {
        let server = MockServer::start().await;
        let documented = response_example(422, name);
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(422).set_body_json(&documented))
            .mount(&server)
            .await;

        let error = client(&server)
            .create_contact(&linq_partner_v2::examples::create_contact_with_owner())
            .await
            .expect_err("a 422 is an error");
        let Error::Api(response) = &error else {
            panic!("{name}: not an API error: {error:?}")
        };
        assert_eq!(response.status, 422);
        let body = &response.body;
        assert_eq!(body.error_code, code, "{name}");
        assert_eq!(Some(body.message.as_str()), documented["message"].as_str());
        assert_eq!(
            serde_json::to_value(&body.errors).unwrap(),
            documented["errors"]
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the API refused the request (422 Unprocessable Entity): {}: {}",
                code.as_str(),
                body.message
            )
        );
    }
}

#[tokio::test]
async fn an_unknown_error_code_is_kept() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"status": "error", "error_code": "RATE_LIMITED", "message": "slow down", "errors": []});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(&body))
        .mount(&server)
        .await;

    let error = client(&server)
        .create_contact(&linq_partner_v2::examples::create_contact_without_owner())
        .await
        .unwrap_err();
    let Error::Api(response) = error else {
        panic!("not an API error")
    };
    assert_eq!(
        response.body.error_code,
        ErrorCode::Other("RATE_LIMITED".to_owned())
    );
    assert_eq!(
        serde_json::to_value(&response.body).unwrap()["error_code"],
        "RATE_LIMITED"
    );
}

#[tokio::test]
async fn a_contact_without_name_email_or_phone_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;

    let contact = NewContact {
        company: Some("Acme Corp".to_owned()),
        email: None,
        first_name: None,
        last_name: None,
        location: None,
        phone_number: None,
        title: None,
    };
    let body = CreateContactRequest {
        contact,
        user_email: None,
    };
    let error = client(&server).create_contact(&body).await.unwrap_err();

    let Error::Invalid(ValidationError::AtLeastOneOf { location, fields }) = &error else {
        panic!("not a validation error: {error:?}")
    };
    assert_eq!(location, "/contact");
    assert_eq!(
        *fields,
        ["first_name", "last_name", "email", "phone_number"]
    );
    assert_eq!(
        error.to_string(),
        "request not sent: at least one of `first_name`, `last_name`, `email` or `phone_number` \
         must be set in `/contact` of the request body"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_undocumented_status_keeps_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(418).set_body_string("<html>teapot</html>"))
        .mount(&server)
        .await;
    let error = client(&server)
        .create_contact(&linq_partner_v2::examples::create_contact_without_owner())
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 418);
    assert_eq!(response.body, "<html>teapot</html>");
}

#[tokio::test]
async fn a_201_that_breaks_the_schema_is_an_invalid_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"data": {"id": "x"}})),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .create_contact(&linq_partner_v2::examples::create_contact_without_owner())
        .await
        .unwrap_err();
    let Error::InvalidResponse { response, .. } = &error else {
        panic!("{error:?}")
    };
    let (status, body) = (response.status, &response.body);
    assert_eq!(status, 201);
    assert_eq!(body, r#"{"data":{"id":"x"}}"#);
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let builder = Client::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9");
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}

#[test]
fn configuration_errors_are_clear_and_do_not_echo_the_token() {
    let error = Client::builder().token("bad\ntoken").build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: the token contains characters a header cannot carry"
    );
    let error = Client::builder()
        .token(TOKEN)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid client configuration: base URL `not a url` is not a URL")
    );
    let error = Client::builder()
        .token(TOKEN)
        .base_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: base URL `ftp://example.com` is not an http or https URL"
    );
}

#[test]
fn the_default_server_is_the_spec_s() {
    let client = Client::new(TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://api.linqapp.com");
}

/// With TLS on (here the client's own ring-based settings of `rustls-ring`), an https
/// base URL gets a TLS handshake: the server first sees a TLS record, and a server that
/// does not answer in TLS is a typed error.
#[tokio::test]
async fn an_https_server_gets_a_tls_handshake_and_a_failed_one_is_a_typed_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.ok()?;
        let first = stream.read_u8().await.ok()?;
        // Plain HTTP where the client expects a TLS record.
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
        Some(first)
    });

    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("https://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .expect("a client with TLS");
    let body = CreateContactRequest {
        contact: NewContact {
            email: Some("ada@example.com".to_owned()),
            ..Default::default()
        },
        user_email: None,
    };
    let error = client.create_contact(&body).await.unwrap_err();

    assert!(
        matches!(error, Error::Connect { attempts: 1, .. }),
        "{error:?}"
    );
    // 0x16 opens a TLS handshake record (the ClientHello).
    let first = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the client connected")
        .unwrap();
    assert_eq!(first, Some(0x16));
    assert!(!format!("{error:?}").contains(TOKEN));
}
