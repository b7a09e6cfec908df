//! A spec grown from one operation to a whole resource (list, get, create, update,
//! partial update, delete): the generated crate compiles, and each of its operations is
//! called against a local server by `tests/resource-calls/calls.rs`, run inside it.

use std::process::Command;

#[test]
fn every_operation_of_a_whole_resource_works_against_a_local_server() {
    let root = linq_tests::workspace_root();
    let spec = root.join("tests/tests/fixtures/resource.yaml");
    let options = linq_codegen::Options {
        spec,
        spec_label: "tests/tests/fixtures/resource.yaml".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        crate_name: "resource".to_owned(),
        crate_version: "0.1.0".to_owned(),
    };
    let workspace = root.join("target/resource-crate");
    let _ = std::fs::remove_dir_all(&workspace);
    let out = workspace.join("resource");
    linq_codegen::regenerate(&options, &out, linq_codegen::Mode::Write).unwrap();

    // The calls are an integration test of the generated crate, with what it needs.
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::copy(
        root.join("tests/resource-calls/calls.rs"),
        out.join("tests/calls.rs"),
    )
    .unwrap();
    let mut manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    if !manifest.contains("[dev-dependencies]") {
        manifest.push_str("\n[dev-dependencies]\n");
        manifest.push_str(
            "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
        );
    }
    manifest.push_str("serde_json = \"1\"\nwiremock = \"0.6\"\n");
    std::fs::write(out.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"resource\"]\n",
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&workspace)
        .args(["test", "--no-default-features", "--test", "calls"])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the calls failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("test result: ok. 7 passed"), "{stdout}");
}
