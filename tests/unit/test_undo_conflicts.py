"""Undo never writes over other people's work: another program changes what an edit or an
import wrote, and the undo (or redo) is refused with a sentence naming the field, nothing
written. The other program is a real child process."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
from cmio_desktop.services.errors import ConflictError
from cmio_desktop.services.importing.pipeline import prepare_import
from cmio_desktop.services.importing.run import commit_import, redo_import, undo_import
from cmio_desktop.services.stakeholders import edits as service
from tests.conftest import make_workspace
from tests.other_program import run_python, start_cli
from tests.raw_rows import data_rows
from tests.unit.test_importing_helpers import table_rows

SQL = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=10)
with conn:
    conn.execute(sys.argv[2], sys.argv[3:])
conn.close()
"""
# The same on a team workspace: another client's own connection (psycopg, its own process).
PG_SQL = """
import psycopg, sys
with psycopg.connect(sys.argv[1]) as conn:
    conn.execute(sys.argv[2].replace("?", "%s"), sys.argv[3:])
"""


def elsewhere(ws, sql: str, *params: object) -> None:
    """Another program writes to the workspace (plain sqlite3, its own process)."""
    run_python(PG_SQL if ws.is_team else SQL, str(ws.path), sql, *map(str, params))


@pytest.fixture
def ws(tmp_path: Path, request: pytest.FixtureRequest, workspace_engine: str):
    """A workspace file, or a team workspace (tests/unit runs both)."""
    workspace = make_workspace(request, tmp_path / "team.cmio", "Test Health")
    service.create_stakeholder(workspace, name="Jane Doe", power=3)
    yield workspace
    workspace.close()


