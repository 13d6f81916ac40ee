"""The engines benchmark compares like with like: every engine offered for a metric computes
the same quantity on the same graph."""

import numpy as np
import pytest

from benchmarks import ops_engines
from cmio_desktop.analysis import graph_engine as engine


@pytest.fixture(scope="module")
def graphs() -> ops_engines._Graphs:
    rng = np.random.default_rng(3)
    n, m = 3_000, 15_000
    src, tgt = rng.integers(0, n, m), rng.integers(0, n, m)
    return ops_engines._Graphs(n, src, tgt, rng.integers(1, 6, m).astype(float))


def test_pagerank_engines_agree(graphs):
    scipy_rank = ops_engines._pagerank_scipy(graphs)
    networkit_rank = np.asarray(ops_engines._pagerank_networkit(graphs))
    networkit_rank /= networkit_rank.sum()
    assert networkit_rank == pytest.approx(scipy_rank / scipy_rank.sum(), abs=1e-9)


def test_sampled_betweenness_engines_estimate_the_same_ranking(graphs):
    assert graphs.pivots is not None  # above the exact limit: both sample
    ours = np.asarray(ops_engines._betweenness_igraph(graphs))
    theirs = np.asarray(ops_engines._betweenness_networkit(graphs))
    assert np.corrcoef(ours, theirs)[0, 1] > 0.8


def test_louvain_engines_reach_similar_modularity(graphs):
    assert ops_engines._louvain_networkit(graphs) == pytest.approx(
        ops_engines._louvain_igraph(graphs), abs=0.03
    )


def test_engine_used_for_louvain_follows_the_threshold():
    limit = engine.NETWORKIT_LOUVAIN_MIN_TIES
    assert ops_engines.used_engines(limit - 1)["Louvain"] == "igraph"
    assert ops_engines.used_engines(limit)["Louvain"] == "networkit"
