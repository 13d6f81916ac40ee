"""Key resisters and champions — one definition, used everywhere (``MODELS.md``, "Key
resisters and champions").

* **Key resister** = (attitude resistant or unaware, or latest Desire ≤ 2) and (key player in
  the power/interest grid, or network influence in the top 10 %). Ordered by network influence
  (ties: position, i.e. person id).
* **Champion** = attitude supportive or leading, ready (readiness ≥ threshold and no barrier),
  not a key resister. Chosen as a *set*, greedily, for coverage of the not-ready people within
  two steps downstream: each pick adds the most not-yet-covered not-ready people (ties: network
  influence, then position). Coverage is submodular, so picks are evaluated lazily (CELF).

Everything works on columns indexed by position, so the network analysis, the dashboard, the
go-live criterion, the register, the plan generator and the exports share one answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cmio_desktop.enums import Attitude

RESISTER_ATTITUDES = frozenset({Attitude.RESISTANT.value, Attitude.UNAWARE.value})
CHAMPION_ATTITUDES = frozenset({Attitude.SUPPORTIVE.value, Attitude.LEADING.value})


@dataclass(frozen=True)
class KeyPeopleSettings:
    """Thresholds of the two definitions (stored with the workspace as network settings)."""

    resister_desire_max: int = 2  # latest Desire at or below this counts as resisting
    top_influence_share: float = 0.10  # "network influence in the top 10 %"
    champion_count: int = 10  # at most this many champions are chosen


@dataclass(frozen=True)
class ChampionPick:
    position: int
    marginal_coverage: int  # not-ready people newly covered by this pick
    covered_total: int  # not-ready people covered by the picks so far


def top_influence_mask(influence: np.ndarray, share: float) -> np.ndarray:
    """People whose network influence is in the top ``share`` (at or above the quantile, and
    above zero)."""
    if influence.size == 0 or float(influence.max()) <= float(influence.min()):
        # Everyone equal (no ties recorded): nobody stands out, so nobody is "top 10 %".
        return np.zeros(influence.size, dtype=bool)
    cut = float(np.quantile(influence, 1.0 - share))
    return (influence >= cut) & (influence > 0)


def key_resister_mask(
    attitude: Sequence[str],
    desire: np.ndarray,
    key_player: np.ndarray,
    influence: np.ndarray,
    settings: KeyPeopleSettings | None = None,
) -> np.ndarray:
    """Boolean mask of key resisters. ``desire`` holds the latest Desire score (NaN when not
    assessed); ``key_player`` marks the power/interest grid's key players."""
    s = settings or KeyPeopleSettings()
    moods = np.fromiter((a in RESISTER_ATTITUDES for a in attitude), bool, len(attitude))
    with np.errstate(invalid="ignore"):
        low_desire = np.nan_to_num(desire, nan=np.inf) <= s.resister_desire_max
    important = key_player | top_influence_mask(influence, s.top_influence_share)
    return (moods | low_desire) & important


def order_by_influence(mask: np.ndarray, influence: np.ndarray) -> list[int]:
    """Positions where ``mask`` holds, most influential first (ties: lower position)."""
    positions = np.flatnonzero(mask)
    order = np.lexsort((positions, -influence[positions]))
    return positions[order].tolist()


def key_resisters(
    attitude: Sequence[str],
    desire: np.ndarray,
    key_player: np.ndarray,
    influence: np.ndarray,
    settings: KeyPeopleSettings | None = None,
) -> list[int]:
    """Key resisters' positions, most influential first."""
    mask = key_resister_mask(attitude, desire, key_player, influence, settings)
    return order_by_influence(mask, influence)


def ready_mask(
    readiness: np.ndarray, barrier: Sequence[str | None], threshold: float
) -> np.ndarray:
    """Ready = assessed, readiness ≥ threshold and no barrier point."""
    no_barrier = np.fromiter((b is None for b in barrier), bool, len(barrier))
    with np.errstate(invalid="ignore"):
        return (np.nan_to_num(readiness, nan=-np.inf) >= threshold) & no_barrier


def champion_candidates(
    attitude: Sequence[str], ready: np.ndarray, resister: np.ndarray
) -> np.ndarray:
    """Who may be a champion: supportive or leading, ready, not a key resister."""
    moods = np.fromiter((a in CHAMPION_ATTITUDES for a in attitude), bool, len(attitude))
    return moods & ready & ~resister


