"""Foundation operations: bulk create and open + load the register columns.

Floors: raw sqlite3 ``executemany`` of the same rows into the same schema with the same pragmas;
raw sqlite3 ``SELECT`` of the same columns.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, measure
from cmio_desktop.sample.people import build_population
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.stakeholders.register import register_rows
from cmio_desktop.store import create_workspace, open_workspace

TIES_PER_PERSON = 12.0  # gives ≈ 10 ties per person after de-duplication


class Fixture:
    """Rows for one size, and a populated workspace to read from."""

    def __init__(self, workdir: Path, size: int) -> None:
        self.workdir = workdir
        self.size = size
        pop = build_population(random.Random(size), size, 1, TIES_PER_PERSON)
        stamp = datetime(2026, 11, 2, 9, 0, 0)
        for person in pop.people:  # both paths insert identical rows, timestamps included
            person["created_at"] = person["updated_at"] = stamp
        self.people = pop.people
        self.ties = list(pop.ties.values())
        self.populated = workdir / f"populated-{size}.cmio"
        if not self.populated.exists():
            ws = create_workspace(self.populated)
            with ws.session() as session:
                bulk_insert(session, "stakeholder", self.people)
                bulk_insert(session, "relationship", self.ties)
            ws.close()
        self._counter = 0

    def fresh_path(self, stem: str) -> Path:
        self._counter += 1
        path = self.workdir / f"{stem}-{self.size}-{self._counter}.cmio"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return path


def _raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _insert_sql(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _raw_value(value: Any) -> Any:
    """What SQLAlchemy would bind: JSON text for dicts, ISO text for datetimes."""
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return value


def bulk_create(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        ws = create_workspace(fx.fresh_path("create"))

        def run() -> None:
            with ws.session() as session:
                bulk_insert(session, "stakeholder", fx.people)
                bulk_insert(session, "relationship", fx.ties)
            ws.close()

        return run

    return prepare


def bulk_create_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    people_cols = list(fx.people[0])
    tie_cols = list(fx.ties[0])
    people = [tuple(_raw_value(p[c]) for c in people_cols) for p in fx.people]
    ties = [tuple(t[c] for c in tie_cols) for t in fx.ties]

    def prepare() -> Callable[[], Any]:
        path = fx.fresh_path("create-floor")
        create_workspace(path).close()

        def run() -> None:
            conn = _raw_connection(path)
            conn.execute("BEGIN")
            conn.executemany(_insert_sql("stakeholder", people_cols), people)
            conn.executemany(_insert_sql("relationship", tie_cols), ties)
            conn.execute("COMMIT")
            conn.close()

        return run

    return prepare


REGISTER_SQL = (
    "SELECT id, external_id, name, title, role, stakeholder_group, department, site, email, "
    "power, interest, attitude, physician_champion, super_user FROM stakeholder"
)


def load_register(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> Any:
            ws = open_workspace(fx.populated)
            try:
                return register_rows(ws)
            finally:
                ws.close()

        return run

    return prepare


def load_register_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> Any:
            conn = sqlite3.connect(fx.populated)
            rows = conn.execute(REGISTER_SQL).fetchall()
            conn.close()
            return rows

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    return [
        measure(
            n,
            "bulk create (people + ties)",
            bulk_create(fx),
            "raw sqlite3 executemany",
            bulk_create_floor(fx),
            repeats,
            target=2.0,
            note=f"{len(fx.people):,} people, {len(fx.ties):,} ties",
        ),
        measure(
            n,
            "open + load register columns",
            load_register(fx),
            "raw sqlite3 SELECT",
            load_register_floor(fx),
            repeats,
            target=2.0,
        ),
    ]
