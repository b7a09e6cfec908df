//! Load stage: reads a spec file (YAML, or JSON as a subset of YAML) into a JSON value
//! that keeps the document's key order.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// A spec file read into memory.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where the spec was read from, as given by the caller.
    pub path: PathBuf,
    /// The whole document, in document order.
    pub document: serde_json::Value,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Source, Error> {
    let text = std::fs::read_to_string(path).map_err(|cause| Error::Read {
        path: path.to_owned(),
        cause,
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` only names the file in errors.
pub fn parse(path: &Path, text: &str) -> Result<Source, Error> {
    let document: serde_json::Value = serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |at| (at.line(), at.column()));
        Error::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: strip_location(&error),
        }
    })?;
    Ok(Source {
        path: path.to_owned(),
        document,
    })
}

/// The parser's message without its own " at line L column C" suffix, which the error
/// states in its `path:line:column` prefix instead.
fn strip_location(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_load_alike() {
        let yaml = parse(Path::new("a.yaml"), "openapi: 3.0.3\npaths: {}\n").unwrap();
        let json = parse(Path::new("a.json"), r#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        assert_eq!(yaml.document, json.document);
    }

    #[test]
    fn status_code_keys_stay_text() {
        let source = parse(Path::new("a.yaml"), "responses:\n  201: {}\n").unwrap();
        assert!(source.document["responses"]["201"].is_object());
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let error = parse(Path::new("broken.yaml"), "openapi: 3.0.3\npaths: [\n").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("broken.yaml:"), "{message}");
        assert!(message.contains("not valid YAML or JSON"), "{message}");
    }

    #[test]
    fn missing_file_is_named() {
        let error = load(Path::new("no/such/spec.yaml")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot read spec no/such/spec.yaml: ")
        );
    }
}