class TwoStepReach:
    """Who each person influences directly or through one person, computed one person at a
    time: materialising it for every candidate at once is quadratic in hub size (2.6 billion
    pairs at 300,000 people, where the most-followed person has 40,000 ties)."""

    def __init__(self, n: int, source: np.ndarray, target: np.ndarray) -> None:
        source = np.asarray(source, dtype=np.int64)
        order = np.argsort(source, kind="stable")
        self.n = n
        self.out = np.asarray(target, dtype=np.int64)[order]
        self.degree = np.bincount(source, minlength=n)
        self.start = np.concatenate(([0], np.cumsum(self.degree)))

    def neighbours(self, nodes: np.ndarray) -> np.ndarray:
        counts = self.degree[nodes]
        first = np.repeat(self.start[nodes] - (np.cumsum(counts) - counts), counts)
        return self.out[first + np.arange(int(counts.sum()))]

    def of(self, person: int) -> np.ndarray:
        """Distinct positions within two steps downstream of ``person``, sorted, without them."""
        first = self.out[self.start[person] : self.start[person + 1]]
        both = np.concatenate((first, self.neighbours(first)))
        return np.unique(both[both != person])


def downstream_two_steps(
    n: int, source: np.ndarray, target: np.ndarray, rows: np.ndarray
) -> list[np.ndarray]:
    """For each position in ``rows``: who they influence directly or through one person
    (distinct, sorted, the person themself excluded)."""
    reach = TwoStepReach(n, source, target)
    return [reach.of(int(r)) for r in np.asarray(rows)]


def choose_champions(
    candidates: np.ndarray,
    not_ready: np.ndarray,
    influence: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    count: int,
) -> list[ChampionPick]:
    """Greedy maximum coverage of the not-ready people within two steps downstream, up to
    ``count`` picks; stops when no candidate covers anyone new.

    Lazy greedy (CELF) over cheap upper bounds — the uncovered not-ready out-ties of the
    person and of each out-neighbour, recomputed after each pick — so only candidates that
    reach the top of the heap have their coverage counted exactly. Bounds are ≥ the true gain
    and gains only shrink, so an exact entry for the current number of picks that is still on
    top is the best, ties broken as before (network influence, then position): the picks equal
    those of computing every coverage first."""
    rows = np.flatnonzero(candidates)
    if rows.size == 0 or count <= 0 or not not_ready.any():
        return []
    n = influence.size
    reach = TwoStepReach(n, source, target)
    source = np.asarray(source, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    open_ = not_ready.copy()  # not ready and not yet covered by a pick
    scratch = np.zeros(n, dtype=bool)

    def bounds() -> np.ndarray:
        open_out = np.bincount(source[open_[target]], minlength=n)
        return open_out + np.bincount(source, weights=open_out[target], minlength=n)

    def reached(p: int) -> np.ndarray:
        first = reach.out[reach.start[p] : reach.start[p + 1]]
        return np.concatenate((first, reach.neighbours(first)))

    def gain(p: int) -> int:  # a scratch mask instead of a sort: hubs make these lists long
        both = reached(p)
        scratch[both] = True
        scratch[p] = False
        found = int(np.count_nonzero(scratch & open_))
        scratch[both] = False
        return found

    # Keys: (-gain, -influence, position, picks made when computed, 1 if exact else 0).
    bound = bounds()
    heap = [(-int(bound[p]), -float(influence[p]), int(p), 0, 0) for p in rows.tolist()]
    heapq.heapify(heap)
    total = 0
    picks: list[ChampionPick] = []
    while heap and len(picks) < count:
        neg_gain, neg_infl, p, stamp, exact = heapq.heappop(heap)
        if stamp == len(picks) and exact:  # fresh: with submodular coverage it is the best
            if neg_gain == 0:
                break
            both = reached(p)
            newly = both[open_[both] & (both != p)]
            open_[newly] = False
            total += -neg_gain
            picks.append(ChampionPick(p, -neg_gain, total))
            bound = bounds()
            continue
        if stamp == len(picks):  # a current bound on top: count exactly
            heapq.heappush(heap, (-gain(p), neg_infl, p, len(picks), 1))
        else:  # an older figure: first the current bound (never above it)
            tighter = min(int(bound[p]), -neg_gain)
            heapq.heappush(heap, (-tighter, neg_infl, p, len(picks), 0))
    return picks
