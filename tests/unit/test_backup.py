"""Daily automatic backups: one per day, consistent, private, pruned to the last few."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from cmio_desktop.store.backup import daily_backup

# Backups are file copies: SQLite only.
pytestmark = pytest.mark.sqlite_only


def test_one_backup_per_day_and_pruned(sample_ws, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = date(2026, 11, 1)
    first = daily_backup(sample_ws, folder, today=start)
    assert first is not None and stat.S_IMODE(first.stat().st_mode) == 0o600
    assert daily_backup(sample_ws, folder, today=start) is None  # already done today
    for offset in range(1, 10):
        daily_backup(sample_ws, folder, today=start + timedelta(days=offset), keep=3)
    kept = sorted(p.name for p in folder.glob("*.cmio"))
    assert len(kept) == 3
    assert kept[-1].endswith("2026-11-10.cmio")
    with sqlite3.connect(folder / kept[-1]) as conn:
        assert conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0] == 120
