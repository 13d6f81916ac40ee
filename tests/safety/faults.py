"""Disk full and read-only targets for every export and for the workspace itself.

Each fault is real where the machine allows it (a 2 MB tmpfs, filled; a tmpfs remounted
read-only) and injected otherwise or as well (ENOSPC once the writer has written its first
bytes into the new file; EROFS when the file is created). After each: one clear sentence, no
partial or temporary file beside the target, an earlier file of the same name untouched, and
the workspace intact (its contents and SQLite's checks unchanged).
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.safety.snapshot import snapshot, sqlite_problems

# The exports a user can make; each writes ``target`` from the open workspace ``ws``.
Export = Callable[[Any, Path], object]
DISK_FULL = "the disk is full"
READ_ONLY = "read-only"


def _workbook(ws: Any, target: Path) -> object:
    from cmio_desktop.services.workbook.data import export_workbook

    return export_workbook(ws, target, sheets=["summary", "register"])


def _board_pack(ws: Any, target: Path) -> object:
    from cmio_desktop.commands.export_workbook import chosen_sheets
    from cmio_desktop.services.workbook.data import export_workbook

    return export_workbook(ws, target, sheets=chosen_sheets(None, False))


def _register(ws: Any, target: Path) -> object:
    from cmio_desktop.services.stakeholders.register_export import export_register

    return export_register(ws, target)


def _briefing(ws: Any, target: Path) -> object:
    from cmio_desktop.services.workbook.data import export_briefing_pack

    return export_briefing_pack(ws, target)


def _chart(_ws: Any, target: Path) -> object:
    from cmio_desktop.ui.charts import ChartWidget

    class Bars(ChartWidget):
        def draw_chart(self, figure: Any) -> None:
            figure.add_subplot(1, 1, 1).bar(["ED", "ICU", "Wards"], [3.1, 3.6, 2.4])

    chart = Bars("Readiness", "readiness")
    try:
        return chart.save(target)
    finally:
        chart.deleteLater()


EXPORTS: dict[str, tuple[Export, str]] = {
    "workbook": (_workbook, ".xlsx"),
    "board pack": (_board_pack, ".xlsx"),
    "register": (_register, ".xlsx"),
    "briefing pack": (_briefing, ".pdf"),
    "chart (png)": (_chart, ".png"),
    "chart (svg)": (_chart, ".svg"),
    "chart (pdf)": (_chart, ".pdf"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- real small and read-only disks ------------------------------------------------------------
def mount_tmpfs(folder: Path, size: str = "2m") -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int) -> None:
    from tests.unit.small_disk import fill as fill_disk

    fill_disk(folder, leave)


# -- injected faults ---------------------------------------------------------------------------
class _FullAfter:
    """A file whose writes fail with ENOSPC once ``limit`` bytes are in it."""

    def __init__(self, real: Any, limit: int) -> None:
        self._real, self._limit, self._written = real, limit, 0

    def write(self, data: Any) -> int:
        self._written += len(data)
        if self._written > self._limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self._real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _FullAfter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._real)


@contextmanager
def injected_disk_full(folder: Path, limit: int = 512) -> Iterator[None]:
    """Files opened for writing in ``folder`` run out of space after ``limit`` bytes."""
    real_open = builtins.open

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        if isinstance(file, str | Path) and Path(file).parent == folder and "w" in mode:
            return _FullAfter(handle, limit)
        return handle

    builtins.open, io.open = full_open, full_open  # type: ignore[assignment]
    try:
        yield
    finally:
        builtins.open, io.open = real_open, real_open  # type: ignore[assignment]


@contextmanager
def injected_read_only(folder: Path) -> Iterator[None]:
    """Creating a file in ``folder`` fails with EROFS."""
    real = tempfile.mkstemp

    def refuse(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs.get("dir") or "") == folder:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(*args, **kwargs)

    tempfile.mkstemp = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        tempfile.mkstemp = real  # type: ignore[assignment]


# -- one fault, checked ------------------------------------------------------------------------
def export_fault(ws: Any, name: str, folder: Path, mode: str) -> list[str]:
    """Export ``name`` into ``folder`` (which holds an earlier export of it) under fault
    ``mode`` ("full", "read-only", "injected full", "injected read-only"); the problems
    found (an empty list: the user got a sentence and lost nothing)."""
    from cmio_desktop.io.export_target import ExportError

    export, suffix = EXPORTS[name]
    target = folder / f"out{suffix}"
    earlier = digest(target)
    workspace_before = snapshot(ws.path)
    reason = DISK_FULL if "full" in mode else READ_ONLY
    problems: list[str] = []
    injected = {"injected full": injected_disk_full, "injected read-only": injected_read_only}
    try:
        if mode in injected:
            with injected[mode](folder):
                export(ws, target)
        else:
            export(ws, target)
        problems.append(f"{name}: no error under {mode}")
    except ExportError as exc:
        text = str(exc)
        if reason not in text or "\n" in text or not text.endswith("."):
            problems.append(f"{name} under {mode}: unclear sentence {text!r}")
    except Exception as exc:  # noqa: BLE001 (anything but a sentence is a finding)
        problems.append(f"{name} under {mode}: {type(exc).__name__}: {exc}")
    left = sorted(p.name for p in folder.iterdir() if p.name not in (target.name, "filler.bin"))
    if left:
        problems.append(f"{name} under {mode}: left {left}")
    if digest(target) != earlier:
        problems.append(f"{name} under {mode}: the earlier file was changed")
    if snapshot(ws.path) != workspace_before or sqlite_problems(ws.path):
        problems.append(f"{name} under {mode}: the workspace changed")
    return problems
