"""Exports never replace the workspace, never leave a clobbered file on a full disk, and say
so in one line (issue 19, items 4, 6 and 10)."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cmio_desktop.io.export_target import ExportError, check_target, written_in_place
from cmio_desktop.sample import generate_sample
from cmio_desktop.store import create_workspace
from tests.unit.small_disk import fill, small_disk_fixture  # noqa: F401  (the small_disk fixture)

EXPORTS = [("export", ".xlsx"), ("export-register", ".xlsx"), ("briefing", ".pdf")]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def make_sample(path: Path) -> Path:
    ws = create_workspace(path, organisation="Riverside Health")
    try:
        generate_sample(ws, people=40, seed=1)
    finally:
        ws.close()
    return path


@pytest.mark.parametrize(("command", "suffix"), EXPORTS)
def test_an_export_onto_the_workspace_itself_is_refused(
    tmp_path: Path, command: str, suffix: str
) -> None:
    ws = make_sample(tmp_path / f"plan{suffix}")  # a workspace with an export's name
    before = digest(ws)
    done = cli(command, str(ws), str(ws))
    assert done.returncode == 1
    assert "open workspace" in done.stderr and len(done.stderr.splitlines()) == 1
    assert digest(ws) == before


@pytest.mark.parametrize(("command", "suffix"), EXPORTS)
def test_an_export_through_a_symlink_to_the_workspace_is_refused(
    tmp_path: Path, command: str, suffix: str
) -> None:
    ws = make_sample(tmp_path / "plan.cmio")
    link = tmp_path / f"out{suffix}"
    link.symlink_to(ws)
    before = digest(ws)
    done = cli(command, str(ws), str(link))
    assert done.returncode == 1 and "open workspace" in done.stderr
    assert digest(ws) == before and link.is_symlink()


def test_no_export_replaces_any_workspace(tmp_path: Path) -> None:
    other = make_sample(tmp_path / "other.xlsx")
    with pytest.raises(ExportError, match="is a CMIO workspace"):
        check_target(other)
    with (
        pytest.raises(ExportError, match="is a CMIO workspace"),
        written_in_place(other) as temp,
    ):
        temp.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert other.read_bytes()[68:72] == b"CMIO"


def test_an_export_onto_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "out.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="not a regular file"):
        check_target(fifo)


@pytest.mark.parametrize(("command", "suffix"), EXPORTS)
def test_an_export_onto_a_full_disk_keeps_the_earlier_file_and_says_one_line(
    tmp_path: Path, small_disk: Path, command: str, suffix: str
) -> None:
    ws = make_sample(tmp_path / "plan.cmio")
    out = small_disk / f"out{suffix}"
    assert cli(command, str(ws), str(out)).returncode == 0
    before = digest(out)
    fill(small_disk, leave=4096)
    done = cli(command, str(ws), str(out))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"cmio: “{out.name}” could not be written: the disk is full; no file was replaced."
    ]
    assert digest(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(["filler.bin", out.name])


def test_an_export_with_an_injected_full_disk_keeps_the_earlier_file(
    sample_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import zipfile

    from cmio_desktop.services.workbook.data import export_workbook

    out = tmp_path / "board.xlsx"
    export_workbook(sample_ws, out)
    before = digest(out)
    real_write = zipfile.ZipFile.writestr
    calls = {"n": 0}

    def full_after_two(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_after_two)
    with pytest.raises(ExportError, match="board.xlsx.* the disk is full; no file was replaced"):
        export_workbook(sample_ws, out)
    monkeypatch.undo()
    assert digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "Exception ignored" not in capsys.readouterr().err


def test_a_damaged_result_never_replaces_the_earlier_file(tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    out.write_bytes(b"\x89PNG\r\n\x1a\n earlier image")
    with (
        pytest.raises(ExportError, match="could not be verified"),
        written_in_place(out) as temp,
    ):
        temp.write_bytes(b"half an ima")
    assert out.read_bytes().endswith(b"earlier image")
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]
