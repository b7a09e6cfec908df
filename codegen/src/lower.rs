//! Lower stage: turns a validated document into the intermediate representation
//! ([`crate::ir::Api`]), reading what the backend cannot (authentication, rules, error
//! codes, examples) and preparing the document that the backend reads.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme, StatusCode};
use serde_json::{Map, Value};

use crate::error::{Pointer, Problem, Problems};
use crate::ir::{
    Api, ApiKeyAuth, AtLeastOneRule, ErrorModel, Operation, PagedList, ParameterBounds,
    ParameterDefault, RequestExample,
};

/// The component name under which the error code's open enum is handed to the backend.
pub const ERROR_CODE_SCHEMA: &str = "ErrorCode";

/// The extension that marks the property of the error schema holding the error code.
const ERROR_CODE_EXTENSION: &str = "x-error-code";

const JSON: &str = "application/json";

/// Lowers `spec` (the typed form of `document`) into the intermediate representation.
pub fn lower(document: &Value, spec: &OpenAPI) -> Result<Api, Vec<Problem>> {
    let mut problems = Problems::default();
    let mut backend = document.clone();

    let auth = lower_auth(spec, &mut problems);
    let operations = lower_operations(document, spec, auth.as_ref());
    let rules = take_rules(&mut backend, &mut problems);
    let error = lower_error(document, spec, &mut problems);
    if let Some(property) = error
        .as_ref()
        .and_then(|error| error.code_property.as_ref().map(|p| (&error.schema, p)))
    {
        point_error_code_at_enum(&mut backend, property.0, property.1, &mut problems);
    }
    let request_examples = lower_request_examples(spec, &operations, &mut problems);

    let backend = match serde_json::from_value(backend) {
        Ok(backend) => backend,
        Err(error) => {
            problems.push(Problem::new(
                "#",
                format!("the rewritten document does not parse: {error}"),
            ));
            return Err(problems.finish(()).unwrap_err());
        }
    };
    let api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        default_server: spec
            .servers
            .first()
            .map(|server| server.url.trim_end_matches('/').to_owned()),
        auth,
        operations,
        error,
        rules,
        request_examples,
        uses_date_time: uses_date_time(document),
        backend,
    };
    problems.finish(api)
}

/// The API key scheme that the document's operations use, if any. One scheme is
/// supported; validation has already refused schemes that are not header API keys.
fn lower_auth(spec: &OpenAPI, problems: &mut Problems) -> Option<ApiKeyAuth> {
    let components = spec.components.as_ref()?;
    let mut used = Vec::new();
    for requirement in spec.security.iter().flatten().chain(
        spec.operations()
            .flat_map(|(_, _, operation)| operation.security.iter().flatten()),
    ) {
        for name in requirement.keys() {
            if !used.contains(name) {
                used.push(name.clone());
            }
        }
    }
    if used.len() > 1 {
        problems.push(Problem::unsupported(
            "#/components/securitySchemes",
            format!(
                "operations using several security schemes ({})",
                used.join(", ")
            ),
        ));
    }
    let scheme = used.into_iter().next()?;
    let at = Pointer::root()
        .join("components")
        .join("securitySchemes")
        .join(&scheme);
    match components.security_schemes.get(&scheme) {
        Some(ReferenceOr::Item(SecurityScheme::APIKey { name, .. })) => Some(ApiKeyAuth {
            scheme,
            header: name.clone(),
            env_var: env_var_for_header(name),
        }),
        Some(_) => None,
        None => {
            problems.push(Problem::new(
                at,
                "security scheme used by an operation is not declared",
            ));
            None
        }
    }
}

/// `X-LINQ-INTEGRATION-TOKEN` becomes `LINQ_INTEGRATION_TOKEN`.
fn env_var_for_header(header: &str) -> String {
    let name = header
        .strip_prefix("X-")
        .or_else(|| header.strip_prefix("x-"))
        .unwrap_or(header);
    name.to_snake_case().to_uppercase()
}

