//! Emits `api.txt`, a compact summary of the generated public API: one line per
//! operation, type, field and variant, with types. It is checked in beside the code, so
//! that a reviewer sees in a few lines what changed for users, and the generator compares
//! it with the new one to say what changed and what breaks callers.

use std::collections::{BTreeMap, BTreeSet};

use typify::TypeDetails;

use super::backend::Backend;
use crate::ir::Api;

/// The summary's lines, sorted within each section.
pub fn emit(api: &Api, backend: &Backend) -> String {
    let mut operations = Vec::new();
    for operation in &api.operations {
        let Some(signature) = backend.method(&operation.method_name) else {
            continue;
        };
        let parameters: Vec<String> = signature
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(argument) => {
                    let pattern = &argument.pat;
                    let typ = &argument.ty;
                    Some(format!(
                        "{}: {}",
                        quote::quote!(#pattern),
                        rust_type(&quote::quote!(#typ).to_string())
                    ))
                }
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        // The public method returns the success body in a `ResponseValue`, or the crate's
        // `Error`; the summary names the body.
        let output = super::backend::success_type(&signature.output)
            .map(|typ| rust_type(&quote::quote!(#typ).to_string()))
            .unwrap_or_else(|| "()".to_owned());
        operations.push(format!(
            "operation {}: {} {} ({}) -> {}",
            operation.method_name,
            operation.http_method,
            operation.path,
            parameters.join(", "),
            output,
        ));
    }

    // Each type's line, then its fields or variants, types in name order.
    let mut types: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for typ in backend.type_space().iter_types() {
        let name = typ.name();
        match typ.details() {
            TypeDetails::Struct(details) => {
                let mut fields = BTreeSet::new();
                for property in details.properties_info() {
                    let Ok(field) = backend.type_space().get_type(&property.type_id) else {
                        continue;
                    };
                    let field_type = rust_type(&field.ident().to_string());
                    fields.insert(format!("field {name}.{}: {field_type}", property.name));
                }
                types.insert(name.clone(), (format!("type {name}: struct"), fields));
            }
            TypeDetails::Enum(details) => {
                let variants = details
                    .variants_info()
                    .map(|variant| format!("variant {name}::{}", variant.name))
                    .collect();
                types.insert(name.clone(), (format!("type {name}: enum"), variants));
            }
            TypeDetails::Newtype(details) => {
                let inner = backend
                    .type_space()
                    .get_type(&details.inner())
                    .map(|inner| rust_type(&inner.ident().to_string()))
                    .unwrap_or_default();
                types.insert(
                    name.clone(),
                    (format!("type {name}: newtype {inner}"), BTreeSet::new()),
                );
            }
            _ => {}
        }
    }
    if let Some(error) = api
        .error
        .as_ref()
        .filter(|error| error.code_property.is_some())
    {
        let mut variants: BTreeSet<String> = error
            .codes
            .iter()
            .map(|code| format!("variant ErrorCode::{}", crate::names::type_name(code)))
            .collect();
        variants.insert("variant ErrorCode::Other(String)".to_owned());
        types.insert(
            "ErrorCode".to_owned(),
            ("type ErrorCode: enum".to_owned(), variants),
        );
    }

    let mut text = String::new();
    let type_lines = types
        .values()
        .flat_map(|(line, members)| std::iter::once(line).chain(members));
    for line in operations.iter().chain(type_lines) {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// A type as a reader writes it: `Option<String>` rather than the fully qualified path
/// the backend emits, and without the spaces of a token stream.
fn rust_type(tokens: &str) -> String {
    let compact: String = tokens
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("&'a ", "&")
        .replace("' a ", "");
    let mut out = compact;
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::boxed::",
        "::std::collections::",
        "::chrono::",
        "crate::",
        "types::",
        "::serde_json::",
    ] {
        out = out.replace(prefix, "");
    }
    out
}
