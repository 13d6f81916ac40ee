"""Relationship, assessment and training rows, from real files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cmio_desktop.enums import Proficiency, TieKind
from cmio_desktop.io.mapping import auto_map, detect_header_row
from cmio_desktop.io.read_values import infer_date_order, parse_date
from cmio_desktop.io.tabular import Table, read_table
from cmio_desktop.io.validation import (
    MappingError,
    PersonRef,
    validate_assessments,
    validate_relationships,
    validate_training,
)
from tests.unit.io.files import write_csv, write_xlsx

TODAY = date(2025, 6, 30)


def _table(tmp_path: Path, rows: list[list[object]], name: str = "t.xlsx") -> Table:
    return read_table(write_xlsx(tmp_path / name, rows))


def _csv(tmp_path: Path, text: str) -> Table:
    return read_table(write_csv(tmp_path / "t.csv", text))


def _header(table: Table, kind: str) -> tuple[int, dict[str, int]]:
    index = detect_header_row(table.rows, kind)
    return index, auto_map(table.rows[index], kind)


# --- relationships --------------------------------------------------------------------------


def test_relationships(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        [
            ["Influence network — March"],
            ["From ID", "To email", "Weight", "Type", "Note"],
            ["E1", "bo@example.org", 5, "Reports to", "line manager"],
            [1002, "cy@example.org", None, None, None],
            ["E1", "E1@x.org", "2.0", "mentor", None],
            ["E3", "dee@example.org", 0, "enemy", None],
            ["E3", "not-an-email", 3, None, None],
            [None, "bo@example.org", 3, None, None],
            ["E1", "BO@example.org", 2, "peer", None],
        ],
    )
    index, mapping = _header(table, "relationships")
    assert index == 1
    assert mapping == {"source_id": 0, "target_email": 1, "strength": 2, "kind": 3, "note": 4}
    result = validate_relationships(table, index, mapping)
    first, second, third = result.records
    assert first.source == PersonRef("external_id", "E1")
    assert first.target == PersonRef("email", "bo@example.org")
    assert (first.strength, first.kind, first.note) == (5, TieKind.REPORTS_TO, "line manager")
    assert (second.source.value, second.strength, second.kind) == ("1002", 3, None)
    assert (third.strength, third.kind) == (2, TieKind.MENTOR)  # E1 ≠ E1@x.org: not a self-tie
    assert [(i.row, i.column, i.reason[:30]) for i in result.issues] == [
        (6, "Weight", "must be from 1 to 5"),
        (6, "Type", "'enemy' is not one of: Reports"),
        (7, "To email", "is not a valid email address ("),
        (8, "From ID", "the source is required (an ID,"),
        (9, "To email", "a tie with the same source and"),
    ]


def test_self_ties_and_any_identifier(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        (
            "Source,Target,Strength\n"
            "ann@example.org,ANN@example.org,3\n"
            "Ann Lee,ann lee,3\n"
            "Ann Lee,bo@example.org,4\n"
        ),
    )
    index, mapping = _header(table, "relationships")
    result = validate_relationships(table, index, mapping)
    assert [(i.row, i.reason) for i in result.issues] == [
        (2, "a person cannot influence themselves"),
        (3, "a person cannot influence themselves"),
    ]
    (record,) = result.records
    assert record.source == PersonRef("any", "Ann Lee")
    assert record.target == PersonRef("email", "bo@example.org")


def test_identifier_precedence_id_then_email_then_name(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        (
            "Source name,Source email,Source ID,Target name\n"
            "Ann,ann@example.org,E1,Bo\n"
            "Ann,ann@example.org,,Bo\n"
            "Ann,,,Bo\n"
        ),
    )
    index, mapping = _header(table, "relationships")
    result = validate_relationships(table, index, mapping)
    assert [r.source.kind for r in result.records] == ["external_id", "email", "name"]
    assert result.issues == []  # different identifier kinds: the importer resolves them


def test_relationship_mapping_needs_both_ends() -> None:
    table = Table(Path("t.csv"), None, [["Source"], ["a"]], [1, 2])
    with pytest.raises(MappingError, match="Target"):
        validate_relationships(table, 0, {"source": 0})


# --- assessments ----------------------------------------------------------------------------

ADKAR = ["Awareness", "Desire", "Knowledge", "Ability", "Reinforcement"]


def test_assessments_from_workbook(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        [
            ["Readiness survey — round 2"],
            ["Employee ID", "Survey date", *ADKAR, "Assessed by", "Comments"],
            ["E1", datetime(2025, 3, 4), 4, 3, 2, 2, 1, "Kim", "=SUM(A1)"],
            ["E2", date(2025, 3, 4), "5", 5.0, 5, 5, 5, None, None],
            ["E3", "2025-03-05", 6, 0, "x", 2.5, None, None, None],
            ["E4", date(2025, 7, 1), 3, 3, 3, 3, 3, None, None],
            ["E1", "4/3/2025", 1, 1, 1, 1, 1, None, None],
            [None, "2025-03-06", 1, 1, 1, 1, 1, None, None],
            ["E5", None, 1, 1, 1, 1, 1, None, None],
        ],
    )
    index, mapping = _header(table, "assessments")
    result = validate_assessments(table, index, mapping, today=TODAY)
    one, two = result.records
    assert (one.person, one.date, one.awareness, one.reinforcement) == (
        PersonRef("external_id", "E1"),
        date(2025, 3, 4),
        4,
        1,
    )
    assert (one.assessor, one.note, one.date_defaulted) == ("Kim", "=SUM(A1)", False)
    assert (two.awareness, two.desire) == (5, 5)
    assert [(i.row, i.column, i.reason[:24]) for i in result.issues] == [
        (5, "Awareness", "must be from 1 to 5"),
        (5, "Desire", "must be from 1 to 5"),
        (5, "Knowledge", "must be a whole number f"),
        (5, "Ability", "must be a whole number f"),
        (5, "Reinforcement", "is required (a whole num"),
        (6, "Survey date", "is in the future (today "),
        (7, "Survey date", "an assessment of this pe"),  # 4/3/2025 is 4 March: a duplicate
        (8, "Employee ID", "the person is required ("),
        (9, "Survey date", "a date is required"),
    ]


def test_default_date_for_the_whole_file(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        "Email,A,Awareness,Desire,Knowledge,Ability,Reinforcement\nann@example.org,,4,4,4,4,4\n",
    )
    index, mapping = _header(table, "assessments")
    assert "date" not in mapping
    with pytest.raises(MappingError, match="Date"):
        validate_assessments(table, index, mapping, today=TODAY)
    with pytest.raises(MappingError, match="in the future"):
        validate_assessments(table, index, mapping, today=TODAY, default_date=date(2026, 1, 1))
    result = validate_assessments(table, index, mapping, today=TODAY, default_date=date(2025, 5, 1))
    (record,) = result.records
    assert (record.date, record.date_defaulted) == (date(2025, 5, 1), True)
    assert record.person == PersonRef("email", "ann@example.org")


def test_blank_date_cell_takes_the_default(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        "Name,Date,Awareness,Desire,Knowledge,Ability,Reinforcement\n"
        "Ann,,4,4,4,4,4\nBo,2025-01-02,4,4,4,4,4\n",
    )
    result = validate_assessments(
        table, 0, auto_map(table.rows[0], "assessments"), today=TODAY, default_date=date(2025, 5, 1)
    )
    assert [(r.date, r.date_defaulted) for r in result.records] == [
        (date(2025, 5, 1), True),
        (date(2025, 1, 2), False),
    ]


@pytest.mark.parametrize(
    ("dates", "expected", "order_word"),
    [
        (["03/04/2025", "25/12/2024"], [date(2025, 4, 3), date(2024, 12, 25)], "day/month"),
        (["03/04/2025", "12/25/2024"], [date(2025, 3, 4), date(2024, 12, 25)], "month/day"),
        (["03/04/2025", "05.06.25"], [date(2025, 4, 3), date(2025, 6, 5)], "day/month"),
        (["2025-04-03", "2025/4/3 10:30"], [date(2025, 4, 3), date(2025, 4, 3)], "day/month"),
        (["3 Apr 2025", "April 3rd, 2025"], [date(2025, 4, 3), date(2025, 4, 3)], "day/month"),
    ],
)
def test_text_dates(
    tmp_path: Path, dates: list[str], expected: list[date], order_word: str
) -> None:
    body = "".join(f'P{i},"{d}",3,3,3,3,3\n' for i, d in enumerate(dates))
    table = _csv(tmp_path, "Name,Date,Awareness,Desire,Knowledge,Ability,Reinforcement\n" + body)
    result = validate_assessments(table, 0, auto_map(table.rows[0], "assessments"), today=TODAY)
    assert result.issues == []
    assert [r.date for r in result.records] == expected
    assert order_word in result.notes[0]


def test_month_day_default_and_contradicting_dates(tmp_path: Path) -> None:
    body = "P1,03/04/2025,3,3,3,3,3\n"
    table = _csv(tmp_path, "Name,Date,Awareness,Desire,Knowledge,Ability,Reinforcement\n" + body)
    mapping = auto_map(table.rows[0], "assessments")
    us = validate_assessments(table, 0, mapping, today=TODAY, date_order="mdy")
    assert us.records[0].date == date(2025, 3, 4)
    assert infer_date_order(["13/01/2025", "01/13/2025"]) is None  # contradicting
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("13/01/2025", "mdy")
    for bad in ["31/02/2025", "yesterday", "2025-13-01", "Foo 3, 2025"]:
        with pytest.raises(ValueError, match="is not a date"):
            parse_date(bad)
    with pytest.raises(ValueError, match="is a number, not a date"):
        parse_date(45678)


# --- training -------------------------------------------------------------------------------


def test_training(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        [
            ["Staff ID", "Course", "Completed on", "Proficiency"],
            ["E1", "CPOE basics", date(2025, 2, 1), "Proficient"],
            ["E2", "CPOE basics", None, None],
            ["E3", None, "2099-01-01", "guru"],
        ],
    )
    index, mapping = _header(table, "training")
    result = validate_training(table, index, mapping, today=TODAY)
    one, two = result.records
    assert (one.person, one.course, one.completed, one.proficiency) == (
        PersonRef("external_id", "E1"),
        "CPOE basics",
        date(2025, 2, 1),
        Proficiency.PROFICIENT,
    )
    assert (two.completed, two.proficiency) == (None, None)
    assert [(i.row, i.column) for i in result.issues] == [
        (4, "Course"),
        (4, "Completed on"),
        (4, "Proficiency"),
    ]
