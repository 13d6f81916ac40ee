"""Shared helpers for the import tests (this module holds no tests of its own)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cmio_desktop.services.importing.pipeline import read_source, validate_source
from cmio_desktop.services.importing.run import ImportOptions, ImportPlan, plan_import
from cmio_desktop.store import Workspace
from tests.raw_rows import fingerprint as raw_fingerprint
from tests.raw_rows import raw_rows
from tests.unit.io.files import write_csv, write_xlsx

__all__ = ["fingerprint", "plan_file", "table_rows", "write_csv", "write_xlsx"]

TODAY = date(2026, 11, 2)


def fingerprint(ws: Workspace) -> str:
    """A hash of every row of every table (audit trail included), read behind the services."""
    return raw_fingerprint(ws)


def table_rows(ws: Workspace, sql: str) -> list[tuple]:
    return raw_rows(ws, sql)


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
