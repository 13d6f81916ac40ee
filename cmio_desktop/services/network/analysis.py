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

Parts: ``inputs`` (settings and the Core reads), ``ties`` (tie reads and audited edits) and
``cache`` here; the pure ``analysis.network_results`` (the dataclasses),
``analysis.network_rankings`` (rankings with reasons) and ``analysis.network_layout`` (positions
for the view). This module is the one to import.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.analysis.graph_engine import dedupe_directed
from cmio_desktop.analysis.grids import GridSettings, Quadrant, quadrant
from cmio_desktop.analysis.key_people import (
    champion_candidates,
    choose_champions,
    key_resister_mask,
    order_by_influence,
    ready_mask,
)
from cmio_desktop.analysis.network import (
    Broker,
    NetworkMetrics,
    NetworkSettings,
    analyze_network_arrays,
    hot_spots,
)
from cmio_desktop.analysis.network_rankings import RANKING_KINDS, RankingKind, RankingRow, ranking
from cmio_desktop.analysis.network_results import GroupSummary, NetworkAnalysis, PersonNetwork
from cmio_desktop.enums import AdkarElement, Attitude, StakeholderGroup
from cmio_desktop.services.network import cache as analysis_cache
from cmio_desktop.services.network.inputs import (
    NetworkInputs,
    grid_settings_in,
    initiative_in,
    load_in,
    network_settings,
    network_settings_in,
    readiness_settings_in,
    revision_in,
)
from cmio_desktop.services.network.ties import (
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
from cmio_desktop.store import Workspace

__all__ = [
    "RANKING_KINDS",
    "GroupSummary",
    "NetworkAnalysis",
    "PersonNetwork",
    "PersonTies",
    "RankingKind",
    "RankingRow",
    "RelationshipRows",
    "TieRow",
    "add_tie",
    "analyze",
    "compact_metrics",
    "expand_metrics",
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

Progress = Callable[[int, str], None]
MetricsRunner = Callable[..., NetworkMetrics]


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


_computing: dict[Hashable, threading.Lock] = {}  # one computation per key at a time
_WAIT_SECONDS = 0.25


def _wait_for_turn(key: Hashable, report: Progress) -> threading.Lock:
    """The lock for ``key``, acquired: a second caller (the register while the dashboard is
    computing the same analysis) waits for the first one's result instead of computing it
    again. ``report`` is called while waiting, so a cancelled caller stops waiting."""
    with _lock:
        turn = _computing.setdefault(key, threading.Lock())
    while not turn.acquire(timeout=_WAIT_SECONDS):
        report(10, "Waiting for the same analysis, already running…")
    return turn


def _done_with(key: Hashable, turn: threading.Lock) -> None:
    with _lock:
        if _computing.get(key) is turn:
            del _computing[key]
    turn.release()


def clear_cache() -> None:
    with _lock:
        _results.clear()
        _metrics.clear()


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
    with ws.read_session() as session:
        revision = revision_in(session)
        initiative = initiative_in(session, initiative_id)
        net = settings or network_settings_in(session)
        ready = readiness_settings_in(session)
        grid = grid_settings_in(session)
        key = (str(ws.path.resolve()), revision, initiative[0], net, ready, grid)
        cached = _cache_get(_results, key)
        if cached is not None:
            report(100, "Up to date")
            return cached
        turn = _wait_for_turn(key, report)
        try:
            cached = _cache_get(_results, key)
            inputs = None if cached is not None else load_in(session, initiative[0], ready)
        except BaseException:
            _done_with(key, turn)
            raise
    if cached is not None:  # computed by another caller while we waited
        _done_with(key, turn)
        report(100, "Up to date")
        return cached
    try:
        report(20, "Computing network influence, brokers and communities…")
        metrics, ties = _metrics_for(inputs, net, metrics_runner or analyze_network_arrays, key[0])
        report(85, "Finding hot spots, key resisters and champions…")
        result = _assemble(
            str(ws.path), revision, initiative, net, grid, ready, inputs, metrics, ties
        )
        _cache_put(_results, key, result)
    finally:
        _done_with(key, turn)
    report(100, "Done")
    return result


def _metrics_for(
    inputs: NetworkInputs, settings: NetworkSettings, runner: MetricsRunner, workspace: str = ""
) -> tuple[NetworkMetrics, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The graph metrics (cached by a digest of the graph, in memory and, for ``workspace``,
    on disk across runs) and the distinct ties they used."""
    digest = hashlib.blake2b(digest_size=20)
    for array in (inputs.ids, inputs.src, inputs.tgt, inputs.strength):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update("\x1f".join(inputs.department).encode())
    digest.update(repr(settings).encode())
    key = digest.hexdigest()
    found = _cache_get(_metrics, key)
    n = inputs.ids.size
    if found is None and workspace:
        found = analysis_cache.load(workspace, key, n, settings)
    if found is None:
        metrics = runner(
            list(range(n)), inputs.src, inputs.tgt, inputs.strength, settings, inputs.department
        )
        found = (metrics, dedupe_directed(n, inputs.src, inputs.tgt, inputs.strength))
        if workspace:
            analysis_cache.save(workspace, key, *found)
    _cache_put(_metrics, key, found)
    return found


def _assemble(
    path: str,
    revision: int,
    initiative: tuple[int | None, str],
    settings: NetworkSettings,
    grid: GridSettings,
    readiness_settings: ReadinessSettings,
    inputs: NetworkInputs,
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
    quadrant_of = [
        quadrants[pi] for pi in zip(inputs.power.tolist(), inputs.interest.tolist(), strict=True)
    ]
    key_player = np.fromiter(
        (q == Quadrant.KEY_PLAYER.value for q in quadrant_of), dtype=bool, count=n
    )
    people = settings.key_people()
    resister = key_resister_mask(
        inputs.attitude, inputs.desire, key_player, metrics.influence, people
    )
    is_ready = ready_mask(inputs.readiness, inputs.barrier, readiness_settings.ready_threshold)
    assessed_mask = ~np.isnan(inputs.readiness)
    champions = choose_champions(
        champion_candidates(inputs.attitude, is_ready, resister),
        assessed_mask & ~is_ready,
        metrics.influence,
        ties[0],
        ties[1],
        people.champion_count,
    )
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
        quadrant=quadrant_of,
        power=inputs.power,
        interest=inputs.interest,
        influence=metrics.influence,
        betweenness=metrics.betweenness,
        in_strength=metrics.in_strength,
        out_strength=metrics.out_strength,
        reach=metrics.reach,
        community=metrics.community,
        community_names=metrics.community_names,
        readiness=inputs.readiness,
        barrier=inputs.barrier,
        desire=inputs.desire,
        ready=is_ready,
        key_resister=resister,
        key_resisters=order_by_influence(resister, metrics.influence),
        champions=champions,
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


def compact_metrics(
    n: int,
    src: np.ndarray,
    tgt: np.ndarray,
    strength: np.ndarray,
    settings: NetworkSettings,
    labels: Sequence[str | None] | None,
) -> tuple[NetworkMetrics, list[tuple[Any, ...]]]:
    """:func:`analyze_network_arrays` on nodes 0..n-1, packed to cross a process boundary
    cheaply: node ids and brokers travel as plain data (unpickling 10,000 frozen dataclasses
    and a 100,000-element list held the receiving thread's GIL ~70 ms at 100,000 people)."""
    metrics = analyze_network_arrays(list(range(n)), src, tgt, strength, settings, labels)
    brokers = [(b.node_id, b.betweenness, b.communities, b.reason) for b in metrics.brokers]
    metrics.node_ids = []
    metrics.brokers = []
    return metrics, brokers


def expand_metrics(packed: tuple[NetworkMetrics, list[tuple[Any, ...]]]) -> NetworkMetrics:
    """Undo :func:`compact_metrics` (in Python steps, so other threads keep running)."""
    metrics, brokers = packed
    metrics.node_ids = list(range(int(metrics.influence.size)))
    metrics.brokers = [Broker(*b) for b in brokers]
    return metrics


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
