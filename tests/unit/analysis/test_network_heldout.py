"""Held-out checks on classic social networks whose answers are known from the literature,
run through the full analysis (whichever engine computes each metric)."""

import networkx as nx
import numpy as np
import pytest

from cmio_desktop.analysis import graph_engine as engine
from cmio_desktop.analysis.network import NetworkMetrics, NetworkSettings, analyze_network


def analyse(graph: nx.Graph, settings: NetworkSettings | None = None) -> NetworkMetrics:
    """An undirected friendship is influence both ways, strength 1."""
    ties = [(a, b, 1) for a, b in graph.edges()] + [(b, a, 1) for a, b in graph.edges()]
    return analyze_network(list(graph.nodes()), ties, settings)


def test_karate_club_communities_follow_the_two_factions():
    """Zachary's karate club split between Mr. Hi and the Officer: Louvain's communities nest
    inside the factions (at most two members on the wrong side), modularity near the known
    optimum 0.4198."""
    graph = nx.karate_club_graph()
    metrics = analyse(graph)
    nodes = list(graph.nodes())
    club = nx.get_node_attributes(graph, "club")
    agree = 0
    for c in range(len(metrics.community_names)):
        factions = [club[nodes[i]] for i in np.flatnonzero(metrics.community == c)]
        agree += max(factions.count("Mr. Hi"), factions.count("Officer"))
    assert agree >= len(nodes) - 2
    assert 0.41 <= metrics.modularity <= 0.4198 + 1e-9
    leaders = {nodes[int(i)] for i in np.argsort(-metrics.influence)[:2]}
    assert leaders == {0, 33}  # Mr. Hi and the Officer


def test_florentine_families_medici_are_the_broker():
    """Padgett's marriage network: the Medici have the highest betweenness (0.522)."""
    graph = nx.florentine_families_graph()
    metrics = analyse(graph)
    medici = metrics.index_of("Medici")
    assert int(np.argmax(metrics.betweenness)) == medici
    assert metrics.betweenness[medici] == pytest.approx(0.521978, abs=1e-6)
    assert metrics.top_influencers(1) == ["Medici"]
    assert "Medici" in {b.node_id for b in metrics.brokers}


@pytest.mark.parametrize("sampled", [False, True])
def test_les_miserables_valjean_is_central(sampled: bool):
    """Knuth's co-appearance network: Valjean has the highest betweenness and influence,
    exactly and with sampled betweenness."""
    graph = nx.les_miserables_graph()
    settings = (
        NetworkSettings(exact_betweenness_max_nodes=10, betweenness_pivots=40, seed=3)
        if sampled
        else None
    )
    metrics = analyse(graph, settings)
    assert metrics.betweenness_info.mode == ("sampled" if sampled else "exact")
    assert int(np.argmax(metrics.betweenness)) == metrics.index_of("Valjean")
    assert metrics.top_influencers(1) == ["Valjean"]
    assert metrics.modularity > 0.5


@pytest.mark.parametrize("which", ["igraph", "networkit"])
def test_both_louvain_engines_find_the_karate_factions(which: str):
    graph = nx.karate_club_graph()
    n = graph.number_of_nodes()
    lo = np.array([min(e) for e in graph.edges()])
    hi = np.array([max(e) for e in graph.edges()])
    membership, modularity = engine.louvain(n, lo, hi, np.ones(lo.size), seed=42, engine=which)
    club = nx.get_node_attributes(graph, "club")
    agree = sum(
        max(f.count("Mr. Hi"), f.count("Officer"))
        for f in ([club[i] for i in np.flatnonzero(membership == c)] for c in set(membership))
    )
    assert agree >= n - 2
    assert modularity >= 0.41
