"""Readiness forecast to go-live: Friedkin–Johnsen opinion dynamics, one step per week.

For each ADKAR element (the five are the columns of one n×5 matrix)::

    x(t+1) = clip(Λ · W · x(t) + (I − Λ) · x(0) + b(t), 1, 5),   t = 0 … T−1

* W is row-stochastic: row j holds the people who influence j (ties i → j) weighted by tie
  strength, plus a self-weight w₀ (``self_weight``, default 1 tie-equivalent); people with no
  influencers and w₀ = 0 keep W_jj = 1.
* Λ = diag(λ), λ from :func:`susceptibilities` (default 0.5; executives and resisters lower).
* b(t) adds each activity due in week t (0 = this week) to its audience's targeted element.
  Activities before week 0 or at/after week T (go-live) are outside the horizon and ignored.
* x(0) is today's scores; missing scores take the department mean (:func:`impute_scores`).

Winning someone over (:func:`win_over`) anchors x_j(0) at 5 on the chosen elements and lowers
λ_j to ``champion_susceptibility`` (0.2; a lower λ_j is kept) *on those elements only*: λ may
be per person (n) or per person and element (n×5). So a person won over on desire alone stays
as susceptible as before on the other elements, and winning someone over never lowers anyone's
forecast (the update is monotone in anchors and, below an anchor of 5, in 1 − λ). The champion
recommender is in ``champions.py``.

Measured (2 shared cores, T = 26 weeks, five elements at once): one forecast takes 0.01 s at
10,000 people / 100,000 ties and 0.11–0.17 s at 100,000 people / 1,000,000 ties; building W,
imputing and λ take 0.02 s and 0.2–0.35 s.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from cmio_desktop.analysis.graph_engine import dedupe_directed
from cmio_desktop.models.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup

if TYPE_CHECKING:
    import scipy.sparse as sp

ELEMENTS: tuple[AdkarElement, ...] = tuple(AdkarElement)
ELEMENT_COLUMN = {e: i for i, e in enumerate(ELEMENTS)}

DEFAULT_EFFECT_SIZES: Mapping[ActivityType, float] = MappingProxyType(
    {
        ActivityType.TRAINING_SESSION: 0.6,
        ActivityType.AT_THE_ELBOW: 0.5,
        ActivityType.SPONSOR_ONE_TO_ONE: 0.4,
        ActivityType.PRACTICE_SESSION: 0.4,
        ActivityType.ONE_TO_ONE: 0.3,
        ActivityType.DEMO: 0.3,
        ActivityType.SUPER_USER_HUDDLE: 0.3,
        ActivityType.BRIEFING: 0.3,
        ActivityType.RECOGNITION: 0.3,
        ActivityType.FEEDBACK_SESSION: 0.3,
        ActivityType.TOWN_HALL: 0.2,
        ActivityType.GOVERNANCE_MEETING: 0.2,
        ActivityType.NEWSLETTER: 0.1,
    }
)


@dataclass(frozen=True)
class ForecastSettings:
    """Every forecast parameter with its ``MODELS.md`` default. When a person matches both a
    group and an attitude override, the lower susceptibility applies.
    ``champion_susceptibility=None`` leaves λ unchanged when someone is won over."""

    self_weight: float = 1.0
    default_susceptibility: float = 0.5
    group_susceptibility: Mapping[StakeholderGroup, float] = field(
        default_factory=lambda: MappingProxyType({StakeholderGroup.EXECUTIVE: 0.3})
    )
    attitude_susceptibility: Mapping[Attitude, float] = field(
        default_factory=lambda: MappingProxyType({Attitude.RESISTANT: 0.3})
    )
    champion_susceptibility: float | None = 0.2
    champion_score: float = 5.0
    effect_sizes: Mapping[ActivityType, float] = field(default_factory=lambda: DEFAULT_EFFECT_SIZES)
    score_min: float = 1.0
    score_max: float = 5.0
    fallback_score: float = 3.0
    recommender_exact_pool: int = 10


@dataclass(frozen=True)
class PlannedActivity:
    """An activity due in ``week`` (0 = this week), adding ``effect`` to ``element`` for each
    person index in ``audience``."""

    week: int
    element: AdkarElement
    audience: tuple[int, ...]
    effect: float


def planned_activity(
    week: int,
    element: AdkarElement,
    audience: Sequence[int],
    activity_type: ActivityType,
    settings: ForecastSettings | None = None,
) -> PlannedActivity:
    """A :class:`PlannedActivity` with the default effect size for its type."""
    effect = (settings or ForecastSettings()).effect_sizes.get(activity_type, 0.0)
    return PlannedActivity(week, element, tuple(audience), effect)


def susceptibilities(
    groups: Sequence[StakeholderGroup | None],
    attitudes: Sequence[Attitude | None],
    settings: ForecastSettings | None = None,
) -> np.ndarray:
    """λ per person: the default, lowered by any matching group or attitude override."""
    s = settings or ForecastSettings()
    if len(groups) != len(attitudes):
        raise ValueError("groups and attitudes must have one entry per person")
    lam = np.full(len(groups), s.default_susceptibility)
    for i, (group, attitude) in enumerate(zip(groups, attitudes, strict=True)):
        options = [lam[i]]
        if group in s.group_susceptibility:
            options.append(s.group_susceptibility[group])
        if attitude in s.attitude_susceptibility:
            options.append(s.attitude_susceptibility[attitude])
        lam[i] = min(options)
    return lam


def influence_weights(
    n: int, src: np.ndarray, tgt: np.ndarray, strength: np.ndarray, self_weight: float = 1.0
) -> sp.csr_matrix:
    """Row-stochastic W: row j = (strengths of ties i → j, plus ``self_weight`` at j) / sum."""
    import scipy.sparse as sp

    src, tgt, strength = dedupe_directed(
        n, np.asarray(src, np.int64), np.asarray(tgt, np.int64), np.asarray(strength, float)
    )
    diag = np.full(n, float(self_weight))
    incoming = np.bincount(tgt, weights=strength, minlength=n)
    diag[(incoming + diag) == 0] = 1.0  # no influencers and no self-weight: W_jj = 1
    rows = np.concatenate([tgt, np.arange(n)])
    cols = np.concatenate([src, np.arange(n)])
    vals = np.concatenate([strength, diag])
    scale = 1.0 / (incoming + diag)
    return sp.csr_matrix((vals * scale[rows], (rows, cols)), shape=(n, n))


def impute_scores(
    scores: np.ndarray, departments: Sequence[Hashable | None], fallback: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing (NaN) scores with the department's mean for that element; without a
    department (or nobody scored in it) the whole population's mean; ``fallback`` if nobody
    is scored. Returns the filled n×5 matrix and the mask of imputed cells."""
    x = np.array(scores, dtype=float, copy=True)
    missing = np.isnan(x)
    if not missing.any():
        return x, missing
    codes: dict[Hashable, int] = {}
    dept = np.array([-1 if d is None else codes.setdefault(d, len(codes)) for d in departments])
    known = ~missing
    overall_count = known.sum(axis=0)
    overall = np.where(
        overall_count > 0,
        np.nansum(x, axis=0) / np.maximum(overall_count, 1),
        fallback,
    )
    fill = np.tile(overall, (x.shape[0], 1))
    if codes:
        has = dept >= 0
        k = len(codes)
        for col in range(x.shape[1]):
            ok = has & known[:, col]
            total = np.bincount(dept[ok], weights=x[ok, col], minlength=k)
            count = np.bincount(dept[ok], minlength=k)
            means = np.divide(total, count, out=np.full(k, overall[col]), where=count > 0)
            fill[has, col] = means[dept[has]]
    x[missing] = fill[missing]
    return x, missing


