"""A realistic HR roster through ``cmio import``: title rows, HR headings, no role or group
columns, unicode names, a few bad rows — as .xlsx and as a Windows-1252 CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from tests.unit.test_importing_helpers import fingerprint, table_rows, write_csv, write_xlsx

TITLE_ROWS = [["Riverside Health — Staff Roster"], ["Exported 01/12/2026 by HR"], []]
HEADINGS = [
    "Employee Number",
    "Surname",
    "Given Name",
    "Job Title Description",
    "Department Name",
    "Work E-mail",
    "Location",
    "Manager Email",
]
# (surname, given name, title, department, email) — row numbers start at 5
PEOPLE = [
    ("Okonkwo", "Maya", "Hospitalist", "Medicine", "maya.okonkwo@riverside.org"),
    ("Núñez", "José", "Registered Nurse", "Ward 7 – Cardiology", "jose.nunez@riverside.org"),
    ("Ó Briain", "Siobhán", "Nurse Manager", "ICU", "siobhan.obriain@riverside.org"),
    ("Lefèvre", "François", "Epic Analyst", "Information Technology", "f.lefevre@riverside.org"),
    ("Ångström", "Zoë", "Chief Nursing Officer", "Executive Office", "zoe.a@riverside.org"),
    ("Müller", "Jürgen", "Front Desk Clerk", "Outpatients", "j.muller@riverside.org"),
    ("Øster", "Björn", "Chaplaincy Volunteer", "Spiritual Care", "b.oster@riverside.org"),
    ("Dubois", "Amélie", "Pharmacist", "Pharmacy", "amelie.at.riverside"),  # row 12: bad email
    ("Šimić", "Ivana", "Consultant Anaesthetist", "Theatres", "i.simic@riverside.org"),
    ("Brooks", "Nia", "Charge Nurse", "ED", "nia.brooks@riverside.org"),  # row 14: same ID
]
EXPECTED = {
    "Maya Okonkwo": ("physician", "frontline_clinician"),
    "José Núñez": ("nurse", "frontline_clinician"),
    "Siobhán Ó Briain": ("nurse", "clinical_leader"),
    "François Lefèvre": ("it", "it"),
    "Zoë Ångström": ("executive", "executive"),
    "Jürgen Müller": ("administrator", "support_staff"),
    "Björn Øster": ("unclassified", "unclassified"),
    "Ivana Šimić": ("physician", "frontline_clinician"),
}
BAD_ROWS = [12, 14]


def roster_rows() -> list[list[object]]:
    rows: list[list[object]] = [*TITLE_ROWS, HEADINGS]
    for n, (surname, given, title, department, email) in enumerate(PEOPLE, start=1):
        ident = "E1002" if n == 10 else f"E{1000 + n}"
        rows.append([ident, surname, given, title, department, email, "Main Campus", "boss@x.org"])
    return rows


def roster_file(tmp_path: Path, fmt: str) -> Path:
    rows = roster_rows()
    if fmt == "xlsx":
        return write_xlsx(tmp_path / "roster.xlsx", rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue().replace("Šimić", "Simic")  # Windows-1252 has no Š or ć
    return write_csv(tmp_path / "roster.csv", text, "cp1252")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_hr_roster_imports_every_good_row_with_inferred_roles(
    empty_ws, tmp_path, capsys, fmt: str
) -> None:
    path = roster_file(tmp_path, fmt)
    ws = str(empty_ws.path)
    before = fingerprint(empty_ws)
    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders", "--dry-run", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["header_row"] == 4
    assert report["mapping"] == {
        "external_id": "Employee Number",
        "last_name": "Surname",
        "first_name": "Given Name",
        "title": "Job Title Description",
        "department": "Department Name",
        "email": "Work E-mail",  # not the Manager Email column
        "site": "Location",
    }
    assert report["mapping_reasons"]["email"] == "read as Email, without “work”"
    # Only the bad rows are reported: a malformed email and an ID used twice in the file.
    assert [(i["row"], i["letter"], i["column"]) for i in report["rejected"]] == [
        (12, "F", "Work E-mail"),
        (14, "A", "Employee Number"),
    ]
    assert report["created"] == 8 and report["needs_classification"] == 1
    inferred = {i["who"].split(" (")[0]: i for i in report["inferred"]}
    assert inferred["Maya Okonkwo"]["role"] == {
        "value": "Physician",
        "why": "from the title “Hospitalist”",
    }
    assert fingerprint(empty_ws) == before  # a dry run writes nothing

    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders")
    assert code == 1 and "2 rows rejected; nothing was imported" in err
    assert fingerprint(empty_ws) == before  # all or nothing by default

    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders", "--valid-rows-only")
    assert (code, err) == (0, "")
    assert "1 new person needs classification" in out
    stored = table_rows(empty_ws, "SELECT name, role, stakeholder_group FROM stakeholder")
    expected = dict(EXPECTED)
    if fmt == "csv":
        expected["Ivana Simic"] = expected.pop("Ivana Šimić")
    assert {name: (role, group) for name, role, group in stored} == expected


def test_every_row_rejected_says_what_to_fix_first(empty_ws, tmp_path, capsys) -> None:
    rows = [["Name", "Email"], *([f"P{i}", f"p{i}-at-example"] for i in range(5))]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    before = fingerprint(empty_ws)
    code, out, err = run(capsys, str(empty_ws.path), str(path), "--kind", "stakeholders")
    assert code == 1
    assert err == (
        "cmio: Every row was rejected; fix column B (Email) first: on every row it is not a "
        "valid email address (expected name@example.org) (first on row 2). Nothing was "
        "imported.\n"
    )
    assert fingerprint(empty_ws) == before


def test_map_overrides_a_heading_and_refuses_unknown_ones(empty_ws, tmp_path, capsys) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx", [["Who", "Contact", "Post"], ["Ann Lee", "ann@x.org", "RN"]]
    )
    ws = str(empty_ws.path)
    code, out, err = run(
        capsys, ws, str(path), "--kind", "stakeholders", "--json", "--dry-run",
        "--map", "name=Who", "--map", "Email=contact", "--map", "title=",
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["mapping"] == {"name": "Who", "email": "Contact"}
    assert report["mapping_reasons"]["email"] == "chosen with --map email=contact"
    assert report["needs_classification"] == 1  # the title column was left out
    before = fingerprint(empty_ws)
    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders", "--map", "email=Nope")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "has no column headed “Nope” on row 1" in err
    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders", "--map", "colour=Who")
    assert code == 1 and "expected FIELD=HEADER" in err
    assert fingerprint(empty_ws) == before


def test_possible_duplicates_are_skipped_unless_asked(sample_ws, tmp_path, capsys) -> None:
    ((name, department),) = table_rows(
        sample_ws, "SELECT name, department FROM stakeholder WHERE id = 7"
    )
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["Name", "Department", "Job title"],
            [name.upper(), department, "RN"],  # same person, by name and department
            [name, "Somewhere Else Entirely", "RN"],  # same name, other department: new
        ],
    )
    ws = str(sample_ws.path)
    people = "SELECT count(*) FROM stakeholder"
    before = table_rows(sample_ws, people)[0][0]
    code, out, err = run(capsys, ws, str(path), "--kind", "stakeholders")
    assert (code, err) == (0, "")
    assert f"possible duplicate, row 2: {name.upper()} may be {name}" in out
    assert table_rows(sample_ws, people)[0][0] == before + 1
    code, out, err = run(
        capsys, ws, str(path), "--kind", "stakeholders", "--duplicates", "create", "--json"
    )
    report = json.loads(out)
    # Row 3 now also matches: the person the first run created from it.
    assert [(d["row"], d["created"]) for d in report["possible_duplicates"]] == [
        (2, True),
        (3, True),
    ]
    assert report["created"] == 2
    assert table_rows(sample_ws, people)[0][0] == before + 3


def test_titles_and_last_first_order_still_find_the_possible_duplicate(
    sample_ws, tmp_path, capsys
) -> None:
    ((name, department),) = table_rows(
        sample_ws, "SELECT name, department FROM stakeholder WHERE id = 7"
    )
    first, *rest = name.split()
    last = " ".join(rest)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["Name", "Department", "Job title"],
            [f"Dr. {name}", department, "Consultant"],
            [f"{last.upper()}, {first}", department, "Consultant"],
            [f"{first} {last}-Jones", department, "Consultant"],  # another person
        ],
    )
    code, out, err = run(capsys, str(sample_ws.path), str(path), "--kind", "stakeholders")
    assert (code, err) == (0, "")
    assert f"possible duplicate, row 2: Dr. {name} may be {name}" in out
    assert f"possible duplicate, row 3: {last.upper()}, {first} may be {name}" in out
    assert "possible duplicate, row 4" not in out
