"""Every record the user edits or deletes from a list (risks, decisions, requests, activities,
communications, courses, phases, milestones, initiatives, change impacts, log entries, go-live
criteria) carries its row version from the list's query, and a delete or a save made on that
version never overwrites a colleague's change (issue 13, "no lost update"). A colleague is
another program writing the workspace; runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cmio_desktop.services import initiatives
from cmio_desktop.services.conflicts import SINCE_OPENED, VERSION, guarded, shown_versions
from cmio_desktop.services.engagement import log
from cmio_desktop.services.engagement.entry_edits import EntryEdit, edit_entry
from cmio_desktop.services.errors import ConflictError
from cmio_desktop.services.governance import golive
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.network import ties
from cmio_desktop.services.plan import activities, communications, training
from cmio_desktop.services.portfolio import impact
from cmio_desktop.services.stakeholders import edits as people
from tests.conftest import make_workspace
from tests.raw_rows import fingerprint, raw_rows
from tests.unit.test_undo_conflicts import elsewhere

DAY = date(2026, 3, 2)
DELETE_REFUSED = "since it was shown to you; nothing was deleted."
SAVE_REFUSED = "by someone else since you opened it; your change was not saved."


@dataclass(frozen=True)
class Setup:
    ws: Any
    initiative: int
    person: int


@pytest.fixture
def setup(tmp_path: Path, request: pytest.FixtureRequest, workspace_engine: str):
    ws = make_workspace(request, tmp_path / "versions.cmio", "Test Health")
    initiative = initiatives.create_initiative(ws, "EHR go-live", DAY).value
    person = people.create_stakeholder(ws, name="Jane Doe").id
    yield Setup(ws, initiative, person)
    ws.close()


@dataclass(frozen=True)
class Kind:
    """One kind of record as its list shows it, and the service calls its page makes."""

    table: str
    make: Callable[[Setup], int]
    shown: Callable[[Setup, int], Any]  # the row as the list service reads it
    delete: Callable[[Any, list[int]], Any]
    edit: Callable[[Any, int, dict[str, Any]], Any]
    theirs: tuple[str, str]  # a text field a colleague changes, and their new value
    mine: tuple[str, Any]  # another field the user saves, and the new value


def one(rows: list[Any], ident: int) -> Any:
    return next(r for r in rows if r.id == ident)


KINDS = {
    "risk": Kind(
        "risk",
        lambda s: governance.create_risk(s.ws, s.initiative, {"description": "Downtime"}).value,
        lambda s, i: one(governance.list_risks(s.ws, s.initiative), i),
        governance.delete_risks,
        lambda ws, i, v: governance.update_risk(ws, i, v),
        ("mitigation", "Paper backup"),
        ("owner", "Dr Lee"),
    ),
    "decision": Kind(
        "decision",
        lambda s: (
            governance.create_record(
                s.ws,
                "decision",
                s.initiative,
                {"committee": "Board", "decided_on": DAY, "decision": "Go ahead"},
            ).value
        ),  # fmt: skip
        lambda s, i: one(governance.list_decisions(s.ws, s.initiative), i),
        lambda ws, ids: governance.delete_records(ws, "decision", ids),
        lambda ws, i, v: governance.update_record(ws, "decision", i, v),
        ("rationale", "Budget approved"),
        ("committee", "Clinical board"),
    ),
    "request": Kind(
        "request",
        lambda s: (
            governance.create_record(
                s.ws,
                "request",
                s.initiative,
                {"summary": "More PCs", "priority": "medium", "status": "new", "received_on": DAY},
            ).value
        ),  # fmt: skip
        lambda s, i: one(governance.list_requests(s.ws, s.initiative), i),
        lambda ws, ids: governance.delete_records(ws, "request", ids),
        lambda ws, i, v: governance.update_record(ws, "request", i, v),
        ("detail", "Ward 4 has two"),
        ("summary", "More PCs on ward 4"),
    ),
    "activity": Kind(
        "activity",
        lambda s: (
            activities.create_activity(
                s.ws, s.initiative, {"title": "Demo", "type": "demo"}, []
            ).value
        ),
        lambda s, i: one(activities.list_activities(s.ws, s.initiative, DAY), i),
        activities.delete_activities,
        lambda ws, i, v: activities.update_activity(ws, i, v, None),
        ("outcome", "Well attended"),
        ("owner", "Sam"),
    ),
    "communication": Kind(
        "communication",
        lambda s: (
            communications.create_communication(
                s.ws,
                s.initiative,
                {"audience": "Nurses", "message": "Go-live soon", "start_date": DAY},
            ).value
        ),
        lambda s, i: one(communications.list_communications(s.ws, s.initiative, DAY), i),
        communications.delete_communications,
        communications.update_communication,
        ("channel", "Intranet"),
        ("sender", "CNO"),
    ),
    "course": Kind(
        "training_course",
        lambda s: training.create_course(s.ws, s.initiative, {"name": "CPOE basics"}).value,
        lambda s, i: one(training.training_overview(s.ws, s.initiative).courses, i),
        training.delete_courses,
        training.update_course,
        ("name", "CPOE essentials"),
        ("role", "physician"),
    ),
    "phase": Kind(
        "phase",
        lambda s: initiatives.add_phase(s.ws, s.initiative, "Build", DAY, None).value,
        lambda s, i: one(initiatives.get_initiative(s.ws, s.initiative).phases, i),
        initiatives.delete_phases,
        lambda ws, i, v: initiatives.update_phase(ws, i, **v),
        ("name", "Build and test"),
        ("end_date", date(2026, 6, 1)),
    ),
    "milestone": Kind(
        "milestone",
        lambda s: initiatives.add_milestone(s.ws, s.initiative, "Cut-over", DAY).value,
        lambda s, i: one(initiatives.get_initiative(s.ws, s.initiative).milestones, i),
        initiatives.delete_milestones,
        lambda ws, i, v: initiatives.update_milestone(ws, i, **v),
        ("name", "Big-bang cut-over"),
        ("due", date(2026, 4, 1)),
    ),
    "initiative": Kind(
        "initiative",
        lambda s: initiatives.create_initiative(s.ws, "Pharmacy", DAY).value,
        lambda s, i: initiatives.get_initiative(s.ws, i),
        lambda ws, ids: initiatives.delete_initiative(ws, ids[0]),
        lambda ws, i, v: initiatives.update_initiative(ws, i, **v),
        ("name", "Pharmacy module"),
        ("description", "Closed-loop medication"),
    ),
    "log entry": Kind(
        "engagement_entry",
        lambda s: (
            log.add_entry(
                s.ws, s.person, {"occurred_on": DAY, "summary": "Coffee"}, today=DAY
            ).value
        ),
        lambda s, i: one(log.person_log(s.ws, s.person), i),
        log.delete_entries,
        lambda ws, i, v: edit_entry(ws, i, EntryEdit(v)),
        ("summary", "Coffee, worried about downtime"),
        ("our_side", "CMIO"),
    ),
    "go-live criterion": Kind(
        "golive_criterion",
        lambda s: (
            golive.create_criterion(
                s.ws,
                s.initiative,
                {"name": "Trained", "metric": "training_completion_pct", "threshold": 90.0},
            ).value
        ),  # fmt: skip
        lambda s, i: one(golive.criteria_specs(s.ws, s.initiative), i),
        golive.delete_criteria,
        golive.update_criterion,
        ("name", "Physicians trained"),
        ("amber_band", 5.0),
    ),
}


def stored_version(ws: Any, table: str, ident: int) -> int:
    return raw_rows(ws, f'SELECT version FROM "{table}" WHERE id = ?', (ident,))[0][0]


def change_elsewhere(s: Setup, kind: Kind, ident: int) -> None:
    field, value = kind.theirs
    elsewhere(s.ws, f'UPDATE "{kind.table}" SET {field} = ? WHERE id = ?', value, ident)


@pytest.mark.parametrize("name", list(KINDS))
def test_a_delete_of_a_record_changed_since_it_was_shown_is_refused(setup, name) -> None:
    kind = KINDS[name]
    ident = kind.make(setup)
    row = kind.shown(setup, ident)
    assert row.version == stored_version(setup.ws, kind.table, ident)  # read with the row
    change_elsewhere(setup, kind, ident)
    before = fingerprint(setup.ws)
    with shown_versions({ident: row.version}), pytest.raises(ConflictError) as caught:
        kind.delete(setup.ws, [ident])
    assert str(caught.value).endswith(f"was changed by someone else {DELETE_REFUSED}")
    assert fingerprint(setup.ws) == before  # nothing deleted, nothing audited
    # The list reloaded: at the version it shows now, the delete goes through.
    fresh = kind.shown(setup, ident)
    assert fresh.version == row.version + 1
    assert getattr(fresh, kind.theirs[0]) == kind.theirs[1]
    with shown_versions({ident: fresh.version}):
        snapshot = kind.delete(setup.ws, [ident])
    assert snapshot.count(kind.table) == 1
    assert raw_rows(setup.ws, f'SELECT count(*) FROM "{kind.table}" WHERE id = ?', (ident,)) == [
        (0,)
    ]


def save(ws: Any, kind: Kind, ident: int, row: Any, values: dict[str, Any]) -> Any:
    """As the page's UpdateCommand does it: the changed fields as shown, and the row version."""
    shown = {**{k: getattr(row, k) for k in values}, VERSION: row.version}
    with guarded(shown, SINCE_OPENED):
        return kind.edit(ws, ident, values)


