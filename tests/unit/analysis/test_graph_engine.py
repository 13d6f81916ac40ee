import random
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from cmio_desktop.analysis import graph_engine as engine


def random_graph(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src, tgt = rng.integers(0, n, m), rng.integers(0, n, m)
    # strengths 1, 2, 4: lengths 1, 1/2, 1/4 add up exactly in binary floating point, so
    # networkx (exact comparisons) and igraph (tolerant ones) see the same shortest paths
    strength = rng.choice([1.0, 2.0, 4.0], m)
    return engine.dedupe_directed(n, src, tgt, strength)


def test_exact_betweenness_matches_networkx():
    n = 80
    src, tgt, strength = random_graph(n, 240, seed=2)
    lo, hi, _, strongest = engine.undirected_pairs(n, src, tgt, strength)
    values, info = engine.betweenness(engine.undirected_graph(n, lo, hi), 1 / strongest, None, 0)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        zip(lo.tolist(), hi.tolist(), (1 / strongest).tolist(), strict=True)
    )
    expected = nx.betweenness_centrality(graph, weight="weight", normalized=True)
    assert info.mode == "exact"
    assert values == pytest.approx([expected[i] for i in range(n)], abs=1e-12)


def test_pivot_sums_over_every_source_give_exact_betweenness():
    """The sampled estimator (n / k) · Σ_pivots is unbiased: with every node as a pivot,
    one at a time, the dependencies sum to exact betweenness."""
    n = 50
    src, tgt, strength = random_graph(n, 150, seed=4)
    lo, hi, _, strongest = engine.undirected_pairs(n, src, tgt, strength)
    graph = engine.undirected_graph(n, lo, hi)
    weights = (1 / strongest).tolist()
    exact = np.asarray(graph.betweenness(directed=False, weights=weights))
    summed = sum(
        np.asarray(
            graph.betweenness(directed=False, weights=weights, sources=[s], targets=range(n))
        )
        for s in range(n)
    )
    assert summed == pytest.approx(exact)


def test_undirected_pairs_sum_and_keep_strongest():
    src, tgt, strength = np.array([0, 1, 2]), np.array([1, 0, 1]), np.array([2.0, 3.0, 1.0])
    lo, hi, total, strongest = engine.undirected_pairs(3, src, tgt, strength)
    assert list(zip(lo, hi, total, strongest, strict=True)) == [(0, 1, 5.0, 3.0), (1, 2, 1.0, 1.0)]


@pytest.mark.parametrize("which", ["igraph", "networkit"])
def test_louvain_is_reproducible_and_renumbered_largest_first(which: str):
    n = 200
    src, tgt, strength = random_graph(n, 800, seed=6)
    lo, hi, total, _ = engine.undirected_pairs(n, src, tgt, strength)
    runs = [engine.louvain(n, lo, hi, total, seed=3, engine=which) for _ in range(2)]
    assert np.array_equal(runs[0][0], runs[1][0]) and runs[0][1] == runs[1][1]
    sizes = np.bincount(runs[0][0])
    assert list(sizes) == sorted(sizes, reverse=True)


def test_igraph_louvain_restores_igraphs_generator():
    import igraph

    n = 100
    src, tgt, strength = random_graph(n, 400, seed=6)
    lo, hi, total, _ = engine.undirected_pairs(n, src, tgt, strength)
    engine.louvain(n, lo, hi, total, seed=3, engine="igraph")
    random.seed(99)
    expected = random.random()
    random.seed(99)
    igraph.Graph.Erdos_Renyi(10, 0.5)  # draws from the default (restored) generator
    assert random.random() != expected


def test_louvain_engine_follows_the_size_of_the_graph(monkeypatch):
    """Auto picks networkit from NETWORKIT_LOUVAIN_MIN_TIES undirected ties on."""
    n = 120
    src, tgt, strength = random_graph(n, 500, seed=5)
    lo, hi, total, _ = engine.undirected_pairs(n, src, tgt, strength)
    by_engine = {
        w: engine.louvain(n, lo, hi, total, seed=1, engine=w) for w in ("igraph", "networkit")
    }
    assert not np.array_equal(by_engine["igraph"][0], by_engine["networkit"][0])
    monkeypatch.setattr(engine, "NETWORKIT_LOUVAIN_MIN_TIES", lo.size + 1)
    assert np.array_equal(engine.louvain(n, lo, hi, total, seed=1)[0], by_engine["igraph"][0])
    monkeypatch.setattr(engine, "NETWORKIT_LOUVAIN_MIN_TIES", lo.size)
    assert np.array_equal(engine.louvain(n, lo, hi, total, seed=1)[0], by_engine["networkit"][0])


def test_louvain_in_a_fresh_process_gives_the_same_communities():
    """Reproducible across processes, not only within one (networkit keeps global state)."""
    code = (
        "import numpy as np, sys\n"
        "from cmio_desktop.analysis import graph_engine as e\n"
        "from tests.unit.analysis.test_graph_engine import random_graph\n"
        "src, tgt, s = random_graph(300, 1500, seed=9)\n"
        "lo, hi, total, _ = e.undirected_pairs(300, src, tgt, s)\n"
        "m, q = e.louvain(300, lo, hi, total, seed=1, engine='networkit')\n"
        "print(','.join(map(str, m.tolist())), repr(q))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("which", ["igraph", "networkit"])
def test_louvain_modularity_matches_networkx_with_resolution(which: str):
    n = 150
    src, tgt, strength = random_graph(n, 600, seed=12)
    lo, hi, total, _ = engine.undirected_pairs(n, src, tgt, strength)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(lo.tolist(), hi.tolist(), total.tolist(), strict=True))
    for resolution in (1.0, 0.5):
        membership, q = engine.louvain(
            n, lo, hi, total, seed=0, resolution=resolution, engine=which
        )
        parts = [set(np.flatnonzero(membership == c).tolist()) for c in range(membership.max() + 1)]
        expected = nx.community.modularity(graph, parts, resolution=resolution)
        assert q == pytest.approx(expected, abs=1e-12)
    # Louvain finds structure as good as networkx's own Louvain on the same graph.
    reference = nx.community.louvain_communities(graph, seed=0)
    assert engine.louvain(n, lo, hi, total, seed=0, engine=which)[1] >= (
        nx.community.modularity(graph, reference) - 0.02
    )


def test_two_step_reach_matches_breadth_first_search():
    n = 60
    src, tgt, _ = random_graph(n, 300, seed=8)
    whole = engine.two_step_reach(n, src, tgt)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src.tolist(), tgt.tolist(), strict=True))
    expected = [
        len(set(nx.single_source_shortest_path_length(graph, i, cutoff=2)) - {i}) for i in range(n)
    ]
    assert list(whole) == expected