fn lower_operations(document: &Value, spec: &OpenAPI, auth: Option<&ApiKeyAuth>) -> Vec<Operation> {
    spec.operations()
        .filter_map(|(path, method, operation)| {
            let id = operation.operation_id.clone()?;
            let requirements = operation.security.as_ref().or(spec.security.as_ref());
            let authenticated = match (auth, requirements) {
                (Some(auth), Some(requirements)) => requirements
                    .iter()
                    .any(|r: &SecurityRequirement| r.contains_key(&auth.scheme)),
                _ => false,
            };
            Some(Operation {
                method_name: crate::names::method(&id),
                id,
                http_method: method.to_uppercase(),
                path: path.to_owned(),
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                body_schema: operation
                    .request_body
                    .as_ref()
                    .and_then(|body| resolve_request_body(spec, body))
                    .and_then(|body| body.content.get(JSON))
                    .and_then(|media| media.schema.as_ref())
                    .and_then(component_name),
                authenticated,
                bounds: parameter_bounds(document, path, method),
                defaults: parameter_defaults(document, path, method),
                pages: paged_list(document, path, method),
            })
        })
        .collect()
}

/// The node `node` stands for: followed through `$ref`s and through an `allOf` of one
/// schema (the way a `$ref` gets a description beside it).
fn resolved<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Pointer::from_ref)
        {
            match target.resolve(document) {
                Some(next) => node = next,
                None => return node,
            }
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            return node;
        }
    }
    node
}

/// The parameters of an operation, the path item's first, the operation's replacing any
/// of the same name and place.
fn parameters<'a>(document: &'a Value, path: &str, method: &str) -> Vec<&'a Value> {
    let item = Pointer::root().join("paths").join(path);
    let mut found: Vec<&Value> = Vec::new();
    for list in [
        item.join("parameters"),
        item.join(method).join("parameters"),
    ] {
        for parameter in list
            .resolve(document)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = resolved(document, parameter);
            let key = (parameter.get("name"), parameter.get("in"));
            found.retain(|other| (other.get("name"), other.get("in")) != key);
            found.push(parameter);
        }
    }
    found
}

fn parameter_bounds(document: &Value, path: &str, method: &str) -> Vec<ParameterBounds> {
    parameters(document, path, method)
        .into_iter()
        .filter_map(|parameter| {
            let name = parameter.get("name")?.as_str()?.to_owned();
            let schema = parameter.get("schema")?;
            let is_number = matches!(
                schema.get("type").and_then(Value::as_str),
                Some("integer" | "number")
            );
            if schema.get("$ref").is_some() || !is_number {
                return None;
            }
            let number = |key| schema.get(key).and_then(Value::as_f64);
            let flag = |key| schema.get(key) == Some(&Value::Bool(true));
            let bounds = ParameterBounds {
                name,
                minimum: number("minimum"),
                maximum: number("maximum"),
                exclusive_minimum: flag("exclusiveMinimum"),
                exclusive_maximum: flag("exclusiveMaximum"),
            };
            (bounds.minimum.is_some() || bounds.maximum.is_some()).then_some(bounds)
        })
        .collect()
}

fn parameter_defaults(document: &Value, path: &str, method: &str) -> Vec<ParameterDefault> {
    parameters(document, path, method)
        .into_iter()
        .filter_map(|parameter| {
            let name = parameter.get("name")?.as_str()?.to_owned();
            let schema = parameter.get("schema")?;
            let required = parameter.get("required") == Some(&Value::Bool(true));
            let scalar = matches!(
                schema.get("type").and_then(Value::as_str),
                Some("integer" | "number" | "boolean" | "string")
            );
            if required || !scalar || schema.get("$ref").is_some() || schema.get("enum").is_some() {
                return None;
            }
            let value = schema.get("default")?.clone();
            Some(ParameterDefault { name, value })
        })
        .collect()
}

/// A GET with `page` and `per_page` query parameters whose success response holds one
/// required array of items and a required `pagination` object with a required integer
/// `total_pages`.
fn paged_list(document: &Value, path: &str, method: &str) -> Option<PagedList> {
    if method != "get" {
        return None;
    }
    let parameters = parameters(document, path, method);
    let has_query = |wanted: &str| {
        parameters.iter().any(|p| {
            p.get("name").and_then(Value::as_str) == Some(wanted)
                && p.get("in").and_then(Value::as_str) == Some("query")
        })
    };
    if !has_query("page") || !has_query("per_page") {
        return None;
    }
    let responses = Pointer::root()
        .join("paths")
        .join(path)
        .join(method)
        .join("responses");
    let response = ["200", "2XX"]
        .iter()
        .find_map(|status| responses.join(status).resolve(document))?;
    let schema = resolved(
        document,
        resolved(document, response).pointer("/content/application~1json/schema")?,
    );
    let required = |schema: &Value, name: &str| {
        schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|item| item == name))
    };
    let properties = schema.get("properties")?.as_object()?;
    let pagination = resolved(document, properties.get("pagination")?);
    let total_pages = resolved(document, pagination.pointer("/properties/total_pages")?);
    if !required(schema, "pagination")
        || !required(pagination, "total_pages")
        || total_pages.get("type")? != "integer"
    {
        return None;
    }
    let mut arrays = properties.iter().filter(|(name, property)| {
        resolved(document, property).get("type") == Some(&Value::from("array"))
            && required(schema, name)
    });
    let (items, _) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(PagedList {
        items: items.clone(),
        pagination: "pagination".to_owned(),
        total_pages: "total_pages".to_owned(),
    })
}

