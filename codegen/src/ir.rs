//! The intermediate representation between the spec and the emitted code: what the
//! generated crate must do, in the generator's own terms. Emission reads only this.

use openapiv3::OpenAPI;
use serde_json::Value;

/// Everything the emit stage needs to know about an API.
#[derive(Debug, Clone)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.description`.
    pub description: Option<String>,
    /// The first server's URL, the client's default base URL.
    pub default_server: Option<String>,
    /// How requests authenticate, when the spec declares a scheme.
    pub auth: Option<ApiKeyAuth>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The body of the documented error responses, when they share one schema.
    pub error: Option<ErrorModel>,
    /// Rules stated in the spec that the generated types cannot express.
    pub rules: Vec<AtLeastOneRule>,
    /// The request examples, to be emitted as code that builds them with the typed API.
    pub request_examples: Vec<RequestExample>,
    /// Whether any schema uses `format: date-time`.
    pub uses_date_time: bool,
    /// The document as the backend reads it: the rules taken out of the schemas (the
    /// backend would turn them into wrong types) and the error code pointed at a named
    /// schema that the emitted open enum replaces.
    pub backend: OpenAPI,
}

/// An API key that the client sends in a request header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyAuth {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// The header that carries the key.
    pub header: String,
    /// The environment variable the client reads the key from when none is given:
    /// the header's name in upper snake case without an `X-` prefix.
    pub env_var: String,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// The name of the client method, in snake case.
    pub method_name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template.
    pub path: String,
    /// The one-line summary.
    pub summary: Option<String>,
    /// The longer description.
    pub description: Option<String>,
    /// The schema of a JSON request body, by component name.
    pub body_schema: Option<String>,
    /// Whether the API key is sent with this operation.
    pub authenticated: bool,
    /// The bounds the spec puts on parameters, checked before the request is sent.
    pub bounds: Vec<ParameterBounds>,
    /// The defaults of optional parameters, sent when the caller gives none.
    pub defaults: Vec<ParameterDefault>,
    /// How to walk the pages of a page-numbered list, when the operation is one.
    pub pages: Option<PagedList>,
}

/// The bounds on a number parameter's value. (A parameter whose schema is a named
/// component gets a type that checks its own constraints when it is made.)
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterBounds {
    /// The parameter's name in the API.
    pub name: String,
    /// The least value allowed.
    pub minimum: Option<f64>,
    /// The greatest value allowed.
    pub maximum: Option<f64>,
    /// Whether the value must be above `minimum` rather than at least it.
    pub exclusive_minimum: bool,
    /// Whether the value must be below `maximum` rather than at most it.
    pub exclusive_maximum: bool,
}

/// The default of an optional parameter whose schema is an inline number, integer,
/// boolean or string (without `enum`).
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterDefault {
    /// The parameter's name in the API.
    pub name: String,
    /// The default value.
    pub value: serde_json::Value,
}

/// A list split in numbered pages: a `page` query parameter, and a response holding the
/// page's items and a pagination object that gives the number of pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedList {
    /// The response property holding the page's items.
    pub items: String,
    /// The response property holding the pagination object.
    pub pagination: String,
    /// The pagination object's property holding the number of pages.
    pub total_pages: String,
}

/// The schema of the documented error responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorModel {
    /// The component schema's name.
    pub schema: String,
    /// The property holding the machine-readable code, marked `x-error-code: true`.
    pub code_property: Option<String>,
    /// The required string property named `message`, shown in the error's message.
    pub message_property: Option<String>,
    /// The codes the error examples document, in first-seen order.
    pub codes: Vec<String>,
}

/// "At least one of these properties is present": an `anyOf` whose branches each only
/// list `required` properties, taken out of the schema because the backend would turn
/// it into an untagged enum that loses fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtLeastOneRule {
    /// The component schema the rule belongs to.
    pub schema: String,
    /// The properties, by their names in the API.
    pub properties: Vec<String>,
    /// Where the rule is stated.
    pub pointer: String,
}

/// A documented request example.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestExample {
    /// The operation's method name.
    pub method_name: String,
    /// The example's name in the spec.
    pub name: String,
    /// The example's summary.
    pub summary: Option<String>,
    /// The body schema, by component name.
    pub schema: String,
    /// The example value.
    pub value: Value,
    /// Where the value is in the spec.
    pub pointer: String,
}
