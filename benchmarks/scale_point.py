"""The scale point: a 300k-person / ~3M-tie workspace created, opened, analysed, filtered and
sorted, and exported — each step a whole process, timed with its peak resident memory
(``/usr/bin/time -v``, else ``resource.getrusage`` of the child).

``python -m benchmarks.scale_point [--people 300000] [--keep DIR]`` writes the "scale-point"
section of benchmarks/RESULTS.md. A measurement, not a test: it takes many minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.machine import describe
from benchmarks.sections import replace_section

RESULTS = Path(__file__).with_name("RESULTS.md")
# --ties-per-person 13.8 makes ~10.3 ties per person in the generator (3.1M at 300k).
TIES_PER_PERSON = "13.8"

FILTER_SORT = """
import sys, time
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from cmio_desktop.services.stakeholders.register import register_rows
from cmio_desktop.store import open_workspace
from cmio_desktop.ui.stakeholders.register_table import Col
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel
app = QApplication([])
t0 = time.perf_counter()
ws = open_workspace(sys.argv[1])
data = register_rows(ws)
t1 = time.perf_counter()
model = StakeholderTableModel()
model.set_register(data)
t2 = time.perf_counter()
model.set_search("smi")
t3 = time.perf_counter()
model.sort(Col.NAME, Qt.SortOrder.AscendingOrder)
t4 = time.perf_counter()
model.sort(Col.NAME, Qt.SortOrder.DescendingOrder)
t5 = time.perf_counter()
print(f"read {t1 - t0:.2f} s, model {t2 - t1:.2f} s, search {(t3 - t2) * 1000:.0f} ms"
      f" ({model.rowCount():,} rows), sort by name {(t4 - t3) * 1000:.0f} ms,"
      f" reverse {(t5 - t4) * 1000:.0f} ms")
ws.close()
"""


@dataclass
class Step:
    name: str
    wall_s: float
    peak_mib: float
    note: str


def run_step(name: str, argv: list[str], workdir: Path) -> Step:
    """Run ``argv`` as a whole process; wall time and peak RSS of that process."""
    # A private data folder: settings, backups and the analysis cache stay out of the user's.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(workdir / "data"))
    timing = workdir / f"{name}.time"
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else "")
    command = [gnu_time, "-v", "-o", str(timing), *argv] if gnu_time else argv
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    failure = ""
    if done.returncode != 0:  # recorded, not fatal: the other steps still tell something
        failure = f"FAILED (exit {done.returncode}): {done.stderr.strip()[-200:]}"
    peak_kib = float(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    if gnu_time and timing.exists():
        for line in timing.read_text().splitlines():
            if "Maximum resident set size" in line:
                peak_kib = float(line.rsplit(":", 1)[1])
    elif peak_kib <= before:
        peak_kib = float("nan")  # an earlier child was bigger: getrusage cannot tell
    lines = [s for s in done.stdout.strip().splitlines() if s.strip()]
    note = failure or (lines[-1][:160] if lines else "")
    print(f"{name:<28} {wall:8.1f} s  {peak_kib / 1024:8.0f} MiB  {note}", flush=True)
    step = Step(name, wall, peak_kib / 1024, note)
    (workdir / f"{name.split()[0]}.json").write_text(json.dumps(asdict(step)), encoding="utf-8")
    return step


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_point")
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--reuse", action="store_true",
        help="with --keep: reuse the workspace (and the create figures) of an earlier run",
    )  # fmt: skip
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="cmio-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    ws = workdir / f"scale-{args.people}.cmio"
    earlier = workdir / "create.json"
    reuse = args.reuse and ws.exists() and earlier.exists()
    if not reuse:
        ws.unlink(missing_ok=True)
    py = [sys.executable]
    cli = [*py, "-m", "cmio_desktop.cli"]
    steps = [
        ("create (cmio sample)", [*cli, "sample", str(ws), "--people", str(args.people),
                                  "--ties-per-person", TIES_PER_PERSON]),
        ("open (cmio info)", [*cli, "info", str(ws)]),
        ("analyse (cmio analyze)", [*cli, "analyze", str(ws)]),
        ("filter + sort (register)", [*py, "-c", FILTER_SORT, str(ws)]),
        ("export register (.xlsx)", [*cli, "export-register", str(ws), str(workdir / "r.xlsx")]),
        ("export workbook (.xlsx)", [*cli, "export", str(ws), str(workdir / "w.xlsx")]),
        ("app: dashboard complete", [*py, "-m", "cmio_desktop.app", str(ws),
                                     "--exit-after", "dashboard"]),
    ]  # fmt: skip
    try:
        results = [Step(**json.loads(earlier.read_text()))] if reuse else []
        results += [run_step(name, argv, workdir) for name, argv in steps[len(results) :]]
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    lines = [
        f"## Scale point: {args.people:,} people",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} with `python -m benchmarks.scale_point`; each "
        "step is one whole process, run once; peak memory is the process's maximum resident "
        "set size (`/usr/bin/time -v`). Machine:",
        *describe(),
        "",
        "| step | wall | peak RSS | output |",
        "|---|---:|---:|---|",
        *(f"| {s.name} | {s.wall_s:.1f} s | {s.peak_mib:,.0f} MiB | {s.note} |" for s in results),
    ]
    replace_section(args.output, "scale-point", "\n".join(lines))
    print(f"wrote the scale-point section of {args.output}")


if __name__ == "__main__":
    main()