fn resolve_request_body<'a>(
    spec: &'a OpenAPI,
    body: &'a ReferenceOr<openapiv3::RequestBody>,
) -> Option<&'a openapiv3::RequestBody> {
    match body {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            spec.components
                .as_ref()?
                .request_bodies
                .get(name)?
                .as_item()
        }
    }
}

/// The component name a schema refers to, if it is a `$ref` to one.
fn component_name<T>(schema: &ReferenceOr<T>) -> Option<String> {
    match schema {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        ReferenceOr::Item(_) => None,
    }
}

/// Finds the at-least-one rules in the component schemas and takes them out of the
/// backend's copy. The same shape anywhere else would reach the backend, so it is refused.
fn take_rules(backend: &mut Value, problems: &mut Problems) -> Vec<AtLeastOneRule> {
    let mut rules = Vec::new();
    let Some(schemas) = backend
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return rules;
    };
    for (name, schema) in schemas.iter_mut() {
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        let Some(properties) = at_least_one_of(schema) else {
            continue;
        };
        let known = schema.get("properties").and_then(Value::as_object);
        for property in &properties {
            if !known.is_some_and(|known| known.contains_key(property)) {
                problems.push(Problem::new(
                    at.join("anyOf"),
                    format!("`{property}` is required by an `anyOf` branch but is not a property of `{name}`"),
                ));
            }
        }
        if let Some(schema) = schema.as_object_mut() {
            schema.remove("anyOf");
        }
        rules.push(AtLeastOneRule {
            schema: name.clone(),
            properties,
            pointer: at.join("anyOf").into(),
        });
    }
    for (at, _) in find_nodes(backend, &Pointer::root(), &|node| {
        at_least_one_of(node).is_some()
    }) {
        problems.push(Problem::unsupported(
            at.join("anyOf"),
            "an `anyOf` of `required` sets outside a top-level component schema",
        ));
    }
    rules
}

/// The properties of an `anyOf` whose branches each only say `required: [one]`.
fn at_least_one_of(schema: &Value) -> Option<Vec<String>> {
    let branches = schema.get("anyOf")?.as_array()?;
    let mut properties = Vec::new();
    for branch in branches {
        let branch = branch.as_object()?;
        if branch.len() != 1 {
            return None;
        }
        for name in branch.get("required")?.as_array()? {
            properties.push(name.as_str()?.to_owned());
        }
    }
    (!properties.is_empty()).then_some(properties)
}

/// Every node under `node` for which `matches` holds, with its pointer.
fn find_nodes<'a>(
    node: &'a Value,
    at: &Pointer,
    matches: &dyn Fn(&Value) -> bool,
) -> Vec<(Pointer, &'a Value)> {
    let mut found = Vec::new();
    if matches(node) {
        found.push((at.clone(), node));
    }
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                found.extend(find_nodes(child, &at.join(key), matches));
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                found.extend(find_nodes(child, &at.join(index), matches));
            }
        }
        _ => {}
    }
    found
}

