"""Two programs on one workspace: writers wait for the lock instead of failing at once, a write
that still cannot get it says so in a sentence (and can be tried again), and two concurrent
``cmio import``s both finish."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import WorkspaceBusyError, create_workspace
from cmio_desktop.store.errors import BUSY_MESSAGE
from tests.other_program import start_cli, write_lock_held
from tests.unit.test_importing_helpers import table_rows


@pytest.fixture
def ws(tmp_path: Path):
    workspace = create_workspace(tmp_path / "shared.cmio", organisation="Test Health")
    service.create_stakeholder(workspace, name="Jane Doe", power=3)
    yield workspace
    workspace.close()


def test_writers_wait_while_another_program_holds_the_lock(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")
    writes = {
        "update": lambda: service.update_stakeholder(ws, jane[0], power=4),
        "create": lambda: service.create_stakeholder(ws, name="Sam Lee"),
        "bulk": lambda: service.bulk_update(ws, [jane[0]], interest=5),
    }
    for name, write in writes.items():
        with write_lock_held(ws.path, 1.5):
            started = time.monotonic()
            write()  # used to fail after 0.00-0.01 s with "database is locked"
            waited = time.monotonic() - started
        assert 0.8 < waited < 5, name
    assert table_rows(ws, "SELECT name, power, interest FROM stakeholder ORDER BY id") == [
        ("Jane Doe", 4, 5),
        ("Sam Lee", 3, 3),
    ]


def test_a_write_that_cannot_get_the_lock_says_so_and_can_be_retried(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")
    with write_lock_held(ws.path, 7):
        started = time.monotonic()
        with pytest.raises(WorkspaceBusyError) as caught:
            service.update_stakeholder(ws, jane[0], power=5)
        assert time.monotonic() - started >= 4.5  # the 5 s busy timeout was honoured
    assert str(caught.value) == BUSY_MESSAGE
    assert table_rows(ws, "SELECT power FROM stakeholder") == [(3,)]
    service.update_stakeholder(ws, jane[0], power=5)  # the same write, tried again
    assert table_rows(ws, "SELECT power FROM stakeholder") == [(5,)]


ROWS, TRIALS = 2000, 6


def _people_csv(path: Path, prefix: str, count: int) -> Path:
    lines = ["Employee ID,Full name,Role,Group"]
    lines += [f"{prefix}{i},Person {prefix}{i},Nurse,Frontline clinician" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_concurrent_imports_both_finish(tmp_path: Path) -> None:
    files = [_people_csv(tmp_path / f"{p}.csv", p, ROWS) for p in ("A", "B")]
    for trial in range(TRIALS):
        path = tmp_path / f"trial{trial}.cmio"
        create_workspace(path).close()
        children = [start_cli("import", str(path), str(f), "--kind", "stakeholders") for f in files]
        results = [(c.wait(timeout=120), *c.communicate()) for c in children]
        for code, out, err in results:
            assert "Traceback" not in err and "database is locked" not in err, err
            assert code == 0, err
            assert out.rstrip().endswith("Imported."), out
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0] == 2 * ROWS
