"""``cmio import``: the JSON report, dry runs, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.unit.test_importing_helpers import fingerprint, table_rows, write_xlsx

HEADERS = ["Employee ID", "Full name", "Role", "Group", "E-mail", "Influence (1-5)"]


def _file(tmp_path):
    # A title and a blank row above the header: row numbers are the spreadsheet's own.
    rows = [
        ["Staff list — exported from HR"],
        [],
        HEADERS,
        ["RH100001", "Dr. Hiroshi Shah", "Physician", "Clinical leader", "not-an-email", 4],
        ["HR-77", "Nia Brooks", "Nurse", "Frontline clinician", "nia@x.org", 2],
    ]
    return write_xlsx(tmp_path / "staff.xlsx", rows)


def test_json_dry_run_reports_counts_and_spreadsheet_rows(sample_ws, tmp_path, capsys) -> None:
    from cmio_desktop.cli import main

    path = _file(tmp_path)
    before = fingerprint(sample_ws)
    args = ["import", str(sample_ws.path), str(path), "--kind", "stakeholders", "--json"]
    assert main([*args, "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["header_row"] == 3
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 0)
    assert report["rejected"] == [
        {
            "row": 4,
            "column": "E-mail",
            "letter": "E",
            "value": "not-an-email",
            "reason": "is not a valid email address (expected name@example.org)",
        }
    ]
    assert report["dry_run"] is True and report["committed"] is False
    assert report["mapping"]["power"] == "Influence (1-5)"
    assert fingerprint(sample_ws) == before

    assert main(args) == 1  # rejected rows: nothing written
    captured = capsys.readouterr()
    assert json.loads(captured.out)["committed"] is False
    assert captured.err.count("\n") == 1
    assert fingerprint(sample_ws) == before

    assert main([*args, "--valid-rows-only"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["committed"] is True and report["created"] == 1
    assert table_rows(
        sample_ws, "SELECT name, power FROM stakeholder WHERE external_id='HR-77'"
    ) == [("Nia Brooks", 2)]


def test_updates_are_listed_field_by_field(sample_ws, tmp_path, capsys) -> None:
    from cmio_desktop.cli import main

    (title,) = table_rows(sample_ws, "SELECT title FROM stakeholder WHERE id = 1")[0]
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [["ID", "Name", "Title"], ["RH100001", "Dr. Hiroshi Shah", "Chief of Staff"]],
    )
    assert main(["import", str(sample_ws.path), str(path), "--kind", "stakeholders"]) == 0
    out = capsys.readouterr().out
    assert f"row 2: Dr. Hiroshi Shah (RH100001) — title: {title} → Chief of Staff" in out
    assert out.rstrip().endswith("Imported.")


def test_usage_errors_exit_2_and_help_states_the_rule(tmp_path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cmio_desktop.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    bad_date = cli("import", "w.cmio", "f.csv", "--kind", "assessments", "--date", "31/12/2025")
    assert bad_date.returncode == 2 and "is not a date like 2025-03-31" in bad_date.stderr
    helped = cli("import", "--help")
    assert helped.returncode == 0
    text = " ".join(helped.stdout.split())
    assert "if any row is rejected, nothing is written and the exit code is 1" in text