/// The error responses (4xx, 5xx and `default`) must share one component schema; its
/// code property and the codes its examples document make the typed error code.
fn lower_error(document: &Value, spec: &OpenAPI, problems: &mut Problems) -> Option<ErrorModel> {
    let mut schema: Option<(String, Pointer)> = None;
    let mut examples = Vec::new();
    for (path, method, operation) in spec.operations() {
        for (status, response) in &operation.responses.responses {
            let is_error = matches!(status, StatusCode::Code(code) if *code >= 400)
                || matches!(status, StatusCode::Range(range) if *range >= 4);
            if is_error {
                let at = Pointer::root()
                    .join("paths")
                    .join(path)
                    .join(method)
                    .join("responses")
                    .join(status);
                examples.extend(error_response(spec, response, &at, &mut schema, problems));
            }
        }
        if let Some(response) = &operation.responses.default {
            let at = Pointer::root()
                .join("paths")
                .join(path)
                .join(method)
                .join("responses")
                .join("default");
            examples.extend(error_response(spec, response, &at, &mut schema, problems));
        }
    }
    let (schema, _) = schema?;

    let schema_at = Pointer::root()
        .join("components")
        .join("schemas")
        .join(&schema);
    let code_property = schema_at
        .join("properties")
        .resolve(document)
        .and_then(Value::as_object)
        .and_then(|properties| {
            properties
                .iter()
                .find(|(_, property)| {
                    property.get(ERROR_CODE_EXTENSION) == Some(&Value::Bool(true))
                })
                .map(|(name, _)| name.clone())
        });
    let mut codes: Vec<String> = Vec::new();
    if let Some(property) = &code_property {
        for (at, example) in examples {
            match example.get(property) {
                Some(Value::String(code)) if !codes.contains(code) => codes.push(code.clone()),
                Some(Value::String(_)) => {}
                _ => problems.push(Problem::new(
                    at,
                    format!("error example has no string `{property}`"),
                )),
            }
        }
    }
    let message_property = schema_at.resolve(document).and_then(|schema| {
        let required = schema.get("required")?.as_array()?;
        let is_text = schema.pointer("/properties/message/type")? == "string";
        (is_text && required.iter().any(|name| name == "message")).then(|| "message".to_owned())
    });
    Some(ErrorModel {
        schema,
        code_property,
        message_property,
        codes,
    })
}

/// Checks one error response's schema against the others and returns its examples.
fn error_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
    at: &Pointer,
    schema: &mut Option<(String, Pointer)>,
    problems: &mut Problems,
) -> Vec<(Pointer, &'a Value)> {
    let response = match response {
        ReferenceOr::Item(response) => response,
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/responses/")
                .and_then(|name| spec.components.as_ref()?.responses.get(name)?.as_item());
            match found {
                Some(response) => response,
                None => return Vec::new(),
            }
        }
    };
    let Some(media) = response.content.get(JSON) else {
        return Vec::new();
    };
    let at = at.join("content").join(JSON);
    let Some(name) = media.schema.as_ref().and_then(component_name) else {
        problems.push(Problem::unsupported(
            at.join("schema"),
            "an error response whose schema is not a `$ref` to a component schema",
        ));
        return Vec::new();
    };
    match schema {
        Some((first, first_at)) if *first != name => {
            problems.push(Problem::unsupported(
                at.join("schema"),
                format!("error responses with different schemas (`{name}` here, `{first}` at {first_at})"),
            ));
        }
        Some(_) => {}
        None => *schema = Some((name, at.join("schema"))),
    }
    media_examples(spec, media, &at)
        .into_iter()
        .map(|(_, _, value, at)| (at, value))
        .collect()
}

/// The examples of a media type: `(name, summary, value, pointer)`, with `example` named
/// `example` and `$ref`s to `components/examples` followed.
fn media_examples<'a>(
    spec: &'a OpenAPI,
    media: &'a openapiv3::MediaType,
    at: &Pointer,
) -> Vec<(String, Option<String>, &'a Value, Pointer)> {
    let mut found = Vec::new();
    if let Some(value) = &media.example {
        found.push(("example".to_owned(), None, value, at.join("example")));
    }
    for (name, example) in &media.examples {
        let (example, example_at) = match example {
            ReferenceOr::Item(example) => (Some(example), at.join("examples").join(name)),
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix("#/components/examples/");
                let example = target
                    .and_then(|target| spec.components.as_ref()?.examples.get(target)?.as_item());
                (
                    example,
                    Pointer::from_ref(reference).unwrap_or_else(Pointer::root),
                )
            }
        };
        if let Some(value) = example.and_then(|example| example.value.as_ref()) {
            let summary = example.and_then(|example| example.summary.clone());
            found.push((name.clone(), summary, value, example_at.join("value")));
        }
    }
    found
}

/// Points the error code property at a named schema, so that the backend emits the type
/// that the emitted open enum stands in for.
fn point_error_code_at_enum(
    backend: &mut Value,
    schema: &str,
    property: &str,
    problems: &mut Problems,
) {
    let Some(schemas) = backend
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if schemas.contains_key(ERROR_CODE_SCHEMA) {
        problems.push(Problem::unsupported(
            Pointer::root().join("components").join("schemas").join(ERROR_CODE_SCHEMA),
            format!("a component schema named `{ERROR_CODE_SCHEMA}` beside an `{ERROR_CODE_EXTENSION}` property"),
        ));
        return;
    }
    let mut enum_schema = Map::new();
    enum_schema.insert("type".into(), "string".into());
    schemas.insert(ERROR_CODE_SCHEMA.into(), Value::Object(enum_schema));
    let reference = format!("#/components/schemas/{ERROR_CODE_SCHEMA}");
    if let Some(slot) = schemas
        .get_mut(schema)
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut(property))
    {
        // `allOf` around the `$ref` keeps the property's description, which a `$ref`
        // beside it would hide.
        let description = slot.get("description").cloned().unwrap_or(Value::Null);
        *slot = serde_json::json!({"description": description, "allOf": [{"$ref": reference}]});
    }
}

