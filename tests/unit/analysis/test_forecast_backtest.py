import numpy as np
import pytest

from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    PlannedActivity,
    influence_weights,
    simulate,
)
from cmio_desktop.analysis.forecast_backtest import RoundPair, backtest, calibrate, last_trend
from cmio_desktop.enums import ActivityType, AdkarElement

K = ELEMENTS.index(AdkarElement.KNOWLEDGE)


def pair_with_true_effect(effect: float, lam: float = 0.5) -> RoundPair:
    """Observed round k = the model run with ``effect`` for a week-0 training of everyone."""
    rng = np.random.default_rng(11)
    n = 60
    src, tgt = rng.integers(0, n, 150), rng.integers(0, n, 150)
    weights = influence_weights(n, src, tgt, rng.integers(1, 6, 150).astype(float))
    scores = rng.integers(1, 5, (n, len(ELEMENTS))).astype(float)
    training = PlannedActivity(0, AdkarElement.KNOWLEDGE, tuple(range(n)), 0.6)
    model = ForecastModel(
        weights, scores, np.full(n, 0.5), 4, (training,), np.zeros_like(scores, bool)
    )
    truth = ForecastModel(
        weights,
        scores,
        np.full(n, lam),
        4,
        (PlannedActivity(0, AdkarElement.KNOWLEDGE, training.audience, effect),),
    )
    observed = simulate(truth)
    return RoundPair("r1 → r2", model, (ActivityType.TRAINING_SESSION,), observed)


def test_last_trend_continues_each_persons_change():
    scores = np.array([[3.0, 4.0], [2.0, 5.0]])
    earlier = np.array([[2.0, np.nan], [3.0, 4.0]])
    assert last_trend(scores, earlier, 2.0) == pytest.approx(np.array([[5.0, 4.0], [1.0, 5.0]]))


def test_backtest_of_a_perfect_model_has_zero_error():
    pair = pair_with_true_effect(0.6)
    result = backtest(pair)
    assert result.model == pytest.approx((0.0,) * 5, abs=1e-12)
    assert result.mae_no_change > 0 and result.beats_no_change
    assert result.last_trend is None and result.mae_last_trend is None
    assert result.people == 60 and result.activities == 1


def test_calibration_moves_toward_the_truth_and_lowers_the_error():
    pair = pair_with_true_effect(1.4)
    fitted = calibrate([pair], ForecastSettings())
    assert fitted is not None
    effect = fitted.effect_sizes[ActivityType.TRAINING_SESSION]
    assert 0.6 < effect <= 1.4 + 1e-6  # regularised toward the default 0.6
    assert fitted.mae_after < fitted.mae_before
    assert 0.0 <= fitted.susceptibility <= 1.0
    # with nothing to compare there is nothing to fit
    empty = RoundPair("x", pair.model, pair.types, np.full_like(pair.observed, np.nan))
    assert calibrate([empty], ForecastSettings()) is None
