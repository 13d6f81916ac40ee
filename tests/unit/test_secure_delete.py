"""A deleted person's data does not stay readable in the workspace file's free pages.

The person is written and deleted with plain SQL through the workspace's own engine, so the
only copies of the name are the row and its index entries (the services' audit trail, which
keeps a deleted person's values as a live row, is a separate matter).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, insert

from cmio_desktop import models as m
from cmio_desktop.store import create_workspace

# SQLite's free pages: SQLite only.
pytestmark = pytest.mark.sqlite_only

NAME = "Quillonia Farthingale-Zest"
EMAIL = "quillonia.zest@example.test"
PERSON = {
    "organisation_id": 1,
    "name": NAME,
    "email": EMAIL,
    "role": "nurse",
    "stakeholder_group": "frontline_clinician",
}


def _raw_bytes(path: Path) -> bytes:
    """The file and its journal files, as any program reading the disk would see them."""
    found = b""
    for suffix in ("", "-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            found += side.read_bytes()
    return found


def _checkpoint(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _add_and_delete_in_workspace(path: Path, secure: bool = True) -> None:
    people = m.Stakeholder.__table__
    ws = create_workspace(path, organisation="Test Health")
    try:
        with ws.session() as session:
            session.execute(insert(people).values(**PERSON))
        _checkpoint(ws)
        assert NAME.encode() in _raw_bytes(path)  # it was on disk before the delete
        with ws.session() as session:
            if not secure:
                session.connection().exec_driver_sql("PRAGMA secure_delete = OFF")
            session.execute(delete(people).where(people.c.name == NAME))
        _checkpoint(ws)
    finally:
        ws.close()


def test_every_connection_deletes_securely(empty_ws) -> None:
    with empty_ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1


def test_a_deleted_person_is_gone_from_the_raw_file(tmp_path: Path) -> None:
    path = tmp_path / "private.cmio"
    _add_and_delete_in_workspace(path)
    data = _raw_bytes(path)
    assert NAME.encode() not in data
    assert EMAIL.encode() not in data


def test_without_secure_delete_the_name_would_stay(tmp_path: Path) -> None:
    """The control: the same steps with secure_delete switched off leave the name in the
    file's free space, so the test above measures something real."""
    path = tmp_path / "control.cmio"
    _add_and_delete_in_workspace(path, secure=False)
    assert NAME.encode() in _raw_bytes(path)
