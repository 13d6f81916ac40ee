"""Bulk writes (sample generation, imports, audit rows): the driver's own ``executemany``.

``session.execute(insert(table), rows)`` builds and converts a parameter dict per row inside
SQLAlchemy; for 100,000 people that costs more than SQLite's own work. :func:`insert_rows`
writes the same rows (column defaults filled in, every value converted by its column's type)
but looks each column's converter up once and hands the driver plain tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, ColumnDefault, Table, insert
from sqlalchemy.orm import Session

from ..models import Base

CHUNK_ROWS = 50_000  # bounds the driver's parameter lists, not the transaction


def bulk_insert(session: Session, table: str, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` (column-name dicts) into ``table`` on the caller's transaction."""
    target = Base.metadata.tables[table]
    for start in range(0, len(rows), CHUNK_ROWS):
        insert_rows(session, target, rows[start : start + CHUNK_ROWS])
    return len(rows)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` in one ``executemany`` on the caller's transaction.

    Columns missing from the rows get their Python-side default, evaluated once for all the
    rows; a column given in some rows only gets its default (else ``NULL``) in the others.
    Tables with SQL-expression defaults go through SQLAlchemy's own path.
    """
    if not rows:
        return
    first = rows[0].keys()
    if any(row.keys() != first for row in rows):
        rows = _same_keys(table, rows)
        first = rows[0].keys()
    keys = list(first)
    unknown = set(keys) - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(sorted(unknown))}")
    missing = [c for c in table.columns if c.key not in first and c.default is not None]
    if not all(_is_python_default(c) for c in missing):
        session.execute(insert(table), list(rows))
        return
    connection = session.connection()
    dialect = connection.dialect
    defaults = {column.key: _default_of(column) for column in missing}
    statement = insert(table).compile(dialect=dialect, column_keys=[*keys, *defaults])
    order = [_key_of(table, name) for name in statement.positiontup or ()]
    position = {key: i for i, key in enumerate([*keys, *defaults])}
    processors = [
        (i, table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        for i, key in enumerate(order)
    ]
    convert = [(i, p) for i, p in processors if p is not None]
    fixed = tuple(defaults.values())
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    reorder = [position[key] for key in order]
    in_order = reorder == list(range(len(reorder)))
    params: list[Any] = []
    add = params.append
    for row in rows:
        values = pick(row) + fixed
        if not in_order:
            values = tuple(values[i] for i in reorder)
        if convert:
            values = list(values)
            for i, process in convert:
                values[i] = process(values[i])
            values = tuple(values)
        add(values)
    connection.exec_driver_sql(str(statement), params)


def _same_keys(table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with the union of their keys, in table column order."""
    present = set().union(*rows)
    filler = {
        c.key: _default_of(c) if _is_python_default(c) else None
        for c in table.columns
        if c.key in present
    }
    extra = present - filler.keys()  # unknown keys: kept so that they are reported
    return [{**filler, **dict.fromkeys(extra), **row} for row in rows]


def _is_python_default(column: Column[Any]) -> bool:
    default = column.default
    return isinstance(default, ColumnDefault) and not default.is_clause_element


def _default_of(column: Column[Any]) -> Any:
    default: ColumnDefault = column.default  # type: ignore[assignment]
    return default.arg(None) if default.is_callable else default.arg  # type: ignore[operator]


def _key_of(table: Table, bind_name: str) -> str:
    """The column key of a bind parameter of a compiled ``INSERT`` (they are named after it)."""
    if bind_name in table.c:
        return bind_name
    raise ValueError(f"unexpected parameter {bind_name!r} for table {table.name}")
