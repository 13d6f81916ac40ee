"""Roles in the influence network: community names, brokers and hot spots.

* **Broker** = betweenness in the top decile (at or above the ``broker_quantile`` quantile,
  and above zero) with ties into at least two communities (its own counts).
* **Hot spot** = influence in the top quartile (at or above the ``hot_spot_quantile``
  quantile) and (readiness below 3, or a barrier at awareness or desire, or a resistant
  attitude).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from cmio_desktop.enums import AdkarElement, Attitude


@dataclass(frozen=True)
class Broker:
    node_id: Hashable
    betweenness: float
    communities: tuple[int, ...]  # own community first, then by tie strength into each
    reason: str


@dataclass(frozen=True)
class HotSpot:
    node_id: Hashable
    influence: float
    reasons: tuple[str, ...]


def name_communities(
    community: np.ndarray, department_labels: Sequence[str | None] | None
) -> list[str]:
    """Name each community after its most common department (ties: alphabetical), else
    "Community N"; repeated names get " (2)", " (3)"…"""
    count = int(community.max()) + 1 if community.size else 0
    names = [f"Community {c + 1}" for c in range(count)]
    if department_labels is not None:
        tallies: list[Counter[str]] = [Counter() for _ in range(count)]
        for c, label in zip(community.tolist(), department_labels, strict=True):
            if label:
                tallies[c][label] += 1
        for c, tally in enumerate(tallies):
            if tally:
                best = max(tally.values())
                names[c] = min(label for label, k in tally.items() if k == best)
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _join(names: list[str], limit: int = 3) -> str:
    if len(names) > limit:
        shown = names[:limit]
        return f"{', '.join(shown)} and {len(names) - limit} more"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def find_brokers(
    node_ids: Sequence[Hashable],
    betweenness: np.ndarray,
    community: np.ndarray,
    names: Sequence[str],
    lo: np.ndarray,
    hi: np.ndarray,
    weight: np.ndarray,
    quantile: float = 0.9,
) -> list[Broker]:
    """Brokers, highest betweenness first (ties by input order)."""
    n = len(node_ids)
    if n == 0 or not np.any(betweenness > 0):
        return []
    cut = np.quantile(betweenness, quantile)
    candidate = (betweenness >= cut) & (betweenness > 0)
    # (person, neighbour's community, tie weight) for both ends of every undirected pair
    node = np.concatenate([lo, hi])
    other = np.concatenate([community[hi], community[lo]])
    w = np.concatenate([weight, weight])
    keep = candidate[node]
    node, other, w = node[keep], other[keep], w[keep]
    c_count = int(community.max()) + 1
    key, inverse = np.unique(node * c_count + other, return_inverse=True)
    key_weight = np.bincount(inverse, weights=w, minlength=key.size)
    pair_node, pair_comm = key // c_count, key % c_count
    starts = np.searchsorted(pair_node, np.arange(n))
    ends = np.searchsorted(pair_node, np.arange(n), side="right")

    brokers = []
    for i in np.lexsort((np.arange(n), -betweenness)):
        if not candidate[i]:
            continue
        own = int(community[i])
        span = slice(starts[i], ends[i])
        touched = {int(c): float(x) for c, x in zip(pair_comm[span], key_weight[span], strict=True)}
        touched.pop(own, None)
        if not touched:
            continue
        others = sorted(touched, key=lambda c: (-touched[c], c))
        comms = (own, *others)
        reason = f"bridges {_join([names[c] for c in comms])} communities"
        brokers.append(Broker(node_ids[i], float(betweenness[i]), comms, reason))
    return brokers


def find_hot_spots(
    node_ids: Sequence[Hashable],
    influence: np.ndarray,
    readiness: Mapping[Hashable, float] | None = None,
    barriers: Mapping[Hashable, AdkarElement | None] | None = None,
    attitudes: Mapping[Hashable, Attitude | None] | None = None,
    quantile: float = 0.75,
    readiness_below: float = 3.0,
    barrier_elements: Collection[AdkarElement] = (AdkarElement.AWARENESS, AdkarElement.DESIRE),
    risky_attitudes: Collection[Attitude] = (Attitude.RESISTANT,),
) -> list[HotSpot]:
    """Hot spots, most influential first, each with the reasons that made it one."""
    if len(node_ids) == 0:
        return []
    readiness, barriers, attitudes = readiness or {}, barriers or {}, attitudes or {}
    cut = np.quantile(influence, quantile)
    result = []
    for i in np.lexsort((np.arange(len(node_ids)), -influence)):
        if influence[i] < cut:
            break
        node = node_ids[i]
        reasons = []
        value = readiness.get(node)
        if value is not None and value < readiness_below:
            reasons.append(f"readiness {value:.1f} below {readiness_below:g}")
        barrier = barriers.get(node)
        if barrier is not None and barrier in barrier_elements:
            reasons.append(f"barrier at {barrier.value}")
        attitude = attitudes.get(node)
        if attitude is not None and attitude in risky_attitudes:
            reasons.append(f"attitude {attitude.value}")
        if reasons:
            result.append(HotSpot(node, float(influence[i]), tuple(reasons)))
    return result
