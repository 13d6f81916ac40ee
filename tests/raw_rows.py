"""Reading a workspace's rows behind the services' back, on either engine (the tests' check
that what a service reports is what was stored)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any


def is_team(ws: Any) -> bool:
    return getattr(ws, "is_team", False)


def raw_rows(ws: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """``sql`` (``?`` placeholders) on a connection of its own: SQLite read-only, or the
    server through the workspace's engine."""
    if not is_team(ws):
        conn = sqlite3.connect(f"{ws.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    raw = ws.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        # json columns come back parsed; SQLite gives the stored text: give that on both
        rows = [
            tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in r)
            for r in cursor.fetchall()
        ]
        raw.rollback()
        return rows
    finally:
        raw.close()


def table_names(ws: Any) -> list[str]:
    if not is_team(ws):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() ORDER BY table_name"
        )
    return [r[0] for r in raw_rows(ws, sql)]


def fingerprint(ws: Any) -> str:
    """A hash of every row of every table (audit trail and sequences' effects included)."""
    digest = hashlib.sha256()
    for table in table_names(ws):
        digest.update(table.encode())
        rows = raw_rows(ws, f'SELECT * FROM "{table}"')
        for row in sorted(repr(r) for r in rows):
            digest.update(row.encode())
    return digest.hexdigest()


def data_rows(ws: Any, table: str, rest: str = "") -> list[tuple[Any, ...]]:
    """Every row of ``table`` (``rest``: a WHERE / ORDER BY), every column but the row version:
    an undo puts the values back while the version, like a clock, only moves on."""
    from cmio_desktop import models as m

    columns = [c.name for c in m.Base.metadata.tables[table].columns if c.name != "version"]
    return raw_rows(ws, f'SELECT {", ".join(columns)} FROM "{table}" {rest}')
