"""Stakeholder rows: clean records, and one clear issue per bad value, from real files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.enums import Attitude, Role, StakeholderGroup
from cmio_desktop.io.mapping import auto_map, detect_header_row
from cmio_desktop.io.tabular import Table, read_table
from cmio_desktop.io.validation import (
    MappingError,
    RowIssue,
    StakeholderRecord,
    ValidationResult,
    validate_stakeholders,
)
from tests.unit.io.files import write_csv, write_xlsx

HEADERS = [
    "ID",
    "Name",
    "Role",
    "Group",
    "Email",
    "Influence",
    "Interest",
    "Attitude",
    "Desired attitude",
    "Physician champion",
    "Super user",
    "Notes",
]


def _row(i: int, **changes: object) -> list[object]:
    values = dict(
        zip(
            HEADERS,
            [
                f"E{i}",
                f"Person {i}",
                "Nurse",
                "Frontline clinician",
                f"p{i}@example.org",
                3,
                3,
                "neutral",
                "supportive",
                "no",
                "",
                None,
            ],
            strict=True,
        )
    )
    values.update({k.replace("_", " "): v for k, v in changes.items()})
    return [values[h] for h in HEADERS]


def _validate(table: Table) -> ValidationResult[StakeholderRecord]:
    header = detect_header_row(table.rows, "stakeholders")
    return validate_stakeholders(table, header, auto_map(table.rows[header], "stakeholders"))


def _xlsx(tmp_path: Path, rows: list[list[object]]) -> Table:
    return read_table(write_xlsx(tmp_path / "staff.xlsx", rows))


def test_clean_workbook_with_title_rows_and_first_last_names(tmp_path: Path) -> None:
    rows = [
        ["Riverside Health — staff list"],
        [],
        [
            "Emp #",
            "Given name",
            "Surname",
            "Job title",
            "Discipline",
            "Category",
            "Ward",
            "Campus",
            "E-mail",
            "Mobile",
            "Power (1-5)",
            "Interest",
            "Stance",
            "Target attitude",
            "Comments",
            "Champion",
            "Super-user",
        ],
        [
            1001,
            " Zoë ",
            "Ødegård-Nguyễn",
            "Charge nurse",
            "RN",
            "Clinical lead",
            "4B",
            "North",
            " Zoe.O@Example.org ",
            5551234,
            4.0,
            "3",
            "Resister",
            "Leading",
            "=1+2",
            "x",
            True,
        ],
        [
            None,
            None,
            "王",
            '=HYPERLINK("x")',
            "Physician",
            "frontline",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "  ",
            "No",
            0,
        ],
        [],
        [None, "  ", None],
    ]
    result = _validate(_xlsx(tmp_path, rows))
    assert result.issues == []
    assert result.data_rows == 2 and result.blank_rows == 1
    first, second = result.records
    assert first == StakeholderRecord(
        row=4,
        name="Zoë Ødegård-Nguyễn",
        external_id="1001",
        title="Charge nurse",
        role=Role.NURSE,
        group=StakeholderGroup.CLINICAL_LEADER,
        department="4B",
        site="North",
        email="Zoe.O@Example.org",
        phone="5551234",
        power=4,
        interest=3,
        attitude=Attitude.RESISTANT,
        desired_attitude=Attitude.LEADING,
        notes="=1+2",
        champion=True,
        super_user=True,
    )
    assert second.row == 5 and second.name == "王" and second.title == '=HYPERLINK("x")'
    assert second.group is StakeholderGroup.FRONTLINE_CLINICIAN
    assert (second.champion, second.super_user, second.notes) == (False, False, None)
    assert "champion" in result.mapped_fields and "desired_attitude" in result.mapped_fields


def test_unmapped_flags_are_none_and_name_column_preferred(tmp_path: Path) -> None:
    table = _xlsx(
        tmp_path,
        [["Name", "First name", "Last name"], ["Dr A. Lee", "Ann", "Lee"], [None, "Bo", None]],
    )
    result = _validate(table)
    assert [r.name for r in result.records] == ["Dr A. Lee", "Bo"]
    assert result.records[0].champion is None and result.records[0].power is None


BAD_VALUES = [
    ("Influence", 0, "must be from 1 to 5"),
    ("Influence", 6, "must be from 1 to 5"),
    ("Influence", "high", "must be a whole number from 1 to 5"),
    ("Influence", 2.5, "must be a whole number from 1 to 5"),
    ("Influence", "2.5", "must be a whole number from 1 to 5"),
    ("Influence", True, "must be a whole number from 1 to 5"),
    ("Interest", -1, "must be from 1 to 5"),
    ("Interest", "3 stars", "must be a whole number from 1 to 5"),
    ("Attitude", "meh", "is not one of: Unaware, Resistant, Neutral, Supportive, Leading"),
    ("Desired attitude", 4, "'4' is not one of: Unaware"),
    ("Email", "bob@", "is not a valid email address"),
    ("Email", "bob at example.org", "is not a valid email address"),
    ("Email", "bob@example", "is not a valid email address"),
    ("Email", "b ob@example.org", "is not a valid email address"),
    ("Email", "@example.org", "is not a valid email address"),
    ("Email", "bob@example..org", "is not a valid email address"),
    ("Email", "bob@@example.org", "is not a valid email address"),
    ("Email", "bob.@example.org", "is not a valid email address"),
    ("Physician champion", "maybe", "must be yes or no"),
    ("Super user", 2, "must be yes or no"),
    ("Name", None, "a name is required"),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_bad_value_is_reported_on_its_row(tmp_path: Path, fmt: str) -> None:
    rows: list[list[object]] = [HEADERS, _row(0)]
    for i, (column, value, _) in enumerate(BAD_VALUES, start=1):
        rows.append(_row(i, **{column: value}))
    if fmt == "xlsx":
        table = _xlsx(tmp_path, rows)
    else:
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
        table = read_table(write_csv(tmp_path / "staff.csv", text + "\n", "cp1252"))
    result = _validate(table)
    assert [r.row for r in result.records] == [2]
    assert len(result.issues) == len(BAD_VALUES)
    for issue, (column, value, reason) in zip(result.issues, BAD_VALUES, strict=True):
        expected_value = "" if value is None else str(value)
        if fmt == "xlsx" and isinstance(value, bool):
            expected_value = "TRUE"
        if fmt == "csv" and isinstance(value, bool):
            expected_value = "True"
        assert issue.column == column
        assert issue.value == expected_value
        assert reason in issue.reason, issue
    assert result.rejected_rows == list(range(3, 3 + len(BAD_VALUES)))
    assert not result.ok


def test_unknown_role_or_group_is_never_a_rejection(tmp_path: Path) -> None:
    rows = [HEADERS, _row(1, Role="Wizard"), _row(2, Group="Aliens"), _row(3, Role="Staff Nurse")]
    result = _validate(_xlsx(tmp_path, rows))
    assert result.issues == []
    wizard, aliens, nurse = result.records
    assert wizard.role is None and wizard.role_reason.startswith("“Wizard” is not a role")
    assert aliens.group is StakeholderGroup.FRONTLINE_CLINICIAN  # inferred from the role
    assert aliens.group_reason == "from the role Nurse"
    assert nurse.role is Role.NURSE and nurse.role_reason == "from the Role cell “Staff Nurse”"


def test_issues_carry_the_column_letter(tmp_path: Path) -> None:
    result = _validate(_xlsx(tmp_path, [HEADERS, _row(1, Email="bob@")]))
    (issue,) = result.issues
    assert issue.letter == "E"
    assert issue.where() == "row 2, column E (Email)"


def test_scores_accept_whole_numbers_in_any_form(tmp_path: Path) -> None:
    rows = [HEADERS] + [_row(i, Influence=v) for i, v in enumerate([3.0, "3", " 3.0 ", 1, "+5"])]
    result = _validate(_xlsx(tmp_path, rows))
    assert result.issues == []
    assert [r.power for r in result.records] == [3, 3, 3, 1, 5]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("x", True),
        ("X", True),
        ("no", False),
        ("N", False),
        ("false", False),
        ("0", False),
        ("", False),
        (" ", False),
    ],
)
def test_flag_words(tmp_path: Path, text: str, value: bool) -> None:
    path = write_csv(tmp_path / "f.csv", f"Name,Champion,Other\nAnn,{text},x\n")
    result = _validate(read_table(path))
    assert result.issues == [] and result.records[0].champion is value


def test_duplicates_within_the_file(tmp_path: Path) -> None:
    rows = [
        HEADERS,
        _row(1),
        _row(2, ID="e1"),  # IDs compare without case
        _row(3, Email="P1@EXAMPLE.ORG"),  # so do emails
        _row(4, ID=None, Email=None),
        _row(5, ID=None, Email=None),  # blanks are not duplicates
        _row(6, ID="E1", Email="p1@example.org"),
    ]
    result = _validate(_xlsx(tmp_path, rows))
    assert [(i.row, i.column, i.reason) for i in result.issues] == [
        (3, "ID", "the same ID is also on row 2"),
        (4, "Email", "the same email is also on row 2"),
        (7, "ID", "the same ID is also on row 2"),
        (7, "Email", "the same email is also on row 2"),
    ]
    assert [r.row for r in result.records] == [2, 5, 6]


def test_name_from_first_and_last_name_columns(tmp_path: Path) -> None:
    rows = [
        ["First name", "Last name", "Email"],
        ["Ann", "Lee", "a@example.org"],
        ["Cher", None, None],
        [None, "Prince", None],
        [None, None, "c@example.org"],
    ]
    result = _validate(_xlsx(tmp_path, rows))
    assert [r.name for r in result.records] == ["Ann Lee", "Cher", "Prince"]
    assert result.issues == [RowIssue(5, "First name", "", "a name is required", "first_name")]


def test_rows_blank_in_every_mapped_column_are_skipped(tmp_path: Path) -> None:
    rows = [["Name", "Role", "Ignored"], ["Ann", "RN"], [" ", None, "footer text"]]
    result = _validate(_xlsx(tmp_path, rows))
    assert len(result.records) == 1 and result.issues == [] and result.blank_rows == 1


def test_mapping_errors() -> None:
    table = Table(source=Path("x.csv"), sheet=None, rows=[["Role"], ["RN"]], row_numbers=[1, 2])
    with pytest.raises(MappingError, match="Choose a column for: Name"):
        validate_stakeholders(table, 0, {"role": 0})
    with pytest.raises(MappingError, match="unknown stakeholders field"):
        validate_stakeholders(table, 0, {"name": 0, "shoe_size": 1})
    with pytest.raises(MappingError, match="outside the table"):
        validate_stakeholders(table, 5, {"name": 0})
    with pytest.raises(MappingError, match="column indexes"):
        validate_stakeholders(table, 0, {"name": -1})


def test_header_only_and_column_beyond_short_rows(tmp_path: Path) -> None:
    only = _validate(_xlsx(tmp_path, [HEADERS]))
    assert only.records == [] and only.issues == [] and only.data_rows == 0
    table = Table(Path("t.csv"), None, [["Name", "Notes"], ["Ann"]], [1, 2])
    result = validate_stakeholders(table, 0, {"name": 0, "notes": 5})
    assert result.records[0].notes is None


def test_dates_and_numbers_in_text_fields_become_text(tmp_path: Path) -> None:
    rows = [["Name", "Notes", "Phone"], ["Ann", date(2025, 1, 31), 1.5]]
    record = _validate(_xlsx(tmp_path, rows)).records[0]
    assert (record.notes, record.phone) == ("2025-01-31", "1.5")