@dataclass(frozen=True, eq=False)
class ForecastModel:
    """Prepared forecast inputs: W (n×n), x(0) (n×5), λ (n or n×5), horizon T and b(t)."""

    weights: sp.csr_matrix
    scores: np.ndarray
    susceptibility: np.ndarray
    weeks: int
    activities: tuple[PlannedActivity, ...] = ()
    imputed: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.scores.shape[0]

    def lam(self) -> np.ndarray:
        """λ as an n×5 matrix."""
        lam = np.asarray(self.susceptibility, dtype=float)
        return np.broadcast_to(lam[:, None] if lam.ndim == 1 else lam, self.scores.shape)

    def drive(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """b(t) per week as (flat cell index, summed effect) pairs into the n×5 matrix."""
        cells: list[list[np.ndarray]] = [[] for _ in range(self.weeks)]
        effects: list[list[np.ndarray]] = [[] for _ in range(self.weeks)]
        for act in self.activities:
            if 0 <= act.week < self.weeks and act.audience:
                people = np.asarray(act.audience, dtype=np.int64)
                if people.min() < 0 or people.max() >= self.n:
                    raise ValueError(f"activity audience outside 0..{self.n - 1}")
                cells[act.week].append(people * len(ELEMENTS) + ELEMENT_COLUMN[act.element])
                effects[act.week].append(np.full(people.size, act.effect))
        schedule = []
        for week_cells, week_effects in zip(cells, effects, strict=True):
            if not week_cells:
                schedule.append((np.zeros(0, np.int64), np.zeros(0)))
                continue
            flat, inverse = np.unique(np.concatenate(week_cells), return_inverse=True)
            schedule.append((flat, np.bincount(inverse, weights=np.concatenate(week_effects))))
        return schedule


def simulate(
    model: ForecastModel,
    settings: ForecastSettings | None = None,
    drive: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> np.ndarray:
    """x(T) as an n×5 matrix (x(0) when T = 0)."""
    s = settings or ForecastSettings()
    drive = model.drive() if drive is None else drive
    lam = model.lam()
    anchor = (1.0 - lam) * model.scores
    x = model.scores.copy()
    for t in range(model.weeks):
        x = lam * (model.weights @ x) + anchor
        cells, effect = drive[t]
        if cells.size:
            x.reshape(-1)[cells] += effect
        np.clip(x, s.score_min, s.score_max, out=x)
    return x


@dataclass(frozen=True, eq=False)
class GroupForecast:
    group: Hashable
    people: int
    today: np.ndarray  # mean per element, A→R
    go_live: np.ndarray
    readiness_today: float
    readiness_go_live: float


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """Per person today (x(0), imputed cells flagged) and at go-live (x(T)), per element."""

    today: np.ndarray
    go_live: np.ndarray
    imputed: np.ndarray
    weeks: int

    @property
    def readiness_today(self) -> np.ndarray:
        return self.today.mean(axis=1)

    @property
    def readiness_go_live(self) -> np.ndarray:
        return self.go_live.mean(axis=1)

    @property
    def mean_today(self) -> float:
        return float(self.today.mean()) if self.today.size else float("nan")

    @property
    def mean_go_live(self) -> float:
        return float(self.go_live.mean()) if self.go_live.size else float("nan")

    def by_group(self, labels: Sequence[Hashable]) -> dict[Hashable, GroupForecast]:
        """Today vs go-live means per group; ``labels`` has one group label per person."""
        result: dict[Hashable, GroupForecast] = {}
        index: dict[Hashable, list[int]] = {}
        for i, label in enumerate(labels):
            index.setdefault(label, []).append(i)
        for label, people in index.items():
            today, later = self.today[people].mean(axis=0), self.go_live[people].mean(axis=0)
            result[label] = GroupForecast(
                label, len(people), today, later, float(today.mean()), float(later.mean())
            )
        return result


def forecast(model: ForecastModel, settings: ForecastSettings | None = None) -> ForecastResult:
    """Run the model to go-live."""
    imputed = model.imputed if model.imputed is not None else np.zeros(model.scores.shape, bool)
    return ForecastResult(model.scores, simulate(model, settings), imputed, model.weeks)


def win_over(
    model: ForecastModel,
    people: Collection[int],
    elements: Collection[AdkarElement] = ELEMENTS,
    settings: ForecastSettings | None = None,
) -> ForecastModel:
    """The model with ``people`` won over: anchors at ``champion_score`` on ``elements`` and
    λ on those elements lowered to ``champion_susceptibility`` (never raised; unchanged when
    ``None``)."""
    s = settings or ForecastSettings()
    idx = np.asarray(sorted(people), dtype=np.int64)
    scores = model.scores.copy()
    lam = model.susceptibility
    if idx.size:
        cols = np.asarray(sorted(ELEMENT_COLUMN[e] for e in elements), dtype=np.int64)
        scores[np.ix_(idx, cols)] = s.champion_score
        if s.champion_susceptibility is not None:
            lam = model.lam().copy()
            cells = np.ix_(idx, cols)
            lam[cells] = np.minimum(lam[cells], s.champion_susceptibility)
    return replace(model, scores=scores, susceptibility=lam)


def what_if(
    model: ForecastModel,
    people: Collection[int],
    elements: Collection[AdkarElement] = ELEMENTS,
    settings: ForecastSettings | None = None,
) -> ForecastResult:
    """Forecast after winning over ``people`` ("win over these three — what changes?").
    Its ``today`` is the scenario's x(0) (won-over anchors at 5): compare its ``go_live`` with
    the base forecast's."""
    return forecast(win_over(model, people, elements, settings), settings)
