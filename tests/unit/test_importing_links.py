"""Relationship, assessment and training imports: people looked up, never created."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop import models as m
from cmio_desktop.enums import Proficiency, TieKind
from cmio_desktop.services import crud
from cmio_desktop.services.errors import NotFoundError
from cmio_desktop.services.importing.run import (
    ImportOptions,
    ImportRejectedError,
    commit_import,
    redo_import,
    undo_import,
)
from tests.raw_rows import data_rows
from tests.unit.test_importing_helpers import TODAY, fingerprint, plan_file, table_rows, write_xlsx


def people(ws) -> dict[int, tuple]:
    return {r[0]: r for r in table_rows(ws, "SELECT id, external_id, email, name FROM stakeholder")}


def test_relationships_resolve_people_and_update_existing_ties(sample_ws, tmp_path) -> None:
    p = people(sample_ws)
    source, target, strength, kind = table_rows(
        sample_ws, "SELECT source_id, target_id, strength, kind FROM relationship LIMIT 1"
    )[0]
    absent = next(
        (a, b)
        for a in p
        for b in p
        if a != b
        and not table_rows(
            sample_ws, f"SELECT 1 FROM relationship WHERE source_id={a} AND target_id={b}"
        )
    )
    new_strength = 1 if strength != 1 else 2
    path = write_xlsx(
        tmp_path / "ties.xlsx",
        [
            ["Source ID", "Target email", "Strength", "Kind"],
            [p[source][1], p[target][2].upper(), new_strength, None],  # row 2: update
            [p[absent[0]][1], p[absent[1]][2], 4, "Mentor"],  # row 3: new
            ["NOBODY-1", p[target][2], 3, None],  # row 4: unknown source
            [p[source][1], p[source][2], 3, None],  # row 5: the same person by ID and email
        ],
    )
    before = fingerprint(sample_ws)
    plan = plan_file(sample_ws, path, "relationships")
    assert fingerprint(sample_ws) == before
    (updated,) = plan.updated
    assert [(c.column, c.old, c.new) for c in updated.changes] == [
        ("strength", strength, new_strength)
    ]
    assert kind  # a blank Kind keeps the stored kind
    (new,) = plan.new
    assert new.values == {
        "source_id": absent[0],
        "target_id": absent[1],
        "strength": 4,
        "kind": TieKind.MENTOR,
        "note": "",
    }
    issues = {(i.row, i.column): i for i in plan.rejected}
    assert issues[(4, "Source ID")].reason == "no one in the register has the ID “NOBODY-1”"
    assert "cannot influence themselves" in issues[(5, "Target email")].reason
    with pytest.raises(ImportRejectedError):
        commit_import(sample_ws, plan)
    assert fingerprint(sample_ws) == before  # unknown people are never created

    plan = plan_file(sample_ws, path, "relationships", ImportOptions(valid_rows_only=True))
    outcome = commit_import(sample_ws, plan)
    after = data_rows(sample_ws, "relationship", "ORDER BY id")
    assert (outcome.created, outcome.updated) == (1, 1)
    undo_import(sample_ws, outcome.token)
    assert table_rows(sample_ws, "SELECT count(*) FROM stakeholder")[0][0] == len(p)
    assert table_rows(
        sample_ws,
        f"SELECT strength FROM relationship WHERE source_id={source} AND target_id={target}",
    ) == [(strength,)]
    redo_import(sample_ws, outcome.token)
    assert data_rows(sample_ws, "relationship", "ORDER BY id") == after


def test_relationships_by_exact_name_and_ambiguous_names(sample_ws, tmp_path) -> None:
    p = people(sample_ws)
    a, b, c = p[1][3], p[2][3], p[3][3]
    crud.create(sample_ws, m.Stakeholder, organisation_id=1, name=b, role="it", group="it")
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [["Source name", "Target name"], [a, c], [a.lower(), p[4][3]], [c, b]],
    )
    plan = plan_file(sample_ws, path, "relationships")
    assert len(plan.new) + len(plan.updated) + len(plan.unchanged) == 1
    reasons = {i.row: i.reason for i in plan.rejected}
    assert "names must match exactly" in reasons[3]
    assert reasons[4] == f"2 people are named “{b}”; use their ID or email instead"


def test_assessments_report_bad_rows_and_write_nothing(sample_ws, tmp_path) -> None:
    p = people(sample_ws)
    path = write_xlsx(
        tmp_path / "round.xlsx",
        [
            ["Person ID", "Date", "Awareness", "Desire", "Knowledge", "Ability", "Reinforcement"],
            [p[1][1], date(2026, 10, 1), 4, 4, 3, 3, 2],  # row 2: fine
            [p[2][1], date(2026, 10, 1), 6, 4, 3, 3, 2],  # row 3: score out of range
            [p[3][1], date(2031, 1, 1), 4, 4, 3, 3, 2],  # row 4: in the future
            ["NOBODY", date(2026, 10, 1), 4, 4, 3, 3, 2],  # row 5: unknown person
            [p[4][1], "31/02/2026", 4, 4, 3, 3, 2],  # row 6: not a date
        ],
    )
    before = fingerprint(sample_ws)
    plan = plan_file(sample_ws, path, "assessments")
    assert plan.rejected_rows == [3, 4, 5, 6]
    columns = {i.row: i.column for i in plan.rejected}
    assert columns == {3: "Awareness", 4: "Date", 5: "Person ID", 6: "Date"}
    assert plan.initiative_id == 1 and len(plan.new) == 1
    with pytest.raises(ImportRejectedError, match="4 rows have problems"):
        commit_import(sample_ws, plan)
    assert fingerprint(sample_ws) == before


def test_assessments_use_one_date_and_update_the_same_day(sample_ws, tmp_path) -> None:
    p = people(sample_ws)
    path = write_xlsx(
        tmp_path / "round.xlsx",
        [
            ["Email", "Awareness", "Desire", "Knowledge", "Ability", "Reinforcement", "Note"],
            [p[5][2], 5, 4, 3, 2, 1, "first round"],
        ],
    )
    when = date(2026, 9, 30)
    options = ImportOptions(initiative_id=2)
    plan = plan_file(sample_ws, path, "assessments", options, default_date=when)
    (new,) = plan.new
    assert new.values["assessed_on"] == when and new.values["initiative_id"] == 2
    outcome = commit_import(sample_ws, plan)
    assert outcome.created == 1
    again = plan_file(sample_ws, path, "assessments", options, default_date=when)
    assert len(again.unchanged) == 1  # re-importing the same round changes nothing
    with pytest.raises(NotFoundError):
        plan_file(sample_ws, path, "assessments", ImportOptions(initiative_id=99), when)


def test_training_needs_a_known_course_and_updates_completions(sample_ws, tmp_path) -> None:
    p = people(sample_ws)
    course_id, stakeholder_id, completed = table_rows(
        sample_ws,
        "SELECT course_id, stakeholder_id, completed_on FROM training_completion "
        "WHERE completed_on IS NOT NULL LIMIT 1",
    )[0]
    (course_name,) = table_rows(
        sample_ws, f"SELECT name FROM training_course WHERE id={course_id}"
    )[0]
    path = write_xlsx(
        tmp_path / "training.xlsx",
        [
            ["Employee ID", "Course", "Completed on", "Proficiency"],
            [p[stakeholder_id][1], course_name.upper(), None, "Expert"],  # row 2: update
            [p[stakeholder_id][1], "Underwater basket weaving", TODAY, None],  # row 3
            ["NOBODY", course_name, TODAY, None],  # row 4
        ],
    )
    plan = plan_file(sample_ws, path, "training")
    (updated,) = plan.updated
    assert [(c.column, c.new) for c in updated.changes] == [("proficiency", Proficiency.EXPERT)]
    issues = {i.row: (i.column, i.reason) for i in plan.rejected}
    assert issues[3][0] == "Course" and "no training course is named" in issues[3][1]
    assert issues[4][0] == "Employee ID"
    assert completed  # a blank completion date keeps the stored one
