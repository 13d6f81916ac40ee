"""Influence-network operations: the analysis against the bare engines, the layout, and how
long the UI thread stalls while the analysis runs in the background.

Floors:

* **end to end** — raw sqlite3 ``SELECT`` of the people ids and ties, then the same metrics
  called bare on the engines: scipy PageRank (power iteration, same damping and tolerance),
  igraph betweenness (the same pivots and seed, in one call), igraph Louvain + modularity and
  igraph two-step reach (``neighborhood_size``, the fastest bare reach measured here);
* **metrics in memory** — the same engine calls on the graph prepared beforehand (igraph graphs
  and the sparse matrix built outside the timing) against ``analyze_network_arrays`` on the
  arrays (which prepares its graph inside the timing);
* **layout** — ``networkx.spring_layout`` (seed 42) on the same subgraph: the baseline the
  brief proposed; ratio below 1 means ours is faster;
* **UI stall** — a 50 ms budget: the ratio is the longest gap between ticks of a 5 ms QTimer
  on the UI thread while the Network page analyses and lays out the workspace, ÷ 50 ms.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture
from cmio_desktop.analysis.network import NetworkSettings, analyze_network_arrays
from cmio_desktop.analysis.network_layout import clear_layout_cache, force_layout
from cmio_desktop.services.network import analysis as network
from cmio_desktop.store import open_workspace

STALL_BUDGET_S = 0.050
LAYOUT_NODES = 600


def _raw_arrays(fx: Fixture) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    conn = sqlite3.connect(fx.populated)
    try:
        ids = np.fromiter(
            (r[0] for r in conn.execute("SELECT id FROM stakeholder ORDER BY id")), np.int64
        )
        ties = np.asarray(
            conn.execute("SELECT source_id, target_id, strength FROM relationship").fetchall(),
            dtype=np.int64,
        ).reshape(-1, 3)
    finally:
        conn.close()
    src, tgt = np.searchsorted(ids, ties[:, 0]), np.searchsorted(ids, ties[:, 1])
    return ids.size, src, tgt, ties[:, 2].astype(float)


class _Prepared:
    """The graph as the bare engines want it."""

    def __init__(
        self, n: int, src: np.ndarray, tgt: np.ndarray, w: np.ndarray, settings: NetworkSettings
    ) -> None:
        import igraph
        import scipy.sparse as sp

        self.n = n
        lo, hi = np.minimum(src, tgt), np.maximum(src, tgt)
        key, inverse = np.unique(lo * n + hi, return_inverse=True)
        self.total = np.bincount(inverse, weights=w, minlength=key.size)
        strongest = np.zeros(key.size)
        np.maximum.at(strongest, inverse, w)
        self.distance = (1.0 / strongest).tolist()
        self.undirected = igraph.Graph(
            n=n, edges=list(zip((key // n).tolist(), (key % n).tolist(), strict=True))
        )
        self.directed = igraph.Graph(
            n=n, edges=list(zip(src.tolist(), tgt.tolist(), strict=True)), directed=True
        )
        walk = sp.csr_matrix((w, (tgt, src)), shape=(n, n))
        out_weight = np.bincount(tgt, weights=w, minlength=n)
        self.dangling = out_weight == 0
        scale = np.divide(1.0, out_weight, out=np.zeros(n), where=~self.dangling)
        self.step = (sp.diags(scale) @ walk).T.tocsr()
        self.pivots = settings.pivots_for(n, key.size)
        self.settings = settings


def _bare_engines(p: _Prepared) -> Any:
    import random

    import igraph

    s, n = p.settings, p.n
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        new = s.damping * (p.step @ x) + (s.damping * x[p.dangling].sum() + 1 - s.damping) / n
        change = np.abs(new - x).sum()
        x = new
        if change < 1e-10:
            break
    if p.pivots is None:
        between = p.undirected.betweenness(directed=False, weights=p.distance)
    else:
        sources = np.random.default_rng(s.seed).choice(n, size=p.pivots, replace=False)
        between = p.undirected.betweenness(
            directed=False, weights=p.distance, sources=sources.tolist(), targets=range(n)
        )
    weights = p.total.tolist()
    igraph.set_random_number_generator(random.Random(s.seed))
    clusters = p.undirected.community_multilevel(weights=weights, resolution=s.resolution)
    igraph.set_random_number_generator(random)
    modularity = p.undirected.modularity(clusters.membership, weights=weights)
    reach = p.directed.neighborhood_size(order=2, mode="out")
    return x, between, modularity, reach


def end_to_end(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        network.clear_cache()

        def run() -> Any:
            ws = open_workspace(fx.populated)
            try:
                return network.analyze(ws)
            finally:
                ws.close()

        return run

    return prepare


def end_to_end_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        return lambda: _bare_engines(_Prepared(*_raw_arrays(fx), NetworkSettings()))

    return prepare


def in_memory(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    n, src, tgt, w = _raw_arrays(fx)
    labels = [p["department"] for p in fx.people]

    def prepare() -> Callable[[], Any]:
        return lambda: analyze_network_arrays(
            list(range(n)), src, tgt, w, NetworkSettings(), labels
        )

    return prepare


def in_memory_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    arrays = _raw_arrays(fx)

    def prepare() -> Callable[[], Any]:
        prepared = _Prepared(*arrays, NetworkSettings())
        return lambda: _bare_engines(prepared)

    return prepare


def _layout_subgraph(fx: Fixture) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The most connected ``LAYOUT_NODES`` people and the ties among them."""
    n, src, tgt, w = _raw_arrays(fx)
    degree = np.bincount(src, minlength=n) + np.bincount(tgt, minlength=n)
    keep = np.sort(np.argsort(-degree, kind="stable")[: min(n, LAYOUT_NODES)])
    local = np.full(n, -1)
    local[keep] = np.arange(keep.size)
    inside = (local[src] >= 0) & (local[tgt] >= 0)
    groups = np.asarray([fx.people[int(i)]["department"] for i in keep])
    return keep.size, local[src[inside]], local[tgt[inside]], w[inside], groups


