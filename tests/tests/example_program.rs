//! The generated example program, run as a user would run it, against a local server:
//! it reads the token and the server from the environment and prints the created contact,
//! or a clear error.

use std::process::Command;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `cargo run --example create_contact` of the generated crate with `env`, in a
/// target directory of its own so that it never waits on the outer build.
fn run_example(env: &[(&str, &str)]) -> std::process::Output {
    let root = linq_tests::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(&root)
        .args([
            "run",
            "--quiet",
            "-p",
            "linq-partner-v2",
            "--no-default-features",
            "--example",
            "create_contact",
        ])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .env_remove("LINQ_INTEGRATION_TOKEN")
        .env_remove("LINQ_BASE_URL");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("cargo runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_program_creates_a_contact_on_a_local_server() {
    let created = linq_tests::examples(&linq_tests::spec())
        .into_iter()
        .find(|example| example.direction == linq_tests::Direction::Response(201))
        .unwrap()
        .value;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/partner/v2/contacts"))
        .and(header("X-LINQ-INTEGRATION-TOKEN", "example-token"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;

    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        run_example(&[
            ("LINQ_INTEGRATION_TOKEN", "example-token"),
            ("LINQ_BASE_URL", &uri),
        ])
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the example failed:\n{stderr}");
    assert!(stdout.starts_with("201 Created\n"), "{stdout}");
    assert!(
        stdout.contains("full_name: Some(\n            \"John Doe\","),
        "{stdout}"
    );
}

#[test]
fn without_a_token_the_example_says_what_is_missing() {
    let output = run_example(&[("LINQ_BASE_URL", "http://127.0.0.1:9")]);
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: invalid client configuration: no token given, and LINQ_INTEGRATION_TOKEN is not set to one\n"
    );
}
