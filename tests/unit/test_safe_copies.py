"""Copies and daily backups never destroy the file they replace (issue 19, items 4 and 5)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.store import WorkspaceError, open_workspace
from cmio_desktop.store import copies as copies_module
from cmio_desktop.store.backup import backups_of, daily_backup
from cmio_desktop.store.copies import copy_problems
from cmio_desktop.store.errors import BackupError
from tests.unit.small_disk import fill, small_disk_fixture  # noqa: F401  (the small_disk fixture)

# File copies: SQLite only.
pytestmark = pytest.mark.sqlite_only

DAY = date(2026, 11, 2)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def people(path: Path) -> int:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") or "-journal" in p.name
    )


def inject_disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy's write fails half-way, as SQLite reports a full disk."""
    real = copies_module._backup

    def half_then_full(source: Path, temp: Path) -> None:
        real(source, temp)
        with open(temp, "r+b") as fh:
            fh.truncate(4096)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(copies_module, "_backup", half_then_full)


def test_save_a_copy_onto_a_full_disk_keeps_the_earlier_copy(sample_ws, small_disk) -> None:
    copy = small_disk / "copy.cmio"
    sample_ws.backup_to(copy)
    before = digest(copy)
    fill(small_disk, leave=64 * 1024)  # room for far less than a whole copy
    with pytest.raises(WorkspaceError, match="disk is full"):
        sample_ws.backup_to(copy)
    assert digest(copy) == before and people(copy) == 120
    assert leftovers(small_disk) == []


def test_save_a_copy_with_an_injected_full_disk_keeps_the_earlier_copy(
    sample_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy.cmio"
    sample_ws.backup_to(copy)
    before = digest(copy)
    inject_disk_full(monkeypatch)
    with pytest.raises(WorkspaceError, match="copy.cmio could not be written: the disk is full"):
        sample_ws.backup_to(copy)
    assert digest(copy) == before
    assert leftovers(tmp_path) == []


def test_a_copy_is_one_verified_self_contained_file(sample_ws, tmp_path: Path) -> None:
    copy = tmp_path / "copy.cmio"
    sample_ws.backup_to(copy)
    assert copy_problems(copy) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.cmio"]
    ws = open_workspace(copy)
    ws.close()


def test_a_copy_over_the_workspace_through_a_symlink_is_refused(sample_ws, tmp_path) -> None:
    link = tmp_path / "link.cmio"
    link.symlink_to(sample_ws.path)
    before = people(sample_ws.path)
    with pytest.raises(WorkspaceError, match="different file name"):
        sample_ws.backup_to(link)
    assert people(sample_ws.path) == before


def test_backup_onto_a_full_disk_raises_a_sentence_and_leaves_nothing(
    sample_ws, small_disk
) -> None:
    fill(small_disk, leave=64 * 1024)
    with pytest.raises(BackupError, match="The daily backup could not be made: .*disk is full"):
        daily_backup(sample_ws, small_disk / "backups", today=DAY)
    assert list((small_disk / "backups").iterdir()) == []


def test_backup_into_a_read_only_folder_raises_a_sentence(sample_ws, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o500)
    with pytest.raises(BackupError, match="read-only"):
        daily_backup(sample_ws, folder, today=DAY)


def test_backup_into_a_read_only_file_system(sample_ws, tmp_path: Path) -> None:
    """Root ignores folder modes; a read-only bind mount refuses even root."""
    folder = tmp_path / "backups"
    folder.mkdir()
    if subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)]).returncode:
        pytest.skip("bind mounts are not permitted here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        with pytest.raises(BackupError, match="read-only"):
            daily_backup(sample_ws, folder, today=DAY)
        assert list(folder.iterdir()) == []
    finally:
        subprocess.run(["umount", str(folder)])


def test_an_invalid_backup_from_today_is_written_again(sample_ws, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    first = daily_backup(sample_ws, folder, today=DAY)
    assert first is not None
    first.write_bytes(first.read_bytes()[:4096])  # what an interrupted old-style backup left
    again = daily_backup(sample_ws, folder, today=DAY)
    assert again == first and people(first) == 120
    assert daily_backup(sample_ws, folder, today=DAY) is None  # valid now: not copied again


def test_a_failed_backup_is_retried_on_the_next_open(
    sample_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    with monkeypatch.context() as patch:
        inject_disk_full(patch)
        with pytest.raises(BackupError):
            daily_backup(sample_ws, folder, today=DAY)
    assert backups_of(sample_ws.path, folder) == []
    made = daily_backup(sample_ws, folder, today=DAY)
    assert made is not None and people(made) == 120
    assert leftovers(folder) == []


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CMIO_DESKTOP_DATA_DIR=str(data))
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def _staff(path: Path, first: int) -> Path:
    lines = ["Employee ID,Full name,Role,Group"]
    lines += [f"N{i:05d},Person {i},Nurse,Frontline clinician" for i in range(first, first + 5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_cli_backs_up_before_it_writes_once_a_day(sample_ws, tmp_path: Path) -> None:
    data = tmp_path / "data"
    ws = sample_ws.path
    sample_ws.close()
    staff = _staff(tmp_path / "staff.csv", 0)
    dry = _cli(data, "import", str(ws), str(staff), "--kind", "stakeholders", "--dry-run")
    assert dry.returncode == 0 and not (data / "backups").exists()  # nothing written: no backup
    done = _cli(data, "import", str(ws), str(staff), "--kind", "stakeholders")
    assert done.returncode == 0, done.stderr
    (backup,) = backups_of(ws, data / "backups")
    assert people(backup) == 120 and people(ws) == 125  # taken before the write
    again = _cli(data, "import", str(ws), str(_staff(tmp_path / "more.csv", 100)),
                 "--kind", "stakeholders")  # fmt: skip
    assert again.returncode == 0
    assert backups_of(ws, data / "backups") == [backup] and people(backup) == 120


def test_a_failed_cli_backup_warns_and_the_write_goes_ahead(sample_ws, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "backups").write_text("a file where the backups folder should be")
    ws = sample_ws.path
    sample_ws.close()
    done = _cli(data, "import", str(ws), str(_staff(tmp_path / "s.csv", 0)),
                "--kind", "stakeholders")  # fmt: skip
    assert done.returncode == 0
    assert done.stderr.startswith("cmio: warning: The daily backup could not be made")
    assert people(ws) == 125
