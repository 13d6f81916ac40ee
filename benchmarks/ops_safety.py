"""``python -m benchmarks --only safety``: the full-size safety run (issue #18, item 4).

Not a timing: counts. Hundreds of SIGKILLs at random moments of import, bulk edit, plan
generation, undo of an import and migration; disk-full and read-only faults under every
export, repeated; and thousands of state-machine steps. Writes its own section of RESULTS.md
(``<!-- safety -->``); the tests run a small part of each on every ``make test``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.machine import describe
from benchmarks.sections import replace_section

KILLS_EACH = 64  # × 5 operations = 320 kills
FAULT_ROUNDS = 3  # × 7 exports × 4 faults = 84 faults
MACHINE_EXAMPLES, MACHINE_STEPS = 120, 50
SEED = 1818


def run_kills(workdir: Path) -> tuple[list[str], list[str], int, int]:
    from tests.safety.kills import run_all

    reports = run_all(KILLS_EACH, workdir / "kills", SEED)
    rows = [
        f"| {r.operation.replace('_', ' ')} | {r.trials} | {r.kills} | {r.left_before} | "
        f"{r.left_after} | {len(r.failures)} | {r.seconds:.0f} s |"
        for r in reports
    ]
    failures = [f for r in reports for f in r.failures]
    return rows, failures, sum(r.kills for r in reports), sum(r.trials for r in reports)


def run_faults(workdir: Path) -> tuple[int, int, list[str]]:
    from PySide6.QtWidgets import QApplication

    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace
    from tests.safety.faults import EXPORTS, export_fault, fill, mount_tmpfs, remount, unmount
    from tests.safety.operations import TODAY

    app = QApplication.instance() or QApplication([])
    ws = create_workspace(workdir / "faults.cmio", organisation="Faults")
    generate_sample(ws, people=200, seed=5, today=TODAY)
    faults, skipped, failures = 0, 0, []
    try:
        for round_ in range(FAULT_ROUNDS):
            for index, (name, (export, suffix)) in enumerate(EXPORTS.items()):
                for mode in ("full", "read-only", "injected full", "injected read-only"):
                    folder = workdir / f"target-{round_}-{index}-{mode.replace(' ', '-')}"
                    real = not mode.startswith("injected")
                    if real and not mount_tmpfs(folder, "4m"):
                        skipped += 1
                        continue
                    folder.mkdir(exist_ok=True)
                    try:
                        export(ws, folder / f"out{suffix}")
                        if mode == "full":
                            fill(folder, leave=4096)
                        elif mode == "read-only":
                            remount(folder, "ro")
                        failures += export_fault(ws, name, folder, mode)
                        faults += 1
                    finally:
                        if real:
                            unmount(folder)
                    app.processEvents()
    finally:
        ws.close()
    return faults, skipped, failures


def run_machine(workdir: Path) -> tuple[int, int, int, int, str]:
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from tests.safety.state_machine import STATS, WorkspaceMachine, make_template

    WorkspaceMachine.template = make_template(workdir / "machine")
    WorkspaceMachine.folder = workdir / "machine"
    failure = ""
    try:
        run_state_machine_as_test(
            WorkspaceMachine,
            settings=settings(
                max_examples=MACHINE_EXAMPLES,
                stateful_step_count=MACHINE_STEPS,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    except Exception as exc:  # noqa: BLE001 (a failure is a figure to report)
        failure = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return STATS.steps, STATS.examples, STATS.audit_rows, STATS.refusals, failure


def main(output: Path) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cmio-safety-"))
    os.environ.setdefault("CMIO_DESKTOP_DATA_DIR", str(workdir / "data"))
    try:
        started = time.monotonic()
        kill_rows, kill_failures, kills, trials = run_kills(workdir)
        kill_s = time.monotonic() - started
        print(f"kills: {kills} in {trials} trials, {len(kill_failures)} failures", flush=True)
        started = time.monotonic()
        faults, skipped, fault_failures = run_faults(workdir)
        fault_s = time.monotonic() - started
        print(f"faults: {faults} ({skipped} skipped), {len(fault_failures)} failures", flush=True)
        started = time.monotonic()
        steps, examples, audit_rows, refusals, machine_failure = run_machine(workdir)
        machine_s = time.monotonic() - started
        print(f"state machine: {steps} steps, {examples} examples, {machine_failure or 'ok'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = [
        "## Safety: kills, faults and a state machine (`--only safety`)",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} with `python -m benchmarks --only safety` "
        f"(seed {SEED}). Machine:",
        *describe(),
        "",
        f"**SIGKILL at a random moment: {kills} kills in {trials} trials, "
        f"{len(kill_failures)} failures** ({kill_s:.0f} s). A child process (forked from one "
        "that imported the app once) is killed a random time after it starts writing, on a "
        "copy of a 60-person sample workspace; then `PRAGMA integrity_check` and "
        "`foreign_key_check` must be clean, every table's rows must equal exactly the state "
        "before or exactly the state after the operation (timestamps aside), and the app's "
        "open path must open the file. A trial whose child finished before the kill is not "
        "counted as a kill (it is checked all the same).",
        "",
        "| operation | trials | kills | left as before | left as after | failures | time |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *kill_rows,
        "",
        f"**Disk full and read-only: {faults} faults, {len(fault_failures)} failures** "
        f"({fault_s:.0f} s; {skipped} real-disk cases skipped where mounting is not "
        "allowed). Every export (workbook, board pack, register, briefing pack, chart as PNG, "
        "SVG and PDF) × a filled 4 MB tmpfs, a tmpfs remounted read-only, ENOSPC injected "
        "after the first bytes and EROFS injected at creation, "
        f"{FAULT_ROUNDS} rounds: each gave one sentence, left no partial or temporary file, "
        "kept the earlier file and left the workspace unchanged.",
        "",
        f"**State machine: {steps:,} steps in {examples} examples, "
        f"{'0 failures' if not machine_failure else 'FAILED: ' + machine_failure}** "
        f"({machine_s:.0f} s). Edits, stale edits (refused {refusals:,} times, as they should "
        "be), creates, deletes, imports, plan generation, undo and redo; after every step the "
        "database equals the Python model and the audit trail holds each change with user, "
        f"time, old and new ({audit_rows:,} audit rows checked).",
    ]
    for failure in (kill_failures + fault_failures)[:20]:
        lines.append(f"- {failure}")
    replace_section(output, "safety", "\n".join(lines))
    print(f"wrote {output}")
