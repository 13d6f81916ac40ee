"""``insert_rows`` writes exactly what SQLAlchemy's own executemany writes, only faster."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from cmio_desktop import models as m
from cmio_desktop.models.enums import Attitude, Role, StakeholderGroup
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


def test_missing_columns_get_their_defaults_once(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "w.cmio")
    before = datetime.now()
    with ws.session() as session:
        insert_rows(session, S, people(20))
    ws.close()
    stamps = stored(tmp_path / "w.cmio", "SELECT DISTINCT created_at, updated_at FROM stakeholder")
    assert len(stamps) == 1  # one timestamp for the batch
    assert before.isoformat(" ") <= stamps[0][0] <= stamps[0][1]
    defaults = "SELECT DISTINCT power, interest, title, is_body, site FROM stakeholder"
    assert stored(tmp_path / "w.cmio", defaults) == [(3, 3, "", 0, "")]


def test_rows_with_different_keys_still_insert(tmp_path: Path) -> None:
    rows = people(4)
    rows[2]["title"] = "Charge nurse"
    ws = create_workspace(tmp_path / "w.cmio")
    with ws.session() as session:
        insert_rows(session, S, rows)
    ws.close()
    titles = [r[0] for r in stored(tmp_path / "w.cmio", "SELECT title FROM stakeholder")]
    assert titles == ["", "", "Charge nurse", ""]


def test_unknown_column_is_refused_and_nothing_written(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "w.cmio")
    with pytest.raises(ValueError, match="no column.*shoe_size"), ws.session() as session:
        insert_rows(session, S, people(3, shoe_size=44))
    ws.close()
    assert stored(tmp_path / "w.cmio") == []
