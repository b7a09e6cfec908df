//! Contract tests: the generated client against Prism, a mock server that others wrote
//! and that reads the same spec (`tests/prism/`, pinned in its package-lock.json). Prism
//! checks each request against the spec, answers with the spec's examples and checks
//! its own answer too (`--errors`), so a client and a spec that drift apart fail here
//! even when they agree with each other.
//!
//! Every body comes from the spec's examples (`linq_tests::examples`); none is copied
//! here. When an assertion fails, its message carries the `sl-violations` header in
//! which Prism lists what it found wrong with the request or its own response.
//!
//! Prism needs Node.js. Without it the tests say so on stderr and pass, except on CI
//! (`CI=true`), where a missing Node or a Prism that does not start fails them.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use linq_partner_v2::types::CreateContactRequest;
use linq_partner_v2::{Client, Error, ErrorCode, RequestOptions, ValidationError};
use linq_tests::{Direction, Example};
use reqwest::header::HeaderMap;
use serde_json::Value;

const TOKEN: &str = "prism-test-token";
const OPERATION: &str = "createContact";
const CONTACTS: &str = "/api/partner/v2/contacts";
const VIOLATIONS: &str = "sl-violations";
const TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------
// Starting and stopping Prism.
//
// Prism starts once per test binary, on first use: the first test runs `start`, the
// others wait on the `OnceLock` for its outcome and share it. Prism is started by
// tests/prism/start.sh, which installs the pinned Prism with `npm ci` when needed, picks
// a free port, waits until Prism answers and leaves its pid in PORTFILE.pid.
//
// Statics are never dropped, so nothing in this process can stop Prism on the way out.
// Instead start.sh is run by a watchdog: a small bash (`WATCHDOG`) whose stdin is a
// pipe from this process. It runs start.sh, reports start.sh's output and exit status
// on its stdout, then blocks reading its stdin. The write end of that pipe exists in
// this process only (Rust opens pipes close-on-exec, so no other child inherits it) and
// is kept in the static `PRISM`, so the kernel closes it exactly when this process
// ends, however it ends: normal exit, panic, abort or SIGKILL. The watchdog's `read`
// then sees end-of-file, and it stops Prism (TERM, KILL after 5 s) and removes the
// temporary folder: at once, without polling and without libc. Because the watchdog,
// not this process, waits for start.sh, a test process that dies while Prism is still
// starting leaves nothing behind either: the watchdog waits for start.sh to finish and
// then stops the Prism it started. A Ctrl-C reaches Prism, the watchdog and start.sh
// directly: they stay in the terminal's process group. The watchdog's command line
// does not contain the word "prism" (the paths come in environment variables), so that
// `pgrep -f prism` shows Prism itself only.
// ---------------------------------------------------------------------------------------

/// What the first test found when it tried to start Prism.
enum Prism {
    /// Prism is listening at `base_url` until this process ends.
    Running {
        base_url: String,
        /// The watchdog's stdin: closed by the kernel when this process ends.
        _watchdog: ChildStdin,
    },
    /// Node is missing and this is not CI: the tests pass without running.
    Skipped(String),
    /// Prism cannot run here, or did not start: every test fails with this message.
    Failed(String),
}

static PRISM: OnceLock<Prism> = OnceLock::new();

/// The line with which the watchdog reports start.sh's exit status.
const STARTED: &str = "@@ start.sh exit status: ";

/// Runs start.sh, reports, and stops Prism once its stdin reaches end-of-file. The
/// `LINQ_MOCK_*` variables name start.sh, its two arguments and the port file's folder.
const WATCHDOG: &str = r#"
bash "$LINQ_MOCK_START" "$LINQ_MOCK_SPEC" "$LINQ_MOCK_PORT_FILE" </dev/null 2>&1
status=$?
# If the test process is gone already, reporting must not kill the watchdog.
trap '' PIPE
echo "@@ start.sh exit status: $status"
exec >/dev/null 2>&1
while read -r _; do :; done
pid="$(cat "$LINQ_MOCK_PORT_FILE.pid" 2>/dev/null)"
if [ -n "$pid" ]; then
  kill "$pid"
  for _ in $(seq 50); do
    kill -0 "$pid" || break
    sleep 0.1
  done
  kill -0 "$pid" && kill -9 "$pid"
fi
if [ -n "$LINQ_MOCK_DIR" ]; then
  rm -f -- "$LINQ_MOCK_DIR"/port*
  rmdir -- "$LINQ_MOCK_DIR"
fi
exit 0
"#;

