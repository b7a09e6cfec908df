//! Developer tasks of this workspace, run as `cargo xtask <task>`.
//!
//! `codegen` regenerates the client crate in `generated/` from `spec/linq-partner-v2.yaml`;
//! with `--check` it writes nothing and fails when a generated file is stale. Progress and
//! errors go to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use linq_codegen::{Mode, Options};

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("codegen") => codegen(args.collect()),
        Some(other) => bail!("unknown task `{other}`\n{USAGE}"),
        None => bail!("no task given\n{USAGE}"),
    }
}

fn codegen(args: Vec<String>) -> Result<ExitCode> {
    let root = workspace_root();
    let mut mode = Mode::Write;
    let mut spec = root.join("spec/linq-partner-v2.yaml");
    let mut out = root.join("generated");
    let mut crate_name = "linq-partner-v2".to_owned();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("`{arg}` needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            "--spec" => spec = PathBuf::from(value()?),
            "--out" => out = PathBuf::from(value()?),
            "--crate-name" => crate_name = value()?,
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }

    let started = Instant::now();
    let spec_label = spec
        .strip_prefix(&root)
        .unwrap_or(&spec)
        .to_string_lossy()
        .replace('\\', "/");
    let options = Options {
        spec,
        spec_label,
        command: "cargo xtask codegen".to_owned(),
        crate_name,
        crate_version: "0.1.0".to_owned(),
    };
    // The summary of the checked-in API is read before the files are replaced.
    let before = std::fs::read_to_string(out.join("api.txt")).unwrap_or_default();
    // Every error names its file (and, for the spec, the JSON pointer): no context to add.
    let (files, changes) = linq_codegen::regenerate(&options, &out, mode)?;
    report_api_changes(&before, &files);
    let elapsed = started.elapsed();

    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    match mode {
        Mode::Check if changes.is_empty() => {
            eprintln!(
                "codegen: {} is up to date ({} files, {elapsed:.0?})",
                shown(&out),
                files.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Check => {
            for path in &changes.stale {
                eprintln!("stale: {}", shown(path));
            }
            for path in &changes.extra {
                eprintln!("no longer generated: {}", shown(path));
            }
            eprintln!("codegen: generated files are out of date; run `cargo xtask codegen`");
            Ok(ExitCode::FAILURE)
        }
        Mode::Write => {
            for path in &changes.stale {
                eprintln!("wrote {}", shown(path));
            }
            for path in &changes.extra {
                eprintln!("removed {}", shown(path));
            }
            let unchanged = files.len() - changes.stale.len();
            eprintln!(
                "codegen: {} written, {unchanged} unchanged ({elapsed:.0?})",
                changes.stale.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints what changed in the public API since the summary `before`, and which changes
/// break existing callers.
fn report_api_changes(before: &str, files: &[linq_codegen::OutputFile]) {
    let Some(summary) = files.iter().find(|file| file.path == "api.txt") else {
        return;
    };
    let changes = linq_codegen::changes::compare(before, &summary.contents);
    if changes.is_empty() {
        return;
    }
    let breaking = changes
        .iter()
        .filter(|change| change.breaks.is_some())
        .count();
    eprintln!(
        "public API changes ({} in all, {breaking} breaking):",
        changes.len()
    );
    for change in &changes {
        eprintln!("  {change}");
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_owned()
}
