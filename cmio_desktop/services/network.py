"""The influence network use case: load people, ties and readiness, run the network metrics,
and hand back one plain :class:`NetworkAnalysis` for the Network page, the CLI and exports.

Reads are SQLAlchemy Core in one short session (one consistent snapshot, revision included).
Results are cached per (workspace file, revision, initiative, settings); the graph metrics are
also cached by a digest of the graph itself, so a new assessment round or an attitude change
re-uses them and only re-derives readiness and hot spots. The heavy part — PageRank,
betweenness, Louvain, reach — goes through ``metrics_runner`` so the desktop app can run it in a
child process (python-igraph holds the GIL for whole calls) while the CLI runs it in-process.

Everything per person is stored as columns (numpy arrays and lists) indexed by *position*
(people in id order), so 100,000 people cost no per-row objects; ``person()`` and ``rows()``
build a :class:`PersonNetwork` on demand.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from .. import models as m
from ..analysis.adkar import AdkarScores, ReadinessSettings, barrier_point, readiness
from ..analysis.graph_engine import BetweennessInfo, dedupe_directed
from ..analysis.grids import GridSettings, Quadrant, quadrant
from ..analysis.network import NetworkMetrics, NetworkSettings, analyze_network_arrays, hot_spots
from ..models.enums import AdkarElement, Attitude, StakeholderGroup
from ..store import Workspace
from .errors import NotFoundError
from .network_ties import (
    PersonTies,
    RelationshipRows,
    TieRow,
    add_tie,
    delete_tie,
    get_tie,
    person_ties,
    relationship_rows,
    restore_tie,
    update_tie,
)

__all__ = [
    "GroupSummary",
    "NetworkAnalysis",
    "PersonNetwork",
    "PersonTies",
    "RankingRow",
    "RelationshipRows",
    "TieRow",
    "add_tie",
    "analyze",
    "clear_cache",
    "delete_tie",
    "get_tie",
    "network_settings",
    "person_ties",
    "ranking",
    "relationship_rows",
    "restore_tie",
    "update_tie",
]

S = m.Stakeholder.__table__
R = m.Relationship.__table__
A = m.Assessment.__table__
CHUNK = 4_096  # rows per fetch: each C-level step holds the GIL ≲ 10 ms, so the UI stays smooth

Progress = Callable[[int, str], None]
MetricsRunner = Callable[..., NetworkMetrics]
RankingKind = Literal["influencers", "brokers", "hot_spots", "isolates"]
RANKING_KINDS: tuple[RankingKind, ...] = ("influencers", "brokers", "hot_spots", "isolates")

#: Network settings stored with the workspace (``workspace_setting`` keys ``network.<field>``).
SETTING_PREFIX = "network."
#: Readiness settings stored with the workspace (``readiness.<field>``).
READINESS_PREFIX = "readiness."
#: The power/interest threshold, shared with the stakeholder register.
GRID_THRESHOLD_KEY = "grid.high_threshold"


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """One stakeholder group or community: headcount and both readiness figures."""

    key: str
    label: str
    size: int
    assessed: int  # people with at least one round for the initiative
    readiness: float | None  # headcount mean over the assessed
    influence_weighted: float | None  # Σ influence·readiness / Σ influence over the assessed
    mean_influence: float
    hot_spots: int


@dataclass(frozen=True)
class PersonNetwork:
    """One person's figures (built on demand from the columns)."""

    id: int
    external_id: str
    name: str
    group: str
    department: str
    attitude: str
    influence: float
    betweenness: float
    in_strength: float
    out_strength: float
    reach: float
    community: int
    community_name: str
    quadrant: str
    readiness: float | None
    barrier_point: str | None
    hot_spot: bool
    hot_spot_reasons: tuple[str, ...]
    broker_reason: str | None


@dataclass(frozen=True)
class RankingRow:
    person_id: int
    name: str
    department: str
    score: float
    score_text: str
    reason: str


