//! The generator, stage by stage (load, validate, lower, emit, format) and whole
//! (`generate`: every stage, reading the file included, writing excluded), on the Linq
//! spec and on the largest public spec of the corpus (nexus.json, 193 operations).
//!
//! With `LINQ_BENCH_SPECS=DIR` set, the specs `DIR/ops-N.json` that
//! `benches/scripts/make_spec.py DIR` writes are measured too, with N operations as the
//! throughput, so that the report gives the time per operation for each N.
//!
//! ```text
//! cargo bench -p linq-benches --bench generator
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use linq_codegen::{Options, emit, format, load, lower, validate};

fn options(spec: &Path, crate_name: &str) -> Options {
    Options {
        spec: spec.to_owned(),
        spec_label: spec
            .file_name()
            .expect("a spec file")
            .to_string_lossy()
            .into_owned(),
        command: "cargo xtask codegen".to_owned(),
        crate_name: crate_name.to_owned(),
        crate_version: "0.1.0".to_owned(),
    }
}

/// Measures every stage on `spec`, each on the output of the stage before it.
fn stages(c: &mut Criterion, group: &str, spec: &Path, operations: Option<u64>) {
    let options = options(spec, "bench-client");
    let text = std::fs::read_to_string(spec).expect("the spec is readable");
    let source = load::parse(spec, &text).expect("the spec loads");
    let typed = validate::validate(&source.document).expect("the spec is valid");
    let api = lower::lower(&source.document, &typed).expect("the spec lowers");

    let mut group = c.benchmark_group(group);
    if let Some(operations) = operations {
        group.throughput(Throughput::Elements(operations));
    }
    // The large specs take tens of milliseconds a stage: fewer, longer samples.
    if text.len() > 100_000 {
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(2));
    }
    group.bench_function("load", |b| {
        b.iter(|| load::parse(spec, black_box(&text)).unwrap())
    });
    group.bench_function("validate", |b| {
        b.iter(|| validate::validate(black_box(&source.document)).unwrap())
    });
    group.bench_function("lower", |b| {
        b.iter(|| lower::lower(black_box(&source.document), &typed).unwrap())
    });
    group.bench_function("emit", |b| {
        b.iter(|| emit::emit(black_box(&api), &options).unwrap())
    });
    group.bench_function("format", |b| {
        b.iter_batched(
            || emit::emit(&api, &options).unwrap(),
            |emitted| format::format(emitted, &options).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("generate", |b| {
        b.iter(|| linq_codegen::generate(black_box(&options)).unwrap())
    });
    group.finish();
}

fn linq(c: &mut Criterion) {
    stages(
        c,
        "generator/linq-partner-v2",
        &linq_benches::linq_spec_path(),
        Some(1),
    );
}

fn nexus(c: &mut Criterion) {
    let spec = linq_benches::corpus_spec_path("nexus.json");
    stages(c, "generator/nexus", &spec, Some(193));
}

/// The specs of `make_spec.py` in `$LINQ_BENCH_SPECS`, by number of operations.
fn scaling(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("LINQ_BENCH_SPECS") else {
        eprintln!(
            "generator/ops-N: skipped; set LINQ_BENCH_SPECS to the folder that \
             benches/scripts/make_spec.py wrote"
        );
        return;
    };
    let mut specs: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", Path::new(&dir).display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let count = name
                .strip_prefix("ops-")?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            Some((count, path))
        })
        .collect();
    specs.sort();
    for (count, spec) in specs {
        stages(c, &format!("generator/ops-{count}"), &spec, Some(count));
    }
}

criterion_group!(benches, linq, nexus, scaling);
criterion_main!(benches);
