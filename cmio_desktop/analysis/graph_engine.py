"""Graph kernels for the influence network: scipy sparse for PageRank, python-igraph
(compiled C, GPL) for betweenness and two-step reach, networkit (C++, MIT) for Louvain.

Input is always numpy arrays over node indices 0..n-1; scipy, igraph and networkit are
imported lazily (igraph costs ~0.2–0.4 s to import). One engine per metric, the fastest
measured bare on prepared graphs by ``python -m benchmarks --only engines`` (2 shared cores;
synthetic graphs, 80 % of ties inside departments of 100, strengths 1–5; see
``benchmarks/RESULTS.md``):

========================  ==========================================================
metric                    engines compared (fastest first; 10k / 100k people)
========================  ==========================================================
PageRank                  scipy power iteration; networkit PageRank (sinks spread)
                          2–5× slower (and 10× slower with 2 threads on shared cores)
betweenness, sampled      igraph subset betweenness; networkit EstimateBetweenness,
                          same pivots, 1.3–1.5× slower at 10k, level at 100k
Louvain                   networkit PLM (one thread) 2.4–3.5× faster than igraph
                          multilevel, same modularity to 4 decimals; but its import
                          costs 1.2–2.7 s, so igraph below 300,000 ties
two-step reach            igraph ``neighborhood_size``; networkit has no bounded-depth
                          count, scipy A + A² was 5× slower
========================  ==========================================================

Sampled betweenness is Brandes–Pich pivot sampling: the dependencies accumulated from ``k``
random sources (igraph's subset betweenness), scaled by ``n / k``. Summing the subset
betweenness over every single source reproduces igraph's exact betweenness (checked in tests),
so the estimate is unbiased; its error is estimated from independent pivot batches.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    import igraph


@dataclass(frozen=True)
class BetweennessInfo:
    """How betweenness was computed: exactly, or sampled from ``pivots`` sources drawn with
    ``seed``; ``relative_error`` is the median relative standard error over the top decile
    (estimated from independent pivot batches), ``None`` when exact."""

    mode: Literal["exact", "sampled"]
    pivots: int | None = None
    seed: int | None = None
    relative_error: float | None = None


def _graph(n: int, a: np.ndarray, b: np.ndarray, directed: bool) -> igraph.Graph:
    import igraph

    return igraph.Graph(
        n=n, edges=list(zip(a.tolist(), b.tolist(), strict=True)), directed=directed
    )


def dedupe_directed(
    n: int, src: np.ndarray, tgt: np.ndarray, strength: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop self-ties; repeated ties i→j keep their strongest strength."""
    keep = src != tgt
    src, tgt, strength = src[keep], tgt[keep], strength[keep]
    key = src * n + tgt
    order = np.lexsort((strength, key))  # by key, strongest last
    key, src, tgt, strength = key[order], src[order], tgt[order], strength[order]
    last = np.ones(key.size, dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    return src[last], tgt[last], strength[last]


def undirected_pairs(
    n: int, src: np.ndarray, tgt: np.ndarray, strength: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge i→j and j→i into one undirected pair (lo, hi): returns lo, hi, the summed
    strength (for modularity, i.e. A + Aᵀ) and the strongest strength (for distance 1/s)."""
    lo, hi = np.minimum(src, tgt), np.maximum(src, tgt)
    key = lo * n + hi
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    total = np.bincount(inverse, weights=strength, minlength=uniq.size)
    strongest = np.zeros(uniq.size)
    np.maximum.at(strongest, inverse, strength.astype(float))
    return lo[first], hi[first], total, strongest


def undirected_graph(n: int, lo: np.ndarray, hi: np.ndarray) -> igraph.Graph:
    """The undirected igraph graph; edge k is ``lo[k] — hi[k]``, so weight arrays align."""
    return _graph(n, lo, hi, directed=False)


def pagerank(
    n: int,
    src: np.ndarray,
    tgt: np.ndarray,
    strength: np.ndarray,
    damping: float,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> np.ndarray:
    """PageRank on the reversed graph (j → i with weight s for each tie i → j), so rank flows
    from the influenced to their influencers: power iteration on a scipy sparse matrix until
    the L1 change is below ``tol``. Dangling nodes (no influencers) spread uniformly."""
    import scipy.sparse as sp

    if n == 0:
        return np.zeros(0)
    # Row j of ``walk`` lists j's influencers i (the reversed edges j → i), weighted by s.
    walk = sp.csr_matrix((strength, (tgt, src)), shape=(n, n))
    out_weight = np.bincount(tgt, weights=strength, minlength=n)
    dangling = out_weight == 0
    scale = np.divide(1.0, out_weight, out=np.zeros(n), where=~dangling)
    step = (sp.diags(scale) @ walk).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (step @ x) + (damping * x[dangling].sum() + 1.0 - damping) / n
        change = np.abs(new - x).sum()
        x = new
        if change < tol:
            break
    return x / x.sum()


def two_step_reach(n: int, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """Number of other people each person reaches downstream in one or two steps.

    igraph's breadth-first ``neighborhood_size`` (order 2, out-ties; it counts the person too)
    measured 1.1 s at 100,000 people and 1,000,000 ties against 5.6 s for counting the
    non-zeros of A + A² with scipy, with identical counts.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = _graph(n, src, tgt, directed=True)
    return np.asarray(g.neighborhood_size(order=2, mode="out"), dtype=np.int64) - 1


def _normalise_betweenness(raw: np.ndarray, n: int) -> np.ndarray:
    if n <= 2:
        return np.zeros(n)
    return raw * 2.0 / ((n - 1) * (n - 2))


def betweenness(
    g: igraph.Graph,
    distance: np.ndarray,
    pivots: int | None,
    seed: int,
    batches: int = 8,
) -> tuple[np.ndarray, BetweennessInfo]:
    """Normalised betweenness on the undirected graph with edge lengths ``distance``.

    ``pivots=None`` (or ``pivots >= n``) computes it exactly; otherwise Brandes–Pich sampling
    with ``pivots`` sources drawn by ``numpy.random.default_rng(seed)``.
    """
    n = g.vcount()
    weights = distance.tolist() if distance.size else None
    if pivots is None or pivots >= n:
        raw = np.asarray(g.betweenness(directed=False, weights=weights), dtype=float)
        return _normalise_betweenness(raw, n), BetweennessInfo("exact")
    chosen = np.random.default_rng(seed).choice(n, size=pivots, replace=False)
    parts = [p for p in np.array_split(chosen, max(1, min(batches, pivots))) if p.size]
    targets = range(n)
    sums = [
        np.asarray(
            g.betweenness(directed=False, weights=weights, sources=p.tolist(), targets=targets),
            dtype=float,
        )
        for p in parts
    ]
    estimate = np.sum(sums, axis=0) * n / pivots
    rel_error = _relative_error(estimate, sums, parts, n)
    info = BetweennessInfo("sampled", pivots=pivots, seed=seed, relative_error=rel_error)
    return _normalise_betweenness(estimate, n), info


def _relative_error(
    estimate: np.ndarray, sums: list[np.ndarray], parts: list[np.ndarray], n: int
) -> float | None:
    """Median relative standard error of the estimate over its top decile (batch means)."""
    if len(parts) < 2 or not np.any(estimate > 0):
        return None
    per_batch = np.array([s * n / p.size for s, p in zip(sums, parts, strict=True)])
    std_error = per_batch.std(axis=0, ddof=1) / np.sqrt(len(parts))
    positive = estimate > 0
    cut = np.quantile(estimate[positive], 0.9)
    top = positive & (estimate >= cut)
    return float(np.median(std_error[top] / estimate[top]))


_networkit_ready = False


def _networkit() -> Any:
    """networkit, set to one thread on first use.

    One thread makes PLM's node moves happen in a fixed order (so its communities are the same
    on every run and machine), and it is also the faster setting here: with two OpenMP threads
    on 2 shared cores PLM took 0.15 s instead of 0.02 s at 10,000 people (busy-waiting threads).
    """
    global _networkit_ready
    import networkit

    if not _networkit_ready:
        networkit.setNumberOfThreads(1)
        _networkit_ready = True
    return networkit


#: From this many undirected ties on, networkit PLM computes the communities; below it,
#: igraph. networkit's import costs 1.2–2.7 s here (it loads matplotlib, networkx and scipy.io),
#: which PLM only wins back on big graphs: at 62,000 ties it saves 0.05 s over igraph, at
#: 700,000 ties 2–3 s (``benchmarks/ops_engines.py``).
NETWORKIT_LOUVAIN_MIN_TIES = 300_000
LouvainEngine = Literal["auto", "igraph", "networkit"]


def louvain(
    n: int,
    lo: np.ndarray,
    hi: np.ndarray,
    weight: np.ndarray,
    seed: int,
    resolution: float = 1.0,
    graph: igraph.Graph | None = None,
    engine: LouvainEngine = "auto",
) -> tuple[np.ndarray, float]:
    """Louvain communities on the undirected weighted graph with edges ``lo[k] — hi[k]`` of
    weight ``weight[k]`` (``graph``: the same edges as an igraph graph, if already built).

    ``engine="auto"`` picks by size (:data:`NETWORKIT_LOUVAIN_MIN_TIES`), so a given network
    always gets the same engine. Both are seeded and give identical results run to run:
    igraph's multilevel draws from ``random.Random(seed)``; networkit PLM runs on one thread,
    so its moves follow node order. Communities are renumbered by size (largest 0), ties by
    lowest member. Returns the membership array and the modularity (0.0 with no ties).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64), 0.0
    if weight.size == 0:
        return np.arange(n, dtype=np.int64), 0.0
    weight = np.asarray(weight, dtype=float)
    if engine == "auto":
        engine = "networkit" if lo.size >= NETWORKIT_LOUVAIN_MIN_TIES else "igraph"
    if engine == "networkit":
        raw = _louvain_networkit(n, lo, hi, weight, seed, resolution)
    else:
        raw = _louvain_igraph(graph or undirected_graph(n, lo, hi), weight, seed, resolution)
    membership = _renumber(raw)
    return membership, modularity(n, lo, hi, weight, membership, resolution)


def _louvain_igraph(
    g: igraph.Graph, weight: np.ndarray, seed: int, resolution: float
) -> np.ndarray:
    """igraph multilevel; igraph's process-wide generator is set to ``random.Random(seed)``
    for the call and restored to its default (the ``random`` module) afterwards."""
    import igraph

    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = g.community_multilevel(weights=weight.tolist(), resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
    return np.asarray(clustering.membership, dtype=np.int64)


def _louvain_networkit(
    n: int, lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, seed: int, resolution: float
) -> np.ndarray:
    nk = _networkit()
    graph = nk.GraphFromCoo((weight, (lo, hi)), n=n, weighted=True, directed=False)
    nk.setSeed(seed, False)
    plm = nk.community.PLM(graph, refine=False, gamma=resolution, par="balanced", turbo=True)
    plm.run()
    # Keep the Partition in a name: networkit frees its data when a temporary from a second
    # getPartition() call dies, and a later use then crashes the process.
    partition = plm.getPartition()
    return np.asarray(partition.getVector(), dtype=np.int64)


def modularity(
    n: int,
    lo: np.ndarray,
    hi: np.ndarray,
    weight: np.ndarray,
    membership: np.ndarray,
    resolution: float = 1.0,
) -> float:
    """Newman's weighted modularity with resolution γ: Σ_c [w_in(c)/m − γ (d(c)/2m)²], where
    m is the total edge weight, w_in(c) the weight inside c and d(c) its weighted degree."""
    m = float(weight.sum())
    if m <= 0:
        return 0.0
    k = int(membership.max()) + 1 if membership.size else 0
    inside = membership[lo] == membership[hi]
    w_in = np.bincount(membership[lo[inside]], weights=weight[inside], minlength=k)
    degree = np.bincount(lo, weights=weight, minlength=n) + np.bincount(
        hi, weights=weight, minlength=n
    )
    d = np.bincount(membership, weights=degree, minlength=k)
    return float((w_in / m - resolution * (d / (2 * m)) ** 2).sum())


def _renumber(membership: np.ndarray) -> np.ndarray:
    labels, first, counts = np.unique(membership, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))  # biggest first, then by lowest member
    new_id = np.empty(labels.size, dtype=np.int64)
    new_id[order] = np.arange(labels.size)
    return new_id[np.searchsorted(labels, membership)]
