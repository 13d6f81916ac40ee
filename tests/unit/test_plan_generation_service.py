"""The plan generator on real sample workspaces: leaders only champions, idempotent, blackout
weeks respected, and the generated plan lifts the forecast (service and CLI)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cmio_desktop import models as m
from cmio_desktop.analysis.plan_calendar import in_blackout, monday
from cmio_desktop.cli import main
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import champion_ids, key_resister_ids
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import generation as plan_generation
from cmio_desktop.services.plan.settings import generator_settings, save_blackout
from cmio_desktop.services.readiness import forecast as forecast_service

TODAY = date(2026, 11, 2)


def sample(tmp_path: Path, seed: int, people: int = 80):
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    ws = create_workspace(tmp_path / f"s{seed}.cmio", organisation="Riverside Health")
    generate_sample(ws, people=people, seed=seed, today=TODAY)
    return ws


@pytest.mark.parametrize("seed", [1, 2, 7, 13])
def test_no_generated_activity_is_led_by_a_key_resister_or_an_unready_person(
    tmp_path: Path, seed: int
) -> None:
    ws = sample(tmp_path, seed)
    try:
        result = plan_generation.generate(ws, 1, TODAY)
        analysis = network.analyze(ws, 1)
        champions = set(champion_ids(analysis))
        resisters = set(key_resister_ids(analysis))
        blocked = {
            analysis.name[pos]
            for pos in range(analysis.n)
            if analysis.key_resister[pos] or not analysis.ready[pos]
        } - {analysis.name[c.position] for c in analysis.champions}
        proposals = result.plan.proposals
        assert proposals
        for p in proposals:
            if p.leader is not None:
                pos = analysis.position_of(p.leader)
                assert p.leader in champions, p
                assert analysis.ready[pos] and not analysis.key_resister[pos], p
            assert p.owner not in blocked, p
            assert p.reason
        # Every key resister has a named 1:1 — proposed now or already in the plan.
        named = {p.people[0] for p in proposals if len(p.people) == 1 and "1:1" in p.title}
        existing = {
            e.stakeholder_id
            for r in plan.list_activities(ws, 1, TODAY)
            if r.type in ("one_to_one", "sponsor_one_to_one") and r.status != "cancelled"
            for e in r.audience
        }
        assert resisters <= named | existing
        # …before the first training wave (when one is proposed).
        training = [p.start for p in proposals if p.type.value == "training_session"]
        talks = [p for p in proposals if p.reason.startswith("Key resister")]
        if training and talks:
            assert max(monday(p.start) for p in talks) < monday(min(training))
    finally:
        ws.close()


def test_generating_twice_creates_nothing_the_second_time(tmp_path: Path) -> None:
    ws = sample(tmp_path, 3, 120)
    try:
        first = plan_generation.generate(ws, 1, TODAY)
        ids = plan_generation.accept(ws, 1, first.plan.proposals).value
        assert len(ids) == len(first.plan.proposals) > 10
        # Every audience row was written (in bulk) with its audit row.
        named = sum(len(p.people) for p in first.plan.proposals)
        rows = {r.id: r for r in plan.list_activities(ws, 1, TODAY)}
        assert sum(rows[i].audience_size for i in ids) == named
        with ws.session() as session:
            audited = session.scalar(
                select(func.count()).where(
                    m.AuditEvent.entity == "activity_audience", m.AuditEvent.action == "create"
                )
            )
        assert audited >= named
        second = plan_generation.generate(ws, 1, TODAY)
        assert second.plan.proposals == ()
        assert any("Nothing new to propose" in n for n in second.plan.notes)
    finally:
        ws.close()


def test_blackout_is_a_workspace_setting_and_respected(tmp_path: Path) -> None:
    ws = sample(tmp_path, 4)
    try:
        assert generator_settings(ws).blackout == ((12, 24, 1, 1),)
        result = plan_generation.generate(ws, 1, TODAY)
        for p in result.plan.proposals:
            assert monday(p.start) not in (date(2026, 12, 21), date(2026, 12, 28)), p
            assert p.start.weekday() < 5 and p.due.weekday() < 5
        with pytest.raises(ServiceError, match="not a period like"):
            save_blackout(ws, "Christmas")
        with pytest.raises(ServiceError, match="13-01 is not a day"):
            save_blackout(ws, "13-01..01-02")
        assert save_blackout(ws, "11-30..12-04, 12-24..01-01").value is None
        assert generator_settings(ws).blackout == ((11, 30, 12, 4), (12, 24, 1, 1))
        result = plan_generation.generate(ws, 1, TODAY)
        periods = generator_settings(ws).blackout
        for p in result.plan.proposals:
            days = [p.start + timedelta(days=i) for i in range((p.due - p.start).days + 1)]
            assert not any(in_blackout(d, periods) for d in days), p
            assert monday(p.start) != date(2026, 11, 30)
    finally:
        ws.close()


def test_the_generated_plan_lifts_forecast_readiness_at_go_live(tmp_path: Path) -> None:
    """Written against ``services/forecast_service`` as it is today (the forecast model is
    being rewritten in parallel): with the generated plan, go-live readiness is higher than
    with no plan at all."""
    ws = sample(tmp_path, 5, 120)
    try:
        rows = plan.list_activities(ws, 1, TODAY)
        plan.delete_activities(ws, [r.id for r in rows])
        without = forecast_service.overall_row(forecast_service.load_forecast(ws, 1, today=TODAY))
        result = plan_generation.generate(ws, 1, TODAY)
        plan_generation.accept(ws, 1, result.plan.proposals)
        with_plan = forecast_service.overall_row(forecast_service.load_forecast(ws, 1, today=TODAY))
        assert with_plan.go_live > without.go_live
    finally:
        ws.close()


def test_cli_generate_twice_reports_created_ids_then_none(tmp_path: Path, capsys) -> None:
    path = tmp_path / "cli.cmio"
    assert main(["sample", str(path), "--people", "80", "--seed", "6"]) == 0
    capsys.readouterr()
    args = ["plan", str(path), "--generate", "--json", "--today", TODAY.isoformat()]
    assert main([*args, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["created_ids"] == [] and dry["proposals"]
    for p in dry["proposals"]:
        assert p["reason"] and p["audience"]
        assert all(set(a) == {"id", "name"} for a in p["audience"])
        assert p["leader"] is None or set(p["leader"]) == {"id", "name"}
    assert any(p["leader"] for p in dry["proposals"])
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert len(first["created_ids"]) == len(dry["proposals"])
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["created_ids"] == [] and second["proposals"] == []
