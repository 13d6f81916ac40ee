"""The forecast's back-test against a hand-computed tiny case, the verdict, the without-plan
forecast and the calibration proposal (real workspace files, no mocks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from cmio_desktop import models as m
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.readiness import forecast as service

T = m.Base.metadata.tables
TODAY = date(2026, 11, 2)
R0, R1, R2 = TODAY - timedelta(days=49), TODAY - timedelta(days=28), TODAY - timedelta(days=7)


def person(pid: int) -> dict[str, object]:
    return {
        "id": pid,
        "organisation_id": 1,
        "name": f"Person {pid}",
        "role": "nurse",
        "stakeholder_group": "frontline_clinician",
        "department": "A",
        "attitude": "neutral",
    }


def assessment(pid: int, day: date, scores: tuple[int, ...]) -> dict[str, object]:
    names = ("awareness", "desire", "knowledge", "ability", "reinforcement")
    return {
        "stakeholder_id": pid,
        "initiative_id": 1,
        "assessed_on": day,
        **dict(zip(names, scores, strict=True)),
    }


def activity(ident: int, due: date, status: str, **extra: object) -> dict[str, object]:
    return {
        "id": ident,
        "initiative_id": 1,
        "title": f"Training {ident}",
        "type": "training_session",
        "element": "knowledge",
        "due": due,
        "status": status,
        **extra,
    }


@pytest.fixture
def rounds_ws(empty_ws):
    """Two people, no ties (W = I), λ = 0.5, three rounds three weeks apart; person 1 had a
    knowledge training between rounds 1 and 2."""
    with empty_ws.session() as s:
        s.execute(
            insert(T["initiative"]).values(
                id=1, organisation_id=1, name="Go-live", go_live=TODAY + timedelta(days=70)
            )
        )
        s.execute(insert(T["stakeholder"]), [person(1), person(2)])
        s.execute(
            insert(T["assessment"]),
            [
                assessment(1, R0, (1, 2, 2, 2, 2)),
                assessment(2, R0, (4, 4, 4, 4, 4)),
                assessment(1, R1, (2, 2, 2, 2, 2)),
                assessment(2, R1, (4, 4, 4, 4, 4)),
                assessment(1, R2, (3, 2, 2, 2, 2)),
                assessment(2, R2, (4, 4, 4, 4, 4)),
            ],
        )
        s.execute(
            insert(T["activity"]),
            [
                activity(1, R1 + timedelta(days=3), "done"),  # week 0 of the pair R1 → R2
                activity(2, R1 + timedelta(days=4), "planned"),  # not done: not in the test
                activity(3, R0 + timedelta(days=3), "done"),  # before R1: other pair
                activity(4, TODAY + timedelta(days=7), "planned"),  # the plan ahead
            ],
        )
        s.execute(
            insert(T["activity_audience"]),
            [{"activity_id": i, "stakeholder_id": 1, "department": None} for i in (1, 2, 3, 4)],
        )
    return empty_ws


def test_backtest_matches_a_hand_computed_case(rounds_ws) -> None:
    run = service.load_forecast(rounds_ws, 1, today=TODAY)
    bt = run.backtest
    assert bt is not None and len(run.round_pairs) == 2
    # Pair R1 → R2: 3 weeks, x(0) = R1. W = I, λ = 0.5: x(t+1) = 0.5·x(t) + 0.5·u(t+1).
    # Person 1's knowledge stance after week-0 training: 2 + 0.6·(5 − 2)/4 = 2.45;
    # x = 2.225, 2.3375, 2.39375. Observed R2: person 1 (3, 2, 2, 2, 2), person 2 unchanged.
    assert (bt.weeks, bt.people, bt.activities) == (3, 2, 1)
    assert bt.model == pytest.approx((0.5, 0.0, 0.39375 / 2, 0.0, 0.0))
    assert bt.no_change == pytest.approx((0.5, 0.0, 0.0, 0.0, 0.0))
    # last trend: person 1's awareness went 1 → 2 over 21 days, continued: 3 — exact
    assert bt.last_trend == pytest.approx((0.0,) * 5)
    assert bt.mae_model == pytest.approx((0.5 + 0.196875) / 5)
    assert bt.mae_no_change == pytest.approx(0.1)
    assert bt.mae_last_trend == pytest.approx(0.0)
    assert not bt.beats_no_change
    text = service.backtest_text(run)
    assert "does not beat “no change”" in text and "0.14" in text and "0.10" in text
    first = run.round_pairs[0]
    assert first.earlier is None and len(first.model.activities) == 1


def test_backtest_is_none_with_one_round(rounds_ws) -> None:
    with rounds_ws.session() as s:
        s.execute(T["assessment"].delete().where(T["assessment"].c.assessed_on != R2))
    run = service.load_forecast(rounds_ws, 1, today=TODAY)
    assert run.backtest is None and run.round_pairs == []
    assert "needs two readiness rounds" in service.backtest_text(run)
    with pytest.raises(ServiceError, match="two readiness rounds"):
        service.calibrate(run)


def test_with_and_without_plan_and_the_verdict(rounds_ws) -> None:
    run = service.load_forecast(rounds_ws, 1, today=TODAY)
    overall = service.overall_row(run)
    assert overall.without_plan is not None and overall.go_live > overall.without_plan
    # person 1's training ahead lifts only their knowledge; without the plan nothing moves
    assert overall.without_plan == pytest.approx(overall.today)
    text = service.verdict(run)
    assert text.startswith(
        f"With the plan, mean readiness {overall.today:.2f} → {overall.go_live:.2f} at go-live "
        f"({overall.without_plan:.2f} without it); ready needs 4.0"
    )
    assert "A stays below 3" not in text  # department A (2.2 and 4) stays above 3


def test_calibration_proposes_and_lowers_the_error(rounds_ws) -> None:
    run = service.load_forecast(rounds_ws, 1, today=TODAY)
    proposal = service.calibrate(run)
    assert set(proposal.values) == {"default_susceptibility", "effect.training_session"}
    assert 0.0 <= proposal.values["default_susceptibility"] <= 1.0
    assert -2.0 <= proposal.values["effect.training_session"] <= 2.0
    assert proposal.mae_after <= proposal.mae_before + 1e-9
    assert proposal.pairs == 2 and "mean error" in proposal.text
    # a proposal, not a write: the stored settings are untouched
    assert service.forecast_settings(rounds_ws) == service.settings_from({})


def test_training_everyone_in_week_zero_lifts_go_live_knowledge_on_the_sample(sample_ws) -> None:
    # The regression: +0.6 knowledge for everyone in week 0 used to add +0.0001.
    from cmio_desktop.enums import AdkarElement

    run = service.load_forecast(sample_ws, 1, today=date(2026, 11, 2))
    everyone = service.Boost("training", tuple(run.ids), AdkarElement.KNOWLEDGE, 0, 0.6)
    trained = service.what_if(run, boosts=[everyone])
    k = 2  # knowledge column
    lift = trained.go_live[:, k].mean() - run.result.go_live[:, k].mean()
    room = (0.6 * (5 - run.result.today[:, k]) / 4).mean()
    assert lift > 0.5 * room > 0.1  # most of every stance's gain reaches go-live
    overall = service.overall_row(run)
    assert overall.go_live > overall.without_plan  # the sample plan helps