@pytest.mark.parametrize("name", list(KINDS))
def test_a_save_over_a_colleagues_change_is_refused_and_their_other_fields_are_kept(
    setup, name
) -> None:
    kind = KINDS[name]
    ident = kind.make(setup)
    row = kind.shown(setup, ident)
    change_elsewhere(setup, kind, ident)
    before = fingerprint(setup.ws)
    theirs, their_value = kind.theirs
    # The field they changed: refused with the value found, nothing written.
    with pytest.raises(ConflictError) as caught:
        save(setup.ws, kind, ident, row, {theirs: "Mine"})
    assert f"was changed to “{their_value}” {SAVE_REFUSED}" in str(caught.value)
    assert fingerprint(setup.ws) == before
    # Another field of the same row: saved, and their change stays.
    mine, my_value = kind.mine
    save(setup.ws, kind, ident, row, {mine: my_value})
    fresh = kind.shown(setup, ident)
    assert (getattr(fresh, theirs), getattr(fresh, mine)) == (their_value, my_value)
    assert fresh.version == row.version + 2
    # The version is never written as a field, nor recorded in the audit trail.
    assert raw_rows(setup.ws, "SELECT count(*) FROM audit_event WHERE field = 'version'") == [(0,)]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_save_at_the_version_shown_passes_at_once(setup, name) -> None:
    kind = KINDS[name]
    ident = kind.make(setup)
    row = kind.shown(setup, ident)
    mine, my_value = kind.mine
    save(setup.ws, kind, ident, row, {mine: my_value})
    assert getattr(kind.shown(setup, ident), mine) == my_value


