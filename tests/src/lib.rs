//! Helpers shared by the tests: the spec's location and its examples, read from the spec
//! itself so that no test keeps a copy of what the docs say.

#![deny(missing_docs)]

// The README's code must compile against the generated crate as it is.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_owned()
}

/// The path of the spec of the Linq Partner API.
pub fn spec_path() -> PathBuf {
    workspace_root().join("spec/linq-partner-v2.yaml")
}

/// The spec as a JSON value.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec parses")
}

/// Whether an example belongs to a request or to a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A request body.
    Request,
    /// A response body, with its status.
    Response(u16),
}

/// One documented example of a JSON body.
#[derive(Debug, Clone)]
pub struct Example {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Request or response.
    pub direction: Direction,
    /// The example's name (`example` for a lone `example`).
    pub name: String,
    /// The component schema of the body.
    pub schema: String,
    /// The example value.
    pub value: Value,
}

/// Every example of a JSON body in `spec`, requests and responses, in document order.
pub fn examples(spec: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let paths = spec["paths"].as_object().expect("the spec has paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(operation_id) = operation["operationId"].as_str() else {
                continue;
            };
            let mut add = |direction, media: &Value| {
                let media = &media["content"]["application/json"];
                let Some(reference) = media["schema"]["$ref"].as_str() else {
                    return;
                };
                let schema = reference
                    .trim_start_matches("#/components/schemas/")
                    .to_owned();
                let mut named: Vec<(String, Value)> = Vec::new();
                if let Some(value) = media.get("example") {
                    named.push(("example".to_owned(), value.clone()));
                }
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    named.push((name.clone(), example["value"].clone()));
                }
                for (name, value) in named {
                    found.push(Example {
                        operation_id: operation_id.to_owned(),
                        method: method.to_uppercase(),
                        path: path.clone(),
                        direction,
                        name,
                        schema: schema.clone(),
                        value,
                    });
                }
            };
            add(Direction::Request, &operation["requestBody"]);
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                if let Ok(status) = status.parse() {
                    add(Direction::Response(status), response);
                }
            }
        }
    }
    found
}

/// Compares two JSON values as the API means them: equal in every node, with explicit
/// nulls kept, and with date-times equal when they name the same instant with the same
/// UTC offset (`10:00:00.000-05:00` and `10:00:00-05:00` are equal). Returns where they
/// first differ.
pub fn same_json(expected: &Value, actual: &Value) -> Result<(), String> {
    compare(expected, actual, String::new())
}

fn compare(expected: &Value, actual: &Value, at: String) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            for key in left.keys().chain(right.keys()) {
                match (left.get(key), right.get(key)) {
                    (Some(l), Some(r)) => compare(l, r, format!("{at}/{key}"))?,
                    (l, r) => return Err(format!("{at}/{key}: expected {l:?}, got {r:?}")),
                }
            }
            Ok(())
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => left
            .iter()
            .zip(right)
            .enumerate()
            .try_for_each(|(index, (l, r))| compare(l, r, format!("{at}/{index}"))),
        (Value::String(left), Value::String(right)) if left != right => {
            match (
                chrono::DateTime::parse_from_rfc3339(left),
                chrono::DateTime::parse_from_rfc3339(right),
            ) {
                (Ok(l), Ok(r)) if l == r && l.offset() == r.offset() => Ok(()),
                _ => Err(format!("{at}: expected {left:?}, got {right:?}")),
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{at}: expected {expected}, got {actual}")),
    }
}

/// Checks generated crates together in one scratch workspace under `target/` with clippy,
/// and fails on any warning or error in them: generated code must compile with warnings
/// denied, lints included.
///
/// `crates` are `(name, files)`; they are written to `target/WORKSPACE/NAME`. The
/// build shares the workspace's lock file, so that the same dependency versions are used,
/// and has a target directory of its own, so that it never waits on the outer build.
pub fn compile_generated(
    workspace: &str,
    crates: &[(String, Vec<linq_codegen::OutputFile>)],
) -> Result<(), String> {
    let root = workspace_root().join("target").join(workspace);
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    for (name, files) in crates {
        let dir = root.join(name);
        for file in files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
            std::fs::write(&path, &file.contents).map_err(|e| e.to_string())?;
        }
        members.push(format!("{name:?}"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .current_dir(&root)
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--no-default-features",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ])
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/generated-crates-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|line| {
            ["warning:", "error:", "error["]
                .iter()
                .any(|mark| line.contains(mark))
        })
        .filter(|line| !line.starts_with("warning: unused manifest key"))
        .collect();
    if !output.status.success() || !complaints.is_empty() {
        return Err(format!("generated crates do not build cleanly:\n{stderr}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn date_times_compare_as_instants_with_their_offset() {
        let same = same_json(
            &json!({"t": "2025-07-30T10:00:00.000-05:00"}),
            &json!({"t": "2025-07-30T10:00:00-05:00"}),
        );
        assert_eq!(same, Ok(()));
        let utc = same_json(
            &json!({"t": "2025-07-30T10:00:00.000-05:00"}),
            &json!({"t": "2025-07-30T15:00:00Z"}),
        );
        assert!(
            utc.is_err(),
            "an instant moved to UTC loses the documented offset"
        );
    }

    #[test]
    fn dropped_nulls_are_differences() {
        let dropped = same_json(&json!({"a": null}), &json!({}));
        assert_eq!(dropped, Err("/a: expected Some(Null), got None".to_owned()));
    }

    #[test]
    fn the_spec_documents_request_and_response_examples() {
        let examples = examples(&spec());
        let names: Vec<(&str, Direction)> = examples
            .iter()
            .map(|example| (example.name.as_str(), example.direction))
            .collect();
        assert_eq!(
            names,
            [
                ("withoutOwner", Direction::Request),
                ("withOwner", Direction::Request),
                ("example", Direction::Response(201)),
                ("validation_error", Direction::Response(422)),
                ("user_not_found", Direction::Response(422)),
            ]
        );
    }
}
