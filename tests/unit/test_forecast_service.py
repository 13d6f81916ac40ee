"""The forecast service matches the analysis on a tiny crafted workspace: inputs read from
the tables (latest scores, ties, plan audiences resolved to people, weeks from due dates),
parameters from workspace settings, what-if and champions."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import insert

from cmio_desktop import models as m
from cmio_desktop.analysis import champions, forecast
from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.analysis.forecast import ForecastSettings
from cmio_desktop.analysis.forecast_inputs import ActivityPlan, build_forecast_model
from cmio_desktop.commands import forecast as forecast_command
from cmio_desktop.enums import (
    ActivityType,
    AdkarElement,
    Attitude,
    StakeholderGroup,
)
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.readiness import forecast as service

TODAY = date(2026, 11, 2)
GO_LIVE = TODAY + timedelta(days=28)  # four weekly steps
T = m.Base.metadata.tables


def person(pid: int, dept: str, group: str = "frontline_clinician", attitude: str = "neutral"):
    return {
        "id": pid,
        "organisation_id": 1,
        "name": f"P{pid}",
        "role": "nurse",
        "stakeholder_group": group,
        "department": dept,
        "attitude": attitude,
    }


def assessment(pid: int, day: date, scores: tuple[int, ...]):
    return {
        "stakeholder_id": pid,
        "initiative_id": 1,
        "assessed_on": day,
        **dict(
            zip(
                ("awareness", "desire", "knowledge", "ability", "reinforcement"),
                scores,
                strict=True,
            )
        ),
    }


def audience(activity_id: int, **target: object) -> dict[str, object]:
    blank = {"stakeholder_id": None, "department": None, "stakeholder_group": None}
    return {"activity_id": activity_id, **blank, **target}


@pytest.fixture
def tiny(empty_ws):
    with empty_ws.session() as s:
        s.execute(
            insert(T["initiative"]).values(id=1, organisation_id=1, name="Go-live", go_live=GO_LIVE)
        )
        s.execute(insert(T["initiative"]).values(id=2, organisation_id=1, name="No date"))
        s.execute(
            insert(T["stakeholder"]),
            [
                person(1, "A", group="executive"),
                person(2, "A"),
                person(3, "A", attitude="resistant"),
                person(4, "B"),
                person(5, "B"),
            ],
        )
        s.execute(
            insert(T["relationship"]),
            [
                {"source_id": 1, "target_id": 2, "strength": 5},
                {"source_id": 1, "target_id": 3, "strength": 3},
                {"source_id": 2, "target_id": 3, "strength": 2},
                {"source_id": 4, "target_id": 5, "strength": 4},
                {"source_id": 3, "target_id": 4, "strength": 1},
            ],
        )
        s.execute(
            insert(T["assessment"]),
            [
                assessment(1, TODAY - timedelta(days=40), (1, 1, 1, 1, 1)),  # superseded
                assessment(1, TODAY - timedelta(days=3), (5, 4, 4, 3, 3)),
                assessment(2, TODAY - timedelta(days=3), (3, 2, 2, 2, 1)),
                assessment(3, TODAY - timedelta(days=3), (2, 1, 1, 1, 1)),
                assessment(4, TODAY - timedelta(days=3), (4, 4, 3, 3, 2)),
                # person 5 has no round: imputed from department B
            ],
        )
        activities = [
            (1, "Training", "training_session", "knowledge", TODAY + timedelta(days=8), "planned"),
            (2, "1:1", "one_to_one", "desire", TODAY + timedelta(days=15), "in_progress"),
            (3, "Cancelled", "town_hall", "awareness", TODAY + timedelta(days=1), "cancelled"),
            (
                4,
                "After go-live",
                "recognition",
                "reinforcement",
                GO_LIVE + timedelta(days=3),
                "planned",
            ),
            (5, "No element", "newsletter", None, TODAY + timedelta(days=2), "planned"),
        ]
        s.execute(
            insert(T["activity"]),
            [
                {
                    "id": i,
                    "initiative_id": 1,
                    "title": title,
                    "type": kind,
                    "element": element,
                    "due": due,
                    "status": status,
                }
                for i, title, kind, element, due, status in activities
            ],
        )
        s.execute(
            insert(T["activity_audience"]),
            [
                audience(1, department="A"),
                audience(1, stakeholder_id=4),
                audience(2, stakeholder_id=3),
                audience(3, department="B"),
                audience(4, stakeholder_group="frontline_clinician"),
                audience(5, department="A"),
            ],
        )
    return empty_ws


def expected_model(settings: ForecastSettings | None = None):
    scores = {
        1: AdkarScores(5, 4, 4, 3, 3),
        2: AdkarScores(3, 2, 2, 2, 1),
        3: AdkarScores(2, 1, 1, 1, 1),
        4: AdkarScores(4, 4, 3, 3, 2),
    }
    ties = [(1, 2, 5.0), (1, 3, 3.0), (2, 3, 2.0), (4, 5, 4.0), (3, 4, 1.0)]
    plans = [
        ActivityPlan(
            TODAY + timedelta(days=8),
            AdkarElement.KNOWLEDGE,
            (1, 2, 3, 4),
            ActivityType.TRAINING_SESSION,
        ),
        ActivityPlan(
            TODAY + timedelta(days=15), AdkarElement.DESIRE, (3,), ActivityType.ONE_TO_ONE
        ),
        ActivityPlan(
            GO_LIVE + timedelta(days=3),
            AdkarElement.REINFORCEMENT,
            (2, 3, 4, 5),
            ActivityType.RECOGNITION,
        ),
    ]
    return build_forecast_model(
        [1, 2, 3, 4, 5],
        ties,
        scores,
        TODAY,
        GO_LIVE,
        departments={1: "A", 2: "A", 3: "A", 4: "B", 5: "B"},
        groups={
            1: StakeholderGroup.EXECUTIVE,
            **dict.fromkeys((2, 3, 4, 5), StakeholderGroup.FRONTLINE_CLINICIAN),
        },
        attitudes={**dict.fromkeys((1, 2, 4, 5), Attitude.NEUTRAL), 3: Attitude.RESISTANT},
        activities=plans,
        settings=settings,
    )


def test_forecast_matches_the_analysis(tiny) -> None:
    run = service.load_forecast(tiny, 1, today=TODAY)
    model = expected_model()
    assert run.weeks == model.weeks == 4
    np.testing.assert_allclose(run.model.scores, model.scores)
    np.testing.assert_allclose(run.model.susceptibility, model.susceptibility)
    np.testing.assert_allclose(run.model.weights.toarray(), model.weights.toarray())
    assert run.model.activities == model.activities
    result = forecast.forecast(model)
    np.testing.assert_allclose(run.result.go_live, result.go_live)
    assert run.imputed_people == 1 and run.result.imputed[4].all()
    assert run.model.susceptibility.tolist() == [0.3, 0.5, 0.3, 0.5, 0.5]
    used = {a.activity_id: (a.audience, a.week, a.in_horizon, a.effect) for a in run.activities}
    assert used == {1: (4, 1, True, 0.6), 2: (1, 2, True, 0.3), 4: (4, 4, False, 0.3)}
    assert run.skipped_activities == 1  # the one without a targeted element

    rows = service.group_rows(run, run.labels["department"])
    by_group = result.by_group(["A", "A", "A", "B", "B"])
    assert {r.label: r.go_live for r in rows} == pytest.approx(
        {k: g.readiness_go_live for k, g in by_group.items()}
    )
    overall = service.overall_row(run)
    assert overall.go_live == pytest.approx(float(result.go_live.mean()))


def test_what_if_and_champions_match_the_analysis(tiny) -> None:
    run = service.load_forecast(tiny, 1, today=TODAY)
    model = expected_model()
    scenario = service.what_if(run, [3], [AdkarElement.DESIRE])
    expected = forecast.what_if(model, [2], [AdkarElement.DESIRE])
    np.testing.assert_allclose(scenario.go_live, expected.go_live)
    row = next(
        r for r in service.group_rows(run, run.labels["department"], scenario) if r.label == "A"
    )
    assert row.scenario is not None and row.scenario_change > 0

    boost = service.Boost("extra", (5,), AdkarElement.ABILITY, 0, 1.0)
    boosted = service.what_if(run, boosts=[boost])
    assert boosted.go_live[4, 3] > run.result.go_live[4, 3]

    picks = service.recommend(run, 2)
    reference = champions.recommend_champions(model, 2)
    assert [p.person_id for p in picks.picks] == [p.index + 1 for p in reference.picks]
    assert [p.gain for p in picks.picks] == pytest.approx([p.gain for p in reference.picks])
    assert picks.baseline == pytest.approx(reference.baseline_mean)
    with pytest.raises(ServiceError):
        service.recommend(run, 0)


def test_parameters_are_stored_validated_and_used(tiny) -> None:
    assert service.forecast_settings(tiny) == service.settings_from({})
    old = service.save_forecast_parameters(
        tiny, {"self_weight": 2, "effect.training_session": "0.9", "executive_susceptibility": 0.1}
    ).value
    assert old == dict.fromkeys(
        ("self_weight", "effect.training_session", "executive_susceptibility")
    )
    settings = service.forecast_settings(tiny)
    assert settings.self_weight == 2.0
    assert settings.effect_sizes[ActivityType.TRAINING_SESSION] == 0.9
    assert settings.group_susceptibility[StakeholderGroup.EXECUTIVE] == 0.1
    assert service.parameter_values(settings)["self_weight"] == 2.0
    run = service.load_forecast(tiny, 1, today=TODAY)
    model = expected_model(settings)
    np.testing.assert_allclose(run.result.go_live, forecast.forecast(model, settings).go_live)
    for bad in (
        {"self_weight": -1},
        {"default_susceptibility": 1.5},
        {"nope": 1},
        {"effect.demo": "lots"},
    ):
        with pytest.raises(ServiceError):
            service.save_forecast_parameters(tiny, bad)
    service.save_forecast_parameters(tiny, old)
    assert service.forecast_settings(tiny) == service.settings_from({})


def test_refusals(tiny) -> None:
    with pytest.raises(ServiceError, match="go-live date"):
        service.load_forecast(tiny, 2, today=TODAY)
    with pytest.raises(NotFoundError):
        service.load_forecast(tiny, 9, today=TODAY)
    past = service.load_forecast(tiny, 1, today=GO_LIVE + timedelta(days=30))
    assert past.weeks == 0
    np.testing.assert_allclose(past.result.go_live, past.result.today)


def test_summary_dict_is_plain_json(tiny) -> None:
    import json

    run = service.load_forecast(tiny, 1, today=TODAY)
    summary = forecast_command.summary(run, "group", service.recommend(run, 1))
    text = json.dumps(summary)
    assert json.loads(text)["groups"][0]["group"] in {"Executive", "Frontline clinician"}
    assert summary["win_over"][0]["rank"] == 1 and summary["win_over"][0]["gain"] > 0
    assert summary["champions"] == []  # ready supporters: a different list, not the recommender
