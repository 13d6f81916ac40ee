"""The backups of a workspace, looked at without changing them, and restored as a new file.

Two kinds exist: the automatic daily copies in the user data folder (:mod:`store.backup`) and
the copy taken beside the workspace before a schema upgrade (``NAME.cmio.vN.bak``). Backups
are only ever opened read-only (``mode=ro``); a restore is a verified copy through SQLite's
backup API (:func:`store.copies.save_copy`) to a file that does not exist yet, so it can never
replace the open workspace or any other file.
"""

from __future__ import annotations

import glob
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cmio_desktop.store.backup import backups_of
from cmio_desktop.store.copies import copy_problems, is_same_file, save_copy
from cmio_desktop.store.errors import WorkspaceError

DAILY, BEFORE_UPGRADE = "daily", "before upgrade"
# What a backup is summarised by: label → table.
COUNTED = {"people": "stakeholder", "ties": "relationship", "assessments": "assessment",
           "activities": "activity"}  # fmt: skip
PREVIEW_COLUMNS = ("name", "title", "role", "department", "site", "attitude")
PREVIEW_LIMIT = 500
_UPGRADE_BACKUP = re.compile(r"\.v(\d+)\.bak$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # DAILY or BEFORE_UPGRADE
    saved: datetime  # when the copy was written (the file's modification time)
    size: int  # bytes
    schema_version: int
    counts: dict[str, int]  # COUNTED's labels; empty when the file cannot be read
    problem: str = ""  # why it cannot be restored; "" when it can

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "saved": self.saved.isoformat(timespec="seconds"),
            "size": self.size,
            "schema_version": self.schema_version,
            "counts": self.counts,
            "problem": self.problem,
        }


def list_backups(workspace: Path, folder: Path | None) -> list[BackupInfo]:
    """Every backup of ``workspace`` (daily ones in ``folder``, upgrade ones beside it),
    newest first."""
    workspace = Path(workspace)
    found: list[tuple[Path, str]] = []
    if folder is not None and folder.is_dir():
        found += [(p, DAILY) for p in backups_of(workspace, folder)]
    pattern = glob.escape(workspace.name) + ".v*.bak"
    found += [(p, BEFORE_UPGRADE) for p in workspace.parent.glob(pattern)]
    infos = [describe_backup(path, kind) for path, kind in found]
    return sorted(infos, key=lambda info: info.saved, reverse=True)


def describe_backup(path: Path, kind: str | None = None) -> BackupInfo:
    """Date, size and counts of one backup file, read without changing it."""
    path = Path(path)
    kind = kind or (BEFORE_UPGRADE if _UPGRADE_BACKUP.search(path.name) else DAILY)
    try:
        stat = path.stat()
    except OSError as exc:
        raise WorkspaceError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    saved = datetime.fromtimestamp(stat.st_mtime)
    problems = copy_problems(path, thorough=False, require_tables=False)
    if problems:
        return BackupInfo(path, kind, saved, stat.st_size, 0, {}, problems[0])
    try:
        with _read_only(path) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = _tables(conn)
            counts = {
                label: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                if table in tables
                else 0
                for label, table in COUNTED.items()
            }
    except sqlite3.Error as exc:
        return BackupInfo(path, kind, saved, stat.st_size, 0, {}, f"cannot be read ({exc})")
    return BackupInfo(path, kind, saved, stat.st_size, version, counts)


def preview_register(path: Path, limit: int = PREVIEW_LIMIT) -> tuple[list[str], list[tuple]]:
    """(column names, up to ``limit`` people) of a backup's register, by name, read-only."""
    try:
        with _read_only(Path(path)) as conn:
            if "stakeholder" not in _tables(conn):
                return list(PREVIEW_COLUMNS[:1]), []
            present = {r[1] for r in conn.execute('PRAGMA table_info("stakeholder")')}
            columns = [c for c in PREVIEW_COLUMNS if c in present]
            sql = f"SELECT {', '.join(columns)} FROM stakeholder ORDER BY name LIMIT ?"
            rows = [tuple("" if v is None else v for v in r) for r in conn.execute(sql, (limit,))]
    except sqlite3.Error as exc:
        raise WorkspaceError(f"{Path(path).name} cannot be read ({exc}).") from None
    return columns, rows


def restore_backup(backup: Path, target: Path, current: Path | None = None) -> None:
    """Write ``backup`` as the new workspace ``target`` (which must not exist yet; never the
    open workspace ``current``)."""
    backup, target = Path(backup), Path(target)
    if current is not None and is_same_file(target, current):
        raise WorkspaceError(
            f"{target.name} is the open workspace; a backup is restored as a new file. "
            "Choose a new name."
        )
    info = describe_backup(backup)
    if info.problem:
        raise WorkspaceError(f"{backup.name} cannot be restored: {info.problem}.")
    if os.path.lexists(target) and not is_same_file(target, backup):
        raise WorkspaceError(
            f"{target.name} already exists; a backup is restored as a new file. Choose a new name."
        )
    save_copy(backup, target, overwrite=False, require_tables=info.schema_version > 0)


def _read_only(path: Path) -> closing[sqlite3.Connection]:
    """A read-only connection to a file we must not change, closed on exit."""
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
