"""Best engine per metric: each network metric timed bare on every engine that offers it, on
graphs prepared outside the timing, next to the full analysis.

The floor of the full analysis (``analyze_network_arrays``: tie preparation, graph builds, all
metrics, brokers and names) is the **sum of the fastest bare engine call per metric**. One row
per metric names the fastest engine; its ratio is the engine the analysis uses ÷ the fastest.

Engines: scipy (sparse power iteration), python-igraph (GPL), networkit (MIT, one thread — see
``graph_engine._networkit``). Imports are not timed (networkit's costs 1.2–2.7 s, which is why
Louvain uses it only from ``NETWORKIT_LOUVAIN_MIN_TIES`` on). networkit's EstimateBetweenness
uses the same number of pivots as igraph's subset betweenness (the automatic pivot count).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.harness import Result
from benchmarks.ops_network import _raw_arrays
from benchmarks.ops_store import Fixture
from cmio_desktop.analysis import graph_engine as engine
from cmio_desktop.analysis.network import NetworkSettings, analyze_network_arrays


def used_engines(undirected_ties: int) -> dict[str, str]:
    """The engine each metric uses in ``graph_engine`` for a graph of this size."""
    big = undirected_ties >= engine.NETWORKIT_LOUVAIN_MIN_TIES
    return {
        "PageRank": "scipy",
        "betweenness": "igraph",
        "Louvain": "networkit" if big else "igraph",
        "two-step reach": "igraph",
    }


class _Graphs:
    """The same ties as every engine wants them."""

    def __init__(self, n: int, src: np.ndarray, tgt: np.ndarray, w: np.ndarray) -> None:
        import igraph
        import scipy.sparse as sp

        nk = engine._networkit()
        s = NetworkSettings()
        src, tgt, w = engine.dedupe_directed(n, src, tgt, w)
        lo, hi, total, strongest = engine.undirected_pairs(n, src, tgt, w)
        self.n, self.settings = n, s
        self.total = total
        self.total_list = total.tolist()
        self.distance = (1.0 / strongest).tolist()
        self.pivots = s.pivots_for(n, lo.size)
        self.undirected_ties = int(lo.size)
        edges = list(zip(lo.tolist(), hi.tolist(), strict=True))
        self.ig_undirected = igraph.Graph(n=n, edges=edges)
        self.ig_directed = igraph.Graph(
            n=n, edges=list(zip(src.tolist(), tgt.tolist(), strict=True)), directed=True
        )
        self.nk_modularity = nk.GraphFromCoo((total, (lo, hi)), n=n, weighted=True)
        self.nk_distance = nk.GraphFromCoo((1.0 / strongest, (lo, hi)), n=n, weighted=True)
        self.nk_reversed = nk.GraphFromCoo((w, (tgt, src)), n=n, weighted=True, directed=True)
        walk = sp.csr_matrix((w, (tgt, src)), shape=(n, n))
        out_weight = np.bincount(tgt, weights=w, minlength=n)
        self.dangling = out_weight == 0
        scale = np.divide(1.0, out_weight, out=np.zeros(n), where=~self.dangling)
        self.step = (sp.diags(scale) @ walk).T.tocsr()


def _pagerank_scipy(g: _Graphs) -> Any:
    d, n = g.settings.damping, g.n
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        new = d * (g.step @ x) + (d * x[g.dangling].sum() + 1 - d) / n
        change = np.abs(new - x).sum()
        x = new
        if change < 1e-10:
            break
    return x


def _pagerank_networkit(g: _Graphs) -> Any:
    nk = engine._networkit()
    sinks = nk.centrality.SinkHandling.DistributeSinks
    pr = nk.centrality.PageRank(
        g.nk_reversed, damp=g.settings.damping, tol=1e-10, distributeSinks=sinks
    )
    pr.run()
    return pr.scores()


def _betweenness_igraph(g: _Graphs) -> Any:
    if g.pivots is None:
        return g.ig_undirected.betweenness(directed=False, weights=g.distance)
    sources = np.random.default_rng(g.settings.seed).choice(g.n, size=g.pivots, replace=False)
    return g.ig_undirected.betweenness(
        directed=False, weights=g.distance, sources=sources.tolist(), targets=range(g.n)
    )


def _betweenness_networkit(g: _Graphs) -> Any:
    nk = engine._networkit()
    if g.pivots is None:
        algo = nk.centrality.Betweenness(g.nk_distance, normalized=True)
    else:
        nk.setSeed(g.settings.seed, False)
        algo = nk.centrality.EstimateBetweenness(g.nk_distance, g.pivots, normalized=True)
    algo.run()
    return algo.scores()


def _louvain_igraph(g: _Graphs) -> Any:
    import igraph

    igraph.set_random_number_generator(random.Random(g.settings.seed))
    try:
        clusters = g.ig_undirected.community_multilevel(weights=g.total_list)
    finally:
        igraph.set_random_number_generator(random)
    return g.ig_undirected.modularity(clusters.membership, weights=g.total_list)


def _louvain_networkit(g: _Graphs) -> Any:
    nk = engine._networkit()
    nk.setSeed(g.settings.seed, False)
    plm = nk.community.PLM(g.nk_modularity, refine=False, par="balanced", turbo=True)
    plm.run()
    partition = plm.getPartition()  # one call: see graph_engine.louvain
    return nk.community.Modularity().getQuality(partition, g.nk_modularity)


def _reach_igraph(g: _Graphs) -> Any:
    return g.ig_directed.neighborhood_size(order=2, mode="out")


# networkit has no bounded-depth neighbourhood count: a BFS per person from Python is ~100×
# slower, so reach has one engine here.
CANDIDATES: dict[str, dict[str, Callable[[_Graphs], Any]]] = {
    "PageRank": {"scipy": _pagerank_scipy, "networkit": _pagerank_networkit},
    "betweenness": {"igraph": _betweenness_igraph, "networkit": _betweenness_networkit},
    "Louvain": {"igraph": _louvain_igraph, "networkit": _louvain_networkit},
    "two-step reach": {"igraph": _reach_igraph},
}


def _interleaved(calls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median per engine, the engines taking turns each repeat so that drifting machine load
    (2 shared cores) hits them alike."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def run(fx: Fixture, repeats: int) -> list[Result]:
    n, src, tgt, w = _raw_arrays(fx)
    graphs = _Graphs(n, src, tgt, w)
    labels = [p["department"] for p in fx.people]
    used = used_engines(graphs.undirected_ties)
    # Every bare engine call and the full analysis take turns within each repeat.
    calls: dict[str, Callable[[], Any]] = {
        f"{metric}/{name}": (lambda f=f: f(graphs))
        for metric, engines in CANDIDATES.items()
        for name, f in engines.items()
    }
    calls["full"] = lambda: analyze_network_arrays(
        list(range(n)), src, tgt, w, NetworkSettings(), labels
    )
    medians = _interleaved(calls, repeats)
    results: list[Result] = []
    fastest_sum = 0.0
    for metric, engines in CANDIDATES.items():
        times = {name: medians[f"{metric}/{name}"] for name in engines}
        best = min(times, key=times.__getitem__)
        fastest_sum += times[best]
        listing = ", ".join(f"{name} {t * 1000:.0f} ms" for name, t in times.items())
        if metric == "Louvain" and used[metric] != best:
            listing += "; networkit's 1.2–2.7 s import (not timed) outweighs the gain here"
        results.append(
            Result(
                n,
                f"{metric}: {used[metric]} (engine used)",
                f"fastest bare: {best}",
                times[used[metric]],
                times[best],
                0.0,
                target=1.0 if len(engines) > 1 and metric != "Louvain" else None,
                note=listing,
            )
        )
    results.append(
        Result(
            n,
            "full network analysis (arrays)",
            "Σ fastest bare engine per metric",
            medians["full"],
            fastest_sum,
            0.0,
            target=1.3,
            note="includes tie preparation, graph builds, brokers and names",
        )
    )
    return results
