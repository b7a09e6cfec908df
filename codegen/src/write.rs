//! Write stage: puts the generated files in place, touching only those whose contents
//! changed, each through a temporary file and a rename so that no file is ever left
//! half-written; or, in check mode, writes nothing and reports what is stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::format::OutputFile;

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed and remove generated files that are no longer generated.
    Write,
    /// Write nothing; report what differs.
    Check,
}

/// What differs between the generated files and the output directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files whose contents differ or that do not exist yet (written, in write mode).
    pub stale: Vec<PathBuf>,
    /// Files in `src/` that are no longer generated (removed, in write mode).
    pub extra: Vec<PathBuf>,
}

impl Changes {
    /// Whether the output directory matches the generated files.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.extra.is_empty()
    }
}

/// Compares `files` with the contents of `out`, and in write mode brings `out` up to date.
pub fn write(out: &Path, files: &[OutputFile], mode: Mode) -> Result<Changes, Error> {
    let mut changes = Changes::default();
    for file in files {
        let path = out.join(&file.path);
        let current = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(cause) => return Err(Error::Write { path, cause }),
        };
        if current.as_deref() != Some(file.contents.as_bytes()) {
            changes.stale.push(path);
        }
    }
    changes.extra = extra_sources(out, files)?;

    if mode == Mode::Write {
        for (file, path) in files.iter().map(|file| (file, out.join(&file.path))) {
            if changes.stale.contains(&path) {
                replace(&path, file.contents.as_bytes())?;
            }
        }
        for path in &changes.extra {
            std::fs::remove_file(path).map_err(|cause| Error::Write {
                path: path.clone(),
                cause,
            })?;
        }
    }
    Ok(changes)
}

/// Rust files under `src/` and `examples/` that the generator did not produce: left over
/// from an earlier spec, they would otherwise linger unused.
fn extra_sources(out: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>, Error> {
    let generated: BTreeSet<PathBuf> = files.iter().map(|file| out.join(&file.path)).collect();
    let mut extra = Vec::new();
    for dir in ["src", "examples"] {
        extra.extend(extra_in(&out.join(dir), &generated)?);
    }
    extra.sort();
    Ok(extra)
}

fn extra_in(source_dir: &Path, generated: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, Error> {
    let source_dir = source_dir.to_owned();
    let entries = match std::fs::read_dir(&source_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(cause) => {
            return Err(Error::Write {
                path: source_dir,
                cause,
            });
        }
    };
    let mut extra = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|cause| Error::Write {
                path: source_dir.clone(),
                cause,
            })?
            .path();
        if path.extension().is_some_and(|extension| extension == "rs") && !generated.contains(&path)
        {
            extra.push(path);
        }
    }
    Ok(extra)
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
fn replace(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let error = |cause| Error::Write {
        path: path.to_owned(),
        cause,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(error)?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).map_err(error)?;
    std::fs::rename(&temporary, path).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        error(source)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("linq-codegen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_only_what_changed_and_check_writes_nothing() {
        let out = scratch("changed");
        let files = [file("Cargo.toml", "a\n"), file("src/lib.rs", "b\n")];
        let first = write(&out, &files, Mode::Write).unwrap();
        assert_eq!(first.stale.len(), 2);

        let same = write(&out, &files, Mode::Check).unwrap();
        assert!(same.is_empty(), "{same:?}");

        let edited = [file("Cargo.toml", "a\n"), file("src/lib.rs", "c\n")];
        let check = write(&out, &edited, Mode::Check).unwrap();
        assert_eq!(check.stale, [out.join("src/lib.rs")]);
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "b\n"
        );

        write(&out, &edited, Mode::Write).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "c\n"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn sources_no_longer_generated_are_removed() {
        let out = scratch("extra");
        write(
            &out,
            &[file("src/lib.rs", "a\n"), file("src/old.rs", "b\n")],
            Mode::Write,
        )
        .unwrap();
        let changes = write(&out, &[file("src/lib.rs", "a\n")], Mode::Write).unwrap();
        assert_eq!(changes.extra, [out.join("src/old.rs")]);
        assert!(!out.join("src/old.rs").exists());
        std::fs::remove_dir_all(&out).unwrap();
    }
}
