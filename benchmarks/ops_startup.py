"""Start-up as whole processes, each next to a bare PySide6 window started in the same run.

* **first paint** — ``main.py WS --exit-after first-paint``: the process starts, the main
  window with its navigation and the dashboard skeleton paints, the process exits. Target
  ≤ 2× the bare window (``benchmarks/bare_window.py``: QApplication, a QMainWindow, first
  paint, exit).
* **dashboard complete** — ``main.py WS --exit-after dashboard``: until every dashboard figure
  (cards, charts, network cards) is on screen. On the 400-person sample the target is ≤ 5×;
  on a larger sample with its analysis cached from an earlier run ≤ 10×. What an earlier run
  (one unmeasured run warms them) leaves for a reopened, untouched workspace: the dashboard
  snapshot (``services.dashboard_snapshot``: every figure, kept per workspace revision, read
  before SQLAlchemy loads) and the network metrics (``services.network.cache``). Rows without
  the snapshot, and without either, are shown for comparison (no target): they delete the
  files before each run.

Workspaces are real samples (``generate_sample``), data and cache in a private temporary
folder. Medians of ``repeats`` runs, ours and the floor alternated. The app's modules are
byte-compiled once by the warming run (into the temporary folder), as an installed app's are:
an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile them from source in
every run, which no user's start pays.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import Result
from benchmarks.ops_store import Fixture
from cmio_desktop.sample import generate_sample
from cmio_desktop.store import create_workspace

ROOT = Path(__file__).resolve().parents[1]
BARE = [sys.executable, str(Path(__file__).with_name("bare_window.py"))]
SAMPLE_PEOPLE = 400
_done: set[str] = set()  # once-per-run rows (first paint, the 400-person sample)


def _env(data: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(data))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data / "pycache")  # bytecode as installed, not in the tree
    return env


def _app(ws: Path, exit_after: str) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), str(ws), "--page", "dashboard",
            "--exit-after", exit_after]  # fmt: skip


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[-4:])} failed: {done.stderr.strip()[-300:]}")
    return elapsed


def _sample(workdir: Path, people: int) -> Path:
    path = workdir / f"startup-sample-{people}.cmio"
    if not path.exists():
        fill = lambda ws: generate_sample(ws, people=people)  # noqa: E731
        create_workspace(path, organisation="Riverside Health", fill=fill).close()
    return path


def _measure(
    size: int, operation: str, argv: list[str], env: dict[str, str], repeats: int,
    target: float | None, before_each: list[Path] | None = None, note: str = "",
) -> Result:  # fmt: skip
    """``before_each``: cache folders whose files are deleted before each run."""
    ours: list[float] = []
    floors: list[float] = []
    for _ in range(repeats):
        for folder in before_each or []:
            for stale in folder.glob("*"):
                stale.unlink(missing_ok=True)
        ours.append(_run(argv, env))
        floors.append(_run(BARE, env))
    return Result(
        size, operation, "bare PySide6 window, first paint (process)",
        statistics.median(ours), statistics.median(floors), float("nan"), target, note, ours,
    )  # fmt: skip


def run(fx: Fixture, repeats: int) -> list[Result]:
    data = fx.workdir / "startup-data"
    env = _env(data)
    snapshots = data / "cache" / "dashboard"
    results: list[Result] = []
    if "sample" not in _done:
        _done.add("sample")
        small = _sample(fx.workdir, SAMPLE_PEOPLE)
        _run(_app(small, "dashboard"), env)  # first run of the day: backup, caches, bytecode
        results.append(
            _measure(SAMPLE_PEOPLE, "start-up: first paint (process)",
                     _app(small, "first-paint"), env, repeats, 2.0,
                     note="window, navigation and dashboard skeleton; no heavy import yet")
        )  # fmt: skip
        results.append(
            _measure(SAMPLE_PEOPLE, "start-up: dashboard complete (process)",
                     _app(small, "dashboard"), env, repeats, 5.0,
                     note="every card and chart filled from the dashboard snapshot of the "
                     "earlier run (same revision), before SQLAlchemy loads")
        )  # fmt: skip
        results.append(
            _measure(SAMPLE_PEOPLE, "start-up: dashboard complete, no snapshot (process)",
                     _app(small, "dashboard"), env, repeats, None,
                     before_each=[snapshots],
                     note="the snapshot deleted before each run: figures computed (network "
                     "metrics from the disk cache)")
        )  # fmt: skip
    ws = _sample(fx.workdir, fx.size)
    _run(_app(ws, "dashboard"), env)  # warms the snapshot and the analysis cache (unmeasured)
    results.append(
        _measure(fx.size, "start-up: dashboard complete, cached analysis (process)",
                 _app(ws, "dashboard"), env, repeats, 10.0,
                 note="every figure from the dashboard snapshot of an earlier run (same "
                 "revision), before SQLAlchemy loads")
    )  # fmt: skip
    results.append(
        _measure(fx.size, "start-up: dashboard complete, metrics cache only (process)",
                 _app(ws, "dashboard"), env, repeats, None, before_each=[snapshots],
                 note="the snapshot deleted before each run: figures computed, network "
                 "metrics read from the disk cache")
    )  # fmt: skip
    results.append(
        _measure(fx.size, "start-up: dashboard complete, no cache (process)",
                 _app(ws, "dashboard"), env, repeats, None,
                 before_each=[snapshots, data / "cache" / "analysis"],
                 note="snapshot and metrics cache deleted before each run: everything computed")
    )  # fmt: skip
    return results
