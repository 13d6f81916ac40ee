"""The Readiness page's figures: per group (departments, stakeholder groups, roles, sites or
network communities) the mean ADKAR scores, barrier points, readiness trend across rounds,
headcount vs influence-weighted readiness, and who dropped since their previous round.

Everything is derived with ``analysis.adkar`` (``latest_per_person``, ``group_readiness``,
``barrier_point``); influence and communities come from ``services.network.analyze`` (cached
per workspace revision), never recomputed here. :func:`load_overview` reads once; switching
the grouping is :func:`summarise`, which only re-aggregates.

**Rounds.** The schema stores a date per assessment, not a round number. A round is the
assessments dated within ``ROUND_WINDOW_DAYS`` of the round's first date (the sample's
surveys are four weeks apart with a few days' spread). A person's figure for a round is
their latest assessment within it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis import adkar
from cmio_desktop.analysis.adkar import AdkarScores, ReadinessSettings
from cmio_desktop.enums import AdkarElement, Role, StakeholderGroup
from cmio_desktop.services.analysis_settings import readiness_settings_in
from cmio_desktop.services.errors import NotFoundError
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.readiness.assessments import (
    PersonReadinessView,
    latest_readiness_in,
    load_assessments,
)
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
ROUND_WINDOW_DAYS = 14
DROP_EPSILON = 1e-9
NO_DEPARTMENT, NO_SITE = "(no department)", "(no site)"
GROUPINGS: dict[str, str] = {
    "department": "Departments",
    "group": "Stakeholder groups",
    "role": "Roles",
    "site": "Sites",
    "community": "Communities",
}
ELEMENTS: tuple[AdkarElement, ...] = tuple(AdkarElement)
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RoundSpan:
    start: date
    end: date
    assessments: int

    @property
    def label(self) -> str:
        return self.start.strftime("%d %b %Y").lstrip("0")


@dataclass(eq=False)
class ReadinessData:
    """Per-person inputs for every grouping, read once."""

    initiative_id: int
    initiative_name: str
    go_live: date | None
    settings: ReadinessSettings
    ids: list[int]
    name: list[str]
    labels: dict[str, list[str]]  # grouping → one label per person (same order as ids)
    latest: dict[int, PersonReadinessView]
    influence: dict[int, float]
    rounds: list[RoundSpan]
    round_scores: list[dict[int, AdkarScores]]  # per round: person → latest scores within it
    network_note: str = ""

    @property
    def people(self) -> int:
        return len(self.ids)

    @property
    def assessed(self) -> int:
        return len(self.latest)


@dataclass(frozen=True)
class GroupRow:
    label: str
    members: tuple[int, ...]
    assessed: tuple[int, ...]
    element_means: tuple[float, ...]  # A→R; NaN when nobody in the group is assessed
    readiness: float | None
    influence_weighted: float | None
    ready: int
    barriers: dict[AdkarElement | None, int]
    trend: tuple[float | None, ...]  # mean readiness per round

    @property
    def weakest(self) -> int | None:
        """Column of the lowest element mean (ties go to the earlier element)."""
        values = [v for v in self.element_means if not math.isnan(v)]
        return self.element_means.index(min(values)) if values else None


@dataclass(frozen=True)
class ReadinessSummary:
    grouping: str
    rows: list[GroupRow]  # least ready first; groups nobody in was assessed come last
    overall: GroupRow
    rounds: list[RoundSpan]
    settings: ReadinessSettings


@dataclass(frozen=True)
class DropRow:
    person_id: int
    name: str
    group: str
    previous: float
    latest: float
    change: float
    barrier: AdkarElement | None
    previous_on: date
    assessed_on: date


# -- reading ------------------------------------------------------------------------------------


def _no_progress(_percent: int, _text: str) -> None:
    return None


def load_overview(
    ws: Workspace,
    initiative_id: int,
    *,
    progress: Progress | None = None,
    metrics_runner: network.MetricsRunner | None = None,
) -> ReadinessData:
    """Read people, rounds and settings, and take influence and communities from the
    (cached) network analysis. ``progress`` may raise to cancel."""
    report = progress or _no_progress
    report(5, "Reading assessments…")
    with ws.read_session() as session:
        row = session.execute(
            select(m.Initiative.name, m.Initiative.go_live).where(m.Initiative.id == initiative_id)
        ).first()
        if row is None:
            raise NotFoundError(f"There is no initiative with id {initiative_id}.")
        settings = readiness_settings_in(session)
        people = session.execute(
            select(
                S.c.id,
                S.c.name,
                S.c.department,
                type_coerce(S.c.stakeholder_group, String),
                type_coerce(S.c.role, String),
                S.c.site,
            ).order_by(S.c.id)
        ).all()
        assessments = load_assessments(session, initiative_id)
        latest = latest_readiness_in(session, initiative_id, settings=settings)
    report(25, "Computing influence and communities…")

    def sub_progress(percent: int, text: str) -> None:
        report(25 + percent * 60 // 100, text)

    analysis = network.analyze(
        ws, initiative_id, progress=sub_progress, metrics_runner=metrics_runner
    )
    report(88, "Summarising rounds…")
    ids = [int(p[0]) for p in people]
    positions = {int(pid): i for i, pid in enumerate(analysis.ids.tolist())}
    community = [
        analysis.community_names[int(analysis.community[positions[i]])]
        if i in positions and analysis.community_names
        else "(not in the network)"
        for i in ids
    ]
    influence = {i: float(analysis.influence[positions[i]]) for i in ids if i in positions}
    labels = {
        "department": [p[2] or NO_DEPARTMENT for p in people],
        "group": [_label(StakeholderGroup, p[3]) for p in people],
        "role": [_label(Role, p[4]) for p in people],
        "site": [p[5] or NO_SITE for p in people],
        "community": community,
    }
    rounds, round_scores = split_rounds(assessments)
    return ReadinessData(
        initiative_id=initiative_id,
        initiative_name=str(row[0]),
        go_live=row[1],
        settings=settings,
        ids=ids,
        name=[p[1] for p in people],
        labels=labels,
        latest=latest,
        influence=influence,
        rounds=rounds,
        round_scores=round_scores,
        network_note=f"network influence: PageRank over {analysis.tie_count:,} ties",
    )


def _label(enum_cls: Any, value: str | None) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return value or "(none)"


def split_rounds(
    assessments: Sequence[adkar.Assessment], window_days: int = ROUND_WINDOW_DAYS
) -> tuple[list[RoundSpan], list[dict[int, AdkarScores]]]:
    """Cluster assessments into rounds (see the module docstring) and give each person's
    latest scores within each round."""
    ordered = sorted(assessments, key=lambda a: (a.taken_on, a.sequence))
    spans: list[list[adkar.Assessment]] = []
    for a in ordered:
        if spans and (a.taken_on - spans[-1][0].taken_on).days <= window_days:
            spans[-1].append(a)
        else:
            spans.append([a])
    rounds = [RoundSpan(s[0].taken_on, s[-1].taken_on, len(s)) for s in spans]
    scores = [
        {int(p): pr.scores for p, pr in adkar.latest_per_person(s).items()}  # type: ignore[call-overload]
        for s in spans
    ]
    return rounds, scores


# -- aggregating ----------------------------------------------------------------------------------


def summarise(data: ReadinessData, grouping: str) -> ReadinessSummary:
    """Per-group figures for one grouping (a key of :data:`GROUPINGS`)."""
    if grouping not in data.labels:
        raise ValueError(f"unknown grouping {grouping!r}")
    groups = dict(zip(data.ids, data.labels[grouping], strict=True))
    everyone = dict.fromkeys(data.ids, "All people")
    rows = _rows(data, groups)
    overall = _rows(data, everyone)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.readiness is None, r.readiness or 0.0, -len(r.members), r.label),
    )
    all_row = overall.get("All people") or _empty_row("All people", len(data.rounds))
    return ReadinessSummary(grouping, ordered, all_row, data.rounds, data.settings)


def _rows(data: ReadinessData, groups: dict[int, str]) -> dict[str, GroupRow]:
    latest = {pid: view.scores for pid, view in data.latest.items()}
    figures = adkar.group_readiness(latest, groups, data.settings, data.influence)
    trends = [adkar.group_readiness(scores, groups, data.settings) for scores in data.round_scores]
    members: dict[str, list[int]] = {}
    for pid, label in groups.items():
        members.setdefault(label, []).append(pid)
    out: dict[str, GroupRow] = {}
    for label, g in figures.items():
        people = members[str(label)]
        out[str(label)] = GroupRow(
            label=str(label),
            members=tuple(people),
            assessed=tuple(p for p in people if p in latest),
            element_means=tuple(g.element_means[e] for e in ELEMENTS),
            readiness=g.mean_readiness,
            influence_weighted=g.influence_weighted,
            ready=g.ready,
            barriers=dict(g.barriers),
            trend=tuple(t[label].mean_readiness if label in t else None for t in trends),
        )
    return out


def _empty_row(label: str, rounds: int) -> GroupRow:
    nan = float("nan")
    return GroupRow(label, (), (), (nan,) * 5, None, None, 0, {}, (None,) * rounds)


def cell_people(data: ReadinessData, row: GroupRow, element: int) -> list[int]:
    """The people behind a heat-map cell: the group's assessed people scoring at or below the
    barrier score (default 3) on that element."""
    limit = data.settings.barrier_max
    target = ELEMENTS[element]
    return [p for p in row.assessed if data.latest[p].scores[target] <= limit]


def dropped(data: ReadinessData, grouping: str = "department") -> list[DropRow]:
    """People whose readiness fell since their previous round, largest fall first."""
    label_of = dict(zip(data.ids, data.labels[grouping], strict=True))
    name_of = dict(zip(data.ids, data.name, strict=True))
    rows = [
        DropRow(
            person_id=pid,
            name=name_of.get(pid, str(pid)),
            group=label_of.get(pid, ""),
            previous=float(view.previous_readiness or 0.0),
            latest=view.readiness,
            change=float(view.change),
            barrier=view.barrier,
            previous_on=view.previous_on,  # type: ignore[arg-type]
            assessed_on=view.assessed_on,
        )
        for pid, view in data.latest.items()
        if view.change is not None and view.change < -DROP_EPSILON
    ]
    rows.sort(key=lambda r: (r.change, r.name, r.person_id))
    return rows


def caption(data: ReadinessData) -> str:
    """One line under the page title: what the figures cover."""
    rounds = len(data.rounds)
    last = f", latest {data.rounds[-1].label}" if data.rounds else ""
    return (
        f"{data.initiative_name} · {data.assessed:,} of {data.people:,} people assessed · "
        f"{rounds} round{'s' if rounds != 1 else ''}{last}"
    )
