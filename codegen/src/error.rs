//! Errors of the generator: each names the file and, for problems in a spec, the JSON
//! pointer of the offending node.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a spec: where it is and what is wrong there.
///
/// Problems order by pointer first, so that a sorted list reads top to bottom through
/// the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// JSON pointer to the node, as a URI fragment (`#/paths/~1contacts/post`).
    pub pointer: String,
    /// What was expected there and what was found, lowercase, without a final period.
    pub message: String,
}

impl Problem {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// A construct the generator does not handle, so that no wrong code is emitted for it.
    pub fn unsupported(pointer: impl Into<String>, construct: impl fmt::Display) -> Self {
        Problem::new(pointer, format!("not supported: {construct}"))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// The problems of one stage, kept sorted and free of repeats.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Ends the stage: `Ok(value)` when nothing was recorded, else every problem, sorted.
    pub fn finish<T>(mut self, value: T) -> Result<T, Vec<Problem>> {
        if self.0.is_empty() {
            return Ok(value);
        }
        self.0.sort();
        self.0.dedup();
        Err(self.0)
    }
}

/// Everything that can stop a generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read spec {path}: {cause}")]
    Read {
        /// The spec file.
        path: PathBuf,
        /// Why reading failed. The message already says it, so it is not also the
        /// error's `source()`: a printed chain would repeat it.
        cause: std::io::Error,
    },

    /// The file is not YAML or JSON at all.
    #[error("{path}:{line}:{column}: not valid YAML or JSON: {message}")]
    Syntax {
        /// The spec file.
        path: PathBuf,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the parser expected.
        message: String,
    },

    /// The spec parsed, but states something wrong or unsupported.
    #[error("{path}: {} problem{} in the spec:\n{}", problems.len(), plural(problems.len()), list(problems))]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// Every problem found, sorted by pointer.
        problems: Vec<Problem>,
    },

    /// The emitted code does not parse as Rust: a defect of the generator, not of the spec.
    #[error("generated file {file} is not valid Rust ({message}); this is a generator defect")]
    Emit {
        /// The generated file's path inside the crate.
        file: String,
        /// The parser's message.
        message: String,
    },

    /// The crate name is not a package name that is also a Rust identifier.
    #[error(
        "crate name `{0}` is not valid: use ASCII letters, digits, `-` and `_`, starting with a letter"
    )]
    CrateName(String),

    /// An output file could not be read, written or removed.
    #[error("cannot write {path}: {cause}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why it failed (in the message, and for that reason not the `source()`).
        cause: std::io::Error,
    },
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| format!("  {problem}"))
        .collect();
    lines.join("\n")
}

/// Builds JSON pointers as URI fragments, escaping `~` and `/` in each segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` (`#/components/schemas/Name`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with("#/")
            .then(|| Pointer(reference.to_owned()))
    }

    /// The pointer one level down, at `segment`.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{segment}", self.0))
    }

    /// The pointer further down by `suffix`, a JSON pointer that is already escaped
    /// (`/contact/first_name`).
    pub fn extend(&self, suffix: &str) -> Self {
        Pointer(format!("{}{suffix}", self.0))
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }

    /// The node this pointer names inside `document`, if there is one.
    pub fn resolve<'a>(&self, document: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.segments()
            .try_fold(document, |node, segment| match node {
                serde_json::Value::Object(map) => map.get(&segment),
                serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
                _ => None,
            })
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> String {
        pointer.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        let pointer = Pointer::root()
            .join("paths")
            .join("/api/v2/a~b")
            .join("post");
        assert_eq!(pointer.as_str(), "#/paths/~1api~1v2~1a~0b/post");
        assert_eq!(
            pointer.segments().collect::<Vec<_>>(),
            ["paths", "/api/v2/a~b", "post"]
        );
    }

    #[test]
    fn pointer_resolves_objects_and_arrays() {
        let document = serde_json::json!({"a/b": [{"c": 1}]});
        let pointer = Pointer::root().join("a/b").join(0).join("c");
        assert_eq!(pointer.resolve(&document), Some(&serde_json::json!(1)));
        assert_eq!(Pointer::root().join("missing").resolve(&document), None);
    }

    #[test]
    fn spec_error_lists_problems_in_order() {
        let mut problems = Problems::default();
        problems.push(Problem::new("#/paths", "second"));
        problems.push(Problem::new("#/info", "first"));
        let problems = problems.finish(()).unwrap_err();
        let error = Error::Spec {
            path: "api.yaml".into(),
            problems,
        };
        assert_eq!(
            error.to_string(),
            "api.yaml: 2 problems in the spec:\n  #/info: first\n  #/paths: second"
        );
    }
}