def test_undo_of_an_edit_refuses_a_value_changed_elsewhere(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")[0]
    service.update_stakeholder(ws, jane, expected={"power": 3}, since=SINCE_OPENED, power=4)
    elsewhere(ws, "UPDATE stakeholder SET power = 5 WHERE id = ?", jane)
    with pytest.raises(ConflictError) as caught:
        service.update_stakeholder(ws, jane, expected={"power": 4}, since=SINCE_EDIT, power=3)
    assert str(caught.value) == (
        "Power (rated) of Jane Doe was changed to 5 by someone else since your edit; undo skipped."
    )
    assert table_rows(ws, "SELECT power FROM stakeholder") == [(5,)]  # theirs is kept


def test_an_edit_over_a_value_changed_since_it_was_shown_is_refused(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")[0]
    elsewhere(ws, "UPDATE stakeholder SET notes = 'Met on Tuesday' WHERE id = ?", jane)
    with pytest.raises(ConflictError, match="Notes of Jane Doe was changed to “Met on Tuesday”"):
        service.update_stakeholder(ws, jane, expected={"notes": ""}, notes="Call back")
    assert table_rows(ws, "SELECT notes FROM stakeholder") == [("Met on Tuesday",)]


def test_bulk_undo_and_redo_refuse_values_changed_elsewhere(ws) -> None:
    sam = service.create_stakeholder(ws, name="Sam Lee", interest=2).id
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder WHERE name = 'Jane Doe'")[0]
    old = service.bulk_update(ws, [jane, sam], interest=5).value
    elsewhere(ws, "UPDATE stakeholder SET interest = 1 WHERE id = ?", sam)
    with pytest.raises(ConflictError) as caught:
        service.restore_values(ws, old, expected={"interest": 5}, since=SINCE_EDIT)
    assert str(caught.value) == (
        "Interest of Sam Lee was changed to 1 by someone else since your edit; undo skipped."
    )
    assert table_rows(ws, "SELECT interest FROM stakeholder ORDER BY id") == [(5,), (1,)]
    # Put theirs back as ours, undo, then someone changes it again before the redo.
    elsewhere(ws, "UPDATE stakeholder SET interest = 5 WHERE id = ?", sam)
    service.restore_values(ws, old, expected={"interest": 5})
    elsewhere(ws, "UPDATE stakeholder SET interest = 4 WHERE id = ?", jane)
    with pytest.raises(ConflictError, match="Interest of Jane Doe was changed to 4 .* redo"):
        service.bulk_update(ws, [jane, sam], expected=old, since=SINCE_UNDO, interest=5)
    assert table_rows(ws, "SELECT interest FROM stakeholder ORDER BY id") == [(4,), (2,)]


def _import_people(ws, tmp_path: Path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Employee ID,Full name,Role,Group\n"
        "E1,Ann Imported,Nurse,Frontline clinician\n"
        "E2,Bob Imported,Nurse,Frontline clinician\n",
        encoding="utf-8",
    )
    _source, _validation, plan = prepare_import(ws, path, "stakeholders")
    return commit_import(ws, plan).token


def test_undoing_an_import_keeps_a_colleagues_later_tie_and_note(ws, tmp_path) -> None:
    token = _import_people(ws, tmp_path)
    ties = tmp_path / "ties.csv"
    ties.write_text("Influencer,Influenced,Strength\nE1,Jane Doe,4\n", encoding="utf-8")
    colleague = start_cli("import", str(ws.path), str(ties), "--kind", "relationships")
    out, err = colleague.communicate(timeout=120)  # waits, and closes the pipes
    assert colleague.returncode == 0, (out, err)
    before = data_rows(ws, "relationship")
    assert len(before) == 1

    with pytest.raises(ConflictError) as caught:
        undo_import(ws, token)
    assert str(caught.value) == (
        "Ann Imported, added by this import, now has 1 tie added since the import; undo "
        "skipped, so that work is kept."
    )
    assert table_rows(ws, "SELECT count(*) FROM stakeholder") == [(3,)]
    assert data_rows(ws, "relationship") == before

    elsewhere(ws, "DELETE FROM relationship")
    elsewhere(ws, "UPDATE stakeholder SET notes = 'Prefers email' WHERE external_id = 'E2'")
    with pytest.raises(ConflictError, match="Notes of Bob Imported was changed to “Prefers"):
        undo_import(ws, token)
    assert table_rows(ws, "SELECT count(*) FROM stakeholder") == [(3,)]

    elsewhere(ws, "UPDATE stakeholder SET notes = '' WHERE external_id = 'E2'")
    undo_import(ws, token)  # nobody's work in the way any more
    assert table_rows(ws, "SELECT name FROM stakeholder") == [("Jane Doe",)]
    redo_import(ws, token)
    assert table_rows(ws, "SELECT count(*) FROM stakeholder") == [(3,)]


def test_undoing_an_added_person_keeps_a_colleagues_tie_and_edit(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")[0]
    added = service.create_stakeholder(ws, name="Sam Lee")
    elsewhere(ws, "INSERT INTO relationship (source_id, target_id, strength, kind, note) "
              "VALUES (?, ?, 4, 'peer', 'met at huddle')", jane, added.id)  # fmt: skip
    with pytest.raises(ConflictError) as caught:
        service.remove_added(ws, added)
    assert str(caught.value) == (
        "Sam Lee, whom you added, now has 1 tie added since then; undo skipped, so that work "
        "is kept."
    )
    elsewhere(ws, "DELETE FROM relationship")
    elsewhere(ws, "UPDATE stakeholder SET phone = '555 0101' WHERE id = ?", added.id)
    with pytest.raises(ConflictError, match="Phone of Sam Lee was changed to “555 0101” by "):
        service.remove_added(ws, added)
    assert table_rows(ws, "SELECT count(*) FROM stakeholder") == [(2,)]
    elsewhere(ws, "UPDATE stakeholder SET phone = '' WHERE id = ?", added.id)
    snapshot = service.remove_added(ws, added)
    assert table_rows(ws, "SELECT name FROM stakeholder") == [("Jane Doe",)]
    service.restore(ws, snapshot)
    assert service.remove_added(ws, added).count("stakeholder") == 1


def test_undo_and_redo_of_round_and_training_imports_are_not_refused(sample_ws, tmp_path):
    """Nobody else wrote: what the import stored compares equal to what it planned, for every
    kind (dates, enums, scores), so undo and redo go through and restore exactly."""
    from datetime import date

    from tests.unit.test_importing_helpers import plan_file, write_xlsx

    ext = dict(table_rows(sample_ws, "SELECT id, external_id FROM stakeholder"))
    course_id, person_id = table_rows(
        sample_ws, "SELECT course_id, stakeholder_id FROM training_completion LIMIT 1"
    )[0]
    (course,) = table_rows(sample_ws, f"SELECT name FROM training_course WHERE id={course_id}")[0]
    files = {
        "assessments": [
            ["Person ID", "Date", "Awareness", "Desire", "Knowledge", "Ability", "Reinforcement"],
            [ext[7], date(2026, 10, 1), 4, 4, 3, 3, 2],
        ],
        "training": [
            ["Employee ID", "Course", "Completed on", "Proficiency"],
            [ext[person_id], course, date(2026, 10, 2), "Expert"],
            [ext[9], course, date(2026, 10, 2), "Basic"],
        ],
    }
    tables = {"assessments": "assessment", "training": "training_completion"}
    for kind, rows in files.items():
        before = data_rows(sample_ws, tables[kind], "ORDER BY id")
        outcome = commit_import(
            sample_ws, plan_file(sample_ws, write_xlsx(tmp_path / f"{kind}.xlsx", rows), kind)
        )
        assert outcome.created + outcome.updated >= 1, kind
        after = data_rows(sample_ws, tables[kind], "ORDER BY id")
        undo_import(sample_ws, outcome.token)
        assert data_rows(sample_ws, tables[kind], "ORDER BY id") == before, kind
        redo_import(sample_ws, outcome.token)
        assert data_rows(sample_ws, tables[kind], "ORDER BY id") == after, kind


def test_undoing_a_survey_round_keeps_a_colleagues_correction(sample_ws) -> None:
    from datetime import timedelta

    from cmio_desktop.services.readiness import assessments as readiness
    from tests.conftest import SAMPLE_TODAY

    day = SAMPLE_TODAY - timedelta(days=1)
    people = [r[0] for r in table_rows(sample_ws, "SELECT id FROM stakeholder LIMIT 2")]
    recorded = readiness.record_round(
        sample_ws, 1, day, {p: [3, 3, 3, 3, 3] for p in people}, today=SAMPLE_TODAY
    )
    corrected = recorded.created[1]
    elsewhere(sample_ws, "UPDATE assessment SET ability = 1 WHERE id = ?", corrected)
    with pytest.raises(ConflictError, match="Ability of the assessment of .* was changed to 1"):
        readiness.undo_round(sample_ws, recorded)
    assert table_rows(sample_ws, f"SELECT count(*) FROM assessment WHERE id IN {recorded.created}")[
        0
    ] == (2,)
    elsewhere(sample_ws, "UPDATE assessment SET ability = 3 WHERE id = ?", corrected)
    snapshot = readiness.undo_round(sample_ws, recorded).value  # as recorded again: undone
    readiness.redo_round(sample_ws, recorded, snapshot)

    # A round that overwrote a same-day round: the undo puts back the old scores only if
    # nobody changed the new ones meanwhile.
    again = readiness.record_round(sample_ws, 1, day, {people[0]: [5] * 5}, today=SAMPLE_TODAY)
    elsewhere(sample_ws, "UPDATE assessment SET desire = 2 WHERE id = ?", recorded.created[0])
    with pytest.raises(ConflictError, match="Desire of .* was changed to 2 .* undo skipped"):
        readiness.undo_round(sample_ws, again)
    assert table_rows(
        sample_ws, f"SELECT awareness, desire FROM assessment WHERE id = {recorded.created[0]}"
    ) == [(5, 2)]


def test_undoing_mark_done_keeps_a_status_changed_elsewhere(sample_ws) -> None:
    from cmio_desktop.services.plan import activities as plan

    (ident, title), *_ = table_rows(
        sample_ws, "SELECT id, title FROM activity WHERE status <> 'done' ORDER BY id"
    )
    old = plan.set_status(sample_ws, [ident], "done").value
    elsewhere(sample_ws, "UPDATE activity SET status = 'in_progress' WHERE id = ?", ident)
    with pytest.raises(ConflictError) as caught:
        plan.restore_statuses(sample_ws, old, expected="done")
    assert str(caught.value).startswith(f"Status of {title} was changed to In progress by ")
    assert table_rows(sample_ws, f"SELECT status FROM activity WHERE id = {ident}") == [
        ("in_progress",)
    ]


def test_undoing_marked_training_keeps_a_correction_made_elsewhere(sample_ws) -> None:
    from datetime import date

    from cmio_desktop.services.plan import training

    course, have = table_rows(
        sample_ws, "SELECT course_id, stakeholder_id FROM training_completion LIMIT 1"
    )[0]
    (new,) = table_rows(
        sample_ws,
        "SELECT id FROM stakeholder WHERE id NOT IN (SELECT stakeholder_id FROM "
        f"training_completion WHERE course_id = {course}) LIMIT 1",
    )[0]
    when = date(2026, 10, 5)
    marked = {"completed_on": when, "proficiency": "proficient"}
    prior = training.mark_complete(sample_ws, course, [have, new], when, "proficient").value
    query = f"SELECT * FROM training_completion WHERE course_id = {course} ORDER BY id"
    after = table_rows(sample_ws, query)
    elsewhere(
        sample_ws,
        "UPDATE training_completion SET proficiency = 'expert' WHERE course_id = ? AND "
        "stakeholder_id = ?",
        course,
        new,
    )
    with pytest.raises(ConflictError, match="Proficiency of .* was changed to Expert by "):
        training.restore_completions(sample_ws, course, prior, marked)
    assert len(table_rows(sample_ws, query)) == len(after)  # nothing undone
    elsewhere(
        sample_ws,
        "UPDATE training_completion SET proficiency = 'proficient' WHERE stakeholder_id = ?",
        new,
    )
    training.restore_completions(sample_ws, course, prior, marked)
    assert len(table_rows(sample_ws, query)) == len(after) - 1


COLLEAGUE = """
import sys
from cmio_desktop.services.audit import recorded_by
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.store.locations import open_location
ws = open_location(sys.argv[1])
with recorded_by(sys.argv[4]):  # as a colleague's own login or database user would
    edits.update_stakeholder(ws, int(sys.argv[2]), power=int(sys.argv[3]))
ws.close()
"""


def location_of(ws) -> str:  # type: ignore[no-untyped-def]
    return ws.address.url if getattr(ws, "is_team", False) else str(ws.path)


def test_a_refusal_names_the_colleague_and_the_time_from_the_audit_trail(ws) -> None:
    """A colleague's audited edit (their own process and name) is named with its time; an
    unaudited write is still "someone else", never pinned on whoever wrote the field last."""
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")[0]
    service.update_stakeholder(ws, jane, expected={"power": 3}, since=SINCE_OPENED, power=4)
    run_python(COLLEAGUE, location_of(ws), str(jane), "5", "sam.lee")
    (at,) = table_rows(ws, "SELECT at FROM audit_event WHERE user_name = 'sam.lee'")[0]
    local = datetime.fromisoformat(str(at)).replace(tzinfo=UTC).astimezone()
    with pytest.raises(ConflictError) as caught:
        service.update_stakeholder(ws, jane, expected={"power": 4}, since=SINCE_EDIT, power=3)
    assert str(caught.value) == (
        f"Power (rated) of Jane Doe was changed to 5 by sam.lee on {local.day} "
        f"{local:%b %Y} at {local:%H:%M} since your edit; undo skipped."
    )
    elsewhere(ws, "UPDATE stakeholder SET power = 2 WHERE id = ?", jane)  # no audit row
    with pytest.raises(ConflictError, match="changed to 2 by someone else since your edit"):
        service.update_stakeholder(ws, jane, expected={"power": 5}, since=SINCE_EDIT, power=3)


def test_a_change_of_ours_from_another_window_is_said_to_be_ours(ws) -> None:
    (jane,) = table_rows(ws, "SELECT id FROM stakeholder")[0]
    old = service.bulk_update(ws, [jane], interest=5).value
    service.update_stakeholder(ws, jane, interest=2)  # the same login, another window
    with pytest.raises(ConflictError) as caught:
        service.restore_values(ws, old, expected={"interest": 5}, since=SINCE_EDIT)
    assert "Interest of Jane Doe was changed to 2 by you in another window or program on " in str(
        caught.value
    )
