//! The crate generated from each fixture spec compiles with no warning.

#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut crates = Vec::new();
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    specs.sort();
    for spec in specs
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
    {
        let name = format!(
            "fixture-{}",
            spec.file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('_', "-")
        );
        let options = linq_codegen::Options {
            spec: spec.clone(),
            spec_label: spec.display().to_string(),
            command: "cargo xtask codegen".to_owned(),
            crate_name: name.clone(),
            crate_version: "0.1.0".to_owned(),
        };
        let files = linq_codegen::generate(&options).unwrap_or_else(|error| panic!("{error}"));
        crates.push((name, files));
    }
    assert!(crates.len() >= 6);
    if let Err(message) = linq_tests::compile_generated(&crates) {
        panic!("{message}");
    }
}
