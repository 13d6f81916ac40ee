"""``insert_rows`` writes exactly what SQLAlchemy's own executemany writes, only faster."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, text

from cmio_desktop import models as m
from cmio_desktop.enums import Attitude, Role, StakeholderGroup
from cmio_desktop.services.bulk import insert_rows
from cmio_desktop.store import create_workspace

S = m.Stakeholder.__table__
STAMP = datetime(2026, 11, 2, 9, 30, 15, 250)


def people(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation_id": 1,
            "name": f"Person {i} Ødegård",
            "role": list(Role)[i % len(Role)],
            "stakeholder_group": StakeholderGroup.FRONTLINE_CLINICIAN,
            "attitude": Attitude.RESISTANT if i % 2 else Attitude.LEADING,
            "desired_attitude": Attitude.SUPPORTIVE,
            "email": None if i % 3 else f"p{i}@example.org",
            "physician_champion": bool(i % 2),
            "custom_fields": {"badge": i, "note": "ünïcode"},
            **extra,
        }
        for i in range(n)
    ]


def stored(path: Path, sql: str = "SELECT * FROM stakeholder ORDER BY id") -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_same_rows_as_sqlalchemy_executemany(tmp_path: Path) -> None:
    rows = people(50, created_at=STAMP, updated_at=STAMP, power=5)
    fast, slow = create_workspace(tmp_path / "fast.cmio"), create_workspace(tmp_path / "slow.cmio")
    with fast.session() as session:
        insert_rows(session, S, [dict(r) for r in rows])
    with slow.session() as session:
        session.execute(insert(S), [dict(r) for r in rows])
    fast.close(), slow.close()
    written = stored(tmp_path / "fast.cmio")
    assert len(written) == 50
    assert written == stored(tmp_path / "slow.cmio")
    first = dict(zip([c.name for c in S.columns], written[1], strict=True))
    assert first["role"] == list(Role)[1].value and first["attitude"] == "resistant"
    assert first["title"] == "" and first["is_body"] == 0 and first["physician_champion"] == 1


def test_missing_columns_get_their_defaults(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "w.cmio")
    before = datetime.now()
    with ws.session() as session:
        insert_rows(session, S, people(20))
    ws.close()
    stamps = stored(tmp_path / "w.cmio", "SELECT created_at, updated_at FROM stakeholder")
    assert len(stamps) == 20
    assert all(before.isoformat(" ") <= created <= updated for created, updated in stamps)
    defaults = "SELECT DISTINCT power, interest, title, is_body, site FROM stakeholder"
    assert stored(tmp_path / "w.cmio", defaults) == [(3, 3, "", 0, "")]


def test_callable_defaults_are_called_per_row_and_empty_rows_take_every_default(
    tmp_path: Path,
) -> None:
    counter = itertools.count(1)
    table = Table(
        "numbered",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("n", Integer, default=lambda: next(counter)),
        Column("label", String, default="none"),
        Column("made", String, server_default=text("'by sqlite'")),
    )
    ws = create_workspace(tmp_path / "w.cmio")
    with ws.session() as session:
        table.create(session.connection())
        insert_rows(session, table, [{"label": "a"}, {"label": "b"}, {"label": "c"}])
        insert_rows(session, table, [{}, {}])
    ws.close()
    assert stored(tmp_path / "w.cmio", "SELECT n, label, made FROM numbered ORDER BY id") == [
        (1, "a", "by sqlite"),
        (2, "b", "by sqlite"),
        (3, "c", "by sqlite"),
        (4, "none", "by sqlite"),
        (5, "none", "by sqlite"),
    ]


def test_rows_with_different_keys_are_each_written_as_given(tmp_path: Path) -> None:
    """(SQLAlchemy's own executemany would take every row's columns from the first row.)"""
    rows = people(4)
    rows[2]["title"] = "Charge nurse"
    del rows[3]["email"]
    rows[1]["power"] = 5
    ws = create_workspace(tmp_path / "w.cmio")
    with ws.session() as session:
        insert_rows(session, S, rows)
    ws.close()
    assert stored(tmp_path / "w.cmio", "SELECT title, power, email FROM stakeholder") == [
        ("", 3, "p0@example.org"),
        ("", 5, None),
        ("Charge nurse", 3, None),
        ("", 3, None),
    ]


def test_unknown_column_is_refused_and_nothing_written(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "w.cmio")
    with pytest.raises(ValueError, match="no column.*shoe_size"), ws.session() as session:
        insert_rows(session, S, people(3, shoe_size=44))
    ws.close()
    assert stored(tmp_path / "w.cmio") == []
