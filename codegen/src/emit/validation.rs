//! Emits client-side validation: the rules the generated types cannot express, checked
//! before a request is sent, with an error that names the fields and where they are.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use typify::{Type, TypeDetails, TypeId};

use super::backend::Backend;
use crate::error::Problem;
use crate::ir::Api;

/// The `validation` module of the generated crate, and the component schemas whose types
/// implement `Validate` (the request bodies that need checking before they are sent).
pub fn emit(api: &Api, backend: &Backend) -> Result<(TokenStream, BTreeSet<String>), Vec<Problem>> {
    let mut problems = Vec::new();
    let structs = struct_fields(api, backend);

    // A type needs checking when it carries a rule or holds a value of a type that does;
    // repeat until no type is added.
    let mut needs: BTreeSet<String> = api.rules.iter().map(|rule| rule.schema.clone()).collect();
    loop {
        let before = needs.len();
        for (schema, fields) in &structs {
            if fields.iter().any(|field| {
                field
                    .nested
                    .as_ref()
                    .is_some_and(|nested| needs.contains(nested))
            }) {
                needs.insert(schema.clone());
            }
        }
        if needs.len() == before {
            break;
        }
    }

    let mut impls = Vec::new();
    for schema in &needs {
        let Some(fields) = structs.get(schema) else {
            problems.push(Problem::unsupported(
                format!("#/components/schemas/{schema}"),
                "a rule on a schema that is not generated as a struct",
            ));
            continue;
        };
        let mut checks = Vec::new();
        for rule in api.rules.iter().filter(|rule| &rule.schema == schema) {
            let mut present = Vec::new();
            for property in &rule.properties {
                match fields.iter().find(|field| &field.json == property) {
                    Some(field) => {
                        let ident = format_ident!("{}", field.rust);
                        present.push(if field.optional {
                            quote! { self.#ident.is_some() }
                        } else {
                            quote! { true }
                        });
                    }
                    None => problems.push(Problem::new(
                        rule.pointer.clone(),
                        format!("`{property}` has no field in the generated type"),
                    )),
                }
            }
            let names = &rule.properties;
            checks.push(quote! {
                if !(#(#present)||*) {
                    return Err(ValidationError::at_least_one_of(path, &[#(#names),*]));
                }
            });
        }
        for field in fields
            .iter()
            .filter(|field| field.nested.as_ref().is_some_and(|n| needs.contains(n)))
        {
            let ident = format_ident!("{}", field.rust);
            let json = &field.json;
            checks.push(quote! {
                path.push(Segment::Field(#json));
                self.#ident.validate_at(path)?;
                path.pop();
            });
        }
        let typ = format_ident!("{}", crate::names::type_name(schema));
        impls.push(quote! {
            impl Validate for types::#typ {
                fn validate_at(&self, path: &mut Vec<Segment>) -> Result<(), ValidationError> {
                    #(#checks)*
                    Ok(())
                }
            }
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Only a spec with rules constructs the errors; without, these would be dead code.
    let constructors = (!api.rules.is_empty()).then(|| {
        quote! {
            impl ValidationError {
                fn at_least_one_of(path: &[Segment], fields: &'static [&'static str]) -> Self {
                    ValidationError::AtLeastOneOf { location: pointer(path), fields }
                }
            }

            fn pointer(path: &[Segment]) -> String {
                path.iter()
                    .map(|segment| match segment {
                        Segment::Field(name) => format!("/{}", name.replace('~', "~0").replace('/', "~1")),
                        Segment::Index(index) => format!("/{index}"),
                    })
                    .collect()
            }
        }
    });
    // Only a spec with bounded parameters checks them; without, this would be dead code.
    let bounds_runtime = api.operations.iter().any(|operation| !operation.bounds.is_empty()).then(|| {
        quote! {
            /// A number parameter's value.
            pub(crate) trait Bounded {
                /// The value as a number, when it is given.
                fn number(&self) -> Option<f64>;
            }

            macro_rules! bounded_numbers {
                ($($typ:ty => |$value:ident| $number:expr),* $(,)?) => {
                    $(impl Bounded for $typ {
                        fn number(&self) -> Option<f64> {
                            let $value = *self;
                            Some($number)
                        }
                    })*
                };
            }

            bounded_numbers! {
                i8 => |v| f64::from(v), i16 => |v| f64::from(v), i32 => |v| f64::from(v),
                i64 => |v| v as f64, u8 => |v| f64::from(v), u16 => |v| f64::from(v),
                u32 => |v| f64::from(v), u64 => |v| v as f64, f32 => |v| f64::from(v), f64 => |v| v,
                std::num::NonZeroU32 => |v| f64::from(v.get()), std::num::NonZeroU64 => |v| v.get() as f64,
                std::num::NonZeroI32 => |v| f64::from(v.get()), std::num::NonZeroI64 => |v| v.get() as f64,
            }

            impl<T: Bounded> Bounded for Option<T> {
                fn number(&self) -> Option<f64> {
                    self.as_ref().and_then(Bounded::number)
                }
            }

            /// Checks a parameter against its bounds.
            pub(crate) fn check_bounds(parameter: &'static str, value: &impl Bounded, bounds: Bounds) -> Result<(), ValidationError> {
                if let Some(number) = value.number() {
                    let too_low = bounds.minimum.is_some_and(|minimum| {
                        if bounds.exclusive_minimum { number <= minimum } else { number < minimum }
                    });
                    let too_high = bounds.maximum.is_some_and(|maximum| {
                        if bounds.exclusive_maximum { number >= maximum } else { number > maximum }
                    });
                    if too_low || too_high {
                        return Err(ValidationError::OutOfRange { parameter, value: number, bounds });
                    }
                }
                Ok(())
            }
        }
    });
    // Only a spec with parameter defaults applies them; without, this would be dead code.
    let defaults_runtime = api.operations.iter().any(|operation| !operation.defaults.is_empty()).then(|| {
        quote! {
            /// A parameter type that a default from the spec (`V`) can be turned into.
            pub(crate) trait FromDefault<V>: Sized {
                /// The default as this type, if it fits.
                fn from_default(value: V) -> Option<Self>;
            }

            macro_rules! defaults_from {
                ($source:ty => $($typ:ty => |$value:ident| $convert:expr),* $(,)?) => {
                    $(impl FromDefault<$source> for $typ {
                        fn from_default($value: $source) -> Option<Self> {
                            $convert
                        }
                    })*
                };
            }

            defaults_from! {
                i64 =>
                i8 => |v| v.try_into().ok(), i16 => |v| v.try_into().ok(), i32 => |v| v.try_into().ok(),
                i64 => |v| Some(v), u8 => |v| v.try_into().ok(), u16 => |v| v.try_into().ok(),
                u32 => |v| v.try_into().ok(), u64 => |v| v.try_into().ok(), f64 => |v| Some(v as f64),
                std::num::NonZeroU32 => |v| u32::try_from(v).ok().and_then(std::num::NonZeroU32::new),
                std::num::NonZeroU64 => |v| u64::try_from(v).ok().and_then(std::num::NonZeroU64::new),
                std::num::NonZeroI32 => |v| i32::try_from(v).ok().and_then(std::num::NonZeroI32::new),
                std::num::NonZeroI64 => |v| std::num::NonZeroI64::new(v),
            }

            defaults_from! { f64 => f64 => |v| Some(v), f32 => |v| Some(v as f32) }
            defaults_from! { bool => bool => |v| Some(v) }

            impl FromDefault<&'static str> for &str {
                fn from_default(value: &'static str) -> Option<Self> {
                    Some(value)
                }
            }
        }
    });
    let tokens = quote! {
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
                parts.push(format!("{} {minimum}", if bounds.exclusive_minimum { "above" } else { "at least" }));
            }
            if let Some(maximum) = bounds.maximum {
                parts.push(format!("{} {maximum}", if bounds.exclusive_maximum { "below" } else { "at most" }));
            }
            format!("and must be {}", parts.join(" and "))
        }

        #constructors

        #bounds_runtime

        #defaults_runtime

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
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => quoted.concat(),
            }
        }

        #(#impls)*
    };
    Ok((tokens, needs))
}

/// A property of a generated struct.
struct Field {
    json: String,
    rust: String,
    optional: bool,
    /// The component schema of the struct this property holds (through `Option`, `Box`
    /// or `Vec`), if any.
    nested: Option<String>,
}

/// The properties of every component schema that is generated as a struct.
fn struct_fields(api: &Api, backend: &Backend) -> BTreeMap<String, Vec<Field>> {
    let mut structs = BTreeMap::new();
    let Some(components) = &api.backend.components else {
        return structs;
    };
    let component_names: BTreeMap<String, String> = components
        .schemas
        .keys()
        .map(|name| (crate::names::type_name(name), name.clone()))
        .collect();
    let types = backend.type_index();
    for (schema, definition) in &components.schemas {
        let Some(typ) = types.component_type(schema) else {
            continue;
        };
        let TypeDetails::Struct(details) = typ.details() else {
            continue;
        };
        let types: BTreeMap<&str, TypeId> = details.properties().collect();
        let fields = property_names(definition)
            .into_iter()
            .filter_map(|json| {
                let rust = crate::names::field(&json);
                let type_id = types.get(rust.as_str())?;
                let field_type = backend.type_space().get_type(type_id).ok()?;
                let optional = matches!(field_type.details(), TypeDetails::Option(_));
                let nested = struct_inside(backend, field_type)
                    .and_then(|name| component_names.get(&name).cloned());
                Some(Field {
                    json,
                    rust,
                    optional,
                    nested,
                })
            })
            .collect();
        structs.insert(schema.clone(), fields);
    }
    structs
}

fn property_names(schema: &openapiv3::ReferenceOr<openapiv3::Schema>) -> Vec<String> {
    let openapiv3::ReferenceOr::Item(schema) = schema else {
        return Vec::new();
    };
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
            object.properties.keys().cloned().collect()
        }
        openapiv3::SchemaKind::Any(any) => any.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The name of the struct a type holds, looking through `Option`, `Box` and `Vec`.
fn struct_inside(backend: &Backend, typ: Type<'_>) -> Option<String> {
    match typ.details() {
        TypeDetails::Struct(_) => Some(typ.name()),
        TypeDetails::Option(inner) | TypeDetails::Box(inner) | TypeDetails::Vec(inner) => {
            struct_inside(backend, backend.type_space().get_type(&inner).ok()?)
        }
        _ => None,
    }
}
