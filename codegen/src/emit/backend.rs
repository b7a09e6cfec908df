//! The backend: progenitor emits the types and one method per operation; this module
//! configures it, runs it, and reads back the signatures of the methods it emitted.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use typify::{Type, TypeSpace};

use crate::error::Problem;
use crate::ir::Api;
use crate::lower::ERROR_CODE_SCHEMA;

/// The type generated for `format: date-time`: it keeps the offset the API sends
/// (`-05:00`), where the backend's default would turn every time into UTC.
pub const DATE_TIME_TYPE: &str = "::chrono::DateTime<::chrono::FixedOffset>";

/// The backend's output and the type space it was made from.
pub struct Backend {
    generator: Generator,
    /// The module holding the types and the inner client.
    file: syn::File,
    /// The signature of each operation method, in document order.
    pub methods: Vec<syn::Signature>,
}

impl Backend {
    /// The module holding the types and the inner client.
    pub fn into_file(self) -> syn::File {
        self.file
    }

    /// The types the backend generated.
    pub fn type_space(&self) -> &TypeSpace {
        self.generator.get_type_space()
    }

    /// The generated types by name, for looking up component schemas.
    ///
    /// Building it formats every type's name once; an emitter that looks up many
    /// schemas builds it once and keeps it, so that the cost grows with the number of
    /// types rather than with types times lookups.
    pub fn type_index(&self) -> TypeIndex<'_> {
        let mut by_name = HashMap::new();
        for typ in self.type_space().iter_types() {
            // The first type of a name is the component's own; later ones of the same
            // name cannot be reached by it.
            by_name.entry(typ.name()).or_insert(typ);
        }
        TypeIndex { by_name }
    }

    /// Whether the backend emitted paginated streams, which use `futures`.
    pub fn uses_futures(&self) -> bool {
        self.generator.uses_futures()
    }

    /// Whether the backend emitted websocket upgrades, which use `base64` and `rand`.
    pub fn uses_websockets(&self) -> bool {
        self.generator.uses_websockets()
    }

    /// Whether some operation's error body is raw bytes (`Error<ByteStream>`), as for a
    /// `default` response of `*/*`.
    pub fn has_raw_error_body(&self) -> bool {
        self.methods.iter().any(|signature| {
            error_type(&signature.output).is_some_and(|typ| is_path(&typ, "ByteStream"))
        })
    }

    /// The signature of the method emitted for an operation.
    pub fn method(&self, name: &str) -> Option<&syn::Signature> {
        self.methods
            .iter()
            .find(|signature| signature.ident == name)
    }
}

/// Runs the backend on the lowered document.
pub fn run(api: &Api) -> Result<Backend, Vec<Problem>> {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // Our client implements the hooks (authentication, headers), so a missing
        // implementation must be a compile error rather than a silent default.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote! { crate::transport::Shared })
        .with_derive("PartialEq");
    if api.uses_date_time {
        let date_time = schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date-time".to_owned()),
            ..Default::default()
        };
        settings.with_conversion(
            date_time,
            DATE_TIME_TYPE,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    if api
        .error
        .as_ref()
        .is_some_and(|error| error.code_property.is_some())
    {
        settings.with_replacement(
            ERROR_CODE_SCHEMA,
            "crate::ErrorCode",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }

    let mut generator = Generator::new(&settings);
    // The backend panics on some constructs it does not support; that must reach the
    // user as an error, not as a crash of the generator.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&api.backend)));
    std::panic::set_hook(previous_hook);
    let tokens = match outcome {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(error)) => {
            return Err(vec![Problem::unsupported(
                "#",
                format!("the backend refused the spec: {error}"),
            )]);
        }
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no reason given");
            return Err(vec![Problem::unsupported(
                "#",
                format!("a construct the backend cannot handle ({reason})"),
            )]);
        }
    };

    let mut file: syn::File = syn::parse2(tokens).map_err(|error| {
        vec![Problem::new(
            "#",
            format!("the backend emitted code that does not parse: {error}"),
        )]
    })?;
    for method in client_methods(&mut file) {
        drop_api_version_header(method);
    }
    let methods = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method.sig.clone()),
            _ => None,
        })
        .collect();
    Ok(Backend {
        generator,
        file,
        methods,
    })
}

