"""A workspace set up from the command line alone: new → initiative → imports → analyze."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cmio_desktop.cli import main
from tests.unit.test_importing_helpers import table_rows

PEOPLE = """\
Employee ID,Name,Job title,Role,Group,Department,Email
E1,Maya Okonkwo,Hospitalist,Physician,Clinical leader,Medicine,maya@example.org
E2,Tom Reyes,Charge nurse,Nurse,Frontline clinician,Ward 4,tom@example.org
E3,Ana Lima,Registered nurse,Nurse,Frontline clinician,Ward 4,ana@example.org
E4,Raj Patel,Pharmacist,Pharmacist,Frontline clinician,Pharmacy,raj@example.org
E5,Lee Chen,Clinical analyst,IT,IT,Informatics,lee@example.org
"""
TIES = """\
Source ID,Target ID,Strength
E1,E2,5
E2,E3,4
E1,E4,3
E5,E1,2
E3,E2,3
"""
SURVEY = """\
Employee ID,Survey date,Awareness,Desire,Knowledge,Ability,Reinforcement
E1,2026-10-01,5,4,4,3,3
E2,2026-10-01,4,3,2,2,2
E3,2026-10-01,3,3,2,1,1
E4,2026-10-01,4,4,4,4,3
E5,2026-10-01,5,5,5,4,4
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(*args: str) -> str:
    done = cli(*args)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert done.stderr == ""
    return done.stdout


def test_new_initiative_imports_and_analyze_end_to_end(tmp_path: Path) -> None:
    ws = str(tmp_path / "lakeside.cmio")
    for name, text in (("people.csv", PEOPLE), ("ties.csv", TIES), ("survey.csv", SURVEY)):
        (tmp_path / name).write_text(text, encoding="utf-8")

    assert "Created" in ok("new", ws, "--org", "Lakeside Health")
    refused = cli("import", ws, str(tmp_path / "survey.csv"), "--kind", "assessments")
    assert refused.returncode == 1 and "no initiative yet" in refused.stderr

    out = ok("initiative", "add", ws, "EHR go-live", "--go-live", "2027-03-01")
    assert out == "Added initiative 1: EHR go-live, go-live 2027-03-01.\n"
    listed = json.loads(ok("initiative", "list", ws, "--json"))
    assert listed == [{"id": 1, "name": "EHR go-live", "go_live": "2027-03-01", "description": ""}]

    ok("import", ws, str(tmp_path / "people.csv"), "--kind", "stakeholders")
    ok("import", ws, str(tmp_path / "ties.csv"), "--kind", "relationships")
    survey = json.loads(
        ok("import", ws, str(tmp_path / "survey.csv"), "--kind", "assessments", "--json")
    )
    assert survey["committed"] is True and survey["created"] == 5 and survey["initiative"] == 1

    analysis = json.loads(ok("analyze", ws, "--json"))
    people = {p["external_id"]: p for p in analysis["people"]}
    assert set(people) == {"E1", "E2", "E3", "E4", "E5"}
    assert people["E1"]["readiness"] is not None
    # E1 influences two people, E4 nobody.
    assert people["E1"]["network_influence"] > people["E4"]["network_influence"]

    counts = table_rows_of(Path(ws))
    assert counts == (5, 5, 5, 1)


def table_rows_of(path: Path) -> tuple[int, ...]:
    from cmio_desktop.store import open_workspace

    ws = open_workspace(path)
    try:
        sql = (
            "SELECT (SELECT count(*) FROM stakeholder), (SELECT count(*) FROM relationship), "
            "(SELECT count(*) FROM assessment), (SELECT count(*) FROM initiative)"
        )
        return table_rows(ws, sql)[0]
    finally:
        ws.close()


def test_new_with_an_initiative_and_survey_choice(tmp_path: Path, capsys) -> None:
    ws = str(tmp_path / "w.cmio")
    args = ["new", ws, "--org", "Lakeside", "--initiative", "Go-live", "--go-live", "2027-01-31"]
    assert main(args) == 0
    assert "with the initiative “Go-live”" in capsys.readouterr().out
    assert main(["initiative", "list", ws]) == 0
    assert capsys.readouterr().out == "   1  Go-live — 2027-01-31\n"

    assert main(["initiative", "add", ws, "go-LIVE"]) == 1
    assert "already has an initiative named “go-LIVE”" in capsys.readouterr().err
    assert main(["initiative", "add", ws, "Pharmacy module"]) == 0
    capsys.readouterr()
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    import_args = ["import", ws, str(survey), "--kind", "assessments", "--dry-run"]
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert main(["import", ws, str(people), "--kind", "stakeholders"]) == 0
    capsys.readouterr()
    assert main(import_args) == 0
    out = capsys.readouterr().out
    assert (
        "Filed under the first initiative, 1 “Go-live”; choose another with --initiative ID" in out
    )
    assert "(2 “Pharmacy module”)" in out
    assert main([*import_args, "--initiative", "2"]) == 0
    assert "Filed under" not in capsys.readouterr().out


def test_new_refuses_go_live_without_initiative_and_bad_dates(tmp_path: Path) -> None:
    ws = tmp_path / "w.cmio"
    done = cli("new", str(ws), "--org", "X", "--go-live", "2027-01-31")
    assert done.returncode == 1 and "--go-live needs --initiative" in done.stderr
    assert not ws.exists()
    done = cli("new", str(ws), "--org", "X", "--initiative", "A", "--go-live", "31/01/2027")
    assert done.returncode == 2 and "is not a date like 2025-03-31" in done.stderr
    assert not ws.exists()
    empty = cli("initiative", "list", str(tmp_path / "missing.cmio"))
    assert empty.returncode == 1 and empty.stderr.count("\n") == 1