@dataclass(eq=False)
class NetworkAnalysis:
    """The whole analysis as columns indexed by position (people in id order)."""

    path: str
    revision: int
    initiative_id: int | None
    initiative_name: str
    settings: NetworkSettings
    ids: np.ndarray
    external_id: list[str]
    name: list[str]
    group: list[str]  # StakeholderGroup values
    department: list[str]
    attitude: list[str]  # Attitude values
    quadrant: list[str]  # Quadrant values
    influence: np.ndarray
    betweenness: np.ndarray
    in_strength: np.ndarray
    out_strength: np.ndarray
    reach: np.ndarray
    community: np.ndarray
    community_names: list[str]
    readiness: np.ndarray  # NaN = no assessment for the initiative
    barrier: list[str | None]  # AdkarElement values
    hot_spot: np.ndarray  # bool
    hot_spot_reasons: dict[int, tuple[str, ...]]  # position → reasons
    hot_spots: list[int]  # positions, most influential first
    brokers: list[int]  # positions, highest betweenness first
    broker_reasons: dict[int, str]
    isolates: list[int]  # positions
    modularity: float
    betweenness_info: BetweennessInfo
    tie_source: np.ndarray  # positions; distinct directed ties (self-ties dropped)
    tie_target: np.ndarray
    tie_strength: np.ndarray
    groups: list[GroupSummary]
    communities: list[GroupSummary]
    timings: dict[str, float] = field(default_factory=dict)
    _positions: dict[int, int] | None = field(default=None, init=False, repr=False)

    @property
    def n(self) -> int:
        return int(self.ids.size)

    @property
    def tie_count(self) -> int:
        return int(self.tie_source.size)

    def position_of(self, person_id: int) -> int | None:
        if self._positions is None:
            self._positions = {int(p): i for i, p in enumerate(self.ids.tolist())}
        return self._positions.get(int(person_id))

    def person(self, person_id: int) -> PersonNetwork:
        pos = self.position_of(person_id)
        if pos is None:
            raise NotFoundError(f"Person {person_id} is not in this network.")
        return self._row(pos)

    def rows(self) -> Iterator[PersonNetwork]:
        return (self._row(i) for i in range(self.n))

    def readiness_of(self, pos: int) -> float | None:
        value = float(self.readiness[pos])
        return None if math.isnan(value) else value

    def top_influencers(self, k: int) -> list[int]:
        """Positions of the ``k`` most influential people (ties broken by id)."""
        order = np.lexsort((np.arange(self.n), -self.influence))
        return order[:k].tolist()

    def _row(self, i: int) -> PersonNetwork:
        c = int(self.community[i])
        return PersonNetwork(
            id=int(self.ids[i]),
            external_id=self.external_id[i],
            name=self.name[i],
            group=self.group[i],
            department=self.department[i],
            attitude=self.attitude[i],
            influence=float(self.influence[i]),
            betweenness=float(self.betweenness[i]),
            in_strength=float(self.in_strength[i]),
            out_strength=float(self.out_strength[i]),
            reach=float(self.reach[i]),
            community=c,
            community_name=self.community_names[c] if self.community_names else "",
            quadrant=self.quadrant[i],
            readiness=self.readiness_of(i),
            barrier_point=self.barrier[i],
            hot_spot=bool(self.hot_spot[i]),
            hot_spot_reasons=self.hot_spot_reasons.get(i, ()),
            broker_reason=self.broker_reasons.get(i),
        )


# -- settings -----------------------------------------------------------------------------------


def _stored(session: Session, prefix: str) -> dict[str, Any]:
    W = m.WorkspaceSetting
    rows = session.execute(select(W.key, W.value).where(W.key.startswith(prefix)))
    return {key[len(prefix) :]: value for key, value in rows}


def _settings_from(cls: type, stored: dict[str, Any]) -> Any:
    """Build ``cls`` from stored values, ignoring unknown keys and values of the wrong type."""
    defaults = cls()
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in stored:
            continue
        value, default = stored[f.name], getattr(defaults, f.name)
        try:
            if isinstance(default, bool | tuple):
                continue  # element lists are not user-editable yet
            if isinstance(default, float):
                values[f.name] = float(value)
            elif isinstance(default, int) or (default is None and value is not None):
                values[f.name] = None if value is None else int(value)
            elif isinstance(default, str):
                values[f.name] = str(value)
        except (TypeError, ValueError):
            continue
    try:
        return cls(**values)
    except (TypeError, ValueError):
        return defaults


