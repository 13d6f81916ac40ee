"""Check a workspace without changing it: integrity, references, schema stamp, stray files,
backups. Shared by ``cmio check`` and Help › Check Workspace… in the app.

Everything is read-only: the file is opened with ``mode=ro`` and never migrated, so checking a
damaged or newer file leaves it byte for byte as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cmio_desktop.store.backup import backups_of
from cmio_desktop.store.copies import copy_problems
from cmio_desktop.store.creation import CREATING_SUFFIX
from cmio_desktop.store.encryption import (
    connect,
    database_errors,
    is_encrypted,
    passphrase_for,
    raw_key,
)
from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION
from cmio_desktop.store.workspace import APPLICATION_ID, read_identity

OK, WARNING, PROBLEM = "ok", "warning", "problem"
_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Finding:
    check: str
    status: str  # OK, WARNING or PROBLEM
    detail: str


@dataclass(frozen=True)
class CheckReport:
    path: Path
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.status == PROBLEM]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        count = len(self.problems)
        if count == 0:
            warnings = sum(f.status == WARNING for f in self.findings)
            return "No problems found." + (f" {warnings} note(s) above." if warnings else "")
        return f"{count} problem{'s' if count > 1 else ''} found."

    def as_dict(self) -> dict[str, Any]:
        return {
            "workspace": str(self.path),
            "ok": self.ok,
            "findings": [asdict(f) for f in self.findings],
        }


def check_workspace(path: Path, backups_folder: Path | None, key: str | None = None) -> CheckReport:
    """``key``: an encrypted workspace's (the open one's); else the passphrase source is asked."""
    path = Path(path)
    stray = _stray_files(path)  # before SQLite opens the file and makes its own journal files
    if key is None and is_encrypted(path) and (passphrase := passphrase_for(path)):
        key = raw_key(path, passphrase)
    findings = [*_database(path, key), *stray]
    if backups_folder is not None:
        findings.append(_backups(path, backups_folder, key))
    return CheckReport(path, tuple(findings))


def _database(path: Path, key: str | None) -> list[Finding]:
    try:
        identity = read_identity(path, key)
    except WorkspaceError as exc:
        return [Finding("file", PROBLEM, str(exc))]
    if identity.application_id != APPLICATION_ID:
        return [Finding("file", PROBLEM, f"{path.name} is a database, but not a CMIO workspace.")]
    findings = [Finding("file", OK, f"{path.name} is a CMIO workspace.")]
    try:
        conn = connect(path, key, readonly=True)
    except database_errors() as exc:
        return [*findings, Finding("integrity", PROBLEM, f"cannot be opened ({exc}).")]
    try:
        findings.append(_stamp(conn, identity.schema_version))
        findings.append(_integrity(conn))
        findings.append(_foreign_keys(conn))
    except database_errors() as exc:
        findings.append(Finding("integrity", PROBLEM, f"the file cannot be read ({exc})."))
    finally:
        conn.close()
    return findings


def _stamp(conn: sqlite3.Connection, version: int) -> Finding:
    if version > HEAD_SCHEMA_VERSION:
        return Finding(
            "schema",
            PROBLEM,
            f"schema {version} is newer than this version of CMIO Desktop reads "
            f"({HEAD_SCHEMA_VERSION}); update the app.",
        )
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    if version == 0:
        if revision is not None or "organisation" in tables:
            return Finding("schema", PROBLEM, "workspace tables without a schema version stamp.")
        return Finding("schema", WARNING, "schema 0: upgraded (after a backup) when opened.")
    if revision is None or not revision.isdigit() or int(revision) != version:
        return Finding(
            "schema",
            PROBLEM,
            f"the schema stamp ({version}) does not match the migration record ({revision}).",
        )
    note = "current" if version == HEAD_SCHEMA_VERSION else "upgraded when opened"
    return Finding("schema", OK, f"schema {version} ({note}).")


def _integrity(conn: sqlite3.Connection) -> Finding:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    if rows == ["ok"]:
        return Finding("integrity", OK, "no damage found.")
    shown = "; ".join(rows[:3]) + (" …" if len(rows) > 3 else "")
    return Finding("integrity", PROBLEM, f"SQLite reports damage: {shown}")


def _foreign_keys(conn: sqlite3.Connection) -> Finding:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Finding("references", OK, "every reference points at an existing row.")
    tables = sorted({r[0] for r in rows})
    return Finding(
        "references",
        PROBLEM,
        f"{len(rows):,} broken reference(s) in {', '.join(tables)} (first: {rows[0][0]} row "
        f"{rows[0][1]} → {rows[0][2]}).",
    )


def _stray_files(path: Path) -> list[Finding]:
    """Journal files whose database is gone, and temporaries of interrupted copies/creations."""
    folder = path.parent
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    stray = [entry.name for entry in entries if _orphaned(entry) or _leftover(entry.name)]
    if not stray:
        return [Finding("stray files", OK, f"no orphaned journal files in {folder}.")]
    return [
        Finding(
            "stray files",
            PROBLEM,
            f"{len(stray)} orphaned file(s) in {folder}: {', '.join(sorted(stray)[:5])}; they "
            "belong to no workspace and can be deleted.",
        )
    ]


def _orphaned(entry: Path) -> bool:
    """A -wal/-shm/-journal file whose database is gone."""
    side = next((s for s in _SIDE_SUFFIXES if entry.name.endswith(s)), None)
    return side is not None and not entry.with_name(entry.name[: -len(side)]).exists()


def _leftover(name: str) -> bool:
    """The temporary file of an interrupted workspace creation or copy."""
    ours = name.endswith((CREATING_SUFFIX, ".partial"))
    return ours and name.startswith(".") and ".cmio." in name


def _backups(path: Path, folder: Path, key: str | None = None) -> Finding:
    copies = backups_of(path, folder) if folder.is_dir() else []
    if not copies:
        return Finding(
            "backups",
            WARNING,
            f"no automatic backup yet in {folder} (one is made each day the workspace is "
            "opened in the app or changed from the command line).",
        )
    bad = [(c.name, p[0]) for c in copies if (p := copy_problems(c, passphrase=key))]
    if bad:
        name, why = bad[0]
        return Finding(
            "backups", PROBLEM, f"{len(bad)} of {len(copies)} backup(s) unreadable ({name}: {why})."
        )
    return Finding(
        "backups", OK, f"{len(copies)} readable backup(s), the latest {copies[-1].name}."
    )
