"""History you can see: the audit trail read back as who, when, record, field, old → new."""

from __future__ import annotations

from datetime import date, timedelta

from cmio_desktop.services import audit
from cmio_desktop.services.audit_marks import recorded_as
from cmio_desktop.services.history import HistoryFilter, history, users
from cmio_desktop.services.network import ties
from cmio_desktop.services.readiness.assessments import add_assessment, delete_assessments
from cmio_desktop.services.stakeholders import edits


def _person(ws, name: str) -> int:
    return edits.create_stakeholder(ws, name=name, department="Periop").id


def test_a_person_history_names_the_record_field_and_values(empty_ws) -> None:
    from cmio_desktop.services.initiatives import create_initiative

    ws = empty_ws
    jane, ali = _person(ws, "Jane Smith"), _person(ws, "Ali Khan")
    initiative = create_initiative(ws, name="EHR go-live").value
    edits.update_stakeholder(ws, jane, attitude="resistant")
    tie = ties.add_tie(ws, source_id=jane, target_id=ali)
    round_ = add_assessment(ws, jane, initiative, date.today(), [2, 2, 3, 3, 3])
    delete_assessments(ws, [round_.id])
    edits.update_stakeholder(ws, ali, department="ICU")

    rows = history(ws, HistoryFilter(person_id=jane))
    whats = [(r.record, r.what) for r in rows]
    assert ("Person: Jane Smith", "Changed attitude: neutral → resistant") in whats
    assert ("Person: Jane Smith", "Added") in whats
    assert ("Tie: Jane Smith → Ali Khan", "Added") in whats
    assert ("Assessment: Jane Smith", "Deleted") in whats
    assert ("Assessment: Jane Smith", "Added") in whats
    assert not any("ICU" in r.new for r in rows)  # Ali's own change is not Jane's history
    assert rows == sorted(rows, key=lambda r: r.id, reverse=True)
    writer = ws.current_user() if ws.is_team else audit.current_user()  # the database user
    assert all(r.user == writer for r in rows)
    assert users(ws) == [writer]
    assert tie is not None

    ali_rows = history(ws, HistoryFilter(person_id=ali))
    assert ("Person: Ali Khan", "Changed department: Periop → ICU") in [
        (r.record, r.what) for r in ali_rows
    ]
    assert ("Tie: Jane Smith → Ali Khan", "Added") in [(r.record, r.what) for r in ali_rows]


def test_filters_by_date_user_and_kind_and_undo_is_marked(empty_ws) -> None:
    ws = empty_ws
    jane = _person(ws, "Jane Smith")
    edits.update_stakeholder(ws, jane, attitude="supportive")
    with recorded_as("undo"):
        edits.update_stakeholder(ws, jane, attitude="neutral")
    rows = history(ws, HistoryFilter(entity="stakeholder", entity_id=jane))
    assert [r.what for r in rows] == [
        "Undo: Changed attitude: supportive → neutral",
        "Changed attitude: neutral → supportive",
        "Added",
    ]
    assert [r.is_undo for r in rows] == [True, False, False]
    today = date.today()
    assert len(history(ws, HistoryFilter(since=today, until=today))) >= 3
    assert history(ws, HistoryFilter(until=today - timedelta(days=1))) == []
    assert history(ws, HistoryFilter(since=today + timedelta(days=1))) == []
    assert history(ws, HistoryFilter(user="somebody else")) == []
    assert history(ws, HistoryFilter(entity="risk")) == []
    assert len(history(ws, HistoryFilter(limit=2))) == 2


def test_a_deleted_person_is_still_named(empty_ws) -> None:
    ws = empty_ws
    jane = _person(ws, "Jane Smith")
    edits.delete_stakeholders(ws, [jane])
    rows = history(ws, HistoryFilter(person_id=jane))
    assert [r.record for r in rows] == ["Person: Jane Smith (deleted)"] * 2
    assert [r.what for r in rows] == ["Deleted", "Added"]
    assert rows[0].as_json()["is_undo"] is False


def test_cmio_history_lists_a_person_by_external_id_and_refuses_unknown_ones(
    sample_ws, capsys
) -> None:
    import json

    from cmio_desktop.cli import main

    person = edits.get_stakeholder(sample_ws, 7)
    edits.update_stakeholder(sample_ws, 7, attitude="leading")
    edits.update_stakeholder(sample_ws, 8, attitude="leading")
    path = str(sample_ws.path)
    assert main(["history", path, "--person", person.external_id.lower()]) == 0
    out = capsys.readouterr().out
    assert f"Person: {person.name} — Changed attitude: " in out and "→ leading" in out
    assert out.count("\n") == 1  # person 8's change is not listed
    assert main(["history", path, "--json", "--limit", "1"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["entity"], row["entity_id"], row["field"], row["new"]) == (
        "stakeholder", 8, "attitude", "leading",
    )  # fmt: skip
    assert main(["history", path, "--person", "NOPE-1"]) == 1
    assert "has no person with the ID “NOPE-1”" in capsys.readouterr().err
    assert main(["history", path, "--since", "2026-02-01", "--until", "2026-01-01"]) == 1
    assert "--since is after --until" in capsys.readouterr().err
