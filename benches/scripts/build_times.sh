#!/usr/bin/env bash
# Build cost of the generated crate against a crate that progenitor's CLI alone generates
# from the same spec: clean builds (release and debug), incremental builds after
# `touch src/lib.rs`, and the crates in each dependency tree. Each crate is copied out
# of the workspace into a scratch folder, with the workspace's Cargo.lock (so that both
# resolve the same versions) and a target folder of its own.
#
#   benches/scripts/build_times.sh PROGENITOR [RESULTS]
#
# PROGENITOR is the `cargo-progenitor` binary (see generator_cli.sh). RESULTS (default:
# target/bench-results) receives the hyperfine JSON files and the dependency lists
# (deps-*.txt). RUNS (default 3) sets the clean builds per variant; incremental builds
# get 5 runs. Dependencies are fetched first, so downloads are not timed.
set -euo pipefail

progenitor=${1:?usage: build_times.sh PATH/TO/cargo-progenitor [RESULTS]}
root=$(cd "$(dirname "$0")/../.." && pwd)
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
results=${2:-$target/bench-results}
runs=${RUNS:-3}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$results"

cp -r "$root/generated" "$scratch/ours"
"$progenitor" progenitor -i "$root/spec/linq-partner-v2.yaml" -o "$scratch/progenitor" \
    -n linq-prog -v 0.1.0 >/dev/null
for crate in ours progenitor; do
    cp "$root/Cargo.lock" "$scratch/$crate/"
    cargo fetch --quiet --manifest-path "$scratch/$crate/Cargo.toml"
done

# name, folder, feature flags
variants=(
    "ours|ours|"
    "ours-no-default-features|ours|--no-default-features"
    "ours-rustls-ring|ours|--no-default-features --features rustls-ring"
    "progenitor|progenitor|"
    # Progenitor's crate has no TLS; this is it with reqwest's own rustls TLS, as its
    # users would turn it on to reach an https server.
    "progenitor-rustls|progenitor|--features reqwest/rustls"
)

echo "| crate | crates (normal) | crates (normal + build) |"
echo "| --- | --- | --- |"
for variant in "${variants[@]}"; do
    IFS='|' read -r name folder flags <<<"$variant"
    # shellcheck disable=SC2086 # $flags is empty or options to split
    tree() {
        cargo tree --offline --manifest-path "$scratch/$folder/Cargo.toml" $flags \
            --prefix none "$@" | sed 's/ (\*)$//; s/ (proc-macro)$//' | sort -u
    }
    tree -e normal >"$results/deps-$name.txt"
    tree -e normal,build >"$results/deps-build-$name.txt"
    echo "| $name | $(wc -l <"$results/deps-$name.txt") |" \
        "$(wc -l <"$results/deps-build-$name.txt") |"
done

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for variant in "${variants[@]}"; do
    IFS='|' read -r name folder flags <<<"$variant"
    manifest=$scratch/$folder/Cargo.toml
    for profile in release debug; do
        profile_flag=""
        [[ $profile == release ]] && profile_flag="--release"
        build="cargo build --offline --quiet --manifest-path $manifest $profile_flag $flags"
        hyperfine --style basic --runs "$runs" \
            --prepare "cargo clean --quiet --manifest-path $manifest" \
            --export-json "$results/build-clean-$name-$profile.json" \
            -n "clean $profile build, $name" "$build"
        # The target is warm after the last clean build: each run rebuilds the crate only.
        hyperfine --style basic --runs 5 --prepare "touch $scratch/$folder/src/lib.rs" \
            --export-json "$results/build-incremental-$name-$profile.json" \
            -n "incremental $profile build, $name" "$build"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'EOF'
import json, os, sys
results = sys.argv[1]
print("| crate | profile | clean build, median | incremental build, median |")
print("| --- | --- | --- | --- |")
names = ["ours", "ours-no-default-features", "ours-rustls-ring", "progenitor", "progenitor-rustls"]
for name in names:
    for profile in ["release", "debug"]:
        row = [name, profile]
        for kind in ["clean", "incremental"]:
            with open(os.path.join(results, f"build-{kind}-{name}-{profile}.json")) as file:
                row.append(f"{json.load(file)['results'][0]['median']:.2f} s")
        print("| " + " | ".join(row) + " |")
EOF