def network_settings_in(session: Session) -> NetworkSettings:
    return _settings_from(NetworkSettings, _stored(session, SETTING_PREFIX))


def readiness_settings_in(session: Session) -> ReadinessSettings:
    return _settings_from(ReadinessSettings, _stored(session, READINESS_PREFIX))


def grid_settings_in(session: Session) -> GridSettings:
    value = session.scalar(
        select(m.WorkspaceSetting.value).where(m.WorkspaceSetting.key == GRID_THRESHOLD_KEY)
    )
    try:
        return GridSettings(int(value)) if value is not None else GridSettings()
    except (TypeError, ValueError):
        return GridSettings()


def network_settings(ws: Workspace) -> NetworkSettings:
    """The network parameters stored with the workspace (``MODELS.md`` defaults otherwise)."""
    with ws.session() as session:
        return network_settings_in(session)


# -- cache --------------------------------------------------------------------------------------

_CACHE_SIZE = 4
_lock = threading.Lock()
_results: OrderedDict[Hashable, NetworkAnalysis] = OrderedDict()
_metrics: OrderedDict[str, NetworkMetrics] = OrderedDict()


def _cache_get(cache: OrderedDict[Any, Any], key: Hashable) -> Any:
    with _lock:
        value = cache.get(key)
        if value is not None:
            cache.move_to_end(key)
        return value


def _cache_put(cache: OrderedDict[Any, Any], key: Hashable, value: Any) -> None:
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)


def clear_cache() -> None:
    with _lock:
        _results.clear()
        _metrics.clear()


# -- loading ------------------------------------------------------------------------------------


@dataclass
class _Inputs:
    ids: np.ndarray
    external_id: list[str]
    name: list[str]
    group: list[str]
    department: list[str]
    attitude: list[str]
    power: np.ndarray
    interest: np.ndarray
    src: np.ndarray
    tgt: np.ndarray
    strength: np.ndarray
    readiness: np.ndarray
    barrier: list[str | None]


def _revision_in(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(m.AuditEvent.id), 0))).scalar_one())


def _initiative_in(session: Session, initiative_id: int | None) -> tuple[int | None, str]:
    stmt = select(m.Initiative.id, m.Initiative.name).order_by(m.Initiative.id).limit(1)
    if initiative_id is not None:
        stmt = stmt.where(m.Initiative.id == initiative_id)
    row = session.execute(stmt).first()
    if row is None:
        if initiative_id is not None:
            raise NotFoundError(f"There is no initiative with id {initiative_id}.")
        return None, ""
    return int(row[0]), str(row[1])


def _load_people(session: Session) -> tuple[list[Any], ...]:
    stmt = select(
        S.c.id,
        S.c.external_id,
        S.c.name,
        type_coerce(S.c.stakeholder_group, String),
        S.c.department,
        type_coerce(S.c.attitude, String),
        S.c.power,
        S.c.interest,
    ).order_by(S.c.id)
    columns: tuple[list[Any], ...] = tuple([] for _ in range(8))
    for part in session.execute(stmt).partitions(CHUNK):
        for column, values in zip(columns, zip(*part, strict=True), strict=True):
            column.extend(values)
    return columns


