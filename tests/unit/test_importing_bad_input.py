"""Bad files through the whole import (the ``cmio import`` command): a clear message, exit
code 1 and a workspace left exactly as it was."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from cmio_desktop.cli import main
from tests.unit.io.files import SHEET1, SHEET_BOMB, ole2_file, rewrite_member
from tests.unit.test_importing_helpers import fingerprint, write_csv, write_xlsx

REGISTER = ["External ID", "Name", "Role", "Group", "Email", "Influence", "Physician champion"]


def _empty_workbook(path: Path) -> Path:
    openpyxl.Workbook().save(path)
    return path


def _huge_dimension(path: Path) -> Path:
    write_xlsx(path, [REGISTER, ["H-1", "Hugo Huge", "IT", "IT", "h@x.org", 3, "No"]])
    return rewrite_member(
        path,
        SHEET1,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )


def _bomb(path: Path) -> Path:
    write_xlsx(path, [REGISTER])
    return rewrite_member(path, SHEET1, lambda _: SHEET_BOMB)


BAD_FILES = {
    "empty csv": (lambda p: write_csv(p / "e.csv", ""), "is empty"),
    "empty workbook": (lambda p: _empty_workbook(p / "e.xlsx"), "has no data"),
    "header only": (
        lambda p: write_xlsx(p / "h.xlsx", [REGISTER]),
        "no rows of data below the header (row 1)",
    ),
    "not a workbook": (
        lambda p: write_csv(p / "n.xlsx", "Name\nAda\n"),
        "is not an Excel workbook",
    ),
    "password protected": (
        lambda p: ole2_file(p / "locked.xlsx"),
        "is password protected",
    ),
    "old xls": (lambda p: ole2_file(p / "old.xls"), "save it as .xlsx"),
    "entity bomb": (lambda p: _bomb(p / "bomb.xlsx"), "billion laughs"),
    "no name column": (
        lambda p: write_csv(p / "c.csv", "Email,Role\na@x.org,IT\n"),
        "has no column for: Name (or First name and Last name)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_give_one_line_and_change_nothing(sample_ws, tmp_path, capsys, case) -> None:
    make, message = BAD_FILES[case]
    path = make(tmp_path)
    before = fingerprint(sample_ws)
    code = main(["import", str(sample_ws.path), str(path), "--kind", "stakeholders"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("cmio: ") and message in err, err
    assert fingerprint(sample_ws) == before


def test_missing_sheet_lists_the_sheets(sample_ws, tmp_path, capsys) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [REGISTER], sheet="Staff", extra_sheets=["Other"])
    code = main(
        ["import", str(sample_ws.path), str(path), "--kind", "stakeholders", "--sheet", "People"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "has no sheet named “People”. Available sheets: “Staff”, “Other”." in err


def test_defusedxml_guards_openpyxl() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_huge_declared_dimension_is_ignored(sample_ws, tmp_path, capsys) -> None:
    path = _huge_dimension(tmp_path / "huge.xlsx")
    code = main(
        ["import", str(sample_ws.path), str(path), "--kind", "stakeholders", "--dry-run", "--json"]
    )
    assert code == 0
    assert '"created": 1' in capsys.readouterr().out


ROWS_WITH_PROBLEMS = [
    REGISTER,
    ["W-1", "Wrong Types", "IT", "IT", "w1@x.org", "high", "No"],  # 2: score is text
    ["W-2", "Bad Flag", "IT", "IT", "w2@x.org", 3, "maybe"],  # 3: flag
    ["W-3", "Odd Role", "Wizard", "IT", "w3@x.org", 3, "No"],  # 4: unclassified, not rejected
    ["W-4", "Dup One", "IT", "IT", "w4@x.org", 3, "No"],  # 5
    ["w-4", "Dup Two", "IT", "IT", "w5@x.org", 3, "No"],  # 6: same ID (case aside)
    ["W-6", "Fine", "IT", "IT", "w6@x.org", 3, "No"],  # 7: fine
]


def test_rows_with_problems_block_the_whole_import(sample_ws, tmp_path, capsys) -> None:
    path = write_xlsx(tmp_path / "problems.xlsx", ROWS_WITH_PROBLEMS)
    before = fingerprint(sample_ws)
    code = main(["import", str(sample_ws.path), str(path), "--kind", "stakeholders"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == (
        "cmio: 3 rows rejected; nothing was imported (fix the file, or use --valid-rows-only "
        "to skip them).\n"
    )
    assert "rejected row 4," not in captured.out
    for row in (2, 3, 6):
        assert f"rejected row {row}," in captured.out
    assert fingerprint(sample_ws) == before


def test_unknown_people_in_ties_block_the_import(sample_ws, tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "ties.csv", "Source ID,Target ID\nRH100001,RH100002\nRH1,X9\n")
    before = fingerprint(sample_ws)
    code = main(["import", str(sample_ws.path), str(path), "--kind", "relationships"])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "rejected row 3, column A (Source ID) “RH1”: no one in the register has the ID “RH1”" in out
    )
    assert "rejected row 3, column B (Target ID) “X9”" in out
    assert fingerprint(sample_ws) == before


def test_bad_scores_and_dates_in_assessments_block_the_import(sample_ws, tmp_path, capsys) -> None:
    path = write_csv(
        tmp_path / "round.csv",
        "Person ID,Date,Awareness,Desire,Knowledge,Ability,Reinforcement\n"
        "RH100001,2026-10-01,4,4,3,3,2\n"
        "RH100002,2026-10-01,0,4,3,3,2\n"
        "RH100003,2099-01-01,4,4,3,3,2\n"
        "RH100004,yesterday,4,4,3,3,2\n",
    )
    before = fingerprint(sample_ws)
    code = main(["import", str(sample_ws.path), str(path), "--kind", "assessments"])
    out = capsys.readouterr().out
    assert code == 1
    assert "rejected row 3, column C (Awareness) “0”: must be from 1 to 5" in out
    assert "rejected row 4, column B (Date) “2099-01-01”: is in the future" in out
    assert "rejected row 5, column B (Date) “yesterday”: is not a date" in out
    assert fingerprint(sample_ws) == before
