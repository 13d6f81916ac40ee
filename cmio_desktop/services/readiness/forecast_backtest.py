"""The forecast's observed round pairs, for the back-test and the calibration
(``analysis.forecast_backtest``).

Rounds are the readiness page's rounds (``readiness_overview.split_rounds``). For the pair
(k−1, k): x(0) is each person's latest score up to the end of round k−1 (department mean
where there is none, flagged as imputed), the horizon runs from the first day of round k−1
to the first day of round k, b(t) holds the activities marked *done* whose due date (else
start) falls in that span, and the observation is each person's latest score within round k.
W and λ are today's (ties and attitudes are not versioned).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np

from cmio_desktop.analysis import adkar
from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    PlannedActivity,
    impute_scores,
    susceptibilities,
)
from cmio_desktop.analysis.forecast_backtest import RoundPair
from cmio_desktop.analysis.forecast_inputs import week_index, weeks_until
from cmio_desktop.services.readiness.assessments import load_assessments
from cmio_desktop.services.readiness.forecast_plan import DONE_STATUSES, activity_rows, resolve_plan
from cmio_desktop.services.readiness.overview import split_rounds


def _matrix(assessments: Sequence[adkar.Assessment], index: dict[int, int], n: int) -> np.ndarray:
    """Each person's latest scores among ``assessments`` as an n×5 matrix (NaN: none)."""
    out = np.full((n, len(ELEMENTS)), np.nan)
    for pid, pr in adkar.latest_per_person(assessments).items():
        row = index.get(int(pid))  # type: ignore[call-overload]
        if row is not None:
            out[row] = pr.scores.as_tuple()
    return out


def round_pairs(
    session: Any,
    initiative_id: int,
    model: ForecastModel,
    ids: Sequence[int],
    people: Sequence[Any],
    departments: Sequence[str | None],
    groups: Sequence[Any],
    attitudes: Sequence[Any],
    settings: ForecastSettings,
) -> list[RoundPair]:
    """Every consecutive pair of observed rounds, oldest first (empty with fewer than two).
    ``model`` is today's forecast model (its W and λ are reused); ``people`` the rows
    ``resolve_plan`` expects (id, name, department, group…)."""
    assessments = load_assessments(session, initiative_id)
    rounds, _ = split_rounds(assessments)
    if len(rounds) < 2:
        return []
    done = activity_rows(session, initiative_id, DONE_STATUSES)
    index = {int(pid): i for i, pid in enumerate(ids)}
    n = len(ids)
    caps = susceptibilities(
        list(groups), list(attitudes), replace(settings, default_susceptibility=np.inf)
    )
    pairs = []
    for k in range(1, len(rounds)):
        before, after = rounds[k - 1], rounds[k]
        raw = _matrix([a for a in assessments if a.taken_on <= before.end], index, n)
        x0, imputed = impute_scores(raw, list(departments), settings.fallback_score)
        observed = _matrix(
            [a for a in assessments if after.start <= a.taken_on <= after.end], index, n
        )
        earlier, ratio = None, 1.0
        if k >= 2:
            oldest = rounds[k - 2]
            earlier = _matrix([a for a in assessments if a.taken_on <= oldest.end], index, n)
            ratio = _days(before.start, after.start) / max(1, _days(oldest.start, before.start))
        plans, _, _ = resolve_plan(done, people, before.start, after.start, settings)
        in_span = [p for p in plans if before.start <= p.due < after.start]
        activities = tuple(
            PlannedActivity(
                week_index(before.start, p.due),
                p.element,
                tuple(index[i] for i in p.audience if i in index),
                float(settings.effect_sizes.get(p.activity_type, 0.0)),
            )
            for p in in_span
        )
        pair_model = replace(
            model,
            scores=x0,
            stances=None,
            imputed=imputed,
            weeks=weeks_until(before.start, after.start),
            activities=activities,
        )
        pairs.append(
            RoundPair(
                label=f"{before.label} → {after.label}",
                model=pair_model,
                types=tuple(p.activity_type for p in in_span),
                observed=observed,
                earlier=earlier,
                trend_ratio=ratio,
                lambda_caps=caps,
            )
        )
    return pairs


def _days(first: date, second: date) -> int:
    return (second - first).days
