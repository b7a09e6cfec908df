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
    let mut output = Output::default();
    report_api_changes(&mut output, &before, &files);
    let elapsed = started.elapsed();

    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let code = match mode {
        Mode::Check if changes.is_empty() => {
            output.line(format_args!(
                "codegen: {} is up to date ({} files, {elapsed:.0?})",
                shown(&out),
                files.len()
            ));
            ExitCode::SUCCESS
        }
        Mode::Check => {
            for path in &changes.stale {
                output.line(format_args!("stale: {}", shown(path)));
            }
            for path in &changes.extra {
                output.line(format_args!("no longer generated: {}", shown(path)));
            }
            output.line("codegen: generated files are out of date; run `cargo xtask codegen`");
            ExitCode::FAILURE
        }
        Mode::Write => {
            for path in &changes.stale {
                output.line(format_args!("wrote {}", shown(path)));
            }
            for path in &changes.extra {
                output.line(format_args!("removed {}", shown(path)));
            }
            let unchanged = files.len() - changes.stale.len();
            output.line(format_args!(
                "codegen: {} written, {unchanged} unchanged ({elapsed:.0?})",
                changes.stale.len()
            ));
            ExitCode::SUCCESS
        }
    };
    output.write();
    Ok(code)
}

/// What the command says on stderr, gathered and written at once. Stderr is not
/// buffered: written line by line, the report costs a system call or more for each
/// line, which for a new spec of a thousand operations (13,000 changes, a thousand
/// files written) was 87,053 `write` calls where one is enough.
#[derive(Default)]
struct Output(String);

impl Output {
    fn line(&mut self, text: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Formatting into a `String` cannot fail.
        let _ = writeln!(self.0, "{text}");
    }

    fn write(self) {
        eprint!("{}", self.0);
    }
}

/// Prints what changed in the public API since the summary `before`, and which changes
/// break existing callers.
fn report_api_changes(output: &mut Output, before: &str, files: &[linq_codegen::OutputFile]) {
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
    output.line(format_args!(
        "public API changes ({} in all, {breaking} breaking):",
        changes.len()
    ));
    for change in &changes {
        output.line(format_args!("  {change}"));
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_owned()
}