/// The base URL of the running Prism, or `None` when the Prism tests are skipped here
/// (after saying so on stderr). Panics when Prism should run and does not.
fn prism(test: &str) -> Option<String> {
    match PRISM.get_or_init(start) {
        Prism::Running { base_url, .. } => Some(base_url.clone()),
        Prism::Skipped(reason) => {
            // Straight to stderr: libtest captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr().lock(),
                "SKIPPED {test}: Prism tests are skipped because {reason}. Install Node.js \
                 (>= 18) to run them; with CI=true this is a failure."
            );
            None
        }
        Prism::Failed(message) => panic!("{message}"),
    }
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// Whether `program --version` can be run from PATH.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn start() -> Prism {
    let root = linq_tests::workspace_root();
    let here = root.join("tests/prism");
    let missing = if !installed("node") {
        Some("Node.js is missing (`node` is not on PATH)")
    } else if !here.join("node_modules/.bin/prism").exists() && !installed("npm") {
        Some("npm is missing (`npm` is not on PATH) and Prism is not installed yet")
    } else {
        None
    };
    if let Some(reason) = missing {
        return if on_ci() {
            Prism::Failed(format!(
                "CI=true but {reason}: the Prism contract tests must run on CI. Install \
                 Node.js (>= 18, with npm) in the CI image."
            ))
        } else {
            Prism::Skipped(reason.to_owned())
        };
    }
    match start_prism(&root, &here) {
        Ok(prism) => prism,
        Err(message) => Prism::Failed(format!("Prism did not start: {message}")),
    }
}

