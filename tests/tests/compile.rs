//! Generated crates compile with no warning, clippy's included: the crate of each fixture
//! spec, and the crate of each public spec written by others (`../shared/corpora/`).

use std::path::{Path, PathBuf};

fn generate(specs: &[PathBuf], prefix: &str) -> Vec<(String, Vec<linq_codegen::OutputFile>)> {
    specs
        .iter()
        .map(|spec| {
            let stem = spec
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('_', "-");
            let name = format!("{prefix}-{stem}");
            let options = linq_codegen::Options {
                spec: spec.clone(),
                spec_label: spec.file_name().unwrap().to_string_lossy().into_owned(),
                command: "cargo xtask codegen".to_owned(),
                crate_name: name.clone(),
                crate_version: "0.1.0".to_owned(),
            };
            let files = linq_codegen::generate(&options).unwrap_or_else(|error| panic!("{error}"));
            (name, files)
        })
        .collect()
}

fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let specs = specs_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"));
    assert!(specs.len() >= 6);
    if let Err(message) =
        linq_tests::compile_generated("fixture-crates", &generate(&specs, "fixture"))
    {
        panic!("{message}");
    }
}

#[test]
fn every_corpus_spec_generates_a_crate_that_compiles_without_warnings() {
    let corpora = linq_tests::workspace_root().join("../shared/corpora");
    let specs = specs_in(&corpora);
    assert_eq!(specs.len(), 5, "the corpus specs: {specs:?}");
    if let Err(message) =
        linq_tests::compile_generated("corpus-crates", &generate(&specs, "corpus"))
    {
        panic!("{message}");
    }
}
