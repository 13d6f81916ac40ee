"""What a workspace holds, as comparable data: every table's rows (timestamps left out, since
two runs of one operation differ only in when), the schema version and the checks SQLite makes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

TIME_COLUMNS = {"at", "created_at", "updated_at"}


@dataclass(frozen=True)
class Snapshot:
    schema_version: int
    counts: tuple[tuple[str, int], ...]
    digest: str

    def describe(self) -> str:
        return f"v{self.schema_version} " + ", ".join(f"{t}={n}" for t, n in self.counts if n)


def snapshot(path: Path) -> Snapshot:
    """Read ``path`` with plain sqlite3 (recovering a hot WAL, as any next opener would)."""
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_stat%' AND name <> 'alembic_version' ORDER BY name"
            )
        ]
        digest = hashlib.sha256()
        counts = []
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            kept = [c for c in columns if c not in TIME_COLUMNS]
            order = "rowid" if table != "sqlite_sequence" else "name"
            rows = conn.execute(
                f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in kept)} FROM "{table}" '
                f"ORDER BY {order}"
            ).fetchall()
            rows = [tuple(map(_timeless, row)) for row in rows]
            counts.append((table, len(rows)))
            digest.update(f"{table}:{kept}:{rows!r}\n".encode())
    return Snapshot(version, tuple(counts), digest.hexdigest())


def _timeless(value: object) -> object:
    """The audit trail stores created rows as JSON, with their timestamps: leave those out."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return value
        if isinstance(data, dict):
            return json.dumps({k: v for k, v in data.items() if k not in TIME_COLUMNS})
    return value


def sqlite_problems(path: Path) -> list[str]:
    """Full ``integrity_check`` and ``foreign_key_check``: an empty list when both are clean."""
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
    return problems