fn start_prism(root: &Path, here: &Path) -> Result<Prism, String> {
    let dir = root.join(format!("target/prism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let port_file = dir.join("port");
    let script = here.join("start.sh");
    let spec = linq_tests::spec_path();
    let command = format!(
        "bash {} {} {}",
        script.display(),
        spec.display(),
        port_file.display()
    );

    let mut watchdog = Command::new("bash")
        .args(["-c", WATCHDOG])
        .env("LINQ_MOCK_START", &script)
        .env("LINQ_MOCK_SPEC", &spec)
        .env("LINQ_MOCK_PORT_FILE", &port_file)
        .env("LINQ_MOCK_DIR", &dir)
        // NODE_ENV=production would make `npm ci` skip Prism (a devDependency) and make
        // Prism fork a second process (its --multiprocess default).
        .env_remove("NODE_ENV")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    let stdin = watchdog
        .stdin
        .take()
        .expect("the watchdog's stdin is piped");
    let stdout = watchdog
        .stdout
        .take()
        .expect("the watchdog's stdout is piped");

    // start.sh's output, up to the watchdog's line with its exit status.
    let mut said = Vec::new();
    let mut status = None;
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        match line.strip_prefix(STARTED) {
            Some(code) => {
                status = Some(code.trim().to_owned());
                break;
            }
            None => said.push(line),
        }
    }
    let said = said.join("\n");
    if status.as_deref() != Some("0") {
        // Let the watchdog clean up now.
        drop(stdin);
        let _ = watchdog.wait();
        let status = status.map_or("did not finish".to_owned(), |code| {
            format!("exit status {code}")
        });
        return Err(format!("`{command}` failed ({status}):\n{said}"));
    }
    let port = std::fs::read_to_string(&port_file).map_err(|e| {
        format!(
            "`{command}` succeeded but {} is unreadable: {e}",
            port_file.display()
        )
    })?;
    Ok(Prism::Running {
        base_url: format!("http://127.0.0.1:{}", port.trim()),
        _watchdog: stdin,
    })
}

// ---------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------

fn examples(direction: impl Fn(Direction) -> bool) -> Vec<Example> {
    linq_tests::examples(&linq_tests::spec())
        .into_iter()
        .filter(|example| example.operation_id == OPERATION && direction(example.direction))
        .collect()
}

fn request_examples() -> Vec<(Example, CreateContactRequest)> {
    let examples = examples(|direction| direction == Direction::Request);
    assert!(
        !examples.is_empty(),
        "the spec documents no request example of {OPERATION}"
    );
    examples
        .into_iter()
        .map(|example| {
            let body = serde_json::from_value(example.value.clone()).unwrap_or_else(|error| {
                panic!(
                    "request example `{}` is not a CreateContactRequest: {error}",
                    example.name
                )
            });
            (example, body)
        })
        .collect()
}

/// The `Prefer` header that makes Prism answer with the example `name` of `status`.
fn prefer(status: u16, name: &str) -> String {
    format!("code={status}, example={name}")
}

/// A typed client of Prism; with `prefer`, every request carries that `Prefer` header.
/// Retries are off: each answer of Prism is judged as it comes.
fn client(base_url: &str, prefer: Option<&str>) -> Client {
    let mut builder = Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .timeout(TIMEOUT)
        .max_retries(0);
    if let Some(prefer) = prefer {
        builder = builder.header("Prefer", prefer);
    }
    builder.build().expect("a valid client")
}

/// The request the client sends, made by hand: to see what the typed API does not show,
/// or to send what the client will not send.
async fn raw_post(
    base_url: &str,
    body: &Value,
    token: Option<&str>,
    prefer: Option<&str>,
) -> reqwest::Response {
    let http = reqwest::Client::builder().timeout(TIMEOUT).build().unwrap();
    let mut request = http
        .post(format!("{base_url}{CONTACTS}"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(serde_json::to_vec(body).unwrap());
    if let Some(token) = token {
        request = request.header(linq_partner_v2::TOKEN_HEADER, token);
    }
    if let Some(prefer) = prefer {
        request = request.header("prefer", prefer);
    }
    request.send().await.expect("Prism answers")
}

/// The `sl-violations` header in `headers`, or `None`.
fn violations_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get(VIOLATIONS)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// What Prism said about the exchange that ended in `error`: from the error's headers
/// when it has them, otherwise from the same request sent again by hand.
async fn violations_after(
    error: &Error,
    base_url: &str,
    body: &Value,
    prefer: Option<&str>,
) -> String {
    match error.headers() {
        Some(headers) => describe_violations(violations_in(headers)),
        None => {
            let response = raw_post(base_url, body, Some(TOKEN), prefer).await;
            let violations = describe_violations(violations_in(response.headers()));
            format!("{violations} (the request sent again by hand)")
        }
    }
}

fn describe_violations(violations: Option<String>) -> String {
    match violations {
        Some(violations) => format!("{VIOLATIONS}: {violations}"),
        None => format!("no {VIOLATIONS} header"),
    }
}

/// The `ErrorCode` a documented code must parse into: one of the known ones.
fn documented_code(code: &str) -> ErrorCode {
    let parsed = ErrorCode::from(code);
    assert!(
        ErrorCode::KNOWN.contains(&parsed),
        "the documented code {code:?} has no variant"
    );
    parsed
}

// ---------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------

/// Each documented request, sent by the client, is valid for Prism, which answers with
/// the documented 201; the client parses it into exactly that example.
#[tokio::test]
async fn each_request_example_is_accepted_and_gets_the_201_example() {
    let Some(base_url) = prism("each_request_example_is_accepted_and_gets_the_201_example") else {
        return;
    };
    // Without a `Prefer` header Prism answers with the first example of the first 2xx.
    let created = examples(|direction| direction == Direction::Response(201))
        .into_iter()
        .next()
        .expect("the spec documents a 201 example");
    let client = client(&base_url, None);

    let mut failures = Vec::new();
    for (example, body) in request_examples() {
        let name = &example.name;
        let response = match client.create_contact(&body).await {
            Ok(response) => response,
            Err(error) => {
                let violations = violations_after(&error, &base_url, &example.value, None).await;
                failures.push(format!(
                    "request example `{name}`: not accepted: {error}; {error:?}; {violations}"
                ));
                continue;
            }
        };
        let violations = violations_in(response.headers());
        if response.status() != 201 || violations.is_some() {
            failures.push(format!(
                "request example `{name}`: status {}; {}",
                response.status(),
                describe_violations(violations.clone())
            ));
        }
        let parsed = serde_json::to_value(response.into_inner()).unwrap();
        if let Err(difference) = linq_tests::same_json(&created.value, &parsed) {
            failures.push(format!(
                "request example `{name}`: the parsed 201 is not the example `{}`: {difference}; {}",
                created.name,
                describe_violations(violations)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each documented 422, asked of Prism with `Prefer: code=422, example=NAME`, comes out
/// of the client as `Error::Api` with the example's typed code, message and errors.
#[tokio::test]
async fn each_422_example_becomes_a_typed_api_error() {
    let Some(base_url) = prism("each_422_example_becomes_a_typed_api_error") else {
        return;
    };
    let refusals = examples(|direction| direction == Direction::Response(422));
    assert!(!refusals.is_empty(), "the spec documents no 422 example");
    // Any valid request will do: Prism answers with the example the header asks for.
    let (request, body) = request_examples().remove(0);

    let mut failures = Vec::new();
    for example in refusals {
        let name = &example.name;
        let prefer = prefer(422, name);
        let error = match client(&base_url, Some(&prefer)).create_contact(&body).await {
            Ok(response) => {
                let replay = raw_post(&base_url, &request.value, Some(TOKEN), Some(&prefer)).await;
                failures.push(format!(
                    "422 example `{name}`: the client returned success {}; {}",
                    response.status(),
                    describe_violations(violations_in(replay.headers()))
                ));
                continue;
            }
            Err(error) => error,
        };
        let Error::Api(response) = &error else {
            let violations =
                violations_after(&error, &base_url, &request.value, Some(&prefer)).await;
            failures.push(format!(
                "422 example `{name}`: not Error::Api: {error}; {error:?}; {violations}"
            ));
            continue;
        };
        let (status, headers, refusal) = (response.status, &response.headers, &response.body);
        let violations = describe_violations(violations_in(headers));
        let documented = &example.value;
        let code = documented_code(documented["error_code"].as_str().expect("a string code"));
        let checks = [
            (status == 422, format!("status {status}")),
            (
                refusal.error_code == code,
                format!("error_code {:?}, expected {code:?}", refusal.error_code),
            ),
            (
                documented["message"] == refusal.message.as_str(),
                format!("message {:?}", refusal.message),
            ),
            (
                documented["errors"] == serde_json::json!(refusal.errors),
                format!("errors {:?}", refusal.errors),
            ),
            (
                violations_in(headers).is_none(),
                "Prism found violations".to_owned(),
            ),
        ];
        for (ok, what) in checks {
            if !ok {
                failures.push(format!("422 example `{name}`: {what}; {violations}"));
            }
        }
        let parsed = serde_json::to_value(refusal).unwrap();
        if let Err(difference) = linq_tests::same_json(documented, &parsed) {
            failures.push(format!(
                "422 example `{name}`: the parsed body is not the example: {difference}; {violations}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A request whose token header is empty is refused by Prism with 401, and the client
/// reports it as `Error::Unauthorized`; the same request with the token is accepted.
#[tokio::test]
async fn a_request_without_the_token_is_an_authentication_error() {
    let Some(base_url) = prism("a_request_without_the_token_is_an_authentication_error") else {
        return;
    };
    let (request, body) = request_examples().remove(0);
    let without_token = client(&base_url, None)
        .with_options(RequestOptions::new().header(linq_partner_v2::TOKEN_HEADER, ""))
        .expect("valid options");

    let error = without_token
        .create_contact(&body)
        .await
        .expect_err("Prism refuses it");
    let violations = describe_violations(error.headers().and_then(violations_in));
    assert!(
        matches!(error, Error::Unauthorized(_)),
        "{error:?}; {violations}"
    );
    assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));

    let accepted = raw_post(&base_url, &request.value, Some(TOKEN), None).await;
    let status = accepted.status();
    let violations = describe_violations(violations_in(accepted.headers()));
    assert_eq!(status, 201, "the same request with the token; {violations}");
}

/// A contact with none of the fields of the spec's at-least-one rule (`anyOf` of
/// `NewContact`): Prism refuses it and names the violation in `sl-violations` (the
/// header the other tests quote on failure), and the client refuses it before sending.
#[tokio::test]
async fn a_contact_without_any_identifying_field_is_refused_by_prism_and_the_client() {
    let Some(base_url) =
        prism("a_contact_without_any_identifying_field_is_refused_by_prism_and_the_client")
    else {
        return;
    };
    let spec = linq_tests::spec();
    let rule = spec["components"]["schemas"]["NewContact"]["anyOf"]
        .as_array()
        .expect("NewContact has an anyOf");
    let fields: Vec<&str> = rule
        .iter()
        .flat_map(|branch| branch["required"].as_array().expect("a required list"))
        .map(|field| field.as_str().expect("a field name"))
        .collect();
    let (mut request, _) = request_examples().remove(0);
    let contact = request.value["contact"]
        .as_object_mut()
        .expect("the example has a contact");
    for field in &fields {
        contact.remove(*field);
    }

    let refused = raw_post(&base_url, &request.value, Some(TOKEN), None).await;
    let status = refused.status();
    let violations = violations_in(refused.headers());
    assert_eq!(status, 422, "{}", describe_violations(violations.clone()));
    let violations = violations.expect("Prism sends sl-violations for an invalid request");
    let listed: Value = serde_json::from_str(&violations).expect("sl-violations is JSON");
    assert!(
        listed
            .as_array()
            .is_some_and(|list| list.iter().any(|item| item["code"] == "anyOf")),
        "{VIOLATIONS}: {violations}"
    );

    let body: CreateContactRequest = serde_json::from_value(request.value.clone()).unwrap();
    let error = client(&base_url, None)
        .create_contact(&body)
        .await
        .expect_err("the client refuses what Prism refuses");
    let Error::Invalid(ValidationError::AtLeastOneOf {
        fields: refused, ..
    }) = &error
    else {
        panic!("not refused before sending: {error:?}")
    };
    let mut refused = refused.to_vec();
    let mut fields = fields;
    refused.sort_unstable();
    fields.sort_unstable();
    assert_eq!(refused, fields);
}
