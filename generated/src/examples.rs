// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! The request examples of the API docs, built with the typed API.
#[allow(unused_imports)]
use crate::types;

///The `withoutOwner` example of `create_contact`: Create contact with default owner.
pub fn create_contact_without_owner() -> types::CreateContactRequest {
    types::CreateContactRequest {
        contact: types::NewContact {
            company: Some("Acme Corp".to_owned()),
            email: Some("john@example.com".to_owned()),
            first_name: Some("John".to_owned()),
            last_name: Some("Doe".to_owned()),
            location: Some("San Francisco, CA".to_owned()),
            phone_number: Some("+15551234567".to_owned()),
            title: Some("CEO".to_owned()),
        },
        user_email: None,
    }
}

///The `withOwner` example of `create_contact`: Create contact with specific owner.
pub fn create_contact_with_owner() -> types::CreateContactRequest {
    types::CreateContactRequest {
        contact: types::NewContact {
            company: Some("Acme Corp".to_owned()),
            email: Some("john@example.com".to_owned()),
            first_name: Some("John".to_owned()),
            last_name: Some("Doe".to_owned()),
            location: Some("San Francisco, CA".to_owned()),
            phone_number: Some("+15551234567".to_owned()),
            title: Some("CEO".to_owned()),
        },
        user_email: Some("owner@company.com".to_owned()),
    }
}

/// The example named `name` of the operation method `operation`, built with the
/// typed API and serialized; `None` when there is no such example.
#[allow(clippy::match_single_binding, reason = "a spec may have no request examples")]
pub fn to_json(
    operation: &str,
    name: &str,
) -> Option<Result<serde_json::Value, serde_json::Error>> {
    match (operation, name) {
        ("create_contact", "withoutOwner") => {
            Some(serde_json::to_value(create_contact_without_owner()))
        }
        ("create_contact", "withOwner") => {
            Some(serde_json::to_value(create_contact_with_owner()))
        }
        _ => None,
    }
}

/// Parses `value` as the generated type of the component schema `schema` and
/// serializes it again; `None` when the schema has no generated type. Every
/// example of the spec must come back as it went in.
#[allow(clippy::match_single_binding, reason = "a spec may have no component schemas")]
pub fn reserialize(
    schema: &str,
    value: serde_json::Value,
) -> Option<Result<serde_json::Value, serde_json::Error>> {
    match (schema, value) {
        ("CreateContactRequest", value) => {
            Some(
                serde_json::from_value::<types::CreateContactRequest>(value)
                    .and_then(serde_json::to_value),
            )
        }
        ("NewContact", value) => {
            Some(
                serde_json::from_value::<types::NewContact>(value)
                    .and_then(serde_json::to_value),
            )
        }
        ("CreateContactResponse", value) => {
            Some(
                serde_json::from_value::<types::CreateContactResponse>(value)
                    .and_then(serde_json::to_value),
            )
        }
        ("Contact", value) => {
            Some(
                serde_json::from_value::<types::Contact>(value)
                    .and_then(serde_json::to_value),
            )
        }
        ("ContactOwner", value) => {
            Some(
                serde_json::from_value::<types::ContactOwner>(value)
                    .and_then(serde_json::to_value),
            )
        }
        ("StandardError", value) => {
            Some(
                serde_json::from_value::<types::StandardError>(value)
                    .and_then(serde_json::to_value),
            )
        }
        _ => None,
    }
}
