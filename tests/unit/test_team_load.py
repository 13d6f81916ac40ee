"""Several clients (real processes) edit, bulk-edit, import and undo on one workspace at once,
on each engine; the audit trail must then replay to the stored state with no lost update, and
every accepted change must be in it (``benchmarks/team_load.py``; full size: ``--only team``).
The check itself is shown to catch a write that bypassed the audit trail and a change made over
a value it had not seen."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text

from benchmarks.team_load import run_load, snapshot, verify


def location_of(ws) -> str:  # type: ignore[no-untyped-def]
    return ws.address.url if getattr(ws, "is_team", False) else str(ws.path)


def test_concurrent_clients_lose_no_update(sample_ws, tmp_path) -> None:
    location = location_of(sample_ws)
    sample_ws.close()  # the clients open their own connections
    before = snapshot(location)
    report = run_load(location, clients=3, operations=30, folder=tmp_path)
    assert report.failures == []  # no traceback: refusals and busy are sentences
    assert report.problems == []
    assert report.accepted > 0 and report.accepted + report.refused + report.busy == 3 * 30
    kinds = sum((t.accepted for t in report.tallies), start=Counter())
    assert kinds["edit"] and kinds["undo"]  # the mix really ran

    from cmio_desktop.store.locations import open_location

    ws = open_location(location)
    try:  # a write behind the services' back (no audit row), then a lost update faked
        with ws.session() as session:
            session.execute(text("UPDATE stakeholder SET power = 6 - power WHERE id = 3"))
            session.execute(
                text(
                    "INSERT INTO audit_event (at, user_name, action, entity, entity_id, field, "
                    "old_value, new_value) VALUES (:at, 'x', 'update', 'stakeholder', 4, "
                    "'interest', 'not what it was', '2')"
                ),
                {"at": "2026-11-02 09:00:00"},
            )
    finally:
        ws.close()
    problems = verify(location, before, report.tallies)
    assert any(p.startswith("person 3 power is ") for p in problems), problems
    assert any(p.startswith("lost update: person 4 interest") for p in problems), problems
