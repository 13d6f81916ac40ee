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

from cmio_desktop.models.enums import Attitude

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
    if influence.size == 0:
        return np.zeros(0, dtype=bool)
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


@dataclass(frozen=True)
class Reach:
    """Rows of positions in CSR form: row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``."""

    indptr: np.ndarray
    indices: np.ndarray


def downstream_two_steps(n: int, source: np.ndarray, target: np.ndarray, rows: np.ndarray) -> Reach:
    """For each position in ``rows``: who they influence directly or through one person
    (distinct, sorted, the person themself excluded). Plain numpy: no scipy at start-up."""
    source = np.asarray(source, dtype=np.int64)
    order = np.argsort(source, kind="stable")
    out = np.asarray(target, dtype=np.int64)[order]
    degree = np.bincount(source, minlength=n)
    start = np.concatenate(([0], np.cumsum(degree)))

    def step(owner: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        counts = degree[nodes]
        total = int(counts.sum())
        first = np.repeat(start[nodes] - (np.cumsum(counts) - counts), counts)
        return np.repeat(owner, counts), out[first + np.arange(total)]

    rows = np.asarray(rows, dtype=np.int64)
    owner1, reached1 = step(np.arange(rows.size), rows)
    owner2, reached2 = step(owner1, reached1)
    owner = np.concatenate((owner1, owner2))
    reached = np.concatenate((reached1, reached2))
    keep = reached != rows[owner]  # a tie back to oneself through one person
    pairs = np.unique(owner[keep] * max(n, 1) + reached[keep])
    owner, reached = np.divmod(pairs, max(n, 1))
    indptr = np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=rows.size))))
    return Reach(indptr, reached)


def choose_champions(
    candidates: np.ndarray,
    not_ready: np.ndarray,
    influence: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    count: int,
) -> list[ChampionPick]:
    """Greedy maximum coverage of the not-ready people within two steps downstream, up to
    ``count`` picks; stops when no candidate covers anyone new."""
    rows = np.flatnonzero(candidates)
    if rows.size == 0 or count <= 0 or not not_ready.any():
        return []
    reach = downstream_two_steps(influence.size, source, target, rows)
    # Keep only the not-ready people each candidate reaches (vectorised: at 100,000 people a
    # Python set per candidate cost seconds).
    keep = not_ready[reach.indices]
    row_of = np.repeat(np.arange(rows.size), np.diff(reach.indptr))
    gains = np.bincount(row_of[keep], minlength=rows.size)
    targets = reach.indices[keep]  # still grouped by row, in row order
    bounds = np.concatenate(([0], np.cumsum(gains)))

    def cover(i: int) -> np.ndarray:
        return targets[bounds[i] : bounds[i + 1]]

    # Keys: (-gain, -influence, position, picks made when the gain was computed, row).
    heap = [
        (-int(g), -float(influence[p]), int(p), 0, i)
        for i, (p, g) in enumerate(zip(rows.tolist(), gains.tolist(), strict=True))
    ]
    heapq.heapify(heap)
    covered = np.zeros(influence.size, dtype=bool)
    total = 0
    picks: list[ChampionPick] = []
    while heap and len(picks) < count:
        neg_gain, neg_infl, p, stamp, i = heapq.heappop(heap)
        if stamp == len(picks):  # gain is fresh: with submodular coverage it is the best
            if neg_gain == 0:
                break
            covered[cover(i)] = True
            total += -neg_gain
            picks.append(ChampionPick(p, -neg_gain, total))
            continue
        fresh = int(np.count_nonzero(~covered[cover(i)]))
        heapq.heappush(heap, (-fresh, neg_infl, p, len(picks), i))
    return picks
