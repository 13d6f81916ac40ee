"""The cmio command: exit codes, messages on stderr, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cmio_desktop.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_new_then_info_json(tmp_path: Path, capsys) -> None:
    ws = tmp_path / "org.cmio"
    assert main(["new", str(ws), "--org", "Lakeside Health"]) == 0
    capsys.readouterr()
    assert main(["info", str(ws), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["organisation"] == "Lakeside Health"
    assert info["schema_version"] == 2
    assert info["counts"]["stakeholder"] == 0
    assert set(info["counts"]) >= {
        "stakeholder",
        "relationship",
        "assessment",
        "activity",
        "risk",
        "decision",
        "request",
        "golive_criterion",
    }


def test_sample_then_info_shows_populated_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "s.cmio"
    result = run_cli("sample", str(ws), "--people", "150", "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "150 people" in result.stdout
    info = json.loads(run_cli("info", str(ws), "--json").stdout)
    assert info["counts"]["stakeholder"] == 150
    assert info["counts"]["relationship"] > 150
    assert info["initiatives"][0]["name"] == "Ambulatory EHR go-live"


def test_user_errors_exit_1_with_one_line_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "random.cmio"
    bad.write_bytes(b"\x00\x01garbage" * 50)
    result = run_cli("info", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "not a CMIO workspace" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli("info", str(tmp_path / "missing.cmio"))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_sample_into_non_empty_workspace_is_user_error(tmp_path: Path, capsys) -> None:
    ws = tmp_path / "s.cmio"
    assert main(["sample", str(ws), "--people", "40"]) == 0
    assert main(["sample", str(ws), "--people", "40"]) == 1
    assert "empty workspace" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate"], ["sample"], ["sample", "x", "--people", "-3"]]
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
