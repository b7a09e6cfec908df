#!/usr/bin/env python3
"""Prints criterion's results as the Markdown tables of BENCHMARKS.md.

    python3 benches/scripts/criterion_table.py [--dir DIR] [--baseline NAME ...]
        [--filter REGEX] [--ratio NUMERATOR DENOMINATOR ...]

Reads DIR (default: target/criterion) where criterion saved each benchmark's estimates.
With several --baseline names (runs saved by `cargo bench ... -- --save-baseline NAME`),
each row shows the median of every run and the median of those medians, so that a
noisy run shows as one. Without --baseline, the latest run (`new`) is read.

--ratio A B prints median(A) / median(B) per run, for benchmark ids such as
client/create_contact/generated; several pairs may follow one --ratio.
"""

import argparse
import json
import os
import re
import statistics


def load(directory, baseline):
    """Every benchmark of one run: {full_id: (median ns, elements per iteration)}."""
    found = {}
    for root, _dirs, files in os.walk(directory):
        if os.path.basename(root) != baseline or "estimates.json" not in files:
            continue
        with open(os.path.join(root, "benchmark.json")) as file:
            benchmark = json.load(file)
        with open(os.path.join(root, "estimates.json")) as file:
            estimates = json.load(file)
        throughput = benchmark.get("throughput") or {}
        elements = throughput.get("Elements")
        found[benchmark["full_id"]] = (estimates["median"]["point_estimate"], elements)
    return found


STAGES = ["load", "validate", "lower", "emit", "format", "generate"]


def order(full_id):
    """Groups in natural order (ops-10 after ops-9), the generator's stages in order."""
    group, _, name = full_id.rpartition("/")
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", group)]
    stage = STAGES.index(name) if name in STAGES else len(STAGES)
    return (natural, stage, name)


def duration(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def rate(per_second):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if per_second >= scale:
            return f"{per_second / scale:.3g} {unit}/s"
    return f"{per_second:.3g} /s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default="target/criterion")
    parser.add_argument("--baseline", nargs="*", default=["new"])
    parser.add_argument("--filter", default="")
    parser.add_argument("--ratio", nargs="*", default=[])
    args = parser.parse_args()

    runs = [load(args.dir, name) for name in args.baseline]
    ids = sorted(
        {full_id for run in runs for full_id in run if re.search(args.filter, full_id)},
        key=order,
    )
    several = len(runs) > 1
    head = ["benchmark"]
    if several:
        head += [f"median, {name}" for name in args.baseline]
    head += ["median", "per element", "elements per second"]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for full_id in ids:
        medians = [run[full_id][0] for run in runs if full_id in run]
        elements = next(run[full_id][1] for run in runs if full_id in run)
        median = statistics.median(medians)
        row = [full_id]
        if several:
            row += [duration(run[full_id][0]) if full_id in run else "" for run in runs]
        row.append(duration(median))
        if elements:
            row += [duration(median / elements), rate(elements * 1e9 / median)]
        else:
            row += ["", ""]
        print("| " + " | ".join(row) + " |")

    pairs = list(zip(args.ratio[::2], args.ratio[1::2]))
    if pairs:
        print()
        head = ["ratio"] + (args.baseline if several else []) + ["of the medians"]
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
    for numerator, denominator in pairs:
        row = [f"{numerator} / {denominator}"]
        both = [run for run in runs if numerator in run and denominator in run]
        if several:
            row += [
                f"{run[numerator][0] / run[denominator][0]:.3f}" if run in both else ""
                for run in runs
            ]
        top = statistics.median(run[numerator][0] for run in both)
        bottom = statistics.median(run[denominator][0] for run in both)
        row.append(f"{top / bottom:.3f}")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
