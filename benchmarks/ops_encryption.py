"""What private deletes and encrypted workspaces cost (issue #18 items 5a and 6).

Each row's floor is the same operation without the feature, so the ratio *is* the overhead:

* **delete half the people (secure_delete)** — ``crud.delete_many_in`` of every other person
  (their ties, assessments… cascade; the audit rows and undo snapshot are written) on a copy of
  the populated workspace; floor: the same with ``PRAGMA secure_delete = OFF`` on the
  connection (SQLite's default, as before);
* **bulk create (secure_delete)** — people + ties into a new workspace, as ``ops_store``;
  floor: secure_delete off;
* **open + load register, encrypted** — ``open_workspace`` with the passphrase (one key
  derivation: PBKDF2-HMAC-SHA512, 256,000 iterations, SQLCipher 4's default) and
  ``register_rows``; floor: the same on the plain file with the same rows;
* **bulk create, encrypted** — people + ties into a new encrypted workspace; floor: plain.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture
from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.stakeholders.register import register_rows
from cmio_desktop.store import create_workspace, open_workspace
from cmio_desktop.store.encryption import convert

PASSPHRASE = "benchmark passphrase"


def _fresh_connections(ws: Any, secure: bool = True) -> Any:
    """``ws`` with its pool emptied (both sides of a row then open their connection alike)
    and, unless ``secure``, secure_delete off on every connection it makes from now on."""
    if not secure:

        @event.listens_for(ws.engine, "connect")
        def _off(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA secure_delete = OFF")

    ws.engine.dispose()
    return ws


def _encrypted_populated(fx: Fixture) -> Path:
    path = fx.workdir / f"populated-{fx.size}-encrypted.cmio"
    if not path.exists():
        convert(fx.populated, path, None, PASSPHRASE)
    return path


def delete_half(fx: Fixture, secure: bool) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        path = fx.fresh_path("delete" if secure else "delete-floor")
        shutil.copyfile(fx.populated, path)
        ws = open_workspace(path)
        with ws.read_session() as session:
            ids = list(session.scalars(select(m.Stakeholder.id).order_by(m.Stakeholder.id)))[::2]
        _fresh_connections(ws, secure)

        def run() -> None:
            with ws.session() as session:
                crud.delete_many_in(session, m.Stakeholder, ids)
            ws.close()

        return run

    return prepare


def bulk_create(fx: Fixture, passphrase: str | None, secure: bool = True) -> Callable[[], Any]:
    def prepare() -> Callable[[], Any]:
        ws = create_workspace(fx.fresh_path("enc-create"), passphrase=passphrase)
        _fresh_connections(ws, secure)

        def run() -> None:
            with ws.session() as session:
                bulk_insert(session, "stakeholder", fx.people)
                bulk_insert(session, "relationship", fx.ties)
            ws.close()

        return run

    return prepare


def load_register(path_of: Callable[[], Path], passphrase: str | None) -> Callable[[], Any]:
    def prepare() -> Callable[[], Any]:
        path = path_of()

        def run() -> Any:
            ws = open_workspace(path, passphrase)
            try:
                return register_rows(ws)
            finally:
                ws.close()

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    people = f"{len(fx.people) // 2:,} of {len(fx.people):,} people and their ties"
    return [
        measure(
            n,
            "delete half the people (secure_delete on)",
            delete_half(fx, secure=True),
            "same delete, secure_delete off",
            delete_half(fx, secure=False),
            repeats,
            note=people,
        ),
        measure(
            n,
            "bulk create (secure_delete on)",
            bulk_create(fx, None),
            "same, secure_delete off",
            bulk_create(fx, None, secure=False),
            repeats,
            note=f"{len(fx.people):,} people, {len(fx.ties):,} ties",
        ),
        measure(
            n,
            "open + load register columns, encrypted",
            load_register(lambda: _encrypted_populated(fx), PASSPHRASE),
            "same on the plain file",
            load_register(lambda: fx.populated, None),
            repeats,
            note="includes one key derivation (PBKDF2-SHA512, 256,000 iterations)",
        ),
        measure(
            n,
            "bulk create (people + ties), encrypted",
            bulk_create(fx, PASSPHRASE),
            "same, plain file",
            bulk_create(fx, None),
            repeats,
            note=f"{len(fx.people):,} people, {len(fx.ties):,} ties",
        ),
    ]
