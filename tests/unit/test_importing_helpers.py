"""Shared helpers for the import tests (this module holds no tests of its own)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

from cmio_desktop.services.importing.pipeline import read_source, validate_source
from cmio_desktop.services.importing.run import ImportOptions, ImportPlan, plan_import
from cmio_desktop.store import Workspace
from tests.unit.io.files import write_csv, write_xlsx

__all__ = ["fingerprint", "plan_file", "table_rows", "write_csv", "write_xlsx"]

TODAY = date(2026, 11, 2)


def fingerprint(ws: Workspace) -> str:
    """A hash of every row of every table (audit trail included), read with raw sqlite3."""
    conn = sqlite3.connect(f"{ws.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def table_rows(ws: Workspace, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{ws.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def plan_file(
    ws: Workspace,
    path: Path,
    kind: str,
    options: ImportOptions | None = None,
    default_date: date | None = None,
) -> ImportPlan:
    source = read_source(path, kind)
    validation = validate_source(source, default_date=default_date, today=TODAY)
    return plan_import(
        ws, kind, validation, options=options, columns=source.columns(), source_name=path.name
    )
