"""Influence-network metrics (``MODELS.md``, "Influence network").

A tie ``(source, target, strength)`` means *source influences target*, strength 1–5. Repeated
ties in one direction keep the strongest; self-ties are ignored. The undirected graph merges
i→j and j→i: its modularity weight is their summed strength, its betweenness length 1/s uses
the stronger of the two.

Measured end to end by ``analyze_network_arrays`` on synthetic graphs (2 shared cores, 80 % of
ties inside departments of 100; default settings; two runs each; before communities moved from
igraph to networkit PLM — ``benchmarks/RESULTS.md`` has the current engine comparison):

* 10,000 people / 100,000 ties: 0.9–1.2 s — betweenness sampled with 310 pivots 0.76 s,
  Louvain 0.05 s, PageRank 0.01 s, reach 0.03 s, brokers/names 0.01 s (+0.3 s igraph import
  on first use).
* 100,000 people / 1,000,000 ties: 5.3–5.9 s — betweenness sampled with 32 pivots 3.2 s,
  Louvain 1.3 s, reach 0.3 s, graph build 0.2–0.5 s, tie preparation 0.2 s, PageRank 0.1 s,
  brokers/names 0.1 s. Mapping 1M id tuples (:func:`analyze_network`) adds ~0.5 s.

Exact betweenness is used up to ``exact_betweenness_max_nodes`` (2,000: 0.8 s measured at
20,000 ties; 5,000 nodes took 5.7 s and 10,000 took 24 s). Above it, the pivot count is
``betweenness_pivots`` or, when that is ``None``, ``betweenness_work_budget / ties`` clamped to
at least ``betweenness_min_pivots`` — about a constant 1–3 s of work at any size.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cmio_desktop.analysis import graph_engine as engine
from cmio_desktop.analysis.graph_engine import BetweennessInfo
from cmio_desktop.analysis.key_people import KeyPeopleSettings
from cmio_desktop.analysis.network_roles import (
    Broker,
    HotSpot,
    find_brokers,
    find_hot_spots,
    name_communities,
)
from cmio_desktop.enums import AdkarElement, Attitude

__all__ = [
    "BetweennessInfo",
    "Broker",
    "HotSpot",
    "NetworkMetrics",
    "NetworkSettings",
    "analyze_network",
    "analyze_network_arrays",
    "hot_spots",
    "ties_to_arrays",
]


@dataclass(frozen=True)
class NetworkSettings:
    """Every parameter of the network metrics, with the ``MODELS.md`` defaults."""

    damping: float = 0.85
    exact_betweenness_max_nodes: int = 2_000
    betweenness_pivots: int | None = None
    betweenness_work_budget: int = 30_000_000
    betweenness_min_pivots: int = 32
    betweenness_error_batches: int = 8
    seed: int = 42
    resolution: float = 1.0
    broker_quantile: float = 0.9
    hot_spot_quantile: float = 0.75
    hot_spot_readiness_below: float = 3.0
    hot_spot_barriers: tuple[AdkarElement, ...] = (AdkarElement.AWARENESS, AdkarElement.DESIRE)
    hot_spot_attitudes: tuple[Attitude, ...] = (Attitude.RESISTANT,)
    key_resister_desire_max: int = 2
    key_resister_top_share: float = 0.10
    champion_count: int = 10

    def key_people(self) -> KeyPeopleSettings:
        return KeyPeopleSettings(
            self.key_resister_desire_max, self.key_resister_top_share, self.champion_count
        )

    def pivots_for(self, n: int, undirected_ties: int) -> int | None:
        """Pivot count for a graph of this size, or ``None`` for exact betweenness."""
        if n <= self.exact_betweenness_max_nodes:
            return None
        k = self.betweenness_pivots
        if k is None:
            k = max(
                self.betweenness_min_pivots, self.betweenness_work_budget // max(1, undirected_ties)
            )
        return None if k >= n else int(k)


@dataclass(eq=False)
class NetworkMetrics:
    """Per-person arrays aligned with ``node_ids``, plus network-wide results."""

    node_ids: list[Hashable]
    influence: np.ndarray  # PageRank on the reversed graph, scaled so the maximum is 100
    pagerank: np.ndarray  # the raw PageRank (sums to 1)
    betweenness: np.ndarray  # normalised, undirected, length 1/s
    betweenness_info: BetweennessInfo
    in_strength: np.ndarray  # Σ strength of ties into the person (who influences them)
    out_strength: np.ndarray  # Σ strength of ties out of the person (whom they influence)
    in_ties: np.ndarray
    out_ties: np.ndarray
    reach: np.ndarray  # share of the other n-1 people within two steps downstream
    reach_count: np.ndarray
    community: np.ndarray  # community number, 0 = largest
    community_names: list[str]
    modularity: float
    isolates: list[Hashable]
    brokers: list[Broker]
    settings: NetworkSettings
    tie_count: int = 0  # distinct directed ties after merging repeats and dropping self-ties
    timings: dict[str, float] = field(default_factory=dict)
    _index: dict[Hashable, int] | None = field(default=None, init=False, repr=False)

    @property
    def n(self) -> int:
        return len(self.node_ids)

    def index_of(self, node_id: Hashable) -> int:
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self.node_ids)}
        return self._index[node_id]

    def top_influencers(self, k: int) -> list[Hashable]:
        """The ``k`` most influential people, ties broken by input order."""
        order = np.lexsort((np.arange(self.n), -self.influence))[:k]
        return [self.node_ids[i] for i in order]

    def summary(self) -> dict[str, object]:
        """Network-wide figures for a dashboard or an export, with the method used."""
        info = self.betweenness_info
        return {
            "people": self.n,
            "ties": self.tie_count,
            "communities": len(self.community_names),
            "modularity": self.modularity,
            "isolates": len(self.isolates),
            "brokers": len(self.brokers),
            "mean_reach": float(self.reach.mean()) if self.n else 0.0,
            "betweenness_mode": info.mode,
            "betweenness_pivots": info.pivots,
            "betweenness_seed": info.seed,
            "betweenness_relative_error": info.relative_error,
            "louvain_seed": self.settings.seed,
            "louvain_resolution": self.settings.resolution,
            "damping": self.settings.damping,
        }


def ties_to_arrays(
    node_ids: Sequence[Hashable], ties: Iterable[tuple[Hashable, Hashable, float]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Map ``(source_id, target_id, strength)`` ties to index arrays; unknown ids raise."""
    index = {node: i for i, node in enumerate(node_ids)}
    if len(index) != len(node_ids):
        raise ValueError("node ids must be unique")
    src: list[int] = []
    tgt: list[int] = []
    strength: list[float] = []
    for a, b, s in ties:
        try:
            src.append(index[a])
            tgt.append(index[b])
        except KeyError as exc:
            raise ValueError(f"tie refers to unknown person {exc.args[0]!r}") from None
        strength.append(s)
    arrays = (np.asarray(src, np.int64), np.asarray(tgt, np.int64), np.asarray(strength, float))
    if arrays[2].size and (arrays[2].min() <= 0):
        raise ValueError("tie strengths must be positive")
    return arrays


