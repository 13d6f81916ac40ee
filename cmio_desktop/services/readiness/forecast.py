"""The readiness forecast use case: read people, ties, latest scores and the initiative's plan,
build the Friedkin–Johnsen model (``analysis.forecast_inputs``), run it to go-live, and answer
what-ifs and the champion recommender (``analysis.forecast``, ``analysis.champions``).

Inputs, as ``MODELS.md`` ("Forecast") defines them:

* x(0): each person's latest round for the initiative; people never assessed take their
  department's mean (flagged as imputed).
* W: influence ties (i influences j, strength 1–5) plus the self-weight.
* b(t): the initiative's activities that are planned or in progress, have a due date and a
  targeted element; their audience (people, departments, stakeholder groups) resolved to
  people, the week from the due date, the effect size from the activity type (a setting).
* Manual what-if boosts (:class:`Boost`) add to b(t) for a scenario only; nothing is stored.

Every run carries the forecast *without* the plan (same model, no activities) next to the one
with it, and the back-test on the last observed round pair (``readiness_forecast_backtest``).
:func:`verdict` is the one sentence the page, the CLI and the workbook all show. The
recommender's picks are "people to win over" (never "champions", who are ready supporters
chosen elsewhere).

Parameters are stored with the workspace under ``forecast.<name>`` (:data:`PARAMETERS`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis import champions, forecast
from cmio_desktop.analysis.forecast import (
    ForecastModel,
    ForecastResult,
    ForecastSettings,
    PlannedActivity,
)
from cmio_desktop.analysis.forecast_backtest import BacktestErrors, Calibration, RoundPair, backtest
from cmio_desktop.analysis.forecast_backtest import calibrate as fit_parameters
from cmio_desktop.analysis.forecast_inputs import build_forecast_model
from cmio_desktop.enums import AdkarElement, Attitude, Role, StakeholderGroup
from cmio_desktop.services.analysis_settings import READINESS_PREFIX, stored_values
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.readiness.assessments import latest_scores_in
from cmio_desktop.services.readiness.forecast_backtest import round_pairs
from cmio_desktop.services.readiness.forecast_parameters import (
    PARAMETER_BY_NAME,
    PARAMETERS,
    PREFIX,
    Parameter,
    forecast_settings,
    parameter_values,
    save_forecast_parameters,
    settings_from,
)
from cmio_desktop.services.readiness.forecast_plan import (
    ActivityInput,
    activity_rows,
    enum_member,
    label_of,
    logged_contacts,
    resolve_plan,
)
from cmio_desktop.store import Workspace

__all__ = [
    "PARAMETERS",
    "PARAMETER_BY_NAME",
    "ActivityInput",
    "BacktestErrors",
    "Boost",
    "CalibrationProposal",
    "ChampionPicks",
    "ChampionRow",
    "ForecastRun",
    "GroupForecastRow",
    "Parameter",
    "forecast_settings",
    "group_rows",
    "load_forecast",
    "overall_row",
    "parameter_values",
    "recommend",
    "save_forecast_parameters",
    "scenario_model",
    "settings_from",
    "calibrate",
    "verdict",
    "what_if",
]

S = m.Stakeholder.__table__
R = m.Relationship.__table__
GROUPINGS = ("department", "group", "role", "site")
Progress = Callable[[int, str], None]


@dataclass(eq=False)
class ForecastRun:
    """A model ready to run, the base forecast, and per-person attributes for grouping."""

    initiative_id: int
    initiative_name: str
    today: date
    go_live: date
    settings: ForecastSettings
    ids: list[int]
    name: list[str]
    labels: dict[str, list[str]]  # grouping → label per person
    model: ForecastModel
    result: ForecastResult
    activities: list[ActivityInput]
    skipped_activities: int = 0
    without_plan: ForecastResult | None = None  # the same model with no activities
    ready_threshold: float = 4.0  # the readiness setting "ready needs"
    round_pairs: list[RoundPair] = field(default_factory=list, repr=False)
    backtest: BacktestErrors | None = None  # on the last observed round pair
    _positions: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def weeks(self) -> int:
        return self.model.weeks

    @property
    def imputed_people(self) -> int:
        return int(self.result.imputed.any(axis=1).sum())

    def positions(self, person_ids: Collection[int]) -> list[int]:
        if not self._positions:
            self._positions = {pid: i for i, pid in enumerate(self.ids)}
        return sorted({self._positions[p] for p in person_ids if p in self._positions})


def _ties(session: Any) -> Any:
    """Ties as ``(source, target, strength)`` tuples, read in chunks into arrays first."""
    stmt = select(R.c.source_id, R.c.target_id, R.c.strength)
    parts = [
        np.fromiter(itertools.chain.from_iterable(part), dtype=np.int64, count=3 * len(part))
        for part in session.execute(stmt).partitions(50_000)
    ]
    flat = np.concatenate(parts).reshape(-1, 3) if parts else np.zeros((0, 3), np.int64)
    return zip(
        flat[:, 0].tolist(), flat[:, 1].tolist(), flat[:, 2].astype(float).tolist(), strict=True
    )


def _lookup(enum_cls: Any, values: Any, convert: Callable[[Any, Any], Any]) -> dict[Any, Any]:
    return {v: convert(enum_cls, v) for v in set(values)}


def _labels(enum_cls: Any, values: list[Any]) -> list[str]:
    label = _lookup(enum_cls, values, label_of)
    return [label[v] for v in values]


def _no_progress(_percent: int, _text: str) -> None:
    return None


def load_forecast(
    ws: Workspace,
    initiative_id: int | None = None,
    *,
    today: date | None = None,
    settings: ForecastSettings | None = None,
    progress: Progress | None = None,
) -> ForecastRun:
    """Build the model for the initiative (default: the first) and run the base forecast."""
    report = progress or _no_progress
    today = today or date.today()
    report(5, "Reading people, ties and scores…")
    with ws.read_session() as session:
        stmt = select(m.Initiative.id, m.Initiative.name, m.Initiative.go_live)
        if initiative_id is not None:
            stmt = stmt.where(m.Initiative.id == initiative_id)
        row = session.execute(stmt.order_by(m.Initiative.id).limit(1)).first()
        if row is None:
            raise NotFoundError(
                f"There is no initiative with id {initiative_id}."
                if initiative_id is not None
                else "The workspace has no initiative to forecast."
            )
        if row.go_live is None:
            raise ServiceError(f"Set a go-live date for {row.name} to forecast its readiness.")
        settings = settings or settings_from(stored_values(session, PREFIX))
        threshold = _ready_threshold(stored_values(session, READINESS_PREFIX))
        people = session.execute(
            select(
                S.c.id,
                S.c.name,
                S.c.department,
                type_coerce(S.c.stakeholder_group, String),
                type_coerce(S.c.role, String),
                S.c.site,
                type_coerce(S.c.attitude, String),
            ).order_by(S.c.id)
        ).all()
        if not people:
            raise ServiceError("The workspace has no people to forecast yet; import them first.")
        ties = _ties(session)
        latest = latest_scores_in(session, int(row.id))
        if not latest:  # everyone imputed from nothing would be an invented 3.0: not assessed
            raise ServiceError(
                f"Not assessed: {row.name} has no readiness rounds yet, so there is nothing to "
                "forecast from. Import a survey or enter a round on the Readiness page."
            )
        plan_rows = activity_rows(session, int(row.id))
        report(40, "Building the model…")
        ids = [int(p[0]) for p in people]
        departments = {int(p[0]): p[2] or None for p in people}
        group_of = _lookup(StakeholderGroup, (p[3] for p in people), enum_member)
        attitude_of = _lookup(Attitude, (p[6] for p in people), enum_member)
        groups = {int(p[0]): group_of[p[3]] for p in people}
        attitudes = {int(p[0]): attitude_of[p[6]] for p in people}
        plans, inputs, skipped = resolve_plan(plan_rows, people, today, row.go_live, settings)
        plans += logged_contacts(session, int(row.id), today)
        model = build_forecast_model(
            ids,
            ties,
            latest,
            today,
            row.go_live,
            departments=departments,
            groups=groups,
            attitudes=attitudes,
            activities=plans,
            settings=settings,
        )
        report(55, "Back-testing on the observed rounds…")
        pairs = round_pairs(
            session,
            int(row.id),
            model,
            ids,
            people,
            [departments[i] for i in ids],
            [groups[i] for i in ids],
            [attitudes[i] for i in ids],
            settings,
        )
    report(70, "Running the forecast…")
    result = forecast.forecast(model, settings)
    without = forecast.forecast(model.without_plan(), settings)
    tested = backtest(pairs[-1], settings) if pairs else None
    labels = {
        "department": [p[2] or "(no department)" for p in people],
        "group": _labels(StakeholderGroup, [p[3] for p in people]),
        "role": _labels(Role, [p[4] for p in people]),
        "site": [p[5] or "(no site)" for p in people],
    }
    report(100, "Done")
    return ForecastRun(
        int(row.id),
        str(row.name),
        today,
        row.go_live,
        settings,
        ids,
        [p[1] for p in people],
        labels,
        model,
        result,
        inputs,
        skipped,
        without_plan=without,
        ready_threshold=threshold,
        round_pairs=pairs,
        backtest=tested,
    )


def _ready_threshold(stored: dict[str, Any]) -> float:
    try:
        return float(stored.get("ready_threshold", 4.0))
    except (TypeError, ValueError):
        return 4.0


# -- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Boost:
    """A manual what-if input: ``effect`` on ``element`` for ``people`` in ``week``."""

    label: str
    people: tuple[int, ...]
    element: AdkarElement
    week: int
    effect: float


def scenario_model(
    run: ForecastRun,
    win_over: Collection[int] = (),
    elements: Collection[AdkarElement] = tuple(AdkarElement),
    boosts: Sequence[Boost] = (),
) -> ForecastModel:
    """The base model with people won over (by id) and extra boosts."""
    model = run.model
    if boosts:
        extra = tuple(
            PlannedActivity(b.week, b.element, tuple(run.positions(b.people)), b.effect)
            for b in boosts
        )
        model = replace(model, activities=model.activities + extra)
    people = run.positions(win_over)
    if people:
        model = forecast.win_over(model, people, elements, run.settings)
    return model


def what_if(
    run: ForecastRun,
    win_over: Collection[int] = (),
    elements: Collection[AdkarElement] = tuple(AdkarElement),
    boosts: Sequence[Boost] = (),
) -> ForecastResult:
    """Forecast with people won over and/or manual boosts; compare its ``go_live`` with
    ``run.result.go_live``."""
    return forecast.forecast(scenario_model(run, win_over, elements, boosts), run.settings)


@dataclass(frozen=True)
class GroupForecastRow:
    label: str
    people: int
    today: float  # mean readiness (mean over people of the five-element mean)
    go_live: float
    scenario: float | None  # go-live readiness in the what-if, if one was run
    today_elements: tuple[float, ...]
    go_live_elements: tuple[float, ...]
    without_plan: float | None = None  # go-live readiness without the plan

    @property
    def plan_effect(self) -> float | None:
        """What the plan adds at go-live (with − without)."""
        return None if self.without_plan is None else self.go_live - self.without_plan

    @property
    def change(self) -> float:
        return self.go_live - self.today

    @property
    def scenario_change(self) -> float | None:
        return None if self.scenario is None else self.scenario - self.go_live


def group_rows(
    run: ForecastRun,
    grouping_labels: Sequence[str],
    scenario: ForecastResult | None = None,
) -> list[GroupForecastRow]:
    """Per group today vs go-live (and the what-if at go-live), least ready at go-live first."""
    base = run.result.by_group(list(grouping_labels))
    alt = scenario.by_group(list(grouping_labels)) if scenario is not None else {}
    bare = run.without_plan.by_group(list(grouping_labels)) if run.without_plan else {}
    rows = [
        GroupForecastRow(
            str(label),
            g.people,
            g.readiness_today,
            g.readiness_go_live,
            alt[label].readiness_go_live if label in alt else None,
            tuple(float(v) for v in g.today),
            tuple(float(v) for v in g.go_live),
            bare[label].readiness_go_live if label in bare else None,
        )
        for label, g in base.items()
    ]
    rows.sort(key=lambda r: (r.go_live, r.label))
    return rows


def overall_row(run: ForecastRun, scenario: ForecastResult | None = None) -> GroupForecastRow:
    return group_rows(run, ["All people"] * len(run.ids), scenario)[0]


# -- champions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChampionRow:
    rank: int
    person_id: int
    name: str
    department: str
    readiness_today: float
    gain: float  # marginal gain in predicted mean readiness at go-live
    predicted_mean: float


@dataclass(frozen=True)
class ChampionPicks:
    picks: list[ChampionRow]
    baseline: float
    exact_evaluations: int


def recommend(
    run: ForecastRun,
    k: int,
    *,
    candidates: Collection[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ChampionPicks:
    """The ``k`` people whose winning over lifts predicted mean readiness at go-live most,
    with each pick's marginal gain (lazy greedy; ``progress(done, k)`` may raise to cancel)."""
    if k < 1:
        raise ServiceError("Ask for at least one person to win over.")
    if not run.ids:
        return ChampionPicks([], float("nan"), 0)
    pool = run.positions(candidates) if candidates is not None else None
    rec = champions.recommend_champions(
        run.model, k, run.settings, candidates=pool, progress=progress
    )
    today = run.result.readiness_today
    picks = [
        ChampionRow(
            rank,
            run.ids[p.index],
            run.name[p.index],
            run.labels["department"][p.index],
            float(today[p.index]),
            p.gain,
            p.predicted_mean,
        )
        for rank, p in enumerate(rec.picks, start=1)
    ]
    return ChampionPicks(picks, rec.baseline_mean, rec.exact_evaluations)


