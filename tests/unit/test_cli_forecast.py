"""``cmio forecast``: per-group today vs go-live and champion picks; JSON; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmio_desktop.cli import main

from ..conftest import SAMPLE_TODAY


@pytest.fixture
def sample_path(sample_ws) -> Path:
    return sample_ws.path


def test_json_per_group_and_champions(sample_path: Path, capsys) -> None:
    code = main(
        [
            "forecast",
            str(sample_path),
            "--json",
            "--champions",
            "3",
            "--by",
            "group",
            "--today",
            SAMPLE_TODAY.isoformat(),
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["initiative"] == {"id": 1, "name": "Ambulatory EHR go-live"}
    assert out["today"] == SAMPLE_TODAY.isoformat() and out["weeks"] == 13
    assert out["people"] == 120 and out["grouping"] == "group"
    assert sum(g["people"] for g in out["groups"]) == 120
    for group in out["groups"]:
        assert 1 <= group["today"] <= 5 and 1 <= group["go_live"] <= 5
        assert group["change"] == pytest.approx(group["go_live"] - group["today"], abs=1e-3)
    picks = out["champions"]["picks"]
    assert [p["rank"] for p in picks] == [1, 2, 3]
    assert all(p["gain"] > 0 for p in picks)
    assert picks[-1]["predicted_mean"] > out["champions"]["baseline"]
    assert out["parameters"]["default_susceptibility"] == 0.5


def test_text_output(sample_path: Path, capsys) -> None:
    code = main(
        [
            "forecast",
            str(sample_path),
            "--champions",
            "2",
            "--initiative",
            "1",
            "--today",
            SAMPLE_TODAY.isoformat(),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "readiness today (2026-11-02) vs go-live (2027-02-01), 13 weeks" in text
    assert "All people" in text and "ICU" in text
    assert "Champion picks" in text and "  1. " in text and "  2. " in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--initiative", "99"], "no initiative with id 99"),
        (["--initiative", "2", "--today", "2030-01-01"], None),  # past go-live: still fine
    ],
)
def test_initiative_errors(sample_path: Path, capsys, args, message) -> None:
    code = main(["forecast", str(sample_path), *args])
    captured = capsys.readouterr()
    if message is None:
        assert code == 0 and "0 weeks" in captured.out
    else:
        assert code == 1 and message in captured.err and captured.out == ""


def test_user_errors_exit_1(tmp_path: Path, empty_ws, capsys) -> None:
    assert main(["forecast", str(tmp_path / "missing.cmio")]) == 1
    assert "no such file" in capsys.readouterr().err
    not_a_workspace = tmp_path / "notes.cmio"
    not_a_workspace.write_text("hello")
    assert main(["forecast", str(not_a_workspace)]) == 1
    assert "not a CMIO workspace" in capsys.readouterr().err
    assert main(["forecast", str(empty_ws.path)]) == 1
    assert "no initiative to forecast" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [["--champions", "-1"], ["--champions", "many"], ["--by", "colour"], ["--today", "soon"]],
)
def test_usage_errors_exit_2(sample_path: Path, capsys, args) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["forecast", str(sample_path), *args])
    assert exited.value.code == 2
    assert "usage: cmio forecast" in capsys.readouterr().err
