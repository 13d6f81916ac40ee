"""Stakeholder imports: the dry run, the all-or-nothing commit, undo and redo."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmio_desktop import models as m
from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.importing.run import (
    ImportOptions,
    ImportRejectedError,
    commit_import,
    redo_import,
    undo_import,
)
from cmio_desktop.services.stakeholders import edits
from tests.unit.test_importing_helpers import fingerprint, plan_file, table_rows, write_xlsx

HEADERS = ["External ID", "Name", "Role", "Group", "Email", "Influence", "Notes"]
PEOPLE_SQL = (
    "SELECT id, external_id, name, title, role, stakeholder_group, department, site, email, "
    "phone, power, interest, attitude, desired_attitude, notes, physician_champion, super_user "
    "FROM stakeholder ORDER BY id"
)


def person(ws, ident: int) -> dict:
    (row,) = table_rows(ws, f"{PEOPLE_SQL.replace(' ORDER BY id', '')} WHERE id = {ident}")
    keys = [k.strip() for k in PEOPLE_SQL.split("SELECT")[1].split("FROM")[0].split(",")]
    return dict(zip(keys, row, strict=True))


def domain_state(ws) -> list:
    return [
        table_rows(ws, PEOPLE_SQL),
        table_rows(ws, "SELECT * FROM relationship ORDER BY id"),
        table_rows(ws, "SELECT * FROM assessment ORDER BY id"),
        table_rows(ws, "SELECT * FROM training_completion ORDER BY id"),
    ]


def test_dry_run_sorts_rows_into_new_updated_unchanged(sample_ws, tmp_path: Path) -> None:
    first, second = person(sample_ws, 1), person(sample_ws, 2)
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        [
            HEADERS,
            # unchanged: same values as stored (Notes blank = stored "")
            [
                first["external_id"],
                first["name"],
                "Physician",
                first["stakeholder_group"],
                first["email"],
                first["power"],
                None,
            ],
            # updated by external ID: influence and notes change
            [
                second["external_id"],
                second["name"],
                "Physician",
                second["stakeholder_group"],
                second["email"],
                5 if second["power"] != 5 else 4,
                "  =1+2 said the chair  ",
            ],
            # new
            ["NEW-1", "Ada Lovelace", "IT", "IT", "ada@example.org", 4, None],
        ],
    )
    before = fingerprint(sample_ws)
    plan = plan_file(sample_ws, path, "stakeholders")
    assert fingerprint(sample_ws) == before  # the dry run writes nothing
    assert [p.row for p in plan.new] == [4]
    assert [p.row for p in plan.unchanged] == [2]
    (updated,) = plan.updated
    assert updated.row == 3 and updated.target_id == 2
    assert {c.column: c.new for c in updated.changes} == {
        "power": 5 if second["power"] != 5 else 4,
        "notes": "=1+2 said the chair",  # trimmed, never evaluated
    }
    assert "power (rated):" in updated.describe_changes()
    assert plan.rejected == [] and plan.can_commit
    assert plan.describe() == "import 1 person and update 1 person from staff.xlsx"


def test_match_by_email_ignores_case_and_fills_a_missing_id(sample_ws, tmp_path) -> None:
    crud.update(sample_ws, m.Stakeholder, 3, external_id=None)
    third = person(sample_ws, 3)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [HEADERS, ["X-3", third["name"], None, None, third["email"].upper(), None, None]],
    )
    plan = plan_file(sample_ws, path, "stakeholders", ImportOptions(blank_keeps=True))
    (updated,) = plan.updated
    assert updated.target_id == 3
    assert {c.column: (c.old, c.new) for c in updated.changes} == {
        "external_id": (None, "X-3"),
        "email": (third["email"], third["email"].upper()),  # text is stored as given
    }


def test_rows_naming_two_people_or_one_person_twice_are_rejected(sample_ws, tmp_path) -> None:
    one, two, three, four = (person(sample_ws, i) for i in (1, 2, 3, 4))
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            HEADERS,
            [one["external_id"], one["name"], None, None, two["email"], None, None],  # row 2
            ["ZZ-9", "Someone", None, None, three["email"], None, None],  # row 3: 3 has an ID
            [four["external_id"], four["name"], None, None, None, None, None],  # row 4
            [None, four["name"], None, None, four["email"], None, None],  # row 5: 4 again
        ],
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    reasons = {(i.row, i.column): i.reason for i in plan.rejected}
    assert reasons[(2, "Email")].startswith(f"belongs to {two['name']}")
    assert "but this row's ID is ZZ-9" in reasons[(3, "Email")]
    assert reasons[(5, "Email")] == f"matches the same person as row 4 ({four['name']})"
    assert plan.rejected_rows == [2, 3, 5]
    assert not plan.can_commit


def test_new_people_without_role_or_group_are_unclassified_not_rejected(sample_ws, tmp_path):
    """Regression: a 2-column roster used to be rejected row by row ("a role is required")."""
    path = write_xlsx(tmp_path / "f.xlsx", [["Name", "Email"], ["Grace Hopper", "gh@x.org"]])
    plan = plan_file(sample_ws, path, "stakeholders")
    assert plan.rejected == []
    (new,) = plan.new
    assert new.values["role"] is Role.UNCLASSIFIED
    assert new.values["stakeholder_group"] is StakeholderGroup.UNCLASSIFIED
    assert new.needs_classification and plan.unclassified_rows == 1
    assert new.inferred_columns() == {"role", "stakeholder_group"}
    options = ImportOptions(default_role=Role.IT, default_group=StakeholderGroup.IT)
    plan = plan_file(sample_ws, path, "stakeholders", options)
    (new,) = plan.new
    assert new.values["role"] is Role.IT and new.values["power"] == 3
    assert not new.needs_classification


def test_role_and_group_inferred_from_the_title(sample_ws, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["Name", "Job Title", "Role"],
            ["Maya Okonkwo", "Hospitalist", None],
            ["Sam Reed", "Front Desk Clerk", "Receptionist"],
            ["Ana Lima", "Volunteer", "Wizard"],
            ["Li Wei", "Nurse Manager", "Nurse"],
        ],
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    assert plan.rejected == []
    got = {p.label: (p.values["role"], p.values["stakeholder_group"]) for p in plan.new}
    assert got == {
        "Maya Okonkwo": (Role.PHYSICIAN, StakeholderGroup.FRONTLINE_CLINICIAN),
        "Sam Reed": (Role.ADMINISTRATOR, StakeholderGroup.SUPPORT_STAFF),
        "Ana Lima": (Role.UNCLASSIFIED, StakeholderGroup.UNCLASSIFIED),
        "Li Wei": (Role.NURSE, StakeholderGroup.CLINICAL_LEADER),
    }
    reasons = {p.label: dict(p.inferred) for p in plan.new}
    assert reasons["Maya Okonkwo"]["role"] == "from the title “Hospitalist”"
    assert reasons["Sam Reed"]["role"] == "from the Role cell “Receptionist”"
    assert "“Wizard” is not a role" in reasons["Ana Lima"]["role"]
    assert "role" not in reasons["Li Wei"]  # read from the file as given
    assert plan.unclassified_rows == 1 and plan.inferred_rows == 4


def test_inferred_role_fills_in_only_unclassified_people(sample_ws, tmp_path) -> None:
    crud.update(sample_ws, m.Stakeholder, 5, role=Role.UNCLASSIFIED)
    four, five = person(sample_ws, 4), person(sample_ws, 5)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["External ID", "Name", "Job title"],
            [four["external_id"], four["name"], "Epic Analyst"],
            [five["external_id"], five["name"], "Epic Analyst"],
        ],
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    changes = {p.target_id: {c.column: c.new for c in p.changes} for p in plan.updated}
    assert changes[4] == {"title": "Epic Analyst"}  # a classification is never overwritten
    assert changes[5]["role"] is Role.IT
    assert dict(next(p for p in plan.updated if p.target_id == 5).inferred) == {
        "role": "from the title “Epic Analyst”"
    }


def test_blank_cells_clear_optional_text_unless_told_to_keep(sample_ws, tmp_path) -> None:
    crud.update(sample_ws, m.Stakeholder, 4, notes="Keep me")
    four = person(sample_ws, 4)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [HEADERS, [four["external_id"], four["name"], None, None, four["email"], None, None]],
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    assert [(c.column, c.old, c.new) for c in plan.updated[0].changes] == [("notes", "Keep me", "")]
    plan = plan_file(sample_ws, path, "stakeholders", ImportOptions(blank_keeps=True))
    assert plan.updated == [] and len(plan.unchanged) == 1


def test_commit_undo_redo_restore_exactly(sample_ws, tmp_path) -> None:
    two = person(sample_ws, 2)
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        [
            HEADERS,
            [two["external_id"], two["name"], "Nurse", None, two["email"], None, None],
            ["N-1", "New One", "IT", "IT", "n1@x.org", 2, "first"],
            ["N-2", "New Two", "Nurse", "Frontline clinician", None, None, "@second"],
        ],
    )
    before = domain_state(sample_ws)
    plan = plan_file(sample_ws, path, "stakeholders")
    outcome = commit_import(sample_ws, plan)
    assert (outcome.created, outcome.updated) == (2, 1)
    after = domain_state(sample_ws)
    new_ids = [row["id"] for row in outcome.token.created]
    assert new_ids == [121, 122]
    assert person(sample_ws, 122)["notes"] == "@second"
    assert person(sample_ws, 2)["role"] == "nurse"
    audit = table_rows(sample_ws, "SELECT action, entity, entity_id, field FROM audit_event")
    assert ("create", "stakeholder", 121, None) in audit
    assert ("update", "stakeholder", 2, "role") in audit
    assert any(a[0] == "import" for a in audit)

    undo_import(sample_ws, outcome.token)
    assert domain_state(sample_ws) == before
    redo_import(sample_ws, outcome.token)
    assert domain_state(sample_ws) == after  # same ids, same values
    undo_import(sample_ws, outcome.token)
    assert domain_state(sample_ws) == before


def test_nothing_is_written_while_any_row_is_rejected(sample_ws, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            HEADERS,
            ["A-1", "Good", "IT", "IT", "a1@x.org", 3, None],
            ["A-2", "Bad", "IT", "IT", "not-an-email", 3, None],
        ],
    )
    before = fingerprint(sample_ws)
    plan = plan_file(sample_ws, path, "stakeholders")
    assert plan.rejected_rows == [3]
    with pytest.raises(ImportRejectedError, match="1 row has problems"):
        commit_import(sample_ws, plan)
    assert fingerprint(sample_ws) == before

    plan = plan_file(sample_ws, path, "stakeholders", ImportOptions(valid_rows_only=True))
    outcome = commit_import(sample_ws, plan)
    assert (outcome.created, outcome.skipped_rows) == (1, 1)
    assert table_rows(sample_ws, "SELECT name FROM stakeholder WHERE external_id = 'A-1'")


def test_a_database_failure_rolls_everything_back_and_names_the_row(sample_ws, tmp_path) -> None:
    rows = [HEADERS] + [[f"B-{i}", f"Person {i}", "IT", "IT", None, 3, None] for i in range(30)]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    plan = plan_file(sample_ws, path, "stakeholders")
    plan.new[17].values["power"] = 9  # slip past the checks: the database refuses it
    before = fingerprint(sample_ws)
    with pytest.raises(ServiceError, match=r"Row 19 \(Person 17 \(B-17\)\).*Power \(rated\)"):
        commit_import(sample_ws, plan)
    assert fingerprint(sample_ws) == before


@pytest.mark.parametrize(
    ("meanwhile", "stale"),
    [
        ({"title": "Changed meanwhile"}, False),  # a colleague's unrelated edit
        ({"name": "Renamed meanwhile"}, True),  # who the people are: rows match by name
    ],
)
def test_a_plan_made_before_a_change_that_could_alter_it_is_refused(
    sample_ws, tmp_path, meanwhile, stale
) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [HEADERS, ["C-1", "C One", "IT", "IT", None, 3, None]])
    plan = plan_file(sample_ws, path, "stakeholders")
    crud.update(sample_ws, m.Stakeholder, 5, **meanwhile)
    if stale:
        with pytest.raises(ServiceError, match="changed after these changes were previewed"):
            commit_import(sample_ws, plan)
    else:
        assert commit_import(sample_ws, plan).created == 1
    found = table_rows(sample_ws, "SELECT id FROM stakeholder WHERE external_id = 'C-1'")
    assert bool(found) is not stale


def test_a_plan_is_stale_once_a_row_it_updates_or_its_table_changes(sample_ws, tmp_path) -> None:
    seventh = person(sample_ws, 7)
    ident = seventh["id"]
    row = [None, seventh["name"], None, None, seventh["email"], None, "From the roster"]
    path = write_xlsx(tmp_path / "f.xlsx", [HEADERS, row])
    plan = plan_file(sample_ws, path, "stakeholders", ImportOptions(blank_keeps=True))
    assert [r.target_id for r in plan.updated] == [ident]
    crud.update(sample_ws, m.Stakeholder, ident, notes="A colleague's note")  # the same row
    with pytest.raises(ServiceError, match="changed after these changes were previewed"):
        commit_import(sample_ws, plan)
    plan = plan_file(sample_ws, path, "stakeholders", ImportOptions(blank_keeps=True))
    edits.create_stakeholder(sample_ws, name="Someone New")  # a row added to its table
    with pytest.raises(ServiceError, match="changed after these changes were previewed"):
        commit_import(sample_ws, plan)


def test_overlong_text_is_rejected_before_writing(sample_ws, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [["Name", "Role", "Group", "Phone"], ["Long Phone", "IT", "IT", "1" * 61]],
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    (issue,) = plan.rejected
    assert (issue.row, issue.column) == (2, "Phone") and "at most 60" in issue.reason


def test_cancelling_a_commit_keeps_nothing(sample_ws, tmp_path) -> None:
    from cmio_desktop.services.importing.run import ImportCancelled

    path = write_xlsx(tmp_path / "f.xlsx", [HEADERS, ["D-1", "D One", "IT", "IT", None, 3, None]])
    plan = plan_file(sample_ws, path, "stakeholders")
    before = fingerprint(sample_ws)
    with pytest.raises(ImportCancelled):
        commit_import(sample_ws, plan, cancelled=lambda: True)
    assert fingerprint(sample_ws) == before


def test_a_blank_external_id_never_erases_the_stored_one(sample_ws, tmp_path) -> None:
    six = person(sample_ws, 6)
    path = write_xlsx(
        tmp_path / "f.xlsx", [HEADERS, [None, six["name"], None, None, six["email"], None, None]]
    )
    plan = plan_file(sample_ws, path, "stakeholders")
    assert all(c.column != "external_id" for p in plan.updated for c in p.changes)
