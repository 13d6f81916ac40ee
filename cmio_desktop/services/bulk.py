"""Bulk writes (sample generation, imports, audit rows): the driver's own ``executemany``.

``session.execute(insert(table), rows)`` builds and converts a parameter dict per row inside
SQLAlchemy; for 100,000 people that costs more than SQLite's own work. :func:`insert_rows`
writes the same rows (column defaults filled in, every value converted by its column's type)
but looks each column's converter up once and hands the driver plain tuples
(``tests/unit/test_bulk_insert.py`` compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, ColumnDefault, Table, insert
from sqlalchemy.orm import Session

from cmio_desktop.models import Base

CHUNK_ROWS = 50_000  # bounds the driver's parameter lists, not the transaction


def bulk_insert(session: Session, table: str, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` (column-name dicts) into ``table`` on the caller's transaction."""
    target = Base.metadata.tables[table]
    for start in range(0, len(rows), CHUNK_ROWS):
        insert_rows(session, target, rows[start : start + CHUNK_ROWS])
    return len(rows)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` in one ``executemany`` on the caller's transaction.

    Every row is written as SQLAlchemy would write it on its own: a column the row leaves out
    gets its Python-side default (a callable one called per row), else ``NULL``; a key that is
    not a column is refused. Tables with SQL-expression defaults and drivers without
    positional parameters go through SQLAlchemy, one ``executemany`` per run of rows with the
    same keys.
    """
    if not rows:
        return
    first = rows[0].keys()
    uniform = all(row.keys() == first for row in rows)
    given = set(first) if uniform else set().union(*rows)
    unknown = given - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(sorted(unknown))}")
    absent = [c for c in table.columns if c.key not in given and c.default is not None]
    dialect = session.get_bind().dialect
    if "id" in given and dialect.name == "postgresql":
        _insert_by_shape(session, table, rows)
        advance_id_sequence(session, table)
        return
    if not given or not dialect.positional or not all(map(_is_python_default, absent)):
        _insert_by_shape(session, table, rows)
        return
    if uniform:
        keys = list(first)
    else:
        keys = [c.key for c in table.columns if c.key in given]
        rows = [_filled(table, row, keys) for row in rows]
    fixed_keys = [c.key for c in absent if not c.default.is_callable]  # type: ignore[union-attr]
    fixed = tuple(_default_of(table.c[key]) for key in fixed_keys)
    calls = [c for c in absent if c.default.is_callable]  # type: ignore[union-attr]
    columns = [*keys, *fixed_keys, *(c.key for c in calls)]
    statement = insert(table).compile(dialect=dialect, column_keys=columns)
    order = [_key_of(table, name) for name in statement.positiontup or ()]
    if sorted(order) != sorted(columns):
        _insert_by_shape(session, table, rows)  # not a plain positional INSERT: let SQLAlchemy
        return
    position = {key: i for i, key in enumerate(columns)}
    reorder = [position[key] for key in order]
    in_order = reorder == list(range(len(reorder)))
    convert = [
        (i, process)
        for i, key in enumerate(order)
        if (process := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    params: list[tuple[Any, ...]] = []
    add = params.append
    for row in rows:
        values = pick(row) + fixed
        if calls:
            values += tuple(_default_of(c) for c in calls)
        if not in_order:
            values = tuple(values[i] for i in reorder)
        if convert:
            converted = list(values)
            for i, process in convert:
                converted[i] = process(converted[i])
            values = tuple(converted)
        add(values)
    session.connection().exec_driver_sql(str(statement), params)


def advance_id_sequence(session: Session, table: Table) -> None:
    """After rows with explicit ids (the sample, a redo): move the table's PostgreSQL sequence
    past them, never back, so the next id it hands out is new (ids are never reused)."""
    conn = session.connection()
    sequence = conn.exec_driver_sql(
        "SELECT pg_get_serial_sequence(%(t)s, 'id')", {"t": table.name}
    ).scalar()
    if sequence is None:
        return
    highest = conn.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{table.name}"').scalar()
    last, called = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {sequence}").one()
    top = max(int(highest or 0), int(last) if called else 0)
    if top:
        conn.exec_driver_sql("SELECT setval(%(s)s, %(v)s, true)", {"s": sequence, "v": top})


def _insert_by_shape(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """SQLAlchemy's executemany takes its columns from the first row: one per run of rows
    with the same keys, in order."""
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or rows[end].keys() != rows[start].keys():
            session.execute(insert(table), list(rows[start:end]))
            start = end


def _filled(table: Table, row: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """``row`` with a value for each of ``keys``: its own, else the column default or None."""
    return {
        key: row[key]
        if key in row
        else (_default_of(table.c[key]) if _is_python_default(table.c[key]) else None)
        for key in keys
    }


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
