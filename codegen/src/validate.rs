//! Validate stage: checks a loaded document before anything is generated from it, and
//! reports every problem at once, each with its JSON pointer.
//!
//! The checks here are the ones whose failure would otherwise surface later as wrong code
//! or as a failure deep inside the backend: the OpenAPI version, `$ref`s that do not
//! resolve or only point at each other, the shape of the document, operation ids, path
//! parameters and security schemes.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr, SecurityScheme};
use serde_json::Value;

use crate::error::{Pointer, Problem, Problems};

/// Checks `document` and returns it as a typed OpenAPI document.
pub fn validate(document: &Value) -> Result<OpenAPI, Vec<Problem>> {
    let mut problems = Problems::default();

    // A 3.1 document may parse as 3.0 and mean something else, so the version is checked
    // before anything else is read.
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => problems.push(Problem::unsupported(
            "#/openapi",
            format!("OpenAPI {version}; only 3.0.x documents are read"),
        )),
        None => problems.push(Problem::new(
            "#/openapi",
            "expected the OpenAPI version string",
        )),
    }
    check_refs(document, &Pointer::root(), document, &mut problems);
    check_types(document, &Pointer::root(), &mut problems);
    problems.finish(())?;

    let spec = parse_typed(document)?;

    let mut problems = Problems::default();
    check_operations(&spec, &mut problems);
    check_responses(&spec, &mut problems);
    check_examples(document, &mut problems);
    check_security(&spec, &mut problems);
    check_names(document, &mut problems);
    problems.finish(spec)
}

/// Parses the document into the typed model, naming the node that does not fit.
///
/// The typed model flattens some maps, which hides the path of an error inside them; so
/// when the whole document fails, the parts where that happens (path items, operations
/// and components) are parsed one by one to find the node.
fn parse_typed(document: &Value) -> Result<OpenAPI, Vec<Problem>> {
    let whole = match parse_at::<OpenAPI>(document, &Pointer::root()) {
        Ok(spec) => return Ok(spec),
        Err(problem) => problem,
    };
    let mut problems = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = Pointer::root().join("paths").join(path);
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        for (method, operation) in item.as_object().into_iter().flatten() {
            if methods.contains(&method.as_str()) {
                problems
                    .extend(parse_at::<openapiv3::Operation>(operation, &at.join(method)).err());
            }
        }
        if problems.is_empty() {
            problems.extend(parse_at::<ReferenceOr<openapiv3::PathItem>>(item, &at).err());
        }
    }
    let components = Pointer::root().join("components");
    for (kind, entries) in document
        .get("components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (name, node) in entries.as_object().into_iter().flatten() {
            let at = components.join(kind).join(name);
            let problem = match kind.as_str() {
                "schemas" => parse_at::<ReferenceOr<openapiv3::Schema>>(node, &at).err(),
                "responses" => parse_at::<ReferenceOr<openapiv3::Response>>(node, &at).err(),
                "parameters" => parse_at::<ReferenceOr<Parameter>>(node, &at).err(),
                "requestBodies" => parse_at::<ReferenceOr<openapiv3::RequestBody>>(node, &at).err(),
                "securitySchemes" => parse_at::<ReferenceOr<SecurityScheme>>(node, &at).err(),
                _ => None,
            };
            problems.extend(problem);
        }
    }
    if problems.is_empty() {
        problems.push(whole);
    }
    Err(problems)
}

fn parse_at<T: serde::de::DeserializeOwned>(node: &Value, at: &Pointer) -> Result<T, Problem> {
    serde_path_to_error::deserialize(node).map_err(|error| {
        let pointer = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .fold(at.clone(), |pointer, segment| pointer.join(segment));
        Problem::new(
            pointer,
            format!("not a valid OpenAPI 3.0 node: {}", error.inner()),
        )
    })
}

/// Every `$ref` must be local, resolve, and not lead to a loop of references.
fn check_refs(node: &Value, at: &Pointer, document: &Value, problems: &mut Problems) {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                check_ref(reference, &at.join("$ref"), document, problems);
            }
            for (key, child) in map {
                check_refs(child, &at.join(key), document, problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_refs(child, &at.join(index), document, problems);
            }
        }
        _ => {}
    }
}

