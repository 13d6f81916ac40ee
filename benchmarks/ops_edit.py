"""Saving small edits: what making every save reach the ``.cmio`` file costs (issue 18).

Each run saves ten one-person edits, one write transaction each, as the app does when a user
edits the register; the workspace stays open between them. The operation goes through
``Workspace.session`` (BEGIN IMMEDIATE, commit, then the checkpoint that copies the edit from
the WAL into the main file). Floor: raw sqlite3 with the same pragmas (WAL, synchronous=FULL)
committing the same UPDATEs, which leaves them in the WAL.

A second pair measures one bulk write of the whole register (every person's power), where the
checkpoint copies every page the transaction touched.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture, _raw_connection
from cmio_desktop.store import open_workspace

EDITS_PER_RUN = 10
UPDATE = "UPDATE stakeholder SET power = :p WHERE id = :i"


def _edit_copy(fx: Fixture, stem: str) -> Path:
    path = fx.fresh_path(stem)
    shutil.copyfile(fx.populated, path)
    return path


def _ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM stakeholder ORDER BY id")]
    finally:
        conn.close()


def small_edits(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    path = _edit_copy(fx, "edits")
    ids = _ids(path)[:EDITS_PER_RUN]
    rounds = [0]
    held: list[Any] = []

    def prepare() -> Callable[[], Any]:
        for old in held:
            old.close()  # outside the timing
        held[:] = [ws := open_workspace(path)]
        rounds[0] += 1

        def run() -> None:
            for n, ident in enumerate(ids):
                with ws.session() as session:
                    session.execute(text(UPDATE), {"p": (rounds[0] + n) % 5 + 1, "i": ident})

        return run

    return prepare


def small_edits_floor(fx: Fixture, checkpoint: bool = False) -> Callable[[], Callable[[], Any]]:
    path = _edit_copy(fx, "edits-checkpointed" if checkpoint else "edits-floor")
    ids = _ids(path)[:EDITS_PER_RUN]
    rounds = [0]
    held: list[Any] = []

    def prepare() -> Callable[[], Any]:
        for old in held:
            old.close()  # outside the timing
        held[:] = [conn := _raw_connection(path)]
        rounds[0] += 1

        def run() -> None:
            for n, ident in enumerate(ids):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "UPDATE stakeholder SET power = ? WHERE id = ?",
                    ((rounds[0] + n) % 5 + 1, ident),
                )
                conn.execute("COMMIT")
                if checkpoint:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

        return run

    return prepare


def bulk_edit(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    path = _edit_copy(fx, "bulk-edit")
    rounds = [0]
    held: list[Any] = []

    def prepare() -> Callable[[], Any]:
        for old in held:
            old.close()  # outside the timing
        held[:] = [ws := open_workspace(path)]
        rounds[0] += 1

        def run() -> None:
            with ws.session() as session:
                session.execute(text("UPDATE stakeholder SET power = :p"), {"p": rounds[0] % 5 + 1})

        return run

    return prepare


def bulk_edit_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    path = _edit_copy(fx, "bulk-edit-floor")
    rounds = [0]
    held: list[Any] = []

    def prepare() -> Callable[[], Any]:
        for old in held:
            old.close()  # outside the timing
        held[:] = [conn := _raw_connection(path)]
        rounds[0] += 1

        def run() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE stakeholder SET power = ?", (rounds[0] % 5 + 1,))
            conn.execute("COMMIT")

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    return [
        measure(
            n,
            f"save {EDITS_PER_RUN} one-person edits",
            small_edits(fx),
            "raw sqlite3 commits (left in WAL)",
            small_edits_floor(fx),
            repeats,
            note="closing is outside the timing in both",
        ),
        measure(
            n,
            f"raw: {EDITS_PER_RUN} commits, checkpoint after each",
            small_edits_floor(fx, checkpoint=True),
            "raw sqlite3 commits (left in WAL)",
            small_edits_floor(fx),
            repeats,
            note="the checkpoint's own cost, without SQLAlchemy",
        ),
        measure(
            n,
            "save one edit of every person",
            bulk_edit(fx),
            "raw sqlite3 commit (left in WAL)",
            bulk_edit_floor(fx),
            repeats,
            note="closing is outside the timing in both",
        ),
    ]
