"""Readiness forecast to go-live: Friedkin–Johnsen opinion dynamics with durable activity
effects, one step per week (``MODELS.md``, "Forecast").

For each ADKAR element (the five are the columns of one n×5 matrix), with x(0) today's scores
and u(0) = x(0) each person's own stance::

    u(t+1) = clip(u(t) + b(t) · room(u(t)), 1, 5)   # an activity moves its audience's stance
    x(t+1) = Λ · W · x(t) + (I − Λ) · u(t+1)         # peers pull; the own stance anchors

* W is row-stochastic: row j holds the people who influence j (ties i → j) weighted by tie
  strength, plus a self-weight w₀ (``self_weight``, default 1 tie-equivalent); people with no
  influencers and w₀ = 0 keep W_jj = 1.
* Λ = diag(λ), λ from :func:`susceptibilities` (default 0.5; executives and resisters lower).
* b(t): the effects of the activities due in week t (0 = this week) on their audience's
  targeted element. ``room`` = (5 − u)/4 for a gain, so gains shrink near the top (and
  (u − 1)/4 for a loss, the mirror image). Two activities in one week compound as if they
  came a week apart (see :meth:`ForecastModel.drive`), so an earlier activity never counts
  less than a later one. Activities before week 0 or at/after week T (go-live) are outside
  the horizon and ignored.
* x(0) is today's scores; missing scores take the department mean (:func:`impute_scores`).

The first version of this model added b(t) to x for one week only, so the anchor x(0) pulled
every gain back and a 72-activity plan moved go-live readiness by +0.01; it is retired: an
activity now moves the stance u, which stays moved.

Winning someone over (:func:`win_over`) sets their stance u_j(0) to 5 on the chosen elements
and lowers λ_j to ``champion_susceptibility`` (0.2; a lower λ_j is kept) *on those elements
only*: λ may be per person (n) or per person and element (n×5). Their score today x_j(0) is
unchanged. Winning someone over never lowers anyone's forecast (the update is monotone in
the stances and, since every stance and score is at most 5, in 1 − λ). The recommender of
people to win over is in ``champions.py``.

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
from cmio_desktop.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup

if TYPE_CHECKING:
    import scipy.sparse as sp

ELEMENTS: tuple[AdkarElement, ...] = tuple(AdkarElement)
ELEMENT_COLUMN = {e: i for i, e in enumerate(ELEMENTS)}
Drive = list[tuple[np.ndarray, np.ndarray, np.ndarray]]
"""Per week: (flat cell indices, share of the room kept by gains, by losses)."""

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
    """An activity due in ``week`` (0 = this week), moving the stance on ``element`` of each
    person index in ``audience`` by ``effect`` (scaled by the room left, see the module)."""

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
    """Prepared forecast inputs: W (n×n), x(0) (n×5), λ (n or n×5), horizon T and b(t);
    ``stances`` is u(0) (n×5), None meaning u(0) = x(0)."""

    weights: sp.csr_matrix
    scores: np.ndarray
    susceptibility: np.ndarray
    weeks: int
    activities: tuple[PlannedActivity, ...] = ()
    imputed: np.ndarray | None = None
    stances: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.scores.shape[0]

    def stance(self) -> np.ndarray:
        """u(0) as an n×5 matrix."""
        return self.scores if self.stances is None else self.stances

    def without_plan(self) -> ForecastModel:
        """The same model with no activities (the "without the plan" forecast)."""
        return replace(self, activities=())

    def lam(self) -> np.ndarray:
        """λ as an n×5 matrix."""
        lam = np.asarray(self.susceptibility, dtype=float)
        return np.broadcast_to(lam[:, None] if lam.ndim == 1 else lam, self.scores.shape)

    def drive(self, settings: ForecastSettings | None = None) -> Drive:
        """b(t) per week as (flat cell index, gain kept, loss kept) into the n×5 matrix: the
        share of the room *not* taken by the week's gains on that cell, Π(1 − b⁺/4), and by
        its losses, Π(1 − b⁻/4). Several activities in one week compound exactly as if they
        came in successive weeks, so only how many and how early count, not their grouping."""
        s = settings or ForecastSettings()
        span = s.score_max - s.score_min
        cells: list[list[np.ndarray]] = [[] for _ in range(self.weeks)]
        effects: list[list[np.ndarray]] = [[] for _ in range(self.weeks)]
        for act in self.activities:
            if 0 <= act.week < self.weeks and act.audience:
                people = np.asarray(act.audience, dtype=np.int64)
                if people.min() < 0 or people.max() >= self.n:
                    raise ValueError(f"activity audience outside 0..{self.n - 1}")
                cells[act.week].append(people * len(ELEMENTS) + ELEMENT_COLUMN[act.element])
                effects[act.week].append(np.full(people.size, act.effect))
        schedule: Drive = []
        for week_cells, week_effects in zip(cells, effects, strict=True):
            if not week_cells:
                schedule.append((np.zeros(0, np.int64), np.ones(0), np.ones(0)))
                continue
            flat, inverse = np.unique(np.concatenate(week_cells), return_inverse=True)
            effect = np.concatenate(week_effects)

            def kept(part: np.ndarray, inverse: np.ndarray = inverse, k: int = flat.size):
                share = np.maximum(1.0 - part / span, 0.0)
                logs = np.log(np.maximum(share, 1e-300))
                return np.exp(np.bincount(inverse, weights=logs, minlength=k))

            schedule.append((flat, kept(np.maximum(effect, 0.0)), kept(np.maximum(-effect, 0.0))))
        return schedule


def move_stances(
    u_flat: np.ndarray,
    cells: np.ndarray,
    gain_kept: np.ndarray,
    loss_kept: np.ndarray,
    settings: ForecastSettings,
) -> None:
    """One week's activities on the flattened stances, in place: gains first,
    u ← max − (max − u)·gain_kept, then losses, u ← min + (u − min)·loss_kept. One activity
    of effect b thus gives u + b·(5 − u)/4 (or u + b·(u − 1)/4 for a loss)."""
    lo, hi = settings.score_min, settings.score_max
    current = u_flat[cells]
    current = hi - (hi - current) * gain_kept
    current = lo + (current - lo) * loss_kept
    u_flat[cells] = np.clip(current, lo, hi)


def simulate(
    model: ForecastModel,
    settings: ForecastSettings | None = None,
    drive: Drive | None = None,
) -> np.ndarray:
    """x(T) as an n×5 matrix (x(0) when T = 0)."""
    s = settings or ForecastSettings()
    drive = model.drive(s) if drive is None else drive
    lam = model.lam()
    keep = 1.0 - lam
    x = np.array(model.scores, dtype=float, copy=True)
    u = np.array(model.stance(), dtype=float, copy=True)
    u_flat = u.reshape(-1)
    for t in range(model.weeks):
        cells, gain_kept, loss_kept = drive[t]
        if cells.size:
            move_stances(u_flat, cells, gain_kept, loss_kept, s)
        x = lam * (model.weights @ x) + keep * u
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
    """The model with ``people`` won over: stances u(0) at ``champion_score`` on ``elements``
    and λ on those elements lowered to ``champion_susceptibility`` (never raised; unchanged
    when ``None``). Today's scores x(0) are unchanged."""
    s = settings or ForecastSettings()
    idx = np.asarray(sorted(people), dtype=np.int64)
    stances = np.array(model.stance(), dtype=float, copy=True)
    lam = model.susceptibility
    if idx.size:
        cols = np.asarray(sorted(ELEMENT_COLUMN[e] for e in elements), dtype=np.int64)
        stances[np.ix_(idx, cols)] = s.champion_score
        if s.champion_susceptibility is not None:
            lam = model.lam().copy()
            cells = np.ix_(idx, cols)
            lam[cells] = np.minimum(lam[cells], s.champion_susceptibility)
    return replace(model, stances=stances, susceptibility=lam)


def what_if(
    model: ForecastModel,
    people: Collection[int],
    elements: Collection[AdkarElement] = ELEMENTS,
    settings: ForecastSettings | None = None,
) -> ForecastResult:
    """Forecast after winning over ``people`` ("win over these three — what changes?"):
    compare its ``go_live`` with the base forecast's."""
    return forecast(win_over(model, people, elements, settings), settings)