/// Keys under which a node is data or another kind of object, not a schema, so that a
/// `type` there is not a schema type.
const NOT_SCHEMAS: &[&str] = &["example", "examples", "default", "enum", "securitySchemes"];

/// Every schema `type` must be one of OpenAPI 3.0's six.
fn check_types(node: &Value, at: &Pointer, problems: &mut Problems) {
    const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
    match node {
        Value::Object(map) => {
            if let Some(typ) = map.get("type")
                && !typ.as_str().is_some_and(|typ| TYPES.contains(&typ))
            {
                problems.push(Problem::new(
                    at.join("type"),
                    format!(
                        "unknown schema type {typ}; expected one of {}",
                        TYPES.join(", ")
                    ),
                ));
            }
            for (key, child) in map {
                if NOT_SCHEMAS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                // Maps from names to schemas: a property named `type` is not a type.
                match (key.as_str(), child) {
                    ("properties" | "schemas", Value::Object(named)) => {
                        for (name, schema) in named {
                            check_types(schema, &at.join(key).join(name), problems);
                        }
                    }
                    _ => check_types(child, &at.join(key), problems),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_types(child, &at.join(index), problems);
            }
        }
        _ => {}
    }
}

fn check_ref(reference: &Value, at: &Pointer, document: &Value, problems: &mut Problems) {
    let Some(text) = reference.as_str() else {
        problems.push(Problem::new(at.clone(), "expected `$ref` to be a string"));
        return;
    };
    let Some(mut target) = Pointer::from_ref(text) else {
        problems.push(Problem::unsupported(
            at.clone(),
            format!("`$ref` to `{text}`; only references inside the document are read"),
        ));
        return;
    };

    // A reference may point at another reference; the chain must end at a real node.
    let mut seen = BTreeSet::new();
    loop {
        if !seen.insert(target.as_str().to_owned()) {
            problems.push(Problem::new(
                at.clone(),
                format!("`$ref` `{text}` is a cycle of references"),
            ));
            return;
        }
        let Some(node) = target.resolve(document) else {
            problems.push(Problem::new(
                at.clone(),
                format!("`$ref` `{text}` does not resolve: nothing at `{target}`"),
            ));
            return;
        };
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Pointer::from_ref)
        {
            Some(next) => target = next,
            None => return,
        }
    }
}

/// Names that differ in the spec may become one Rust name (`new_contact` and
/// `NewContact`, `phone-number` and `phone_number`); the generated code could then hold
/// only one of them.
fn check_names(document: &Value, problems: &mut Problems) {
    let schemas_at = Pointer::root().join("components").join("schemas");
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut types: BTreeMap<String, &str> = BTreeMap::new();
    for (name, schema) in schemas {
        let rust = crate::names::type_name(name);
        match types.get(&rust) {
            Some(first) => problems.push(Problem::new(
                schemas_at.join(name),
                format!("schema `{name}` becomes the type `{rust}`, like `{first}`"),
            )),
            None => {
                types.insert(rust, name);
            }
        }
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        for property in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(property, _)| property)
        {
            let rust = crate::names::field(property);
            match fields.get(&rust) {
                Some(first) => problems.push(Problem::new(
                    schemas_at.join(name).join("properties").join(property),
                    format!("property `{property}` becomes the field `{rust}`, like `{first}`"),
                )),
                None => {
                    fields.insert(rust, property);
                }
            }
        }
    }
}

fn check_operations(spec: &OpenAPI, problems: &mut Problems) {
    let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
    let mut method_names: BTreeMap<String, (String, Pointer)> = BTreeMap::new();

    for (path, item) in &spec.paths.paths {
        let path_at = Pointer::root().join("paths").join(path);
        let ReferenceOr::Item(item) = item else {
            problems.push(Problem::unsupported(path_at, "a path item given by `$ref`"));
            continue;
        };
        for (method, operation) in item.iter() {
            let at = path_at.join(method);
            match &operation.operation_id {
                None => problems.push(Problem::new(at.clone(), "missing `operationId`")),
                Some(id) => {
                    if let Some(first) = ids.get(id) {
                        problems.push(Problem::new(
                            at.join("operationId"),
                            format!("duplicate operationId `{id}`, first used at {first}"),
                        ));
                    } else {
                        ids.insert(id.clone(), at.clone());
                        let name = crate::names::method(id);
                        if let Some((other, first)) = method_names.get(&name) {
                            problems.push(Problem::new(
                                at.join("operationId"),
                                format!(
                                    "operationId `{id}` becomes the method `{name}`, like `{other}` at {first}"
                                ),
                            ));
                        } else {
                            method_names.insert(name, (id.clone(), at.clone()));
                        }
                    }
                }
            }
            let parameters = item.parameters.iter().chain(&operation.parameters);
            check_path_parameters(spec, path, parameters, &at, problems);
        }
    }
}

