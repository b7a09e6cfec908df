// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! Rules of the spec checked before a request is sent.
#[allow(unused_imports)]
use crate::types;

/// A value that the spec constrains beyond what its type expresses.
pub trait Validate {
    /// Checks the value against the spec's rules.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&mut Vec::new())
    }

    /// Checks the value, found at `path` inside the request body.
    #[doc(hidden)]
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
        match self {
            Some(value) => value.validate_at(path),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
        for (index, value) in self.iter().enumerate() {
            path.push(Segment::Index(index));
            value.validate_at(path)?;
            path.pop();
        }
        Ok(())
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
        T::validate_at(self, path)
    }
}

/// One step of a path into a request body.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Segment {
    /// A property, by its name in the API.
    Field(&'static str),
    /// An item of an array.
    Index(usize),
}

/// A rule of the spec that a request breaks; the request was not sent.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// None of a set of properties, of which at least one is required, is set.
    #[error("at least one of {} must be set in {}", list(fields), describe(location))]
    AtLeastOneOf {
        /// Where in the request body, as a JSON pointer (`/contact`).
        location: String,
        /// The properties, by their names in the API.
        fields: &'static [&'static str],
    },
    /// A parameter's value is outside the bounds the spec gives it.
    #[error("parameter `{parameter}` is {value}, {}", describe_range(bounds))]
    OutOfRange {
        /// The parameter, by its name in the API.
        parameter: &'static str,
        /// The value given.
        value: f64,
        /// The bounds.
        bounds: Bounds,
    },
}

impl ValidationError {
    /// Where the rule is broken: a JSON pointer into the request body (`/contact`),
    /// or the parameter's name.
    pub fn location(&self) -> &str {
        match self {
            ValidationError::AtLeastOneOf { location, .. } => location,
            ValidationError::OutOfRange { parameter, .. } => parameter,
        }
    }
}

/// The bounds the spec gives a number parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds {
    /// The least value.
    pub minimum: Option<f64>,
    /// The greatest value.
    pub maximum: Option<f64>,
    /// Whether the value must be above the minimum rather than at least it.
    pub exclusive_minimum: bool,
    /// Whether the value must be below the maximum rather than at most it.
    pub exclusive_maximum: bool,
}

fn describe_range(bounds: &Bounds) -> String {
    let mut parts = Vec::new();
    if let Some(minimum) = bounds.minimum {
        parts
            .push(
                format!(
                    "{} {minimum}", if bounds.exclusive_minimum { "above" } else {
                    "at least" }
                ),
            );
    }

    if let Some(maximum) = bounds.maximum {
        parts
            .push(
                format!(
                    "{} {maximum}", if bounds.exclusive_maximum { "below" } else {
                    "at most" }
                ),
            );
    }

    format!("and must be {}", parts.join(" and "))
}

impl ValidationError {
    fn at_least_one_of(path: &[Segment], fields: &'static [&'static str]) -> Self {
        ValidationError::AtLeastOneOf {
            location: pointer(path),
            fields,
        }
    }
}

fn pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Field(name) => {
                format!("/{}", name.replace('~', "~0").replace('/', "~1"))
            }
            Segment::Index(index) => format!("/{index}"),
        })
        .collect()
}

fn describe(location: &str) -> String {
    if location.is_empty() {
        "the request body".to_owned()
    } else {
        format!("`{location}` of the request body")
    }
}

fn list(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields.iter().map(|field| format!("`{field}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} or {last}", rest.join(", "))
        }
        _ => quoted.concat(),
    }
}

impl Validate for types::CreateContactRequest {
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
        path.push(Segment::Field("contact"));
        self.contact.validate_at(path)?;
        path.pop();
        Ok(())
    }
}

impl Validate for types::NewContact {
    fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
        if !(self.first_name.is_some() || self.last_name.is_some()
            || self.email.is_some() || self.phone_number.is_some())
        {
            return Err(
                ValidationError::at_least_one_of(
                    path,
                    &["first_name", "last_name", "email", "phone_number"],
                ),
            );
        }
        Ok(())
    }
}
