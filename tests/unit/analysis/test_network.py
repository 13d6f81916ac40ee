import itertools
import random

import networkx as nx
import numpy as np
import pytest

from cmio_desktop.analysis.network import NetworkSettings, analyze_network, hot_spots
from cmio_desktop.enums import AdkarElement, Attitude

STAR_LEAVES = 5


def star(reverse: bool = False) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Person 0 influences each leaf (or, reversed, each leaf influences 0)."""
    ties = [(0, leaf, 3) for leaf in range(1, STAR_LEAVES + 1)]
    if reverse:
        ties = [(b, a, w) for a, b, w in ties]
    return list(range(STAR_LEAVES + 1)), ties


def two_cliques(size: int = 5) -> tuple[list[str], list[tuple[str, str, int]], dict[str, str]]:
    left = [f"p{i}" for i in range(size)]
    right = [f"e{i}" for i in range(size)]
    ties = [(a, b, 4) for group in (left, right) for a, b in itertools.combinations(group, 2)]
    ties.append(("p0", "e0", 1))
    departments = {p: "Pharmacy" for p in left} | {e: "ED" for e in right}
    return left + right, ties, departments


def random_ties(n: int, m: int, seed: int) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(n), rng.randrange(n), rng.randint(1, 5)) for _ in range(m)]


def test_star_centre_is_top_influencer_with_100():
    nodes, ties = star()
    metrics = analyze_network(nodes, ties)
    assert metrics.influence[0] == pytest.approx(100.0)
    assert metrics.top_influencers(1) == [0]
    assert np.all(metrics.influence[1:] < 100.0)


def test_reversing_every_tie_moves_influence_to_the_leaves():
    nodes, ties = star(reverse=True)
    metrics = analyze_network(nodes, ties)
    # Leaves are symmetric, so all share the maximum; the centre now only receives rank
    # through teleporting and dangling mass, so it ranks below them.
    assert metrics.influence[1:] == pytest.approx([100.0] * STAR_LEAVES)
    assert metrics.influence[0] < 100.0
    assert metrics.top_influencers(1) == [1]


def test_pagerank_matches_networkx_on_the_reversed_graph():
    ties = random_ties(40, 120, seed=3)
    metrics = analyze_network(list(range(40)), ties)
    reversed_graph = nx.DiGraph()
    reversed_graph.add_nodes_from(range(40))
    strongest: dict[tuple[int, int], int] = {}
    for a, b, w in ties:
        if a != b:
            strongest[(a, b)] = max(w, strongest.get((a, b), 0))
    reversed_graph.add_weighted_edges_from((b, a, w) for (a, b), w in strongest.items())
    expected = nx.pagerank(reversed_graph, alpha=0.85, weight="weight", tol=1e-12)
    assert metrics.pagerank == pytest.approx([expected[i] for i in range(40)], abs=1e-9)


def test_path_middle_has_highest_betweenness():
    nodes = list(range(5))
    metrics = analyze_network(nodes, [(i, i + 1, 2) for i in range(4)])
    # Normalised over C(4, 2) = 6 pairs of the other nodes. Node 2 lies on 0–3, 0–4, 1–3,
    # 1–4 (4 pairs); node 1 on 0–2, 0–3, 0–4 (3 pairs); the ends on none.
    assert metrics.betweenness == pytest.approx([0, 3 / 6, 4 / 6, 3 / 6, 0])
    assert metrics.betweenness_info.mode == "exact"


def test_strong_ties_are_short_for_betweenness():
    # 0–1–3 with strong ties (length 1/5 + 1/5) beats 0–2–3 with weak ones (1 + 1).
    ties = [(0, 1, 5), (1, 3, 5), (0, 2, 1), (2, 3, 1)]
    metrics = analyze_network([0, 1, 2, 3], ties)
    assert metrics.betweenness[1] > 0
    assert metrics.betweenness[2] == 0


def test_two_cliques_give_two_communities_and_the_bridge_ends_are_brokers():
    nodes, ties, departments = two_cliques()
    metrics = analyze_network(nodes, ties, departments=departments)
    community = dict(zip(nodes, metrics.community, strict=True))
    assert len(set(community.values())) == 2
    assert len({community[p] for p in nodes if p.startswith("p")}) == 1
    assert community["p0"] != community["e0"]
    assert sorted(metrics.community_names) == ["ED", "Pharmacy"]
    assert metrics.modularity > 0.3
    brokers = {b.node_id: b for b in metrics.brokers}
    assert set(brokers) == {"p0", "e0"}
    assert brokers["p0"].reason == "bridges Pharmacy and ED communities"
    assert brokers["e0"].reason == "bridges ED and Pharmacy communities"


def test_modularity_matches_networkx_for_the_same_partition():
    nodes, ties, _ = two_cliques()
    metrics = analyze_network(nodes, ties)
    graph = nx.Graph()
    for a, b, w in ties:
        graph.add_edge(a, b, weight=w)
    parts = [{n for n, c in zip(nodes, metrics.community, strict=True) if c == k} for k in (0, 1)]
    assert metrics.modularity == pytest.approx(nx.community.modularity(graph, parts))


def test_results_identical_across_runs():
    ties = random_ties(300, 1200, seed=7)
    settings = NetworkSettings(exact_betweenness_max_nodes=100, betweenness_pivots=50)
    first = analyze_network(list(range(300)), ties, settings)
    second = analyze_network(list(range(300)), ties, settings)
    assert first.betweenness_info.mode == "sampled"
    assert np.array_equal(first.betweenness, second.betweenness)
    assert np.array_equal(first.community, second.community)
    assert first.modularity == second.modularity
    assert np.array_equal(first.influence, second.influence)
    assert first.brokers == second.brokers


def test_sampled_betweenness_roughly_agrees_with_exact():
    n = 600
    graph = nx.barabasi_albert_graph(n, 3, seed=11)  # hubs give a spread of betweenness
    rng = random.Random(11)
    ties = [(a, b, rng.randint(1, 5)) for a, b in graph.edges()]
    exact = analyze_network(list(range(n)), ties)
    pivots = 150
    sampled = analyze_network(
        list(range(n)),
        ties,
        NetworkSettings(exact_betweenness_max_nodes=100, betweenness_pivots=pivots, seed=5),
    )
    assert exact.betweenness_info.mode == "exact"
    info = sampled.betweenness_info
    assert (info.mode, info.pivots, info.seed) == ("sampled", pivots, 5)
    assert info.relative_error is not None and 0 < info.relative_error < 1
    # Unbiased estimator: totals agree closely; per-node ranks agree well (not exactly).
    assert sampled.betweenness.sum() == pytest.approx(exact.betweenness.sum(), rel=0.1)
    assert np.corrcoef(sampled.betweenness, exact.betweenness)[0, 1] > 0.9
    top_exact = set(np.argsort(-exact.betweenness)[: n // 20])
    top_sampled = set(np.argsort(-sampled.betweenness)[: n // 20])
    assert len(top_exact & top_sampled) >= 0.6 * len(top_exact)


def test_automatic_pivot_count_follows_the_work_budget():
    settings = NetworkSettings(exact_betweenness_max_nodes=1000, betweenness_work_budget=10**6)
    assert settings.pivots_for(1000, 5000) is None
    assert settings.pivots_for(50_000, 10_000) == 10**6 // 10_000
    assert settings.pivots_for(50_000, 10**7) == settings.betweenness_min_pivots


def test_reach_on_a_hand_graph():
    # 0 → 1 → 2 → 3, 1 → 0 (a 2-cycle: 0 reaches itself via 1, which must not count), 4 alone
    ties = [(0, 1, 1), (1, 2, 1), (2, 3, 1), (1, 0, 1)]
    metrics = analyze_network(list(range(5)), ties)
    # reach counts: 0 → {1, 2}; 1 → {2, 0, 3}; 2 → {3}; 3 → {}; 4 → {} ; share of n-1 = 4
    assert list(metrics.reach_count) == [2, 3, 1, 0, 0]
    assert metrics.reach == pytest.approx([2 / 4, 3 / 4, 1 / 4, 0, 0])
    assert metrics.isolates == [4]


def test_degrees_keep_the_strongest_of_repeated_ties():
    ties = [("a", "b", 2), ("a", "b", 5), ("c", "b", 1), ("b", "b", 4)]
    metrics = analyze_network(["a", "b", "c"], ties)
    assert list(metrics.out_strength) == [5, 0, 1]
    assert list(metrics.in_strength) == [0, 6, 0]
    assert list(metrics.in_ties) == [0, 2, 0]


def test_unknown_people_in_ties_are_rejected():
    with pytest.raises(ValueError, match="unknown person"):
        analyze_network(["a"], [("a", "zz", 3)])


def test_empty_and_tieless_networks():
    empty = analyze_network([], [])
    assert empty.n == 0 and empty.brokers == [] and empty.modularity == 0.0
    alone = analyze_network(["a", "b"], [])
    assert alone.isolates == ["a", "b"]
    assert alone.influence == pytest.approx([100.0, 100.0])


def test_hot_spots_need_top_quartile_influence_and_a_reason():
    # Two-level tree 0 → {1, 2}, 1 → {3, 4, 5}, 2 → {6, 7, 8}: six leaves share the lowest
    # influence, so the 75th percentile of the nine values is the middle level: 0, 1, 2 are in
    # the top quartile and the leaves are not.
    ties = [(0, 1, 3), (0, 2, 3)] + [
        (p, c, 3) for p, kids in ((1, (3, 4, 5)), (2, (6, 7, 8))) for c in kids
    ]
    metrics = analyze_network(list(range(9)), ties)
    assert metrics.top_influencers(3) == [0, 1, 2]
    spots = hot_spots(
        metrics,
        readiness={1: 2.4, 2: 3.0, 3: 1.0},
        barriers={1: AdkarElement.DESIRE, 2: AdkarElement.KNOWLEDGE},
        attitudes={0: Attitude.RESISTANT, 3: Attitude.RESISTANT},
    )
    assert [(h.node_id, h.reasons) for h in spots] == [
        (0, ("attitude resistant",)),
        (1, ("readiness 2.4 below 3", "barrier at desire")),
    ]


def test_summary_reports_method_and_counts():
    nodes, ties, departments = two_cliques()
    summary = analyze_network(nodes, ties, departments=departments).summary()
    assert summary["people"] == 10 and summary["ties"] == 2 * 10 + 1
    assert summary["communities"] == 2 and summary["brokers"] == 2
    assert summary["betweenness_mode"] == "exact" and summary["louvain_seed"] == 42


def test_duplicate_node_ids_are_rejected():
    with pytest.raises(ValueError, match="unique"):
        analyze_network(["a", "a"], [])
