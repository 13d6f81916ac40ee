"""Several clients (real processes) edit, bulk-edit, import and undo on one workspace at once;
the audit trail must then replay to the stored state with no lost update, and every accepted
change must be in it (``benchmarks/team_load.py``; the full load is ``--only team``)."""

from __future__ import annotations

import sqlite3

import pytest

from benchmarks.team_load import run_load, snapshot, verify
from cmio_desktop.sample import generate_sample
from cmio_desktop.store import create_workspace
from tests.conftest import SAMPLE_TODAY


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("team")
    path = folder / "team.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    try:
        generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
    finally:
        ws.close()
    before = snapshot(str(path))
    return path, before, run_load(str(path), clients=3, operations=30, folder=folder)


def test_concurrent_clients_lose_no_update(loaded) -> None:
    _path, _before, report = loaded
    assert report.failures == []  # no traceback: refusals and busy are sentences
    assert report.problems == []
    assert report.accepted > 0 and report.accepted + report.refused + report.busy == 3 * 30
    kinds = sum((t.accepted for t in report.tallies), start=type(report.tallies[0].accepted)())
    assert kinds["edit"] and kinds["undo"]  # the mix really ran


def test_the_check_finds_a_write_that_bypassed_the_audit_trail(loaded) -> None:
    path, before, report = loaded
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE stakeholder SET power = 6 - power WHERE id = 3")
    conn.close()
    problems = verify(str(path), before, report.tallies)
    assert any(p.startswith("person 3 power is ") for p in problems), problems


def test_the_check_finds_a_change_made_over_an_unseen_value(loaded) -> None:
    """A change whose recorded old value is not what the field held is a lost update."""
    path, before, report = loaded
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO audit_event (at, user_name, action, entity, entity_id, field, "
            "old_value, new_value) VALUES ('2026-11-02 09:00:00', 'x', 'update', 'stakeholder', "
            "4, 'interest', 'not what it was', '2')"
        )
    conn.close()
    problems = verify(str(path), before, report.tallies)
    assert any(p.startswith("lost update: person 4 interest") for p in problems), problems
