"""Header-row detection and automatic column mapping."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop.io.mapping import (
    DATE,
    ENUM,
    FIELDS,
    KINDS,
    PERSON,
    REQUIREMENTS,
    SCORE,
    auto_map,
    column_label,
    detect_header_row,
    explain_map,
    field_specs,
    header_names,
    match_header,
    missing_required,
    normalise_header,
    read_header,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ID", "external_id"),
        ("Employee ID", "external_id"),
        ("employee_id", "external_id"),
        ("Emp #", "external_id"),
        ("STAFF  ID", "external_id"),
        ("External-ID", "external_id"),
        ("Full name", "name"),
        ("Given name", "first_name"),
        ("Surname", "last_name"),
        ("Family Name", "last_name"),
        ("Job title", "title"),
        ("Position", "title"),
        ("Professional role", "role"),
        ("Discipline", "role"),
        ("Stakeholder group", "group"),
        ("Category", "group"),
        ("Dept.", "department"),
        ("Ward", "department"),
        ("Campus", "site"),
        ("Facility", "site"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("Mobile", "phone"),
        ("Power/Influence", "power"),
        ("Influence (1–5)", "power"),
        ("Power", "power"),
        ("Interest [1-5]", "interest"),
        ("Support", "attitude"),
        ("Current attitude", "attitude"),
        ("Target attitude", "desired_attitude"),
        ("Comments", "notes"),
        ("Physician champion", "champion"),
        ("Super-user", "super_user"),
        ("  SUPER USER  ", "super_user"),
        ("Favourite colour", None),
        (42, None),
        (None, None),
    ],
)
def test_stakeholder_synonyms(header: object, field: str | None) -> None:
    assert match_header(header, "stakeholders") == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Source", "source"),
        ("From", "source"),
        ("Influencer", "source"),
        ("Source ID", "source_id"),
        ("From Employee ID", "source_id"),
        ("Influencer email", "source_email"),
        ("From E-mail", "source_email"),
        ("Source name", "source_name"),
        ("Target", "target"),
        ("To", "target"),
        ("Influenced", "target"),
        ("To ID", "target_id"),
        ("Target Email Address", "target_email"),
        ("Influenced name", "target_name"),
        ("Weight", "strength"),
        ("Type", "kind"),
        ("Note", "note"),
    ],
)
def test_relationship_synonyms(header: str, field: str) -> None:
    assert match_header(header, "relationships") == field
    spec = field_specs("relationships")[field]
    if spec.type == PERSON:
        expected = {"": "any", "id": "external_id", "email": "email", "name": "name"}
        assert spec.identifier == expected[field.partition("_")[2]]


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("assessments", "Employee ID", "person_id"),
        ("assessments", "Email", "person_email"),
        ("assessments", "Name", "person_name"),
        ("assessments", "Respondent", "person"),
        ("assessments", "Survey date", "date"),
        ("assessments", "Assessed on", "date"),
        ("assessments", "Awareness", "awareness"),
        ("assessments", "Reinforcement score", "reinforcement"),
        ("assessments", "Assessed by", "assessor"),
        ("training", "Staff ID", "person_id"),
        ("training", "Course name", "course"),
        ("training", "Completed on", "completed"),
        ("training", "Completion date", "completed"),
        ("training", "Proficiency", "proficiency"),
    ],
)
def test_assessment_and_training_synonyms(kind: str, header: str, field: str) -> None:
    assert match_header(header, kind) == field


def test_auto_map_first_column_wins_and_skips_unknown() -> None:
    headers = ["Name", "Notes", None, 7, "name", "Comments", "Role"]
    assert auto_map(headers, "stakeholders") == {"name": 0, "notes": 1, "role": 6}


def test_normalise_header() -> None:
    assert normalise_header("  E-MAIL address ") == "emailaddress"
    assert normalise_header("Influence (1–5)") == "influence"
    assert normalise_header("(ID)") == "id"  # only brackets: keep what is inside
    assert normalise_header("Département") == "département"
    assert normalise_header("ＩＤ") == "id"  # full-width, NFKC


def test_detect_header_below_title_rows() -> None:
    rows = [
        ["Riverside Health — staff list"],
        ["Exported 2025-01-06 by HR"],
        ["ID", "First name", "Last name", "Role", "Email"],
        [1001, "Ann", "Lee", "Nurse", "ann@example.org"],
        [1002, "Bo", "Ng", "Physician", "bo@example.org"],
    ]
    assert detect_header_row(rows, "stakeholders") == 2
    mapping = auto_map(rows[2], "stakeholders")
    assert mapping == {"external_id": 0, "first_name": 1, "last_name": 2, "role": 3, "email": 4}
    assert missing_required(mapping, "stakeholders") == []


def test_detect_header_prefers_text_row_and_handles_header_only() -> None:
    assert detect_header_row([["Name", "Role"]], "stakeholders") == 0
    assert detect_header_row([], "stakeholders") == 0
    assert detect_header_row([["nothing"], ["to see"]], "stakeholders") == 0
    # a data row that happens to contain a header word scores less than the header
    rows = [["Name", "Notes", "Role"], ["Notes", 3, "Nurse"]]
    assert detect_header_row(rows, "stakeholders") == 0
    # the header is searched only among the first rows
    late = [["x"]] * 25 + [["Name", "Role"]]
    assert detect_header_row(late, "stakeholders") == 0
    assert detect_header_row(late, "stakeholders", scan=30) == 25


def test_detect_assessment_header_among_dates() -> None:
    rows = [
        ["Readiness survey, round 2"],
        [date(2025, 3, 1)],
        ["Employee ID", "Awareness", "Desire", "Knowledge", "Ability", "Reinforcement"],
        ["E1", 4, 3, 2, 2, 1],
    ]
    assert detect_header_row(rows, "assessments") == 2


def test_missing_required_alternatives() -> None:
    assert missing_required({}, "stakeholders") == ["Name (or First name and Last name)"]
    assert missing_required({"first_name": 0}, "stakeholders") != []
    assert missing_required({"first_name": 0, "last_name": 1}, "stakeholders") == []
    assert missing_required({"source_email": 0, "target": 1}, "relationships") == []
    assert missing_required({"source_email": 0}, "relationships") == ["Target (ID, email or name)"]
    scores = {
        name: i
        for i, name in enumerate(["awareness", "desire", "knowledge", "ability", "reinforcement"])
    }
    assert missing_required({**scores, "person_name": 9}, "assessments") == []
    assert missing_required({"person_name": 9}, "assessments") == [
        "Awareness",
        "Desire",
        "Knowledge",
        "Ability",
        "Reinforcement",
    ]
    assert missing_required({"person": 0}, "training") == ["Course"]


def test_field_specs_are_complete() -> None:
    assert set(FIELDS) == set(KINDS) == set(REQUIREMENTS)
    for kind in KINDS:
        specs = field_specs(kind)
        assert len(specs) == len(FIELDS[kind])  # names unique
        for spec in specs.values():
            assert spec.label and spec.synonyms
            assert (spec.type == ENUM) == (spec.enum is not None)
            assert (spec.type == PERSON) == (spec.identifier is not None)
            assert match_header(spec.label, kind) == spec.name  # its own label maps back
        for requirement in REQUIREMENTS[kind]:
            for option in requirement.alternatives:
                assert set(option) <= set(specs)
    assert field_specs("assessments")["awareness"].type == SCORE
    assert field_specs("assessments")["awareness"].required
    assert field_specs("training")["completed"].type == DATE
    with pytest.raises(ValueError, match="unknown import kind"):
        auto_map(["Name"], "patients")


def test_column_labels_and_header_names() -> None:
    assert [column_label(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert header_names(["Name", None, " ", 2025], width=6) == [
        "Name",
        "Column B",
        "Column C",
        "2025",
        "Column E",
        "Column F",
    ]


@pytest.mark.parametrize(
    ("header", "field", "exact"),
    [
        ("Work E-mail", "email", False),
        ("Email Address", "email", True),
        ("E-mail (work)", "email", True),
        ("Job Title Description", "title", False),
        ("Business Title", "title", False),
        ("Department Name", "department", False),
        ("Location", "site", True),
        ("Primary Work Location", "site", False),
        ("Employee Number", "external_id", True),
        ("Staff ID", "external_id", True),
        ("Surname", "last_name", True),
        ("Given Name", "first_name", True),
        ("Preferred Name", "first_name", True),
        ("Full Legal Name", "name", False),
        ("Manager Email", None, False),  # about somebody else
        ("Emergency Contact Name", None, False),
        ("Employee Status", None, False),
        ("Name Name", "name", False),
    ],
)
def test_hr_headings_are_read_word_by_word(header: str, field: str | None, exact: bool) -> None:
    match = read_header(header, "stakeholders")
    if field is None:
        assert match is None
        return
    assert match is not None and match.field == field and match.exact is exact
    label = field_specs("stakeholders")[field].label
    expected = f"a usual heading for {label}" if exact else f"read as {label}, without “"
    assert match.reason.startswith(expected)


def test_explain_map_prefers_synonyms_and_says_why() -> None:
    headers = ["Work E-mail", "Email", "Surname", "Given Name", "Job Title Description"]
    explained = explain_map(headers, "stakeholders")
    assert {f: c for f, (c, _) in explained.items()} == {
        "email": 1,  # an exact heading beats one read word by word, wherever it is
        "last_name": 2,
        "first_name": 3,
        "title": 4,
    }
    assert explained["title"][1] == "read as Title, without “description”"
    assert explained["email"][1] == "a usual heading for Email"
    assert auto_map(headers, "stakeholders") == {f: c for f, (c, _) in explained.items()}
