"""The scorecard from a workspace, criteria edits, and ``cmio golive`` / ``cmio plan``."""

from __future__ import annotations

import json
from datetime import date

from cmio_desktop.cli import main
from cmio_desktop.services.governance import golive
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import training

TODAY = "2026-11-02"


def test_sample_scorecard_keeps_the_sample_metric_names_working(sample_ws) -> None:
    card = golive.evaluate(sample_ws, 1, date(2026, 11, 2))
    metrics = {r.spec.metric for r in card.results}
    assert metrics == {"training_completion_pct", "min_department_readiness",
                       "super_users_per_frontline", "open_critical_risks",
                       "resistant_key_players"}  # fmt: skip
    assert all(r.evidence for r in card.results)
    assert card.days_to_go_live == 91
    risks = next(r for r in card.results if r.spec.metric == "open_critical_risks")
    assert risks.value == 2 and risks.status.value == "red"
    assert card.overall.value == "no_go"


def test_criteria_add_edit_delete_and_the_scorecard_follows(sample_ws) -> None:
    before = len(golive.evaluate(sample_ws, 1).results)
    ident = golive.create_criterion(
        sample_ws, 1, {"metric": "training_completion_pct", "threshold": 50, "amber_band": 5,
                       "criticality": "minor", "scope": "role:pharmacist"},
    ).value  # fmt: skip
    assert golive.get_criterion(sample_ws, ident).name == "Pharmacist training completion ≥ 50 %"
    assert len(golive.evaluate(sample_ws, 1).results) == before + 1
    old = golive.update_criterion(sample_ws, ident, {"threshold": 100}).value
    assert old == {"threshold": 50}
    snapshot = golive.delete_criteria(sample_ws, [ident])
    assert len(golive.evaluate(sample_ws, 1).results) == before
    from cmio_desktop.services import crud

    crud.restore(sample_ws, snapshot)
    assert len(golive.evaluate(sample_ws, 1).results) == before + 1


def test_training_completion_turns_green_when_everyone_is_trained(sample_ws) -> None:
    for course in training.training_overview(sample_ws, 1).courses:
        people = [r.person_id for r in training.course_roster(sample_ws, course.id) if r.required]
        training.mark_complete(sample_ws, course.id, people, date(2026, 11, 1))
    card = golive.evaluate(sample_ws, 1, date(2026, 11, 2))
    for r in card.results:
        if r.spec.metric == "training_completion_pct":
            assert r.status.value == "green" and r.value == 100


def test_cli_golive_json_and_exit_zero_whatever_the_status(sample_ws, capsys) -> None:
    assert main(["golive", str(sample_ws.path), "--json", "--today", TODAY]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] in ("go", "conditional", "no_go")
    assert data["days_to_go_live"] == 91
    first = data["criteria"][0]
    assert set(first) >= {"name", "status", "value", "threshold", "evidence"}
    assert first["status"] in ("red", "amber", "green")
    assert main(["golive", str(sample_ws.path), "--today", TODAY]) == 0
    assert "Recommendation:" in capsys.readouterr().out