def layout(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    k, a, b, w, groups = _layout_subgraph(fx)

    def prepare() -> Callable[[], Any]:
        return lambda: force_layout(k, a, b, w, groups=groups)

    return prepare


def layout_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    import networkx as nx

    k, a, b, w, _groups = _layout_subgraph(fx)
    graph = nx.Graph()
    graph.add_nodes_from(range(k))
    graph.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist(), strict=True))

    def prepare() -> Callable[[], Any]:
        return lambda: nx.spring_layout(graph, seed=42, weight="weight")

    return prepare


def ui_stall(fx: Fixture, in_thread_max_ties: int | None = None) -> tuple[float, float]:
    """Longest gap between 5 ms ticks on the UI thread, and the time until the view is drawn,
    while the Network page analyses the workspace from cold caches."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cmio_desktop.ui.common.tasks import IN_THREAD_MAX_TIES
    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.network import NetworkPage

    QApplication.instance() or QApplication([])
    network.clear_cache()
    clear_layout_cache()
    facade = WorkspaceFacade()
    page = NetworkPage(facade, in_thread_max_ties=in_thread_max_ties or IN_THREAD_MAX_TIES)
    page.resize(1160, 780)
    facade.open(fx.populated)
    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    page.view_ready.connect(loop.quit)
    page.busy.text.destroyed.connect(loop.quit)  # the page went away: stop waiting
    QTimer.singleShot(600_000, loop.quit)
    start = last[0] = time.perf_counter()
    timer.start()
    page.show()
    loop.exec()
    total = time.perf_counter() - start
    timer.stop()
    page.shutdown()
    page.close()
    page.deleteLater()
    facade.close()
    return max(gaps, default=total), total


def _stall_result(
    fx: Fixture, repeats: int, operation: str, in_thread_max_ties: int | None
) -> Result:
    runs = [ui_stall(fx, in_thread_max_ties) for _ in range(repeats)]
    worst = [r[0] for r in runs]
    total = statistics.median(r[1] for r in runs)
    return Result(
        fx.size,
        operation,
        "50 ms budget",
        statistics.median(worst),
        STALL_BUDGET_S,
        0.0,
        target=1.0 if in_thread_max_ties is None else None,
        note=f"max gap of a 5 ms UI timer; view ready after {total:.2f} s",
        samples=worst,
    )


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    k = min(n, LAYOUT_NODES)
    stall_repeats = min(repeats, 3)
    return [
        measure(
            n,
            "network analysis, end to end (service)",
            end_to_end(fx),
            "raw sqlite3 + bare scipy/igraph",
            end_to_end_floor(fx),
            repeats,
            target=1.5,
            note=f"{len(fx.ties):,} ties; cold cache",
        ),
        measure(
            n,
            "network metrics on arrays (analysis)",
            in_memory(fx),
            "bare scipy/igraph on prepared graph",
            in_memory_floor(fx),
            repeats,
            target=1.5,
        ),
        measure(
            n,
            f"layout of {k} people (ours, numpy FR)",
            layout(fx),
            "networkx spring_layout",
            layout_floor(fx),
            repeats,
            note="most connected people; seeded by department",
        ),
        _stall_result(fx, stall_repeats, "UI stall: page analyses in background", None),
        _stall_result(fx, 1, "UI stall: metrics on a pool thread instead", 10**12),
    ]