/// Every example must be valid against its schema: the examples of request and response
/// bodies, and the `example` of each component schema and of its properties. The check
/// uses a JSON Schema validator on the schemas translated from OpenAPI 3.0's dialect.
fn check_examples(document: &Value, problems: &mut Problems) {
    let components = document
        .get("components")
        .map(to_json_schema)
        .unwrap_or(Value::Null);
    let check = |schema: &Value, example: &Value, at: &Pointer, problems: &mut Problems| {
        let mut root = to_json_schema(schema);
        if let Value::Object(map) = &mut root {
            // `$ref`s point into the document's components; carry along those the schema
            // reaches (all of them would make a spec whose every schema has an example
            // take time quadratic in its size).
            map.insert(
                "components".to_owned(),
                reachable_components(schema, &components),
            );
        }
        let validator = match jsonschema::draft4::options().build(&root) {
            Ok(validator) => validator,
            Err(error) => {
                problems.push(Problem::new(
                    at.clone(),
                    format!("cannot check the example: its schema is not valid: {error}"),
                ));
                return;
            }
        };
        for error in validator.iter_errors(example) {
            let pointer = at.extend(error.instance_path().as_str());
            problems.push(Problem::new(
                pointer,
                format!("example does not match its schema: {error}"),
            ));
        }
    };

    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let at = Pointer::root().join("paths").join(path).join(method);
            let mut bodies = vec![(at.join("requestBody"), operation.get("requestBody"))];
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                bodies.push((at.join("responses").join(status), Some(response)));
            }
            for (body_at, body) in bodies {
                let Some(content) = body
                    .and_then(|body| body.get("content"))
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (media_type, media) in content {
                    let Some(schema) = media.get("schema") else {
                        continue;
                    };
                    let media_at = body_at.join("content").join(media_type);
                    if let Some(example) = media.get("example") {
                        check(schema, example, &media_at.join("example"), problems);
                    }
                    for (name, example) in media
                        .get("examples")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        // A `$ref` to components/examples is checked where it points.
                        if let Some(value) = example.get("value") {
                            check(
                                schema,
                                value,
                                &media_at.join("examples").join(name).join("value"),
                                problems,
                            );
                        }
                    }
                }
            }
        }
    }

    let schemas = Pointer::root().join("components").join("schemas");
    for (name, schema) in document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = schemas.join(name);
        if let Some(example) = schema.get("example") {
            check(schema, example, &at.join("example"), problems);
        }
        for (property, property_schema) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(example) = property_schema.get("example") {
                check(
                    property_schema,
                    example,
                    &at.join("properties").join(property).join("example"),
                    problems,
                );
            }
        }
    }
}

/// The part of `components` (already translated) that `schema` reaches through `$ref`s,
/// directly or through other components. A reference that names no single component, or
/// a name not found as written (such as a percent-encoded one), keeps the whole group, so
/// that nothing the validator could resolve is lost.
fn reachable_components(schema: &Value, components: &Value) -> Value {
    let mut kept = serde_json::Map::new();
    let mut seen = BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(node) = pending.pop() {
        let mut references = Vec::new();
        collect_refs(node, &mut references);
        for reference in references {
            let Some(rest) = reference.strip_prefix("#/components") else {
                continue;
            };
            let mut segments = rest
                .split('/')
                .skip(1)
                .map(|segment| segment.replace("~1", "/").replace("~0", "~"));
            let (Some(kind), name) = (segments.next(), segments.next()) else {
                return components.clone();
            };
            let Some(group) = components.get(&kind).and_then(Value::as_object) else {
                continue;
            };
            let found = name
                .as_ref()
                .and_then(|name| group.get(name).map(|node| (name, node)));
            let Some((name, target)) = found else {
                if seen.insert((kind.clone(), None)) {
                    kept.insert(kind, Value::Object(group.clone()));
                }
                continue;
            };
            if !seen.insert((kind.clone(), Some(name.clone()))) {
                continue;
            }
            if let Value::Object(entries) = kept
                .entry(kind)
                .or_insert_with(|| Value::Object(serde_json::Map::new()))
            {
                entries
                    .entry(name.clone())
                    .or_insert_with(|| target.clone());
            }
            pending.push(target);
        }
    }
    Value::Object(kept)
}

