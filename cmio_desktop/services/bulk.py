"""Bulk writes (sample generation, imports): Core executemany, never ORM ``add_all``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import Base

CHUNK_ROWS = 50_000  # bounds the driver's parameter lists, not the transaction


def bulk_insert(session: Session, table: str, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` (column-name dicts) into ``table`` on the caller's transaction."""
    target = Base.metadata.tables[table]
    for start in range(0, len(rows), CHUNK_ROWS):
        session.execute(insert(target), rows[start : start + CHUNK_ROWS])
    return len(rows)
