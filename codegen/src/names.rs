//! Rust names for API names, made the way the backend's type generator makes them, so
//! that emitted code can refer to the fields and types the backend emitted.

use heck::{ToPascalCase, ToSnakeCase};

/// The Rust field name of a property (`phone-number` becomes `phone_number`).
pub fn field(name: &str) -> String {
    sanitize(name, ToSnakeCase::to_snake_case)
}

/// The Rust method name of an operation id (`createContact` becomes `create_contact`).
/// The backend prefixes a name that cannot start an identifier with `_`, where the type
/// generator uses `x`.
pub fn method(name: &str) -> String {
    let field = field(name);
    match field.strip_prefix('x') {
        Some(rest) if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
            format!("_{rest}")
        }
        _ => field,
    }
}

/// The Rust type name of a schema (`new_contact` becomes `NewContact`).
pub fn type_name(name: &str) -> String {
    sanitize(name, ToPascalCase::to_pascal_case)
}

fn sanitize(name: &str, case: fn(&str) -> String) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = case(&cleaned);
    if out.is_empty() {
        out = case("x");
    } else if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out = format!("{}{out}", case("x"));
    }
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

fn is_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
        "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(field("phone_number"), "phone_number");
        assert_eq!(field("phoneNumber"), "phone_number");
        assert_eq!(field("type"), "type_");
        assert_eq!(field("2fa"), "x2fa");
        assert_eq!(method("2fa"), "_2fa");
        assert_eq!(method("type"), "type_");
        assert_eq!(method("createContact"), "create_contact");
        assert_eq!(method("key.get"), "key_get");
        assert_eq!(type_name("new_contact"), "NewContact");
        assert_eq!(type_name("NewContact"), "NewContact");
    }
}
