from datetime import date, timedelta

import numpy as np
import pytest

from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.analysis.forecast import ELEMENTS, forecast
from cmio_desktop.analysis.forecast_inputs import (
    ActivityPlan,
    build_forecast_model,
    week_index,
    weeks_until,
)
from cmio_desktop.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup

TODAY = date(2026, 1, 5)


def test_weeks_until_and_week_index():
    assert weeks_until(TODAY, TODAY + timedelta(days=14)) == 2
    assert weeks_until(TODAY, TODAY + timedelta(days=10)) == 2  # a part week is a step
    assert weeks_until(TODAY, TODAY - timedelta(days=3)) == 0
    assert week_index(TODAY, TODAY + timedelta(days=6)) == 0
    assert week_index(TODAY, TODAY + timedelta(days=7)) == 1
    assert week_index(TODAY, TODAY - timedelta(days=1)) == -1


def test_build_model_by_person_id():
    people = ["boss", "nurse", "new"]
    model = build_forecast_model(
        people,
        [("boss", "nurse", 4), ("boss", "new", 2)],
        {"boss": AdkarScores(5, 5, 5, 5, 5), "nurse": AdkarScores(1, 2, 3, 4, 5)},
        TODAY,
        TODAY + timedelta(weeks=4),
        departments={"boss": "ED", "nurse": "ED", "new": "ED"},
        groups={"boss": StakeholderGroup.EXECUTIVE},
        attitudes={"nurse": Attitude.RESISTANT},
        activities=[
            ActivityPlan(
                TODAY + timedelta(days=8),
                AdkarElement.KNOWLEDGE,
                ("nurse", "ghost"),
                ActivityType.TRAINING_SESSION,
            )
        ],
    )
    assert model.weeks == 4 and model.n == 3
    # "new" has no round: the ED mean per element, (5 + 1)/2, (5 + 2)/2, … flagged imputed
    assert model.scores[2] == pytest.approx([3, 3.5, 4, 4.5, 5])
    assert model.imputed[2].all() and not model.imputed[:2].any()
    assert model.susceptibility == pytest.approx([0.3, 0.3, 0.5])
    (act,) = model.activities
    assert (act.week, act.audience, act.effect) == (1, (1,), pytest.approx(0.6))
    # row "nurse" of W: boss 4 + self 1
    assert model.weights.toarray()[1] == pytest.approx([4 / 5, 1 / 5, 0])
    result = forecast(model)
    assert result.go_live.shape == (3, len(ELEMENTS))
    assert np.all(result.go_live[1] >= result.today[1] - 1e-12)
