//! How far each input of a corpus gets through the stages that the fuzz target runs:
//! `cargo run --release --example stages -- corpus/load_validate [more files or dirs]`.
//!
//! A fuzzing run only finds bugs in the stages its inputs reach; this counts how many
//! inputs stop at each one (not UTF-8, load, validate, lower) and how many pass them all.
//! With `--list`, it prints each input's outcome too.

use std::path::{Path, PathBuf};

use linq_codegen::{load, lower, validate};

fn main() {
    let mut list = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--list" {
            list = true;
        } else {
            collect(Path::new(&arg), &mut files);
        }
    }
    let mut counts = [0usize; 5];
    const OUTCOMES: [&str; 5] = [
        "not UTF-8",
        "refused by load",
        "refused by validate",
        "refused by lower",
        "passed lower",
    ];
    for file in &files {
        let outcome = stage(&std::fs::read(file).expect("read input"));
        counts[outcome] += 1;
        if list {
            println!("{}\t{}", OUTCOMES[outcome], file.display());
        }
    }
    println!("{} inputs", files.len());
    for (outcome, count) in OUTCOMES.iter().zip(counts) {
        println!("{count:>8}  {outcome}");
    }
}

fn stage(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else {
        return 0;
    };
    let Ok(source) = load::parse(Path::new("fuzz.yaml"), text) else {
        return 1;
    };
    let Ok(spec) = validate::validate(&source.document) else {
        return 2;
    };
    match lower::lower(&source.document, &spec) {
        Ok(_) => 4,
        Err(_) => 3,
    }
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("read directory")
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(&entry, files);
        }
    } else {
        files.push(path.to_owned());
    }
}
