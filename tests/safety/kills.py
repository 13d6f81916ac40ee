"""Randomised SIGKILL of a child process in the middle of a write, then the checks a user
relies on: SQLite's integrity and foreign-key checks are clean, the file holds exactly the
state before the operation or exactly the state after it (all or nothing), and the app's own
open path opens it. Used by tests/unit/test_kill_safety.py (a few kills per operation) and by
``python -m benchmarks --only safety`` (hundreds)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.other_program import ROOT, child_env
from tests.safety.operations import IMPORT_FILE, OPERATIONS, make_start
from tests.safety.snapshot import Snapshot, snapshot, sqlite_problems


@dataclass
class Trial:
    killed: bool  # SIGKILLed before the operation finished
    seconds: float  # from "go" to the kill or to "done"
    failure: str = ""  # the child's own error, if it failed by itself


@dataclass
class KillReport:
    operation: str
    trials: int = 0
    kills: int = 0
    left_before: int = 0  # kills after which the file held the state before the operation
    left_after: int = 0  # … the state after it (the kill came after the commit)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Zygote:
    """``python -m tests.safety.zygote``: forks one child per trial (see that module)."""

    def __init__(self, data_dir: Path) -> None:
        env = child_env()
        env["CMIO_DESKTOP_DATA_DIR"] = str(data_dir)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.safety.zygote"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        line = self._line()
        assert line == "ready", line

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the zygote process ended")
        return line.strip()

    def run(self, operation: str, path: Path, kill_after: float | None) -> Trial:
        """Run ``operation`` on ``path`` in a forked child, SIGKILLing it ``kill_after``
        seconds after it starts writing (None: let it finish)."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{operation} {path}\n")
        self.process.stdin.flush()
        line = self._line()
        if not line.startswith("go "):
            status = self._line()
            return Trial(False, 0.0, f"{line} ({status})")
        started = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it had already finished
                os.kill(int(line.split()[1]), signal.SIGKILL)
        failure, seconds = "", 0.0
        while not (line := self._line()).startswith("exit "):
            if line.startswith("failed"):
                failure = line
            elif line == "done":
                seconds = time.monotonic() - started
        status = int(line.split()[1])
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        if killed:
            seconds = time.monotonic() - started
        return Trial(killed, seconds, failure)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def copy_start(start: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.cmio"
    shutil.copyfile(start, target)
    csv = start.parent / IMPORT_FILE
    if csv.exists() and not (folder / IMPORT_FILE).exists():
        shutil.copyfile(csv, folder / IMPORT_FILE)
    return target


def reference_states(
    zygote: Zygote, operation: str, start: Path, folder: Path
) -> tuple[Snapshot, Snapshot, float]:
    """The states before and after ``operation`` run to the end, and how long it writes."""
    timings = []
    after = None
    for attempt in range(2):
        done = copy_start(start, folder, f"reference-{operation}-{attempt}")
        trial = zygote.run(operation, done, None)
        if trial.failure:
            raise RuntimeError(f"{operation} failed without a kill: {trial.failure}")
        timings.append(trial.seconds)
        after = snapshot(done)
    assert after is not None
    if operation == "undo_import":  # it starts from the import's result
        imported = copy_start(start, folder, "reference-imported")
        zygote.run("import", imported, None)
        before = snapshot(imported)
    else:
        before = snapshot(start)
    if before == after:
        raise RuntimeError(f"{operation} changed nothing; the trial would prove nothing")
    return before, after, min(timings)


def run_kills(
    operation: str,
    kills: int,
    folder: Path,
    zygote: Zygote,
    rng: random.Random,
    people: int = 60,
) -> KillReport:
    """Kill ``operation`` ``kills`` times at random moments; check the file after each."""
    from cmio_desktop.store import open_workspace
    from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION

    report = KillReport(operation)
    started = time.monotonic()
    start = make_start(folder, operation, people)
    before, after, duration = reference_states(zygote, operation, start, folder)
    while report.kills < kills and report.trials < 4 * kills:
        report.trials += 1
        path = copy_start(start, folder / "trials", f"{operation}-{report.trials}")
        trial = zygote.run(operation, path, rng.uniform(0.0, duration))
        problems = [trial.failure] if trial.failure else []
        problems += sqlite_problems(path)
        found = snapshot(path)
        if trial.killed:
            report.kills += 1
            if found == before:
                report.left_before += 1
            elif found == after:
                report.left_after += 1
            else:
                problems.append(f"half-done: {found.describe()}")
        elif found != after:
            problems.append(f"finished but not in the after state: {found.describe()}")
        try:
            opened = open_workspace(path)  # the app's open path
            version = opened.schema_version()
            opened.close()
            if version != HEAD_SCHEMA_VERSION:
                problems.append(f"opened at schema {version}")
            elif operation == "migration" and snapshot(path) != after:
                problems.append("the upgrade after the kill did not reach the after state")
        except Exception as exc:  # noqa: BLE001 (any failure to open is what we look for)
            problems.append(f"the app could not open it: {exc}")
        if problems:
            report.failures.append(f"{operation} trial {report.trials}: {'; '.join(problems)}")
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
    report.seconds = time.monotonic() - started
    return report


def run_all(kills_each: int, folder: Path, seed: int, people: int = 60) -> list[KillReport]:
    rng = random.Random(seed)
    with Zygote(folder) as zygote:
        return [
            run_kills(operation, kills_each, folder / operation, zygote, rng, people)
            for operation in OPERATIONS
        ]
