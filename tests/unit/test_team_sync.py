"""Publishing, offline copies and sync (issue 13, part 2), against a "server" workspace.

The server comes from the ``server_ws`` fixture: a SQLite file here; the PostgreSQL
parameter (pg-store) plugs into the same fixture, so every test runs on both engines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.audit import audit_trail
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.services.team import (
    SyncError,
    checkout,
    origin_of,
    publish,
    sync,
)
from cmio_desktop.services.team.copying import data_tables
from cmio_desktop.services.team.origin import location_without_password
from cmio_desktop.store import create_workspace, open_workspace
from tests.conftest import SAMPLE_TODAY

NEW = {"role": "Nurse", "group": "Frontline clinician"}


def _sample_server(path: Path):
    from cmio_desktop.sample import generate_sample

    ws = create_workspace(path, organisation="Riverside Health")
    generate_sample(ws, people=30, seed=5, today=SAMPLE_TODAY)
    return ws


#: The engines the team workspace runs on in these tests.
SERVER_ENGINES = ["sqlite", "postgresql"]


def _fill_server(url: str) -> None:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store.locations import create_location

    ws = create_location(url, organisation="Riverside Health")
    try:
        generate_sample(ws, people=30, seed=5, today=SAMPLE_TODAY)
    finally:
        ws.close()


def team_server(engine: str, tmp_path: Path, request: Any = None) -> Iterator[Any]:
    """A sample team workspace on ``engine``, closed afterwards (PostgreSQL: a fresh database
    cloned from a sample template on the test session's server)."""
    if engine == "sqlite":
        ws = _sample_server(tmp_path / "server.cmio")
    else:
        from cmio_desktop.store.locations import open_location

        server = request.getfixturevalue("pg_server")
        ws = open_location(server.workspace_url("team-sync-sample", _fill_server))
    yield ws
    ws.close()


@pytest.fixture(params=SERVER_ENGINES)
def server_ws(request, tmp_path: Path):
    """The team workspace: a sample on the server engine the parameter names."""
    yield from team_server(request.param, tmp_path, request)


@pytest.fixture
def copies(server_ws, tmp_path: Path):
    """Offline copies of the server, opened on demand: ``copies("a")``."""
    opened = []

    def make(name: str):
        path = tmp_path / f"{name}.cmio"
        checkout(server_ws, path)
        ws = open_workspace(path)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


def snapshot(ws) -> dict[str, list[tuple]]:
    """Every data row of the workspace but the team bookkeeping (to compare two states)."""
    out = {}
    with ws.read_session() as session:
        for table in data_tables():
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            if table.name == "workspace_setting":
                rows = [r for r in rows if not r.key.startswith("team.")]
            out[table.name] = [tuple(r) for r in rows]
    return out


def person(ws, ident: int):
    return crud.get(ws, m.Stakeholder, ident)


def test_two_copies_different_and_same_fields_nothing_lost(server_ws, copies):
    """The Done-when test: the first sync applies, the second reports the clash, mine wins."""
    a, b = copies("a"), copies("b")
    checked_out = person(server_ws, 1).name
    edits.update_stakeholder(a, 1, name="Ann Alpha", title="Lead")
    edits.update_stakeholder(b, 1, name="Bea Beta")  # the same field: a conflict
    edits.update_stakeholder(b, 2, title="Site lead")  # a different record: applies

    first = sync(a, server_ws)
    assert first.applied == 2 and not first.conflicts and first.refreshed
    assert person(server_ws, 1).name == "Ann Alpha"

    before = snapshot(server_ws)
    second = sync(b, server_ws)
    assert [(c.entity, c.record_id, c.field) for c in second.pending] == [
        ("stakeholder", 1, "name")
    ]
    clash = second.conflicts[0]
    assert (clash.mine, clash.theirs) == ("Bea Beta", "Ann Alpha")
    assert clash.base == checked_out
    assert clash.changed_by and clash.changed_at is not None
    assert second.applied == 0 and second.ready == 1 and not second.refreshed
    assert snapshot(server_ws) == before  # nothing written while a choice is open
    assert person(b, 1).name == "Bea Beta"  # the offline copy keeps its edit

    settled = sync(b, server_ws, {clash.key: "mine"})
    assert settled.applied == 2 and settled.refreshed
    assert person(server_ws, 1).name == "Bea Beta"
    assert person(server_ws, 1).title == "Lead"  # A's other field survives
    assert person(server_ws, 2).title == "Site lead"
    names = [
        (e.old_value, e.new_value)
        for e in audit_trail_of(server_ws, "stakeholder", 1)
        if e.field == "name"
    ]
    assert ("Ann Alpha", "Bea Beta") in names and any(new == "Ann Alpha" for _, new in names)
    assert snapshot(b) == snapshot(server_ws)  # the copy matches the server afterwards
    assert origin_of(b) is not None  # and is still an offline copy


def audit_trail_of(ws, entity: str, ident: int):
    with ws.read_session() as session:
        return audit_trail(session, entity, ident)


def test_the_server_audit_names_the_offline_editor(server_ws, copies):
    from cmio_desktop.services.audit import recorded_by

    a = copies("a")
    with recorded_by("n.okafor"):
        edits.update_stakeholder(a, 11, phone="555 0199")
    sync(a, server_ws)
    [entry] = [e for e in audit_trail_of(server_ws, "stakeholder", 11) if e.field == "phone"]
    assert (entry.user, entry.new_value) == ("n.okafor", "555 0199")


def test_theirs_keeps_the_server_value(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.update_stakeholder(a, 3, email="a@example.org")
    edits.update_stakeholder(b, 3, email="b@example.org")
    sync(a, server_ws)
    report = sync(b, server_ws, "theirs")
    assert [c.choice for c in report.conflicts] == ["theirs"] and report.applied == 0
    assert person(server_ws, 3).email == "a@example.org"
    assert person(b, 3).email == "a@example.org"  # the copy took the server's value


def test_create_with_foreign_key_remap(server_ws, copies):
    a, b = copies("a"), copies("b")
    # B creates a person first, so the server's next id is no longer the one A used offline.
    made_b = edits.create_stakeholder(b, name="Bo New", **NEW)
    made_a = edits.create_stakeholder(a, name="Al New", **NEW)
    assert made_a.id == made_b.id
    tie = crud.create(a, m.Relationship, source_id=made_a.id, target_id=1, strength=4)
    link_risk = crud.list_all(a, m.Risk)[0]
    governance.update_risk(a, link_risk.id, {}, people=[made_a.id])

    sync(b, server_ws)
    report = sync(a, server_ws)
    new_id = report.created[("stakeholder", made_a.id)]
    assert new_id != made_a.id and person(server_ws, new_id).name == "Al New"
    new_tie = crud.get(server_ws, m.Relationship, report.created[("relationship", tie.id)])
    assert (new_tie.source_id, new_tie.target_id, new_tie.strength) == (new_id, 1, 4)
    with server_ws.read_session() as session:
        linked = session.scalars(
            select(m.RiskStakeholder.stakeholder_id).where(
                m.RiskStakeholder.risk_id == link_risk.id
            )
        ).all()
    assert linked == [new_id]
    assert person(a, new_id).name == "Al New"  # the copy now numbers it as the server does


def test_a_risk_made_offline_takes_its_people(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.create_stakeholder(b, name="Taken Id", **NEW)
    new = edits.create_stakeholder(a, name="New Owner", **NEW)
    risk = governance.create_risk(a, 1, {"description": "Offline risk"}, people=[2, new.id])
    sync(b, server_ws)
    report = sync(a, server_ws)
    there = report.created[("risk", risk.value)]
    owner = report.created[("stakeholder", new.id)]
    with server_ws.read_session() as session:
        linked = session.scalars(
            select(m.RiskStakeholder.stakeholder_id).where(m.RiskStakeholder.risk_id == there)
        ).all()
    assert sorted(linked) == sorted([2, owner])


def test_delete_against_a_server_edit_is_a_conflict(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.delete_stakeholders(a, [4])
    edits.delete_stakeholders(a, [5])
    edits.update_stakeholder(b, 4, notes="Still needed")
    sync(b, server_ws)

    report = sync(a, server_ws)
    assert [(c.record_id, c.kind) for c in report.pending] == [(4, "deleted-here")]
    assert "notes" in report.conflicts[0].theirs
    assert crud.list_all(server_ws, m.Stakeholder, id=5)  # nothing applied yet

    kept = sync(a, server_ws, "theirs")
    assert kept.applied == 1
    assert person(server_ws, 4).notes == "Still needed"
    assert not crud.list_all(server_ws, m.Stakeholder, id=5)
    assert person(a, 4).notes == "Still needed"  # back in the copy


def test_delete_mine_removes_the_edited_row(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.delete_stakeholders(a, [6])
    edits.update_stakeholder(b, 6, notes="edited")
    sync(b, server_ws)
    sync(a, server_ws, "mine")
    assert not crud.list_all(server_ws, m.Stakeholder, id=6)


def test_second_sync_changes_nothing(server_ws, copies):
    a = copies("a")
    edits.update_stakeholder(a, 7, title="Once")
    edits.create_stakeholder(a, name="Only Once", **NEW)
    assert sync(a, server_ws).applied == 2
    before = snapshot(server_ws)
    again = sync(a, server_ws)
    assert again.applied == 0 and not again.conflicts
    assert snapshot(server_ws) == before
    with server_ws.read_session() as session:
        count = session.scalar(
            select(func.count()).select_from(m.Stakeholder).where(m.Stakeholder.name == "Only Once")
        )
    assert count == 1


def test_sync_never_sends_twice_when_the_refresh_was_lost(server_ws, tmp_path: Path):
    """The server committed but the copy was not refreshed (a crash): a re-run sends nothing."""
    path = tmp_path / "a.cmio"
    checkout(server_ws, path)
    a = open_workspace(path)
    edits.create_stakeholder(a, name="Sent Once", **NEW)
    a.close()
    stale = tmp_path / "stale.cmio"
    stale.write_bytes(path.read_bytes())
    a = open_workspace(path)
    sync(a, server_ws)
    a.close()
    copy = open_workspace(stale)  # as the copy was before the sync's refresh
    try:
        report = sync(copy, server_ws)
        assert report.applied == 0 and report.sent_before and report.refreshed
        assert len(crud.list_all(server_ws, m.Stakeholder, name="Sent Once")) == 1
        assert len(crud.list_all(copy, m.Stakeholder, name="Sent Once")) == 1
    finally:
        copy.close()


def test_failure_mid_sync_leaves_the_server_unchanged(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.update_stakeholder(b, 8, external_id="HR-1")
    sync(b, server_ws)
    edits.create_stakeholder(a, name="Applied First", **NEW)
    edits.update_stakeholder(a, 9, title="Also first")
    edits.update_stakeholder(a, 10, external_id="HR-1")  # unique on the server: fails last
    before = snapshot(server_ws)
    local_before = snapshot(a)
    with pytest.raises(SyncError, match="nothing was sent"):
        sync(a, server_ws)
    assert snapshot(server_ws) == before
    assert snapshot(a) == local_before  # the copy keeps its edits to try again


def test_publish_copies_everything_and_refuses_a_non_empty_target(server_ws, tmp_path: Path):
    target = create_workspace(tmp_path / "team.cmio", organisation="Placeholder")
    try:
        copied = publish(server_ws, target)
        assert copied.rows > 30
        assert snapshot(target) == snapshot(server_ws)
        before = snapshot(target)
        with pytest.raises(ServiceError, match="already holds"):
            publish(server_ws, target)
        assert snapshot(target) == before
    finally:
        target.close()


def test_checkout_remembers_its_origin_without_password(server_ws, tmp_path: Path):
    url = "postgresql://alice:s3cr%21t@db.example.org:5432/cmio?sslmode=verify-full&password=x"
    made = checkout(server_ws, tmp_path / "copy.cmio", origin=url)
    ws = open_workspace(tmp_path / "copy.cmio")
    try:
        origin = origin_of(ws)
        assert origin == made.origin
        assert origin.location == "postgresql://alice@db.example.org:5432/cmio?sslmode=verify-full"
        with ws.read_session() as session:
            stored = json.dumps(
                session.scalars(select(m.WorkspaceSetting.value)).all(), default=str
            )
        assert "s3cr" not in stored and "password" not in stored
        with server_ws.read_session() as session:
            mark = session.scalar(select(func.max(m.AuditEvent.id)))
        assert origin.audit_mark == mark
        assert snapshot(ws) == snapshot(server_ws)
    finally:
        ws.close()
    assert location_without_password(tmp_path / "x.cmio") == str((tmp_path / "x.cmio").resolve())


def test_a_plain_workspace_cannot_sync(server_ws, empty_ws):
    with pytest.raises(SyncError, match="not an offline copy"):
        sync(empty_ws, server_ws)


def test_setting_edits_sync_like_fields(server_ws, copies):
    from cmio_desktop.services.analysis_settings import put_values

    a = copies("a")
    put_values(a, "readiness.", {"ready_threshold": 4.5})
    report = sync(a, server_ws)
    assert report.applied == 1
    with server_ws.read_session() as session:
        value = session.scalar(
            select(m.WorkspaceSetting.value).where(
                m.WorkspaceSetting.key == "readiness.ready_threshold"
            )
        )
    assert value == 4.5


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_publish_checkout_and_sync_with_conflicts(tmp_path: Path, capsys):
    from cmio_desktop.cli import main

    _sample_server(tmp_path / "local.cmio").close()
    team = str(tmp_path / "team.cmio")
    assert main(["publish", str(tmp_path / "local.cmio"), team]) == 0
    assert main(["publish", str(tmp_path / "local.cmio"), team]) == 1
    assert "already holds" in capsys.readouterr().err
    for name in ("a", "b"):
        assert main(["checkout", team, str(tmp_path / f"{name}.cmio")]) == 0
    for name, title in (("a", "From A"), ("b", "From B")):
        ws = open_workspace(tmp_path / f"{name}.cmio")
        edits.update_stakeholder(ws, 1, title=title)
        ws.close()
    assert main(["sync", str(tmp_path / "a.cmio")]) == 0
    capsys.readouterr()

    assert main(["sync", str(tmp_path / "b.cmio")]) == 3  # conflicts: listed, nothing written
    out = capsys.readouterr().out
    assert "conflict:" in out and "mine “From B”" in out and "theirs “From A”" in out
    server = open_workspace(tmp_path / "team.cmio")
    try:
        assert person(server, 1).title == "From A"
    finally:
        server.close()

    assert main(["sync", str(tmp_path / "b.cmio"), "--take", "mine", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] == 1 and result["pending"] == 0 and result["refreshed"]
    assert result["conflicts"][0]["choice"] == "mine"
    server = open_workspace(tmp_path / "team.cmio")
    try:
        assert person(server, 1).title == "From B"
    finally:
        server.close()


def test_cli_sync_without_its_server_is_a_sentence(tmp_path: Path, capsys):
    from cmio_desktop.cli import main

    server = _sample_server(tmp_path / "team.cmio")
    checkout(server, tmp_path / "a.cmio")
    server.close()
    (tmp_path / "team.cmio").rename(tmp_path / "elsewhere.cmio")
    assert main(["sync", str(tmp_path / "a.cmio")]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "keeps working" in err and "Traceback" not in err
    assert main(["sync", str(tmp_path / "elsewhere.cmio")]) == 1
    assert "not an offline copy" in capsys.readouterr().err


def test_an_edit_undone_offline_sends_nothing(server_ws, copies):
    a = copies("a")
    title = person(a, 12).title
    edits.update_stakeholder(a, 12, title="Briefly")
    edits.update_stakeholder(a, 12, title=title)
    before = snapshot(server_ws)
    report = sync(a, server_ws)
    assert report.applied == 0 and not report.conflicts
    assert snapshot(server_ws) == before


def test_an_edit_of_a_record_deleted_on_the_server(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.delete_stakeholders(b, [13])
    sync(b, server_ws)
    edits.update_stakeholder(a, 13, notes="Kept offline")
    report = sync(a, server_ws)
    assert [(c.record_id, c.kind) for c in report.pending] == [(13, "deleted-there")]
    assert "Kept offline" in report.pending[0].mine
    again = sync(a, server_ws, "mine")  # made again, under a new id
    new_id = again.created[("stakeholder", 13)]
    assert person(server_ws, new_id).notes == "Kept offline"
    assert not crud.list_all(server_ws, m.Stakeholder, id=13)


def test_a_file_copy_of_an_offline_copy_keeps_its_own_edits(server_ws, tmp_path: Path):
    """Two files with one copy id (one copied with the OS): each one's edits are sent."""
    path = tmp_path / "a.cmio"
    checkout(server_ws, path)
    twin = tmp_path / "twin.cmio"
    twin.write_bytes(path.read_bytes())
    a, b = open_workspace(path), open_workspace(twin)
    try:
        edits.update_stakeholder(a, 14, title="From the original")
        edits.update_stakeholder(b, 15, title="From the twin")
        sync(a, server_ws)
        report = sync(b, server_ws)
        assert report.applied == 1 and not report.sent_before
        assert person(server_ws, 15).title == "From the twin"
        assert person(server_ws, 14).title == "From the original"
    finally:
        a.close()
        b.close()


def test_a_record_made_offline_with_empty_and_offline_references(server_ws, copies):
    from datetime import date

    a, b = copies("a"), copies("b")
    edits.create_stakeholder(b, name="Takes the id", **NEW)
    asker = edits.create_stakeholder(a, name="Asks Offline", **NEW)
    loose = crud.create(a, m.Request, summary="No initiative", received_on=date(2026, 11, 3))
    tied = crud.create(
        a, m.Request, summary="Asked offline", received_on=date(2026, 11, 4), requester_id=asker.id
    )
    sync(b, server_ws)
    report = sync(a, server_ws)
    assert not report.skipped
    sent = crud.get(server_ws, m.Request, report.created[("request", loose.id)])
    assert (sent.summary, sent.initiative_id, sent.requester_id) == ("No initiative", None, None)
    sent = crud.get(server_ws, m.Request, report.created[("request", tied.id)])
    assert sent.requester_id == report.created[("stakeholder", asker.id)] != asker.id


def test_a_record_made_offline_under_a_record_deleted_on_the_server_is_listed(server_ws, copies):
    a, b = copies("a"), copies("b")
    edits.delete_stakeholders(b, [16])
    sync(b, server_ws)
    tie = crud.create(a, m.Relationship, source_id=16, target_id=17, strength=2)
    edits.update_stakeholder(a, 17, title="Still sent")
    report = sync(a, server_ws)
    assert report.applied == 1 and ("relationship", tie.id) not in report.created
    assert len(report.skipped) == 1 and "deleted on the server" in report.skipped[0]
    assert person(server_ws, 17).title == "Still sent"
