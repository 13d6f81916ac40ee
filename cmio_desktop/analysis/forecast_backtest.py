"""Back-test and calibration of the forecast on observed readiness rounds (``MODELS.md``,
"Forecast": back-test and calibration).

**Back-test** (refit nothing): run the model from round k−1 — its scores as x(0), the
activities done between the two rounds as b(t) — for the weeks up to round k, and compare
x(T) with the scores observed in round k. Mean absolute error per element, over the people
scored in round k who had a real (not imputed) score at round k−1, next to two naive
forecasts: "no change" (round k = round k−1) and "last trend" (each person's change from
round k−2 to k−1 continued for the same share of time, kept within 1–5; a person without an
earlier score keeps their score). Without a round k−2 there is no last-trend figure.

**Calibration** (optional): the default λ and the effect size of each activity type seen
between rounds, fitted by bounded least squares on every observed round pair
(``scipy.optimize.least_squares``), starting from the current values and regularised toward
the defaults (``prior``) so that a type seen once does not swing to a bound. The result is a
proposal; nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    simulate,
)
from cmio_desktop.enums import ActivityType


@dataclass(frozen=True, eq=False)
class RoundPair:
    """One observed round pair, ready to run: ``model`` starts at round k−1 (its activities
    are those done in between, ``types`` their activity types), ``observed`` is round k
    (n×5, NaN where not scored), ``earlier`` round k−2 (n×5 NaN-padded, or None) and
    ``trend_ratio`` the gap k−1→k over the gap k−2→k−1 (days)."""

    label: str
    model: ForecastModel
    types: tuple[ActivityType, ...]
    observed: np.ndarray
    earlier: np.ndarray | None = None
    trend_ratio: float = 1.0
    lambda_caps: np.ndarray | None = None  # group/attitude λ overrides per person, inf = none

    def evaluated(self) -> np.ndarray:
        """People scored in round k with a real score at round k−1."""
        imputed = self.model.imputed
        real = ~imputed.any(axis=1) if imputed is not None else np.ones(self.model.n, bool)
        return real & ~np.isnan(self.observed).any(axis=1)


@dataclass(frozen=True)
class BacktestErrors:
    """Mean absolute error per element (A→R) of the model and the two naive forecasts."""

    label: str
    weeks: int
    people: int
    activities: int
    model: tuple[float, ...]
    no_change: tuple[float, ...]
    last_trend: tuple[float, ...] | None

    @property
    def mae_model(self) -> float:
        return float(np.mean(self.model))

    @property
    def mae_no_change(self) -> float:
        return float(np.mean(self.no_change))

    @property
    def mae_last_trend(self) -> float | None:
        return None if self.last_trend is None else float(np.mean(self.last_trend))

    @property
    def beats_no_change(self) -> bool:
        return self.mae_model < self.mae_no_change


def _mae(predicted: np.ndarray, observed: np.ndarray, rows: np.ndarray) -> tuple[float, ...]:
    if not rows.any():
        return tuple(float("nan") for _ in ELEMENTS)
    return tuple(float(v) for v in np.abs(predicted[rows] - observed[rows]).mean(axis=0))


def last_trend(
    scores: np.ndarray, earlier: np.ndarray, ratio: float, lo: float = 1.0, hi: float = 5.0
) -> np.ndarray:
    """Each person's change since ``earlier`` continued for ``ratio`` of that time, within
    lo…hi; where ``earlier`` is NaN, no change."""
    change = np.where(np.isnan(earlier), 0.0, scores - np.nan_to_num(earlier))
    return np.clip(scores + change * ratio, lo, hi)


def backtest(pair: RoundPair, settings: ForecastSettings | None = None) -> BacktestErrors:
    """The model's and the naive forecasts' errors on one round pair."""
    s = settings or ForecastSettings()
    rows = pair.evaluated()
    model = pair.model
    predicted = simulate(model, s)
    trend = None
    if pair.earlier is not None:
        guess = last_trend(model.scores, pair.earlier, pair.trend_ratio, s.score_min, s.score_max)
        trend = _mae(guess, pair.observed, rows)
    return BacktestErrors(
        label=pair.label,
        weeks=model.weeks,
        people=int(rows.sum()),
        activities=sum(1 for a in model.activities if 0 <= a.week < model.weeks and a.audience),
        model=_mae(predicted, pair.observed, rows),
        no_change=_mae(model.scores, pair.observed, rows),
        last_trend=trend,
    )


# -- calibration ----------------------------------------------------------------------------------

LAMBDA_BOUNDS = (0.0, 1.0)
EFFECT_BOUNDS = (-2.0, 2.0)
REGULARISATION = 0.05  # weight of (θ − θ₀)² against the mean squared error per score


@dataclass(frozen=True)
class Calibration:
    """A fitted proposal: default λ and effect sizes, with the mean absolute error over all
    round pairs before (current settings) and after (fitted)."""

    susceptibility: float
    effect_sizes: Mapping[ActivityType, float]  # only the types seen between rounds
    mae_before: float
    mae_after: float
    pairs: int
    scores: int  # scored cells compared


def _with(pair: RoundPair, lam: float, effects: Mapping[ActivityType, float]) -> ForecastModel:
    caps = pair.lambda_caps
    lam_vec = np.full(pair.model.n, lam) if caps is None else np.minimum(caps, lam)
    acts = tuple(
        replace(a, effect=effects.get(t, a.effect))
        for a, t in zip(pair.model.activities, pair.types, strict=True)
    )
    return replace(pair.model, susceptibility=lam_vec, activities=acts)


def _errors(
    pairs: Sequence[RoundPair],
    lam: float,
    effects: Mapping[ActivityType, float],
    settings: ForecastSettings,
) -> np.ndarray:
    parts = []
    for pair in pairs:
        rows = pair.evaluated()
        if rows.any():
            predicted = simulate(_with(pair, lam, effects), settings)
            parts.append((predicted[rows] - pair.observed[rows]).reshape(-1))
    return np.concatenate(parts) if parts else np.zeros(0)


def calibrate(
    pairs: Sequence[RoundPair],
    settings: ForecastSettings,
    prior: ForecastSettings | None = None,
) -> Calibration | None:
    """Fit λ and the effect sizes of the activity types seen in ``pairs``, from ``settings``
    toward ``prior`` (default: the ``MODELS.md`` defaults); None when no pair has anyone to
    compare."""
    from scipy.optimize import least_squares

    prior = prior or ForecastSettings()
    types = sorted({t for p in pairs for t in p.types}, key=lambda t: t.value)
    start = np.array(
        [settings.default_susceptibility, *(settings.effect_sizes.get(t, 0.0) for t in types)]
    )
    target = np.array(
        [prior.default_susceptibility, *(prior.effect_sizes.get(t, 0.0) for t in types)]
    )
    current = dict(zip(types, start[1:].tolist(), strict=True))
    before = _errors(pairs, float(start[0]), current, settings)
    if before.size == 0:
        return None
    weight = np.sqrt(REGULARISATION * before.size)

    def residuals(theta: np.ndarray) -> np.ndarray:
        effects = dict(zip(types, theta[1:].tolist(), strict=True))
        fit = _errors(pairs, float(theta[0]), effects, settings)
        return np.concatenate([fit, weight * (theta - target)])

    lower = [LAMBDA_BOUNDS[0]] + [EFFECT_BOUNDS[0]] * len(types)
    upper = [LAMBDA_BOUNDS[1]] + [EFFECT_BOUNDS[1]] * len(types)
    x0 = np.clip(start, lower, upper)
    fitted = least_squares(residuals, x0, bounds=(lower, upper), diff_step=1e-3).x
    effects = {t: round(float(v), 3) for t, v in zip(types, fitted[1:], strict=True)}
    lam = round(float(fitted[0]), 3)
    after = _errors(pairs, lam, effects, settings)
    return Calibration(
        susceptibility=lam,
        effect_sizes=effects,
        mae_before=float(np.abs(before).mean()),
        mae_after=float(np.abs(after).mean()),
        pairs=sum(1 for p in pairs if p.evaluated().any()),
        scores=int(before.size),
    )