def analyze_network(
    node_ids: Sequence[Hashable],
    ties: Iterable[tuple[Hashable, Hashable, float]],
    settings: NetworkSettings | None = None,
    departments: Mapping[Hashable, str | None] | None = None,
) -> NetworkMetrics:
    """All network metrics for people ``node_ids`` and ties ``(source, target, strength)``.

    ``departments`` (person → label) names communities after their most common department.
    """
    started = time.perf_counter()
    src, tgt, strength = ties_to_arrays(node_ids, ties)
    labels = None
    if departments is not None:
        labels = [departments.get(node) for node in node_ids]
    metrics = analyze_network_arrays(list(node_ids), src, tgt, strength, settings, labels)
    metrics.timings["total"] = time.perf_counter() - started
    return metrics


def analyze_network_arrays(
    node_ids: list[Hashable],
    src: np.ndarray,
    tgt: np.ndarray,
    strength: np.ndarray,
    settings: NetworkSettings | None = None,
    department_labels: Sequence[str | None] | None = None,
) -> NetworkMetrics:
    """As :func:`analyze_network`, with ties given as index arrays into ``node_ids``."""
    s = settings or NetworkSettings()
    n = len(node_ids)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    src, tgt, strength = engine.dedupe_directed(
        n, np.asarray(src, np.int64), np.asarray(tgt, np.int64), np.asarray(strength, float)
    )
    lo, hi, total, strongest = engine.undirected_pairs(n, src, tgt, strength)
    lap("prepare")

    pagerank = engine.pagerank(n, src, tgt, strength, s.damping)
    top = pagerank.max() if n else 0.0
    influence = pagerank * (100.0 / top) if top > 0 else np.zeros(n)
    lap("pagerank")

    undirected = engine.undirected_graph(n, lo, hi)
    lap("build")

    between, info = engine.betweenness(
        undirected,
        1.0 / strongest,
        s.pivots_for(n, lo.size),
        s.seed,
        s.betweenness_error_batches,
    )
    lap("betweenness")

    reach_count = engine.two_step_reach(n, src, tgt)
    reach = reach_count / (n - 1) if n > 1 else np.zeros(n)
    lap("reach")

    community, modularity = engine.louvain(n, lo, hi, total, s.seed, s.resolution, undirected)
    lap("louvain")

    names = name_communities(community, department_labels)
    brokers = find_brokers(node_ids, between, community, names, lo, hi, total, s.broker_quantile)
    degree = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
    isolates = [node_ids[i] for i in np.flatnonzero(degree == 0)]
    lap("roles")

    return NetworkMetrics(
        node_ids=node_ids,
        influence=influence,
        pagerank=pagerank,
        betweenness=between,
        betweenness_info=info,
        in_strength=np.bincount(tgt, weights=strength, minlength=n),
        out_strength=np.bincount(src, weights=strength, minlength=n),
        in_ties=np.bincount(tgt, minlength=n),
        out_ties=np.bincount(src, minlength=n),
        reach=reach,
        reach_count=reach_count,
        community=community,
        community_names=names,
        modularity=modularity,
        isolates=isolates,
        brokers=brokers,
        settings=s,
        tie_count=int(src.size),
        timings=timings,
    )


def hot_spots(
    metrics: NetworkMetrics,
    readiness: Mapping[Hashable, float] | None = None,
    barriers: Mapping[Hashable, AdkarElement | None] | None = None,
    attitudes: Mapping[Hashable, Attitude | None] | None = None,
) -> list[HotSpot]:
    """Influential people (top quartile) who are not ready, blocked early, or resistant.

    Kept apart from :func:`analyze_network` so a new assessment round needs no graph work.
    """
    s = metrics.settings
    return find_hot_spots(
        metrics.node_ids,
        metrics.influence,
        readiness,
        barriers,
        attitudes,
        quantile=s.hot_spot_quantile,
        readiness_below=s.hot_spot_readiness_below,
        barrier_elements=s.hot_spot_barriers,
        risky_attitudes=s.hot_spot_attitudes,
    )