def test_a_re_rating_over_a_colleagues_re_rating_is_refused(setup) -> None:
    ws, iid = setup.ws, setup.initiative
    people.update_stakeholder(ws, setup.person, department="ICU")  # ratings name real units
    ident = impact.set_impact(ws, iid, "ICU", None, {"people": 3}).value
    (row,) = impact.list_impacts(ws, iid)
    assert row.version == stored_version(ws, "change_impact", ident)
    elsewhere(ws, "UPDATE change_impact SET people = 5 WHERE id = ?", ident)
    before = fingerprint(ws)
    shown = {**row.aspects, VERSION: row.version}
    with pytest.raises(ConflictError, match=f"changed to 5 {SAVE_REFUSED}"):
        impact.set_impact(ws, iid, "ICU", None, {**row.aspects, "process": 4}, shown, SINCE_OPENED)
    assert fingerprint(ws) == before
    (fresh,) = impact.list_impacts(ws, iid)  # reloaded: the re-rating goes through
    again = {**fresh.aspects, VERSION: fresh.version}
    impact.set_impact(ws, iid, "ICU", None, {**fresh.aspects, "process": 4}, again, SINCE_OPENED)
    (done,) = impact.list_impacts(ws, iid)
    assert (done.aspects["people"], done.aspects["process"]) == (5, 4)
    # A delete at the old version is refused too; at the one shown now it goes through.
    with shown_versions({ident: fresh.version}), pytest.raises(ConflictError):
        impact.delete_impacts(ws, [ident])
    with shown_versions({ident: done.version}):
        assert impact.delete_impacts(ws, [ident]).count("change_impact") == 1


def test_a_tie_edit_or_delete_on_an_old_version_is_refused(setup) -> None:
    ws = setup.ws
    sam = people.create_stakeholder(ws, name="Sam Lee").id
    tie = ties.add_tie(ws, source_id=setup.person, target_id=sam, strength=3, kind="peer")
    assert tie.version == stored_version(ws, "relationship", tie.id)
    elsewhere(ws, "UPDATE relationship SET note = 'Mentor' WHERE id = ?", tie.id)
    before = fingerprint(ws)
    with pytest.raises(ConflictError, match=f"changed to “Mentor” {SAVE_REFUSED}"):
        ties.update_tie(
            ws, tie.id, expected={"note": tie.note, VERSION: tie.version}, since=SINCE_OPENED,
            note="Peer",
        )  # fmt: skip
    with shown_versions({tie.id: tie.version}), pytest.raises(ConflictError) as caught:
        ties.delete_ties(ws, [tie.id])
    assert str(caught.value).startswith("The tie ") and "→ Sam Lee was changed" in str(
        caught.value
    )  # named as the user knows it, not "relationship 12"
    assert fingerprint(ws) == before
    # Another field at the old version: saved, their note kept.
    ties.update_tie(
        ws, tie.id, expected={"strength": 3, VERSION: tie.version}, since=SINCE_OPENED, strength=5
    )
    fresh = ties.get_tie(ws, tie.id)
    assert (fresh.note, fresh.strength, fresh.version) == ("Mentor", 5, tie.version + 2)
    with shown_versions({tie.id: fresh.version}):
        assert ties.delete_ties(ws, [tie.id]).count("relationship") == 1
