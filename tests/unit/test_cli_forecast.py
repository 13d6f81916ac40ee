"""``cmio forecast``: per-group today vs go-live and champion picks; JSON; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from tests.conftest import SAMPLE_TODAY


@pytest.fixture
def sample_path(sample_ws) -> Path:
    return sample_ws.path


def test_json_per_group_and_people_to_win_over(sample_path: Path, capsys) -> None:
    code = main(
        [
            "forecast",
            str(sample_path),
            "--json",
            "--win-over",
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
    for group in [out["overall"], *out["groups"]]:
        assert set(group) >= {"today", "go_live_with_plan", "go_live_without_plan", "change"}
        assert 1 <= group["today"] <= 5 and 1 <= group["go_live_with_plan"] <= 5
        assert 1 <= group["go_live_without_plan"] <= 5
        assert group["change"] == pytest.approx(
            group["go_live_with_plan"] - group["today"], abs=1e-3
        )
    overall = out["overall"]
    # the sample plan lifts go-live readiness above the no-plan forecast
    assert overall["go_live_with_plan"] > overall["go_live_without_plan"] + 0.02
    assert out["verdict"].startswith("With the plan, mean readiness ")
    backtest = out["backtest"]  # the sample has four rounds
    assert set(backtest) >= {"round", "mae_model", "mae_no_change", "mae_last_trend"}
    assert isinstance(backtest["round"], str) and " → " in backtest["round"]
    for key in ("mae_model", "mae_no_change", "mae_last_trend"):
        assert 0 <= backtest[key] < 4
    assert set(backtest["per_element"]) == {
        "awareness",
        "desire",
        "knowledge",
        "ability",
        "reinforcement",
    }
    picks = out["win_over"]
    assert [p["rank"] for p in picks] == [1, 2, 3]
    assert all(set(p) >= {"id", "name", "gain"} and p["gain"] > 0 for p in picks)
    assert [p["gain"] for p in picks] == sorted((p["gain"] for p in picks), reverse=True)
    assert picks[-1]["predicted_mean"] > out["win_over_baseline"]
    champions = out["champions"]  # the network analysis' champion set, never a win-over pick
    assert champions and all(
        set(c) >= {"id", "name", "network_influence", "power_rated", "attitude", "readiness"}
        for c in champions
    )
    assert all(
        c["readiness"] >= 4 and c["attitude"] in ("supportive", "leading") for c in champions
    )
    assert out["parameters"]["default_susceptibility"] == 0.5


def test_backtest_is_null_with_fewer_than_two_rounds(empty_ws, capsys) -> None:
    from datetime import timedelta

    from sqlalchemy import insert

    from cmio_desktop import models as m

    tables = m.Base.metadata.tables
    with empty_ws.session() as s:
        s.execute(
            insert(tables["initiative"]).values(
                id=1, organisation_id=1, name="One", go_live=SAMPLE_TODAY + timedelta(days=30)
            )
        )
        s.execute(
            insert(tables["stakeholder"]).values(
                id=1,
                organisation_id=1,
                name="Ana",
                role="nurse",
                department="ED",
                stakeholder_group="frontline_clinician",
            )
        )
        s.execute(
            insert(tables["assessment"]).values(
                stakeholder_id=1, initiative_id=1, assessed_on=SAMPLE_TODAY, awareness=3,
                desire=3, knowledge=3, ability=3, reinforcement=3,
            )
        )  # fmt: skip
    path = str(empty_ws.path)
    empty_ws.close()
    assert main(["forecast", path, "--json", "--today", SAMPLE_TODAY.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["backtest"] is None and out["champions"] == []
    assert [p["name"] for p in out["win_over"]] == ["Ana"]
    assert out["overall"]["go_live_with_plan"] == out["overall"]["go_live_without_plan"]


def test_text_output(sample_path: Path, capsys) -> None:
    code = main(
        [
            "forecast",
            str(sample_path),
            "--win-over",
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
    assert "People to win over" in text and "  1. " in text and "  2. " in text
    assert "Champion" not in text
    assert "With the plan, mean readiness" in text and "Back-test (" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--initiative", "99"], "no initiative with id 99"),
        (["--initiative", "1", "--today", "2030-01-01"], None),  # past go-live: still fine
        (["--initiative", "2"], "Not assessed"),  # no rounds for it: no invented figures
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
    [["--win-over", "-1"], ["--win-over", "many"], ["--by", "colour"], ["--today", "soon"]],
)
def test_usage_errors_exit_2(sample_path: Path, capsys, args) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["forecast", str(sample_path), *args])
    assert exited.value.code == 2
    assert "usage: cmio forecast" in capsys.readouterr().err


def test_forecast_refuses_to_invent_figures(tmp_path, capsys) -> None:
    """No people, then people but no rounds: one sentence each, exit 1, no traceback."""
    ws = str(tmp_path / "e.cmio")
    assert main(["new", ws, "--org", "X", "--initiative", "EHR", "--go-live", "2027-06-01"]) == 0
    capsys.readouterr()
    assert main(["forecast", ws, "--json"]) == 1
    assert "no people to forecast" in capsys.readouterr().err
    people = tmp_path / "two.csv"
    people.write_text("Name,Email\nAna Ruiz,ana@x.org\nBo Li,bo@x.org\n", encoding="utf-8")
    assert main(["import", ws, str(people), "--kind", "stakeholders"]) == 0
    capsys.readouterr()
    assert main(["forecast", ws]) == 1
    err = capsys.readouterr().err
    assert "Not assessed" in err and "no readiness rounds" in err and "Traceback" not in err
