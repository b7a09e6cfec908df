//! Emits the documented request examples as Rust code that builds each one with the
//! typed API (struct literals), so that the compiler checks every example against the
//! types and the tests can compare each one, serialized, with the spec's JSON.

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use typify::{Type, TypeDetails};

use super::backend::{Backend, TypeIndex};
use crate::error::{Pointer, Problem};
use crate::ir::{Api, RequestExample};

/// The `examples` module of the generated crate.
pub fn emit(api: &Api, backend: &Backend) -> Result<TokenStream, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut functions = Vec::new();
    let mut arms = Vec::new();
    let types = backend.type_index();
    for example in &api.request_examples {
        let Some(typ) = types.component_type(&example.schema) else {
            problems.push(Problem::new(
                example.pointer.clone(),
                format!("no generated type for schema `{}`", example.schema),
            ));
            continue;
        };
        let at = pointer_of(example);
        let Some(value) = literal(backend, typ, &example.value, &at, &mut problems) else {
            continue;
        };

        let function = function_name(example);
        let type_ident = typ.ident();
        let mut doc = format!(
            "The `{}` example of `{}`",
            example.name, example.method_name
        );
        if let Some(summary) = &example.summary {
            doc.push_str(&format!(": {summary}"));
        }
        doc.push('.');
        functions.push(quote! {
            #[doc = #doc]
            pub fn #function() -> #type_ident {
                #value
            }
        });
        let (operation, name) = (&example.method_name, &example.name);
        arms.push(quote! { (#operation, #name) => Some(serde_json::to_value(#function())), });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let schema_arms = component_types(api, &types).into_iter().map(|(schema, typ)| {
        quote! { (#schema, value) => Some(serde_json::from_value::<#typ>(value).and_then(serde_json::to_value)), }
    });
    Ok(quote! {
        #[allow(unused_imports)]
        use crate::types;

        #(#functions)*

        /// The example named `name` of the operation method `operation`, built with the
        /// typed API and serialized; `None` when there is no such example.
        #[allow(clippy::match_single_binding, reason = "a spec may have no request examples")]
        pub fn to_json(operation: &str, name: &str) -> Option<Result<serde_json::Value, serde_json::Error>> {
            match (operation, name) {
                #(#arms)*
                _ => None,
            }
        }

        /// Parses `value` as the generated type of the component schema `schema` and
        /// serializes it again; `None` when the schema has no generated type. Every
        /// example of the spec must come back as it went in.
        #[allow(clippy::match_single_binding, reason = "a spec may have no component schemas")]
        pub fn reserialize(schema: &str, value: serde_json::Value) -> Option<Result<serde_json::Value, serde_json::Error>> {
            match (schema, value) {
                #(#schema_arms)*
                _ => None,
            }
        }
    })
}

/// The component schemas that have a generated type, with the type's path.
fn component_types(api: &Api, types: &TypeIndex<'_>) -> Vec<(String, TokenStream)> {
    let Some(components) = &api.backend.components else {
        return Vec::new();
    };
    components
        .schemas
        .keys()
        .filter_map(|schema| {
            let typ = types.component_type(schema)?;
            Some((schema.clone(), typ.ident()))
        })
        .collect()
}

/// `create_contact` and `withoutOwner` make `create_contact_without_owner`.
pub fn function_name(example: &RequestExample) -> syn::Ident {
    format_ident!(
        "{}",
        crate::names::field(&format!(
            "{}_{}",
            example.method_name,
            example.name.to_snake_case()
        ))
    )
}

fn pointer_of(example: &RequestExample) -> Pointer {
    Pointer::from_ref(&example.pointer).unwrap_or_else(Pointer::root)
}

/// The expression that builds `value` as the Rust type `typ`, or `None` after recording
/// why it cannot.
fn literal(
    backend: &Backend,
    typ: &Type<'_>,
    value: &Value,
    at: &Pointer,
    problems: &mut Vec<Problem>,
) -> Option<TokenStream> {
    let mismatch = |problems: &mut Vec<Problem>, expected: &str| {
        problems.push(Problem::new(
            at.clone(),
            format!("example value {value} does not fit {expected}"),
        ));
        None
    };
    let inner_type = |id| backend.type_space().get_type(&id).ok();
    match (typ.details(), value) {
        (TypeDetails::Option(_), Value::Null) => Some(quote! { None }),
        (TypeDetails::Option(inner), _) => {
            let inner = literal(backend, &inner_type(inner)?, value, at, problems)?;
            Some(quote! { Some(#inner) })
        }
        (TypeDetails::Box(inner), _) => {
            let inner = literal(backend, &inner_type(inner)?, value, at, problems)?;
            Some(quote! { Box::new(#inner) })
        }
        (TypeDetails::String, Value::String(text)) => Some(quote! { #text.to_owned() }),
        (TypeDetails::String, _) => mismatch(problems, "a string"),
        (TypeDetails::Builtin("bool"), Value::Bool(flag)) => Some(quote! { #flag }),
        (TypeDetails::Builtin(name), Value::Number(number)) => {
            number_literal(name, number).or_else(|| mismatch(problems, name))
        }
        (TypeDetails::Vec(inner), Value::Array(items)) => {
            let inner = inner_type(inner)?;
            let items: Vec<TokenStream> = items
                .iter()
                .enumerate()
                .map(|(index, item)| literal(backend, &inner, item, &at.join(index), problems))
                .collect::<Option<_>>()?;
            Some(quote! { Vec::from([#(#items),*]) })
        }
        (TypeDetails::Struct(details), Value::Object(object)) => {
            let ident = typ.ident();
            let mut fields = Vec::new();
            let properties: Vec<(String, typify::TypeId, bool)> = details
                .properties_info()
                .map(|info| (info.name.to_owned(), info.type_id, info.required))
                .collect();
            for key in object.keys() {
                if !properties
                    .iter()
                    .any(|(name, _, _)| *name == crate::names::field(key))
                {
                    problems.push(Problem::new(
                        at.join(key),
                        format!("`{key}` is not a property of `{}`", typ.name()),
                    ));
                }
            }
            for (name, type_id, required) in properties {
                let field = format_ident!("{}", name);
                let key = object.keys().find(|key| crate::names::field(key) == name);
                let field_type = inner_type(type_id)?;
                let expression = match key {
                    Some(key) => {
                        literal(backend, &field_type, &object[key], &at.join(key), problems)?
                    }
                    None if matches!(field_type.details(), TypeDetails::Option(_)) => {
                        quote! { None }
                    }
                    None if !required => quote! { Default::default() },
                    None => {
                        problems.push(Problem::new(
                            at.clone(),
                            format!("the example lacks the required `{name}`"),
                        ));
                        return None;
                    }
                };
                fields.push(quote! { #field: #expression });
            }
            Some(quote! { #ident { #(#fields),* } })
        }
        (TypeDetails::Builtin(name), _) if is_scalar(name) => mismatch(problems, name),
        (TypeDetails::Struct(_), _) => mismatch(problems, "an object"),
        (TypeDetails::Vec(_), _) => mismatch(problems, "an array"),
        _ => {
            problems.push(Problem::unsupported(
                at.clone(),
                format!("an example value of type `{}`", typ.name()),
            ));
            None
        }
    }
}

fn is_scalar(name: &str) -> bool {
    matches!(
        name,
        "bool" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64"
    )
}

fn number_literal(name: &str, number: &serde_json::Number) -> Option<TokenStream> {
    let fits = match name {
        "i8" => number.as_i64().is_some_and(|n| i8::try_from(n).is_ok()),
        "i16" => number.as_i64().is_some_and(|n| i16::try_from(n).is_ok()),
        "i32" => number.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "i64" => number.is_i64(),
        "u8" => number.as_u64().is_some_and(|n| u8::try_from(n).is_ok()),
        "u16" => number.as_u64().is_some_and(|n| u16::try_from(n).is_ok()),
        "u32" => number.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
        "u64" => number.is_u64(),
        "f32" | "f64" => {
            let value = number.as_f64()?;
            let literal: Literal = format!("{value:?}{name}").parse().ok()?;
            return Some(quote! { #literal });
        }
        _ => false,
    };
    let literal: Literal = format!("{number}{name}").parse().ok()?;
    fits.then(|| quote! { #literal })
}