def test_cli_plan_generate_dry_run_then_for_real(sample_ws, capsys) -> None:
    path = str(sample_ws.path)
    before = len(plan.list_activities(sample_ws, 1))
    assert main(["plan", path, "--generate", "--dry-run", "--json", "--today", TODAY]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["created_ids"] == [] and dry["proposals"]
    assert all(TODAY <= p["start"] <= p["due"] <= dry["go_live"] for p in dry["proposals"])
    assert all(p["reason"] for p in dry["proposals"])
    assert len(plan.list_activities(sample_ws, 1)) == before
    assert main(["plan", path, "--generate", "--json", "--today", TODAY]) == 0
    real = json.loads(capsys.readouterr().out)
    assert len(real["created_ids"]) == len(real["proposals"])
    assert len(plan.list_activities(sample_ws, 1)) == before + len(real["created_ids"])
    assert main(["plan", path, "--json", "--today", TODAY]) == 0
    listed = json.loads(capsys.readouterr().out)["activities"]
    assert sum(a["overdue"] for a in listed) == 1
    assert main(["plan", path, "--dry-run"]) == 1


def test_empty_workspace_is_not_assessed_in_the_cli_and_on_the_dashboard(tmp_path, capsys) -> None:
    """Regression: with no criteria, ``cmio golive`` said GO while the dashboard said "No
    criteria yet". Both now say "not assessed"."""
    from cmio_desktop.services import dashboard, initiatives
    from cmio_desktop.store import open_workspace

    path = tmp_path / "empty.cmio"
    assert main(["new", str(path), "--org", "Lakeside Health"]) == 0
    capsys.readouterr()
    assert main(["golive", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"] == "not_assessed"
    ws = open_workspace(path)
    try:
        figure = dashboard.golive_figure(dashboard.summary(ws, None))
        assert (figure.value, figure.status) == ("Not assessed", "not_assessed")
        ident = initiatives.create_initiative(ws, name="EHR", go_live=date(2027, 3, 1)).value
        card = golive.evaluate(ws, ident, date(2026, 11, 2))
        assert card.overall.value == "not_assessed" and card.results == ()
        figure = dashboard.golive_figure(dashboard.summary(ws, ident, date(2026, 11, 2)))
        assert figure == dashboard.GoLiveFigure("Not assessed", "No criteria yet", "not_assessed")
        # A criterion without data (nobody assessed, no course) is not assessed either.
        for metric, threshold in (("min_department_readiness", 3), ("training_completion_pct", 90)):
            values = {"metric": metric, "threshold": threshold, "criticality": "critical"}
            golive.create_criterion(ws, ident, values)
    finally:
        ws.close()
    assert main(["golive", str(path), "--json", "--today", TODAY]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] == "not_assessed"
    assert [c["status"] for c in data["criteria"]] == ["not_assessed", "not_assessed"]
    assert not any(c["no_action_planned"] for c in data["criteria"])
    assert main(["golive", str(path), "--today", TODAY]) == 0
    assert "Recommendation: NOT ASSESSED" in capsys.readouterr().out


def test_red_criteria_list_the_activities_that_address_them_or_no_action(sample_ws) -> None:
    card = golive.evaluate(sample_ws, 1, date(2026, 11, 2))
    by_metric = {r.spec.metric: r for r in card.results}
    keys = by_metric["resistant_key_players"]
    assert keys.status.value == "red" and keys.no_action_planned and keys.target_people
    trained = by_metric["training_completion_pct"]
    rows = {r.id: r for r in plan.list_activities(sample_ws, 1)}
    assert trained.addressed_by and not trained.no_action_planned
    assert all(rows[i].type == "training_session" for i in trained.addressed_by)
    # Draft the missing action (as the Go-live page's button does), save it: now addressed.
    values, audience = golive.draft_activity(keys, date(2026, 11, 2), date(2027, 2, 1))
    assert values["type"] == "one_to_one" and values["due"] <= date(2027, 2, 1)
    assert {e.stakeholder_id for e in audience} == set(keys.target_people)
    ident = plan.create_activity(sample_ws, 1, values, audience).value
    card = golive.evaluate(sample_ws, 1, date(2026, 11, 2))
    keys = next(r for r in card.results if r.spec.metric == "resistant_key_players")
    assert keys.addressed_by == (ident,) and not keys.no_action_planned
    data = golive.scorecard_json(card)
    entry = next(c for c in data["criteria"] if c["metric"] == "resistant_key_players")
    assert entry["addressed_by"] == [ident] and entry["no_action_planned"] is False
    for c in data["criteria"]:
        if c["status"] in ("red", "amber"):
            assert c["addressed_by"] or c["no_action_planned"] is True
    # A cancelled activity addresses nothing.
    plan.set_status(sample_ws, [ident], "cancelled")
    card = golive.evaluate(sample_ws, 1, date(2026, 11, 2))
    assert next(
        r for r in card.results if r.spec.metric == "resistant_key_players"
    ).no_action_planned