# -- verdict, back-test and calibration ------------------------------------------------------

VERDICT_GROUPING = "department"
LOW_READINESS = 3.0


def _listing(names: Sequence[str], limit: int = 3) -> str:
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def verdict(run: ForecastRun) -> str:
    """The forecast in one plain sentence (the page, the CLI and the workbook show this one):
    "With the plan, mean readiness 3.31 → 3.84 at go-live (3.27 without it); ready needs 4.0;
    Periop stays below 3." Departments below 3 at go-live are named."""
    overall = overall_row(run)
    threshold = run.ready_threshold
    if run.weeks == 0:
        return (
            f"Go-live ({run.go_live:%d %b %Y}) is not ahead: mean readiness today "
            f"{overall.today:.2f}; ready needs {threshold:.1f}."
        )
    text = f"With the plan, mean readiness {overall.today:.2f} → {overall.go_live:.2f} at go-live"
    if overall.without_plan is not None:
        text += f" ({overall.without_plan:.2f} without it)"
    text += f"; ready needs {threshold:.1f}"
    rows = group_rows(run, run.labels[VERDICT_GROUPING])
    low = [r.label for r in rows if r.go_live < LOW_READINESS]
    if low:
        verb = "stays" if len(low) == 1 else "stay"
        text += f"; {_listing(low)} {verb} below {LOW_READINESS:g}"
    elif rows and overall.go_live < threshold:
        text += f"; least ready: {rows[0].label} {rows[0].go_live:.1f}"
    return text + "."


