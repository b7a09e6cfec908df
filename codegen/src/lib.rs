//! Generates the Rust client crate of an OpenAPI 3.0 spec.
//!
//! The work is a pipeline, one module per stage: [`load`] the file, [`validate`] it,
//! [`lower`] it into the intermediate representation ([`ir`]), [`emit`] the crate's
//! files (the backend, progenitor, for types and operations; our own code for the rest),
//! [`format`] them, and [`write`] those that changed. Every problem in the spec is
//! reported with its JSON pointer, all at once; nothing is written unless the whole
//! pipeline succeeded.

#![deny(missing_docs)]

pub mod changes;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
mod names;
pub mod validate;
pub mod write;

use std::path::PathBuf;

pub use error::{Error, Problem};
pub use format::OutputFile;
pub use write::{Changes, Mode};

/// What to generate and how to name it.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec file to read.
    pub spec: PathBuf,
    /// How generated files name the spec in their header, such as
    /// `spec/linq-partner-v2.yaml`: a path that reads the same on every machine.
    pub spec_label: String,
    /// The command that regenerates the files, named in their header.
    pub command: String,
    /// The generated package's name.
    pub crate_name: String,
    /// The generated package's version.
    pub crate_version: String,
}

/// Generates the crate and brings `out` up to date with it (or, in check mode, only
/// compares): every stage, writing last, so that a spec with any problem leaves `out`
/// exactly as it was.
pub fn regenerate(
    options: &Options,
    out: &std::path::Path,
    mode: Mode,
) -> Result<(Vec<OutputFile>, Changes), Error> {
    let files = generate(options)?;
    let changes = write::write(out, &files, mode)?;
    Ok((files, changes))
}

/// Runs every stage but writing, and returns the files of the generated crate.
pub fn generate(options: &Options) -> Result<Vec<OutputFile>, Error> {
    let name = &options.crate_name;
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_name {
        return Err(Error::CrateName(name.clone()));
    }

    let source = load::load(&options.spec)?;
    let in_spec = |problems| Error::Spec {
        path: options.spec.clone(),
        problems,
    };

    let spec = validate::validate(&source.document).map_err(in_spec)?;

    let api = lower::lower(&source.document, &spec).map_err(in_spec)?;

    let emitted = emit::emit(&api, options).map_err(in_spec)?;

    format::format(emitted, options)
}
