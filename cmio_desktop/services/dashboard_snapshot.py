"""The complete dashboard of the last run, kept per workspace revision so that a reopened
workspace shows every figure at once, before SQLAlchemy, numpy and the analysis load.

The figures are the ones ``services.dashboard`` and ``services.engagement.dashboard`` computed
(never a second implementation): a :class:`Snapshot` holds them as they were when the app
closed. It is written when the app closes the workspace, together with a :class:`Stamp` of the
file as closed — its schema version, its revision (the last audit event), its size and its
modification time. At the next start the stamp is read again with the standard library's
``sqlite3`` (no SQLAlchemy): only an untouched file, on the same day, with the same code, gets
its snapshot back. Any write — this app's (audited: a new revision), another program's (the
file's size or time) or a pending one (a ``-wal`` beside the file) — makes it miss, so a stale
figure is never shown. Encrypted and team workspaces are not plain SQLite files: they always
take the normal path.

One JSON file per workspace (named by a hash of its resolved path) in the private cache
folder, written 0600 through a temporary file; only the dataclasses listed here are rebuilt
from it (no pickle), and a damaged or foreign file is ignored. Deleting the folder is safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from cmio_desktop import __version__
from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.analysis.golive import Overall
from cmio_desktop.paths import cache_dir
from cmio_desktop.private_files import write_private_bytes
from cmio_desktop.services.dashboard_figures import DashboardSummary, NetworkKpis
from cmio_desktop.services.engagement.figures import EngagementFigures, FollowUp, NotContacted

log = logging.getLogger(__name__)

FORMAT = 1
SQLITE_HEADER = b"SQLite format 3\x00"
#: The code whose results a snapshot holds: a change to any of it makes every snapshot miss.
CODE_FOLDERS = ("analysis", "models", "services", "store")
_CLASSES: dict[str, type] = {
    c.__name__: c
    for c in (DashboardSummary, NetworkKpis, EngagementFigures, FollowUp, NotContacted,
              ReadinessSettings)
}  # fmt: skip
_ENUMS: dict[str, type[Enum]] = {Overall.__name__: Overall}


@dataclass(frozen=True)
class Stamp:
    """A plain SQLite workspace file as it lies on disk."""

    schema: int  # PRAGMA user_version
    revision: int  # the last audit event's id (every write of this app is audited)
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Snapshot:
    """Every dashboard figure for one workspace, initiative and day, at one revision."""

    workspace: str  # the resolved path
    initiative_id: int | None
    today: date
    revision: int
    summary: DashboardSummary
    network: NetworkKpis
    engagement: EngagementFigures


@cache
def code_fingerprint() -> str:
    """The app version and a hash of the code that computes the figures."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    root = Path(__file__).resolve().parents[1]
    for folder in CODE_FOLDERS:  # absent in a frozen bundle: the version decides
        for source in sorted((root / folder).rglob("*.py")):
            digest.update(str(source.relative_to(root)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def snapshot_file(workspace: Path) -> Path:
    name = hashlib.blake2b(str(workspace).encode(), digest_size=16).hexdigest()
    return cache_dir() / "dashboard" / f"{name}.json"


def file_state(workspace: Any) -> tuple[int, ...]:
    """Size and modification time of a workspace's file and its write-ahead log: any commit
    changes them, another program's unaudited one too (empty for a team workspace)."""
    path = getattr(workspace, "path", None)
    if not isinstance(path, Path):
        return ()
    state: list[int] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            found = part.stat()
            state += [found.st_size, found.st_mtime_ns]
        except OSError:
            state += [-1, -1]
    return tuple(state)


def file_stamp(path: Path) -> Stamp | None:
    """The stamp of a closed, plain SQLite workspace file; None for anything else (encrypted,
    not a workspace, unreadable, or with a write-ahead log beside it: open elsewhere)."""
    import sqlite3  # the standard library's: SQLAlchemy is not loaded yet

    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        before = path.stat()
        # immutable: no locks, no -wal/-shm made beside the file, nothing written to it
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
            row = conn.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()
        finally:
            conn.close()
        after = path.stat()
    except (OSError, sqlite3.Error, ValueError, TypeError):
        return None
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return None  # written to while being read
    return Stamp(schema, int(row[0]), after.st_size, after.st_mtime_ns)


def keep(snapshot: Snapshot) -> bool:
    """Write ``snapshot`` for the next start, stamped with its (closed) file; False when the
    file is not at the snapshot's revision or cannot be stamped (nothing is written then)."""
    path = Path(snapshot.workspace)
    stamp = file_stamp(path)
    if stamp is None or stamp.revision != snapshot.revision:
        return False
    try:
        text = json.dumps(
            {
                "format": FORMAT,
                "code": code_fingerprint(),
                "stamp": asdict(stamp),
                "snapshot": _encode(snapshot),
            }
        )
        write_private_bytes(snapshot_file(path), text.encode("utf-8"))
    except (OSError, TypeError, ValueError) as exc:  # a full disk only costs speed next time
        log.info("Could not keep the dashboard for next time: %s", exc)
        return False
    return True


def load(workspace: Path, today: date) -> Snapshot | None:
    """The snapshot kept for ``workspace`` if the file is exactly as it was then and it was
    made today with this code; else None."""
    path = workspace.resolve()
    source = snapshot_file(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        if (data.get("format"), data.get("code")) != (FORMAT, code_fingerprint()):
            return None
        kept = Stamp(**data["stamp"])
        snapshot = _decode(data["snapshot"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged, truncated or foreign: ignored (and replaced later)
        log.info("Ignoring the kept dashboard %s: %s", source.name, exc)
        return None
    if not isinstance(snapshot, Snapshot) or snapshot.workspace != str(path):
        return None
    if snapshot.today != today or kept.revision != snapshot.revision:
        return None
    if file_stamp(path) != kept:
        return None
    return snapshot


# -- JSON: the listed dataclasses, enums and dates only ------------------------------------------


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name != Snapshot.__name__ and _CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} is not kept in a dashboard snapshot")
        return {"$": name, **{f.name: _encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only text keys are kept")
        return {"$dict": {k: _encode(v) for k, v in value.items()}}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise TypeError(f"a {type(value).__name__} is not kept in a dashboard snapshot")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$" in value:
        name = value["$"]
        cls = Snapshot if name == Snapshot.__name__ else _CLASSES[name]
        names = {f.name for f in fields(cls)}
        return cls(**{k: _decode(v) for k, v in value.items() if k != "$" and k in names})
    if "$enum" in value:
        return _ENUMS[value["$enum"]](value["value"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {str(k): _decode(v) for k, v in value["$dict"].items()}
    raise ValueError("not a dashboard snapshot")
