"""``python -m benchmarks [--sizes 1000,10000,100000]`` writes benchmarks/RESULTS.md.

``--quick`` runs every suite once at 1,000 people and writes nothing (unless ``--output`` is
given): it proves the harness still runs, in CI (.ci/run), and its figures are not results."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from benchmarks import (
    ops_calamine,
    ops_edit,
    ops_encryption,
    ops_engines,
    ops_forecast,
    ops_import,
    ops_network,
    ops_register,
    ops_startup,
    ops_store,
    ops_workbook,
)
from benchmarks.harness import Result
from benchmarks.machine import describe
from benchmarks.sections import replace_section, sections_of

RESULTS = Path(__file__).with_name("RESULTS.md")
# Each later feature adds its module here: a ``run(fixture, repeats) -> list[Result]``.
SUITES = [
    ops_store.run,
    ops_edit.run,
    ops_import.run,
    ops_calamine.run,
    ops_network.run,
    ops_engines.run,
    ops_workbook.run,
    ops_forecast.run,
    ops_register.run,
    ops_startup.run,
    ops_encryption.run,  # secure_delete and encrypted workspaces: overhead against plain
]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every suite once at 1,000 people; RESULTS.md is left alone (CI's smoke run)",
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, help=f"default {RESULTS} (none with --quick)")
    parser.add_argument(
        "--only", default="", help="comma-separated suites to run, e.g. network,register"
    )
    parser.add_argument(
        "--team-location", help="--only team: a workspace location (e.g. a server URL) to load"
    )
    args = parser.parse_args()
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    if "safety" in wanted:  # counts, not timings: its own run and section
        from benchmarks import ops_safety

        ops_safety.main(args.output)
        wanted.discard("safety")
        if not wanted:
            return
    if "team" in wanted:  # concurrent clients: counts and throughput, its own section
        from benchmarks import ops_team

        team_output = None if args.quick else args.output or RESULTS
        ops_team.main(team_output, args.team_location, quick=args.quick)
        wanted.discard("team")
        if not wanted:
            return
    suites = [s for s in SUITES if not wanted or s.__module__.rsplit("_", 1)[-1] in wanted]
    sizes = [int(s) for s in args.sizes.split(",")] if not args.quick else [1000]
    repeats = 1 if args.quick else args.repeats
    output: Path | None = args.output or (None if args.quick else RESULTS)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    workdir = Path(tempfile.mkdtemp(prefix="cmio-bench-"))
    results: list[Result] = []
    try:
        for size in sizes:
            fixture = ops_store.Fixture(workdir, size)
            for suite in suites:
                for result in suite(fixture, repeats):
                    results.append(result)
                    print(
                        f"{size:>8,}  {result.operation:<40} {result.median_s * 1000:9.1f} ms"
                        f"  floor {result.floor_median_s * 1000:9.1f} ms"
                        f"  ×{result.ratio:5.2f}  {result.verdict}",
                        flush=True,
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if output is None:
        print(f"--quick: {len(results)} measurements, nothing written")
    elif wanted:  # some suites only: their own section, the full table stays
        name = "only-" + "-".join(sorted(wanted))
        table = render(results, repeats, f"## Suites {', '.join(sorted(wanted))} (`--only`)")
        replace_section(output, name, table)
    else:
        kept = sections_of(output.read_text(encoding="utf-8")) if output.exists() else ""
        text = render(results, repeats)
        output.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    if output is not None:
        print(f"wrote {output}")


def render(results: list[Result], repeats: int, title: str = "# Benchmark results") -> str:
    lines = [
        title,
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} with `python -m benchmarks`; median of {repeats} "
        "repeats, operation and floor alternated in the same run. Ratio = median ÷ floor "
        "median. Peak memory is Python's (tracemalloc) for one run of the operation.",
        "",
        "Machine:",
        *describe(),
        "",
        "| people | operation | median | floor | floor median | ratio | target | peak MiB | note |",
        "|---:|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        target = f"≤ {r.target:g}×" if r.target else ""
        lines.append(
            f"| {r.size:,} | {r.operation} | {r.median_s * 1000:.1f} ms | {r.floor} | "
            f"{r.floor_median_s * 1000:.1f} ms | {r.ratio:.2f}× | {target} {r.verdict} | "
            f"{r.peak_mib:.1f} | {r.note} |".replace("| nan |", "| — |")
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
