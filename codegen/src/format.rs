//! Format stage: renders emitted token streams and parsed files as rustfmt-style source
//! and puts the generated-file header on every file.

use crate::Options;
use crate::emit::Emitted;
use crate::error::Error;

/// A finished file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the crate, with `/` separators.
    pub path: String,
    /// The complete contents, ending with a newline.
    pub contents: String,
}

/// Formats every emitted file.
pub fn format(files: Vec<Emitted>, options: &Options) -> Result<Vec<OutputFile>, Error> {
    files
        .into_iter()
        .map(|file| match file {
            Emitted::Rust { path, tokens } => {
                let parsed: syn::File = syn::parse2(tokens).map_err(|error| Error::Emit {
                    file: path.clone(),
                    message: error.to_string(),
                })?;
                Ok(rust_file(path, &parsed, options))
            }
            Emitted::Parsed { path, file } => Ok(rust_file(path, &file, options)),
            Emitted::Text { path, text } => Ok(OutputFile {
                path: path.to_owned(),
                contents: format!("{}{text}", header("#", options)),
            }),
        })
        .collect()
}

/// A Rust source file: the header, then `file` formatted.
fn rust_file(path: String, file: &syn::File, options: &Options) -> OutputFile {
    OutputFile {
        path,
        contents: format!(
            "{}{}",
            header("//", options),
            space_out(&prettyplease::unparse(file))
        ),
    }
}

/// Puts a blank line between consecutive items of a module or an `impl` block, which
/// the formatter packs together, so that the generated files read (and diff) like
/// hand-formatted ones.
fn space_out(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(previous) = previous {
            let indent = line.len() - line.trim_start().len();
            let is_comment = previous.trim_start().starts_with("//");
            let previous_indent = previous.len() - previous.trim_start().len();
            // An item ends with a closing brace; a one-line item (`use`, `const`, `mod`)
            // ends with a semicolon at the top level, where statements cannot be.
            let closes_item = !is_comment
                && (previous.trim() == "}"
                    || (previous_indent == 0 && previous.trim_end().ends_with(';')));
            let starts_item = !line.trim().is_empty() && !line.trim_start().starts_with('}');
            // Runs of one-line declarations of one kind (`mod a;`, `mod b;`) stay together.
            let same_kind =
                previous.trim_end().ends_with(';') && keyword(previous) == keyword(line);
            if closes_item && starts_item && indent == previous_indent && indent <= 4 && !same_kind
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// The first word of a declaration, after any visibility.
fn keyword(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if first.starts_with("pub") {
        words.next()
    } else {
        Some(first)
    }
}

/// The lines that open every generated file, as comments of the given kind.
fn header(comment: &str, options: &Options) -> String {
    format!(
        "{comment} Generated from {spec} by `{command}`.\n\
         {comment} Do not edit: change the spec and run the command again.\n\n",
        spec = options.spec_label,
        command = options.command,
    )
}