def _load_ties(session: Session, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stmt = select(R.c.source_id, R.c.target_id, R.c.strength)
    parts = [
        np.fromiter(itertools.chain.from_iterable(part), dtype=np.int64, count=3 * len(part))
        for part in session.execute(stmt).partitions(CHUNK)
    ]
    flat = np.concatenate(parts).reshape(-1, 3) if parts else np.zeros((0, 3), np.int64)
    src = np.searchsorted(ids, flat[:, 0])
    tgt = np.searchsorted(ids, flat[:, 1])
    return src, tgt, flat[:, 2].astype(float)


def _load_readiness(
    session: Session, initiative_id: int | None, ids: np.ndarray, settings: ReadinessSettings
) -> tuple[np.ndarray, list[str | None]]:
    """Each person's latest round for the initiative: the latest date, then the highest id."""
    n = ids.size
    values = np.full(n, np.nan)
    barriers: list[str | None] = [None] * n
    if initiative_id is None or n == 0:
        return values, barriers
    day = (
        select(A.c.stakeholder_id.label("sid"), func.max(A.c.assessed_on).label("day"))
        .where(A.c.initiative_id == initiative_id)
        .group_by(A.c.stakeholder_id)
        .subquery()
    )
    stmt = (
        select(
            A.c.stakeholder_id,
            A.c.awareness,
            A.c.desire,
            A.c.knowledge,
            A.c.ability,
            A.c.reinforcement,
        )
        .join(day, and_(day.c.sid == A.c.stakeholder_id, day.c.day == A.c.assessed_on))
        .where(A.c.initiative_id == initiative_id)
        .order_by(A.c.id)
    )
    latest: dict[int, tuple[int, ...]] = {}
    for part in session.execute(stmt).partitions(CHUNK):
        for sid, *scores in part:
            latest[sid] = tuple(scores)  # a later id on the same day wins
    derived: dict[tuple[int, ...], tuple[float, str | None]] = {}
    for scores in set(latest.values()):  # at most 5⁵ distinct patterns
        adkar = AdkarScores(*scores)
        element = barrier_point(adkar, settings.barrier_mode, settings.barrier_max)
        derived[scores] = (readiness(adkar), element.value if element else None)
    people = np.fromiter(latest, dtype=np.int64, count=len(latest))
    pos = np.searchsorted(ids, people)
    for p, scores in zip(pos.tolist(), latest.values(), strict=True):
        values[p], barriers[p] = derived[scores]
    return values, barriers


def _load(session: Session, initiative_id: int | None, settings: ReadinessSettings) -> _Inputs:
    ident, ext, name, group, dept, attitude, power, interest = _load_people(session)
    ids = np.asarray(ident, dtype=np.int64)
    src, tgt, strength = _load_ties(session, ids)
    values, barriers = _load_readiness(session, initiative_id, ids, settings)
    return _Inputs(
        ids=ids,
        external_id=[v or "" for v in ext],
        name=name,
        group=group,
        department=[v or "" for v in dept],
        attitude=attitude,
        power=np.asarray(power, dtype=np.int64),
        interest=np.asarray(interest, dtype=np.int64),
        src=src,
        tgt=tgt,
        strength=strength,
        readiness=values,
        barrier=barriers,
    )


# -- the use case -------------------------------------------------------------------------------


def _no_progress(_percent: int, _text: str) -> None:
    return None


def analyze(
    ws: Workspace,
    initiative_id: int | None = None,
    settings: NetworkSettings | None = None,
    *,
    progress: Progress | None = None,
    metrics_runner: MetricsRunner | None = None,
) -> NetworkAnalysis:
    """The network analysis for ``initiative_id`` (default: the first initiative).

    ``settings`` default to those stored with the workspace. ``progress(percent, text)`` is
    called between steps and may raise to cancel. ``metrics_runner`` takes the arguments of
    :func:`analyze_network_arrays` and returns its result (default: call it in-process).
    """
    report = progress or _no_progress
    report(2, "Reading people and ties…")
    with ws.session() as session:
        revision = _revision_in(session)
        initiative = _initiative_in(session, initiative_id)
        net = settings or network_settings_in(session)
        ready = readiness_settings_in(session)
        grid = grid_settings_in(session)
        key = (str(ws.path.resolve()), revision, initiative[0], net, ready, grid)
        cached = _cache_get(_results, key)
        if cached is not None:
            report(100, "Up to date")
            return cached
        inputs = _load(session, initiative[0], ready)
    report(20, "Computing influence, brokers and communities…")
    metrics, ties = _metrics_for(inputs, net, metrics_runner or analyze_network_arrays)
    report(85, "Finding hot spots and summarising groups…")
    result = _assemble(str(ws.path), revision, initiative, net, grid, inputs, metrics, ties)
    _cache_put(_results, key, result)
    report(100, "Done")
    return result


def _metrics_for(
    inputs: _Inputs, settings: NetworkSettings, runner: MetricsRunner
) -> tuple[NetworkMetrics, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The graph metrics (cached by a digest of the graph) and the distinct ties they used."""
    digest = hashlib.blake2b(digest_size=20)
    for array in (inputs.ids, inputs.src, inputs.tgt, inputs.strength):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update("\x1f".join(inputs.department).encode())
    digest.update(repr(settings).encode())
    key = digest.hexdigest()
    found = _cache_get(_metrics, key)
    if found is None:
        n = inputs.ids.size
        metrics = runner(
            list(range(n)), inputs.src, inputs.tgt, inputs.strength, settings, inputs.department
        )
        found = (metrics, dedupe_directed(n, inputs.src, inputs.tgt, inputs.strength))
        _cache_put(_metrics, key, found)
    return found


def _assemble(
    path: str,
    revision: int,
    initiative: tuple[int | None, str],
    settings: NetworkSettings,
    grid: GridSettings,
    inputs: _Inputs,
    metrics: NetworkMetrics,
    ties: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> NetworkAnalysis:
    n = inputs.ids.size
    assessed = np.flatnonzero(~np.isnan(inputs.readiness)).tolist()
    ready = {p: float(inputs.readiness[p]) for p in assessed}
    elements = {e.value: e for e in AdkarElement}
    barriers = {p: elements[inputs.barrier[p]] for p in assessed if inputs.barrier[p]}
    moods = {a.value: a for a in Attitude}
    attitudes = {p: moods[v] for p, v in enumerate(inputs.attitude) if v in moods}
    spots = hot_spots(metrics, ready, barriers, attitudes)
    hot = np.zeros(n, dtype=bool)
    hot[[_pos(s.node_id) for s in spots]] = True
    quadrants = {(p, i): quadrant(p, i, grid).value for p in range(1, 6) for i in range(1, 6)}
    result = NetworkAnalysis(
        path=path,
        revision=revision,
        initiative_id=initiative[0],
        initiative_name=initiative[1],
        settings=settings,
        ids=inputs.ids,
        external_id=inputs.external_id,
        name=inputs.name,
        group=inputs.group,
        department=inputs.department,
        attitude=inputs.attitude,
        quadrant=[
            quadrants[pi]
            for pi in zip(inputs.power.tolist(), inputs.interest.tolist(), strict=True)
        ],
        influence=metrics.influence,
        betweenness=metrics.betweenness,
        in_strength=metrics.in_strength,
        out_strength=metrics.out_strength,
        reach=metrics.reach,
        community=metrics.community,
        community_names=metrics.community_names,
        readiness=inputs.readiness,
        barrier=inputs.barrier,
        hot_spot=hot,
        hot_spot_reasons={_pos(s.node_id): s.reasons for s in spots},
        hot_spots=[_pos(s.node_id) for s in spots],
        brokers=[_pos(b.node_id) for b in metrics.brokers],
        broker_reasons={_pos(b.node_id): b.reason for b in metrics.brokers},
        isolates=[_pos(i) for i in metrics.isolates],
        modularity=float(metrics.modularity),
        betweenness_info=metrics.betweenness_info,
        tie_source=ties[0],
        tie_target=ties[1],
        tie_strength=ties[2],
        groups=[],
        communities=[],
        timings=dict(metrics.timings),
    )
    code, groups = _codes(result.group)
    result.groups = _summaries(result, code, groups, [_group_label(g) for g in groups])
    names = result.community_names
    result.communities = _summaries(
        result, result.community, [str(c) for c in range(len(names))], names
    )
    return result


def _pos(node: Hashable) -> int:
    """Node ids handed to the engine are positions 0..n-1."""
    return int(node)  # type: ignore[call-overload]


def _group_label(value: str) -> str:
    try:
        return StakeholderGroup(value).label
    except ValueError:
        return value


def _summaries(
    result: NetworkAnalysis, code: np.ndarray, keys: Sequence[str], labels: Sequence[str]
) -> list[GroupSummary]:
    """Per code (an index into ``keys``/``labels``): size, assessed, headcount and
    influence-weighted readiness, hot spots."""
    k = len(keys)
    if k == 0 or code.size == 0:
        return []
    assessed = ~np.isnan(result.readiness)
    values = np.where(assessed, result.readiness, 0.0)
    weight = np.where(assessed, result.influence, 0.0)
    size = np.bincount(code, minlength=k)
    count = np.bincount(code, weights=assessed, minlength=k)
    total = np.bincount(code, weights=values, minlength=k)
    w_total = np.bincount(code, weights=weight, minlength=k)
    w_sum = np.bincount(code, weights=weight * values, minlength=k)
    infl = np.bincount(code, weights=result.influence, minlength=k)
    hot = np.bincount(code, weights=result.hot_spot, minlength=k)
    out = [
        GroupSummary(
            key=keys[j],
            label=labels[j],
            size=int(size[j]),
            assessed=int(count[j]),
            readiness=float(total[j] / count[j]) if count[j] else None,
            influence_weighted=float(w_sum[j] / w_total[j]) if w_total[j] > 0 else None,
            mean_influence=float(infl[j] / size[j]) if size[j] else 0.0,
            hot_spots=int(hot[j]),
        )
        for j in range(k)
        if size[j]
    ]
    return sorted(out, key=lambda g: (-g.size, g.label))


def _codes(values: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Integer codes for string values (a dict pass: no object-array sort holding the GIL)."""
    index: dict[str, int] = {}
    code = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    return code, list(index)


# -- rankings with reasons ------------------------------------------------------------------------


def _readiness_text(a: NetworkAnalysis, pos: int) -> str:
    value = a.readiness_of(pos)
    return "not assessed" if value is None else f"readiness {value:.1f}"


def ranking(a: NetworkAnalysis, kind: RankingKind, limit: int | None = 100) -> list[RankingRow]:
    """Top influencers, brokers, hot spots or isolates, each with the reason it is listed."""
    if kind == "influencers":
        positions = a.top_influencers(a.n if limit is None else limit)
    elif kind == "brokers":
        positions = a.brokers[:limit]
    elif kind == "hot_spots":
        positions = a.hot_spots[:limit]
    elif kind == "isolates":
        positions = sorted(a.isolates, key=lambda p: (-a.influence[p], p))[:limit]
    else:
        raise ValueError(f"unknown ranking {kind!r}")
    return [_ranking_row(a, kind, p) for p in positions]


def _ranking_row(a: NetworkAnalysis, kind: RankingKind, pos: int) -> RankingRow:
    infl = float(a.influence[pos])
    if kind == "brokers":
        score, score_text = float(a.betweenness[pos]), f"{a.betweenness[pos]:.3f}"
        reason = a.broker_reasons.get(pos, "")
    elif kind == "hot_spots":
        score, score_text = infl, f"{infl:.0f}"
        reason = _hot_spot_reason(a, pos)
    elif kind == "isolates":
        score, score_text = infl, f"{infl:.0f}"
        mood = _attitude_label(a.attitude[pos])
        reason = f"no influence ties recorded; {mood.lower()}, {_readiness_text(a, pos)}"
    else:
        score, score_text = infl, f"{infl:.0f}"
        reach = float(a.reach[pos])
        reason = (
            f"reaches {reach:.0%} within two steps; "
            f"{Quadrant(a.quadrant[pos]).label.lower()}; {_readiness_text(a, pos)}"
        )
    return RankingRow(int(a.ids[pos]), a.name[pos], a.department[pos], score, score_text, reason)


def _hot_spot_reason(a: NetworkAnalysis, pos: int) -> str:
    parts = [f"influence {a.influence[pos]:.0f}"]
    value = a.readiness_of(pos)
    if value is not None:
        parts.append(f"readiness {value:.1f}")
    if a.barrier[pos]:
        parts.append(f"barrier at {a.barrier[pos]}")
    if a.attitude[pos] == Attitude.RESISTANT.value:
        parts.append("resistant")
    return ", ".join(parts)


def _attitude_label(value: str) -> str:
    try:
        return Attitude(value).label
    except ValueError:
        return value
