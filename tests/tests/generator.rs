//! The generator's output, pinned: for the real spec, one snapshot per generated file;
//! for each fixture spec (one per generator feature, in `fixtures/`), one snapshot of the
//! whole crate beside the fixture; for each broken spec (in `bad-specs/`), the error
//! message. Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use linq_codegen::{Mode, Options, OutputFile};

fn options(spec: PathBuf, label: String, crate_name: &str) -> Options {
    Options {
        spec,
        spec_label: label,
        command: "cargo xtask codegen".to_owned(),
        crate_name: crate_name.to_owned(),
        crate_version: "0.1.0".to_owned(),
    }
}

fn real_spec_options() -> Options {
    options(
        linq_tests::spec_path(),
        "spec/linq-partner-v2.yaml".to_owned(),
        "linq-partner-v2",
    )
}

fn specs_in(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
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

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn joined(files: &[OutputFile]) -> String {
    files
        .iter()
        .filter(|file| file.path != "rustfmt.toml")
        .map(|file| format!("==> {} <==\n{}", file.path, file.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_real_spec_generates_the_pinned_files() {
    let files = linq_codegen::generate(&real_spec_options()).expect("the real spec generates");
    for file in &files {
        let name = file.path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn the_checked_in_crate_equals_a_fresh_generation() {
    let files = linq_codegen::generate(&real_spec_options()).expect("the real spec generates");
    let out = linq_tests::workspace_root().join("generated");
    let changes = linq_codegen::write::write(&out, &files, Mode::Check).unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale, run `cargo xtask codegen`: {changes:?}"
    );
}

#[test]
fn generation_is_byte_identical_every_time() {
    let first = linq_codegen::generate(&real_spec_options()).unwrap();
    let second = linq_codegen::generate(&real_spec_options()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn each_fixture_generates_its_pinned_crate() {
    let specs = specs_in("fixtures");
    assert!(specs.len() >= 6, "fixtures missing: {specs:?}");
    for spec in specs {
        let name = stem(&spec);
        let label = format!("tests/tests/fixtures/{name}.yaml");
        let files = linq_codegen::generate(&options(spec, label, &name.replace('_', "-")))
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        insta::with_settings!({snapshot_path => "fixtures", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, joined(&files));
        });
    }
}

#[test]
fn each_broken_spec_gets_its_pinned_error() {
    let specs = specs_in("bad-specs");
    assert!(specs.len() >= 10, "broken specs missing: {specs:?}");
    for spec in specs {
        let name = stem(&spec);
        let extension = spec.extension().unwrap().to_string_lossy().into_owned();
        // A relative path, so that the pinned message reads the same on every machine.
        let relative = PathBuf::from(format!("tests/bad-specs/{name}.{extension}"));
        let error = linq_codegen::generate(&options(relative, name.clone(), "bad"))
            .expect_err(&format!("{name} must be refused"));
        insta::with_settings!({snapshot_path => "bad-specs", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, error.to_string());
        });
    }
}

#[test]
fn a_spec_that_is_not_there_is_named() {
    let error = linq_codegen::generate(&options(
        "tests/bad-specs/absent.yaml".into(),
        "x".into(),
        "x",
    ))
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot read spec tests/bad-specs/absent.yaml: "),
        "{error}"
    );
}

#[test]
fn a_crate_name_that_is_not_an_identifier_is_refused() {
    let mut options = real_spec_options();
    options.crate_name = "corpus-keeper.json".to_owned();
    let error = linq_codegen::generate(&options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "crate name `corpus-keeper.json` is not valid: use ASCII letters, digits, `-` and `_`, starting with a letter"
    );
}

#[test]
fn a_broken_spec_leaves_the_output_byte_for_byte_unchanged() {
    let out = linq_tests::workspace_root().join("target/unchanged-output");
    let _ = std::fs::remove_dir_all(&out);
    let (files, _) = linq_codegen::regenerate(&real_spec_options(), &out, Mode::Write).unwrap();
    let before: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|file| {
            (
                file.path.clone(),
                std::fs::read(out.join(&file.path)).unwrap(),
            )
        })
        .collect();

    for spec in specs_in("bad-specs") {
        let name = stem(&spec);
        let mut options = real_spec_options();
        options.spec = spec;
        linq_codegen::regenerate(&options, &out, Mode::Write)
            .expect_err(&format!("{name} must be refused"));
        for (path, bytes) in &before {
            assert_eq!(
                &std::fs::read(out.join(path)).unwrap(),
                bytes,
                "{name} changed {path}"
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.join("src"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