/// The methods of the inner client, one per operation.
fn client_methods(file: &mut syn::File) -> impl Iterator<Item = &mut syn::ImplItemFn> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &mut block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method),
            _ => None,
        })
}

/// Takes out of an operation method the `api-version` header that the backend adds to
/// every request with the spec's `info.version`: the API does not ask for it, and
/// building a header only for the transport to remove it costs every request.
///
/// The method builds its headers into a map made `with_capacity` of the number it will
/// append, the `api-version` one included; the capacity loses one with it.
fn drop_api_version_header(method: &mut syn::ImplItemFn) {
    let before = method.block.stmts.len();
    method
        .block
        .stmts
        .retain(|statement| !appends_api_version(statement));
    if method.block.stmts.len() == before {
        return;
    }
    for statement in &mut method.block.stmts {
        let syn::Stmt::Local(local) = statement else {
            continue;
        };
        let Some(init) = &mut local.init else {
            continue;
        };
        let syn::Expr::Call(call) = &mut *init.expr else {
            continue;
        };
        if !makes_header_map(&call.func) {
            continue;
        }
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(capacity),
            ..
        })) = call.args.first_mut()
        else {
            continue;
        };
        let fewer = capacity
            .base10_parse::<usize>()
            .unwrap_or(1)
            .saturating_sub(1);
        *capacity = syn::LitInt::new(&format!("{fewer}usize"), capacity.span());
        // With nothing left to append, the map is never changed.
        if let (0, syn::Pat::Ident(binding)) = (fewer, &mut local.pat) {
            binding.mutability = None;
        }
    }
}

/// Whether `function` is `…::HeaderMap::with_capacity`.
fn makes_header_map(function: &syn::Expr) -> bool {
    let syn::Expr::Path(path) = function else {
        return false;
    };
    let mut segments = path.path.segments.iter().rev();
    segments
        .next()
        .is_some_and(|last| last.ident == "with_capacity")
        && segments
            .next()
            .is_some_and(|type_name| type_name.ident == "HeaderMap")
}

/// Whether `statement` is `header_map.append(HeaderName::from_static("api-version"), …);`.
fn appends_api_version(statement: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = statement else {
        return false;
    };
    let on_header_map =
        matches!(&*call.receiver, syn::Expr::Path(path) if path.path.is_ident("header_map"));
    let names_api_version = call
        .args
        .first()
        .is_some_and(|name| quote! { #name }.to_string().contains("\"api-version\""));
    call.method == "append" && on_header_map && names_api_version
}

/// The generated types by name (see [`Backend::type_index`]).
pub struct TypeIndex<'a> {
    by_name: HashMap<String, Type<'a>>,
}

impl TypeIndex<'_> {
    /// The generated type for the component schema `schema`, if there is one.
    pub fn component_type(&self, schema: &str) -> Option<&Type<'_>> {
        self.by_name.get(&crate::names::type_name(schema))
    }
}

fn is_client(typ: &syn::Type) -> bool {
    matches!(typ, syn::Type::Path(path) if path.path.is_ident("Client"))
}

/// `T` out of the backend's `Result<ResponseValue<T>, Error<E>>`.
pub fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, result) = output else {
        return None;
    };
    let response_value = type_arguments(result).into_iter().next()?;
    type_arguments(&response_value).into_iter().next()
}

/// `E` out of the backend's `Result<ResponseValue<T>, Error<E>>`.
pub fn error_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, result) = output else {
        return None;
    };
    let error = type_arguments(result).into_iter().nth(1)?;
    type_arguments(&error).into_iter().next()
}

/// The type arguments of the last segment of a path type (`A` and `B` of `Result<A, B>`).
pub fn type_arguments(typ: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(path) = typ else {
        return Vec::new();
    };
    let Some(syn::PathArguments::AngleBracketed(arguments)) =
        path.path.segments.last().map(|segment| &segment.arguments)
    else {
        return Vec::new();
    };
    arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            syn::GenericArgument::Type(typ) => Some(typ.clone()),
            _ => None,
        })
        .collect()
}

/// Whether `typ` is the path `name` (`ByteStream`, `types::Error`).
pub fn is_path(typ: &syn::Type, name: &str) -> bool {
    let syn::Type::Path(path) = typ else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    segments.join("::") == name
}
