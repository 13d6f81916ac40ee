"""Assemble a :class:`~cmio_desktop.analysis.forecast.ForecastModel` from people, ties,
latest scores, planned activities and dates (plain data keyed by person id)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    PlannedActivity,
    impute_scores,
    influence_weights,
    susceptibilities,
)
from cmio_desktop.analysis.network import ties_to_arrays
from cmio_desktop.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup


@dataclass(frozen=True)
class ActivityPlan:
    """A planned activity by person id and date; ``effect`` overrides the type's default."""

    due: date
    element: AdkarElement
    audience: tuple[Hashable, ...]
    activity_type: ActivityType
    effect: float | None = None


def weeks_until(today: date, go_live: date) -> int:
    """Forecast horizon T: whole or part weeks from today to go-live (0 if past)."""
    return max(0, math.ceil((go_live - today).days / 7))


def week_index(today: date, day: date) -> int:
    """The forecast week (0 = the seven days from today) a date falls in."""
    return (day - today).days // 7


def build_forecast_model(
    node_ids: Sequence[Hashable],
    ties: Iterable[tuple[Hashable, Hashable, float]],
    scores: Mapping[Hashable, AdkarScores],
    today: date,
    go_live: date,
    departments: Mapping[Hashable, str | None] | None = None,
    groups: Mapping[Hashable, StakeholderGroup | None] | None = None,
    attitudes: Mapping[Hashable, Attitude | None] | None = None,
    activities: Iterable[ActivityPlan] = (),
    settings: ForecastSettings | None = None,
) -> ForecastModel:
    """Model inputs in ``node_ids`` order. People missing from ``scores`` are imputed from
    their department (flagged in ``model.imputed``); audience ids not in ``node_ids`` are
    skipped; activities outside today…go-live fall outside the horizon."""
    s = settings or ForecastSettings()
    n = len(node_ids)
    index = {node: i for i, node in enumerate(node_ids)}
    src, tgt, strength = ties_to_arrays(node_ids, ties)
    raw = np.full((n, len(ELEMENTS)), np.nan)
    for node, sc in scores.items():
        if node in index:
            raw[index[node]] = sc.as_tuple()
    departments, groups, attitudes = departments or {}, groups or {}, attitudes or {}
    x0, imputed = impute_scores(raw, [departments.get(p) for p in node_ids], s.fallback_score)
    lam = susceptibilities(
        [groups.get(p) for p in node_ids], [attitudes.get(p) for p in node_ids], s
    )
    planned = []
    for act in activities:
        effect = act.effect if act.effect is not None else s.effect_sizes.get(act.activity_type, 0)
        audience = tuple(index[p] for p in act.audience if p in index)
        planned.append(PlannedActivity(week_index(today, act.due), act.element, audience, effect))
    return ForecastModel(
        weights=influence_weights(n, src, tgt, strength, s.self_weight),
        scores=x0,
        susceptibility=lam,
        weeks=weeks_until(today, go_live),
        activities=tuple(planned),
        imputed=imputed,
    )
