"""Key resisters and champions follow the MODELS.md definitions exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmio_desktop.analysis.key_people import (
    KeyPeopleSettings,
    champion_candidates,
    choose_champions,
    key_resister_mask,
    key_resisters,
    ready_mask,
    top_influence_mask,
)

NAN = float("nan")


def test_key_resister_needs_resistance_and_importance() -> None:
    attitude = ["resistant", "unaware", "neutral", "neutral", "resistant", "supportive"]
    desire = np.array([4, 4, 2, 3, NAN, 1])
    key_player = np.array([True, False, True, True, False, False])
    influence = np.array([10.0, 100.0, 5.0, 90.0, 1.0, 2.0])
    mask = key_resister_mask(attitude, desire, key_player, influence, KeyPeopleSettings())
    # 0: resistant key player; 1: unaware, top influence; 2: desire 2 key player;
    # 3: key player but neither resistant nor low desire; 4: resistant, not key;
    # 5: desire 1 but not key.
    assert mask.tolist() == [True, True, True, False, False, False]
    assert key_resisters(attitude, desire, key_player, influence) == [1, 0, 2]


def test_top_influence_share_is_a_quantile_and_never_zero() -> None:
    influence = np.array([0.0] * 8 + [5.0, 100.0])
    assert top_influence_mask(influence, 0.10).tolist() == [False] * 9 + [True]
    assert not top_influence_mask(np.zeros(5), 0.10).any()
    # No ties: PageRank gives everyone the same score (100 after scaling); nobody is "top".
    assert not top_influence_mask(np.full(5, 100.0), 0.10).any()


def test_ready_means_threshold_and_no_barrier() -> None:
    readiness = np.array([4.2, 4.2, 3.9, NAN])
    barrier = [None, "desire", None, None]
    assert ready_mask(readiness, barrier, 4.0).tolist() == [True, False, False, False]


def test_champions_cover_not_ready_people_as_a_set() -> None:
    # 0 → 2, 3 (both not ready) ; 1 → 2 (already covered by 0) ; 4 → 5 → 6 (two steps)
    source = np.array([0, 0, 1, 4, 5])
    target = np.array([2, 3, 2, 5, 6])
    candidates = np.array([True, True, False, False, True, False, False])
    not_ready = np.array([False, False, True, True, False, True, True])
    influence = np.array([3.0, 50.0, 0, 0, 2.0, 0, 0])
    picks = choose_champions(candidates, not_ready, influence, source, target, 5)
    assert [(p.position, p.marginal_coverage, p.covered_total) for p in picks] == [
        (0, 2, 2),
        (4, 2, 4),
    ]  # 1 adds nobody new, so it is not picked even though it is the most influential


def test_champion_ties_go_to_network_influence() -> None:
    source, target = np.array([0, 1]), np.array([2, 3])
    candidates = np.array([True, True, False, False])
    not_ready = np.array([False, False, True, True])
    picks = choose_champions(candidates, not_ready, np.array([1.0, 9.0, 0, 0]), source, target, 1)
    assert [p.position for p in picks] == [1]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 25),
    seed=st.integers(0, 10_000),
)
def test_champions_are_ready_supporters_who_never_resist(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    moods = ["unaware", "resistant", "neutral", "supportive", "leading"]
    attitude = [moods[i] for i in rng.integers(0, 5, n)]
    desire = rng.integers(1, 6, n).astype(float)
    readiness = rng.uniform(1, 5, n)
    barrier = [None if r >= 4 else "knowledge" for r in readiness]
    key_player = rng.random(n) < 0.3
    m = int(rng.integers(0, 3 * n))
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    influence = rng.uniform(0, 100, n)
    resister = key_resister_mask(attitude, desire, key_player, influence)
    ready = ready_mask(readiness, barrier, 4.0)
    picks = choose_champions(
        champion_candidates(attitude, ready, resister), ~ready, influence, source, target, 4
    )
    totals = [p.covered_total for p in picks]
    assert totals == sorted(totals)
    for p in picks:
        assert attitude[p.position] in ("supportive", "leading")
        assert ready[p.position] and not resister[p.position]
        assert p.marginal_coverage > 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_step_reach_matches_a_sparse_matrix_product(seed: int) -> None:
    """The numpy two-step reach (no scipy at start-up) equals the boolean matrix product."""
    from scipy import sparse

    from cmio_desktop.analysis.key_people import downstream_two_steps

    rng = np.random.default_rng(seed)
    n = 300
    source = rng.integers(0, n, 1500)
    target = rng.integers(0, n, 1500)  # repeats and self-ties included
    rows = np.sort(rng.choice(n, 60, replace=False))
    reach = downstream_two_steps(n, source, target, rows)
    adjacency = sparse.csr_matrix((np.ones(source.size, bool), (source, target)), shape=(n, n))
    first = adjacency[rows]
    expected = (first + first @ adjacency).tolil()
    for i, person in enumerate(rows):
        want = sorted(set(expected.rows[i]) - {int(person)})
        assert reach[i].tolist() == want


def _greedy_by_hand(candidates, not_ready, influence, source, target, count):  # type: ignore[no-untyped-def]
    """The definition, computed the slow way: every coverage first, then greedy picks."""
    from cmio_desktop.analysis.key_people import downstream_two_steps

    rows = np.flatnonzero(candidates)
    sets = downstream_two_steps(influence.size, source, target, rows)
    sets = [set(s.tolist()) & set(np.flatnonzero(not_ready).tolist()) for s in sets]
    covered: set[int] = set()
    picks = []
    while len(picks) < count:
        best = min(range(rows.size), key=lambda i: (-len(sets[i] - covered),
                                                    -influence[rows[i]], rows[i]))  # fmt: skip
        gain = len(sets[best] - covered)
        if gain == 0:
            break
        covered |= sets[best]
        picks.append((int(rows[best]), gain, len(covered)))
    return picks


@pytest.mark.parametrize("seed", range(6))
def test_lazy_champion_picks_equal_the_plain_greedy(seed: int) -> None:
    from cmio_desktop.analysis.key_people import choose_champions

    rng = np.random.default_rng(seed)
    n = 200
    hubs = rng.integers(0, 5, 600)  # a few very connected people, as in real networks
    source = np.concatenate((rng.integers(0, n, 700), hubs, rng.integers(0, n, 300)))
    target = np.concatenate((rng.integers(0, n, 700), rng.integers(0, n, 600), hubs[:300]))
    keep = source != target
    source, target = source[keep], target[keep]
    candidates = rng.random(n) < 0.3
    not_ready = rng.random(n) < 0.5
    influence = np.round(rng.random(n) * 4)  # many equal influences: tie-breaks matter
    picks = choose_champions(candidates, not_ready, influence, source, target, 8)
    got = [(p.position, p.marginal_coverage, p.covered_total) for p in picks]
    assert got == _greedy_by_hand(candidates, not_ready, influence, source, target, 8)
