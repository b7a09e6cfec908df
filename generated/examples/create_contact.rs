// Generated from spec/linq-partner-v2.yaml by `cargo xtask codegen`.
// Do not edit: change the spec and run the command again.

//! Sends the `withoutOwner` request example of `create_contact` and prints the response, or the error.
//!
//! The token comes from `LINQ_INTEGRATION_TOKEN`; the server is `LINQ_BASE_URL` when set (such as a
//! local server), else the default one:
//!
//! ```text
//! LINQ_INTEGRATION_TOKEN=... cargo run --example create_contact
//! ```
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut builder = linq_partner_v2::Client::builder();
    if let Ok(base_url) = std::env::var("LINQ_BASE_URL") {
        builder = builder.base_url(base_url);
    }

    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => return fail(&error),
    };
    let body = linq_partner_v2::examples::create_contact_without_owner();
    match client.create_contact(&body).await {
        Ok(response) => {
            println!("{}", response.status());
            println!("{:#?}", response.into_inner());
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

/// Prints the error and its causes, one per line.
fn fail(error: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }

    ExitCode::FAILURE
}