/// Every `$ref` string under `node`.
fn collect_refs<'a>(node: &'a Value, references: &mut Vec<&'a str>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                references.push(reference);
            }
            map.values()
                .for_each(|child| collect_refs(child, references));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|child| collect_refs(child, references)),
        _ => {}
    }
}

/// A schema in OpenAPI 3.0's dialect as plain JSON Schema: `nullable: true` becomes a
/// `null` type (and a `null` among the `enum` values), and the keywords JSON Schema does
/// not have (`example`, `discriminator`, `xml`, `externalDocs`, `readOnly`,
/// `writeOnly`, `deprecated`) are dropped, so that none is mistaken for a constraint.
fn to_json_schema(schema: &Value) -> Value {
    const OPENAPI_ONLY: &[&str] = &[
        "example",
        "examples",
        "discriminator",
        "xml",
        "externalDocs",
        "readOnly",
        "writeOnly",
        "deprecated",
        "nullable",
    ];
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                if OPENAPI_ONLY.contains(&key.as_str()) {
                    continue;
                }
                // Maps of names (properties) and lists of schemas are translated member
                // by member; `enum` and `default` are values, kept as they are.
                let translated = match key.as_str() {
                    "enum" | "default" | "required" => value.clone(),
                    _ => to_json_schema(value),
                };
                out.insert(key.clone(), translated);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(typ)) = out.get("type").cloned() {
                    out.insert("type".to_owned(), serde_json::json!([typ, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
                if out.contains_key("$ref") || out.contains_key("allOf") {
                    let inner = Value::Object(std::mem::take(&mut out));
                    out.insert(
                        "anyOf".to_owned(),
                        serde_json::json!([inner, {"type": "null"}]),
                    );
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// The backend gives an operation one success type and one error type: the responses in
/// each group must agree on their body (one JSON schema, raw bytes, or none), and a JSON
/// body needs a schema.
fn check_responses(spec: &OpenAPI, problems: &mut Problems) {
    use openapiv3::StatusCode;
    for (path, method, operation) in spec.operations() {
        let at = Pointer::root()
            .join("paths")
            .join(path)
            .join(method)
            .join("responses");
        let mut success = BTreeMap::new();
        let mut failure = BTreeMap::new();
        let mut success_range = false;
        for (status, response) in &operation.responses.responses {
            let (group, label) = match status {
                StatusCode::Code(code) if (100..400).contains(code) => {
                    (&mut success, code.to_string())
                }
                StatusCode::Code(code) => (&mut failure, code.to_string()),
                StatusCode::Range(range) if *range < 4 => (&mut success, format!("{range}XX")),
                StatusCode::Range(range) => (&mut failure, format!("{range}XX")),
            };
            success_range |= matches!(status, StatusCode::Range(2));
            if let Some(kind) = response_kind(spec, response, &at.join(&label), problems) {
                group.entry(kind).or_insert_with(Vec::new).push(label);
            }
        }
        if let Some(response) = &operation.responses.default
            && let Some(kind) = response_kind(spec, response, &at.join("default"), problems)
        {
            // `default` is both a success and an error unless a 2XX range covers success.
            if !success_range {
                success
                    .entry(kind.clone())
                    .or_insert_with(Vec::new)
                    .push("default".to_owned());
            }
            failure
                .entry(kind)
                .or_insert_with(Vec::new)
                .push("default".to_owned());
        }
        for (group, kinds) in [("success", success), ("error", failure)] {
            if kinds.len() > 1 {
                let listed: Vec<String> = kinds
                    .iter()
                    .map(|(kind, statuses)| format!("{} for {}", kind, statuses.join(", ")))
                    .collect();
                problems.push(Problem::unsupported(
                    at.clone(),
                    format!(
                        "{group} responses with different bodies ({})",
                        listed.join("; ")
                    ),
                ));
            }
        }
    }
}

/// What a response's body becomes: the JSON schema it refers to, raw bytes, or nothing.
fn response_kind(
    spec: &OpenAPI,
    response: &ReferenceOr<openapiv3::Response>,
    at: &Pointer,
    problems: &mut Problems,
) -> Option<String> {
    let response =
        match response {
            ReferenceOr::Item(response) => response,
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/responses/")
                .and_then(|name| spec.components.as_ref()?.responses.get(name)?.as_item())?,
        };
    let json = response.content.iter().find(|(media_type, _)| {
        *media_type == "application/json" || media_type.starts_with("application/json;")
    });
    Some(match json {
        Some((media_type, media)) => {
            let at = at.join("content").join(media_type);
            if !media.encoding.is_empty() {
                problems.push(Problem::unsupported(
                    at.join("encoding"),
                    "`encoding` on a JSON response",
                ));
            }
            match &media.schema {
                None => {
                    problems.push(Problem::unsupported(at, "a JSON response without a schema"));
                    return None;
                }
                Some(ReferenceOr::Reference { reference }) => format!("`{reference}`"),
                Some(ReferenceOr::Item(_)) => format!("the schema at {}", at.join("schema")),
            }
        }
        None if response.content.is_empty() => "no body".to_owned(),
        None => "raw bytes".to_owned(),
    })
}

/// The `{name}`s of a path template and its `in: path` parameters must be the same set.
fn check_path_parameters<'a>(
    spec: &OpenAPI,
    path: &str,
    parameters: impl Iterator<Item = &'a ReferenceOr<Parameter>>,
    at: &Pointer,
    problems: &mut Problems,
) {
    let in_template: BTreeSet<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let declared: BTreeSet<String> = parameters
        .filter_map(|parameter| resolve_parameter(spec, parameter))
        .filter_map(|parameter| match parameter {
            Parameter::Path { parameter_data, .. } => Some(parameter_data.name.clone()),
            _ => None,
        })
        .collect();
    for name in &in_template {
        if !declared.contains(*name) {
            problems.push(Problem::new(
                at.clone(),
                format!("path parameter `{name}` of `{path}` is not declared with `in: path`"),
            ));
        }
    }
    for name in &declared {
        if !in_template.contains(name.as_str()) {
            problems.push(Problem::new(
                at.clone(),
                format!(
                    "parameter `{name}` is declared `in: path` but `{path}` has no `{{{name}}}`"
                ),
            ));
        }
    }
}

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match spec.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// Only API keys sent in a header are supported; any other scheme that an operation uses
/// would leave the client unable to authenticate.
fn check_security(spec: &OpenAPI, problems: &mut Problems) {
    let Some(components) = &spec.components else {
        return;
    };
    for (name, scheme) in &components.security_schemes {
        let at = Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(name);
        match scheme {
            ReferenceOr::Item(SecurityScheme::APIKey {
                location: openapiv3::APIKeyLocation::Header,
                ..
            }) => {}
            ReferenceOr::Item(SecurityScheme::APIKey { .. }) => {
                problems.push(Problem::unsupported(at, "an API key outside a header"));
            }
            ReferenceOr::Item(_) => {
                problems.push(Problem::unsupported(
                    at,
                    "security schemes other than an API key header",
                ));
            }
            ReferenceOr::Reference { .. } => {
                problems.push(Problem::unsupported(
                    at,
                    "a security scheme given by `$ref`",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(yaml: &str) -> Vec<String> {
        let document: Value = serde_yaml::from_str(yaml).unwrap();
        match validate(&document) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_minimal_document_passes() {
        assert_eq!(
            problems_of(&format!("{HEAD}paths: {{}}\n")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn openapi_3_1_is_refused() {
        let problems = problems_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(
            problems,
            ["#/openapi: not supported: OpenAPI 3.1.0; only 3.0.x documents are read"]
        );
    }

    #[test]
    fn dangling_and_cyclic_refs_are_named() {
        let problems = problems_of(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n    C: {{$ref: '#/components/schemas/Gone'}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/components/schemas/A/$ref: `$ref` `#/components/schemas/B` is a cycle of references",
                "#/components/schemas/B/$ref: `$ref` `#/components/schemas/A` is a cycle of references",
                "#/components/schemas/C/$ref: `$ref` `#/components/schemas/Gone` does not resolve: nothing at `#/components/schemas/Gone`",
            ]
        );
    }

    #[test]
    fn operation_ids_must_exist_and_be_unique() {
        let problems = problems_of(&format!(
            "{HEAD}paths:\n  /a:\n    get: {{operationId: listA, responses: {{}}}}\n    post: {{responses: {{}}}}\n  /b:\n    get: {{operationId: listA, responses: {{}}}}\n    put: {{operationId: list_a, responses: {{}}}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/paths/~1a/post: missing `operationId`",
                "#/paths/~1b/get/operationId: duplicate operationId `listA`, first used at #/paths/~1a/get",
                "#/paths/~1b/put/operationId: operationId `list_a` becomes the method `list_a`, like `listA` at #/paths/~1a/get",
            ]
        );
    }

    #[test]
    fn path_parameters_must_match_the_template() {
        let problems = problems_of(&format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      parameters: [{{name: other, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/paths/~1a~1{id}/get: parameter `other` is declared `in: path` but `/a/{id}` has no `{other}`",
                "#/paths/~1a~1{id}/get: path parameter `id` of `/a/{id}` is not declared with `in: path`",
            ]
        );
    }

    #[test]
    fn schema_types_must_be_known() {
        let problems = problems_of(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    type:\n      type: object\n      properties:\n        type: {{type: string}}\n        size: {{type: int}}\n      example: {{type: anything}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/components/schemas/type/properties/size/type: unknown schema type \"int\"; expected one of string, number, integer, boolean, array, object"
            ]
        );
    }

    #[test]
    fn one_operation_s_responses_must_agree_on_their_body() {
        let problems = problems_of(&format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}\n        '400': {{description: bad, content: {{application/json: {{schema: {{$ref: '#/components/schemas/E'}}}}}}}}\n        '404': {{description: none}}\ncomponents:\n  schemas:\n    E: {{type: object}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/paths/~1a/get/responses: not supported: error responses with different bodies (`#/components/schemas/E` for 400; no body for 404)"
            ]
        );
    }

    #[test]
    fn examples_must_match_their_schemas() {
        let problems = problems_of(&format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/A'}}\n            examples:\n              good: {{value: {{id: 1, note: null}}}}\n              bad: {{value: {{id: x, note: 5}}}}\n      responses:\n        '204': {{description: ok}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: integer, example: 7}}\n        note: {{type: string, nullable: true, example: 3}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/components/schemas/A/properties/note/example: example does not match its schema: 3 is not of types \"null\", \"string\"",
                "#/paths/~1a/post/requestBody/content/application~1json/examples/bad/value/id: example does not match its schema: \"x\" is not of type \"integer\"",
                "#/paths/~1a/post/requestBody/content/application~1json/examples/bad/value/note: example does not match its schema: 5 is not of types \"null\", \"string\"",
            ]
        );
    }

    #[test]
    fn examples_are_checked_through_chains_of_refs() {
        let problems = problems_of(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/B'}}\n      example: {{b: {{c: x}}}}\n    B:\n      type: object\n      properties:\n        c: {{$ref: '#/components/schemas/C'}}\n    C: {{type: integer}}\n    Unrelated: {{type: string, example: 5}}\n"
        ));
        assert_eq!(
            problems,
            [
                "#/components/schemas/A/example/b/c: example does not match its schema: \"x\" is not of type \"integer\"",
                "#/components/schemas/Unrelated/example: example does not match its schema: 5 is not of type \"string\"",
            ]
        );
    }

    #[test]
    fn shape_errors_name_the_node() {
        let problems = problems_of(&format!(
            "{HEAD}paths:\n  /a:\n    get: {{operationId: 5, responses: {{}}}}\n"
        ));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("#/paths/~1a/get/operationId: not a valid OpenAPI 3.0 node"),
            "{problems:?}"
        );
    }
}
