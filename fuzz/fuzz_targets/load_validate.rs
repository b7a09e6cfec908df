//! Feeds arbitrary text through the first three stages of the generator: load (YAML or
//! JSON into a value), validate (checks and the typed OpenAPI model) and lower (the
//! intermediate representation). Each stage must answer a bad spec with an error; a
//! panic, an abort, a stack overflow or a hang here is a bug.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use linq_codegen::{load, lower, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(source) = load::parse(Path::new("fuzz.yaml"), text) else {
        return;
    };
    let Ok(spec) = validate::validate(&source.document) else {
        return;
    };
    let _ = lower::lower(&source.document, &spec);
});
