#!/usr/bin/env bash
# Times the whole generator, built, against progenitor's own CLI on the same specs in the
# same hyperfine run: the Linq spec, each public spec of the corpus (../shared/corpora),
# and the specs with 1, 10, 100 and 1000 operations that make_spec.py writes. Both tools write a fresh output
# folder on every run (hyperfine's --prepare removes it first).
#
#   benches/scripts/generator_cli.sh PROGENITOR [RESULTS]
#
# PROGENITOR is the `cargo-progenitor` binary, built outside the workspace, for example:
#   cargo install cargo-progenitor --version 0.15.1 --locked --root /tmp/progenitor-cli
#   benches/scripts/generator_cli.sh /tmp/progenitor-cli/bin/cargo-progenitor
# RESULTS (default: target/bench-results) receives one hyperfine JSON and Markdown file
# per spec. Needs hyperfine and python3. RUNS (default 20) sets the runs per command;
# the 1000-operation spec always gets 3.
set -euo pipefail

progenitor=${1:?usage: generator_cli.sh PATH/TO/cargo-progenitor [RESULTS]}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" # `cargo xtask` is an alias of this workspace
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
results=${2:-$target/bench-results}
runs=${RUNS:-20}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p xtask
xtask=$target/release/xtask
python3 "$root/benches/scripts/make_spec.py" "$scratch/specs" >/dev/null
mkdir -p "$results"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
names=()
for spec in "$root/spec/linq-partner-v2.yaml" "$root"/../shared/corpora/*.{json,yaml} \
    "$scratch"/specs/ops-{1,10,100,1000}.json; do
    name=$(basename "${spec%.*}")
    names+=("$name")
    count=$runs
    warmup=3
    if [[ $name == ops-1000 ]]; then
        count=3
        warmup=0
    fi
    hyperfine --style basic --warmup "$warmup" --runs "$count" -N \
        --export-json "$results/cli-$name.json" --export-markdown "$results/cli-$name.md" \
        --prepare "rm -rf $scratch/ours" -n "ours $name" \
        "$xtask codegen --spec $spec --out $scratch/ours --crate-name bench-client" \
        --prepare "rm -rf $scratch/progenitor" -n "progenitor $name" \
        "$progenitor progenitor -i $spec -o $scratch/progenitor -n bench-client -v 0.1.0"
done

# The developer's commands on the checked-in crate: the binary alone, and through cargo
# (which first checks that xtask is up to date).
hyperfine --style basic --warmup 3 --runs "$runs" -N \
    --export-json "$results/cli-check.json" --export-markdown "$results/cli-check.md" \
    -n "xtask codegen --check" "$xtask codegen --check" \
    -n "cargo xtask codegen --check" "cargo xtask codegen --check"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians and the ratio ours / progenitor, per spec.
python3 - "$results" "${names[@]}" <<'EOF'
import json, os, sys
results = sys.argv[1]
print("| spec | ours, median | progenitor, median | ours / progenitor |")
print("| --- | --- | --- | --- |")
for name in sys.argv[2:]:
    with open(os.path.join(results, f"cli-{name}.json")) as file:
        ours, theirs = (run["median"] for run in json.load(file)["results"])
    print(f"| {name} | {ours * 1e3:.1f} ms | {theirs * 1e3:.1f} ms | {ours / theirs:.2f} |")
with open(os.path.join(results, "cli-check.json")) as file:
    for run in json.load(file)["results"]:
        print(f"| {run['command']} (checked-in crate) | {run['median'] * 1e3:.1f} ms | | |")
EOF