fn lower_request_examples(
    spec: &OpenAPI,
    operations: &[Operation],
    problems: &mut Problems,
) -> Vec<RequestExample> {
    let mut examples = Vec::new();
    for ((path, method, operation), lowered) in spec.operations().zip(operations) {
        let Some(ReferenceOr::Item(body)) = &operation.request_body else {
            continue;
        };
        let Some(media) = body.content.get(JSON) else {
            continue;
        };
        let at = Pointer::root()
            .join("paths")
            .join(path)
            .join(method)
            .join("requestBody")
            .join("content")
            .join(JSON);
        let found = media_examples(spec, media, &at);
        if found.is_empty() {
            continue;
        }
        let Some(schema) = lowered.body_schema.clone() else {
            problems.push(Problem::unsupported(
                at.join("schema"),
                "request examples for a body whose schema is not a `$ref` to a component schema",
            ));
            continue;
        };
        for (name, summary, value, pointer) in found {
            examples.push(RequestExample {
                method_name: lowered.method_name.clone(),
                name,
                summary,
                schema: schema.clone(),
                value: value.clone(),
                pointer: pointer.into(),
            });
        }
    }
    examples
}

fn uses_date_time(document: &Value) -> bool {
    !find_nodes(document, &Pointer::root(), &|node| {
        node.get("format") == Some(&Value::from("date-time"))
    })
    .is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_yaml(yaml: &str) -> Result<Api, Vec<String>> {
        let document: Value = serde_yaml::from_str(yaml).unwrap();
        let spec = crate::validate::validate(&document).unwrap();
        lower(&document, &spec)
            .map_err(|problems| problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn env_var_comes_from_the_header_name() {
        assert_eq!(
            env_var_for_header("X-LINQ-INTEGRATION-TOKEN"),
            "LINQ_INTEGRATION_TOKEN"
        );
        assert_eq!(env_var_for_header("Api-Key"), "API_KEY");
    }

    #[test]
    fn at_least_one_rule_is_read_and_taken_out() {
        let api = lower_yaml(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    P:\n      type: object\n      anyOf: [{required: [a]}, {required: [b]}]\n      properties: {a: {type: string}, b: {type: string}}\n",
        )
        .unwrap();
        assert_eq!(api.rules.len(), 1);
        assert_eq!(api.rules[0].properties, ["a", "b"]);
        assert_eq!(api.rules[0].pointer, "#/components/schemas/P/anyOf");
        let backend = serde_json::to_value(&api.backend).unwrap();
        assert!(backend["components"]["schemas"]["P"].get("anyOf").is_none());
    }

    #[test]
    fn rule_naming_an_unknown_property_is_refused() {
        let problems = lower_yaml(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    P:\n      type: object\n      anyOf: [{required: [a]}, {required: [c]}]\n      properties: {a: {type: string}}\n",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "#/components/schemas/P/anyOf: `c` is required by an `anyOf` branch but is not a property of `P`"
            ]
        );
    }

    #[test]
    fn inline_at_least_one_rule_is_unsupported() {
        let problems = lower_yaml(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    P:\n      type: object\n      properties:\n        inner: {type: object, anyOf: [{required: [a]}], properties: {a: {type: string}}}\n",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "#/components/schemas/P/properties/inner/anyOf: not supported: an `anyOf` of `required` sets outside a top-level component schema"
            ]
        );
    }

    #[test]
    fn different_error_schemas_are_unsupported() {
        let problems = lower_yaml(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '404': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E1'}}}}\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '422': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E2'}}}}\ncomponents:\n  schemas:\n    E1: {type: object}\n    E2: {type: object}\n",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "#/paths/~1b/get/responses/422/content/application~1json/schema: not supported: error responses with different schemas (`E2` here, `E1` at #/paths/~1a/get/responses/404/content/application~1json/schema)"
            ]
        );
    }
}
