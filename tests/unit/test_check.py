"""``cmio check`` and the report behind Help › Check Workspace… (issue 19, item 13)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from cmio_desktop.store.backup import daily_backup
from cmio_desktop.store.check import OK, PROBLEM, WARNING, check_workspace

# The file check: SQLite only.
pytestmark = pytest.mark.sqlite_only


def statuses(path: Path, backups: Path) -> dict[str, str]:
    return {f.check: f.status for f in check_workspace(path, backups).findings}


@pytest.fixture
def closed_sample(sample_ws) -> Path:
    path = sample_ws.path
    sample_ws.close()
    return path


def test_a_healthy_workspace_with_a_backup_passes(sample_ws, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    daily_backup(sample_ws, backups, today=date(2026, 11, 2))
    report = check_workspace(sample_ws.path, backups)
    assert report.ok and {f.status for f in report.findings} == {OK}
    assert [f.check for f in report.findings] == [
        "file", "schema", "integrity", "references", "stray files", "backups",
    ]  # fmt: skip


def test_no_backup_yet_is_a_note_not_a_problem(sample_ws, tmp_path: Path) -> None:
    report = check_workspace(sample_ws.path, tmp_path / "none")
    assert report.ok and statuses(sample_ws.path, tmp_path / "none")["backups"] == WARNING


def test_damage_is_found_and_the_file_is_left_as_it_was(closed_sample: Path, tmp_path) -> None:
    with sqlite3.connect(closed_sample) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'stakeholder'"
        ).fetchone()[0]
    conn.close()
    data = bytearray(closed_sample.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 400] = b"\xff" * 392  # the stakeholder table's root page
    closed_sample.write_bytes(bytes(data))
    before = hashlib.sha256(closed_sample.read_bytes()).hexdigest()
    report = check_workspace(closed_sample, tmp_path / "backups")
    assert not report.ok
    assert statuses(closed_sample, tmp_path / "backups")["integrity"] == PROBLEM
    assert hashlib.sha256(closed_sample.read_bytes()).hexdigest() == before


def test_broken_references_and_a_missing_stamp_are_problems(closed_sample: Path, tmp_path) -> None:
    with sqlite3.connect(closed_sample) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE relationship SET target_id = 999999 WHERE id = 1")
    conn.close()
    found = statuses(closed_sample, tmp_path)
    assert found["references"] == PROBLEM and found["schema"] == OK
    with sqlite3.connect(closed_sample) as conn:
        conn.execute("PRAGMA user_version = 0")
    conn.close()
    assert statuses(closed_sample, tmp_path)["schema"] == PROBLEM


def test_orphaned_journal_files_and_unreadable_backups_are_problems(
    sample_ws, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    made = daily_backup(sample_ws, backups, today=date(2026, 11, 2))
    assert made is not None
    made.write_bytes(made.read_bytes()[:8192])
    (sample_ws.path.parent / "gone.cmio-wal").write_bytes(b"x")
    report = check_workspace(sample_ws.path, backups)
    found = {f.check: f for f in report.findings}
    assert found["stray files"].status == PROBLEM and "gone.cmio-wal" in found["stray files"].detail
    assert found["backups"].status == PROBLEM and "truncated" in found["backups"].detail


def test_cli_check_text_json_and_exit_codes(sample_ws, tmp_path: Path, capsys) -> None:
    assert main(["check", str(sample_ws.path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"Checking {sample_ws.path}"
    assert "No problems found." in out
    (sample_ws.path.parent / "gone.cmio-shm").write_bytes(b"x")
    assert main(["check", str(sample_ws.path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {"check": "stray files", "status": "problem"}.items() <= report["findings"][4].items()


def test_cli_check_of_a_foreign_file_or_fifo_is_a_problem_not_a_traceback(
    tmp_path: Path, capsys
) -> None:
    import os

    text = tmp_path / "notes.cmio"
    text.write_text("hello")
    fifo = tmp_path / "pipe.cmio"
    os.mkfifo(fifo)
    for path in (text, fifo):
        assert main(["check", str(path)]) == 1
        assert "problem  file" in capsys.readouterr().out