def backtest_text(run: ForecastRun) -> str:
    """The back-test in words, saying so when the model does not beat "no change"."""
    bt = run.backtest
    if bt is None:
        return "Back-test: needs two readiness rounds; there is fewer."
    if bt.people == 0:
        return f"Back-test ({bt.label}): nobody was scored in both rounds."
    trend = (
        f", {bt.mae_last_trend:.2f} continuing the last trend"
        if bt.mae_last_trend is not None
        else ""
    )
    text = (
        f"Back-test ({bt.label}, {bt.people:,} people, {bt.activities} "
        f"activit{'y' if bt.activities == 1 else 'ies'} done): "
        f"mean error {bt.mae_model:.2f} for the model vs {bt.mae_no_change:.2f} assuming no "
        f"change{trend}."
    )
    if bt.beats_no_change:
        return text + " The model beats “no change”."
    return text + " The model does not beat “no change”: treat the forecast with caution."


@dataclass(frozen=True)
class CalibrationProposal:
    """Fitted parameter values (by parameter name) and the error before and after; applying
    them is the caller's choice (an undoable settings write)."""

    values: dict[str, float]
    mae_before: float
    mae_after: float
    pairs: int

    @property
    def text(self) -> str:
        changes = ", ".join(
            f"{PARAMETER_BY_NAME[name].label} {value:g}" for name, value in self.values.items()
        )
        return (
            f"Fitted on {self.pairs} round pair{'s' if self.pairs != 1 else ''}: mean error "
            f"{self.mae_before:.3f} → {self.mae_after:.3f} ({changes})."
        )


def calibrate(run: ForecastRun) -> CalibrationProposal:
    """Fit λ and the effect sizes of the activity types done between rounds on every observed
    round pair (bounded, regularised least squares). Nothing is stored."""
    fitted: Calibration | None = fit_parameters(run.round_pairs, run.settings)
    if fitted is None:
        raise ServiceError("Calibration needs two readiness rounds with people scored in both.")
    values = {"default_susceptibility": fitted.susceptibility}
    for kind, effect in fitted.effect_sizes.items():
        values[f"effect.{kind.value}"] = effect
    return CalibrationProposal(values, fitted.mae_before, fitted.mae_after, fitted.pairs)
