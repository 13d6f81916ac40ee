"""Copying a whole workspace's rows from one engine to another (publish, checkout, refresh).

Core selects and executemany inserts only, so the same code copies SQLite → PostgreSQL,
PostgreSQL → SQLite and file → file. Ids are copied as they are: a checkout is the server's
rows with the server's ids, which is what lets a sync name a server row by its local id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Table, delete, func, not_, select, text
from sqlalchemy.orm import Session

from cmio_desktop.models import Base
from cmio_desktop.services.bulk import insert_rows

#: Workspace settings under this prefix belong to the offline-copy machinery, never copied.
TEAM_PREFIX = "team."
CHUNK = 20_000


def data_tables() -> list[Table]:
    """Every table of the workspace, parents before children."""
    return list(Base.metadata.sorted_tables)


def _own_rows(table: Table) -> Any:
    """A filter keeping the rows that are the workspace's data (not team bookkeeping)."""
    if table.name == "workspace_setting":
        return not_(table.c.key.startswith(TEAM_PREFIX))
    return None


def holds_data(session: Session) -> bool:
    """True when the workspace holds anything beyond what creating it wrote (one organisation)."""
    for table in data_tables():
        where = _own_rows(table)
        stmt = select(func.count()).select_from(table)
        if where is not None:
            stmt = stmt.where(where)
        count = int(session.execute(stmt).scalar_one())
        if count > (1 if table.name == "organisation" else 0):
            return True
    return False


def clear(session: Session) -> None:
    """Delete every data row (children first), keeping the team bookkeeping settings."""
    for table in reversed(data_tables()):
        where = _own_rows(table)
        session.execute(delete(table) if where is None else delete(table).where(where))


def copy_rows(source: Session, target: Session) -> int:
    """Insert every data row of ``source`` into ``target`` (parents first); returns the count."""
    copied = 0
    for table in data_tables():
        stmt = select(table)
        where = _own_rows(table)
        if where is not None:
            stmt = stmt.where(where)
        pk = list(table.primary_key.columns)
        result = source.execute(stmt.order_by(*pk))
        for part in result.partitions(CHUNK):
            insert_rows(target, table, [dict(row._mapping) for row in part])
            copied += len(part)
    reset_id_sequences(target)
    return copied


def reset_id_sequences(session: Session) -> None:
    """After rows were inserted with their ids, new rows must get ids above them.

    SQLite derives the next id from the table itself; PostgreSQL draws from a sequence that
    explicit ids do not advance, so each is set past the largest id copied."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in data_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            )
        )
